import MyoCore

/// The channels a command works on: all from one recording, grouped by sample rate.
public struct Selection {
    public let recording: Recording
    public let refs: [SignalRef]

    /// Channels left out because they are not EMG (for commands that keep EMG only).
    public private(set) var skipped: [SignalRef] = []

    public init(_ refs: [SignalRef], context: CommandContext, emgOnly: Bool = false) throws {
        let names = Array(Set(refs.map(\.recordingName))).sorted()
        guard names.count == 1 else {
            throw MyoError.invalidValue(argument: "signals", value: names.joined(separator: ", "), expected: "channels of one recording (run the command once per recording)")
        }
        recording = try context.recording(named: names[0])
        let emg = refs.filter { $0.channel.kind == .emg }
        if emgOnly, !emg.isEmpty, emg.count < refs.count {
            self.refs = emg
            skipped = refs.filter { $0.channel.kind != .emg }
        } else {
            self.refs = refs
        }
    }

    /// `skipped 3 channels that are not EMG (ACC_X, ACC_Y, ACC_Z)`, or nil.
    public var skippedNote: String? {
        guard !skipped.isEmpty else { return nil }
        return "skipped \(skipped.count) channel\(skipped.count == 1 ? "" : "s") that \(skipped.count == 1 ? "is" : "are") not EMG (\(skipped.map(\.channel.name).joined(separator: ", "))); select them explicitly to include them"
    }

    /// `REC_suffix`, or the `as NAME` the user gave.
    public func outputName(_ invocation: Invocation, suffix: String) -> String {
        invocation.outputName ?? "\(recording.name)_\(suffix)"
    }

    /// The derived recording: the selected channels replaced by `samples`, same names, rates and
    /// start times; the source's events and provenance carried over.
    public func derived(name: String, samples: [[Float]], unit: (Channel) -> String) -> Recording {
        derived(name: name, channels: zip(refs, samples).map { ref, values in
            Channel(name: ref.channel.name, unit: ref.channel.unit, sampleRateHz: ref.channel.sampleRateHz, startTimeSeconds: ref.channel.startTimeSeconds, samples: values)
        }, unit: unit)
    }

    /// The derived recording of result channels (in memory or file-backed), one per selected
    /// channel in order: the selected channels' names, rates, start times and kinds, the unit
    /// from `unit`; the source's events and provenance carried over.
    public func derived(name: String, channels results: [Channel], unit: (Channel) -> String) -> Recording {
        let channels = zip(refs, results).map { ref, result in
            var channel = result
            channel.name = ref.channel.name
            channel.unit = unit(ref.channel)
            channel.sampleRateHz = ref.channel.sampleRateHz
            channel.startTimeSeconds = ref.channel.startTimeSeconds
            channel.declaredKind = ref.channel.declaredKind   // an ECG lead stays one when filtered
            return channel
        }
        var derived = Recording(name: name, channels: channels, events: recording.events, provenance: recording.provenance)
        derived.badChannels = recording.badChannels.filter { entry in channels.contains { $0.name == entry.key } }
        return derived
    }
}
