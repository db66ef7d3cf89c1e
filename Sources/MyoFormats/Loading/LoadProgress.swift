import MyoCore

/// How far one load has got through its file, for a progress bar. The shell makes one for a
/// load only when standard error is a terminal, so scripts and tests print nothing. Readers
/// report from their main loops (at most every 65536 rows or frames); the workers of one reader
/// may report at the same time: the handler sees one call at a time and a fraction that only grows.
public final class LoadProgress: Sendable {
    private struct State {
        var done = 0
        var shown = -1.0
    }

    private let handler: @Sendable (Double) -> Void
    private let state = Locked(State())

    public init(_ handler: @escaping @Sendable (Double) -> Void) {
        self.handler = handler
    }

    /// A reader working through its file in order has done `done` of `total` units.
    func reached(_ done: Int, of total: Int) {
        state.withLock { state in
            state.done = done
            show(&state, total)
        }
    }

    /// One of several workers on parts of a file finished `done` more of `total` units.
    func add(_ done: Int, of total: Int) {
        state.withLock { state in
            state.done += done
            show(&state, total)
        }
    }

    private func show(_ state: inout State, _ total: Int) {
        guard total > 0 else { return }
        let fraction = min(Double(state.done) / Double(total), 1)
        guard fraction > state.shown else { return }
        state.shown = fraction
        handler(fraction)
    }
}
