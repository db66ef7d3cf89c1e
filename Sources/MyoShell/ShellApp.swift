#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats
import MyoPlot

/// The shell's run loops: interactive, script file, and command string. Wiring for `myoshell`.
public final class ShellApp {
    public let session: Session

    /// A session with gnuplot (when installed) and every plugin found on the search path.
    public init(output: OutputSink = StandardOutput(), executablePath: String? = CommandLine.arguments.first,
                environment: [String: String] = ShellApp.environment()) {
        session = Session(output: output, plotter: GnuplotPlotter())
        let folder = executablePath.flatMap(ShellApp.executableFolder)
        for warning in PluginLoader.pathWarnings(environment: environment, workingFolder: FileSystem.workingFolder()) { output.writeError(warning + "\n") }
        PluginLoader.loadAll(into: session, folders: PluginLoader.searchFolders(executableFolder: folder, environment: environment))
    }

    /// Runs the lines of a script. The first error prints `FILE:LINE: message` on stderr and
    /// stops; returns the exit status (0 or 1).
    public func run(lines: [String], file: String) -> Int32 {
        var iterator = lines.makeIterator()
        return run(nextLine: { iterator.next() }, file: file)
    }

    /// Runs lines as they arrive from `nextLine` (nil ends), with the same error rule.
    public func run(nextLine: () -> String?, file: String) -> Int32 {
        var number = 0
        return withoutActuallyEscaping(nextLine) { next in
            // A command that asks (review) reads its answers from the same lines, which count too.
            session.answerSource = { number += 1; return next() }
            defer { session.answerSource = nil }
            while !session.quitRequested, let line = next() {
                number += 1
                do {
                    // An interrupt between two commands stops the run too (a command clears the flag as it starts).
                    try Cancellation.check()
                    try session.execute(line)
                } catch {
                    session.output.writeError("\(file):\(number): \(error)\n")
                    return 1
                }
            }
            return 0
        }
    }

    /// Writes every named table of the workspace to FOLDER/NAME.json (what `batch` merges).
    public func writeTables(to folder: String) -> Int32 {
        do {
            try FileSystem.createFolders(folder)
            for (name, table) in session.workspace.tables.sorted(by: { $0.key < $1.key }) { try JSONExport.write(table, to: folder + "/" + name + ".json") }
            return 0
        } catch {
            session.output.writeError("\(error)\n")
            return 1
        }
    }

    /// Keeps every named table whose command declares measures into the progress database at
    /// `database`, in `subject`'s session of `date` (what `batch keep=yes` asks of each run).
    /// Tables of commands that declare none (and siblings kept with their first) are passed over.
    public func keepTables(database: String, subject: String, date: String) -> Int32 {
        do {
            try session.execute("db open \"\(database)\"")
            try session.execute("subject add \(subject)")
            var kept: [String] = []
            for name in session.workspace.tables.keys.sorted() {
                guard let table = session.workspace.tables[name], let step = table.provenance.steps.last,
                      let command = session.registry.commands[step.command], !command.spec.measures.isEmpty else { continue }
                if let underscore = name.lastIndex(of: "_"), Int(name[name.index(after: underscore)...]) != nil,
                   session.workspace.tables[String(name[..<underscore])]?.provenance.steps.last == step { continue }
                try session.execute("keep \(name) subject=\(subject) date=\(date)")
                kept.append(name)
            }
            if kept.isEmpty { session.output.writeError("keep: no table of this run declares measures to keep\n") }
            return 0
        } catch {
            session.output.writeError("keep: \(error)\n")
            return 1
        }
    }

    /// Runs a script file with its parameters (`subject=03`): `include` expanded, `${name}`
    /// substituted, each line in its file's folder. The first error prints `FILE:LINE: message`
    /// (a missing file: `FILE: ...`) and gives status 1.
    public func runScript(path: String, parameters: [String] = []) -> Int32 {
        runScript(path: path, parameters: parameters, beforeEach: nil)
    }

    /// Loads and runs a script; every failure is printed once and gives status 1.
    func runScript(path: String, parameters: [String], beforeEach: ((Script.Line, Int, Int) -> Bool)?,
                   narrate: ((Script.Line) -> Void)? = nil) -> Int32 {
        do {
            try session.run(try Script(path: path, parameters: try Script.parameters(parameters)), beforeEach: beforeEach, narrate: narrate)
            return 0
        } catch let error as ScriptError where error.line == 0 {
            session.output.writeError(error.message + "\n")
        } catch {
            session.output.writeError("\(error)\n")
        }
        return 1
    }

    /// `myoshell --check FILE.myo`: runs the script in a fresh session and compares its transcript
    /// (results, `! ` error lines, the exit status) with FILE.myo.out. Prints a unified diff and
    /// returns 1 on a difference; with `bless`, writes FILE.myo.out instead and says so.
    public static func check(path: String, parameters: [String], bless: Bool, output: OutputSink = StandardOutput(),
                             executablePath: String? = CommandLine.arguments.first) -> Int32 {
        let transcript = TranscriptOutput()
        let app = ShellApp(output: transcript, executablePath: executablePath)
        let status = app.runScript(path: path, parameters: parameters)
        let actual = transcript.text + "--- exit status \(status) ---\n"
        let expectedPath = path + ".out"
        if bless {
            do {
                try AtomicFile.write(actual, to: expectedPath)
            } catch {
                output.writeError("\(error)\n")
                return 1
            }
            let count = actual.split(separator: "\n").count
            output.write("blessed \(expectedPath): \(count) lines written from this run; review them before committing\n")
            return 0
        }
        guard let expected = FileSystem.readText(expectedPath) else {
            output.writeError("\(expectedPath): no expected transcript; run myoshell --check --bless \(path) to write one\n")
            return 1
        }
        let diff = UnifiedDiff.diff(expected: expected, actual: actual, expectedName: "\(expectedPath) (expected)", actualName: "\(path) (this run)")
        if diff.isEmpty {
            output.write("\(path): output matches \(expectedPath)\n")
            return 0
        }
        output.write(diff)
        output.writeError("\(path): output differs from \(expectedPath)\n")
        return 1
    }

    /// `myoshell --step FILE.myo`: shows the script's comments as they come and each command,
    /// waits for a key line (Enter runs it, h shows its help first, q stops), then runs it: for
    /// teaching in class.
    public func step(path: String, parameters: [String], nextKey: @escaping () -> String?) -> Int32 {
        let session = self.session
        return runScript(path: path, parameters: parameters) { line, position, total in
            while true {
                session.output.write("[\(position)/\(total)] \(line.text)\n  Enter: run   h: help first   q: stop > ")
                guard let key = nextKey() else { session.output.write("\n"); return false }
                switch String(key.filter { $0 != " " && $0 != "\t" }) {
                case "q": return false
                case "h":
                    let words = line.text.split(separator: " ").map(String.init)
                    if let command = session.registry.resolve(words) { session.output.write("\n" + HelpFormatter.detail(command) + "\n") }
                default: return true
                }
            }
        } narrate: { line in
            // The teacher's narration: comment lines shown as written, before the command they explain.
            session.output.write(line.text.drop { $0 == " " || $0 == "\t" } + "\n")
        }
    }

    /// The interactive loop: readline with history and completion; Ctrl-C interrupts the running
    /// command (or clears the line), Ctrl-D or `quit` leaves.
    public func runInteractive(environment: [String: String] = ShellApp.environment()) -> Int32 {
        let reader = LineReader(interactive: true, historyFile: LineReader.defaultHistoryFile(environment: environment), completer: Completer(session: session))
        ShellApp.installInterruptHandler()
        session.rememberEarlier(reader.storedLines())
        session.output.write("MyoShell \(myoShellVersion). Type 'help' for commands, Ctrl-D to leave.\n")
        session.answerSource = { reader.readLine(prompt: "review> ") }
        defer { session.answerSource = nil }
        while !session.quitRequested {
            ShellApp.atPrompt = 1
            guard var line = reader.readLine(prompt: "myo> ") else { session.output.write("\n"); break }
            ShellApp.atPrompt = 0
            if line.hasPrefix("!") {
                guard let recalled = recall(line) else { continue }
                session.output.write(recalled + "\n")
                reader.remember(recalled)
                line = recalled
            }
            session.executeReportingErrors(line)
        }
        return 0
    }

    /// `!!` is the last line, `!N` the N-th entry of `history`.
    func recall(_ line: String) -> String? {
        let history = session.history
        let key = line.dropFirst()
        let index = key == "!" ? history.count : Int(key) ?? 0
        guard index >= 1, index <= history.count else {
            session.output.writeError("error: no history entry \(key); 'history' lists them\n")
            return nil
        }
        return history[index - 1].line
    }

    nonisolated(unsafe) static var atPrompt: Int32 = 0

    /// A shell started by a program that blocks SIGINT (a thread pool's spawn passes its mask on)
    /// would never see Ctrl-C: unblock it, so the handler below always runs.
    static func unblockInterrupt() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static func installInterruptHandler() {
        unblockInterrupt()
        signal(SIGPIPE, SIG_IGN)
        // A file-size limit (ulimit -f) reached while writing is an error sentence, not the end of the session.
        signal(SIGXFSZ, SIG_IGN)
        signal(SIGINT) { _ in
            if ShellApp.atPrompt != 0 {
                LineReader.resetLineAfterInterrupt()
            } else {
                Cancellation.flagAddress.pointee = 1
            }
        }
    }

    /// For non-interactive runs: Ctrl-C cancels the running command, which stops the script.
    public static func installBatchSignalHandlers() {
        unblockInterrupt()
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        signal(SIGINT) { _ in Cancellation.flagAddress.pointee = 1 }
    }

    public static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        return result
    }

    /// The folder holding the running executable (from /proc/self/exe, else argv[0]).
    static func executableFolder(_ argv0: String) -> String? {
        if let folder = FileSystem.executableFolder() { return folder }
        guard let slash = argv0.lastIndex(of: "/") else { return "." }
        return String(argv0[..<slash])
    }
}
