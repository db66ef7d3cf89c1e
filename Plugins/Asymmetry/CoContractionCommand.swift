import MyoCore
import MyoPluginAPI
import MyoSignal

/// `cocontraction REC.{AGONIST,ANTAGONIST} [segments=...] [as NAME] [to FILE]`
enum CoContractionCommand {
    static let signals = Argument.signals(help: "agonist and antagonist envelopes of one recording")
    static let grouping = Argument<String?>.choice("by", choices: DayGrouping.allCases.map(\.rawValue), help: "instead of segments=: one row per activity (activities' bouts), per hour, or for all")
    static let spec = CommandSpec(
        name: "cocontraction", aliases: ["cocon"], abstract: "Co-contraction of an agonist and an antagonist: Falconer-Winter, Winter's common area, Rudolph's CCI",
        discussion: """
        Give two envelope channels of one recording, agonist first (e.g. trunk.{ES_L,RA_L}, bridge.{GM_L,BF_L}), \
        preferably normalised (%MVC) so that both are on one scale. With A the agonist and B the antagonist, \
        sampled together, over each segment: Falconer and Winter (1985) CI = 2 sum B / sum (A + B) x 100 (%; \
        roles fixed as given); Winter's common area (Winter 2009) = 2 sum min(A, B) / sum (A + B) x 100 (%; \
        the overlap of the two curves, whichever is larger); Rudolph et al. (2000) CCI = mean over samples of \
        (lower / higher) x (lower + higher), in the channels' unit (0 where both are 0). Segments as in \
        asymmetry (all, FROM..TO, events, an onsets table with ref=). The time course (lower / higher) x \
        (lower + higher) per sample is kept as a recording (REC_cocon, channel AGONIST-ANTAGONIST), and \
        'to FILE' draws it with both envelopes. by=activity gives one row per activity instead, over all of \
        its bouts (the 'activity: NAME' events of activities; the indices' sums run over every bout, so a \
        long bout weighs more than a short one), by=hour one per hour of the recording, by=all one row.
        """,
        arguments: [
            signals, AsymmetryPlugin.segments.help("all, FROM..TO, events, or an onsets table"),
            AsymmetryPlugin.reference.help("channel of the onsets table whose periods are the segments"), grouping,
        ],
        measures: [MeasureSpec(column: "Falconer-Winter CI", better: .lower, summary: "co-contraction index, mean over the segments (guarding raises it)"),
                   MeasureSpec(column: "common area", better: .lower, summary: "common area of the two envelopes, mean over the segments")],
        acceptsOutputName: true,
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["cocontraction trunk_mvc.{ES_L,RA_L}", "cocon bridge_mvc.{GM_L,BF_L} segments=onsets1 ref=GM_L to gm_bf.png", "cocontraction day_mvc.{ES_L,RA_L} by=activity"],
        references: [
            "Falconer K, Winter DA (1985) Quantitative assessment of co-contraction at the ankle joint in walking. Electromyogr Clin Neurophysiol 25:135-149.",
            "Winter DA (2009) Biomechanics and Motor Control of Human Movement, 4th ed. Wiley.",
            "Rudolph KS, Axe MJ, Snyder-Mackler L (2000) Dynamic stability after ACL injury: who can hop? Knee Surg Sports Traumatol Arthrosc 8:262-269. doi:10.1007/s001670000130",
        ])

    /// The three indices over paired samples of agonist `a` and antagonist `b`.
    static func indices(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> (falconerWinter: Double, commonArea: Double, rudolph: Double) {
        var sumA = 0.0, sumB = 0.0, sumMin = 0.0, rudolph = 0.0
        for (x, y) in zip(a, b) {
            let p = Double(x), q = Double(y)
            sumA += p; sumB += q; sumMin += min(p, q)
            rudolph += course(p, q)
        }
        let total = sumA + sumB
        return (total > 0 ? 2 * sumB / total * 100 : .nan, total > 0 ? 2 * sumMin / total * 100 : .nan, rudolph / Double(max(a.count, 1)))
    }

    /// Rudolph's per-sample term (lower / higher) x (lower + higher).
    static func course(_ p: Double, _ q: Double) -> Double {
        let high = max(p, q), low = min(p, q)
        return high > 0 ? low / high * (low + high) : 0
    }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let refs = try invocation[signals]
        guard refs.count == 2 else {
            throw MyoError.invalidValue(argument: "signals", value: "\(refs.count) channels", expected: "exactly two: the agonist, then the antagonist (rec.{ES_L,RA_L})")
        }
        let selection = try Selection(refs, context: invocation.context)
        let (agonist, antagonist) = (refs[0].channel, refs[1].channel)
        guard agonist.sampleRateHz == antagonist.sampleRateHz, agonist.sampleCount == antagonist.sampleCount, agonist.startTimeSeconds == antagonist.startTimeSeconds else {
            throw MyoError.other("\(refs[0].qualifiedName) and \(refs[1].qualifiedName) are not sampled together (resample or align them first)")
        }
        guard agonist.unit == antagonist.unit else {
            throw MyoError.other("\(refs[0].qualifiedName) is in \(agonist.unit) but \(refs[1].qualifiedName) is in \(antagonist.unit): normalise both first")
        }
        var notes: [String] = []
        if !agonist.unit.hasPrefix("%") { notes.append("the envelopes are in \(agonist.unit.isEmpty ? "no unit" : agonist.unit), not normalised: the indices depend on the two channels' gains") }
        let indexColumns = [TableColumn("Falconer-Winter CI", unit: "%"), TableColumn("common area", unit: "%"), TableColumn("Rudolph CCI", unit: agonist.unit)]
        let table: ResultTable
        if let by = try invocation[grouping].flatMap(DayGrouping.init(rawValue:)) {
            if try invocation[AsymmetryPlugin.segments] != "all" {
                throw MyoError.other("give segments= or by=, not both: by=\(by.rawValue) makes its own segments")
            }
            var rows: [[TableCell]] = []
            for group in try by.groups(agonist, recording: selection.recording) {
                // One pass over every bout of the group: the sums of the indices run across bouts.
                let a = group.ranges.flatMap { agonist.samples[$0] }, b = group.ranges.flatMap { antagonist.samples[$0] }
                let result = indices(a[...], b[...])
                rows.append([.text(group.name), .number(Double(a.count) / agonist.sampleRateHz), .number(result.falconerWinter), .number(result.commonArea), .number(result.rudolph)])
            }
            table = ResultTable(title: "co-contraction by \(by.rawValue), agonist \(agonist.name), antagonist \(antagonist.name)",
                                columns: [TableColumn(by.rawValue), TableColumn("time", unit: "s")] + indexColumns, rows: rows, notes: notes)
        } else {
            let segments = try AsymmetryPlugin.segments(invocation[AsymmetryPlugin.segments], recording: selection.recording, reference: invocation[AsymmetryPlugin.reference], context: invocation.context)
            var rows: [[TableCell]] = []
            for (index, (from, to)) in segments.enumerated() {
                let range = agonist.sampleRange(fromSeconds: from, toSeconds: to)
                guard !range.isEmpty else { continue }
                let result = indices(agonist.samples[range], antagonist.samples[range])
                rows.append([.integer(index + 1), .number(from), .number(to), .number(result.falconerWinter), .number(result.commonArea), .number(result.rudolph)])
            }
            table = ResultTable(title: "co-contraction, agonist \(agonist.name), antagonist \(antagonist.name)",
                                columns: [TableColumn("#"), TableColumn("from", unit: "s"), TableColumn("to", unit: "s")] + indexColumns, rows: rows, notes: notes)
        }
        let name = invocation.outputName.map { $0 + "_course" } ?? "\(selection.recording.name)_cocon"
        let course = Channel(name: "\(agonist.name)-\(antagonist.name)", unit: agonist.unit, sampleRateHz: agonist.sampleRateHz, startTimeSeconds: agonist.startTimeSeconds,
                             samples: zip(agonist.samples, antagonist.samples).map { Float(Self.course(Double($0), Double($1))) })
        var outputs: [CommandOutput] = [.table(table), .recording(Recording(name: name, channels: [course], events: selection.recording.events, provenance: selection.recording.provenance))]
        if let path = invocation.destination {
            outputs.append(.plot(PlotRequest(title: "co-contraction of \(agonist.name) (agonist) and \(antagonist.name): Rudolph's (lower/higher)(lower+higher)",
                                             series: [PlotSeries(channel: agonist, label: refs[0].qualifiedName), PlotSeries(channel: antagonist, label: refs[1].qualifiedName),
                                                      PlotSeries(channel: course, label: "co-contraction \(course.name)")], outputPath: path)))
        }
        return outputs
    }
}
