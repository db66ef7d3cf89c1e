import MyoCore

/// Stretches of a channel grouped for the daily-life measures: per activity (the bouts the
/// `activity: NAME` events of `activities` start, each ending at the next such event or the
/// channel's end), per clock hour from the channel's start, or the whole channel.
public enum DayGrouping: String, CaseIterable, Sendable {
    case activity, hour, all

    public static let argument = Argument.choice("by", default: DayGrouping.activity, help: "group by the activities' bouts, by hour of the recording, or not at all")

    /// (group name, sample ranges) in the order of first appearance; for `hour`, "0h-1h" and so on.
    public func groups(_ channel: Channel, recording: Recording) throws -> [(name: String, ranges: [Range<Int>])] {
        let n = channel.sampleCount, fs = channel.sampleRateHz
        func index(_ seconds: Double) -> Int { min(max(Int(((seconds - channel.startTimeSeconds) * fs).rounded()), 0), n) }
        switch self {
        case .all:
            return [("all", [0..<n])]
        case .hour:
            var groups: [(String, [Range<Int>])] = []
            var hour = 0
            while Double(hour) * 3600 < channel.durationSeconds {
                let range = index(channel.startTimeSeconds + Double(hour) * 3600)..<index(channel.startTimeSeconds + Double(hour + 1) * 3600)
                if !range.isEmpty { groups.append(("\(hour)h-\(hour + 1)h", [range])) }
                hour += 1
            }
            return groups
        case .activity:
            let starts = recording.events.filter { $0.label.hasPrefix("activity: ") }.sorted { $0.timeSeconds < $1.timeSeconds }
            guard !starts.isEmpty else {
                throw MyoError.other("\(recording.name) has no activity events: run activities on the recording with the trunk IMU before making its envelopes (the events travel to them), or use by=hour or by=all")
            }
            var order: [String] = []
            var ranges: [String: [Range<Int>]] = [:]
            for (k, event) in starts.enumerated() {
                let name = String(event.label.dropFirst("activity: ".count))
                let end = k + 1 < starts.count ? starts[k + 1].timeSeconds : channel.endTimeSeconds
                let range = index(event.timeSeconds)..<index(end)
                guard !range.isEmpty else { continue }
                if ranges[name] == nil { order.append(name) }
                ranges[name, default: []].append(range)
            }
            return order.map { ($0, ranges[$0]!) }
        }
    }

    /// The %MVC the daily-life measures are defined in, or one sentence on how to get there.
    public static func requirePercentMVC(_ selection: Selection, command: String) throws {
        for ref in selection.refs where ref.channel.unit != "%MVC" {
            throw MyoError.other("\(command) needs envelopes in %MVC, and \(ref.qualifiedName) is in \(ref.channel.unit.isEmpty ? "no unit" : ref.channel.unit): record an MVC trial, then envelope REC; envelope MVC; normalize REC_env mvc=MVC_env (see help normalize)")
        }
    }
}
