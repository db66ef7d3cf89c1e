#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on standard error (`loading FILE [#####.....]  45%`), redrawn when
/// the whole percentage changes and erased when done. Used only when stderr is a terminal.
final class ProgressBar {
    private let label: String
    private var shown = -1

    init(label: String) { self.label = label }

    static var isAvailable: Bool { isatty(2) != 0 }

    func update(_ fraction: Double) {
        let percent = Int(fraction * 100)
        guard percent != shown else { return }
        shown = percent
        let width = 30, filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        fputs("\rloading \(label) [\(bar)] \(percent)%", stderr)
        fflush(stderr)
    }

    func finish() {
        if shown >= 0 { fputs("\r\u{1B}[K", stderr); fflush(stderr) }
    }
}
