import MyoCore

/// A gnuplot script plus the binary data it reads. Built deterministically from a plot request,
/// so the exact text can be tested and a saved figure regenerated.
public struct GnuplotScript: Equatable {
    /// Lines that choose the terminal and output; replaced when the script runs on screen.
    public var terminalLines: [String]
    /// Everything else: labels, ranges and the plot command.
    public var bodyLines: [String]
    /// The data file's name as the script refers to it (relative to the script's folder).
    public var dataFileName: String
    /// float32 little-endian (time, value) records, series after series.
    public var data: [UInt8]

    public var text: String { (terminalLines + bodyLines).joined(separator: "\n") + "\n" }

    /// Builds the script for `request`. `dataFileName` and `outputFileName` are names relative to
    /// the folder gnuplot runs in.
    public init(request: PlotRequest, target: PlotTarget, dataFileName: String, outputFileName: String?) {
        self.dataFileName = dataFileName
        switch target {
        case .terminal(let columns, let rows):
            terminalLines = ["set terminal dumb size \(columns),\(rows) noenhanced"]
        case .window:
            terminalLines = []  // gnuplot's own default terminal (qt, wxt or x11), whichever it was built with
        case .file(let path):
            let type = PlotFileType(path: path) ?? .png
            // A day chart grows downwards, a fixed height per row, so 24 hours stay readable.
            terminalLines = [request.day.map { type.terminal(heightPixels: Self.dayPictureHeight(rows: $0.rows.count)) } ?? type.terminal]
        }
        if let outputFileName { terminalLines.append("set output \(Self.quoted(outputFileName))") }

        if let bars = request.bars {
            bodyLines = Self.barLines(request.title, bars, grid: target.isPicture)
            data = []
            return
        }
        if let day = request.day {
            (bodyLines, data) = Self.dayLines(request.title, day, dataFileName: dataFileName, grid: target.isPicture)
            return
        }
        if let trend = request.trend {
            bodyLines = Self.trendLines(request.title, trend, grid: target.isPicture)
            data = []
            return
        }
        var body = ["set title \(Self.quoted(request.title)) noenhanced", "set key noenhanced", "set xlabel \(Self.quoted(request.xLabel))"]
        func units(_ series: [PlotSeries]) -> String {
            series.map(\.unit).reduce(into: [String]()) { if !$1.isEmpty, !$0.contains($1) { $0.append($1) } }.joined(separator: ", ")
        }
        body.append("set ylabel \(Self.quoted(request.yLabel ?? units(request.series.filter { !$0.rightAxis })))")
        if request.series.contains(where: \.rightAxis) {
            body += ["set y2label \(Self.quoted(units(request.series.filter(\.rightAxis))))", "set ytics nomirror", "set y2tics"]
        }
        if case .terminal = target {} else { body.append("set grid") }
        let from = request.fromSeconds ?? request.series.map(\.startTimeSeconds).min() ?? 0
        func end(_ series: PlotSeries) -> Double {
            if let points = series.points { return points.count >= 2 ? Double(points[points.count - 2]) : series.startTimeSeconds }
            return series.startTimeSeconds + Double(series.samples.count) / series.sampleRateHz
        }
        let to = request.toSeconds ?? request.series.map(end).max() ?? 1
        body.append("set xrange [\(Self.number(from)):\(Self.number(to))]")
        for (index, shade) in request.shaded.enumerated() {
            body.append("set object \(index + 1) rect from \(Self.number(shade.from)), graph 0 to \(Self.number(shade.to)), graph 1 fc rgb '#f4b6b6' fs solid 0.5 noborder behind")
            if !shade.label.isEmpty { body.append("set label \(Self.quoted(shade.label)) at \(Self.number(shade.from)), graph 0.96 noenhanced") }
        }
        for marker in Self.readableMarkers(request.markers, span: to - from) {
            body.append("set arrow from \(Self.number(marker.timeSeconds)), graph 0 to \(Self.number(marker.timeSeconds)), graph 1 nohead dashtype 2")
            if !marker.label.isEmpty { body.append("set label \(Self.quoted(marker.label)) at \(Self.number(marker.timeSeconds)), graph 1.02 noenhanced") }
        }

        var bytes: [UInt8] = []
        var clauses: [String] = []
        if let map = request.heatMap, map.columns > 0, map.rows > 0 {
            // float32 values, column index fastest (gnuplot's binary array order), at offset 0.
            for value in map.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            body += ["set cblabel \(Self.quoted(map.label))", "set yrange [\(Self.number(map.yStart - map.yStep / 2)):\(Self.number(map.yStart + (Double(map.rows) - 0.5) * map.yStep))]"]
            clauses.append("\(Self.quoted(dataFileName)) binary array=(\(map.columns),\(map.rows)) dx=\(Self.number(map.xStep)) dy=\(Self.number(map.yStep)) origin=(\(Self.number(map.xStart)),\(Self.number(map.yStart))) format='%float32' endian=little with image notitle")
        }
        for series in request.series {
            let first = Int(((from - series.startTimeSeconds) * series.sampleRateHz).rounded(.down))
            let last = Int(((to - series.startTimeSeconds) * series.sampleRateHz).rounded(.up)) + 1
            let range = min(max(first, 0), series.samples.count)..<min(max(last, 0), series.samples.count)
            let points = series.points ?? MinMaxDecimator.decimate(series.samples, range: range, sampleRateHz: series.sampleRateHz,
                                                                   startTimeSeconds: series.startTimeSeconds, columns: target.pixelColumns)
            let offset = bytes.count
            for value in points { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            let records = points.count / 2
            guard records > 0 else { continue }
            clauses.append("\(Self.quoted(dataFileName)) binary record=(\(records)) skip=\(offset) format='%float32%float32' endian=little using 1:2\(series.rightAxis ? " axes x1y2" : "") with lines title \(Self.quoted(series.label))")
        }
        body.append(clauses.isEmpty ? "plot NaN notitle" : "plot " + clauses.joined(separator: ", \\\n     "))
        bodyLines = body
        data = bytes
    }

    /// Clustered bars from an inline data block (one row per category), dashed lines across.
    /// Markers whose labels would print over each other (closer than 2 % of the shown span)
    /// share one label ("MDF 95 Hz / MNF 110 Hz"); every marker keeps its line.
    static func readableMarkers(_ markers: [Event], span: Double) -> [Event] {
        var out = markers.sorted { ($0.timeSeconds, $0.label) < ($1.timeSeconds, $1.label) }
        var last: Int?
        for index in out.indices where !out[index].label.isEmpty {
            if let previous = last, out[index].timeSeconds - out[previous].timeSeconds < 0.02 * span {
                out[previous].label += " / " + out[index].label
                out[index].label = ""
            } else {
                last = index
            }
        }
        return out
    }

    /// One panel a quantity, stacked (multiplot), from inline data blocks: lines with points, the
    /// band shaded behind them, the same x range and labelled ticks in every panel.
    static func trendLines(_ title: String, _ chart: TrendChart, grid: Bool) -> [String] {
        let xs = chart.panels.flatMap { $0.lines.flatMap { $0.points.map(\.x) } }
        let low = xs.min() ?? 0, high = xs.max() ?? 1, margin = max(high - low, 1) * 0.05
        var lines: [String] = []
        for (p, panel) in chart.panels.enumerated() {
            for (l, line) in panel.lines.enumerated() {
                lines.append("$trend_\(p)_\(l) << EOD")
                lines += line.points.map { "\(number($0.x)) \($0.y.isFinite ? number($0.y) : "NaN")" }
                lines.append("EOD")
            }
        }
        lines += ["set multiplot layout \(max(chart.panels.count, 1)),1 title \(quoted(title)) noenhanced", "set key noenhanced",
                  "set xrange [\(number(low - margin)):\(number(high + margin))]"]
        if grid { lines.append("set grid") }
        lines += ["set lmargin 12", "set rmargin 3"]
        for (p, panel) in chart.panels.enumerated() {
            let last = p == chart.panels.count - 1
            // Every panel has the session ticks; only the bottom one labels them with dates.
            if !chart.xTicks.isEmpty {
                lines.append("set xtics (" + chart.xTicks.map { "\(quoted(last ? $0.label : "")) \(number($0.x))" }.joined(separator: ", ") + ") noenhanced")
            }
            lines.append("set ylabel \(quoted(panel.yLabel)) noenhanced")
            lines.append(last ? "set xlabel \(quoted(chart.xLabel)) noenhanced" : "unset xlabel")
            // The y range holds the values and the band; a single value gets room around it.
            let values = panel.lines.flatMap { $0.points.map(\.y) }.filter(\.isFinite) + (panel.band.map { [$0.low, $0.high] } ?? [])
            let top = values.max() ?? 1, bottom = values.min() ?? 0
            let pad = top > bottom ? (top - bottom) * 0.1 : max(abs(top) * 0.1, 1)
            lines.append("set yrange [\(number(bottom - pad)):\(number(top + pad))]")
            if let band = panel.band {
                lines.append("set object 1 rect from graph 0, first \(number(band.low)) to graph 1, first \(number(band.high)) fc rgb '#cfe3f5' fs solid 0.6 noborder behind")
                lines.append("set label 1 \(quoted(band.label)) at graph 0.01, first \(number(band.high)) offset 0,0.6 front noenhanced")
            }
            let clauses = panel.lines.indices.map { "$trend_\(p)_\($0) using 1:2 with linespoints pt 7 title \(quoted(panel.lines[$0].label))" }
            lines.append(clauses.isEmpty ? "plot NaN notitle" : "plot " + clauses.joined(separator: ", \\\n     "))
            lines += ["unset object 1", "unset label 1"]
        }
        lines.append("unset multiplot")
        return lines
    }

    static func barLines(_ title: String, _ chart: BarChart, grid: Bool) -> [String] {
        var lines = ["set title \(quoted(title)) noenhanced", "set key noenhanced", "set ylabel \(quoted(chart.yLabel))",
                     "set style data histogram", "set style fill solid 0.8 border -1", "set boxwidth 0.9", "set xtics noenhanced rotate by -30",
                     chart.groups.contains { $0.intervals != nil } ? "set style histogram errorbars gap 1 lw 1" : "set style histogram clustered gap 1"]
        if grid { lines.append("set grid ytics") }
        let withErrors = chart.groups.contains { $0.intervals != nil }
        lines.append("$bars << EOD")
        for (index, category) in chart.categories.enumerated() {
            var cells = ["\"" + category.filter { $0 != "\"" && $0 != "\n" } + "\""]
            for group in chart.groups {
                let value = group.values[index]
                cells.append(value.isFinite ? number(value) : "NaN")
                if withErrors {
                    let (low, high) = group.intervals?[index] ?? (value, value)
                    cells += [low.isFinite ? number(low) : "NaN", high.isFinite ? number(high) : "NaN"]
                }
            }
            lines.append(cells.joined(separator: " "))
        }
        lines.append("EOD")
        if chart.lines.isEmpty, chart.groups.allSatisfy({ $0.values.allSatisfy { !$0.isFinite || $0 >= 0 } }) {
            lines.append("set yrange [0:*]")  // bars of amplitudes start at zero
        } else if !chart.lines.isEmpty {
            // The range holds the bars, their intervals and every line (a flag band must show).
            var values = chart.lines.map(\.value) + chart.groups.flatMap { $0.values + ($0.intervals ?? []).flatMap { [$0.0, $0.1] } }
            values = values.filter(\.isFinite) + [0]
            let low = values.min()!, high = values.max()!, margin = max(high - low, 1) * 0.08
            lines.append("set yrange [\(number(low - margin)):\(number(high + margin))]")
        }
        for (value, label) in chart.lines {
            lines.append("set arrow from graph 0, first \(number(value)) to graph 1, first \(number(value)) nohead dashtype 2")
            // Inside the frame, just above its line at the right, so it is never cut off.
            if !label.isEmpty { lines.append("set label \(quoted(label)) at graph 0.99, first \(number(value)) right offset 0,0.7 front noenhanced") }
        }
        let stride = withErrors ? 3 : 1
        let clauses = chart.groups.enumerated().map { index, group -> String in
            let column = 2 + index * stride
            let using = withErrors ? "\(column):\(column + 1):\(column + 2)" : "\(column)"
            return "$bars using \(using)\(index == 0 ? ":xtic(1)" : "") title \(quoted(group.label))"
        }
        lines.append(clauses.isEmpty ? "plot NaN notitle" : "plot " + clauses.joined(separator: ", \\\n     "))
        return lines
    }

    /// A gnuplot single-quoted string: quotes doubled, control characters dropped. Inside single
    /// quotes gnuplot expands neither backslashes nor backquotes, so `system(...)` stays text.
    public static func quoted(_ text: String) -> String {
        let clean = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return "'" + clean.replacingOccurrences("'", with: "''") + "'"
    }

    static func number(_ value: Double) -> String { NumberFormat.significant(value, digits: 10) }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
