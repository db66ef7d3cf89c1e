import MyoCore
import MyoPluginAPI
import MyoSignal
import MyoSpectrum

/// The plugin's entry symbol: hands the host a descriptor when their ABI versions match.
@_cdecl("myoshell_plugin_entry")
public func myoshellPluginEntry(_ hostABI: UInt32, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
    PluginDescriptor.export(FatiguePlugin.descriptor, hostABI: hostABI, into: out)
}

/// Spectral fatigue: MDF/MNF trends, FInsm5, JASA and the Biering-Sorensen test, on FFTW.
enum FatiguePlugin {
    static let id = "myoshell.fatigue"
    static let version = "1.0.0"
    static var origin: String { "\(id) \(version)" }

    static func descriptor() -> PluginDescriptor {
        PluginDescriptor(id: id, name: "EMG fatigue", version: version,
                         summary: "sliding-window spectra (FFTW): MDF/MNF trends and slopes, FInsm5, JASA, Biering-Sorensen, PSD plots",
                         commands: [PluginCommand(spec: FatigueCommand.spec, run: FatigueCommand.run),
                                    PluginCommand(spec: SpectrumCommand.spec, run: SpectrumCommand.run),
                                    PluginCommand(spec: JasaCommand.spec, run: JasaCommand.run),
                                    PluginCommand(spec: SorensenCommand.spec, run: SorensenCommand.run),
                                    PluginCommand(spec: PlotFatigueCommand.spec, run: PlotFatigueCommand.run),
                                    PluginCommand(spec: PlotSpectrogramCommand.spec, run: PlotSpectrogramCommand.run),
                                    PluginCommand(spec: AtypicalCommand.spec, run: AtypicalCommand.run)])
    }

    static let references = [
        "Merletti R, Knaflitz M, De Luca CJ (1990) Myoelectric manifestations of fatigue in voluntary and electrically elicited contractions. J Appl Physiol 69:1810-1820. doi:10.1152/jappl.1990.69.5.1810",
        "Dimitrov GV, Arabadzhiev TI, Mileva KN, Bowtell JL, Crichton N, Dimitrova NA (2006) Muscle fatigue during dynamic contractions assessed by new spectral indices. Med Sci Sports Exerc 38:1971-1979. doi:10.1249/01.mss.0000233794.31659.6d",
        "Welch PD (1967) The use of fast Fourier transform for the estimation of power spectra. IEEE Trans Audio Electroacoust 15:70-73. doi:10.1109/TAU.1967.1161901",
        "Frigo M, Johnson SG (2005) The design and implementation of FFTW3. Proc IEEE 93:216-231. doi:10.1109/JPROC.2004.840301",
    ]

    /// The positional EMG channels that fatigue, spectrum, jasa and plot-fatigue analyse.
    static let signals = Argument.signals(help: "EMG channels of one recording")

    enum PSDChoice: String, CaseIterable { case periodogram, welch }
    static let window = Argument.quantity("window", .time, default: "1s", help: "analysis window length")
    static let overlap = Argument.quantity("overlap", .ratio, default: "50%", minimum: 0, maximum: 95, help: "overlap of consecutive windows")
    static let band = Argument.range("band", .frequency, default: "20Hz..450Hz", help: "band of the spectral features (inclusive)")
    static let excludeMains = Argument<Double?>.offOrQuantity("exclude-mains", .frequency, minimum: 1,
                                                              help: "leave out bins within 1 Hz of each multiple of this mains frequency: off, or 50Hz, 60Hz")
    static let taper = Argument.choice("taper", default: Taper.hann, help: "window taper (periodic)")
    static let psd = Argument.choice("psd", default: PSDChoice.periodogram, help: "PSD of each window: one transform, or Welch's average of segments")
    static let segment = Argument.quantity("segment", .time, default: "250ms", help: "Welch segment length (50 % overlap inside the window)")

    /// The spectral arguments every command of the plugin shares, with their defaults.
    static let spectralArguments: [any ArgumentDeclaration] = [window, overlap, band, excludeMains, taper, psd, segment] + SharedArguments.timeWindow

    static let spectralDiscussion = """
    Each window is detrended (its mean removed), tapered (periodic Hann by default) and transformed \
    with FFTW; the one-sided PSD is |X|^2 / (fs sum w^2), doubled except at 0 Hz and fs/2 (as \
    scipy.signal.spectrogram with scaling='density'); psd=welch averages segments of segment= with 50 % \
    overlap inside each window. Over the band (inclusive; exclude-mains= drops bins within 1 Hz of each \
    multiple of the mains frequency): MNF = sum f P / sum P; MDF = the frequency that halves the band \
    power, interpolated inside its bin (each bin's power spread evenly over its width); FInsm5 = M(-1) / \
    M(5) with M(k) = sum f^k P df (Dimitrov et al. 2006); RMS of the window about its mean. Window times \
    are their centres.
    """

    /// The settings for one channel, checked against its rate.
    static func settings(_ invocation: Invocation, channel ref: SignalRef) throws -> SpectralSettings {
        let fs = ref.channel.sampleRateHz
        let windowSeconds = try invocation[window]
        let windowSamples = Int((windowSeconds * fs).rounded())
        guard windowSamples >= 8 else {
            throw MyoError.outOfRange(argument: "window", value: NumberFormat.quantity(windowSeconds, "s"), limit: "at least 8 samples of \(ref.qualifiedName) (\(NumberFormat.quantity(8 / fs, "s")) at \(NumberFormat.quantity(fs, "Hz")))")
        }
        let overlap = try invocation[overlap] / 100
        let step = max(1, Int((Double(windowSamples) * (1 - overlap)).rounded()))
        let (low, high) = try invocation[band]
        if high > fs / 2 { throw MyoError.aboveNyquist(what: "the band edge", hz: high, channel: ref.qualifiedName, sampleRateHz: fs) }
        let mains = try invocation[excludeMains]
        var psd = PSDMethod.periodogram
        if try invocation[self.psd] == .welch {
            let segmentSeconds = try invocation[segment]
            let segment = Int((segmentSeconds * fs).rounded())
            guard segment >= 8, segment <= windowSamples else {
                throw MyoError.outOfRange(argument: "segment", value: NumberFormat.quantity(segmentSeconds, "s"), limit: "8 samples to the window (\(NumberFormat.quantity(windowSeconds, "s")))")
            }
            psd = .welch(segmentSamples: segment)
        }
        return SpectralSettings(sampleRateHz: fs, windowSamples: windowSamples, stepSamples: step, taper: try invocation[taper],
                                psd: psd, bandHz: (low, high), mainsHz: mains)
    }

    /// The samples of `from=`..`to=` of a channel, and the time of their first sample.
    static func span(_ invocation: Invocation, channel ref: SignalRef) throws -> (ArraySlice<Float>, Double) {
        let channel = ref.channel
        let (from, to) = try invocation.timeWindow
        let range = channel.sampleRange(fromSeconds: from, toSeconds: to)
        return (channel.samples[range], channel.startTimeSeconds + Double(range.lowerBound) / channel.sampleRateHz)
    }

    /// One channel's settings and analysed samples (from=..to=) with the span's start time,
    /// checked: finite samples, and room for at least one window.
    static func prepare(_ invocation: Invocation, _ ref: SignalRef) throws -> (SpectralSettings, ArraySlice<Float>, Double) {
        let settings = try settings(invocation, channel: ref)
        let (samples, start) = try span(invocation, channel: ref)
        try checkFinite(samples, ref)
        guard settings.windowCount(samples.count) > 0 else {
            throw MyoError.outOfRange(argument: "window", value: NumberFormat.quantity(Double(settings.windowSamples) / settings.sampleRateHz, "s"),
                                      limit: "the analysed span of \(ref.qualifiedName) (\(NumberFormat.quantity(Double(samples.count) / settings.sampleRateHz, "s")))")
        }
        return (settings, samples, start)
    }

    /// One channel's settings and the sample range from=..to= with the span's start time, checked
    /// to hold at least one window; the samples are read later, a run of windows at a time.
    static func prepareRange(_ invocation: Invocation, _ ref: SignalRef) throws -> (SpectralSettings, Range<Int>, Double) {
        let settings = try settings(invocation, channel: ref)
        let channel = ref.channel
        let (from, to) = try invocation.timeWindow
        let range = channel.sampleRange(fromSeconds: from, toSeconds: to)
        guard settings.windowCount(range.count) > 0 else {
            throw MyoError.outOfRange(argument: "window", value: NumberFormat.quantity(Double(settings.windowSamples) / settings.sampleRateHz, "s"),
                                      limit: "the analysed span of \(ref.qualifiedName) (\(NumberFormat.quantity(Double(range.count) / settings.sampleRateHz, "s")))")
        }
        return (settings, range, channel.startTimeSeconds + Double(range.lowerBound) / channel.sampleRateHz)
    }

    /// The sentence for a non-finite sample at `index` of a channel.
    static func nonFinite(_ ref: SignalRef, index: Int, value: Float) -> MyoError {
        let t = ref.channel.startTimeSeconds + Double(index) / ref.channel.sampleRateHz
        return MyoError.other("\(ref.qualifiedName) has a non-finite sample (\(value)) at \(NumberFormat.quantity(t, "s")); crop or repair the channel first")
    }

    /// `1 s Hann windows, 50 % overlap, periodogram, 20-450 Hz`
    static func describe(_ s: SpectralSettings) -> String {
        var text = "\(NumberFormat.quantity(Double(s.windowSamples) / s.sampleRateHz, "s")) \(s.taper.rawValue) windows every \(NumberFormat.quantity(Double(s.stepSamples) / s.sampleRateHz, "s"))"
        switch s.psd {
        case .periodogram: text += ", periodogram"
        case .welch(let n): text += ", Welch (\(NumberFormat.quantity(Double(n) / s.sampleRateHz, "s")) segments, 50 % overlap)"
        }
        text += ", band \(NumberFormat.significant(s.bandHz.low, digits: 6))-\(NumberFormat.quantity(s.bandHz.high, "Hz")), bin \(NumberFormat.quantity(s.binWidthHz, "Hz"))"
        if let mains = s.mainsHz { text += ", without bins within 1 Hz of multiples of \(NumberFormat.quantity(mains, "Hz"))" }
        return text
    }

    /// Every value NaN or infinite: a channel whose samples hold NaN.
    static func checkFinite(_ samples: ArraySlice<Float>, _ ref: SignalRef) throws {
        if let index = SlidingSpectrum.firstNonFinite(samples) {
            throw nonFinite(ref, index: index, value: samples[index])
        }
    }
}
