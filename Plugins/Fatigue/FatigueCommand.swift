import Dispatch
import MyoCore
import MyoPluginAPI
import MyoSignal
import MyoSpectrum

/// The trend of one spectral measure of one channel over the analysed span.
struct Trend {
    var measure: String
    var unit: String
    var fit: LinearFit
    /// Time from the first to the last window centre.
    var spanSeconds: Double

    /// The fitted value at the start of the span (t = 0): the initial value.
    var initial: Double { fit.intercept }
    /// 100 x slope / initial, in %/s.
    var normalisedSlope: Double { 100 * fit.slope / fit.intercept }
    /// 100 x (fitted change over the windows) / initial, in %.
    var changePercent: Double { 100 * fit.slope * spanSeconds / fit.intercept }

    /// The trends of MDF, MNF, FInsm5 and RMS for one channel's windows (times relative to the span).
    static func all(_ windows: [WindowFeatures], unit: String, ref: SignalRef) throws -> [Trend] {
        let t = windows.map(\.centreSeconds)
        let span = (t.last ?? 0) - (t.first ?? 0)
        let series: [(String, String, [Double])] = [("MDF", "Hz", windows.map(\.medianHz)), ("MNF", "Hz", windows.map(\.meanHz)),
                                                   ("FInsm5", "Hz^-6", windows.map(\.fInsm5)), ("RMS", unit, windows.map(\.rms))]
        return try series.map { measure, unit, values in
            guard let fit = LinearFit(x: t, y: values), fit.count >= 3 else {
                throw MyoError.other("\(ref.qualifiedName) has \(values.filter { !$0.isNaN }.count) windows with a \(measure): a regression needs at least 3 (shorten window= or widen from=/to=)")
            }
            return Trend(measure: measure, unit: unit, fit: fit, spanSeconds: span)
        }
    }

    static let columns = [TableColumn("channel"), TableColumn("measure"), TableColumn("unit"), TableColumn("windows"), TableColumn("initial"),
                          TableColumn("slope", unit: "unit/s"), TableColumn("normalised slope", unit: "%/s"),
                          TableColumn("slope CI low", unit: "unit/s"), TableColumn("slope CI high", unit: "unit/s"),
                          TableColumn("R^2"), TableColumn("change", unit: "%")]

    func row(_ channel: String) -> [TableCell] {
        [.text(channel), .text(measure), .text(unit), .integer(fit.count), .number(initial), .number(fit.slope), .number(normalisedSlope),
         fit.slopeInterval95.low.isNaN ? .missing : .number(fit.slopeInterval95.low),
         fit.slopeInterval95.high.isNaN ? .missing : .number(fit.slopeInterval95.high), .number(fit.rSquared), .number(changePercent)]
    }
}

/// `fatigue SIGNALS [window=1s] [overlap=50%] [band=20Hz..450Hz] [exclude-mains=off] ... [as NAME]`
enum FatigueCommand {
    static let spec = CommandSpec(
        name: "fatigue", abstract: "Spectral fatigue: MDF and MNF over time, their slopes and normalised slopes, FInsm5 and RMS trends",
        discussion: FatiguePlugin.spectralDiscussion + " " + """
        Per channel, each measure (MDF, MNF, FInsm5, RMS) is fitted by least squares against the window \
        centre time t, counted from the start of the analysed span (from=, or the channel's start): \
        initial = the intercept (the fitted value at t = 0), slope in unit/s with its 95 % confidence \
        interval (Student's t, n - 2 degrees of freedom), normalised slope = 100 x slope / initial in %/s, \
        R^2, and change = 100 x slope x (last - first window centre) / initial in %. The MDF and MNF series \
        are kept as a recording (REC_fatigue, or NAME_series with as NAME, which names the table): channels CHANNEL_MDF and CHANNEL_MNF \
        in Hz, one sample per window, starting at the first window's centre.
        """,
        arguments: [FatiguePlugin.signals]
            + FatiguePlugin.spectralArguments,
        constraints: [SharedArguments.timeWindowOrder],
        measures: [MeasureSpec(column: "normalised slope", rowKeys: ["channel", "measure"], better: .higher,
                               summary: "normalised MDF or MNF slope of each channel (less negative: less fatigue)")],
        acceptsOutputName: true,
        examples: ["fatigue sorensen.ES_* from=6s to=54s", "fatigue hold window=500ms overlap=0% exclude-mains=50Hz as hold_mf"],
        references: FatiguePlugin.references,
        streams: true)

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[FatiguePlugin.signals], context: invocation.context, emgOnly: true)
        var rows: [[TableCell]] = []
        var channels: [Channel] = []
        var descriptions: [String] = []
        for (ref, (windows, settings, start)) in zip(selection.refs, try analyse(invocation, selection.refs)) {
            let description = FatiguePlugin.describe(settings)
            if !descriptions.contains(description) { descriptions.append(description) }
            for trend in try Trend.all(windows, unit: ref.channel.unit, ref: ref) { rows.append(trend.row(ref.qualifiedName)) }
            let rate = settings.sampleRateHz / Double(settings.stepSamples)
            let first = start + (windows.first?.centreSeconds ?? 0)
            channels.append(Channel(name: ref.channel.name + "_MDF", unit: "Hz", sampleRateHz: rate, startTimeSeconds: first, samples: windows.map { Float($0.medianHz) }))
            channels.append(Channel(name: ref.channel.name + "_MNF", unit: "Hz", sampleRateHz: rate, startTimeSeconds: first, samples: windows.map { Float($0.meanHz) }))
        }
        // The table takes `as NAME`; the series recording is NAME_series (REC_fatigue without as).
        let name = invocation.outputName.map { $0 + "_series" } ?? "\(selection.recording.name)_fatigue"
        let table = ResultTable(title: "fatigue: " + descriptions.joined(separator: "; "), columns: Trend.columns, rows: rows,
                                notes: ["times from the start of the analysed span; slopes by least squares with 95 % CI (t, n - 2 df)"])
        let series = Recording(name: name, channels: channels, events: selection.recording.events, provenance: selection.recording.provenance)
        return [.table(table)] + (selection.skippedNote.map { [.warning($0)] } ?? []) + [.recording(series)]
    }

    /// The windows of each channel over from=..to= (channels in parallel), the settings used and
    /// each span's start time. Everything is checked before any work starts.
    static func analyse(_ invocation: Invocation, _ refs: [SignalRef]) throws -> [([WindowFeatures], SpectralSettings, Double)] {
        var jobs: [(Range<Int>, SpectralSettings, Double)] = []
        for ref in refs {
            let (settings, range, start) = try FatiguePlugin.prepareRange(invocation, ref)
            jobs.append((range, settings, start))
        }
        // Channels in parallel, each read a run of windows at a time (a day stays in its file).
        let results = Locked([Result<[WindowFeatures], Error>?](repeating: nil, count: jobs.count))
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let result = Result { try SlidingSpectrum.features(refs[index].channel, range: jobs[index].0, settings: jobs[index].1) }
            results.withLock { $0[index] = result }
        }
        try Cancellation.check()
        return try refs.indices.map { index in
            do {
                return (try results.withLock { $0[index]! }.get(), jobs[index].1, jobs[index].2)
            } catch let bad as SlidingSpectrum.NonFiniteSample {
                throw FatiguePlugin.nonFinite(refs[index], index: bad.index, value: bad.value)
            }
        }
    }
}
