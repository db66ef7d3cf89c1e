/// The process-wide interrupt flag: set by the shell's SIGINT handler, polled by long loops.
///
/// It lives in MyoKit so the host and every plugin see the same flag. Reading and writing a
/// 32-bit word is atomic on the platforms MyoShell supports; the handler only ever stores 1.
public enum Cancellation {
    nonisolated(unsafe) private static let flag: UnsafeMutablePointer<Int32> = {
        let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return pointer
    }()

    /// Address of the flag, for a signal handler to store 1 into.
    public static var flagAddress: UnsafeMutablePointer<Int32> { flag }

    public static var isRequested: Bool { flag.pointee != 0 }
    public static func request() { flag.pointee = 1 }
    public static func reset() { flag.pointee = 0 }

    /// Throws `MyoError.cancelled` when an interrupt arrived since the command started.
    public static func check() throws {
        if flag.pointee != 0 { throw MyoError.cancelled }
    }
}
