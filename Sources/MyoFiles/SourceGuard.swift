#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MyoCore

/// The files loaded as recordings in this process, with their companion files (a WFDB record's
/// signal files), known by device and inode: every write MyoShell makes (AtomicFile, the plotter's
/// picture) asks here first, so a source is never overwritten whatever the spelling of its path
/// (`x.csv`, `./x.csv`, `sub/../x.csv`, an absolute path, a symbolic link).
public enum SourceGuard {
    private static let lock = NSLock()
    /// device:inode -> (the source the user loaded, whether this file is that source itself).
    nonisolated(unsafe) private static var protected: [String: (source: String, isSource: Bool)] = [:]

    private static func key(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return "\(info.st_dev):\(info.st_ino)"
    }

    /// Protects `paths` (those that exist) as the files of the recording loaded from `source`.
    public static func protect(_ paths: [String], source: String) {
        lock.lock(); defer { lock.unlock() }
        for path in paths { if let key = key(path) { protected[key] = (source, path == source) } }
    }

    /// Throws when `path` names a protected file.
    public static func check(_ path: String) throws {
        guard let key = key(path) else { return }
        lock.lock(); let source = protected[key]; lock.unlock()
        guard let source else { return }
        let what = source.isSource ? "was loaded as a recording" : "belongs to the recording loaded from \(source.source)"
        throw MyoError.file(path: path, reason: "\(what) and is never overwritten; choose another file name")
    }
}
