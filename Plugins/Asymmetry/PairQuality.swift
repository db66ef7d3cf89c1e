import MyoCore
import MyoPluginAPI
import MyoQuality
import MyoSpectrum

/// Whether the channels of a left/right pair carry enough signal for a ratio to mean anything.
/// Noise and mains add the same power to both sides, so on a noisy pair every ratio drifts
/// towards 1. The raw EMG of each side is measured as `quality` does (QualityMeter): the pair is
/// flagged when either side's SNR is below 10 dB or its mains share above 10 %, quality's own warn
/// limits (docs/QUALITY.md).
enum PairQuality {
    static let minimumSNRdB = 10.0
    static let maximumMainsShare = 10.0

    /// The raw EMG behind a channel: the channel itself when it is raw (it has negative samples),
    /// else the same-named channel of a recording its provenance names (an envelope's source).
    static func rawChannel(_ name: String, of recording: Recording, context: CommandContext) -> Channel? {
        func isRaw(_ channel: Channel) -> Bool { UnitDefinition.named(channel.unit)?.dimension == .voltage && channel.samples.contains { $0 < 0 } }
        if let own = recording.channels.first(where: { $0.name == name }), isRaw(own) { return own }
        let names = recording.provenance.steps.flatMap { $0.parameters.map { String($0.value.split(separator: ".").first ?? "") } }
        for candidate in names where candidate != recording.name && context.recordingNames.contains(candidate) {
            if let source = try? context.recording(named: candidate), let channel = source.channels.first(where: { $0.name == name }), isRaw(channel) { return channel }
        }
        return nil
    }

    /// "ok", or what is wrong with which side; and whether the pair is flagged.
    static func assess(left: String, right: String, of recording: Recording, context: CommandContext) -> (text: String, flagged: Bool) {
        var problems: [String] = []
        var missing: [String] = []
        for name in [left, right] {
            guard let raw = rawChannel(name, of: recording, context: context) else { missing.append(name); continue }
            guard let q = try? QualityMeter.measure(raw.samples, sampleRateHz: raw.sampleRateHz, rest: nil, mainsHz: nil) else { missing.append(name); continue }
            if q.snrDB < minimumSNRdB { problems.append("\(name) SNR \(NumberFormat.fixed(q.snrDB, decimals: 1)) dB < \(Int(minimumSNRdB)) dB") }
            if q.mainsShare > maximumMainsShare { problems.append("\(name) mains \(NumberFormat.fixed(q.mainsShare, decimals: 0)) % > \(Int(maximumMainsShare)) %") }
        }
        if !problems.isEmpty { return ("noisy: " + problems.joined(separator: ", "), true) }
        if !missing.isEmpty { return ("not checked (no raw EMG of \(missing.joined(separator: ", ")) in the workspace)", false) }
        return ("ok", false)
    }
}
