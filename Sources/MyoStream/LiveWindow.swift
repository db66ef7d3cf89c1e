import Foundation
import MyoCore

/// `live view=window`: the bars in a gnuplot window beside the terminal, for a lab with a display.
/// It needs a display ($DISPLAY or $WAYLAND_DISPLAY) and a gnuplot with a window terminal (qt, wxt
/// or x11: Debian's gnuplot-qt or gnuplot-x11; gnuplot-nox has none); without them it says so in
/// one sentence before anything starts. The picture is redrawn at most 5 times a second.
public final class LiveWindow {
    private let process: Process
    private let input: Pipe
    private var lastDraw = -1.0

    /// The window terminal this gnuplot offers, or a sentence saying why there is none.
    public static func windowTerminal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<String, MyoError> {
        guard !(environment["DISPLAY"] ?? "").isEmpty || !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty else {
            return .failure(.other("view=window needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set; the terminal view (the default) works everywhere"))
        }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["gnuplot", "-e", "set terminal"]
        let pipe = Pipe()
        probe.standardOutput = pipe
        probe.standardError = pipe
        do { try probe.run() } catch { return .failure(.other("view=window needs gnuplot, which could not be started (\(error))")) }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        probe.waitUntilExit()
        let offered = Set(text.split(separator: "\n").compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init) })
        guard let terminal = ["qt", "wxt", "x11"].first(where: offered.contains) else {
            return .failure(.other("view=window needs a gnuplot with a window terminal (qt, wxt or x11), and this one has none (Debian's gnuplot-nox); install gnuplot-qt, or use the terminal view"))
        }
        return .success(terminal)
    }

    public init(terminal: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gnuplot"]
        input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        send("set terminal \(terminal) noraise title 'MyoShell live'\n")
    }

    deinit { close() }

    public func close() {
        guard process.isRunning else { return }
        send("exit\n")
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private func send(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    public func draw(_ model: LiveModel) {
        guard model.elapsed - lastDraw >= 0.2 || lastDraw < 0 else { return }
        lastDraw = model.elapsed
        send(Self.script(model))
    }

    /// One redraw: a bar a channel (in its unit or %MVC), the target band as two lines, the time.
    public static func script(_ model: LiveModel) -> String {
        guard !model.bars.isEmpty else { return "" }
        let unit = model.bars[0].unit
        let top = max(model.target.map { $0.1 * 1.5 } ?? 0, model.bars.map(\.value).max() ?? 0, unit == "%MVC" ? 100 : 1e-12)
        var script = "set title 'MyoShell live, t \(NumberFormat.fixed(model.elapsed, decimals: 1)) s'\n"
        script += "set yrange [0:\(NumberFormat.significant(top, digits: 6))]\nset ylabel '\(unit)'\nset style fill solid 0.6\nset boxwidth 0.7\nunset key\n"
        if let (low, high) = model.target {
            script += "set arrow 1 from graph 0, first \(NumberFormat.significant(low, digits: 6)) to graph 1, first \(NumberFormat.significant(low, digits: 6)) nohead dt 2\n"
            script += "set arrow 2 from graph 0, first \(NumberFormat.significant(high, digits: 6)) to graph 1, first \(NumberFormat.significant(high, digits: 6)) nohead dt 2\n"
        }
        script += "plot '-' using 0:2:xtic(1) with boxes\n"
        for bar in model.bars {
            let label = bar.name.replacingOccurrences(of: "\"", with: "'")
            script += "\"\(label)\" \(NumberFormat.significant(bar.value, digits: 6))\n"
        }
        return script + "e\n"
    }
}
