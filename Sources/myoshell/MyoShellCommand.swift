import ArgumentParser
import MyoShell
#if canImport(Glibc)
import Glibc
#endif

/// `myoshell`: wiring only. Parses the command line and hands over to `ShellApp`.
@main
struct MyoShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "myoshell",
        abstract: "An interactive analysis shell for surface EMG and IMU recordings.",
        discussion: "With no arguments on a terminal, starts the interactive shell (prompt 'myo> '). When standard input is not a terminal, reads commands from it line by line. An error in a script prints FILE:LINE: message on stderr and exits with status 1.",
        version: myoShellVersion)

    @Argument(help: "A script of commands to run (FILE.myo).")
    var scriptFile: String?

    @Argument(help: "Script parameters NAME=VALUE, used as ${NAME} in the script.")
    var parameters: [String] = []

    @Option(name: .customLong("script"), help: "A script of commands to run.")
    var script: String?

    @Option(name: .customShort("c"), help: "Commands to run, separated by ';'.")
    var commands: String?

    @Option(name: .customLong("init"), help: "Commands to run before the interactive shell starts (scripts/run loads a sample this way).")
    var initialCommands: String?

    @Flag(name: .customLong("json"), help: "Print each result as one JSON object per line.")
    var json = false

    @Flag(name: .customLong("check"), help: "Run FILE and compare its output with FILE.out; print a unified diff and exit 1 on a difference.")
    var check = false

    @Flag(name: .customLong("bless"), help: "With --check: write FILE.out from this run instead of comparing.")
    var bless = false

    @Flag(name: .customLong("step"), help: "Run FILE one command at a time: each is shown and runs on Enter (h: its help first, q: stop).")
    var step = false

    @Option(name: .customLong("completion"), help: "Print a completion script generated from the command specs: bash or zsh.")
    var completion: String?

    @Flag(name: .customLong("man"), help: "Print the man page generated from the command specs.")
    var man = false

    @Option(name: .customLong("participant-label"), parsing: .upToNextOption, help: "With bids-app: the participants to run (labels without sub-).")
    var participantLabels: [String] = []

    @Option(name: .customLong("keep-into"), help: "After the script, keep its tables' measures in this progress database (batch keep=yes).")
    var keepInto: String?

    @Option(name: .customLong("keep-subject"), help: "With --keep-into: the subject id.")
    var keepSubject: String?

    @Option(name: .customLong("keep-date"), help: "With --keep-into: the session's date, YYYY-MM-DD.")
    var keepDate: String?

    @Option(name: .customLong("results"), help: "After the script, write every named table to DIR/NAME.json (what batch merges).")
    var results: String?

    mutating func validate() throws {
        if [scriptFile, script, commands].compactMap({ $0 }).count > 1 {
            throw ValidationError("give one of FILE, --script FILE or -c COMMANDS")
        }
        if (check || step) && scriptFile == nil && script == nil {
            throw ValidationError("--check and --step need a script: myoshell --check FILE.myo")
        }
        if let completion, completion != "bash", completion != "zsh" { throw ValidationError("--completion takes bash or zsh, not \(completion)") }
        if bless && !check { throw ValidationError("--bless goes with --check: myoshell --check --bless FILE.myo") }
        if scriptFile == "batch" || scriptFile == "bids-app" { return }
        if !parameters.isEmpty, scriptFile == nil, script == nil {
            throw ValidationError("parameters (\(parameters.joined(separator: " "))) need a script: myoshell FILE.myo NAME=VALUE")
        }
    }

    func run() throws {
        if check, let path = scriptFile ?? script {
            let status = ShellApp.check(path: path, parameters: parameters, bless: bless)
            if status != 0 { throw ExitCode(status) }
            return
        }
        let app = ShellApp()
        // `myoshell batch SCRIPT over=PATTERN to DIR [jobs=N]`: the shell's batch command.
        if scriptFile == "batch" {
            ShellApp.installBatchSignalHandlers()
            let words = parameters.map { $0.contains(where: { " \"\\;".contains($0) }) ? "'" + $0 + "'" : $0 }
            let status = app.run(lines: [(["batch"] + words).joined(separator: " ")], file: "batch")
            if status != 0 { throw ExitCode(status) }
            return
        }
        // `myoshell bids-app BIDS_DIR OUTPUT_DIR participant|group [--participant-label L ...] script=FILE [jobs=N]`.
        if scriptFile == "bids-app" {
            ShellApp.installBatchSignalHandlers()
            // --participant-label takes words up to the next option; NAME=VALUE words among them are settings.
            let words = parameters + participantLabels.filter { $0.contains("=") }
            let labels = participantLabels.filter { !$0.contains("=") }
            let positional = words.filter { !$0.contains("=") }
            let named = Dictionary(words.filter { $0.contains("=") }.map { word in
                (String(word[..<word.firstIndex(of: "=")!]), String(word[word.index(after: word.firstIndex(of: "=")!)...])) }, uniquingKeysWith: { _, last in last })
            guard positional.count == 3 else {
                throw ValidationError("usage: myoshell bids-app BIDS_DIR OUTPUT_DIR participant|group [--participant-label 01 02] script=FILE.myo [jobs=N] [kubernetes=JOB.yaml image=IMAGE claim=PVC mount=/data]")
            }
            do {
                // kubernetes=JOB.yaml: write the Indexed Job (and the group's Job) instead of running.
                if let manifest = named["kubernetes"] {
                    guard positional[2] == "participant", let script = named["script"] else {
                        throw ValidationError("bids-app kubernetes=FILE.yaml is written at the participant level, with script=FILE.myo")
                    }
                    let written = try BIDSApp.writeKubernetesJobs(bidsFolder: positional[0], outputFolder: positional[1], labels: labels, script: script, to: manifest,
                                                                  image: named["image"] ?? "myoshell:\(myoShellVersion)", claim: named["claim"] ?? "myoshell-data",
                                                                  mount: named["mount"] ?? "/data")
                    app.session.output.write("wrote \(written.joined(separator: ", ")); kubectl apply -f \(written[0]), then, once it has completed, -f \(written[1])\n")
                    return
                }
                try BIDSApp.run(bidsFolder: positional[0], outputFolder: positional[1], level: positional[2], labels: labels, script: named["script"],
                                jobs: Int(named["jobs"] ?? "2") ?? 2, output: app.session.output)
            } catch {
                app.session.output.writeError("\(error)\n")
                throw ExitCode(1)
            }
            return
        }
        if let completion {
            print(completion == "bash" ? ToolFiles.bash(app.session.registry) : ToolFiles.zsh(app.session.registry), terminator: "")
            return
        }
        if man {
            print(ToolFiles.manPage(app.session.registry, version: myoShellVersion), terminator: "")
            return
        }
        if json { app.session.settings.output = .json }
        var status: Int32
        if step, let path = scriptFile ?? script {
            ShellApp.installBatchSignalHandlers()
            status = app.step(path: path, parameters: parameters) { readLine(strippingNewline: true) }
        } else if let commands {
            ShellApp.installBatchSignalHandlers()
            status = app.run(lines: [commands], file: "-c")
        } else if let path = scriptFile ?? script {
            ShellApp.installBatchSignalHandlers()
            status = app.runScript(path: path, parameters: parameters)
            if status == 0, let results { status = app.writeTables(to: results) }
            if status == 0, let keepInto, let keepSubject, let keepDate { status = app.keepTables(database: keepInto, subject: keepSubject, date: keepDate) }
        } else if isatty(STDIN_FILENO) != 0 {
            if let initialCommands { app.session.executeReportingErrors(initialCommands) }
            status = app.runInteractive()
        } else {
            ShellApp.installBatchSignalHandlers()
            if let initialCommands { app.session.executeReportingErrors(initialCommands) }
            status = app.run(nextLine: { readLine(strippingNewline: true) }, file: "<stdin>")
        }
        if status != 0 { throw ExitCode(status) }
    }
}
