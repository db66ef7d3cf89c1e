#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// Publishes a recording as LSL outlets in real time (`stream`): one outlet a group of channels
/// that share a kind and a rate (EMG and other signals as `NAME`, IMU as `NAME-IMU`, a further
/// rate as `NAME-<rate>Hz`), with labels and units in the stream metadata. Each sample is stamped
/// with the LSL clock at which it is due: start + its time / speed.
public final class RecordingPublisher {
    struct Group {
        var outlet: LSLOutlet
        var channels: [Channel]
        var sent = 0
        var count: Int { channels.map(\.sampleCount).min() ?? 0 }
    }

    let library: LSLLibrary
    var groups: [Group] = []
    public let chunkSeconds: Double
    public let speed: Double

    public init(_ library: LSLLibrary, recording: Recording, name: String, chunkSeconds: Double, speed: Double) throws {
        self.library = library
        self.chunkSeconds = chunkSeconds
        self.speed = speed
        let start = recording.channels.map(\.startTimeSeconds).min() ?? 0
        for (position, group) in recording.channelGroups.enumerated() {
            let channels = group.channelIndices.map { recording.channels[$0] }
            guard abs((channels.first?.startTimeSeconds ?? start) - start) < 1 / group.sampleRateHz else {
                throw MyoError.other("\(channels[0].name) starts at \(NumberFormat.quantity(channels[0].startTimeSeconds, "s")), after the recording's start; crop the recording so its channels start together before streaming it")
            }
            let suffix = position == 0 ? "" : (group.isIMU && !recording.channelGroups[..<position].contains(where: \.isIMU) ? "-IMU" : "-\(NumberFormat.significant(group.sampleRateHz, digits: 6))Hz")
            let type = group.isIMU ? "IMU" : (channels.allSatisfy { $0.kind == .emg } ? "EMG" : "Signals")
            let description = StreamDescription(
                name: name + suffix, type: type,
                channels: channels.map { StreamDescription.ChannelInfo(label: $0.name, unit: $0.unit, type: $0.kind == .emg ? "EMG" : $0.kind.rawValue) },
                nominalRateHz: group.sampleRateHz, sourceID: "myoshell-\(name)\(suffix)-\(getpid())")
            let chunk = max(1, Int((chunkSeconds * group.sampleRateHz).rounded()))
            groups.append(Group(outlet: try LSLOutlet(library, description: description, chunkSamples: chunk), channels: channels))
        }
        guard !groups.isEmpty else { throw MyoError.other("\(recording.name) has no channels to stream") }
    }

    /// The outlets' descriptions, for the command's message.
    public var descriptions: [StreamDescription] { groups.map(\.outlet.description) }

    /// Publishes in real time until the recording ends, `seconds` of wall time pass, or
    /// `shouldStop`; returns the seconds of recording sent.
    public func run(seconds: Double?, waitForConsumersSeconds: Double, shouldStop: () -> Bool) -> Double {
        // Give receivers that are already looking a moment to connect, so they get the start: up
        // to the wait for a first one, then half a second for one on each other outlet.
        let waitEnd = library.now() + waitForConsumersSeconds
        while library.now() < waitEnd, !groups.contains(where: \.outlet.hasConsumers), !shouldStop() { usleep(10_000) }
        let graceEnd = min(waitEnd, library.now() + 0.5)
        while library.now() < graceEnd, !groups.allSatisfy(\.outlet.hasConsumers), !shouldStop() { usleep(10_000) }
        let start = library.now()
        var sentSeconds = 0.0
        while !shouldStop() {
            let elapsed = library.now() - start
            if let seconds, elapsed >= seconds { break }
            let due = elapsed * speed
            var finished = true
            for index in groups.indices {
                let fs = groups[index].channels[0].sampleRateHz
                let target = min(groups[index].count, Int((due * fs).rounded(.down)) + 1)
                if groups[index].sent < groups[index].count { finished = false }
                guard target > groups[index].sent else { continue }
                let range = groups[index].sent..<target
                var values = [Float](); values.reserveCapacity(range.count * groups[index].channels.count)
                for k in range { for channel in groups[index].channels { values.append(channel.samples[k]) } }
                let stamps = range.map { start + Double($0) / fs / speed }
                groups[index].outlet.push(values, timestamps: stamps)
                groups[index].sent = target
                sentSeconds = max(sentSeconds, Double(target) / fs)
            }
            if finished { break }
            usleep(useconds_t(max(1_000, min(chunkSeconds / speed, 0.05) * 1_000_000)))
        }
        return sentSeconds
    }
}
