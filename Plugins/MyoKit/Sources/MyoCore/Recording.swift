/// A labelled instant on a recording's time base (a trigger, an annotation, a detected onset).
public struct Event: Sendable, Equatable {
    public var timeSeconds: Double
    public var label: String
    public init(timeSeconds: Double, label: String) {
        self.timeSeconds = timeSeconds
        self.label = label
    }
}

/// Channels of possibly different sample rates that share one time base, with events and the
/// record of how they were made.
public struct Recording: Sendable {
    public var name: String
    public var channels: [Channel]
    public var events: [Event]
    public var provenance: Provenance
    /// Channels graded bad (by `load`'s screen or `quality`), with the reason in words. Results
    /// computed on them carry a visible flag; `set quality strict` makes commands refuse them.
    public var badChannels: [String: String] = [:]
    /// What the recording's own files state about it beyond the samples, by key, with where each
    /// came from: `mount` (the IMU's axes, +Z+X+Y) and `mount.source` (the sidecar that said so).
    public var metadata: [String: String] = [:]

    public init(name: String, channels: [Channel], events: [Event] = [], provenance: Provenance) {
        self.name = name
        self.channels = channels
        self.events = events
        self.provenance = provenance
    }

    public var durationSeconds: Double {
        let start = channels.map(\.startTimeSeconds).min() ?? 0
        let end = channels.map(\.endTimeSeconds).max() ?? 0
        return end - start
    }

    /// The index of the channel with exactly this name.
    public func channelIndex(named name: String) -> Int? {
        channels.firstIndex { $0.name == name }
    }

    /// Channels grouped by kind (EMG and other signals first, then IMU) and sample rate, in
    /// the recording's channel order within each group. Drives `load` and `info` summaries.
    public var channelGroups: [ChannelGroup] {
        var groups: [ChannelGroup] = []
        for (index, channel) in channels.enumerated() {
            let imu = channel.kind.isIMU
            if let g = groups.firstIndex(where: { $0.isIMU == imu && $0.sampleRateHz == channel.sampleRateHz }) {
                groups[g].channelIndices.append(index)
            } else {
                groups.append(ChannelGroup(isIMU: imu, sampleRateHz: channel.sampleRateHz, channelIndices: [index]))
            }
        }
        return groups.sorted { ($0.isIMU ? 1 : 0, -$0.sampleRateHz) < ($1.isIMU ? 1 : 0, -$1.sampleRateHz) }
    }

    /// One line: `6 channels x 40.0 s @ 2000 Hz (GM_L GM_R, mV), 3 IMU channels @ 100 Hz`.
    public var summary: String {
        if channels.isEmpty { return "no channels" }
        var parts: [String] = []
        for (position, group) in channelGroups.enumerated() {
            let members = group.channelIndices.map { channels[$0] }
            let count = members.count
            let noun = (group.isIMU ? "IMU " : "") + (count == 1 ? "channel" : "channels")
            var text = "\(count) \(noun)"
            if position == 0 {
                let duration = members.map(\.durationSeconds).max() ?? 0
                text += " x \(NumberFormat.fixed(duration, decimals: 1)) s"
            }
            text += " @ \(NumberFormat.significant(group.sampleRateHz, digits: 7)) Hz"
            if position == 0 {
                let units = Set(members.map(\.unit))
                let names = members.map(\.name).joined(separator: " ")
                if units.count == 1, let unit = units.first, !unit.isEmpty {
                    text += " (\(names), \(unit))"
                } else {
                    text += " (" + members.map { $0.unit.isEmpty ? $0.name : "\($0.name) [\($0.unit)]" }.joined(separator: " ") + ")"
                }
            }
            parts.append(text)
        }
        let origins = channels.compactMap(\.store?.origin).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if !origins.isEmpty { parts.append("samples read as needed from \(origins.count == 1 ? origins[0] : "\(origins.count) files")") }
        return parts.joined(separator: ", ")
    }
}

/// Channels of a recording that share kind and sample rate.
public struct ChannelGroup: Sendable, Equatable {
    public var isIMU: Bool
    public var sampleRateHz: Double
    public var channelIndices: [Int]
}
