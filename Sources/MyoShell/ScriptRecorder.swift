import MyoFormats

/// `record start FILE.myo`: the commands entered from now on, each followed by its output as `# `
/// comments (the IPython log idea), so the file is a runnable script that also shows what came
/// out. Failed commands are kept as comments. The file is rewritten atomically after every
/// command, so it is complete even if the session ends without `record stop`.
public final class ScriptRecorder {
    public let path: String
    /// The script's folder, absolute: recorded paths are rebased to it (ScriptPaths).
    public let folder: String
    private var lines: [String]
    private var pending = ""

    init(path: String) {
        self.path = path
        folder = ScriptPaths.folder(ofScript: path)
        lines = ["# MyoShell \(myoShellVersion) recording (record start); outputs are kept as comments"]
    }

    func capture(_ text: String) { pending += text }

    func commit(_ line: String, succeeded: Bool, error: String?) throws {
        let words = line.split(separator: " ")
        defer { pending = "" }
        if words.first == "record" { return }  // record start/stop are not part of the script
        lines.append(succeeded ? line : "# failed: " + line)
        var output = pending.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if output.last == "" { output.removeLast() }
        lines += output.map { $0.isEmpty ? "#" : "# " + $0 }
        if let error { lines.append("# error: " + error) }
        try write()
    }

    func write() throws {
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: path)
    }
}
