#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// Small file-system helpers shared by the shell, the plotter and the readers.
public enum FileSystem {
    /// Writes all of `bytes` at `offset` of an open file (pwrite, retried when interrupted); a
    /// failure is one sentence naming `path` and what stays (`kept`).
    public static func write(_ bytes: [UInt8], to descriptor: Int32, at offset: Int, path: String, kept: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MyoError.file(path: path, reason: "could not be written (\(String(cString: strerror(errno)))); \(kept)")
            }
            done += n
        }
    }

    /// Reads up to `count` bytes at `offset` of an open file (pread, retried when interrupted):
    /// how many were read, stopping early at the end of the file (`errorCode` 0) or at a failed
    /// read (`errorCode` its errno).
    public static func read(from descriptor: Int32, into bytes: UnsafeMutableRawPointer, count: Int, at offset: Int) -> (done: Int, errorCode: Int32) {
        var done = 0
        while done < count {
            let got = pread(descriptor, bytes + done, count - done, off_t(offset + done))
            if got < 0, errno == EINTR { continue }
            if got < 0 { return (done, errno) }
            if got == 0 { break }
            done += got
        }
        return (done, 0)
    }

    /// The whole file as UTF-8 text, or nil when it cannot be read.
    public static func readText(_ path: String) -> String? {
        // A FIFO with no writer would block the open forever: regular files only.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        if ferror(file) != 0 { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    /// Names in a folder (without `.` and `..`), unsorted; empty when it cannot be read.
    public static func entries(of folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            // Read the name in place: glibc sizes each record to its name, so copying the whole
            // 256-byte d_name out of the struct reads past the end of the buffer (AddressSanitizer).
            let name = String(cString: UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `folder` and its missing parents.
    public static func createFolders(_ folder: String) throws {
        var current = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw MyoError.file(path: folder, reason: "cannot be created (\(String(cString: strerror(errno))))")
            }
        }
    }
}

extension FileSystem {
    /// The running executable's path, from /proc/self/exe; nil when that cannot be read.
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The folder holding the running executable; nil when /proc/self/exe cannot be read.
    public static func executableFolder() -> String? {
        executablePath().map { path in path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "." }
    }

    /// The absolute, symlink-free path of an existing file.
    public static func absolutePath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A file's size in bytes and modification time (s since 1970), or nil when it cannot be read.
    public static func sizeAndModification(_ path: String) -> (Int, Int)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int(info.st_size), Int(info.st_mtim.tv_sec))
    }

    /// The files a pattern with `*`, `?` and `[...]` matches, sorted (empty when none).
    public static func glob(_ pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard Glibc.glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// The working folder, absolute (nil when it cannot be read).
    public static func workingFolder() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        return getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : nil
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
