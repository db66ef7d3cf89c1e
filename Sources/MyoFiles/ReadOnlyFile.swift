#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// A file opened for reading at any offset (pread), kept open while something reads from it: the
/// samples of a recording that stay in their file. It is never opened for writing.
public final class ReadOnlyFile: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MyoError.file(path: path, reason: "cannot open (\(String(cString: strerror(errno))))") }
        descriptor = fd
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
    }

    deinit { close(descriptor) }

    /// Reads exactly `count` bytes at byte `offset`; a file that has since become shorter (or
    /// cannot be read) is one sentence with the offset.
    public func read(into bytes: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
        let (done, code) = FileSystem.read(from: descriptor, into: bytes, count: count, at: offset)
        guard done == count else {
            let reason = code == 0 ? "the file ends there; it was shortened after it was loaded" : String(cString: strerror(code))
            throw MyoError.badBytes(file: path, offset: offset + done, expected: "\(count - done) more bytes of samples", found: reason)
        }
    }
}
