import MyoCore
import MyoPluginAPI
import MyoQuality
import MyoSpectrum

/// `plot-quality SIGNAL [view=raw|psd] [mains=auto] [to FILE]`
enum PlotQualityCommand {
    enum View: String, CaseIterable { case raw, psd }
    static let signal = Argument.signals("signal", repeating: false, help: "one EMG channel")
    static let view = Argument.choice("view", default: View.raw, help: "what to draw")
    static let spec = CommandSpec(
        name: "plot-quality", abstract: "Plot a channel's quality: the raw signal with flagged stretches shaded, or its PSD with the mains bins marked",
        discussion: """
        view=raw: the raw channel with stretches shaded that quality would count: flat runs of at least 100 ms, \
        clipped samples (at a rail reached at least 3 times, widened by 10 ms) and 1 s windows with more than 60 % \
        of their power below 20 Hz (motion). view=psd: the PSD averaged over 1 s Hann windows (50 % overlap) \
        from 0 Hz to 450 Hz (or 0.45 fs) with the mains frequency (mains=, or the line that stands out 6 dB above its neighbours, as in quality) and its \
        multiples marked.
        """,
        arguments: [
            signal, view, SharedArguments.mains.help("auto (found in the data), or the mains frequency (50Hz, 60Hz) marked with view=psd"),
        ],
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["plot-quality trunk.ES_L to es_l_quality.png", "plot-quality trunk.ES_L view=psd"],
        references: [])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let refs = try invocation[signal]
        guard refs.count == 1, let ref = refs.first else {
            throw MyoError.invalidValue(argument: "signal", value: "\(refs.count) channels", expected: "exactly one channel, such as rec.ES_L")
        }
        let channel = ref.channel
        let fs = channel.sampleRateHz
        if try invocation[view] == .psd {
            let window = Int(fs.rounded())
            guard window >= 8, channel.sampleCount >= window else { throw MyoError.other("\(ref.qualifiedName) is shorter than the 1 s PSD window") }
            let top = min(450, 0.45 * fs)
            let settings = SpectralSettings(sampleRateHz: fs, windowSamples: window, stepSamples: window / 2, bandHz: (20, top))
            let (frequencies, psd, _) = SlidingSpectrum.averagePSD(channel.samples[...], settings: settings)
            let given = try invocation[SharedArguments.mains].givenHz
            let finding = MainsDetector.detect([MainsDetector.quietSpectrum(channel.samples, sampleRateHz: fs)])
            let mains = given ?? finding.hz
            let shown = frequencies.prefix { $0 <= top }.count
            let unit = channel.unit.isEmpty ? "1/Hz" : "\(channel.unit)^2/Hz"
            let markers = mains.map { base in stride(from: base, through: top, by: base).map { Event(timeSeconds: $0, label: "\(NumberFormat.significant($0, digits: 4)) Hz") } } ?? []
            let title = mains.map { "PSD of \(ref.qualifiedName) with mains (\(given == nil ? finding.description : NumberFormat.quantity($0, "Hz") + ", given")) and its multiples" }
                ?? "PSD of \(ref.qualifiedName): mains \(finding.description)"
            return [.plot(PlotRequest(title: title,
                                      series: [PlotSeries(label: ref.qualifiedName, unit: unit, sampleRateHz: 1 / settings.binWidthHz, startTimeSeconds: 0,
                                                          samples: psd.prefix(shown).map(Float.init))],
                                      fromSeconds: 0, toSeconds: top, markers: markers, outputPath: invocation.destination, xLabel: "frequency (Hz)"))]
        }
        let segments = QualityMeter.flaggedSegments(channel.samples, sampleRateHz: fs)
        var request = PlotRequest(title: "\(ref.qualifiedName): \(segments.isEmpty ? "no flagged stretch" : "\(segments.count) flagged stretch\(segments.count == 1 ? "" : "es") shaded")",
                                  series: [PlotSeries(channel: channel, label: ref.qualifiedName)], outputPath: invocation.destination)
        // Each kind is labelled once (at its first stretch), so many short stretches stay readable.
        var labelled = Set<String>()
        request.shaded = segments.map { segment in
            let label = labelled.insert(segment.1).inserted ? segment.1 : ""
            return (channel.startTimeSeconds + Double(segment.0.lowerBound) / fs, channel.startTimeSeconds + Double(segment.0.upperBound) / fs, label)
        }
        return [.plot(request)]
    }
}
