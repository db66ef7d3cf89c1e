import MyoCore
import MyoPluginAPI
import MyoSignal

/// Stretches of a channel grouped for the daily-life measures: per activity (the bouts the
/// `activity: NAME` events of `activities` start, each ending at the next such event or the
/// channel's end), per clock hour from the channel's start, or the whole channel.
enum DayGrouping: String, CaseIterable {
    case activity, hour, all

    static let argument = Argument.choice("by", default: DayGrouping.activity, help: "group by the activities' bouts, by hour of the recording, or not at all")

    /// (group name, sample ranges) in the order of first appearance; for `hour`, "0h-1h" and so on.
    func groups(_ channel: Channel, recording: Recording) throws -> [(name: String, ranges: [Range<Int>])] {
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
    static func requirePercentMVC(_ selection: Selection, command: String) throws {
        for ref in selection.refs where ref.channel.unit != "%MVC" {
            throw MyoError.other("\(command) needs envelopes in %MVC, and \(ref.qualifiedName) is in \(ref.channel.unit.isEmpty ? "no unit" : ref.channel.unit): record an MVC trial, then envelope REC; envelope MVC; normalize REC_env mvc=MVC_env (see help normalize)")
        }
    }
}

/// `apdf SIGNALS [by=activity|hour|all]`: Jonsson's amplitude probability distribution.
enum APDFCommand {
    static let signals = Argument.signals(help: "envelopes in %MVC of one recording (normalize ... mvc=)")
    static let spec = CommandSpec(
        name: "apdf", abstract: "Static, median and peak load (APDF 10/50/90 %) of %MVC envelopes per activity or hour",
        discussion: """
        Jonsson's amplitude probability distribution: per channel and group, the 10th, 50th and 90th \
        percentiles of the envelope's samples (the static, median and peak load levels; linear \
        interpolation between order statistics, as numpy.percentile), with the time the group covers. by=activity \
        (default) groups the bouts that activities marked with 'activity: NAME' events (run activities on the \
        recording before making its envelopes, so the events travel along); by=hour: each hour from the start; \
        by=all: the whole channel. The envelopes must be in %MVC (normalize ... mvc=); activation gives the \
        same percentiles in any unit, per segment.
        """,
        arguments: [signals, DayGrouping.argument],
        acceptsOutputName: true,
        examples: ["apdf day_env_mvc", "apdf day_env_mvc.ES_* by=hour"],
        references: ["Jonsson B (1982) Measurement and evaluation of local muscular strain in the shoulder during constrained work. J Hum Ergol 11:73-88."])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context)
        try DayGrouping.requirePercentMVC(selection, command: "apdf")
        let grouping = try invocation[DayGrouping.argument]
        var rows: [[TableCell]] = []
        for ref in selection.refs {
            for group in try grouping.groups(ref.channel, recording: selection.recording) {
                var values: [Double] = []
                for range in group.ranges { values += ref.channel.samples[range].map(Double.init) }
                values.sort()
                rows.append([.text(ref.qualifiedName), .text(group.name), .number(Double(values.count) / ref.channel.sampleRateHz),
                             .number(Bootstrap.percentile(values, 10)), .number(Bootstrap.percentile(values, 50)), .number(Bootstrap.percentile(values, 90))])
            }
        }
        return [.table(ResultTable(title: "APDF by \(grouping.rawValue) (Jonsson 1982: static 10 %, median 50 %, peak 90 %)",
                                   columns: [TableColumn("channel"), TableColumn(grouping.rawValue), TableColumn("time", unit: "s"),
                                             TableColumn("static 10%", unit: "%MVC"), TableColumn("median 50%", unit: "%MVC"), TableColumn("peak 90%", unit: "%MVC")],
                                   rows: rows))]
    }
}

/// `gaps SIGNALS [below=0.5%MVC] [min=0.2s] [by=activity|hour|all]`: Veiersted's EMG gaps.
enum GapsCommand {
    static let signals = Argument.signals(help: "envelopes in %MVC of one recording (normalize ... mvc=)")
    static let below = Argument.level("below", default: "0.5%MVC", help: "level under which the muscle rests")
    static let minimum = Argument.quantity("min", .time, default: "0.2s", minimum: 0.001, maximum: 60, help: "shortest stretch under below= that counts as a gap")
    static let spec = CommandSpec(
        name: "gaps", abstract: "EMG gaps (muscle rest under 0.5 %MVC for 0.2 s or more) per activity or hour",
        discussion: """
        An EMG gap is a stretch of at least min= (0.2 s) with the envelope under below= (0.5 %MVC), as \
        Veiersted et al. (1993) defined it. Per channel and group: the gaps (found within each bout or hour, \
        so a gap that crosses a boundary counts in each part that is long enough), gaps per minute, muscle \
        rest time (the gaps' total duration as a share of the group's time), and the longest stretch without \
        a gap (within a bout or hour, from its start, between gaps, to its end). by= groups as in apdf. The \
        envelopes must be in %MVC, unless below= is given in their own unit.
        """,
        arguments: [signals, below, minimum, DayGrouping.argument],
        acceptsOutputName: true,
        examples: ["gaps day_env_mvc", "gaps day_env_mvc.ES_* below=1%MVC min=0.5s by=hour"],
        references: ["Veiersted KB, Westgaard RH, Andersen P (1993) Electromyographic evaluation of muscular work pattern as a predictor of trapezius myalgia. Scand J Work Environ Health 19:284-290. doi:10.5271/sjweh.1472"])

    /// Gaps within `range` of `samples`: runs under `level` of at least `shortest` samples, as
    /// (start, end) sample indices.
    static func gaps(_ samples: [Float], _ range: Range<Int>, level: Double, shortest: Int) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var start: Int?
        for i in range {
            if Double(samples[i]) < level { if start == nil { start = i } } else if let s = start { if i - s >= shortest { found.append(s..<i) }; start = nil }
        }
        if let s = start, range.upperBound - s >= shortest { found.append(s..<range.upperBound) }
        return found
    }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context)
        let level = try invocation[below]
        guard case .value(let threshold, let unit) = level, selection.refs.allSatisfy({ $0.channel.unit == unit }) else {
            // A %MVC level on envelopes in another unit: say how to make %MVC envelopes.
            if case .value(_, "%MVC") = level { try DayGrouping.requirePercentMVC(selection, command: "gaps") }
            let units = Set(selection.refs.map(\.channel.unit)).sorted().joined(separator: ", ")
            throw MyoError.invalidValue(argument: "below", value: level.description, expected: "a level in the channels' unit (\(units)), e.g. 0.5%MVC on %MVC envelopes")
        }
        let grouping = try invocation[DayGrouping.argument]
        let shortestSeconds = try invocation[minimum]
        var rows: [[TableCell]] = []
        for ref in selection.refs {
            let fs = ref.channel.sampleRateHz
            let shortest = max(1, Int((shortestSeconds * fs).rounded()))
            for group in try grouping.groups(ref.channel, recording: selection.recording) {
                var count = 0, restSamples = 0, longestWithout = 0, total = 0
                for range in group.ranges {
                    let found = gaps(ref.channel.samples, range, level: threshold, shortest: shortest)
                    count += found.count
                    restSamples += found.reduce(0) { $0 + $1.count }
                    total += range.count
                    var previousEnd = range.lowerBound
                    for gap in found { longestWithout = max(longestWithout, gap.lowerBound - previousEnd); previousEnd = gap.upperBound }
                    longestWithout = max(longestWithout, range.upperBound - previousEnd)
                }
                let minutes = Double(total) / fs / 60
                rows.append([.text(ref.qualifiedName), .text(group.name), .number(Double(total) / fs), .integer(count),
                             .number(Double(count) / minutes), .number(100 * Double(restSamples) / Double(total)), .number(Double(longestWithout) / fs)])
            }
        }
        return [.table(ResultTable(title: "EMG gaps by \(grouping.rawValue) (under \(NumberFormat.significant(threshold)) \(unit) for at least \(NumberFormat.quantity(shortestSeconds, "s")); Veiersted et al. 1993)",
                                   columns: [TableColumn("channel"), TableColumn(grouping.rawValue), TableColumn("time", unit: "s"), TableColumn("gaps"),
                                             TableColumn("gaps per min", unit: "1/min"), TableColumn("rest time", unit: "%"), TableColumn("longest without gap", unit: "s")],
                                   rows: rows))]
    }
}

/// `balance SIGNALS [by=activity|hour|all]`: left/right balance of envelopes per activity or hour.
enum BalanceCommand {
    static let signals = Argument.signals(help: "envelopes of one recording with left and right channels (ES_L, ES_R)")
    static let spec = CommandSpec(
        name: "balance", abstract: "Left/right balance (SI) of envelopes per activity or hour",
        discussion: """
        Pairs the channels by side (ES_L with ES_R, as asymmetry does) and, per pair and group, gives the mean \
        envelope of each side over the group's samples and the symmetry index SI = 100 (R - L) / ((R + L) / 2) \
        of those means: 0 is balance, positive favours the right. by= groups as in apdf: the bouts of \
        activities' events (default), each hour, or all. Any unit (the same on both sides); in %MVC the \
        means compare effort, in mV they depend on the electrodes as much as on the muscles (asymmetry's \
        warnings apply).
        """,
        arguments: [signals, DayGrouping.argument],
        acceptsOutputName: true,
        examples: ["balance day_env_mvc", "balance day_env_mvc.ES_* by=hour"])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context)
        let pairs = SidePairs(names: selection.refs.map(\.channel.name)).pairs
        guard !pairs.isEmpty else {
            throw MyoError.other("balance needs left and right channels of one muscle (ES_L and ES_R); \(selection.refs.map(\.qualifiedName).joined(separator: ", ")) hold no pair")
        }
        let grouping = try invocation[DayGrouping.argument]
        var rows: [[TableCell]] = []
        for pair in pairs {
            guard let left = selection.refs.first(where: { $0.channel.name == pair.left })?.channel,
                  let right = selection.refs.first(where: { $0.channel.name == pair.right })?.channel else { continue }
            guard left.unit == right.unit, left.sampleRateHz == right.sampleRateHz else {
                throw MyoError.other("\(pair.left) and \(pair.right) differ in unit or rate (\(left.unit) at \(NumberFormat.quantity(left.sampleRateHz, "Hz")), \(right.unit) at \(NumberFormat.quantity(right.sampleRateHz, "Hz"))): normalise or resample them first")
            }
            for group in try grouping.groups(left, recording: selection.recording) {
                var (sumL, sumR, n) = (0.0, 0.0, 0)
                for range in group.ranges {
                    for i in range where i < right.sampleCount { sumL += Double(left.samples[i]); sumR += Double(right.samples[i]); n += 1 }
                }
                guard n > 0 else { continue }
                let (l, r) = (sumL / Double(n), sumR / Double(n))
                let si = l + r != 0 ? 100 * (r - l) / ((l + r) / 2) : 0
                rows.append([.text(pair.muscle), .text(group.name), .number(Double(n) / left.sampleRateHz), .number(l), .number(r), .number(si)])
            }
        }
        let unit = selection.refs.first?.channel.unit ?? ""
        return [.table(ResultTable(title: "left/right balance by \(grouping.rawValue) (SI = 100 (R - L) / ((R + L) / 2))",
                                   columns: [TableColumn("muscle"), TableColumn(grouping.rawValue), TableColumn("time", unit: "s"),
                                             TableColumn("left", unit: unit), TableColumn("right", unit: unit), TableColumn("SI", unit: "%")],
                                   rows: rows))]
    }
}
