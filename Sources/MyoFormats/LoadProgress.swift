import Synchronization

/// How far a reader has got through its file, for a progress bar. Readers call `report` from
/// their main loops (at most every 65536 rows or frames); the shell installs a handler only when
/// standard error is a terminal, so scripts and tests print nothing.
public enum LoadProgress {
    nonisolated(unsafe) public static var handler: ((Double) -> Void)?
    /// Workers of one reader may report at the same time; the handler sees one call at a time.
    private static let serial = Mutex(())

    @inline(__always)
    static func report(_ done: Int, of total: Int) {
        guard handler != nil, total > 0 else { return }
        serial.withLock { _ in handler?(min(Double(done) / Double(total), 1)) }
    }

    /// Bytes done by several workers on one file: each adds what it finished since it last did.
    final class Shared: Sendable {
        private let done: Atomic<Int>
        private let total: Int

        /// `start` bytes (a header, say) count as done from the outset.
        init(start: Int, total: Int) {
            done = Atomic(start)
            self.total = total
        }

        func add(_ bytes: Int) {
            report(done.add(bytes, ordering: .relaxed).newValue, of: total)
        }
    }
}
