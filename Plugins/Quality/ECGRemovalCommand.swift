import MyoCore
import MyoPluginAPI
import MyoSignal
import MyoQuality
import MyoSpectrum

/// `deecg SIGNALS [method=template|highpass] [as NAME]`: remove ECG from trunk EMG and show the effect.
enum ECGRemovalCommand {
    enum Method: String, CaseIterable { case template, highpass }
    static let signals = Argument.signals(help: "EMG channels of one recording")
    static let method = Argument.choice("method", default: Method.template, help: "how to remove the ECG")
    static let spec = CommandSpec(
        name: "deecg", abstract: "Remove ECG contamination from EMG channels (template subtraction or 30 Hz high-pass) and show the effect",
        discussion: """
        method=template (default): heartbeats are found as quality finds them (regular peaks of 5-30 Hz energy); \
        the average raw waveform from 100 ms before to 200 ms after the beats is subtracted at each beat \
        (channels without a regular rhythm are left unchanged and said so). method=highpass: a 30 Hz \
        Butterworth high-pass of design order 4, zero-phase (Drake and Callaghan 2006's recommendation, the \
        envelope plugin's preset=trunk edge). The result is a new recording (REC_deecg unless named with as); \
        per channel, the ECG share quality measures before and after is printed.
        """,
        arguments: [
            signals, method,
        ],
        acceptsOutputName: true,
        examples: ["deecg trunk.{ES_L,ES_R,EO_L,EO_R}", "deecg trunk method=highpass as trunk_hp"],
        references: QualityCommand.spec.references)

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context, emgOnly: true)
        let template = try invocation[method] == .template
        var cleaned: [[Float]] = []
        var lines: [String] = []
        for ref in selection.refs {
            let channel = ref.channel
            let fs = channel.sampleRateHz
            let before = try QualityMeter.measure(channel.samples, sampleRateHz: fs, rest: nil, mainsHz: nil)
            var output: [Float]
            var note = ""
            if template {
                let (result, beats) = try QualityMeter.subtractECG(channel.samples, sampleRateHz: fs)
                output = result
                note = beats.isEmpty ? " (no regular heartbeat found: unchanged)" : " (\(beats.count) beats subtracted)"
            } else {
                guard 30 < fs / 2 else { throw MyoError.aboveNyquist(what: "the 30 Hz high-pass", hz: 30, channel: ref.qualifiedName, sampleRateHz: fs) }
                let chain = SignalChain([.zeroPhase(try Butterworth.design(order: 4, band: .highPass(30), sampleRateHz: fs))])
                output = try chain.apply(toChannels: [channel.samples])[0]
            }
            let after = try QualityMeter.measure(output, sampleRateHz: fs, rest: nil, mainsHz: nil)
            func describe(_ q: ChannelQuality) -> String {
                q.heartRatePerMinute > 0 ? "\(NumberFormat.significant(q.ecgShare, digits: 3)) % (\(NumberFormat.significant(q.heartRatePerMinute, digits: 3))/min)" : "no rhythm found"
            }
            lines.append("  \(ref.qualifiedName): ECG share \(describe(before)) -> \(describe(after))\(note)")
            cleaned.append(output)
        }
        let name = selection.outputName(invocation, suffix: "deecg")
        let recording = selection.derived(name: name, samples: cleaned) { $0.unit }
        let method = template ? "ECG template subtraction (-100 to +200 ms around each beat)" : "30 Hz high-pass, Butterworth design order 4, zero-phase"
        return [.message("\(name): \(method)\n" + lines.joined(separator: "\n")), .recording(recording)]
    }
}
