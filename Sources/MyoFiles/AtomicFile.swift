#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// Writes files atomically: into a temporary file in the same folder, then `rename` over the
/// target, so a reader never sees half a file and a failed write leaves the old file intact.
public enum AtomicFile {
    /// Writes `bytes` to `path`, creating missing parent folders.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { handle in
            try bytes.withUnsafeBufferPointer { try handle.write($0) }
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Streams into a temporary file through `body`, then renames it to `path`.
    public static func write(to path: String, _ body: (FileSink) throws -> Void) throws {
        try SourceGuard.check(path)
        try requireRegularOrAbsent(path)
        try createParentFolders(of: path)
        removeStaleTemporaries(for: path)
        let temporary = temporaryPath(for: path)
        guard let file = fopen(temporary, "wb") else {
            throw MyoError.file(path: path, reason: "cannot be written (\(String(cString: strerror(errno))))")
        }
        let sink = FileSink(file: file, path: path)
        do {
            try body(sink)
            try sink.flush()
        } catch {
            fclose(file)
            unlink(temporary)
            throw error
        }
        guard fclose(file) == 0 else {
            unlink(temporary)
            throw MyoError.file(path: path, reason: "could not be completed (\(String(cString: strerror(errno))))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw MyoError.file(path: path, reason: "could not be put in place (\(reason))")
        }
    }

    /// Refuses a target that exists and is not a regular file: a rename would put a file in the
    /// place of a device (/dev/null), a FIFO, a socket or a link's target folder.
    public static func requireRegularOrAbsent(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK:
            var target = stat()
            if stat(path, &target) == 0, target.st_mode & S_IFMT == S_IFREG { return }
            kind = "a link to something that is not a regular file"
        case S_IFDIR: kind = "a folder"
        case S_IFCHR, S_IFBLK: kind = "a device"
        case S_IFIFO: kind = "a FIFO"
        case S_IFSOCK: kind = "a socket"
        default: kind = "not a regular file"
        }
        throw MyoError.file(path: path, reason: "is \(kind); MyoShell writes only regular files, so nothing was written")
    }

    /// `dir/.name.tmp-PID` beside the target, so the rename stays within one file system.
    public static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(folder).\(name).tmp-\(getpid())"
    }

    /// Removes temporary files of earlier writes of `path` whose process is gone (`kill -9`, a
    /// power cut): `.name.tmp-PID` with no process PID. A live process's file is left alone.
    public static func removeStaleTemporaries(for path: String) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let prefix = ".\(name).tmp-"
        for entry in FileSystem.entries(of: folder) where entry.hasPrefix(prefix) {
            guard let pid = pid_t(entry.dropFirst(prefix.count)), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { unlink(folder + "/" + entry) }
        }
    }

    /// Creates a missing parent folder when it lies inside the working folder (a relative path
    /// without `..`, or an absolute one under the working folder); elsewhere a missing folder is
    /// an error, so a typo such as `/nonexistent/x.csv` does not create folders across the disk.
    /// `anywhere` lifts that for MyoShell's own files (the history file).
    public static func createParentFolders(of path: String, anywhere: Bool = false) throws {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let folder = String(path[..<slash])
        if FileSystem.exists(folder) { return }
        if !anywhere, !isInsideWorkingFolder(folder) {
            throw MyoError.file(path: path, reason: "its folder \(folder) does not exist; MyoShell creates missing folders only inside the working folder, so create it first")
        }
        try FileSystem.createFolders(folder)
    }

    static func isInsideWorkingFolder(_ folder: String) -> Bool {
        if !folder.hasPrefix("/") { return !folder.split(separator: "/").contains("..") }
        guard let cwd = FileSystem.workingFolder() else { return false }
        return (folder + "/").hasPrefix(cwd + "/") && !folder.split(separator: "/").contains("..")
    }
}

/// A buffered output file used by `AtomicFile.write(to:_:)`.
public final class FileSink {
    let file: UnsafeMutablePointer<FILE>
    let path: String
    private var buffer: [UInt8] = []

    init(file: UnsafeMutablePointer<FILE>, path: String) {
        self.file = file
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try flush()
        guard bytes.count == 0 || fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count else {
            throw MyoError.file(path: path, reason: "could not be written (\(String(cString: strerror(errno))))")
        }
    }

    public func append(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else {
            throw MyoError.file(path: path, reason: "could not be written (\(String(cString: strerror(errno))))")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
