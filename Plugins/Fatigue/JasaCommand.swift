import MyoCore
import MyoPluginAPI
import MyoSpectrum

/// `jasa SIGNALS [window=1s] ...`: the joint analysis of EMG spectrum and amplitude.
enum JasaCommand {
    static let spec = CommandSpec(
        name: "jasa", abstract: "Joint analysis of EMG spectrum and amplitude: fatigue, recovery, force increase or decrease",
        discussion: FatiguePlugin.spectralDiscussion + " " + """
        JASA (Luttmann et al. 1996, 2000): per channel, the least-squares trends of RMS and of MDF over the \
        span (normalised: 100 x slope / initial, in %/s) place the channel in a quadrant: RMS up and MDF \
        down = fatigue; RMS down and MDF up = recovery; both up = force increase; both down = force \
        decrease. The table gives both normalised slopes with their 95 % confidence intervals, and says \
        when an interval includes 0 (the quadrant then rests on a trend indistinguishable from none).
        """,
        arguments: [FatiguePlugin.signals]
            + FatiguePlugin.spectralArguments,
        constraints: [SharedArguments.timeWindowOrder],
        acceptsOutputName: true,
        examples: ["jasa work.ES_* window=1s from=0s to=600s"],
        references: [
            "Luttmann A, Jager M, Sokeland J, Laurig W (1996) Electromyographical study on surgeons in urology. II. Determination of muscular fatigue. Ergonomics 39:298-313. doi:10.1080/00140139608964460",
            "Luttmann A, Jager M, Laurig W (2000) Electromyographical indication of muscular fatigue in occupational field studies. Int J Ind Ergon 25:645-660. doi:10.1016/S0169-8141(99)00053-0",
        ])

    enum Quadrant: String {
        case fatigue, recovery, forceIncrease = "force increase", forceDecrease = "force decrease"

        init(amplitudeSlope: Double, frequencySlope: Double) {
            switch (amplitudeSlope >= 0, frequencySlope >= 0) {
            case (true, false): self = .fatigue
            case (false, true): self = .recovery
            case (true, true): self = .forceIncrease
            case (false, false): self = .forceDecrease
            }
        }
    }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[FatiguePlugin.signals], context: invocation.context, emgOnly: true)
        var rows: [[TableCell]] = []
        var descriptions: [String] = []
        for (ref, (windows, settings, _)) in zip(selection.refs, try FatigueCommand.analyse(invocation, selection.refs)) {
            let description = FatiguePlugin.describe(settings)
            if !descriptions.contains(description) { descriptions.append(description) }
            let trends = try Trend.all(windows, unit: ref.channel.unit, ref: ref)
            let rms = trends.first { $0.measure == "RMS" }!, mdf = trends.first { $0.measure == "MDF" }!
            func normalised(_ trend: Trend, _ value: Double) -> Double { 100 * value / trend.initial }
            let quadrant = Quadrant(amplitudeSlope: rms.fit.slope, frequencySlope: mdf.fit.slope)
            var caveats: [String] = []
            for trend in [rms, mdf] where trend.fit.slopeInterval95.low <= 0 && trend.fit.slopeInterval95.high >= 0 {
                caveats.append("\(trend.measure) trend CI includes 0")
            }
            rows.append([.text(ref.qualifiedName), .number(rms.normalisedSlope),
                         .number(normalised(rms, rms.fit.slopeInterval95.low)), .number(normalised(rms, rms.fit.slopeInterval95.high)),
                         .number(mdf.normalisedSlope), .number(normalised(mdf, mdf.fit.slopeInterval95.low)), .number(normalised(mdf, mdf.fit.slopeInterval95.high)),
                         .text(quadrant.rawValue), .text(caveats.isEmpty ? "both trends significant" : caveats.joined(separator: "; "))])
        }
        let table = ResultTable(title: "JASA: " + descriptions.joined(separator: "; "),
                                columns: [TableColumn("channel"), TableColumn("RMS slope", unit: "%/s"), TableColumn("RMS CI low", unit: "%/s"), TableColumn("RMS CI high", unit: "%/s"),
                                          TableColumn("MDF slope", unit: "%/s"), TableColumn("MDF CI low", unit: "%/s"), TableColumn("MDF CI high", unit: "%/s"),
                                          TableColumn("quadrant"), TableColumn("note")],
                                rows: rows, notes: ["quadrants: RMS up + MDF down = fatigue; RMS down + MDF up = recovery; both up = force increase; both down = force decrease"])
        return [.table(table)] + (selection.skippedNote.map { [.warning($0)] } ?? [])
    }
}
