#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// A file in the scratch folder for results and intermediates larger than memory should hold.
/// It is unlinked as soon as it is opened, so it disappears when closed, at exit and after a
/// crash alike, and never shows as a finished file. The folder is $MYOSHELL_SCRATCH, else
/// $TMPDIR, else /tmp.
public final class ScratchFile: @unchecked Sendable {
    public let folder: String
    private let descriptor: Int32

    public static var folder: String {
        for key in ["MYOSHELL_SCRATCH", "TMPDIR"] {
            if let value = getenv(key), !String(cString: value).isEmpty { return String(cString: value) }
        }
        return "/tmp"
    }

    public init(folder: String = ScratchFile.folder) throws {
        self.folder = folder
        var template = Array((folder + "/myoshell-scratch-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw MyoError.file(path: folder, reason: "cannot make a scratch file there (\(String(cString: strerror(errno)))); set MYOSHELL_SCRATCH to a folder with space")
        }
        descriptor = fd
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit { close(descriptor) }

    /// Writes `count` bytes at byte `offset`; a full disk is one sentence that names the folder.
    public func write(_ bytes: UnsafeRawPointer, count: Int, at offset: Int) throws {
        var done = 0
        while done < count {
            let written = pwrite(descriptor, bytes + done, count - done, off_t(offset + done))
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                let code = written < 0 ? errno : 0
                let reason = code == ENOSPC || code == EDQUOT ? "the disk is full" : code == EFBIG ? "the file size limit (ulimit -f) is reached"
                    : (code != 0 ? String(cString: strerror(code)) : "nothing written")
                throw MyoError.file(path: folder, reason: "writing a scratch file failed at byte \(offset + done) (\(reason)); free space there or set MYOSHELL_SCRATCH to a folder with room")
            }
            done += written
        }
    }

    /// Reads `count` bytes at byte `offset`; bytes never written read as zero.
    public func read(into bytes: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
        let (done, code) = FileSystem.read(from: descriptor, into: bytes, count: count, at: offset)
        guard code == 0 else { throw MyoError.file(path: folder, reason: "reading a scratch file failed at byte \(offset + done) (\(String(cString: strerror(code))))") }
        if done < count { (bytes + done).initializeMemory(as: UInt8.self, repeating: 0, count: count - done) }
    }
}
