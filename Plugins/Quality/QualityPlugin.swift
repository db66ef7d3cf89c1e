import Dispatch
import MyoCore
import MyoPluginAPI
import MyoSignal
import MyoQuality
import MyoSpectrum

/// The plugin's entry symbol: hands the host a descriptor when their ABI versions match.
@_cdecl("myoshell_plugin_entry")
public func myoshellPluginEntry(_ hostABI: UInt32, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
    PluginDescriptor.export(QualityPlugin.descriptor, hostABI: hostABI, into: out)
}

/// Is this channel trustworthy? Grades every EMG channel before anyone reads a number from it.
enum QualityPlugin {
    static let id = "myoshell.quality"
    static let version = "0.1.0"

    static func descriptor() -> PluginDescriptor {
        PluginDescriptor(id: id, name: "signal quality", version: version,
                         summary: "per-channel noise, SNR, mains, clipping, flat line, motion, ECG and spectral checks with ok/warn/bad verdicts",
                         commands: [PluginCommand(spec: QualityCommand.spec, run: QualityCommand.run),
                                    PluginCommand(spec: ECGRemovalCommand.spec, run: ECGRemovalCommand.run),
                                    PluginCommand(spec: PlotQualityCommand.spec, run: PlotQualityCommand.run)])
    }
}

/// One check's limits: above `warn` (or below, for `lowerIsWorse`) warns, beyond `bad` grades bad.
struct Limit {
    var name: String
    var unit: String
    var warn: Double
    var bad: Double?
    var lowerIsWorse = false
    var source: String

    func grade(_ value: Double) -> Int {
        guard value.isFinite else { return 0 }
        if let bad, lowerIsWorse ? value < bad : value > bad { return 2 }
        return (lowerIsWorse ? value < warn : value > warn) ? 1 : 0
    }

    func reason(_ value: Double) -> String {
        let bound = grade(value) == 2 ? bad! : warn
        return "\(name) \(NumberFormat.significant(value, digits: 3)) \(unit) \(lowerIsWorse ? "below" : "above") \(NumberFormat.significant(bound, digits: 3)) \(unit)"
    }
}

/// `quality REC [rest=FROM..TO] [mains=auto|50Hz|60Hz] [as NAME]`
enum QualityCommand {
    static let recordingArgument = Argument.recording("recording", help: "the recording to grade")
    static let rest = Argument<(Double, Double)?>.range("rest", .time, help: "a resting segment for the noise (default: the quietest 1 s window)")
    static let ecg = Argument<String?>.text("ecg", help: "an ECG reference channel of the recording whose R peaks time the ECG check (default: beats found on each channel)")
    static let conventionSource = "MyoShell convention (see docs/QUALITY.md)"
    static let limits: [String: Limit] = [
        "noise": Limit(name: "baseline noise", unit: "uV", warn: 20, bad: 50, source: "conventions; good sEMG front ends reach 1-5 uV RMS (Merletti and Parker 2004)"),
        "snr": Limit(name: "SNR", unit: "dB", warn: 10, bad: 3, lowerIsWorse: true, source: conventionSource),
        "mains": Limit(name: "mains share", unit: "%", warn: 10, bad: 40, source: conventionSource),
        "clipping": Limit(name: "clipped samples", unit: "%", warn: 0.01, bad: 1, source: conventionSource + "; any clipping is worth a look"),
        "flat": Limit(name: "flat-line samples", unit: "%", warn: 1, bad: 20, source: conventionSource),
        "motion": Limit(name: "power below 20 Hz", unit: "%", warn: 30, bad: 60, source: conventionSource + "; the sEMG band starts near 20 Hz (De Luca et al. 2010)"),
        "ecg": Limit(name: "ECG share", unit: "%", warn: 10, bad: 40, source: conventionSource),
    ]
    static let plausibleMedianHz = (30.0, 200.0)
    /// The limits as help shows them: "baseline noise > 20 / 50 uV; ...".
    static let limitsText = limits.keys.sorted().map { key in
        let l = limits[key]!
        return "\(l.name) \(l.lowerIsWorse ? "<" : ">") \(NumberFormat.significant(l.warn, digits: 3)) / \(l.bad.map { NumberFormat.significant($0, digits: 3) } ?? "-") \(l.unit)"
    }.joined(separator: "; ")

    static let spec = CommandSpec(
        name: "quality", abstract: "Grade each EMG channel ok, warn or bad: noise, SNR, mains, clipping, flat line, motion, ECG, spectrum",
        discussion: """
        Per EMG channel: baseline noise = RMS of the 20-450 Hz band-passed signal in rest= (or the quietest \
        1 s window), in uV; SNR = 20 log10(95th percentile of 1 s window RMS / noise); mains share = power \
        within 1 Hz of the mains frequency and its multiples above their neighbours' level, in % of the \
        20-450 Hz band; with mains=auto the frequency is the one whose lines stand out at least 6 dB \
        above the bins 2-5 Hz away (50 or 60 Hz, or none found: the column mains line says which); clipped = samples at the channel's minimum or maximum (each counted when it occurs at \
        least 3 times), in %; flat = samples in runs of one value of at least 100 ms, in % (all zero = bad); \
        motion = power below 20 Hz in % of 0-450 Hz; MDF of the band with the mains bins left out (plausible \
        \(Int(plausibleMedianHz.0))-\(Int(plausibleMedianHz.1)) Hz); ECG = heartbeats found on the channel (regular \
        QRS energy peaks) and the share of the signal's power around them that their average waveform \
        explains (remove it with filter preset=trunk, a 30 Hz high-pass). Limits (warn / bad): \
        \(limitsText); \
        all conventions unless docs/QUALITY.md names a source. Channels graded bad are marked on the \
        recording: results computed on them carry a warning, and set quality strict makes commands refuse them. \
        A recording whose samples stay in its file (a day; see load) is screened for constant and saturated \
        channels, then graded one hour at a time, one row per hour and channel; a channel bad in any hour is marked bad.
        """,
        arguments: [
            recordingArgument, rest, SharedArguments.mains, ecg,
        ],
        gradesQuality: true,
        measures: [
            MeasureSpec(column: "grade", rowKeys: ["channel"], better: .lower, summary: "each channel's verdict as a number: 0 ok, 1 warn, 2 bad"),
            MeasureSpec(column: "SNR", rowKeys: ["channel"], better: .higher, summary: "each channel's signal-to-noise ratio"),
            MeasureSpec(column: "noise", rowKeys: ["channel"], better: .lower, summary: "each channel's baseline noise (RMS of the quietest second)"),
        ],
        acceptsOutputName: true,
        examples: ["quality trunk", "quality trunk rest=0s..2s mains=50Hz", "quality trunk ecg=ECG"],
        references: [
            "Merletti R, Parker PA (2004) Electromyography: Physiology, Engineering, and Noninvasive Applications. Wiley-IEEE Press.",
            "De Luca CJ, Gilmore LD, Kuznetsov M, Roy SH (2010) Filtering the surface EMG signal: movement artifact and baseline noise contamination. J Biomech 43:1573-1579. doi:10.1016/j.jbiomech.2010.01.027",
            "Drake JDM, Callaghan JP (2006) Elimination of electrocardiogram contamination from electromyogram signals. J Electromyogr Kinesiol 16:175-187. doi:10.1016/j.jelekin.2005.07.003",
        ],
        streams: true)

    /// Left/right swap hints: for two pairs A and B sampled together, when A's left side rises
    /// and falls with B's right side (and A's right with B's left) clearly more than with its own
    /// side (correlations of 1 s window RMS, crossed sum exceeding the same-side sum by 0.4, a
    /// convention), one pair's electrodes or labels may be swapped.
    static func swapHints(_ emg: [Channel]) -> [String] {
        let pairs = SidePairs(names: emg.map(\.name)).pairs
        guard pairs.count >= 2 else { return [] }
        func envelope(_ name: String) -> [Double]? {
            guard let c = emg.first(where: { $0.name == name }) else { return nil }
            let w = Int(c.sampleRateHz.rounded())
            guard w > 1, c.sampleCount >= 4 * w else { return nil }
            return stride(from: 0, to: c.sampleCount - w + 1, by: w).map { start in
                let slice = c.samples[start..<(start + w)]
                let mean = slice.reduce(0.0) { $0 + Double($1) } / Double(w)
                return (slice.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(w)).squareRoot()
            }
        }
        let correlation = Correlation.pearson
        var hints: [String] = []
        for i in 0..<pairs.count {
            for j in (i + 1)..<pairs.count {
                let (a, b) = (pairs[i], pairs[j])
                guard let al = envelope(a.left), let ar = envelope(a.right), let bl = envelope(b.left), let br = envelope(b.right) else { continue }
                let same = correlation(al, bl) + correlation(ar, br), crossed = correlation(al, br) + correlation(ar, bl)
                if crossed - same > 0.4 {
                    hints.append("swap hint: \(a.left) moves with \(b.right) (r = \(NumberFormat.fixed(correlation(al, br), decimals: 2))) rather than \(b.left) (r = \(NumberFormat.fixed(correlation(al, bl), decimals: 2))): the left/right electrodes or labels of \(a.muscle) or \(b.muscle) may be swapped")
                }
            }
        }
        return hints
    }

    /// Microvolts per unit of the channel, or nil when it is not a voltage.
    static func microvolts(_ unit: String) -> Double? {
        switch unit { case "V": return 1e6; case "mV": return 1e3; case "uV", "µV": return 1; default: return nil }
    }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let recording = try invocation.context.recording(named: invocation[recordingArgument])
        if recording.channels.contains(where: \.isFileBacked) { return try gradeByHour(invocation, recording) }
        let (table, graded) = try grade(invocation, recording)
        return [.table(table), .recording(graded)]
    }

    /// A recording whose samples stay in its file (a day) is screened for constant and saturated
    /// channels block by block, then graded an hour at a time (each hour read into memory, the
    /// last one as long as it is, from 10 s): one row per hour and channel, so a day's drying
    /// or loosened electrode shows when it happened. A channel bad in any hour is marked bad.
    static func gradeByHour(_ invocation: Invocation, _ recording: Recording) throws -> [CommandOutput] {
        guard try invocation[rest] == nil else {
            throw MyoError.invalidValue(argument: "rest", value: "given", expected: "no rest= for a recording read from its file (graded hour by hour): crop the span with the rest first (crop REC from=... to=... as PART)")
        }
        var graded = recording
        let screened = LoadScreen.badChannels(of: recording)
        for (name, reason) in screened { graded.badChannels[name] = reason }
        let start = recording.channels.map(\.startTimeSeconds).min() ?? 0
        let hours = Int((recording.durationSeconds / 3600).rounded(.up))
        var rows: [[TableCell]] = []
        var columns: [TableColumn] = []
        var notes: [String] = []
        var badHours: [String: [Int]] = [:]
        for hour in 0..<hours {
            try Cancellation.check()
            let from = start + Double(hour) * 3600, to = min(from + 3600, start + recording.durationSeconds)
            guard to - from >= 10 else { continue }
            var part = recording
            part.channels = try recording.channels.map { channel in
                var inMemory = channel
                let range = channel.sampleRange(fromSeconds: from, toSeconds: to)
                inMemory.samples = try channel.samples(in: range)
                inMemory.startTimeSeconds = channel.startTimeSeconds + Double(range.lowerBound) / channel.sampleRateHz
                return inMemory
            }
            let (table, _) = try grade(invocation, part)
            columns = [TableColumn("hour")] + table.columns
            let label = "\(hour)h-\(hour + 1)h"
            let gradeColumn = table.columns.firstIndex { $0.name == "grade" }!
            for row in table.rows {
                rows.append([.text(label)] + row)
                if case .integer(2) = row[gradeColumn], case .text(let channel) = row[0] { badHours[channel, default: []].append(hour) }
            }
            for note in table.notes.dropFirst() where !notes.contains(note) { notes.append(note) }
        }
        for (channel, list) in badHours {
            graded.badChannels[channel] = "quality: bad in \(list.count) of \(hours) hours (first \(list[0])h-\(list[0] + 1)h)"
        }
        let badCount = badHours.count
        notes.insert("graded hour by hour (the samples stay in their file); limits: help quality; a channel bad in any hour is marked bad on \(recording.name)", at: 0)
        if let line = LoadScreen.warning(screened, path: recording.name) { notes.append(line) }
        let table = ResultTable(title: "quality of \(recording.name) by hour: \(hours) hour\(hours == 1 ? "" : "s"), \(badCount) channel\(badCount == 1 ? "" : "s") bad in some hour",
                                columns: columns, rows: rows, notes: notes)
        return [.table(table), .recording(graded)]
    }

    /// The grading of a recording in memory: the table and the recording with its bad channels marked.
    static func grade(_ invocation: Invocation, _ input: Recording) throws -> (ResultTable, Recording) {
        var recording = input
        let emg = recording.channels.filter { $0.kind == .emg }
        guard !emg.isEmpty else { throw MyoError.noEMGChannels(recording) }
        let mains = try invocation[SharedArguments.mains].givenHz
        let rest = try invocation[rest]
        var referenceBeats: [Int]?
        var referenceRate: Double?
        if let name = try invocation[ecg] {
            guard let reference = recording.channels.first(where: { $0.name == name }) else {
                throw MyoError.invalidValue(argument: "ecg", value: name, expected: "a channel of \(recording.name) (\(recording.channels.map(\.name).joined(separator: ", ")))")
            }
            let beats = try QualityMeter.beats(reference.samples, sampleRateHz: reference.sampleRateHz)
            guard !beats.isEmpty else { throw MyoError.other("no regular heartbeat was found on the ECG reference \(name)") }
            referenceBeats = beats
            referenceRate = reference.sampleRateHz
        }
        // Mains is a property of the room: with mains=auto it is looked for on all EMG channels at once.
        var finding: MainsDetector.Finding?
        if mains == nil {
            var spectra = [MainsDetector.Spectrum?](repeating: nil, count: emg.count)
            spectra.withUnsafeMutableBufferPointer { out in
                DispatchQueue.concurrentPerform(iterations: emg.count) { out[$0] = MainsDetector.quietSpectrum(emg[$0].samples, sampleRateHz: emg[$0].sampleRateHz) }
            }
            finding = MainsDetector.detect(spectra)
        }
        var measured = [Result<ChannelQuality, MyoError>](repeating: .failure(.cancelled), count: emg.count)
        measured.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: emg.count) { index in
                let channel = emg[index]
                let shifted = rest.map { ($0.0 - channel.startTimeSeconds, $0.1 - channel.startTimeSeconds) }
                do {
                    // Reference beats apply to channels sampled like the reference.
                    let beats = channel.sampleRateHz == referenceRate ? referenceBeats : nil
                    out[index] = .success(try QualityMeter.measure(channel.samples, sampleRateHz: channel.sampleRateHz, rest: shifted, mainsHz: mains, mainsFinding: finding, referenceBeats: beats))
                } catch let error as MyoError {
                    out[index] = .failure(error)
                } catch {
                    out[index] = .failure(.other("\(error)"))
                }
            }
        }
        var rows: [[TableCell]] = []
        var badCount = 0, warnCount = 0
        for (channel, result) in zip(emg, measured) {
            let q: ChannelQuality
            switch result {
            case .success(let value): q = value
            case .failure(let error): throw MyoError.other("\(recording.name).\(channel.name): \(error)")
            }
            var grade = 0
            var reasons: [String] = []
            func check(_ key: String, _ value: Double) {
                let limit = limits[key]!
                let g = limit.grade(value)
                if g > 0 { reasons.append(limit.reason(value)); grade = max(grade, g) }
            }
            let scale = microvolts(channel.unit) ?? 1
            if q.allZero { grade = 2; reasons.append("all samples are zero") } else {
                check("noise", q.noiseRMS * scale)
                check("snr", q.snrDB)
                check("mains", q.mainsShare)
                check("clipping", q.clippedShare)
                check("flat", q.flatShare)
                check("motion", q.lowFrequencyShare)
                check("ecg", q.ecgShare)
                if q.medianHz.isFinite, q.medianHz < plausibleMedianHz.0 || q.medianHz > plausibleMedianHz.1 {
                    grade = max(grade, 1)
                    reasons.append("MDF \(NumberFormat.significant(q.medianHz, digits: 3)) Hz outside \(Int(plausibleMedianHz.0))-\(Int(plausibleMedianHz.1)) Hz")
                }
                if q.ecgShare > limits["ecg"]!.warn { reasons.append("try filter preset=trunk (30 Hz high-pass)") }
                // Skin-surface sEMG noise stays in microvolts; millivolts of "noise" mean the values
                // still carry an amplifier's gain (C3D analog inputs often hold the amplifier output).
                if q.noiseRMS * scale > 1000 { reasons.append("try dividing by the amplifier's gain G (for G = 1000: scale \(recording.name).\(channel.name) gain=0.001 unit=\(channel.unit)): noise above 1 mV RMS is not plausible at the skin") }
            }
            let verdict = ["ok", "warn", "bad"][grade]
            if grade == 2 {
                badCount += 1
                recording.badChannels[channel.name] = "quality: " + reasons.filter { !$0.hasPrefix("try ") }.joined(separator: "; ")
            } else {
                warnCount += grade
                if recording.badChannels[channel.name]?.hasPrefix("quality: ") == true { recording.badChannels[channel.name] = nil }
            }
            rows.append([.text(channel.name), .number(q.noiseRMS * scale), .text("\(NumberFormat.fixed(q.restSeconds.0 + channel.startTimeSeconds, decimals: 1))-\(NumberFormat.fixed(q.restSeconds.1 + channel.startTimeSeconds, decimals: 1))"),
                         q.snrDB.isFinite ? .number(q.snrDB) : .missing, .number(q.mainsShare), .text(q.mainsFinding), .number(q.clippedShare), .number(q.flatShare),
                         .number(q.lowFrequencyShare), q.medianHz.isFinite ? .number(q.medianHz) : .missing,
                         .number(q.heartRatePerMinute), .number(q.ecgShare), .text(verdict), .integer(grade), .text(reasons.isEmpty ? "-" : reasons.joined(separator: "; "))])
        }
        var notes = ["limits: help quality; channels graded bad are marked on \(recording.name) (results on them are flagged; set quality strict refuses them)"]
        notes += swapHints(emg)
        // A mains frequency the recording's files state (BIDS PowerLineFrequency) is checked
        // against the data, not taken on trust.
        if let stated = recording.metadata["mains"].flatMap(Double.init), let finding {
            if let found = finding.hz, abs(found - stated) > 0.5 {
                notes.append("the recording's sidecar states \(NumberFormat.quantity(stated, "Hz")) mains, but the data show \(finding.description): the data's frequency was used; check the sidecar, or give mains=")
            } else if finding.hz == nil {
                notes.append("the recording's sidecar states \(NumberFormat.quantity(stated, "Hz")) mains; no line stands out in the data (\(finding.description))")
            }
        }
        let table = ResultTable(
            title: "quality of \(recording.name): \(emg.count - badCount - warnCount) ok, \(warnCount) warn, \(badCount) bad",
            columns: [TableColumn("channel"), TableColumn("noise", unit: "uV"), TableColumn("rest", unit: "s"), TableColumn("SNR", unit: "dB"),
                      TableColumn("mains", unit: "%"), TableColumn("mains line"), TableColumn("clipped", unit: "%"), TableColumn("flat", unit: "%"), TableColumn("below 20 Hz", unit: "%"),
                      TableColumn("MDF", unit: "Hz"), TableColumn("heart rate", unit: "1/min"), TableColumn("ECG share", unit: "%"), TableColumn("verdict"), TableColumn("grade"), TableColumn("reasons")],
            rows: rows, notes: notes)
        return (table, recording)
    }
}
