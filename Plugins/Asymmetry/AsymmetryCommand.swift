import MyoCore
import MyoPluginAPI
import MyoSignal

/// `asymmetry REC [pairs=] [measure=mean] [segments=all] [band=15%] [mdc=] [seed=1] ...`
enum AsymmetryCommand {
    static let spec = CommandSpec(
        name: "asymmetry", abstract: "Left/right balance per pair: ratio, symmetry index and angle, imbalance, flags, bootstrap CI over repetitions",
        discussion: """
        Pairs come from the channel names (ES_L/ES_R, L_ES/R_ES, ES_left/ES_right, LeftES/RightES, ES_sx/ES_dx, any \
        case) or from pairs=LEFT:RIGHT,...; the result says which pairs were used and which channels were left \
        unpaired. Each side is summarised per segment by measure= (mean for envelopes, peak, rms about the \
        segment mean for raw EMG, iemg = sum |x| / fs; on %MVC envelopes these are %MVC). Indices: ratio L/R; \
        SI = (R - L) / (0.5 (R + L)) x 100 (Robinson et al. 1987; positive = right larger, -200..200 %); \
        symmetry angle = (45 deg - atan(L/R)) / 90 deg x 100 (Zifchock et al. 2008; -50..50 %, same sign); \
        imbalance = (R - L) / max(L, R) x 100, in % of the stronger side. segments=all (default) measures the \
        whole recording; FROM..TO one range; events the intervals between consecutive events; an onsets \
        table the periods of channel ref= (default its first) as repetitions. With several segments each \
        index is the median over segments, and SI has a 95 % percentile bootstrap interval of that median \
        (resamples= draws with replacement from a generator seeded by seed=, so scripts replay identically). \
        A pair is flagged when |SI| exceeds band= (default 15 %: a convention, not a clinical norm; set your \
        own), and, when mdc= gives a minimal detectable change of SI, it says whether |SI| exceeds it. When \
        both sides are silent (L + R below 1e-12 of their unit) the indices are undefined and say so. When \
        the recording has onset events (CHANNEL on), the onset latency R - L is given per pair: each left \
        onset is matched with the nearest right onset within 500 ms. 'to FILE' draws L and R bars per pair \
        (plot=lr) or SI per segment with the flag band and the CI (plot=si).
        """,
        arguments: [
            ArgumentSpec("recording", positional: true, type: .recording, help: "a recording with left and right channels", required: true),
            AsymmetryPlugin.pairsArgument,
            AsymmetryPlugin.measureArgument,
            ArgumentSpec("segments", type: .text, help: "all, FROM..TO, events, or an onsets table (repetitions)", default: "all"),
            ArgumentSpec("ref", type: .text, help: "channel of the onsets table whose periods are the repetitions"),
            ArgumentSpec("band", type: .quantity(.ratio), help: "flag pairs with |SI| above this (a convention)", default: "15%", minimum: 0, maximum: 200),
            ArgumentSpec("mdc", type: .quantity(.ratio), help: "minimal detectable change of SI, to compare |SI| with", minimum: 0, maximum: 200),
            ArgumentSpec("seed", type: .integer, help: "bootstrap generator seed", default: "1", minimum: 0),
            ArgumentSpec("resamples", type: .integer, help: "bootstrap resamples", default: "2000", minimum: 100, maximum: 100000),
            ArgumentSpec("plot", type: .choice(["lr", "si"]), help: "with 'to FILE': L and R bars per pair, or SI per segment with the flag band", default: "lr"),
        ],
        acceptsOutputName: true,
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["asymmetry bridge_mvc", "asymmetry bridge_env segments=onsets1 ref=GM_L band=10% mdc=8%", "asymmetry team1 measure=rms to lr.png"],
        references: AsymmetryPlugin.references)

    struct PairResult {
        var pair: SidePairs.Pair
        var perSegment: [(from: Double, to: Double, left: Double, right: Double)]
        var summary: Symmetry
        var siMedian: Double?
        var interval: (Double, Double)?
    }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let recording = try invocation.context.recording(named: invocation.string("recording")!)
        let candidates = recording.channels.filter { !$0.kind.isIMU }
        let (pairs, pairSentence) = try AsymmetryPlugin.pairs(invocation, recording, channels: candidates)
        let measure = AsymmetryPlugin.Measure(rawValue: invocation.string("measure") ?? "mean")!
        let segmentsText = invocation.string("segments") ?? "all"
        let segments = try AsymmetryPlugin.segments(segmentsText, recording: recording, reference: invocation.string("ref"), context: invocation.context)
        guard !segments.isEmpty else { throw MyoError.other("segments=\(segmentsText) gives no segments") }
        let band = invocation.quantity("band") ?? 15
        let mdc = invocation.quantity("mdc")
        let seed = UInt64(invocation.integer("seed") ?? 1)
        let resamples = invocation.integer("resamples") ?? 2000

        var results: [PairResult] = []
        var notes: [String] = []
        for pair in pairs.pairs {
            let left = recording.channels.first { $0.name == pair.left }!, right = recording.channels.first { $0.name == pair.right }!
            guard left.unit == right.unit else {
                throw MyoError.other("\(pair.left) is in \(left.unit) but \(pair.right) is in \(right.unit): compare channels of one unit")
            }
            let values = segments.map { (from: $0.0, to: $0.1, left: AsymmetryPlugin.measure(measure, left, from: $0.0, to: $0.1),
                                         right: AsymmetryPlugin.measure(measure, right, from: $0.0, to: $0.1)) }
            let lefts = values.map(\.left).filter { !$0.isNaN }.sorted(), rights = values.map(\.right).filter { !$0.isNaN }.sorted()
            guard !lefts.isEmpty, !rights.isEmpty else { throw MyoError.other("\(pair.muscle): the segments hold no samples of \(pair.left) or \(pair.right)") }
            let summary = Symmetry(left: Bootstrap.percentile(lefts, 50), right: Bootstrap.percentile(rights, 50))
            var result = PairResult(pair: pair, perSegment: values, summary: summary)
            let indices = values.compactMap { Symmetry(left: $0.left, right: $0.right).symmetryIndex }
            if values.count > 1, !indices.isEmpty, let b = Bootstrap.medianInterval(indices, resamples: resamples, seed: seed) {
                result.siMedian = b.median
                result.interval = (b.low, b.high)
            } else {
                result.siMedian = summary.symmetryIndex
            }
            if !summary.isDefined {
                notes.append("\(pair.muscle): indices undefined, both sides silent (L \(NumberFormat.significant(summary.left, digits: 4)), R \(NumberFormat.significant(summary.right, digits: 4)) \(measure.unit(left.unit)))")
            }
            results.append(result)
        }
        let unit = measure.unit(recording.channels.first { $0.name == pairs.pairs[0].left }!.unit)
        let table = summaryTable(results, measure: measure, unit: unit, band: band, mdc: mdc, segments: segments.count, segmentsText: segmentsText)
        var outputs: [CommandOutput] = [.message(pairSentence), .table(ResultTable(title: table.title, columns: table.columns, rows: table.rows, notes: table.notes + notes))]
        if segments.count > 1 { outputs.append(.table(segmentTable(results, unit: unit))) }
        if let latency = latencyTable(pairs, recording) { outputs.append(.table(latency)) }
        if let path = invocation.destination {
            outputs.append(.plot(plot(results, unit: unit, band: band, kind: invocation.string("plot") ?? "lr", recording: recording.name, path: path)))
        }
        return outputs
    }

    static func summaryTable(_ results: [PairResult], measure: AsymmetryPlugin.Measure, unit: String, band: Double, mdc: Double?, segments: Int, segmentsText: String) -> ResultTable {
        var rows: [[TableCell]] = []
        for result in results {
            let s = result.summary
            func cell(_ value: Double?) -> TableCell { value.map(TableCell.number) ?? .missing }
            var flag = "-"
            if let si = result.siMedian {
                flag = abs(si) > band ? "beyond +-\(NumberFormat.significant(band, digits: 4))%" : "within band"
                if let mdc { flag += abs(si) > mdc ? "; beyond MDC" : "; within MDC" }
            }
            rows.append([.text(result.pair.muscle), .text(result.pair.left), .text(result.pair.right), .integer(result.perSegment.count),
                         .number(s.left), .number(s.right), cell(s.ratio), cell(result.siMedian), cell(result.interval?.0), cell(result.interval?.1),
                         cell(s.symmetryAngle), cell(s.imbalance), .text(s.strongerSide), .text(flag)])
        }
        var notes = ["SI = (R - L) / (0.5 (R + L)) x 100: positive = right larger; flag band +-\(NumberFormat.significant(band, digits: 4)) % is a convention"]
        if segments > 1 { notes.append("L, R, ratio, angle and imbalance are medians over the \(segments) segments' values; SI is the median of the segments' SIs with a 95 % bootstrap CI") }
        return ResultTable(title: "asymmetry (\(measure.rawValue), segments=\(segmentsText))",
                           columns: [TableColumn("pair"), TableColumn("left"), TableColumn("right"), TableColumn("segments"), TableColumn("L", unit: unit), TableColumn("R", unit: unit),
                                     TableColumn("L/R"), TableColumn("SI", unit: "%"), TableColumn("SI CI low", unit: "%"), TableColumn("SI CI high", unit: "%"),
                                     TableColumn("angle", unit: "%"), TableColumn("imbalance", unit: "%"), TableColumn("stronger"), TableColumn("flag")],
                           rows: rows, notes: notes)
    }

    static func segmentTable(_ results: [PairResult], unit: String) -> ResultTable {
        var rows: [[TableCell]] = []
        for result in results {
            for (index, value) in result.perSegment.enumerated() {
                let s = Symmetry(left: value.left, right: value.right)
                rows.append([.text(result.pair.muscle), .integer(index + 1), .number(value.from), .number(value.to), .number(value.left), .number(value.right),
                             s.symmetryIndex.map(TableCell.number) ?? .missing])
            }
        }
        return ResultTable(title: "asymmetry per segment",
                           columns: [TableColumn("pair"), TableColumn("#"), TableColumn("from", unit: "s"), TableColumn("to", unit: "s"),
                                     TableColumn("L", unit: unit), TableColumn("R", unit: unit), TableColumn("SI", unit: "%")], rows: rows)
    }

    /// Onset latency R - L per pair from `CHANNEL on` events (nearest right onset within 500 ms).
    static func latencyTable(_ pairs: SidePairs, _ recording: Recording) -> ResultTable? {
        var rows: [[TableCell]] = []
        for pair in pairs.pairs {
            let lefts = recording.events.filter { $0.label == "\(pair.left) on" }.map(\.timeSeconds)
            let rights = recording.events.filter { $0.label == "\(pair.right) on" }.map(\.timeSeconds)
            guard !lefts.isEmpty, !rights.isEmpty else { continue }
            let differences = lefts.compactMap { l -> Double? in
                guard let r = rights.min(by: { abs($0 - l) < abs($1 - l) }), abs(r - l) <= 0.5 else { return nil }
                return (r - l) * 1000
            }
            guard !differences.isEmpty else { continue }
            let median = Bootstrap.percentile(differences.sorted(), 50)
            let mean = differences.reduce(0, +) / Double(differences.count)
            let later = median > 0 ? "R later" : (median < 0 ? "L later" : "simultaneous")
            rows.append([.text(pair.muscle), .integer(differences.count), .number(median), .number(mean), .number(differences.min()!), .number(differences.max()!), .text(later)])
        }
        guard !rows.isEmpty else { return nil }
        return ResultTable(title: "onset latency R - L (from onset events)",
                           columns: [TableColumn("pair"), TableColumn("matched onsets"), TableColumn("median", unit: "ms"), TableColumn("mean", unit: "ms"),
                                     TableColumn("min", unit: "ms"), TableColumn("max", unit: "ms"), TableColumn("side")], rows: rows)
    }

    static func plot(_ results: [PairResult], unit: String, band: Double, kind: String, recording: String, path: String) -> PlotRequest {
        var request = PlotRequest(title: "", series: [], outputPath: path)
        if kind == "si" {
            var categories: [String] = [], values: [Double] = [], intervals: [(Double, Double)] = []
            for result in results {
                for (index, value) in result.perSegment.enumerated() where result.perSegment.count > 1 {
                    categories.append("\(result.pair.muscle) \(index + 1)")
                    let si = Symmetry(left: value.left, right: value.right).symmetryIndex ?? .nan
                    values.append(si)
                    intervals.append((si, si))
                }
                categories.append("\(result.pair.muscle) median")
                values.append(result.siMedian ?? .nan)
                intervals.append(result.interval ?? (result.siMedian ?? .nan, result.siMedian ?? .nan))
            }
            request.title = "\(recording): symmetry index per segment, median with 95 % CI, flag band +-\(NumberFormat.significant(band, digits: 4)) %"
            request.bars = BarChart(categories: categories, groups: [BarChart.Group(label: "SI", values: values, intervals: intervals)], yLabel: "SI (%)",
                                    lines: [(band, "+\(NumberFormat.significant(band, digits: 4)) %"), (-band, "-\(NumberFormat.significant(band, digits: 4)) %"), (0, "")])
        } else {
            let categories = results.map { result -> String in
                let si = result.siMedian.map { "SI \(NumberFormat.fixed($0, decimals: 1)) %" } ?? "SI undefined"
                let flagged = (result.siMedian.map { abs($0) > band } ?? false) ? " !" : ""
                return "\(result.pair.muscle) (\(si))\(flagged)"
            }
            request.title = "\(recording): left vs right (! = |SI| beyond the +-\(NumberFormat.significant(band, digits: 4)) % band)"
            request.bars = BarChart(categories: categories, groups: [BarChart.Group(label: "L", values: results.map(\.summary.left)),
                                                                     BarChart.Group(label: "R", values: results.map(\.summary.right))], yLabel: unit)
        }
        return request
    }
}
