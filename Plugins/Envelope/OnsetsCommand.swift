import MyoAnalysis
import MyoCore
import MyoPluginAPI
import MyoSignal

/// A documented parameter set for one detector. Values are in canonical units (s, Hz).
struct OnsetPreset {
    var name: String
    var method: OnsetMethod
    var values: [String: Double]
    var source: String

    static let all: [OnsetPreset] = [
        OnsetPreset(name: "threshold", method: .threshold, values: ["k": 3, "min-on": 0.025, "min-off": 0.025],
                    source: "mean + 3 SD of the baseline held for 25 ms (the 3 SD level of Hodges and Bui 1996; 25 ms is a convention)"),
        OnsetPreset(name: "hodges-bui", method: .hodgesBui,
                    values: ["band-low": 20, "band-high": 450, "cutoff": 50, "window": 0.025, "k": 3, "min-on": 0.025, "min-off": 0.025],
                    source: "Hodges and Bui 1996: 50 Hz low-pass, 25 ms moving average, mean + 3 SD; the 20-450 Hz band and the 25 ms minimum durations are conventions"),
        OnsetPreset(name: "bonato", method: .bonato,
                    values: ["band-low": 20, "band-high": 450, "zeta": 7.74, "m": 5, "r": 1, "min-on": 0.030, "min-off": 0.030],
                    source: "Bonato et al. 1998: m = 5, r = 1, 30 ms minimum duration; zeta = 7.74 gives each noise pair a 2.1 % false-alarm chance (exp(-zeta/2)); the band is a convention"),
        OnsetPreset(name: "solnik", method: .solnik,
                    values: ["band-low": 30, "band-high": 300, "cutoff": 50, "k": 8, "min-on": 0.025, "min-off": 0.025],
                    source: "Solnik et al. 2010: 30-300 Hz band-pass, TKEO, 50 Hz low-pass; k = 8 and the 25 ms minimum durations are conventions (TKEO baselines are skewed, so k is higher than for amplitude)"),
    ]

    static func named(_ name: String) -> OnsetPreset? { all.first { $0.name == name } }
}

/// `onsets SIGNALS method=... baseline=... [parameters | preset=...] [as NAME]`
enum OnsetsCommand {
    static let references = [
        "Hodges PW, Bui BH (1996) A comparison of computer-based methods for the determination of onset of muscle contraction using electromyography. Electroencephalogr Clin Neurophysiol 101:511-519. doi:10.1016/S0921-884X(96)95190-5",
        "Bonato P, D'Alessio T, Knaflitz M (1998) A statistical method for the measurement of muscle activation intervals from surface myoelectric signal during gait. IEEE Trans Biomed Eng 45:287-299. doi:10.1109/10.661154",
        "Solnik S, Rider P, Steinweg K, DeVita P, Hortobagyi T (2010) Teager-Kaiser energy operator signal conditioning improves EMG onset detection. Eur J Appl Physiol 110:489-498. doi:10.1007/s00421-010-1521-8",
    ]

    static let spec = CommandSpec(
        name: "onsets", abstract: "Detect when muscles switch on and off (threshold, Hodges-Bui, Bonato, Solnik)",
        discussion: """
        Detector parameters have no hidden defaults: give each one the method uses, or preset=NAME for a \
        documented set (the values are printed with the result; help lists them). A parameter given \
        explicitly overrides the preset. The baseline statistics come from baseline= on each channel. \
        method=threshold: the input as given (an envelope) against mean + k SD of the baseline. \
        method=hodges-bui: band-pass band=, rectify, low-pass cutoff=, centred moving mean over window=, \
        then mean + k SD. method=solnik: band-pass band=, Teager-Kaiser energy x[n]^2 - x[n-1] x[n+1], \
        rectify, low-pass cutoff=, then mean + k SD. method=bonato: band-pass band=, g = (x[2j]^2 + \
        x[2j+1]^2) / sigma^2 per pair of samples (sigma^2: baseline variance), a pair is active when at least \
        r= of the last m= pairs have g > zeta=. Conditioning filters are zero-phase Butterworth of design \
        order 2. Every method then applies one duration rule: activity begins at the first sample of a run of \
        at least min-on= active samples and ends at the first sample of a run of at least min-off= inactive \
        ones. SD is the sample standard deviation (n - 1). The result is a table (one row per period, numbered \
        for onsets adjust) and events 'CHANNEL on' / 'CHANNEL off' on the recording, replacing that channel's \
        earlier onset events. Presets: \(OnsetPreset.all.map { "\($0.name): \(describe($0.values)) (\($0.source))" }.joined(separator: "; ")).
        """,
        arguments: [
            signals, method, preset, baseline, k, minOn, minOff, band, cutoff, window, zeta, m, r,
        ],
        acceptsOutputName: true,
        examples: ["onsets bridge_env preset=threshold baseline=0s..2s", "onsets reaction.ES_* preset=hodges-bui baseline=0s..1s k=2",
                   "onsets reaction method=bonato baseline=0s..1s band=20Hz..450Hz zeta=7.74 m=5 r=1 min-on=30ms min-off=30ms"],
        references: references)

    /// `k = 3, min-on = 25 ms, ...` in argument order.
    static func describe(_ values: [String: Double]) -> String {
        var parts: [String] = []
        if let low = values["band-low"], let high = values["band-high"] { parts.append("band = \(NumberFormat.significant(low, digits: 6))-\(NumberFormat.quantity(high, "Hz"))") }
        if let v = values["cutoff"] { parts.append("cutoff = \(NumberFormat.quantity(v, "Hz"))") }
        if let v = values["window"] { parts.append("window = \(NumberFormat.quantity(v, "s"))") }
        if let v = values["k"] { parts.append("k = \(NumberFormat.significant(v, digits: 6))") }
        if let v = values["zeta"] { parts.append("zeta = \(NumberFormat.significant(v, digits: 6))") }
        if let v = values["m"] { parts.append("m = \(Int(v))") }
        if let v = values["r"] { parts.append("r = \(Int(v))") }
        if let v = values["min-on"] { parts.append("min-on = \(NumberFormat.quantity(v, "s"))") }
        if let v = values["min-off"] { parts.append("min-off = \(NumberFormat.quantity(v, "s"))") }
        return parts.joined(separator: ", ")
    }

    static let columns = [TableColumn("#"), TableColumn("channel"), TableColumn("on", unit: "s"), TableColumn("off", unit: "s"),
                          TableColumn("duration", unit: "s"), TableColumn("on shift", unit: "ms"), TableColumn("off shift", unit: "ms")]

    /// The method and the values it uses (canonical units), explicit ones over the preset's.
    static let signals = Argument.signals(help: "channels of one recording (raw EMG, or an envelope for method=threshold)")
    static let method = Argument<OnsetMethod?>.optionalChoice("method", OnsetMethod.self, help: "detector (or implied by preset=)")
    static let preset = Argument<String?>.choice("preset", choices: OnsetPreset.all.map(\.name), help: "documented parameter set of a detector")
    static let baseline = Argument.requiredRange("baseline", .time, help: "resting segment for the baseline statistics")
    static let k = Argument<Double?>.number("k", minimum: 0, maximum: 1000, help: "threshold = baseline mean + k x baseline SD (threshold, hodges-bui, solnik)")
    static let minOn = Argument<Double?>.quantity("min-on", .time, minimum: 0, help: "shortest run above threshold that starts activity")
    static let minOff = Argument<Double?>.quantity("min-off", .time, minimum: 0, help: "shortest run below threshold that ends activity")
    static let band = Argument<(Double, Double)?>.range("band", .frequency, help: "conditioning band-pass (hodges-bui, bonato, solnik)")
    static let cutoff = Argument<Double?>.quantity("cutoff", .frequency, help: "conditioning low-pass (hodges-bui, solnik)")
    static let window = Argument<Double?>.quantity("window", .time, help: "moving-mean window (hodges-bui)")
    static let zeta = Argument<Double?>.number("zeta", minimum: 0, help: "threshold on g (bonato)")
    static let m = Argument<Int?>.integer("m", minimum: 1, maximum: 1000, help: "pairs in the decision window (bonato)")
    static let r = Argument<Int?>.integer("r", minimum: 1, maximum: 1000, help: "pairs of the window that must exceed zeta (bonato)")

    static func resolve(_ invocation: Invocation) throws -> (OnsetMethod, [String: Double], String?) {
        let preset = try invocation[preset].flatMap(OnsetPreset.named)
        let typed = try invocation[method]
        if let preset, let typed, preset.method != typed {
            throw MyoError.invalidValue(argument: "preset", value: preset.name, expected: "a preset of method=\(typed.rawValue) (preset=\(preset.name) is for method=\(preset.method.rawValue))")
        }
        guard let method = typed ?? preset?.method else {
            throw MyoError.missingArgument(command: "onsets", name: "method= (or preset=)", usage: spec.usage)
        }
        var given: [String: Double] = [:]
        if let (low, high) = try invocation[band] { given["band-low"] = low; given["band-high"] = high }
        for argument in [cutoff, window, minOn, minOff, k, zeta] { if let v = try invocation[argument] { given[argument.name] = v } }
        for argument in [m, r] { if let v = try invocation[argument] { given[argument.name] = Double(v) } }
        let needed = OnsetParameters.names(for: method)
        let keys = needed.flatMap { $0 == "band" ? ["band-low", "band-high"] : [$0] }
        for key in given.keys.sorted() where !keys.contains(key) {
            let name = key.hasPrefix("band") ? "band" : key
            throw MyoError.other("\(name)= is not a parameter of method=\(method.rawValue), which uses \(needed.map { $0 + "=" }.joined(separator: ", "))")
        }
        var values = preset?.values ?? [:]
        values.merge(given) { _, new in new }
        let missing = needed.filter { name in name == "band" ? values["band-low"] == nil : values[name] == nil }
        if !missing.isEmpty {
            let presets = OnsetPreset.all.filter { $0.method == method }.map { "preset=\($0.name)" }.joined(separator: " or ")
            throw MyoError.other("onsets method=\(method.rawValue) needs \(missing.map { $0 + "=" }.joined(separator: ", ")): detector parameters have no hidden defaults; give them, or \(presets) for the documented set (help onsets)")
        }
        return (method, values.filter { keys.contains($0.key) }, preset?.name)
    }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context, emgOnly: true)
        let (method, values, presetName) = try resolve(invocation)
        let (from, to) = try invocation[baseline]
        guard from < to else {
            throw MyoError.invalidValue(argument: "baseline", value: "\(NumberFormat.quantity(from, "s"))..\(NumberFormat.quantity(to, "s"))", expected: "a start before the end")
        }
        if let r = values["r"], let m = values["m"], r > m {
            throw MyoError.outOfRange(argument: "r", value: String(Int(r)), limit: "at most m = \(Int(m))")
        }
        var rows: [[TableCell]] = []
        var notes: [String] = []
        var events = selection.recording.events
        var newEvents: [Event] = []
        for ref in selection.refs {
            let channel = ref.channel
            let fs = channel.sampleRateHz
            let parameters = try parameters(method, values, baseline: (from, to), channel: ref)
            let detection: OnsetDetection
            do {
                detection = try OnsetDetector.detect(channel.samples, sampleRateHz: fs, parameters: parameters)
            } catch let error as MyoError {
                throw MyoError.other("\(ref.qualifiedName): \(error)")
            }
            notes.append(thresholdNote(ref, method: method, values: values, detection: detection))
            if detection.periods.isEmpty { notes.append("\(ref.qualifiedName): no activity detected") }
            for period in detection.periods {
                let on = channel.startTimeSeconds + Double(period.on) / fs
                let off = period.off.map { channel.startTimeSeconds + Double($0) / fs }
                rows.append([.integer(rows.count + 1), .text(ref.qualifiedName), .number(on), off.map(TableCell.number) ?? .missing,
                             period.off.map { .number(Double($0 - period.on) / fs) } ?? .missing, .number(0), .number(0)])
                newEvents.append(Event(timeSeconds: on, label: "\(channel.name) on"))
                if let off { newEvents.append(Event(timeSeconds: off, label: "\(channel.name) off")) }
            }
            if detection.periods.last?.off == nil, !detection.periods.isEmpty {
                notes.append("\(ref.qualifiedName): still active at the end of the signal (no off time)")
            }
        }
        let names = Set(selection.refs.map(\.channel.name))
        events.removeAll { event in names.contains { event.label == "\($0) on" || event.label == "\($0) off" } }
        events = (events + newEvents).sorted { ($0.timeSeconds, $0.label) < ($1.timeSeconds, $1.label) }
        let words = "\(method.rawValue)\(presetName.map { " (preset \($0))" } ?? ""): \(describe(values)); baseline \(NumberFormat.quantity(from, "s"))..\(NumberFormat.quantity(to, "s"))"
        // The resolved detector parameters go into the provenance too (the command's own step
        // lists only what was typed).
        let resolved = ProvenanceStep(command: "onsets detector", origin: "\(EnvelopePlugin.id) \(EnvelopePlugin.version)", parameters:
            [.init(name: "method", value: method.rawValue)] + (presetName.map { [.init(name: "preset", value: $0)] } ?? [])
            + [.init(name: "parameters", value: describe(values)), .init(name: "baseline", value: "\(NumberFormat.quantity(from, "s"))..\(NumberFormat.quantity(to, "s"))"),
               .init(name: "conditioning filters", value: "zero-phase Butterworth, design order \(OnsetDetector.conditioningOrder)")])
        let table = ResultTable(title: "onsets, \(words)", columns: columns, rows: rows, notes: notes, provenance: Provenance(sourceFile: nil, steps: [resolved]))
        var recording = selection.recording
        recording.events = events
        return [.table(table)] + (selection.skippedNote.map { [.warning($0)] } ?? []) + [.recording(recording)]
    }

    /// The detector's parameters for one channel, in its samples; checks rates and the baseline.
    static func parameters(_ method: OnsetMethod, _ values: [String: Double], baseline: (Double, Double), channel ref: SignalRef) throws -> OnsetParameters {
        let channel = ref.channel
        let fs = channel.sampleRateHz
        func samples(_ seconds: Double) -> Int { Int((seconds * fs).rounded()) }
        let first = samples(baseline.0 - channel.startTimeSeconds), last = samples(baseline.1 - channel.startTimeSeconds)
        guard first >= 0, last <= channel.sampleCount else {
            throw MyoError.outOfRange(argument: "baseline", value: "\(NumberFormat.quantity(baseline.0, "s"))..\(NumberFormat.quantity(baseline.1, "s"))",
                                      limit: "\(ref.qualifiedName) spans \(NumberFormat.quantity(channel.startTimeSeconds, "s"))..\(NumberFormat.quantity(channel.endTimeSeconds, "s"))")
        }
        guard last - first >= 2 else {
            throw MyoError.outOfRange(argument: "baseline", value: "\(NumberFormat.quantity(baseline.1 - baseline.0, "s"))", limit: "at least 2 samples of \(ref.qualifiedName) (1/fs = \(NumberFormat.quantity(1 / fs, "s")))")
        }
        var p = OnsetParameters(method: method, baseline: first..<last)
        p.k = values["k"]
        p.minOnSamples = values["min-on"].map(samples)
        p.minOffSamples = values["min-off"].map(samples)
        if let low = values["band-low"], let high = values["band-high"] {
            try FilterSettings.checkNyquist(.bandPass(low, high), what: "the band-pass edge", channel: ref.qualifiedName, sampleRateHz: fs)
            p.band = (low, high)
        }
        if let cutoff = values["cutoff"] {
            try FilterSettings.checkNyquist(.lowPass(cutoff), what: "the low-pass cutoff", channel: ref.qualifiedName, sampleRateHz: fs)
            p.cutoffHz = cutoff
        }
        if let window = values["window"] {
            guard samples(window) >= 1 else {
                throw MyoError.outOfRange(argument: "window", value: NumberFormat.quantity(window, "s"), limit: "at least one sample of \(ref.qualifiedName) (1/fs = \(NumberFormat.quantity(1 / fs, "s")))")
            }
            p.windowSamples = samples(window)
        }
        p.zeta = values["zeta"]
        p.m = values["m"].map { Int($0) }
        p.r = values["r"].map { Int($0) }
        return p
    }

    static func thresholdNote(_ ref: SignalRef, method: OnsetMethod, values: [String: Double], detection: OnsetDetection) -> String {
        let unit = ref.channel.unit
        func amount(_ v: Double, _ u: String) -> String { "\(NumberFormat.significant(v, digits: 4))\(u.isEmpty ? "" : " " + u)" }
        switch method {
        case .bonato:
            return "\(ref.qualifiedName): baseline SD \(amount(detection.baselineSD, unit)) after the band-pass; g > \(NumberFormat.significant(detection.threshold, digits: 4)) in \(Int(values["r"]!)) of \(Int(values["m"]!)) pairs"
        case .solnik:
            let u = unit.isEmpty ? "" : unit + "^2"
            return "\(ref.qualifiedName): threshold \(amount(detection.threshold, u)) = mean \(amount(detection.baselineMean, u)) + \(NumberFormat.significant(values["k"]!, digits: 4)) x SD \(amount(detection.baselineSD, u)) of the conditioned TKEO"
        case .threshold, .hodgesBui:
            return "\(ref.qualifiedName): threshold \(amount(detection.threshold, unit)) = mean \(amount(detection.baselineMean, unit)) + \(NumberFormat.significant(values["k"]!, digits: 4)) x SD \(amount(detection.baselineSD, unit))\(method == .hodgesBui ? " of the conditioned signal" : "")"
        }
    }
}

/// `onsets adjust NAME INDEX SHIFT [edge=on|off]`: an expert's correction of one detection.
enum OnsetsAdjustCommand {
    enum Edge: String, CaseIterable { case on, off }
    static let table = Argument.object("name", help: "an onsets table")
    static let index = Argument.requiredInteger("index", positional: true, minimum: 1, help: "row number (the # column)")
    static let shift = Argument.requiredQuantity("shift", .time, positional: true, help: "signed time shift, e.g. +12ms or -8ms")
    static let edge = Argument.choice("edge", default: Edge.on, help: "which edge to move")
    static let spec = CommandSpec(
        name: "onsets adjust", abstract: "Move one detected onset (or offset) by a time shift; the correction stays in the result's history",
        discussion: """
        Moves the on time (edge=on) or off time (edge=off) of row INDEX of the onsets table NAME by SHIFT \
        (+12ms later, -8ms earlier), updates its duration and the recording's matching event, and adds the \
        shift to the row's 'on shift' or 'off shift' column. The command is kept in the table's provenance \
        (why NAME) and in the history, so scripts replay the correction. An onset must stay before its \
        offset and inside the signal.
        """,
        arguments: [
            table, index, shift, edge,
        ],
        examples: ["onsets adjust onsets1 3 +12ms", "onsets adjust onsets1 4 -20ms edge=off"],
        references: [])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let name = try invocation[table]
        var table = try invocation.context.table(named: name)
        guard table.columns == OnsetsCommand.columns else { throw MyoError.other("\(name) is not an onsets table (it has columns \(table.columns.map(\.name).joined(separator: ", ")))") }
        let index = try invocation[index]
        guard index <= table.rows.count else {
            throw MyoError.outOfRange(argument: "INDEX", value: String(index), limit: "1..\(table.rows.count), the rows of \(name)")
        }
        let shift = try invocation[shift]
        let edgeOn = try invocation[edge] == .on
        var row = table.rows[index - 1]
        guard case .text(let qualified) = row[1], case .number(let on) = row[2] else { throw MyoError.other("row \(index) of \(name) has no on time") }
        let off: Double? = { if case .number(let v) = row[3] { return v } else { return nil } }()
        let parts = qualified.split(separator: ".", maxSplits: 1).map(String.init)
        var recording = try invocation.context.recording(named: parts[0])
        guard parts.count == 2, let channel = recording.channels.first(where: { $0.name == parts[1] }) else {
            throw MyoError.other("\(qualified) of \(name) is no longer in the workspace")
        }
        let old = edgeOn ? on : off
        guard let old else { throw MyoError.other("row \(index) of \(name) has no off time to move (the activity lasts to the end of the signal)") }
        let new = ((old + shift) * 1e9).rounded() / 1e9
        let low = edgeOn ? channel.startTimeSeconds : on, high = edgeOn ? (off ?? channel.endTimeSeconds) : channel.endTimeSeconds
        guard new > low || (edgeOn && new == low), new < high || (!edgeOn && new == high) else {
            throw MyoError.outOfRange(argument: "shift", value: NumberFormat.quantity(shift, "s"),
                                      limit: "the \(edgeOn ? "onset" : "offset") of row \(index) at \(NumberFormat.quantity(old, "s")) must stay within \(NumberFormat.quantity(low, "s"))..\(NumberFormat.quantity(high, "s"))")
        }
        let column = edgeOn ? 5 : 6
        let previousShift: Double = { if case .number(let v) = row[column] { return v } else { return 0 } }()
        row[edgeOn ? 2 : 3] = .number(new)
        row[column] = .number(((previousShift + shift * 1000) * 1e9).rounded() / 1e9)
        if let newOff = edgeOn ? off : new { row[4] = .number(((newOff - (edgeOn ? new : on)) * 1e9).rounded() / 1e9) }
        table.rows[index - 1] = row
        let label = "\(channel.name) \(edgeOn ? "on" : "off")"
        if let e = recording.events.firstIndex(where: { $0.label == label && abs($0.timeSeconds - old) < 1e-9 }) {
            recording.events[e].timeSeconds = new
            recording.events.sort { ($0.timeSeconds, $0.label) < ($1.timeSeconds, $1.label) }
        }
        let message = "\(name) #\(index): \(qualified) \(edgeOn ? "onset" : "offset") moved \(shift >= 0 ? "+" : "")\(NumberFormat.quantity(shift, "s")) from \(NumberFormat.quantity(old, "s")) to \(NumberFormat.quantity(new, "s"))"
        return [.message(message), .replacedTable(table, name: name), .recording(recording)]
    }
}
