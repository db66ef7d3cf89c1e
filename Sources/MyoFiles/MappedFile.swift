#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// A read-only memory map of a whole file; unmapped when released.
public final class MappedFile {
    public let path: String
    public let bytes: UnsafeBufferPointer<UInt8>
    private let base: UnsafeMutableRawPointer?
    private let length: Int

    /// Maps `path`; a missing or unreadable file is a `MyoError.file` naming it.
    public init(path: String) throws {
        self.path = path
        // Only regular files: opening a FIFO with no writer would block forever, and a device or
        // socket is no recording. Checked before open, which is where a FIFO blocks.
        var before = stat()
        if stat(path, &before) == 0 {
            let kind = before.st_mode & S_IFMT
            if kind == S_IFDIR { throw MyoError.file(path: path, reason: "is a folder, expected a file") }
            if kind != S_IFREG {
                let what = kind == S_IFIFO ? "a FIFO (named pipe)" : (kind == S_IFSOCK ? "a socket" : "a device")
                throw MyoError.file(path: path, reason: "is \(what), not a regular file; save the recording to a file first")
            }
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { throw MyoError.file(path: path, reason: "cannot open (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MyoError.file(path: path, reason: "cannot read its size") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw MyoError.file(path: path, reason: "is a folder, expected a file") }
        length = Int(info.st_size)
        if length == 0 {
            base = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else { throw MyoError.file(path: path, reason: "cannot be mapped into memory") }
        madvise(mapped, length, MADV_SEQUENTIAL)
        base = mapped
        bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// A function that drops byte ranges of the map from memory (they are read again from the
    /// file if touched later), for readers that stream through a large file once.
    public var pageReleaser: @Sendable (Range<Int>) -> Void {
        let address = UInt(bitPattern: base)
        let length = length
        return { range in
            guard address != 0, range.lowerBound >= 0, range.upperBound <= length, !range.isEmpty else { return }
            madvise(UnsafeMutableRawPointer(bitPattern: address + UInt(range.lowerBound)), range.count, MADV_DONTNEED)
        }
    }

    deinit {
        if let base { munmap(base, length) }
    }
}
