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
                                    PluginCommand(spec: PlotEnvelopeCommand.spec, run: PlotEnvelopeCommand.run)])
    }

    static let notchArguments = [
        ArgumentSpec("notch", type: .text, help: "mains notch: off, 50Hz or 60Hz (iirnotch, zero-phase)", default: "off"),
        ArgumentSpec("q", type: .number, help: "notch quality factor Q = f0 / (-3 dB bandwidth)", default: "30", minimum: 1, maximum: 1000),
        ArgumentSpec("harmonics", type: .integer, help: "notch the mains frequency and its multiples up to this many times f0 (those below fs/2)", default: "1", minimum: 1, maximum: 20),
    ]

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
        arguments: [
            ArgumentSpec("signals", positional: true, type: .signals, help: "channels to filter (one recording)", required: true, repeating: true),
            ArgumentSpec("band", type: .quantityRange(.frequency), help: "band-pass edges (default: the preset's band, 20Hz..450Hz)"),
            ArgumentSpec("highpass", type: .quantity(.frequency), help: "high-pass cutoff instead of a band"),
            ArgumentSpec("lowpass", type: .quantity(.frequency), help: "low-pass cutoff instead of a band"),
            ArgumentSpec("bandstop", type: .quantityRange(.frequency), help: "band-stop edges instead of a band"),
            ArgumentSpec("order", type: .integer, help: "Butterworth design order N, as scipy's butter(N, ...)", default: "4", minimum: 1, maximum: 10),
        ] + EnvelopePlugin.notchArguments + [
            ArgumentSpec("preset", type: .choice(["default", "trunk"]), help: "default: 20-450 Hz band-pass; trunk: 30-450 Hz (ECG)", default: "default"),
        ],
        acceptsOutputName: true,
        examples: ["filter bridge.ES_* band=20Hz..450Hz order=4 notch=50Hz", "filter trunk preset=trunk as clean", "filter imu.ACC_* lowpass=6Hz order=2"],
        references: EnvelopePlugin.filterReferences)

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation.signals("signals"), context: invocation.context)
        let settings = FilterSettings(band: try FilterSettings.band(from: invocation, preset: invocation.string("preset")),
                                      order: invocation.integer("order") ?? 4, notch: try FilterSettings.notch(from: invocation))
        for ref in selection.refs {
            try FilterSettings.checkNyquist(settings.band, what: "the filter edge", channel: ref.qualifiedName, sampleRateHz: ref.channel.sampleRateHz)
        }
        let samples = try selection.apply { rate in SignalChain(try settings.steps(sampleRateHz: rate)) }
        let name = selection.outputName(invocation, suffix: "filt")
        let recording = selection.derived(name: name, samples: samples) { $0.unit }
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
        arguments: [
            ArgumentSpec("signals", positional: true, type: .signals, help: "raw EMG channels (one recording)", required: true, repeating: true),
            ArgumentSpec("method", type: .choice(["linear", "rms", "tkeo"]), help: "smoothing after the band-pass", default: "linear"),
            ArgumentSpec("band", type: .quantityRange(.frequency), help: "band-pass edges", default: "20Hz..450Hz"),
            ArgumentSpec("order", type: .integer, help: "band-pass design order N (2N poles)", default: "2", minimum: 1, maximum: 10),
        ] + EnvelopePlugin.notchArguments + [
            ArgumentSpec("cutoff", type: .quantity(.frequency), help: "low-pass cutoff of the linear and TKEO envelopes", default: "6Hz"),
            ArgumentSpec("lowpass-order", type: .integer, help: "low-pass design order", default: "2", minimum: 1, maximum: 10),
            ArgumentSpec("winter", type: .flag, help: "correct the low-pass cutoff for the two passes", default: "off"),
            ArgumentSpec("window", type: .quantity(.time), help: "moving RMS window", default: "100ms"),
            ArgumentSpec("align", type: .choice(["centred", "trailing"]), help: "moving RMS window centred on or ending at each sample", default: "centred"),
        ],
        acceptsOutputName: true,
        examples: ["envelope bridge.GM_*", "envelope bridge method=rms window=250ms align=trailing as rms", "envelope trunk band=30Hz..450Hz notch=50Hz harmonics=3"],
        references: EnvelopePlugin.filterReferences + [
            "Li X, Zhou P, Aruin AS (2007) Teager-Kaiser energy operation of surface EMG improves muscle activity onset detection. Ann Biomed Eng 35:1532-1538. doi:10.1007/s10439-007-9320-z",
        ])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation.signals("signals"), context: invocation.context, emgOnly: true)
        let method = invocation.string("method") ?? "linear"
        let (low, high) = invocation.range("band") ?? (20, 450)
        let bandPass = FilterSettings(band: .bandPass(low, high), order: invocation.integer("order") ?? 2, notch: try FilterSettings.notch(from: invocation))
        let cutoff = invocation.quantity("cutoff") ?? 6
        let lowpassOrder = invocation.integer("lowpass-order") ?? 2
        let winter = invocation.flag("winter") ?? false
        let window = invocation.quantity("window") ?? 0.1
        let centred = (invocation.string("align") ?? "centred") == "centred"

        for ref in selection.refs {
            let fs = ref.channel.sampleRateHz
            try FilterSettings.checkNyquist(bandPass.band, what: "the band-pass edge", channel: ref.qualifiedName, sampleRateHz: fs)
            if method != "rms" {
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
            case "rms":
                steps.append(.movingRMS(samples: Int((window * fs).rounded()), centred: centred))
            default:
                if method == "tkeo" { steps.append(.teagerKaiser) }
                steps.append(.rectify)
                let designed = winter ? Butterworth.winterCorrectedCutoff(cutoff, order: lowpassOrder, sampleRateHz: fs) : cutoff
                steps.append(.zeroPhase(try Butterworth.design(order: lowpassOrder, band: .lowPass(designed), sampleRateHz: fs)))
                lowpassWords = FilterSettings.describe(.lowPass(cutoff), order: lowpassOrder)
                if winter { lowpassWords += " (designed at \(NumberFormat.quantity(designed, "Hz")) by Winter's correction, \(NumberFormat.quantity(fs, "Hz")))" }
            }
            return SignalChain(steps)
        }
        let name = selection.outputName(invocation, suffix: "env")
        let recording = selection.derived(name: name, samples: samples) { method == "tkeo" && !$0.unit.isEmpty ? $0.unit + "^2" : $0.unit }
        var words = ["\(method) envelope of \(selection.refs.count) channel\(selection.refs.count == 1 ? "" : "s")", bandPass.description]
        switch method {
        case "rms": words.append("moving RMS over \(NumberFormat.quantity(window, "s")), \(centred ? "centred" : "trailing")")
        case "tkeo": words += ["Teager-Kaiser energy", "full-wave rectification", lowpassWords]
        default: words += ["full-wave rectification", lowpassWords]
        }
        return [.message("\(name): " + words.joined(separator: "; "))] + (selection.skippedNote.map { [.warning($0)] } ?? []) + [.recording(recording)]
    }
}
