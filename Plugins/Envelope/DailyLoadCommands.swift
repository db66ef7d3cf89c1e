import MyoCore
import MyoPluginAPI
import MyoSignal

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
    static let sustained = Argument.quantity("sustained", .time, default: "8min", minimum: 1, maximum: 86_400, help: "shortest stretch without a gap that counts as sustained activity")
    static let spec = CommandSpec(
        name: "gaps", abstract: "EMG gaps (muscle rest under 0.5 %MVC for 0.2 s or more) per activity or hour",
        discussion: """
        An EMG gap is a stretch of at least min= (0.2 s) with the envelope under below= (0.5 %MVC), as \
        Veiersted et al. (1993) defined it. Per channel and group: the gaps (found within each bout or hour, \
        so a gap that crosses a boundary counts in each part that is long enough), gaps per minute, muscle \
        rest time (the gaps' total duration as a share of the group's time), and the longest stretch without \
        a gap (within a bout or hour, from its start, between gaps, to its end). Sustained static load: the \
        stretches without a gap lasting at least sustained= (8 min: the sustained low-level muscle activity \
        periods of Østensvik et al. 2009), their count and their share of the group's time (Veiersted et al. \
        2013 recommend the share over the count). by= groups as in apdf. The envelopes must be in %MVC, \
        unless below= is given in their own unit.
        """,
        arguments: [signals, below, minimum, sustained, DayGrouping.argument],
        acceptsOutputName: true,
        examples: ["gaps day_env_mvc", "gaps day_env_mvc.ES_* below=1%MVC min=0.5s by=hour"],
        references: ["Veiersted KB, Westgaard RH, Andersen P (1993) Electromyographic evaluation of muscular work pattern as a predictor of trapezius myalgia. Scand J Work Environ Health 19:284-290. doi:10.5271/sjweh.1472",
                     "Østensvik T, Veiersted KB, Nilsen P (2009) A method to quantify frequency and duration of sustained low-level muscle activity as a risk factor for musculoskeletal discomfort. J Electromyogr Kinesiol 19:283-294.",
                     "Veiersted KB, Forsman M, Hansson GÅ, Mathiassen SE (2013) Assessment of time patterns of activity and rest in full-shift recordings of trapezius muscle activity: effects of the data processing procedure. J Electromyogr Kinesiol 23:540-547."])

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
        let sustainedSeconds = try invocation[sustained]
        var rows: [[TableCell]] = []
        for ref in selection.refs {
            let fs = ref.channel.sampleRateHz
            let shortest = max(1, Int((shortestSeconds * fs).rounded()))
            let longEnough = max(1, Int((sustainedSeconds * fs).rounded()))
            for group in try grouping.groups(ref.channel, recording: selection.recording) {
                var count = 0, restSamples = 0, longestWithout = 0, total = 0, sustainedCount = 0, sustainedSamples = 0
                for range in group.ranges {
                    let found = gaps(ref.channel.samples, range, level: threshold, shortest: shortest)
                    count += found.count
                    restSamples += found.reduce(0) { $0 + $1.count }
                    total += range.count
                    // The stretches without a gap: from the start to the first gap, between gaps, from the last to the end.
                    var previousEnd = range.lowerBound
                    for gap in found + [range.upperBound..<range.upperBound] {
                        let length = gap.lowerBound - previousEnd
                        longestWithout = max(longestWithout, length)
                        if length >= longEnough { sustainedCount += 1; sustainedSamples += length }
                        previousEnd = gap.upperBound
                    }
                }
                let minutes = Double(total) / fs / 60
                rows.append([.text(ref.qualifiedName), .text(group.name), .number(Double(total) / fs), .integer(count),
                             .number(Double(count) / minutes), .number(100 * Double(restSamples) / Double(total)), .number(Double(longestWithout) / fs),
                             .integer(sustainedCount), .number(100 * Double(sustainedSamples) / Double(total))])
            }
        }
        return [.table(ResultTable(title: "EMG gaps by \(grouping.rawValue) (under \(NumberFormat.significant(threshold)) \(unit) for at least \(NumberFormat.quantity(shortestSeconds, "s")); Veiersted et al. 1993; sustained: no gap for \(NumberFormat.quantity(sustainedSeconds, "s")) or longer)",
                                   columns: [TableColumn("channel"), TableColumn(grouping.rawValue), TableColumn("time", unit: "s"), TableColumn("gaps"),
                                             TableColumn("gaps per min", unit: "1/min"), TableColumn("rest time", unit: "%"), TableColumn("longest without gap", unit: "s"),
                                             TableColumn("sustained periods"), TableColumn("sustained time", unit: "%")],
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
