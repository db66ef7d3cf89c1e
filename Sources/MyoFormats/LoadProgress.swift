/// How far a reader has got through its file, for a progress bar. Readers call `report` from
/// their main loops (at most every 65536 rows or frames); the shell installs a handler only when
/// standard error is a terminal, so scripts and tests print nothing.
public enum LoadProgress {
    nonisolated(unsafe) public static var handler: ((Double) -> Void)?

    @inline(__always)
    static func report(_ done: Int, of total: Int) {
        if let handler, total > 0 { handler(min(Double(done) / Double(total), 1)) }
    }
}
