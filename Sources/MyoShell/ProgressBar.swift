#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import MyoCore

/// A one-line progress bar on standard error (`loading FILE [#####.....]  45%`), redrawn when
/// the whole percentage changes and erased when done. Used only when stderr is a terminal.
final class ProgressBar {
    private let label: String
    private var shown = -1

    /// `loading LABEL [...]`, or `VERB LABEL [...]`.
    init(label: String, verb: String = "loading") { self.label = verb.isEmpty ? label : verb + " " + label }

    static var isAvailable: Bool { isatty(2) != 0 }

    func update(_ fraction: Double) {
        let percent = Int(fraction * 100)
        guard percent != shown else { return }
        shown = percent
        let width = 30, filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        fputs("\r\(label) [\(bar)] \(percent)%", stderr)
        fflush(stderr)
    }

    func finish() {
        if shown >= 0 { fputs("\r\u{1B}[K", stderr); fflush(stderr) }
    }
}

/// The bar of any command that reports `WorkProgress`: polled four times a second on its own
/// thread, shown from the first second on (quick commands draw nothing), erased when done.
final class CommandProgress: @unchecked Sendable {
    private let bar: ProgressBar
    private let stopped = Locked(false)
    private let finished = DispatchSemaphore(value: 0)

    init?(command: String) {
        guard ProgressBar.isAvailable else { return nil }
        bar = ProgressBar(label: command, verb: "")
        WorkProgress.reset()
        Thread.detachNewThread { [self] in
            var ticks = 0
            while !stopped.withLock({ $0 }) {
                usleep(250_000)
                ticks += 1
                if ticks >= 4, let fraction = WorkProgress.fraction { bar.update(fraction) }
            }
            bar.finish()
            finished.signal()
        }
    }

    func stop() {
        stopped.withLock { $0 = true }
        finished.wait()
    }
}
