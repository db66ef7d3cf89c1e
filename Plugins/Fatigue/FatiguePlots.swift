#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoPluginAPI
import MyoSignal
import MyoSpectrum

/// `plot-fatigue SIGNALS [measure=mdf|mnf] ... [to FILE]`: trends with their regression lines.
enum PlotFatigueCommand {
    enum Measure: String, CaseIterable { case mdf, mnf }
    static let measure = Argument.choice("measure", default: Measure.mdf, help: "median or mean frequency")
    static let spec = CommandSpec(
        name: "plot-fatigue", abstract: "Plot MDF or MNF over time with each channel's regression line and its equation (left and right together)",
        discussion: FatiguePlugin.spectralDiscussion + " " + """
        Each selected channel is drawn as its per-window values and its least-squares line, labelled with \
        the equation (t in s from the start of the span) and R^2, so left and right sides selected \
        together share one figure.
        """,
        arguments: [FatiguePlugin.signals, measure] + FatiguePlugin.spectralArguments,
        constraints: [SharedArguments.timeWindowOrder],
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["plot-fatigue sorensen.ES_L sorensen.ES_R from=6s to=54s", "plot-fatigue sorensen.MF_* measure=mnf to mf.png"],
        references: FatiguePlugin.references)

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[FatiguePlugin.signals], context: invocation.context, emgOnly: true)
        let mdf = try invocation[measure] == .mdf
        let measure = mdf ? "MDF" : "MNF"
        var series: [PlotSeries] = []
        for (ref, (windows, settings, start)) in zip(selection.refs, try FatigueCommand.analyse(invocation, selection.refs)) {
            let values = windows.map { mdf ? $0.medianHz : $0.meanHz }
            let times = windows.map(\.centreSeconds)
            guard let fit = LinearFit(x: times, y: values) else {
                throw MyoError.other("\(ref.qualifiedName) has fewer than 2 windows with a \(measure): nothing to fit")
            }
            let rate = settings.sampleRateHz / Double(settings.stepSamples)
            let first = start + (times.first ?? 0)
            series.append(PlotSeries(label: "\(ref.channel.name) \(measure)", unit: "Hz", sampleRateHz: rate, startTimeSeconds: first, samples: values.map(Float.init)))
            let sign = fit.slope < 0 ? "-" : "+"
            let equation = "\(ref.channel.name): \(measure) = \(NumberFormat.significant(fit.intercept, digits: 5)) \(sign) \(NumberFormat.significant(abs(fit.slope), digits: 4)) t Hz (R^2 \(NumberFormat.fixed(fit.rSquared, decimals: 2)))"
            series.append(PlotSeries(label: equation, unit: "Hz", sampleRateHz: rate, startTimeSeconds: first, samples: times.map { Float(fit.value(at: $0)) }))
        }
        let (from, to) = try invocation.timeWindow
        let title = "\(measure) over time, \(selection.recording.name) (t from \(NumberFormat.quantity(from ?? 0, "s")))"
        return [.plot(PlotRequest(title: title, series: series, fromSeconds: from, toSeconds: to, outputPath: invocation.destination))]
    }
}

/// `plot-spectrogram SIGNAL ... [to FILE]`: the PSD of every window as a colour image, MDF on top.
enum PlotSpectrogramCommand {
    static let signal = Argument.signals("signal", repeating: false, help: "one EMG channel")
    static let spec = CommandSpec(
        name: "plot-spectrogram", abstract: "Spectrogram of one channel as a heat map (dB), with its MDF drawn over it",
        discussion: FatiguePlugin.spectralDiscussion + " " + """
        Colour = 10 log10(PSD / (1 unit^2/Hz)) per window and bin, from 0 Hz to the band's upper edge. Hour-long \
        recordings are drawn with at most 1200 columns: neighbouring windows' PSDs are averaged (in power, \
        before the dB conversion). The MDF of each window is drawn over the image.
        """,
        arguments: [signal] + FatiguePlugin.spectralArguments,
        constraints: [SharedArguments.timeWindowOrder],
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["plot-spectrogram sorensen.ES_L to es_l_spectrogram.png"],
        references: FatiguePlugin.references)

    static let maximumColumns = 1200

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let refs = try invocation[signal]
        guard refs.count == 1, let ref = refs.first else {
            throw MyoError.invalidValue(argument: "signal", value: "\(refs.count) channels", expected: "exactly one channel, such as rec.ES_L")
        }
        let (settings, samples, start) = try FatiguePlugin.prepare(invocation, ref)
        let (frequencies, power) = SlidingSpectrum.spectrogram(samples, settings: settings)
        let rows = frequencies.prefix { $0 <= settings.bandHz.high }.count
        let group = (power.count + maximumColumns - 1) / maximumColumns
        let columns = (power.count + group - 1) / group
        var values = [Float](repeating: 0, count: columns * rows)
        for column in 0..<columns {
            let members = power[(column * group)..<min(power.count, (column + 1) * group)]
            for row in 0..<rows {
                let mean = members.reduce(0.0) { $0 + $1[row] } / Double(members.count)
                values[row * columns + column] = Float(10 * log10(max(mean, 1e-30)))
            }
        }
        let step = Double(settings.stepSamples) / settings.sampleRateHz
        let firstCentre = start + Double(settings.windowSamples) / 2 / settings.sampleRateHz
        let estimator = PSDEstimator(settings: settings)
        let mdf = power.map { Float(estimator.features($0).medianHz) }
        let unit = ref.channel.unit.isEmpty ? "1" : ref.channel.unit + "^2"
        let map = HeatMap(columns: columns, rows: rows, xStart: firstCentre + step * Double(group - 1) / 2, xStep: step * Double(group),
                          yStart: 0, yStep: settings.binWidthHz, values: values, label: "PSD (dB re 1 \(unit)/Hz)")
        var request = PlotRequest(title: "spectrogram of \(ref.qualifiedName): \(FatiguePlugin.describe(settings))",
                                  series: [PlotSeries(label: "\(ref.channel.name) MDF", unit: "Hz", sampleRateHz: 1 / step, startTimeSeconds: firstCentre, samples: mdf)],
                                  fromSeconds: try invocation[SharedArguments.from], toSeconds: try invocation[SharedArguments.to], outputPath: invocation.destination)
        request.heatMap = map
        request.yLabel = "frequency (Hz)"
        return [.plot(request)]
    }
}
