import MyoAnalysis
import MyoCore
import MyoPluginAPI
import MyoSignal

/// The plugin's entry symbol: hands the host a descriptor when their ABI versions match.
@_cdecl("myoshell_plugin_entry")
public func myoshellPluginEntry(_ hostABI: UInt32, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
    PluginDescriptor.export(AsymmetryPlugin.descriptor, hostABI: hostABI, into: out)
}

/// Left/right balance, co-contraction, flexion-relaxation and team comparison.
enum AsymmetryPlugin {
    static let id = "myoshell.asymmetry"
    static let version = "1.0.0"

    static func descriptor() -> PluginDescriptor {
        PluginDescriptor(id: id, name: "EMG asymmetry", version: version,
                         summary: "left/right ratio, symmetry index and angle with bootstrap CIs; onset latency; co-contraction; flexion-relaxation; team comparison",
                         commands: [PluginCommand(spec: AsymmetryCommand.spec, run: AsymmetryCommand.run),
                                    PluginCommand(spec: CoContractionCommand.spec, run: CoContractionCommand.run),
                                    PluginCommand(spec: FlexionRelaxationCommand.spec, run: FlexionRelaxationCommand.run),
                                    PluginCommand(spec: CompareCommand.spec, run: CompareCommand.run)])
    }

    static let references = [
        "Robinson RO, Herzog W, Nigg BM (1987) Use of force platform variables to quantify the effects of chiropractic manipulation on gait symmetry. J Manipulative Physiol Ther 10:172-176.",
        "Zifchock RA, Davis I, Higginson J, Royer T (2008) The symmetry angle: a novel, robust method of quantifying asymmetry. Gait Posture 27:622-627. doi:10.1016/j.gaitpost.2007.08.006",
        "Efron B, Tibshirani RJ (1993) An Introduction to the Bootstrap. Chapman and Hall, ch. 13 (percentile intervals).",
    ]

    /// The amplitude measures a segment can be summarised by.
    enum Measure: String, CaseIterable {
        case mean, peak, rms, iemg

        /// The measure of `samples` (at `fs`); `rms` is about the segment's mean, `iemg` is
        /// sum |x| / fs in unit x s.
        func of(_ samples: ArraySlice<Float>, fs: Double) -> Double {
            guard !samples.isEmpty else { return .nan }
            switch self {
            case .mean: return samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count)
            case .peak: return Double(samples.max()!)
            case .rms:
                let mean = samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count)
                return (samples.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(samples.count)).squareRoot()
            case .iemg: return samples.reduce(0.0) { $0 + abs(Double($1)) } / fs
            }
        }

        func unit(_ channelUnit: String) -> String {
            self == .iemg ? (channelUnit.isEmpty ? "s" : channelUnit + " s") : channelUnit
        }
    }

    static let measure = Argument.choice("measure", default: Measure.mean, help: "amplitude per segment: mean (envelopes), peak, rms (about the mean: raw EMG), iemg")
    static let pairs = Argument.list("pairs", help: "explicit pairs LEFT:RIGHT,... (default: found from the channel names)")
    /// The segments of asymmetry and co-contraction, and the onsets channel that times them.
    static let segments = Argument.text("segments", default: "all", help: "all, FROM..TO, events, or an onsets table (repetitions)")
    static let reference = Argument<String?>.text("ref", help: "channel of the onsets table whose periods are the repetitions")

    /// Pairs of a recording's channels (explicit, or by naming convention) and the sentence that
    /// says which were used and which were left unpaired.
    static func pairs(_ invocation: Invocation, _ recording: Recording, channels: [Channel]) throws -> (SidePairs, String) {
        let names = channels.map(\.name)
        let pairs = try invocation[Self.pairs].map { try SidePairs(explicit: $0, names: names) } ?? SidePairs(names: names)
        guard !pairs.pairs.isEmpty else {
            throw MyoError.other("\(recording.name) has no left/right pairs among \(names.joined(separator: ", ")) (names like ES_L/ES_R, L_ES/R_ES, ES_left/ES_right, ES_sx/ES_dx); give pairs=LEFT:RIGHT,...")
        }
        let used = pairs.pairs.map { "\($0.muscle) (\($0.left):\($0.right))" }.joined(separator: ", ")
        let unpaired = pairs.unpaired.isEmpty ? "none" : pairs.unpaired.joined(separator: ", ")
        return (pairs, "\(recording.name): pairs \(used); unpaired: \(unpaired)")
    }

    /// Time segments: all, FROM..TO, events (between consecutive events) or the periods of one
    /// channel in an onsets table (ref= names it; default the table's first channel).
    static func segments(_ text: String, recording: Recording, reference: String?, context: CommandContext) throws -> [(Double, Double)] {
        let start = recording.channels.map(\.startTimeSeconds).min() ?? 0
        let end = recording.channels.map(\.endTimeSeconds).max() ?? 0
        switch text {
        case "all": return [(start, end)]
        case "events":
            let times = Array(Set(recording.events.map(\.timeSeconds))).sorted()
            guard times.count >= 2 else { throw MyoError.other("\(recording.name) has fewer than two events: give segments=FROM..TO or an onsets table") }
            return Array(zip(times, times.dropFirst()))
        default:
            if text.contains("..") {
                guard let (from, to) = Quantity.timeRange(text) else {
                    throw MyoError.invalidValue(argument: "segments", value: text, expected: "all, events, an onsets table, or a time range like 5s..20s (start before end)")
                }
                return [(from, to)]
            }
            let table = try context.table(named: text)
            guard table.columns.count >= 4, table.columns[1].name == "channel", table.columns[2].name == "on", table.columns[3].name == "off" else {
                throw MyoError.invalidValue(argument: "segments", value: text, expected: "all, events, an onsets table, or FROM..TO (\(text) is not an onsets table)")
            }
            let channels = table.rows.compactMap { row -> String? in if case .text(let name) = row[1] { return name.split(separator: ".").last.map(String.init) } else { return nil } }
            guard let chosen = reference ?? channels.first else { throw MyoError.other("\(text) has no rows") }
            guard channels.contains(chosen) else {
                throw MyoError.invalidValue(argument: "ref", value: chosen, expected: "a channel of \(text) (\(Array(Set(channels)).sorted().joined(separator: ", ")))")
            }
            return table.rows.compactMap { row -> (Double, Double)? in
                guard case .text(let name) = row[1], name.split(separator: ".").last.map(String.init) == chosen, case .number(let on) = row[2] else { return nil }
                if case .number(let off) = row[3] { return (on, off) }
                return (on, end)
            }
        }
    }

    /// The measure of a channel between two times (s).
    static func measure(_ measure: Measure, _ channel: Channel, from: Double, to: Double) -> Double {
        measure.of(channel.samples[channel.sampleRange(fromSeconds: from, toSeconds: to)], fs: channel.sampleRateHz)
    }
}
