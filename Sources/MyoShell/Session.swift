#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats
import MyoPlot
import MyoPluginAPI
import MyoProgress
import MyoQuality

/// The version printed by `--version` and recorded in provenance.
public let myoShellVersion = "0.1.0"

/// A shell session: workspace, command registry, settings and output. Runs command lines.
public final class Session: CommandContext {
    public var workspace = Workspace()
    public let registry = CommandRegistry()
    public let output: OutputSink
    public var plotter: Plotter?
    public var settings = Settings()
    /// Where a command that asks questions (review) reads its answers: the script's or stdin's next
    /// lines, or the terminal; nil when nothing can answer.
    public var answerSource: (() -> String?)?
    public var plugins = PluginCatalog()
    /// Lines entered, with whether they succeeded (for `history`); the first `sessionStart` came
    /// from earlier sessions' history file.
    public private(set) var history: [(line: String, succeeded: Bool)] = []
    public private(set) var sessionStart = 0
    /// The scripts `run` is running now, outermost first (real paths), to refuse recursion.
    var runningScripts: [String] = []
    /// The progress database once opened (Session+Progress.swift).
    var openStore: ProgressStore?
    /// The database opened on first use instead of the default path (tests and the fuzz harness
    /// give each session its own, never the user's).
    public var databasePath: String?
    var reliability: ReliabilityTable?
    var flagRules: FlagRules?

    /// Earlier sessions' lines (from the history file), so `history` and `!N` see what Up recalls.
    public func rememberEarlier(_ lines: [String]) {
        history = lines.map { ($0, true) } + history
        sessionStart += lines.count
    }

    /// This session's entries (what `history save` writes).
    public var sessionHistory: ArraySlice<(line: String, succeeded: Bool)> { history[sessionStart...] }
    public private(set) var quitRequested = false
    /// Character cells available for text plots.
    public var terminalSize: () -> (columns: Int, rows: Int) = { TerminalSize.current() }
    /// True when a display is available for plot windows.
    public var hasDisplay: Bool = getenv("DISPLAY").map { $0.pointee != 0 } ?? false

    public init(output: OutputSink, plotter: Plotter?) {
        self.output = output
        self.plotter = plotter
        Builtins.register(in: self)
    }

    public static let builtinOrigin = "myoshell \(myoShellVersion)"

    // MARK: CommandContext
    public func recording(named name: String) throws -> Recording {
        var recording = try workspace.recording(named: name)
        if materializesStores { recording.channels = try recording.channels.map { try $0.materialized() } }
        return recording
    }

    /// Set while a command that does not stream runs: the recordings it asks for come with their
    /// file-backed channels read into memory.
    private var materializesStores = false
    public var recordingNames: [String] { workspace.recordingNames }
    public func table(named name: String) throws -> ResultTable { try workspace.table(named: name) }

    public func loadRecording(path: String, name: String?) throws -> Recording {
        let result = try RecordingLoader.load(path: path, name: name ?? Builtins.defaultName(forPath: path))
        guard case .recording(var recording) = result.object else { throw MyoError.other("\(path) holds a table, not a recording") }
        _ = LoadScreen.apply(to: &recording, path: path)
        return recording
    }

    public func expandPaths(_ pattern: String) throws -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
        let matches = FileSystem.glob(pattern)
        guard !matches.isEmpty else { throw MyoError.file(path: pattern, reason: "matches no file") }
        return matches
    }

    public func requestQuit() { quitRequested = true }

    /// The script being recorded by `record start`, if any.
    public internal(set) var recorder: ScriptRecorder?

    /// Everything the session prints goes through here, so a recording sees it too.
    func emit(_ text: String) {
        output.write(text)
        recorder?.capture(text)
    }

    func emitError(_ text: String) {
        output.writeError(text)
        recorder?.capture(text)
    }

    /// What the audit log notes about the current top-level line.
    private var auditOrigins: [String] = []
    private var auditFiles: [String] = []

    /// How deep in `run` the session is: lines a script runs are not history of their own (the
    /// `run` line is).
    private var depth = 0

    /// Runs every command of `line` in order; the first error stops the line and is thrown.
    /// The workspace keeps what earlier commands produced; a failing command changes nothing.
    public func execute(_ line: String) throws {
        let topLevel = depth == 0
        if topLevel { auditOrigins = []; auditFiles = [] }
        let auditAtStart = settings.audit
        depth += 1
        defer {
            depth -= 1
            if topLevel, let path = auditAtStart ?? settings.audit {
                let succeeded = history.last?.line == line && history.last?.succeeded == true
                do { try AuditLog.append(to: path, line: line, succeeded: succeeded, origins: auditOrigins, files: auditFiles) } catch { output.writeError("warning: \(error)\n") }
            }
        }
        let commands: [[Token]]
        do {
            commands = try Tokenizer.commands(in: line)
        } catch {
            if topLevel { history.append((line, false)) }
            throw error
        }
        do {
            for tokens in commands {
                if quitRequested { break }
                try run(tokens)
            }
            if topLevel, !commands.isEmpty {
                history.append((line, true))
                try recorder?.commit(recorder.map { ScriptPaths.rebase(line, from: ScriptPaths.workingFolder(), to: $0.folder, registry: registry) } ?? line, succeeded: true, error: nil)
            }
        } catch {
            if topLevel {
                history.append((line, false))
                try? recorder?.commit(recorder.map { ScriptPaths.rebase(line, from: ScriptPaths.workingFolder(), to: $0.folder, registry: registry) } ?? line, succeeded: false, error: "\(error)")
            }
            throw error
        }
    }

    /// Runs `line`, printing any error as `error: ...` on stderr. Returns true on success.
    @discardableResult
    public func executeReportingErrors(_ line: String) -> Bool {
        do {
            try execute(line)
            return true
        } catch {
            output.writeError("error: \(error)\n")  // already in a recording (execute put it there)
            return false
        }
    }

    private func run(_ tokens: [Token]) throws {
        guard let registered = registry.resolve(tokens.map(\.text)) else { throw registry.unknownCommandError(tokens[0].text) }
        if !auditOrigins.contains(registered.origin) { auditOrigins.append(registered.origin) }
        let parsed = try ParsedCommand(tokens: tokens, spec: registered.spec)
        var values = try ArgumentBinder.bind(parsed, spec: registered.spec, workspace: workspace)
        if !registered.spec.streams {
            for (key, value) in values {
                if case .signals(let refs, let text) = value, refs.contains(where: \.channel.isFileBacked) {
                    values[key] = .signals(try refs.map { var ref = $0; ref.channel = try ref.channel.materialized(); return ref }, text: text)
                }
            }
        }
        materializesStores = !registered.spec.streams
        defer { materializesStores = false }
        let invocation = Invocation(spec: registered.spec, values: values, outputName: parsed.outputName, destination: parsed.destination, context: self)
        if settings.audit != nil {
            for value in values.values { if case .path(let path) = value, let absolute = FileSystem.absolutePath(path) { auditFiles.append(absolute) } }
        }
        let flagged = badChannels(in: values)
        if !flagged.isEmpty, settings.quality == .strict, !registered.spec.gradesQuality {
            throw MyoError.other("refusing \(flagged.map { "\($0.0) (graded bad: \($0.1))" }.joined(separator: ", ")) under set quality strict; use other channels, or set quality lenient")
        }
        Cancellation.reset()
        let started = ContinuousClock.now
        defer {
            // Straight to stderr: a time is never part of a result or a recording.
            if settings.timing {
                let elapsed = (ContinuousClock.now - started).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
                output.writeTiming("time: \(registered.spec.name) \(NumberFormat.fixed(seconds, decimals: 3)) s\n")
            }
        }
        let progress = CommandProgress(command: registered.spec.name)
        let ran = Result { try registered.command.run(invocation) }
        progress?.stop()
        var outputs = try ran.get()
        if !flagged.isEmpty, !registered.spec.gradesQuality {
            outputs.append(.warning("results include channels graded bad: " + flagged.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")))
        }
        try Cancellation.check()
        let step = ProvenanceStep(command: registered.spec.name, origin: registered.origin, parameters: invocation.resolvedParameters)
        try handle(outputs, invocation: invocation, step: step)
    }

    private func handle(_ outputs: [CommandOutput], invocation: Invocation, step: ProvenanceStep) throws {
        var tableCount = 0
        var tableBase: String?
        for result in outputs {
            switch result {
            case .message(let text):
                emit(settings.output == .json ? ResultRenderer.json(message: text, kind: "message") : text + "\n")
            case .warning(let text):
                emitError("warning: \(text)\n")
            case .table(var table):
                // Only commands that accept `as NAME` keep their tables (with provenance); the
                // header shows the name.
                var name: String?
                if invocation.spec.acceptsOutputName {
                    table.provenance = inherited(table.provenance, invocation).appending(step)
                    tableCount += 1
                    // One base name per command: its second table is BASE_2, and so on.
                    let base = tableBase ?? invocation.outputName ?? workspace.nextName(for: invocation.spec.name)
                    tableBase = base
                    let kept = tableCount == 1 ? base : "\(base)_\(tableCount)"
                    workspace.store(table, as: kept)
                    name = kept
                }
                emit(settings.output == .json ? ResultRenderer.json(table, name: name) : ResultRenderer.text(table, name: name))
            case .replacedTable(var table, let name):
                table.provenance = table.provenance.appending(step)
                workspace.store(table, as: name)
                emit(settings.output == .json ? ResultRenderer.json(table, name: name) : ResultRenderer.text(table, name: name))
            case .recording(var recording):
                recording.provenance = recording.provenance.appending(step)
                workspace.store(recording)
                emit(settings.output == .json ? ResultRenderer.json(recording: recording) : "\(recording.name): \(recording.summary)\n")
            case .plot(let request):
                try plot(request)
            }
        }
    }

    /// Selected channels that a recording marks bad, with the reasons, in selection order.
    private func badChannels(in values: [String: ArgumentValue]) -> [(String, String)] {
        var found: [(String, String)] = []
        for value in values.values {
            if case .name(let name) = value, let recording = workspace.recordings[name] {
                for (channel, reason) in recording.badChannels.sorted(by: { $0.key < $1.key }) where !found.contains(where: { $0.0 == "\(name).\(channel)" }) {
                    found.append(("\(name).\(channel)", reason))
                }
            }
            guard case .signals(let refs, _) = value else { continue }
            for ref in refs {
                if let reason = workspace.recordings[ref.recordingName]?.badChannels[ref.channel.name], !found.contains(where: { $0.0 == ref.qualifiedName }) {
                    found.append((ref.qualifiedName, reason))
                }
            }
        }
        return found
    }

    /// A table made from a recording starts from that recording's history (input file, earlier
    /// steps), unless the command already gave it one.
    private func inherited(_ provenance: Provenance, _ invocation: Invocation) -> Provenance {
        guard provenance.sourceFile == nil else { return provenance }
        let source: String? = invocation.spec.arguments.lazy.compactMap { argument -> String? in
            switch invocation.values[argument.name] {
            case .signals(let refs, _)?: return refs.first?.recordingName
            case .name(let name)? where argument.type == .recording: return name
            default: return nil
            }
        }.first
        guard let source, let recording = workspace.recordings[source] else { return provenance }
        var combined = recording.provenance
        combined.steps += provenance.steps
        return combined
    }

    func plot(_ request: PlotRequest) throws {
        guard let plotter else { throw MyoError.other(GnuplotPlotter.installHint) }
        let target: PlotTarget
        if let path = request.outputPath {
            target = .file(path: path)
        } else if settings.plotTerminal == .window || (settings.plotTerminal == .auto && hasDisplay) {
            target = .window
        } else {
            let size = terminalSize()
            target = .terminal(columns: size.columns, rows: max(size.rows - 2, 12))
        }
        let text = try plotter.render(request, target: target)
        // In JSON mode every stdout line is one JSON object: a terminal plot travels as one.
        if let text { emit(settings.output == .json ? ResultRenderer.json(message: text, kind: "plot") : text) }
        if let path = request.outputPath {
            let stem = path.lastIndex(of: ".").map { String(path[..<$0]) } ?? path
            emit(settings.output == .json
                ? ResultRenderer.json(message: "wrote \(path)", kind: "message")
                : "wrote \(path) (gnuplot script \(stem).gp, data \(stem).dat)\n")
        }
    }
}

/// The size of the controlling terminal, from the kernel, $COLUMNS/$LINES, or 80 x 24.
public enum TerminalSize {
    public static func current() -> (columns: Int, rows: Int) {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
            return (Int(size.ws_col), Int(size.ws_row))
        }
        let columns = getenv("COLUMNS").flatMap { Int(String(cString: $0)) } ?? 80
        let rows = getenv("LINES").flatMap { Int(String(cString: $0)) } ?? 24
        return (columns, rows)
    }
}
