#if canImport(Glibc)
import Glibc
#endif
import CGnuplot
import MyoCore
import MyoFormats

/// Draws with a real gnuplot process, through the gnuplot-iostream bridge.
///
/// Data always goes to gnuplot as a binary float32 file, never as text through the pipe.
/// gnuplot's standard output goes to /dev/null (dumb-terminal plots are written to a file and
/// read back), so no pipe is ever left unread; its standard error goes to a file that is read
/// for error messages.
public final class GnuplotPlotter: Plotter {
    public let executable: String

    /// nil when gnuplot is not on PATH.
    public init?() {
        guard let found = ExecutableSearch.find("gnuplot") else { return nil }
        executable = found
    }

    public static let installHint = "gnuplot is not installed, so nothing can be plotted; install it with: apt-get install gnuplot-nox (everything else keeps working)"

    public func render(_ request: PlotRequest, target: PlotTarget) throws -> String? {
        switch target {
        case .file(let path):
            try renderFile(request, path: path, target: target)
            return nil
        case .terminal, .window:
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let outputName: String? = target == .window ? nil : "plot.txt"
            let script = GnuplotScript(request: request, target: target, dataFileName: "plot.dat", outputFileName: outputName)
            try AtomicFile.write(script.data, to: folder.path + "/plot.dat")
            try run(script.text, in: folder.path, persist: target == .window)
            guard outputName != nil else { return nil }
            guard let text = FileSystem.readText(folder.path + "/plot.txt") else {
                throw MyoError.other("gnuplot wrote no text plot; is its dumb terminal available?")
            }
            // The dumb terminal starts each page with a form feed: a page break, not part of the picture.
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                var trimmed = Substring(line.filter { $0 != "\u{0C}" })
                while trimmed.last == " " { trimmed = trimmed.dropLast() }
                return String(trimmed)
            }.joined(separator: "\n").trimmingTrailingNewlines() + "\n"
        }
    }

    /// Writes FILE (atomically), FILE's script (`.gp`) and data (`.dat`) beside it.
    private func renderFile(_ request: PlotRequest, path: String, target: PlotTarget) throws {
        let (folder, base) = Self.split(path)
        let stem = base.contains(".") ? String(base[..<base.lastIndex(of: ".")!]) : base
        // The picture and its side files are checked like any output: none may be a loaded recording's file.
        for file in [path, folder + "/" + stem + ".dat", folder + "/" + stem + ".gp"] { try SourceGuard.check(file) }
        let script = GnuplotScript(request: request, target: target, dataFileName: stem + ".dat", outputFileName: base)
        try AtomicFile.write(script.data, to: folder + "/" + stem + ".dat")
        try AtomicFile.write("# MyoShell figure; regenerate it with: gnuplot \(stem).gp (run in this folder)\n" + script.text, to: folder + "/" + stem + ".gp")
        // Render into a temporary name, then rename over the target.
        AtomicFile.removeStaleTemporaries(for: path)
        let temporaryName = ".\(base).tmp-\(getpid())"
        var runScript = script
        runScript.terminalLines = runScript.terminalLines.filter { !$0.hasPrefix("set output") } + ["set output \(GnuplotScript.quoted(temporaryName))"]
        do {
            try run(runScript.text, in: folder, persist: false)
            try Self.checkComplete(folder + "/" + temporaryName, shownAs: path)
        } catch {
            unlink(folder + "/" + temporaryName)
            throw error
        }
        guard rename(folder + "/" + temporaryName, path) == 0 else {
            throw MyoError.file(path: path, reason: "could not be put in place (\(String(cString: strerror(errno))))")
        }
    }

    private func run(_ script: String, in folder: String, persist: Bool) throws {
        let errorFolder = try TemporaryFolder()
        defer { errorFolder.remove() }
        let errorFile = errorFolder.path + "/gnuplot.err"
        let statusFile = errorFolder.path + "/gnuplot.status"
        // gnuplot's own exit status is kept in a file (the pipe's close reports only the shell's).
        let command = "cd \(Self.shellQuoted(folder)) && \(Self.shellQuoted(executable))\(persist ? " -persist" : "") >/dev/null 2>\(Self.shellQuoted(errorFile)); echo $? >\(Self.shellQuoted(statusFile))"
        var message = [CChar](repeating: 0, count: 512)
        let status = myo_gnuplot_run(command, script, &message, message.count)
        let stderrText = FileSystem.readText(errorFile) ?? ""
        let firstError = stderrText.split(separator: "\n").map { $0.trimmingCharacters() }.first { !$0.isEmpty && $0 != "^" }
        if status != 0 { throw MyoError.other(String(cString: message)) }
        if let firstError { throw MyoError.other("gnuplot refused the plot: \(firstError)") }
        let exitStatus = (FileSystem.readText(statusFile) ?? "").split(separator: "\n").first.flatMap { Int($0) } ?? -1
        guard exitStatus == 0 else {
            throw MyoError.other(exitStatus > 128 ? "gnuplot was stopped by signal \(exitStatus - 128) before it finished the plot"
                                 : exitStatus < 0 ? "gnuplot did not report how it ended; the plot may be incomplete" : "gnuplot failed (exit status \(exitStatus))")
        }
    }

    /// A picture gnuplot left unfinished (a full disk, a killed gnuplot) is not put in place: the
    /// file must exist, and PNG, SVG, PDF and EPS files must end the way their format ends.
    public static func checkComplete(_ file: String, shownAs path: String) throws {
        guard let (size, _) = FileSystem.sizeAndModification(file), size > 0 else {
            throw MyoError.file(path: path, reason: "was not written: gnuplot produced no picture (is the disk full?)")
        }
        let lower = path.lowercased()
        let ending: [UInt8]? = lower.hasSuffix(".png") ? [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]   // the IEND chunk
            : lower.hasSuffix(".svg") ? Array("</svg>".utf8)
            : lower.hasSuffix(".pdf") || lower.hasSuffix(".eps") ? Array("%%EOF".utf8) : nil
        guard let ending else { return }
        let mapped = try MappedFile(path: file)
        let tail = Array(mapped.bytes.suffix(64))
        let found = tail.count >= ending.count && (0...(tail.count - ending.count)).contains { Array(tail[$0..<$0 + ending.count]) == ending }
        guard found else {
            throw MyoError.file(path: path, reason: "was not written: gnuplot stopped before the end of the picture (\(size) bytes; is the disk full?)")
        }
    }

    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences("'", with: "'\\''") + "'" }

}

/// A private folder under $TMPDIR (or /tmp), removed with its files by `remove()`.
final class TemporaryFolder {
    let path: String
    init() throws {
        var template = Array(((getenvString("TMPDIR") ?? "/tmp") + "/myoshell-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { throw MyoError.file(path: "/tmp", reason: "no temporary folder can be made") }
        path = String(cString: template)
    }
    func remove() {
        for name in FileSystem.entries(of: path) { unlink(path + "/" + name) }
        rmdir(path)
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return String(slice)
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var slice = Substring(self)
        while slice.last == "\n" { slice = slice.dropLast() }
        return String(slice)
    }
}
