#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// The words of `live`'s view: one summary line a second when standard output is not a
/// terminal (scripts, tests, logs), a full-screen picture when it is.
public enum LiveView {
    /// `t 2.0 s | ES_L 0.052 mV ES_R 0.047 mV | SI ES -9.8 % | EMG 2000/2000 Hz, 0 lost, 3 ms`
    public static func summaryLine(_ model: LiveModel) -> String {
        var parts = ["t \(NumberFormat.fixed(model.elapsed, decimals: 1)) s"]
        if !model.bars.isEmpty {
            parts.append(model.bars.map { "\($0.name) \(NumberFormat.significant($0.value, digits: 3)) \($0.unit)\($0.inTarget ? " *" : "")" }.joined(separator: " "))
        }
        if !model.balance.isEmpty { parts.append(model.balance.map { "SI \($0.muscle) \(NumberFormat.significant($0.si, digits: 3)) %" }.joined(separator: " ")) }
        if let reps = model.repetitions { parts.append("reps \(reps)" + (model.angle.map { ", \(NumberFormat.fixed($0, decimals: 1)) deg from rest" } ?? ", finding rest")) }
        parts.append(model.health.map(health).joined(separator: "; "))
        return parts.joined(separator: " | ")
    }

    static func health(_ h: LiveModel.Health) -> String {
        "\(h.name) \(NumberFormat.significant(h.receivedHz, digits: 4))/\(NumberFormat.significant(h.nominalHz, digits: 4)) Hz, \(h.dropped) lost"
            + (h.latencyMs.isFinite ? ", \(NumberFormat.significant(h.latencyMs, digits: 2)) ms" : "") + (h.lost ? ", STREAM LOST" : "")
    }

    /// The full-screen picture as lines of at most `columns` characters: a bar a channel with the
    /// target band, a balance bar a pair, time in target, stream health, the keys.
    public static func screen(_ model: LiveModel, columns: Int, rows: Int) -> [String] {
        let width = max(10, columns - 34)
        let top = max(model.target.map { $0.1 * 1.5 } ?? 0, model.bars.map(\.value).max() ?? 0, model.bars.first?.unit == "%MVC" ? 100 : 1e-12)
        func position(_ value: Double) -> Int { min(width, max(0, Int((value / top * Double(width)).rounded()))) }
        var lines = ["MyoShell live   t \(NumberFormat.fixed(model.elapsed, decimals: 1)) s   envelope delay \(NumberFormat.significant(model.delayMs, digits: 3)) ms   events \(model.events)"]
        lines.append("")
        for bar in model.bars {
            var cells = Array(repeating: Character(" "), count: width + 1)
            for i in 0..<position(bar.value) { cells[i] = bar.inTarget ? "=" : "#" }
            if let (low, high) = model.target { cells[position(low)] = "["; cells[position(high)] = "]" }
            let label = bar.name.padding(toLength: 8, withPad: " ", startingAt: 0).prefix(8)
            let number = "\(NumberFormat.significant(bar.value, digits: 3)) \(bar.unit)".padding(toLength: 12, withPad: " ", startingAt: 0)
            let held = model.target == nil ? "" : " \(NumberFormat.fixed(bar.secondsInTarget, decimals: 1)) s"
            lines.append("\(label) |\(String(cells))| \(number)\(held)")
        }
        if !model.balance.isEmpty { lines.append("") }
        for pair in model.balance {
            // Centre is balance; each side of it spans SI 0..100 %.
            let half = width / 2
            var cells = Array(repeating: Character("-"), count: 2 * half + 1)
            cells[half] = "|"
            let offset = Int((max(-100, min(100, pair.si)) / 100 * Double(half)).rounded())
            cells[half + offset] = "O"
            lines.append("\(pair.muscle.padding(toLength: 8, withPad: " ", startingAt: 0).prefix(8)) L\(String(cells))R SI \(NumberFormat.significant(pair.si, digits: 3)) %")
        }
        if let reps = model.repetitions {
            lines.append("")
            lines.append("repetitions \(reps)   inclination " + (model.angle.map { "\(NumberFormat.fixed($0, decimals: 1)) deg from rest" } ?? "(finding rest: hold still)"))
        }
        lines.append("")
        for h in model.health { lines.append("stream " + health(h)) }
        lines.append("")
        lines.append("space: mark an event   q: stop")
        return lines.prefix(max(1, rows - 1)).map { String($0.prefix(columns)) }
    }
}

/// The terminal while `live` runs: the alternate screen (the shell's screen comes back after),
/// keys read without echo or line buffering, the picture redrawn in place without clearing (no
/// flicker), sized to the terminal at each redraw.
public final class LiveTerminal {
    private var saved = termios()
    private var active = false

    public static var isAvailable: Bool { isatty(0) != 0 && isatty(1) != 0 }

    public init() {
        guard tcgetattr(0, &saved) == 0 else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        tcsetattr(0, TCSANOW, &raw)
        active = true
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
    }

    /// Restores the terminal: the shell's screen, the cursor, line editing.
    public func close() {
        guard active else { return }
        active = false
        write("\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(0, TCSANOW, &saved)
    }

    deinit { close() }

    /// Keys typed since the last call.
    public func keys() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        var poller = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        while poll(&poller, 1, 0) > 0 {
            let n = read(0, &buffer, buffer.count)
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }

    public func draw(_ model: LiveModel) {
        var size = winsize()
        let (columns, rows) = ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? (Int(size.ws_col), Int(size.ws_row)) : (80, 24)
        let lines = LiveView.screen(model, columns: columns, rows: rows)
        write("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J" + (model.cue ? "\u{07}" : ""))
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { if errno == EINTR { continue }; break }
            done += n
        }
    }
}
