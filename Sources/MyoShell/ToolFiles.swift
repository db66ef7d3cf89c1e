import MyoPluginAPI

/// Files that install MyoShell as a tool, generated from the same command specs as help,
/// completion and validation: bash and zsh completion scripts and a man page (`scripts/install`).
public enum ToolFiles {
    /// The options of the `myoshell` executable, for completion and the man page.
    static let options: [(flag: String, help: String)] = [
        ("-c", "run COMMANDS (separated by ';') and exit"),
        ("--script", "run a script of commands"),
        ("--init", "run COMMANDS before the interactive shell starts"),
        ("--json", "print each result as one JSON object per line"),
        ("--check", "run FILE.myo and compare its output with FILE.myo.out"),
        ("--bless", "with --check: write FILE.myo.out from this run"),
        ("--step", "run FILE.myo one command at a time"),
        ("--completion", "print a completion script: bash or zsh"),
        ("--man", "print the man page"),
        ("--version", "print the version"),
        ("--help", "print the command-line help"),
    ]

    /// bash: options, .myo scripts, and command names inside -c.
    public static func bash(_ registry: CommandRegistry) -> String {
        let commands = registry.names.filter { !$0.contains(" ") }.joined(separator: " ")
        return """
        # bash completion for myoshell, generated from its command specs (myoshell --completion bash)
        _myoshell() {
            local cur prev
            cur="${COMP_WORDS[COMP_CWORD]}"
            prev="${COMP_WORDS[COMP_CWORD-1]}"
            case "$prev" in
                -c|--init) COMPREPLY=($(compgen -W "\(commands)" -- "$cur")); return ;;
                --completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return ;;
            esac
            if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "\(options.map(\.flag).joined(separator: " "))" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -X '!*.myo' -- "$cur") $(compgen -d -- "$cur"))
            fi
        }
        complete -o filenames -F _myoshell myoshell

        """
    }

    /// zsh: the same, with each option's and command's help.
    public static func zsh(_ registry: CommandRegistry) -> String {
        func quote(_ text: String) -> String { "'" + text.replacingAll("'", with: "'\\''") + "'" }
        func bracket(_ text: String) -> String { text.replacingAll("[", with: "\\[").replacingAll("]", with: "\\]").replacingAll(":", with: "\\:") }
        let commands = registry.names.filter { !$0.contains(" ") }.compactMap { name in
            registry.resolve([name]).map { "        " + quote(name + ":" + $0.spec.abstract.replacingAll(":", with: "\\:")) }
        }.joined(separator: "\n")
        let optionLines = options.map { option -> String in
            let argument: String
            switch option.flag {
            case "-c", "--init": argument = ":commands:_myoshell_commands"
            case "--script": argument = ":script:_files -g \"*.myo\""
            case "--completion": argument = ":shell:(bash zsh)"
            default: argument = ""
            }
            return "    " + quote(option.flag + "[" + bracket(option.help) + "]" + argument) + " \\"
        }.joined(separator: "\n")
        return """
        #compdef myoshell
        # zsh completion for myoshell, generated from its command specs (myoshell --completion zsh)
        _myoshell_commands() {
            local -a commands
            commands=(
        \(commands)
            )
            _describe 'command' commands
        }
        _arguments \\
        \(optionLines)
            '*:script:_files -g "*.myo"'

        """
    }

    /// A man page (roff) with the shell's grammar and every command's usage and abstract.
    public static func manPage(_ registry: CommandRegistry, version: String) -> String {
        func roff(_ text: String) -> String {
            var out = text.replacingAll("\\", with: "\\e").replacingAll("-", with: "\\-")
            if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
            return out
        }
        var lines = [
            ".TH MYOSHELL 1 \"\" \"MyoShell \(version)\" \"User Commands\"",
            ".SH NAME", "myoshell \\- an interactive analysis shell for surface EMG and IMU recordings",
            ".SH SYNOPSIS", ".B myoshell", "[\\fIFILE.myo\\fR [\\fINAME=VALUE\\fR ...]] [\\fIOPTIONS\\fR]",
            ".SH DESCRIPTION",
            roff("Loads sEMG and IMU recordings into a named workspace and runs analysis commands from plugins. Grammar: command positional key=value ... [to PATH] [as NAME]; ';' between commands; '#' comments. Values carry units (250ms, 20Hz, 50%, mV)."),
            ".SH OPTIONS",
        ]
        for option in options { lines += [".TP", ".B " + roff(option.flag), roff(option.help)] }
        lines.append(".SH COMMANDS")
        for name in registry.names {
            guard let command = registry.resolve(name.split(separator: " ").map(String.init)) else { continue }
            lines += [".TP", ".B " + roff(command.spec.usage), roff(command.spec.abstract)]
        }
        lines += [".SH SEE ALSO", roff("help COMMAND inside the shell; the docs folder of the source tree.")]
        return lines.joined(separator: "\n") + "\n"
    }
}
