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
        both sides are silent (L + R below 1e-12 of their unit) the indices are undefined and say so. Each \
        pair's raw EMG (the channels themselves, or an envelope's source recording) is measured as quality does: \
        a side with SNR below 10 dB or a mains share above 10 % flags the pair as noisy (its ratio drifts towards 1). When \
        the recording has onset events (CHANNEL on), or segments= is an onsets table (then its onsets are used), \
        the onset latency R - L is given per pair: onsets are matched one to one, closest pairs first, at \
        most 500 ms apart. 'to FILE' draws L and R bars per pair \
        (plot=lr) or SI per segment with the flag band and the CI (plot=si).
        """,
        arguments: [
            recordingArgument, AsymmetryPlugin.pairs, AsymmetryPlugin.measure, AsymmetryPlugin.segments, AsymmetryPlugin.reference,
            band, mdc, seed, resamples, plotKind,
        ],
        measures: [MeasureSpec(column: "SI", rowKeys: ["pair"], better: .towardsZero, summary: "symmetry index of each left/right pair"),
                   MeasureSpec(column: "L/R", rowKeys: ["pair"], better: .none, summary: "left/right amplitude ratio of each pair")],
        acceptsOutputName: true,
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["asymmetry bridge_mvc", "asymmetry bridge_env segments=onsets1 ref=GM_L band=10% mdc=8%", "asymmetry team1 measure=rms to lr.png"],
        references: AsymmetryPlugin.references)

    struct PairResult {
        var pair: SidePairs.Pair
        var perSegment: [(from: Double, to: Double, left: Double, right: Double)]
        /// The indices' summary: over several segments, from the median right share (its left and
        /// right are that share's complements, not amplitudes).
        var summary: Symmetry
        /// Each side's median amplitude over the segments.
        var sideMedians: (left: Double, right: Double)
        /// Whether both sides carry enough signal (PairQuality).
        var quality: (text: String, flagged: Bool) = ("-", false)
        var siMedian: Double?
        var interval: (Double, Double)?
    }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let recording = try invocation.context.recording(named: invocation[recordingArgument])
        let candidates = recording.channels.filter { !$0.kind.isIMU }
        let (pairs, pairSentence) = try AsymmetryPlugin.pairs(invocation, recording, channels: candidates)
        let measure = try invocation[AsymmetryPlugin.measure]
        let segmentsText = try invocation[AsymmetryPlugin.segments]
        let segments = try AsymmetryPlugin.segments(segmentsText, recording: recording, reference: invocation[AsymmetryPlugin.reference], context: invocation.context)
        guard !segments.isEmpty else { throw MyoError.other("segments=\(segmentsText) gives no segments") }
        let band = try invocation[band]
        let mdc = try invocation[mdc]
        let seed = UInt64(try invocation[seed])
        let resamples = try invocation[resamples]

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
            // Every index is a monotone function of the right side's share R / (L + R), so all of
            // them come from its median over segments and cannot contradict each other (medians
            // of L and of R taken apart could: SI -0.03 % beside an imbalance of +0.89 %).
            let shares = values.compactMap { Symmetry(left: $0.left, right: $0.right).rightShare }
            var summary = Symmetry(left: Bootstrap.percentile(lefts, 50), right: Bootstrap.percentile(rights, 50))
            if values.count > 1, !shares.isEmpty { summary = Symmetry(share: Bootstrap.percentile(shares.sorted(), 50)) }
            var result = PairResult(pair: pair, perSegment: values, summary: summary, sideMedians: (Bootstrap.percentile(lefts, 50), Bootstrap.percentile(rights, 50)))
            result.siMedian = summary.symmetryIndex
            if values.count > 1, !shares.isEmpty, let b = Bootstrap.medianInterval(shares, resamples: resamples, seed: seed) {
                result.interval = (Symmetry(share: b.low).symmetryIndex!, Symmetry(share: b.high).symmetryIndex!)
            }
            if !summary.isDefined {
                notes.append("\(pair.muscle): indices undefined, both sides silent (L \(NumberFormat.significant(summary.left, digits: 4)), R \(NumberFormat.significant(summary.right, digits: 4)) \(measure.unit(left.unit)))")
            }
            result.quality = PairQuality.assess(left: pair.left, right: pair.right, of: recording, context: invocation.context)
            results.append(result)
        }
        let unit = measure.unit(recording.channels.first { $0.name == pairs.pairs[0].left }!.unit)
        let table = summaryTable(results, measure: measure, unit: unit, band: band, mdc: mdc, segments: segments.count, segmentsText: segmentsText)
        var outputs: [CommandOutput] = [.message(pairSentence), .table(ResultTable(title: table.title, columns: table.columns, rows: table.rows, notes: table.notes + notes))]
        if segments.count > 1 { outputs.append(.table(segmentTable(results, unit: unit))) }
        let (onsets, source) = try onsetTimes(segmentsText, recording: recording, context: invocation.context)
        if let latency = latencyTable(pairs, onsets: onsets, source: source) { outputs.append(.table(latency)) }
        if let path = invocation.destination {
            outputs.append(.plot(plot(results, unit: unit, band: band, kind: try invocation[plotKind], recording: recording.name, path: path)))
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
            if result.quality.flagged { flag += "; noisy pair, ratio biased towards 1" }
            rows.append([.text(result.pair.muscle), .text(result.pair.left), .text(result.pair.right), .integer(result.perSegment.count),
                         .number(result.sideMedians.left), .number(result.sideMedians.right), cell(s.ratio), cell(result.siMedian), cell(result.interval?.0), cell(result.interval?.1),
                         cell(s.symmetryAngle), cell(s.imbalance), .text(s.strongerSide), .text(flag), .text(result.quality.text)])
        }
        var notes = ["SI = (R - L) / (0.5 (R + L)) x 100: positive = right larger; flag band +-\(NumberFormat.significant(band, digits: 4)) % is a convention"]
        if results.contains(where: \.quality.flagged) {
            notes.append("noisy pairs: noise and mains add the same power to both sides and pull L/R towards 1; remove mains with a notch (envelope ... notch=50Hz) and fix or re-place electrodes with a low SNR before reading their balance (limits: SNR \(Int(PairQuality.minimumSNRdB)) dB, mains \(Int(PairQuality.maximumMainsShare)) %, as in quality)")
        }
        if segments > 1 { notes.append("L and R are each side's median over the \(segments) segments; L/R, SI, angle, imbalance and stronger all come from the median over segments of the right share R / (L + R), so they agree; the SI CI is a 95 % bootstrap interval of that median") }
        return ResultTable(title: "asymmetry (\(measure.rawValue), segments=\(segmentsText))",
                           columns: [TableColumn("pair"), TableColumn("left"), TableColumn("right"), TableColumn("segments"), TableColumn("L", unit: unit), TableColumn("R", unit: unit),
                                     TableColumn("L/R"), TableColumn("SI", unit: "%"), TableColumn("SI CI low", unit: "%"), TableColumn("SI CI high", unit: "%"),
                                     TableColumn("angle", unit: "%"), TableColumn("imbalance", unit: "%"), TableColumn("stronger"), TableColumn("flag"), TableColumn("signal quality")],
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

    /// Onset times per channel: from the onsets table named by segments= when it is one (so the
    /// latency and the segments come from the same detection), else from the recording's
    /// `CHANNEL on` events.
    static func onsetTimes(_ segmentsText: String, recording: Recording, context: CommandContext) throws -> (onsets: [String: [Double]], source: String) {
        var onsets: [String: [Double]] = [:]
        if segmentsText != "all", segmentsText != "events", !segmentsText.contains(".."),
           let table = try? context.table(named: segmentsText), table.columns.count >= 3, table.columns[1].name == "channel", table.columns[2].name == "on" {
            for row in table.rows {
                guard case .text(let name) = row[1], case .number(let on) = row[2], let channel = name.split(separator: ".").last.map(String.init) else { continue }
                onsets[channel, default: []].append(on)
            }
            return (onsets, "table \(segmentsText)")
        }
        for event in recording.events where event.label.hasSuffix(" on") {
            onsets[String(event.label.dropLast(3)), default: []].append(event.timeSeconds)
        }
        return (onsets, "the onset events of \(recording.name)")
    }

    /// One-to-one matching of left and right onsets: the closest pairs first, each onset used
    /// once, at most 500 ms apart. Returns R - L in ms, in order of the left onsets.
    static func matchOnsets(_ lefts: [Double], _ rights: [Double], within limit: Double = 0.5) -> [Double] {
        var candidates: [(distance: Double, left: Int, right: Int)] = []
        for (i, l) in lefts.enumerated() {
            for (j, r) in rights.enumerated() where abs(r - l) <= limit { candidates.append((abs(r - l), i, j)) }
        }
        candidates.sort { ($0.distance, $0.left, $0.right) < ($1.distance, $1.left, $1.right) }
        var usedLeft = Set<Int>(), usedRight = Set<Int>()
        var matched: [(Int, Double)] = []
        for c in candidates where !usedLeft.contains(c.left) && !usedRight.contains(c.right) {
            usedLeft.insert(c.left); usedRight.insert(c.right)
            matched.append((c.left, (rights[c.right] - lefts[c.left]) * 1000))
        }
        return matched.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Onset latency R - L per pair (onsets matched one to one, at most 500 ms apart).
    static func latencyTable(_ pairs: SidePairs, onsets: [String: [Double]], source: String) -> ResultTable? {
        var rows: [[TableCell]] = []
        for pair in pairs.pairs {
            let lefts = onsets[pair.left] ?? [], rights = onsets[pair.right] ?? []
            guard !lefts.isEmpty, !rights.isEmpty else { continue }
            let differences = matchOnsets(lefts, rights)
            guard !differences.isEmpty else { continue }
            let median = Bootstrap.percentile(differences.sorted(), 50)
            let mean = differences.reduce(0, +) / Double(differences.count)
            let later = median > 0 ? "R later" : (median < 0 ? "L later" : "simultaneous")
            rows.append([.text(pair.muscle), .integer(differences.count), .number(median), .number(mean), .number(differences.min()!), .number(differences.max()!), .text(later)])
        }
        guard !rows.isEmpty else { return nil }
        return ResultTable(title: "onset latency R - L (from \(source); matched one to one within 500 ms)",
                           columns: [TableColumn("pair"), TableColumn("matched onsets"), TableColumn("median", unit: "ms"), TableColumn("mean", unit: "ms"),
                                     TableColumn("min", unit: "ms"), TableColumn("max", unit: "ms"), TableColumn("side")], rows: rows)
    }

    enum PlotKind: String, CaseIterable { case lr, si }
    static let recordingArgument = Argument.recording("recording", help: "a recording with left and right channels")
    static let band = Argument.quantity("band", .ratio, default: "15%", minimum: 0, maximum: 200, help: "flag pairs with |SI| above this (a convention)")
    static let mdc = Argument<Double?>.quantity("mdc", .ratio, minimum: 0, maximum: 200, help: "minimal detectable change of SI, to compare |SI| with")
    static let seed = Argument.integer("seed", default: "1", minimum: 0, help: "bootstrap generator seed")
    static let resamples = Argument.integer("resamples", default: "2000", minimum: 100, maximum: 100000, help: "bootstrap resamples")
    static let plotKind = Argument.choice("plot", default: PlotKind.lr, help: "with 'to FILE': L and R bars per pair, or SI per segment with the flag band")

    static func plot(_ results: [PairResult], unit: String, band: Double, kind: PlotKind, recording: String, path: String) -> PlotRequest {
        var request = PlotRequest(title: "", series: [], outputPath: path)
        if kind == .si {
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
            request.bars = BarChart(categories: categories, groups: [BarChart.Group(label: "L", values: results.map(\.sideMedians.left)),
                                                                     BarChart.Group(label: "R", values: results.map(\.sideMedians.right))], yLabel: unit)
        }
        return request
    }
}
