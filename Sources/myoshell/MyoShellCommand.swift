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

    @Option(name: .customLong("script"), help: "A script of commands to run.")
    var script: String?

    @Option(name: .customShort("c"), help: "Commands to run, separated by ';'.")
    var commands: String?

    @Option(name: .customLong("init"), help: "Commands to run before the interactive shell starts (scripts/run loads a sample this way).")
    var initialCommands: String?

    @Flag(name: .customLong("json"), help: "Print each result as one JSON object per line.")
    var json = false

    mutating func validate() throws {
        if [scriptFile, script, commands].compactMap({ $0 }).count > 1 {
            throw ValidationError("give one of FILE, --script FILE or -c COMMANDS")
        }
    }

    func run() throws {
        let app = ShellApp()
        if json { app.session.settings.output = .json }
        let status: Int32
        if let commands {
            ShellApp.installBatchSignalHandlers()
            status = app.run(lines: [commands], file: "-c")
        } else if let path = scriptFile ?? script {
            ShellApp.installBatchSignalHandlers()
            status = app.runScript(path: path)
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
