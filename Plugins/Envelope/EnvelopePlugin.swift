import MyoCore
import MyoPluginAPI
import MyoSignal

/// The plugin's entry symbol: hands the host a descriptor when their ABI versions match.
@_cdecl("myoshell_plugin_entry")
public func myoshellPluginEntry(_ hostABI: UInt32, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
    PluginDescriptor.export(EnvelopePlugin.descriptor, hostABI: hostABI, into: out)
}

/// `filter` and `envelope`: cleaning raw sEMG and measuring how hard each muscle works.
enum EnvelopePlugin {
    static let id = "myoshell.envelope"
    static let version = "1.0.0"

    static func descriptor() -> PluginDescriptor {
        PluginDescriptor(id: id, name: "EMG envelope", version: version,
                         summary: "zero-phase Butterworth filtering with mains notches; linear, RMS and TKEO envelopes; MVC and peak normalisation; onsets and activation",
                         commands: [PluginCommand(spec: FilterCommand.spec, run: FilterCommand.run),
                                    PluginCommand(spec: EnvelopeCommand.spec, run: EnvelopeCommand.run),
                                    PluginCommand(spec: MVCCommand.spec, run: MVCCommand.run),
                                    PluginCommand(spec: NormalizeCommand.spec, run: NormalizeCommand.run),
                                    PluginCommand(spec: OnsetsCommand.spec, run: OnsetsCommand.run),
                                    PluginCommand(spec: OnsetsAdjustCommand.spec, run: OnsetsAdjustCommand.run),
                                    PluginCommand(spec: ActivationCommand.spec, run: ActivationCommand.run),
                                    PluginCommand(spec: PlotEnvelopeCommand.spec, run: PlotEnvelopeCommand.run),
                                    PluginCommand(spec: APDFCommand.spec, run: APDFCommand.run),
                                    PluginCommand(spec: GapsCommand.spec, run: GapsCommand.run),
                                    PluginCommand(spec: BalanceCommand.spec, run: BalanceCommand.run),
                                    PluginCommand(spec: PlotDayCommand.spec, run: PlotDayCommand.run)])
    }

    static let notch = SharedArguments.notch
    static let quality = Argument.number("q", default: "30", minimum: 1, maximum: 1000, help: "notch quality factor Q = f0 / (-3 dB bandwidth)")
    static let harmonics = Argument.integer("harmonics", default: "1", minimum: 1, maximum: 20,
                                            help: "notch the mains frequency and its multiples up to this many times f0 (those below fs/2)")
    static let notchArguments: [any ArgumentDeclaration] = [notch, quality, harmonics]

    static let filterReferences = [
        "Butterworth S (1930) On the theory of filter amplifiers. Wireless Engineer 7:536-541.",
        "Gustafsson F (1996) Determining the initial states in forward-backward filtering. IEEE Trans Signal Process 44:988-992. doi:10.1109/78.492552 (scipy's sosfiltfilt uses odd extension and sosfilt_zi states instead; MyoShell matches scipy)",
        "Drake JDM, Callaghan JP (2006) Elimination of electrocardiogram contamination from electromyogram signals: an evaluation of currently used removal techniques. J Electromyogr Kinesiol 16:175-187. doi:10.1016/j.jelekin.2005.07.003",
        "Winter DA (2009) Biomechanics and Motor Control of Human Movement, 4th ed., sec. 3.4.4 (cutoff correction for multiple passes). Wiley.",
    ]
}

/// `filter SIGNALS [band=...|highpass=...|lowpass=...|bandstop=...] [order=4] [notch=off] [preset=default|trunk]`
enum FilterCommand {
    static let spec = CommandSpec(
        name: "filter", abstract: "Zero-phase Butterworth filter (band-pass by default) with optional mains notches",
        discussion: """
        Designs a digital Butterworth filter exactly as scipy.signal.butter(N, Wn, btype, fs=fs, output='sos') \
        and runs it forward and backward as scipy.signal.sosfiltfilt (odd extension of 3 x (2 sections + 1) \
        samples at each end, sosfilt_zi initial states). order=N is the design order given to butter: a \
        low-pass or high-pass has N poles, a band-pass or band-stop 2N; forward-backward filtering squares \
        the magnitude response, so the effective order is 2N per edge and the phase is zero. \
        notch=50Hz adds an iirnotch (Q = f0 / bandwidth) per multiple up to harmonics x f0, each zero-phase. \
        preset=trunk is a 30-450 Hz band-pass: the 30 Hz high-pass edge removes most ECG from trunk \
        channels (Drake and Callaghan 2006). An explicit band=, highpass=, lowpass= or bandstop= replaces the \
        preset's band. Every edge must lie below each channel's Nyquist frequency fs/2. The result is a new \
        recording (REC_filt unless named with as) with the same channel names, units, rates and events.
        """,
        arguments: [signals, band, highpass, lowpass, bandstop, order] + EnvelopePlugin.notchArguments + [preset],
        constraints: [.exclusive(["band", "highpass", "lowpass", "bandstop"])],
        acceptsOutputName: true,
        examples: ["filter bridge.ES_* band=20Hz..450Hz order=4 notch=50Hz", "filter trunk preset=trunk as clean", "filter imu.ACC_* lowpass=6Hz order=2"],
        references: EnvelopePlugin.filterReferences,
        streams: true)

    enum Preset: String, CaseIterable { case `default`, trunk }
    static let signals = Argument.signals(help: "channels to filter (one recording)")
    static let band = Argument<(Double, Double)?>.range("band", .frequency, help: "band-pass edges (default: the preset's band, 20Hz..450Hz)")
    static let highpass = Argument<Double?>.quantity("highpass", .frequency, help: "high-pass cutoff instead of a band")
    static let lowpass = Argument<Double?>.quantity("lowpass", .frequency, help: "low-pass cutoff instead of a band")
    static let bandstop = Argument<(Double, Double)?>.range("bandstop", .frequency, help: "band-stop edges instead of a band")
    static let order = Argument.integer("order", default: "4", minimum: 1, maximum: 10, help: "Butterworth design order N, as scipy's butter(N, ...)")
    static let preset = Argument.choice("preset", default: Preset.default, help: "default: 20-450 Hz band-pass; trunk: 30-450 Hz (ECG)")

    /// `band=` as a band-pass, or `highpass=`/`lowpass=`/`bandstop=` when given instead (the spec
    /// lets at most one of them through), or the preset's band.
    static func filterBand(_ invocation: Invocation) throws -> FilterBand {
        if let (low, high) = try invocation[band] { return .bandPass(low, high) }
        if let cutoff = try invocation[highpass] { return .highPass(cutoff) }
        if let cutoff = try invocation[lowpass] { return .lowPass(cutoff) }
        if let (low, high) = try invocation[bandstop] { return .bandStop(low, high) }
        return try invocation[preset] == .trunk ? .bandPass(30, 450) : .bandPass(20, 450)
    }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context)
        let settings = FilterSettings(band: try filterBand(invocation), order: try invocation[order], notch: try FilterSettings.notch(from: invocation))
        for ref in selection.refs {
            try FilterSettings.checkNyquist(settings.band, what: "the filter edge", channel: ref.qualifiedName, sampleRateHz: ref.channel.sampleRateHz)
        }
        let samples = try selection.apply { rate in SignalChain(try settings.steps(sampleRateHz: rate)) }
        let name = selection.outputName(invocation, suffix: "filt")
        let recording = selection.derived(name: name, channels: samples) { $0.unit }
        return [.message("\(name): \(settings.description)"), .recording(recording)]
    }
}

/// `envelope SIGNALS [method=linear|rms|tkeo] ...`
enum EnvelopeCommand {
    static let spec = CommandSpec(
        name: "envelope", abstract: "Amplitude envelope: band-pass, rectify, then linear low-pass, moving RMS or TKEO",
        discussion: """
        method=linear (default): band-pass (band=, order=, zero-phase), full-wave rectification |x|, then a \
        zero-phase Butterworth low-pass at cutoff= of design order lowpass-order= (the linear envelope; \
        Winter 2009). method=rms: band-pass, then RMS(t) = sqrt(mean of x^2 over window=), centred on t \
        (align=centred) or ending at t (align=trailing); near the ends the window holds the samples that \
        exist. method=tkeo: band-pass, the Teager-Kaiser energy operator psi[n] = x[n]^2 - x[n-1] x[n+1] \
        (Li, Zhou and Aruin 2007; the end samples copy their neighbours), rectification, then the low-pass; \
        its unit is the input unit squared. notch= adds mains notches after the band-pass. winter=on moves \
        the low-pass cutoff so that the two passes together are -3 dB at cutoff= (Winter's correction, \
        C = (2^(1/2) - 1)^(1/(2N)) on the pre-warped scale). Computation is in double precision; results are \
        stored as Float32. Defaults: 20-450 Hz band-pass of design order 2 (effective order 4 per edge), notch \
        off, linear envelope with a 6 Hz low-pass of design order 2 (effective order 4), all zero-phase. \
        The result is a new recording (REC_env unless named with as).
        """,
        arguments: [signals, method, band, order] + EnvelopePlugin.notchArguments + [cutoff, lowpassOrder, winter, window, align],
        acceptsOutputName: true,
        examples: ["envelope bridge.GM_*", "envelope bridge method=rms window=250ms align=trailing as rms", "envelope trunk band=30Hz..450Hz notch=50Hz harmonics=3"],
        references: EnvelopePlugin.filterReferences + [
            "Li X, Zhou P, Aruin AS (2007) Teager-Kaiser energy operation of surface EMG improves muscle activity onset detection. Ann Biomed Eng 35:1532-1538. doi:10.1007/s10439-007-9320-z",
        ],
        streams: true)

    enum Method: String, CaseIterable { case linear, rms, tkeo }
    enum Alignment: String, CaseIterable { case centred, trailing }
    static let signals = Argument.signals(help: "raw EMG channels (one recording)")
    static let method = Argument.choice("method", default: Method.linear, help: "smoothing after the band-pass")
    static let band = Argument.range("band", .frequency, default: "20Hz..450Hz", help: "band-pass edges")
    static let order = Argument.integer("order", default: "2", minimum: 1, maximum: 10, help: "band-pass design order N (2N poles)")
    static let cutoff = Argument.quantity("cutoff", .frequency, default: "6Hz", help: "low-pass cutoff of the linear and TKEO envelopes")
    static let lowpassOrder = Argument.integer("lowpass-order", default: "2", minimum: 1, maximum: 10, help: "low-pass design order")
    static let winter = Argument.flag("winter", default: false, help: "correct the low-pass cutoff for the two passes")
    static let window = Argument.quantity("window", .time, default: "100ms", help: "moving RMS window")
    static let align = Argument.choice("align", default: Alignment.centred, help: "moving RMS window centred on or ending at each sample")

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context, emgOnly: true)
        let method = try invocation[method]
        let (low, high) = try invocation[band]
        let bandPass = FilterSettings(band: .bandPass(low, high), order: try invocation[order], notch: try FilterSettings.notch(from: invocation))
        let cutoff = try invocation[cutoff]
        let lowpassOrder = try invocation[lowpassOrder]
        let winter = try invocation[winter]
        let window = try invocation[window]
        let centred = try invocation[align] == .centred

        for ref in selection.refs {
            let fs = ref.channel.sampleRateHz
            try FilterSettings.checkNyquist(bandPass.band, what: "the band-pass edge", channel: ref.qualifiedName, sampleRateHz: fs)
            if method != .rms {
                let designed = winter ? Butterworth.winterCorrectedCutoff(cutoff, order: lowpassOrder, sampleRateHz: fs) : cutoff
                try FilterSettings.checkNyquist(.lowPass(designed), what: "the low-pass cutoff", channel: ref.qualifiedName, sampleRateHz: fs)
            } else if Int((window * fs).rounded()) < 1 {
                throw MyoError.outOfRange(argument: "window", value: NumberFormat.quantity(window, "s"), limit: "at least one sample of \(ref.qualifiedName) (1/fs = \(NumberFormat.quantity(1 / fs, "s")))")
            } else if window > ref.channel.durationSeconds {
                // A window longer than the signal gives one RMS for all of it: a flat line, not an envelope.
                throw MyoError.outOfRange(argument: "window", value: NumberFormat.quantity(window, "s"), limit: "the span of \(ref.qualifiedName) (\(NumberFormat.quantity(ref.channel.durationSeconds, "s")))")
            }
        }
        var lowpassWords = ""
        let samples = try selection.apply { fs in
            var steps = try bandPass.steps(sampleRateHz: fs)
            switch method {
            case .rms:
                steps.append(.movingRMS(samples: Int((window * fs).rounded()), centred: centred))
            case .linear, .tkeo:
                if method == .tkeo { steps.append(.teagerKaiser) }
                steps.append(.rectify)
                let designed = winter ? Butterworth.winterCorrectedCutoff(cutoff, order: lowpassOrder, sampleRateHz: fs) : cutoff
                steps.append(.zeroPhase(try Butterworth.design(order: lowpassOrder, band: .lowPass(designed), sampleRateHz: fs)))
                lowpassWords = FilterSettings.describe(.lowPass(cutoff), order: lowpassOrder)
                if winter { lowpassWords += " (designed at \(NumberFormat.quantity(designed, "Hz")) by Winter's correction, \(NumberFormat.quantity(fs, "Hz")))" }
            }
            return SignalChain(steps)
        }
        let name = selection.outputName(invocation, suffix: "env")
        let recording = selection.derived(name: name, channels: samples) { method == .tkeo && !$0.unit.isEmpty ? $0.unit + "^2" : $0.unit }
        var words = ["\(method.rawValue) envelope of \(selection.refs.count) channel\(selection.refs.count == 1 ? "" : "s")", bandPass.description]
        switch method {
        case .rms: words.append("moving RMS over \(NumberFormat.quantity(window, "s")), \(centred ? "centred" : "trailing")")
        case .tkeo: words += ["Teager-Kaiser energy", "full-wave rectification", lowpassWords]
        case .linear: words += ["full-wave rectification", lowpassWords]
        }
        return [.message("\(name): " + words.joined(separator: "; "))] + (selection.skippedNote.map { [.warning($0)] } ?? []) + [.recording(recording)]
    }
}
