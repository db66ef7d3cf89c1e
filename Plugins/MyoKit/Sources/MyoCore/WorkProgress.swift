/// How far the running command has got, process-wide (like `Cancellation`): long loops say how
/// much work they expect and report what they have done, in any unit of their own (samples
/// through a pass); the shell polls `fraction` and draws a progress bar on a terminal.
public enum WorkProgress {
    private static let state = Locked((done: 0.0, total: 0.0))

    /// Adds `units` to the work expected.
    public static func expect(_ units: Int) { state.withLock { $0.total += Double(units) } }
    /// Adds `units` to the work done.
    public static func advance(_ units: Int) { state.withLock { $0.done += Double(units) } }
    /// Starts a new command's count.
    public static func reset() { state.withLock { $0 = (0, 0) } }
    /// Done over expected (at most 1), or nil when nothing declared any work.
    public static var fraction: Double? {
        state.withLock { $0.total > 0 ? min($0.done / $0.total, 1) : nil }
    }
}
