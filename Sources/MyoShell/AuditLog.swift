#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats

/// `set audit FILE`: an append-only log of every command line, for clinics that need a trail:
/// UTC time, MyoShell's version, the origins (plugin ids and versions) of the commands, the
/// outcome, the line, and the SHA-256 of every existing file the line names. The one place where
/// MyoShell writes times: it is opt-in and never part of results.
enum AuditLog {
    static func append(to path: String, line: String, succeeded: Bool, origins: [String], files: [String]) throws {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        let hashes = files.compactMap { path in (try? SHA256.ofFile(path)).map { "\(path) sha256:\($0)" } }
        let fields = [String(cString: buffer), "myoshell \(myoShellVersion)", origins.isEmpty ? "-" : origins.joined(separator: ", "),
                      succeeded ? "ok" : "failed", line, hashes.isEmpty ? "-" : hashes.joined(separator: "; ")]
        let text = fields.map { String($0.map { $0 == "\t" || $0 == "\n" ? " " : $0 }) }.joined(separator: "\t") + "\n"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw MyoError.file(path: path, reason: "cannot be opened for the audit log (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        _ = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
    }
}
