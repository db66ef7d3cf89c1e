import MyoCore
import MyoPluginAPI
import MyoSignal

/// One channel's normalisation reference: the largest moving mean of its envelope over the
/// window, across the reference trials, and where it was found.
struct AmplitudeReference {
    var channel: String
    var value: Double
    var unit: String
    var trial: String
    var centreSeconds: Double

    /// `ES_L = 0.4123 mV (mvc, window centred at 3.25 s)`
    var description: String {
        "\(channel) = \(NumberFormat.significant(value, digits: 4)) \(unit) (\(trial), window centred at \(NumberFormat.quantity(centreSeconds, "s")))"
    }

    /// The references for `channels` from the named trial recordings (same channel names).
    static func find(for channels: [String], trials: [String], windowSeconds: Double, context: CommandContext) throws -> [AmplitudeReference] {
        let recordings = try trials.map { try context.recording(named: $0) }
        return try channels.map { name in
            var best: AmplitudeReference?
            for recording in recordings {
                guard let channel = recording.channels.first(where: { $0.name == name }) else { continue }
                let window = Int((windowSeconds * channel.sampleRateHz).rounded())
                guard window >= 1, window <= channel.sampleCount else {
                    throw MyoError.outOfRange(argument: "window", value: NumberFormat.quantity(windowSeconds, "s"),
                                              limit: "\(recording.name).\(name) lasts \(NumberFormat.quantity(channel.durationSeconds, "s"))")
                }
                let (mean, start) = largestMovingMean(channel.samples, window: window)
                if best == nil || mean > best!.value {
                    best = AmplitudeReference(channel: name, value: mean, unit: channel.unit, trial: recording.name,
                                              centreSeconds: channel.startTimeSeconds + (Double(start) + Double(window - 1) / 2) / channel.sampleRateHz)
                }
            }
            guard let best else {
                throw MyoError.other("no reference trial (\(trials.joined(separator: ", "))) has a channel named \(name)")
            }
            guard best.value > 0 else {
                throw MyoError.other("the reference for \(name) in \(best.trial) is \(NumberFormat.significant(best.value, digits: 4)) \(best.unit): a positive envelope is needed to normalise by it")
            }
            return best
        }
    }

    /// The largest mean of `window` consecutive samples (whole windows only) and its first index.
    static func largestMovingMean(_ samples: [Float], window: Int) -> (Double, Int) {
        var sum = 0.0
        for i in 0..<window { sum += Double(samples[i]) }
        var best = sum, bestStart = 0
        if samples.count > window {
            for start in 1...(samples.count - window) {
                sum += Double(samples[start + window - 1]) - Double(samples[start - 1])
                if sum > best { best = sum; bestStart = start }
            }
        }
        return (best / Double(window), bestStart)
    }
}

/// `mvc SIGNALS from=TRIALS [window=500ms]`: the reference table.
enum MVCCommand {
    static let signals = Argument.signals(help: "envelope channels that need a reference")
    static let trials = Argument.requiredList("from", of: .recording, help: "MVC trial recording(s) holding envelopes, comma-separated")
    static let window = Argument.quantity("window", .time, default: "500ms", help: "moving-mean window")
    static let spec = CommandSpec(
        name: "mvc", abstract: "Per-channel MVC reference: the largest moving mean of the envelope in the MVC trial(s)",
        discussion: """
        For each selected channel, looks up the channel of the same name in each recording named by from= \
        (envelopes of maximal voluntary contraction trials, made with the same envelope settings as the \
        signals to normalise) and takes the largest mean over window= (whole windows only) across them. \
        The table shows the value, its unit, the trial and where the window lies. normalize uses the same \
        computation and records the references with its result.
        """,
        arguments: [
            signals, trials, window,
        ],
        acceptsOutputName: true,
        examples: ["mvc task_env from=mvc_env", "mvc task_env.ES_* from=mvc1_env,mvc2_env window=1s"],
        references: ["Burden A (2010) How should we normalize electromyograms obtained from healthy participants? What we have learned from over 25 years of research. J Electromyogr Kinesiol 20:1023-1035. doi:10.1016/j.jelekin.2010.07.004"])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let refs = try invocation[signals]
        let window = try invocation[window]
        let references = try AmplitudeReference.find(for: uniqueNames(refs), trials: try invocation[trials], windowSeconds: window, context: invocation.context)
        let rows: [[TableCell]] = references.map { reference -> [TableCell] in
            [TableCell.text(reference.channel), TableCell.number(reference.value), TableCell.text(reference.unit), TableCell.text(reference.trial), TableCell.number(reference.centreSeconds)]
        }
        return [.table(ResultTable(title: "MVC references (largest \(NumberFormat.quantity(window, "s")) moving mean)",
                                   columns: [TableColumn("channel"), TableColumn("reference"), TableColumn("unit"), TableColumn("trial"), TableColumn("window centre", unit: "s")],
                                   rows: rows))]
    }

    static func uniqueNames(_ refs: [SignalRef]) -> [String] {
        var seen = Set<String>()
        return refs.map(\.channel.name).filter { seen.insert($0).inserted }
    }
}

/// `normalize SIGNALS mvc=TRIALS | peak=TRIALS [window=500ms]`: envelopes in % of a reference.
enum NormalizeCommand {
    static let signals = Argument.signals(help: "envelope channels to normalise (one recording)")
    static let mvc = Argument.list("mvc", of: .recording, help: "MVC trial envelope recording(s), comma-separated")
    static let peak = Argument.list("peak", of: .recording, help: "trial envelope recording(s) whose peak is the reference, comma-separated")
    static let window = Argument.quantity("window", .time, default: "500ms", help: "moving-mean window for the reference")
    static let spec = CommandSpec(
        name: "normalize", aliases: ["normalise"], abstract: "Express envelopes in %MVC, or in % of the peak across named trials",
        discussion: """
        value(t) / reference x 100, per channel. mvc=TRIALS: the reference is the largest moving mean over \
        window= in the MVC trial envelopes (see mvc); the unit becomes %MVC. peak=TRIALS: the same \
        computation over the named task trials (peak dynamic normalisation; unit %peak); name the \
        normalised recording itself among them to include it. Give exactly one of mvc= and peak=. The \
        references used are written into the result's provenance (why NAME) and printed.
        """,
        arguments: [
            signals, mvc, peak, window,
        ],
        constraints: [.exclusive(["mvc", "peak"])],
        acceptsOutputName: true,
        examples: ["normalize task_env mvc=mvc_env", "normalize s1_env peak=s1_env,s2_env,s3_env as s1_pk"],
        references: MVCCommand.spec.references)

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context)
        let mvc = try invocation[mvc], peak = try invocation[peak]
        guard (mvc == nil) != (peak == nil) else {
            throw MyoError.invalidValue(argument: mvc == nil ? "mvc" : "peak", value: mvc == nil ? "missing" : "given with peak=",
                                        expected: "exactly one of mvc=TRIALS and peak=TRIALS")
        }
        let trials = mvc ?? peak ?? []
        let window = try invocation[window]
        let references = try AmplitudeReference.find(for: selection.refs.map(\.channel.name), trials: trials, windowSeconds: window, context: invocation.context)
        for (ref, reference) in zip(selection.refs, references) where ref.channel.unit != reference.unit {
            throw MyoError.other("\(ref.qualifiedName) is in \(ref.channel.unit.isEmpty ? "no unit" : ref.channel.unit) but its reference in \(reference.trial) is in \(reference.unit.isEmpty ? "no unit" : reference.unit)")
        }
        let unit = mvc != nil ? "%MVC" : "%peak"
        let samples: [[Float]] = zip(selection.refs, references).map { ref, reference in
            let scale = Float(100 / reference.value)
            return ref.channel.samples.map { $0 * scale }
        }
        let name = selection.outputName(invocation, suffix: mvc != nil ? "mvc" : "peak")
        var recording = selection.derived(name: name, samples: samples) { _ in unit }
        recording.provenance = recording.provenance.appending(ProvenanceStep(
            command: mvc != nil ? "mvc reference" : "peak reference", origin: "\(EnvelopePlugin.id) \(EnvelopePlugin.version)",
            parameters: references.map { ProvenanceStep.Parameter(name: $0.channel, value: "\(NumberFormat.significant($0.value, digits: 6)) \($0.unit) (\($0.trial) at \(NumberFormat.quantity($0.centreSeconds, "s")))") }))
        let lines = ["\(name): \(unit) of \(selection.refs.count) channel\(selection.refs.count == 1 ? "" : "s"), references (largest \(NumberFormat.quantity(window, "s")) moving mean):"]
            + references.map { "  " + $0.description }
        return [.message(lines.joined(separator: "\n")), .recording(recording)]
    }
}
