import MyoCore
import MyoFormats
import MyoPluginAPI
import MyoSignal

/// Commands that reshape recordings: crop, select, resample, align, montage. Each writes its
/// result back under the recording's name, or under `as NAME` to keep the original.
extension Builtins {
    static func channelCommands(_ session: Session) -> [PluginCommand] {
        let cropped = Argument.recording("recording", help: "recording to crop")
        let from = Argument.requiredQuantity("from", .time, help: "start time")
        let to = Argument.requiredQuantity("to", .time, help: "end time")
        let kept = Argument.signals(repeating: false, help: "channels to keep, e.g. rec.{ES_L,ES_R} or rec.ES_*")
        let resampled = Argument.signals(repeating: false, help: "channels to resample")
        let newRate = Argument.requiredQuantity("fs", .frequency, minimum: 1e-9, help: "new sample rate")
        let aligned = Argument.recording("recording", help: "recording to align")
        let commonRate = Argument<Double?>.quantity("fs", .frequency, minimum: 1e-9, help: "common sample rate (default: the highest)")
        let relabelled = Argument.recording("recording", help: "recording to relabel")
        let montageFile = Argument.path("file", extensions: ["yaml", "yml", "csv", "txt"], help: "montage file")
        return [
            PluginCommand(spec: CommandSpec(
                name: "crop", abstract: "Keep the part of a recording between two times",
                discussion: "Keeps samples with from <= t < to on the recording's time base, in every channel, and the events inside. Without 'as NAME' the recording is replaced. The part is read into memory, also from a recording whose samples stay in its file.",
                arguments: [cropped, from, to],
                constraints: [.ordered("from", "to")],
                acceptsOutputName: true,
                examples: ["crop bridge from=10s to=40s", "crop bridge from=10s to=40s as hold"], streams: true)) { [unowned session] invocation in
                var recording = try session.workspace.recording(named: invocation[cropped])
                let from = try invocation[from], to = try invocation[to]
                let source = recording.name
                for index in recording.channels.indices {
                    let channel = recording.channels[index]
                    let range = channel.sampleRange(fromSeconds: from, toSeconds: to)
                    try MemoryBudget.check(values: Double(range.count), bytesPerValue: 4, for: "cropping \(channel.name)", hint: "crop a shorter span")
                    recording.channels[index].samples = try channel.samples(in: range)
                    recording.channels[index].startTimeSeconds = channel.startTimeSeconds + Double(range.lowerBound) / channel.sampleRateHz
                }
                guard recording.channels.contains(where: { $0.sampleCount > 0 }) else {
                    throw MyoError.outOfRange(argument: "from", value: NumberFormat.quantity(from, "s"), limit: "\(source) has no samples between \(NumberFormat.quantity(from, "s")) and \(NumberFormat.quantity(to, "s"))")
                }
                recording.events = recording.events.filter { $0.timeSeconds >= from && $0.timeSeconds < to }
                recording.name = invocation.outputName ?? source
                return [.recording(recording)]
            },
            PluginCommand(spec: CommandSpec(
                name: "select", abstract: "Keep only some channels of a recording",
                arguments: [kept],
                acceptsOutputName: true,
                examples: ["select bridge.ES_* as trunk"])) { [unowned session] invocation in
                let refs = try invocation[kept]
                var recording = try session.workspace.recording(named: refs[0].recordingName)
                recording.channels = refs.map(\.channel)
                recording.name = invocation.outputName ?? refs[0].recordingName
                return [.recording(recording)]
            },
            PluginCommand(spec: CommandSpec(
                name: "resample", abstract: "Change the sample rate of channels (anti-aliased)",
                discussion: """
                Down-sampling first low-passes each channel with a zero-phase Butterworth filter of design order 16 \\
                cut at 0.45 x the new rate (-0.2 dB at 0.40 fs, -6 dB at 0.45 fs, below -56 dB from 0.55 fs, so aliases \\
                folding below 0.45 fs are attenuated by 56 dB or more). Every new sample is then a Lanczos-windowed sinc \\
                interpolation (8 lobes) at its exact time, so any ratio of rates works and no phase shift is added. \\
                The other channels of the recording are kept as they are. A channel whose samples stay in its file (a \
                day) is filtered block by block and interpolated a stretch at a time, so a day's envelopes come down to \
                100 Hz without being held; the result is in memory.
                """,
                arguments: [
                    resampled, newRate,
                ],
                acceptsOutputName: true,
                examples: ["resample bridge.ACC_* fs=2000Hz", "resample bridge fs=1000Hz as bridge1k", "resample day_env fs=100Hz as env100"],
                streams: true)) { [unowned session] invocation in
                let refs = try invocation[resampled]
                let target = try invocation[newRate]
                var recording = try session.workspace.recording(named: refs[0].recordingName)
                for ref in refs {
                    var channel = ref.channel
                    channel.samples = channel.isFileBacked ? try Resampler.resample(streaming: channel, toHz: target)
                                                           : try Resampler.resample(channel.samples, fromHz: channel.sampleRateHz, toHz: target)
                    try Cancellation.check()
                    channel.sampleRateHz = target
                    recording.channels[ref.channelIndex] = channel
                }
                recording.name = invocation.outputName ?? refs[0].recordingName
                return [.recording(recording)]
            },
            PluginCommand(spec: CommandSpec(
                name: "align", abstract: "Put every channel of a recording on one time base",
                discussion: "Resamples every channel (as resample does) to one rate, by default the highest in the recording, and keeps the time span all channels share, so sample k of every channel is at the same time.",
                arguments: [aligned, commonRate],
                acceptsOutputName: true,
                examples: ["align bridge", "align bridge fs=1000Hz as common"])) { [unowned session] invocation in
                var recording = try session.workspace.recording(named: invocation[aligned])
                let target = try invocation[commonRate] ?? (recording.channels.map(\.sampleRateHz).max() ?? 1)
                let start = recording.channels.map(\.startTimeSeconds).max() ?? 0
                let end = recording.channels.map(\.endTimeSeconds).min() ?? 0
                guard end > start else { throw MyoError.other("the channels of \(recording.name) share no time span, so they cannot be aligned") }
                let exactCount = ((end - start) * target + 1e-9).rounded(.down)
                try MemoryBudget.check(values: exactCount * Double(recording.channels.count), bytesPerValue: 4,
                                       for: "aligning \(recording.channels.count) channels of \(recording.name) at \(NumberFormat.significant(target)) Hz")
                let count = Int(exactCount)
                for index in recording.channels.indices {
                    var channel = recording.channels[index]
                    var resampled = try Resampler.resample(channel.samples, fromHz: channel.sampleRateHz, toHz: target)
                    try Cancellation.check()
                    // Shift to the common start: re-interpolate when the offset is not a whole sample.
                    let offset = (start - channel.startTimeSeconds) * target
                    if abs(offset - offset.rounded()) > 1e-6 {
                        resampled = Resampler.interpolate(resampled.map(Double.init), times: count, step: 1, offset: offset)
                    } else {
                        let first = Int(offset.rounded())
                        resampled = Array(resampled[min(first, resampled.count)..<min(first + count, resampled.count)])
                    }
                    channel.samples = resampled
                    channel.sampleRateHz = target
                    channel.startTimeSeconds = start
                    recording.channels[index] = channel
                }
                recording.name = invocation.outputName ?? recording.name
                return [.recording(recording)]
            },
            PluginCommand(spec: CommandSpec(
                name: "montage", abstract: "Rename sensors to muscles and sides from a montage file",
                discussion: """
                A montage maps sensor labels to channel names, one per line: 'EMG1 -> ES_L', YAML 'EMG1: ES_L' or \\
                'EMG1: {muscle: ES, side: L}', or CSV with the header sensor,name or sensor,muscle,side. Sensors the \\
                recording does not have are listed in a warning. load FILE montage=FILE applies one while loading.
                """,
                arguments: [relabelled, montageFile],
                acceptsOutputName: true,
                examples: ["montage trial montage.yaml"])) { [unowned session] invocation in
                var recording = try session.workspace.recording(named: invocation[relabelled])
                let unmatched = try Montage.load(path: invocation[montageFile]).apply(to: &recording)
                recording.name = invocation.outputName ?? recording.name
                return montageWarning(unmatched, recording: recording.name) + [.recording(recording)]
            },
        ]
    }

    static func montageWarning(_ unmatched: [String], recording: String) -> [CommandOutput] {
        unmatched.isEmpty ? [] : [.warning("the montage names sensors \(recording) does not have: \(unmatched.joined(separator: ", "))")]
    }
}
