import Foundation
import MyoCore

/// The gnuplot text of a `DayChart`: one panel per row (hour), stacked, x in minutes into the row.
extension GnuplotScript {
    /// Fill colours of the activities `activities` names (ColorBrewer Pastel1, which stays
    /// readable under a line); any other name gets grey.
    static let activityColours: [(name: String, colour: String)] = [
        ("lying", "#b3cde3"), ("sitting", "#ccebc5"), ("standing", "#fed9a6"), ("walking", "#decbe4"), ("bending", "#fbb4ae"), ("lifting", "#e5d8bd"),
    ]

    static func colour(ofActivity name: String) -> String { activityColours.first { $0.name == name }?.colour ?? "#e0e0e0" }

    /// Dark line colours that stand out on the pastel bands and differ from the red flags.
    static let lineColours = ["#1f4e9c", "#b35806", "#1b7837", "#762a83", "#404040", "#01665e", "#8c510a", "#c51b7d"]

    /// Picture height for `rows` rows: a band for the title and key, then a fixed height per row.
    static func dayPictureHeight(rows: Int) -> Int { 90 + 110 * max(rows, 1) }

    /// (script lines, binary data): each row's stretch of each line is one record block of the data
    /// file, drawn at (time - row start) / 60.
    static func dayLines(_ title: String, _ chart: DayChart, dataFileName: String, grid: Bool) -> (lines: [String], data: [UInt8]) {
        var bytes: [UInt8] = []
        let top = chart.lines.flatMap { line in stride(from: 1, to: line.points.count, by: 2).map { line.points[$0] } }.filter(\.isFinite).max() ?? 1
        let yHigh = top > 0 ? Double(top) * 1.1 : 1
        let minutes = chart.rowSeconds / 60
        // Margins in screen units from the picture's pixels: 30 px for the title, 45 px for the x label,
        // 70 px at the left for the hour, 190 px at the right for the key.
        let height = Double(dayPictureHeight(rows: chart.rows.count)), width = 1400.0
        let margins = [70 / width, 1 - 190 / width, 45 / height, 1 - 30 / height].map { number(($0 * 1000).rounded() / 1000) }
        var lines = ["set multiplot layout \(max(chart.rows.count, 1)),1 title \(quoted(title)) noenhanced margins \(margins.joined(separator: ",")) spacing 0,\(number((24 / height * 1000).rounded() / 1000))",
                     "set key at screen 0.995, screen \(margins[3]) right top vertical maxcols 1 samplen 2 Left reverse noenhanced",
                     "set style fill solid 1.0 noborder",
                     "set xrange [0:\(number(minutes))]", "set xtics \(number(minutes >= 60 ? 10 : max(minutes / 6, 1)))", "set mxtics 2",
                     "set yrange [0:\(number(yHigh))]", "set ytics \(number(niceStep(yHigh / 3)))"]
        if grid { lines.append("set grid xtics") }
        let present = Set(chart.activities.map(\.name))
        let known = activityColours.map(\.name)
        let legendActivities = known.filter(present.contains) + present.filter { !known.contains($0) }.sorted()
        for (r, start) in chart.rows.enumerated() {
            let end = start + chart.rowSeconds
            let first = r == 0, last = r == chart.rows.count - 1
            func x(_ t: Double) -> String { number((min(max(t, start), end) - start) / 60) }
            var objects = 0
            for stretch in chart.activities where stretch.to > start && stretch.from < end {
                objects += 1
                lines.append("set object \(objects) rect from \(x(stretch.from)), graph 0 to \(x(stretch.to)), graph 1 fc rgb '\(colour(ofActivity: stretch.name))' fs solid 0.7 noborder behind")
            }
            for gap in chart.gaps where gap.to > start && gap.from < end {
                objects += 1
                lines.append("set object \(objects) rect from \(x(gap.from)), graph 0 to \(x(gap.to)), graph 0.07 fc rgb '#303030' fs solid 1.0 noborder front")
            }
            var labels = 0, lastLabel = -Double.infinity
            for flag in chart.flags where flag.to > start && flag.from < end {
                objects += 1
                lines.append("set object \(objects) rect from \(x(flag.from)), graph 0.93 to \(x(max(flag.to, flag.from + chart.rowSeconds / 400))), graph 1 fc rgb '#d62728' fs solid 1.0 noborder front")
                // A name every 4 % of the row at most, so neighbouring flags do not print over each other.
                if flag.from - lastLabel >= chart.rowSeconds * 0.04 {
                    labels += 1
                    lastLabel = flag.from
                    lines.append("set label \(labels) \(quoted(flag.name)) at \(x(flag.from)), graph 0.86 front font ',8' noenhanced")
                }
            }
            lines.append("set ylabel \(quoted(NumberFormat.quantity(start / 3600, "h"))) noenhanced")
            lines.append(last ? "set xlabel 'minutes into the hour; \(chart.yLabel)' noenhanced" : "unset xlabel")
            var clauses: [String] = []
            for (l, line) in chart.lines.enumerated() {
                var count = 0
                let offset = bytes.count
                for k in stride(from: 0, to: line.points.count - 1, by: 2) where Double(line.points[k]) >= start && Double(line.points[k]) < end {
                    for value in [line.points[k], line.points[k + 1]] { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
                    count += 1
                }
                let title = first ? "title \(quoted(line.label))" : "notitle"
                let style = "with lines lw 1.2 lc rgb '\(lineColours[l % lineColours.count])'"
                clauses.append(count > 0 ? "\(quoted(dataFileName)) binary record=(\(count)) skip=\(offset) format='%float32%float32' endian=little using (($1-\(number(start)))/60):2 \(style) \(title)"
                                         : "NaN \(style) \(title)")
            }
            if first {
                // The key names the colours once: activities, gaps and flags.
                clauses += legendActivities.map { "NaN with boxes fc rgb '\(colour(ofActivity: $0))' title \(quoted($0))" }
                if !chart.gaps.isEmpty { clauses.append("NaN with boxes fc rgb '#303030' title 'EMG gaps'") }
                if !chart.flags.isEmpty { clauses.append("NaN with boxes fc rgb '#d62728' title 'flags'") }
            }
            lines.append(clauses.isEmpty ? "plot NaN notitle" : "plot " + clauses.joined(separator: ", \\\n     "))
            lines += ["unset object", "unset label"]
        }
        lines.append("unset multiplot")
        return (lines, bytes)
    }

    /// A tick step of 1, 2 or 5 times a power of ten near `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, (log10(rough)).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
    }
}
