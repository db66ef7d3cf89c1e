#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MyoCore
import MyoFormats
import MyoPlot
import MyoShell

/// Runs inputs through one target: a private folder for the files, and a fresh session per input
/// (so an input's effect never depends on the inputs before it, and every crash replays alone).
public final class FuzzHarness {
    public let target: FuzzTarget
    /// The private folder holding the input file and the fixed files beside it.
    public let folder: String
    private let pluginFolder: String?
    private var fixtures = Workspace()
    /// Print each line run and what it printed (`MYOSHELL_FUZZ_VERBOSE=1`), to see what an input does.
    public var verbose = false

    /// `pluginFolder`: where the plugin libraries are (nil: builtins only); `sampleData`: the
    /// repository's sample-data folder, for the recordings the montage and command targets use.
    public init(target: FuzzTarget, pluginFolder: String?, sampleData: String) throws {
        self.target = target
        self.pluginFolder = pluginFolder
        for (key, value) in target.environment { setenv(key, value, 1) }
        var template = Array("\(FuzzFixtures.temporaryFolder)/myoshell-fuzz-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw MyoError.other("cannot make a fuzz folder: \(String(cString: strerror(errno)))") }
        folder = String(cString: made)
        try FuzzFixtures.writeSignalFile(to: folder + "/sig.dat")
        _ = mkdir(folder + "/templates", 0o755)
        switch target.kind {
        case .montage, .commandLine:
            let session = makeSession()
            for line in ["load \(sampleData)/reaction.csv as r", "crop r from=3s to=7s as r",
                         "load \(sampleData)/bridge-set.csv as b", "crop b from=2s to=9s as b", "stats r as t"] {
                try session.execute(line)
            }
            fixtures = session.workspace
        default:
            break
        }
    }

    /// Removes the private folder.
    public func remove() {
        for name in FileSystem.entries(of: folder + "/templates") { unlink(folder + "/templates/" + name) }
        rmdir(folder + "/templates")
        for name in FileSystem.entries(of: folder) { unlink(folder + "/" + name) }
        rmdir(folder)
    }

    /// Feeds one input through the target. Errors of commands are expected (most inputs are
    /// bad); what must never happen is a trap, a sanitizer report, a hang, or an error without
    /// a sentence, which stops the process here so the fuzzer keeps the input.
    public func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let session = makeSession()
        session.workspace = fixtures
        switch target.kind {
        case .recording(let file, let arguments):
            write(bytes, to: file)
            if execute("load \(folder)/\(file) \(arguments) as x", in: session) {
                // quality (spectra of every channel) only on small recordings, so a large real
                // file does not slow every execution down to a few per second.
                let samples = session.workspace.recordings["x"]?.channels.reduce(0) { $0 + $1.samples.count } ?? 0
                for line in ["info x", "stats x"] + (samples <= 200_000 ? ["quality x"] : []) { _ = execute(line, in: session) }
            }
        case .wfdbSignal:
            let headers = FuzzFixtures.wfdbHeaders
            let header = headers[Int(bytes.first ?? 0) % headers.count]
            write(UnsafeBufferPointer(rebasing: bytes.dropFirst()), to: "input-sig.dat")
            write(Array(header.utf8), to: "input.hea")
            if execute("load \(folder)/input.hea as x", in: session) {
                for line in ["info x", "stats x"] { _ = execute(line, in: session) }
            }
        case .montage:
            write(bytes, to: "input.yaml")
            if execute("montage r \(folder)/input.yaml", in: session) { _ = execute("info r", in: session) }
        case .template:
            write(bytes, to: "templates/input.json")
            _ = execute("exercises templates=\(folder)/templates", in: session)
            let text = String(decoding: bytes, as: UTF8.self)
            if let id = FuzzFixtures.templateID(in: text) {
                _ = execute("screen b exercise=\(CommandWord.word(id)) templates=\(folder)/templates", in: session)
            }
        case .commandLine:
            let line = String(decoding: bytes, as: UTF8.self)
            let previous = FileSystem.workingFolder() ?? "."
            guard chdir(folder) == 0 else { return }
            defer { _ = chdir(previous) }
            _ = execute(line, in: session)
        }
    }

    private func makeSession() -> Session {
        let session = Session(output: BufferOutput(), plotter: ScriptOnlyPlotter())
        // Progress commands write to a database of the fuzz run's own, never the user's.
        session.databasePath = NSTemporaryDirectory() + "myoshell-fuzz-\(getpid()).sqlite"
        session.hasDisplay = false
        session.terminalSize = { (80, 24) }
        if let pluginFolder { PluginLoader.loadAll(into: session, folders: [(pluginFolder, false)]) }
        return session
    }

    /// Runs `line`; a failure must come with a sentence a user can act on.
    private func execute(_ line: String, in session: Session) -> Bool {
        if verbose { print("myo> \(line)") }
        defer {
            if verbose, let output = session.output as? BufferOutput { print(output.text + output.errors, terminator: "") }
        }
        do {
            try session.execute(line)
            return true
        } catch {
            if verbose { print("error: \(error)") }
            let message = "\(error)"
            if message.trimmingCharacters(in: [" ", "\n"]).isEmpty || message.contains("Swift.") || message.hasPrefix("Error Domain") {
                fatalError("an error without a sentence for '\(line)': \(String(reflecting: error))")
            }
            return false
        }
    }

    /// Rewrites the input file in place. Not AtomicFile: the input is a loaded recording after the
    /// first run, and SourceGuard rightly refuses every write to it through the shell's path.
    private func write(_ bytes: UnsafeBufferPointer<UInt8>, to name: String) {
        let fd = open(folder + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { fatalError("cannot write the fuzz input \(folder)/\(name)") }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            guard written > 0 else { fatalError("cannot write the fuzz input \(folder)/\(name)") }
            offset += written
        }
        close(fd)
    }

    private func write(_ bytes: [UInt8], to name: String) {
        bytes.withUnsafeBufferPointer { write($0, to: name) }
    }
}

/// A plotter that builds the gnuplot script and data of every plot (so their code is fuzzed too)
/// without starting gnuplot.
final class ScriptOnlyPlotter: Plotter {
    func render(_ request: PlotRequest, target: PlotTarget) throws -> String? {
        let script = GnuplotScript(request: request, target: target, dataFileName: "plot.dat", outputFileName: "plot.png")
        _ = script.text.utf8.count + script.data.count
        switch target {
        case .file(let path): try SourceGuard.check(path); return nil
        case .terminal: return ""
        case .window: return nil
        }
    }
}

/// Quotes a word for a command line when it needs it.
enum CommandWord {
    static func word(_ text: String) -> String {
        text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) && !text.isEmpty ? text : "'" + text.filter { $0 != "'" } + "'"
    }
}
