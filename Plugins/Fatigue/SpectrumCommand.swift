import MyoCore
import MyoPluginAPI
import MyoSpectrum

/// `spectrum SIGNALS [from=] [to=] [window=1s] ... [to FILE]`: the PSD of a segment.
enum SpectrumCommand {
    static let spec = CommandSpec(
        name: "spectrum", abstract: "PSD of a segment (windows averaged, as Welch) with MDF and MNF marked",
        discussion: FatiguePlugin.spectralDiscussion + " " + """
        spectrum averages the PSDs of all whole windows of from=..to= (Welch's method with window= segments \
        and overlap=), then computes the features of that average. The table gives them per channel; the \
        plot shows each PSD over 0 Hz to the band's upper edge with MDF and MNF as labelled vertical lines.
        """,
        arguments: [FatiguePlugin.signals]
            + FatiguePlugin.spectralArguments,
        constraints: [SharedArguments.timeWindowOrder],
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["spectrum sorensen.ES_L from=6s to=16s", "spectrum sorensen.ES_* from=44s to=54s to late.png"],
        references: FatiguePlugin.references)

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[FatiguePlugin.signals], context: invocation.context, emgOnly: true)
        var rows: [[TableCell]] = []
        var series: [PlotSeries] = []
        var markers: [Event] = []
        var descriptions: [String] = []
        var unit = ""
        for ref in selection.refs {
            let (settings, samples, _) = try FatiguePlugin.prepare(invocation, ref)
            let (frequencies, average, windows) = SlidingSpectrum.averagePSD(samples, settings: settings)
            let features = PSDEstimator(settings: settings).features(average)
            let description = FatiguePlugin.describe(settings)
            if !descriptions.contains(description) { descriptions.append(description) }
            unit = ref.channel.unit.isEmpty ? "1/Hz" : "\(ref.channel.unit)^2/Hz"
            rows.append([.text(ref.qualifiedName), .integer(windows), .number(features.medianHz), .number(features.meanHz), .number(features.peakHz),
                         .number(features.totalPower), .number(features.momentMinus1), .number(features.moment1), .number(features.moment2),
                         .number(features.moment5), .number(features.fInsm5)])
            let shown = frequencies.prefix { $0 <= settings.bandHz.high }
            series.append(PlotSeries(label: ref.qualifiedName, unit: unit, sampleRateHz: 1 / settings.binWidthHz, startTimeSeconds: 0,
                                     samples: average.prefix(shown.count).map(Float.init)))
            markers += [Event(timeSeconds: features.medianHz, label: "\(ref.channel.name) MDF \(NumberFormat.fixed(features.medianHz, decimals: 1)) Hz"),
                        Event(timeSeconds: features.meanHz, label: "\(ref.channel.name) MNF \(NumberFormat.fixed(features.meanHz, decimals: 1)) Hz")]
        }
        let power = selection.refs[0].channel.unit.isEmpty ? "1" : selection.refs[0].channel.unit + "^2"
        let table = ResultTable(title: "spectrum: " + descriptions.joined(separator: "; "),
                                columns: [TableColumn("channel"), TableColumn("windows"), TableColumn("MDF", unit: "Hz"), TableColumn("MNF", unit: "Hz"),
                                          TableColumn("peak", unit: "Hz"), TableColumn("M0 (band power)", unit: power), TableColumn("M-1", unit: power + " Hz^-1"),
                                          TableColumn("M1", unit: power + " Hz"), TableColumn("M2", unit: power + " Hz^2"), TableColumn("M5", unit: power + " Hz^5"),
                                          TableColumn("FInsm5", unit: "Hz^-6")],
                                rows: rows)
        let window = try invocation.timeWindow
        let from = window.from.map { NumberFormat.quantity($0, "s") } ?? "start"
        let to = window.to.map { NumberFormat.quantity($0, "s") } ?? "end"
        let plot = PlotRequest(title: "PSD of \(selection.recording.name), \(from) to \(to)", series: series, fromSeconds: 0,
                               toSeconds: try invocation[FatiguePlugin.band].1, markers: markers, outputPath: invocation.destination, xLabel: "frequency (Hz)")
        return [.table(table), .plot(plot)]
    }
}
