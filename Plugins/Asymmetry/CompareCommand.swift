#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoPluginAPI
import MyoSignal

/// `compare SOURCES... [metric=si] [measure=rms] [pairs=] [band=15%] [to FILE]`
enum CompareCommand {
    enum Metric: String, CaseIterable { case si, ratio, angle, imbalance }
    static let sources = Argument.requiredText("sources", positional: true, repeating: true, help: "recordings or files (glob patterns allowed)")
    static let metric = Argument.choice("metric", default: Metric.si, help: "the index in each pair's column")
    static let measure = AsymmetryPlugin.measure.help("amplitude of each side over the whole recording").withDefault(.rms)
    static let mdc = Argument<Double?>.number("mdc", minimum: 0, help: "minimal detectable change of the metric, in its unit (% for si, angle, imbalance), for the before/after verdict")
    static let spec = CommandSpec(
        name: "compare", abstract: "Compare left/right balance across athletes or sessions: one row per recording, one column per pair",
        discussion: """
        SOURCES are workspace recordings or files (glob patterns like team/*.csv are expanded; files are read \
        as load would, without being kept). Each recording's pairs are found from its channel names (or \
        pairs=), each side is summarised over the whole recording by measure= (rms about the mean by default: \
        raw EMG), and metric= (si, ratio, angle, imbalance; see help asymmetry) fills one column per pair. Rows \
        are sorted by their largest |SI| across pairs, most asymmetric first; flags name the pairs whose |SI| \
        exceeds band= (15 % by default, a convention). With exactly two sources (before, after) a second table \
        gives each pair's change, whether it moved towards or away from symmetry, and a verdict: beyond the \
        minimal detectable change mdc= (in the metric's unit) or not; without mdc= the change is not judged. The table exports with \
        export NAME to FILE.csv; 'to FILE' draws grouped L and R bars per recording and pair.
        """,
        arguments: [
            sources, metric, measure, AsymmetryPlugin.pairs, AsymmetryCommand.band,
            mdc,
        ],
        acceptsOutputName: true,
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["compare team/*.csv", "compare before after metric=si", "compare team/*.csv metric=ratio to team.png"],
        references: AsymmetryPlugin.references)

    struct Entry {
        var name: String
        var values: [String: Symmetry]
        var unit: String
    }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let context = invocation.context
        var recordings: [Recording] = []
        for word in try invocation[sources].split(separator: " ").map(String.init) {
            if context.recordingNames.contains(word) {
                recordings.append(try context.recording(named: word))
            } else {
                for path in try context.expandPaths(word) { recordings.append(try context.loadRecording(path: path, name: nil)) }
            }
        }
        guard !recordings.isEmpty else { throw MyoError.missingArgument(command: "compare", name: "SOURCES", usage: spec.usage) }
        let measure = try invocation[measure]
        let metric = try invocation[metric]
        let band = try invocation[AsymmetryCommand.band]
        var entries: [Entry] = []
        var muscles: [String] = []
        var notes: [String] = []
        for recording in recordings {
            let (pairs, sentence) = try AsymmetryPlugin.pairs(invocation, recording, channels: recording.channels.filter { !$0.kind.isIMU })
            notes.append(sentence)
            var values: [String: Symmetry] = [:]
            var unit = ""
            for pair in pairs.pairs {
                let left = recording.channels.first { $0.name == pair.left }!, right = recording.channels.first { $0.name == pair.right }!
                unit = measure.unit(left.unit)
                values[pair.muscle] = Symmetry(left: AsymmetryPlugin.measure(measure, left, from: -.infinity, to: .infinity),
                                               right: AsymmetryPlugin.measure(measure, right, from: -.infinity, to: .infinity))
                if !muscles.contains(pair.muscle) { muscles.append(pair.muscle) }
            }
            entries.append(Entry(name: recording.name, values: values, unit: unit))
        }
        func value(_ s: Symmetry?) -> Double? {
            guard let s else { return nil }
            switch metric {
            case .ratio: return s.ratio
            case .angle: return s.symmetryAngle
            case .imbalance: return s.imbalance
            case .si: return s.symmetryIndex
            }
        }
        func worst(_ e: Entry) -> Double { e.values.values.compactMap { $0.symmetryIndex.map(abs) }.max() ?? -1 }
        let sorted = entries.enumerated().sorted { (worst($0.element), -$0.offset) > (worst($1.element), -$1.offset) }.map(\.element)
        let metricUnit = metric == .ratio ? "" : "%"
        let rows: [[TableCell]] = sorted.map { entry in
            let flagged = muscles.filter { m in entry.values[m]?.symmetryIndex.map { abs($0) > band } ?? false }
            return [.text(entry.name)] + muscles.map { m in value(entry.values[m]).map(TableCell.number) ?? .missing }
                + [.text(flagged.isEmpty ? "-" : flagged.map { "\($0) beyond +-\(NumberFormat.significant(band, digits: 4))%" }.joined(separator: "; "))]
        }
        let table = ResultTable(title: "compare: \(metric.rawValue) of \(measure.rawValue) per pair, most asymmetric first",
                                columns: [TableColumn("recording")] + muscles.map { TableColumn("\($0) \(metric.rawValue)", unit: metricUnit) } + [TableColumn("flags")],
                                rows: rows, notes: notes)
        var outputs: [CommandOutput] = [.table(table)]
        if entries.count == 2 { outputs.append(.table(changeTable(entries[0], entries[1], muscles: muscles, metric: metric, unit: metricUnit, mdc: try invocation[mdc], value: value))) }
        if let path = invocation.destination {
            // The bars follow the table's order (most asymmetric first) and each label shows its SI.
            var categories: [String] = [], lefts: [Double] = [], rights: [Double] = []
            for entry in sorted {
                for muscle in muscles {
                    guard let s = entry.values[muscle] else { continue }
                    let si = s.symmetryIndex.map { "SI \(NumberFormat.fixed($0, decimals: 1)) %" + (abs($0) > band ? " !" : "") } ?? "SI undefined"
                    categories.append((muscles.count > 1 ? "\(entry.name) \(muscle)" : entry.name) + " (\(si))")
                    lefts.append(s.left)
                    rights.append(s.right)
                }
            }
            var request = PlotRequest(title: "left vs right \(measure.rawValue) per recording, most asymmetric first (! = |SI| beyond +-\(NumberFormat.significant(band, digits: 4)) %)", series: [], outputPath: path)
            request.bars = BarChart(categories: categories, groups: [BarChart.Group(label: "L", values: lefts), BarChart.Group(label: "R", values: rights)],
                                    yLabel: entries.first?.unit ?? "")
            outputs.append(.plot(request))
        }
        return outputs
    }

    /// Before/after: each pair's change, and whether it moved towards symmetry beyond the minimal
    /// detectable change. Without mdc= the direction is given but not judged: a change counts
    /// only beyond the measurement error, and the table says it was not given.
    static func changeTable(_ before: Entry, _ after: Entry, muscles: [String], metric: Metric, unit: String, mdc: Double?, value: (Symmetry?) -> Double?) -> ResultTable {
        let rows: [[TableCell]] = muscles.map { muscle in
            let a = value(before.values[muscle]), b = value(after.values[muscle])
            var direction = "-", verdict = "-"
            if let a, let b {
                // Distance from symmetry: |x| for the percentages, |log x| for the ratio.
                let distance: (Double) -> Double = metric == .ratio ? { abs(log($0)) } : { abs($0) }
                direction = distance(b) < distance(a) ? "towards symmetry" : (distance(b) > distance(a) ? "away from symmetry" : "unchanged")
                if let mdc {
                    verdict = abs(b - a) > mdc ? "beyond MDC: \(direction)" : "no detectable change (|change| <= MDC)"
                } else {
                    verdict = "not judged (give mdc=)"
                }
            }
            return [.text(muscle), a.map(TableCell.number) ?? .missing, b.map(TableCell.number) ?? .missing,
                    (a != nil && b != nil) ? .number(b! - a!) : .missing, .text(direction), .text(verdict)]
        }
        let note = mdc.map { "MDC \(NumberFormat.significant($0, digits: 4))\(unit.isEmpty ? "" : " " + unit) (mdc=): a change counts only beyond it" }
            ?? "no mdc= given: the directions are not judged against measurement error; a change counts only beyond the metric's minimal detectable change (MDC95 = 1.96 x sqrt(2) x SEM from a test-retest study of your protocol)"
        return ResultTable(title: "change from \(before.name) to \(after.name) (\(metric.rawValue))",
                           columns: [TableColumn("pair"), TableColumn(before.name, unit: unit), TableColumn(after.name, unit: unit), TableColumn("change", unit: unit),
                                     TableColumn("direction"), TableColumn("verdict")],
                           rows: rows, notes: [note])
    }
}
