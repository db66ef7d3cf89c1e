import MyoCore
import MyoPluginAPI
import MyoSignal

/// A stretch of one channel to measure, in samples, with its times for the table.
struct Segment {
    var range: Range<Int>
    var fromSeconds: Double
    var toSeconds: Double
}

/// `activation SIGNALS [segments=all|events|TABLE|FROM..TO] [threshold=VALUE]`
enum ActivationCommand {
    static let signals = Argument.signals(help: "envelope channels of one recording")
    static let segments = Argument.text("segments", default: "all", help: "all, events, an onsets table, or FROM..TO")
    static let threshold = Argument<Level?>.level("threshold", help: "level for time above threshold, in the channel's unit (10%MVC, 0.05mV)")
    static let spec = CommandSpec(
        name: "activation", abstract: "Per channel and segment: peak, mean, integrated EMG, time above threshold, APDF 10/50/90 %",
        discussion: """
        Measures envelopes (normalised or not) per segment. segments=all (default): the whole channel. \
        segments=events: each channel's periods between its 'CHANNEL on' and 'CHANNEL off' events (from \
        onsets), or, for a channel without them, the intervals between consecutive events of the recording. \
        segments=NAME: the periods of that channel in the onsets table NAME. segments=10s..20s: one time range. \
        peak = largest sample; mean = arithmetic mean; iEMG = sum of x[n] / fs (the integral over time, in \
        unit x s); time above = samples >= threshold= / fs (threshold= in the channel's unit, e.g. 10%MVC or \
        0.05mV; without it the column is empty). APDF points: the 10th, 50th and 90th percentiles of the \
        samples (linear interpolation between order statistics, as numpy.percentile), i.e. the static, median \
        and peak load levels of Jonsson (1982) when the envelope is in %MVC. All selected channels must share \
        one unit.
        """,
        arguments: [
            signals, segments, threshold,
        ],
        acceptsOutputName: true,
        examples: ["activation task_mvc", "activation task_mvc segments=onsets1 threshold=10%MVC", "activation task_env.ES_* segments=5s..25s"],
        references: ["Jonsson B (1982) Measurement and evaluation of local muscular strain in the shoulder during constrained work. J Hum Ergol 11:73-88."])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context)
        let units = Array(Set(selection.refs.map(\.channel.unit))).sorted()
        guard units.count == 1 else {
            throw MyoError.invalidValue(argument: "signals", value: "channels in \(units.map { $0.isEmpty ? "no unit" : $0 }.joined(separator: ", "))", expected: "channels of one unit (run activation once per unit)")
        }
        let unit = units[0]
        let threshold = try invocation[threshold].map { try value(of: $0, unit: unit) }
        let segmentsText = try invocation[segments]
        var rows: [[TableCell]] = []
        var notes: [String] = []
        for ref in selection.refs {
            let segments = try segmentsOf(ref, spec: segmentsText, recording: selection.recording, context: invocation.context)
            if segments.isEmpty { notes.append("\(ref.qualifiedName): no segments in \(segmentsText)") }
            for (number, segment) in segments.enumerated() {
                let values = ref.channel.samples[segment.range].map(Double.init)
                let fs = ref.channel.sampleRateHz
                let sum = values.reduce(0, +)
                let above = threshold.map { level in values.filter { $0 >= level }.count }
                let sorted = values.sorted()
                rows.append([.text(ref.qualifiedName), .integer(number + 1), .number(segment.fromSeconds), .number(segment.toSeconds),
                             .number(sorted.last!), .number(sum / Double(values.count)), .number(sum / fs),
                             above.map { .number(Double($0) / fs) } ?? .missing,
                             above.map { .number(100 * Double($0) / Double(values.count)) } ?? .missing,
                             .number(Bootstrap.percentile(sorted, 10)), .number(Bootstrap.percentile(sorted, 50)), .number(Bootstrap.percentile(sorted, 90))])
            }
        }
        if threshold == nil { notes.append("time above threshold: give threshold= in \(unit.isEmpty ? "the channels' unit" : unit)") }
        if unit != "%MVC" { notes.append("APDF levels are in \(unit.isEmpty ? "the channels' unit" : unit); normalise to %MVC for Jonsson's load levels") }
        let table = ResultTable(
            title: "activation (segments=\(segmentsText)\(threshold.map { ", threshold \(NumberFormat.quantity($0, unit))" } ?? ""))",
            columns: [TableColumn("channel"), TableColumn("#"), TableColumn("from", unit: "s"), TableColumn("to", unit: "s"),
                      TableColumn("peak", unit: unit), TableColumn("mean", unit: unit), TableColumn("iEMG", unit: unit.isEmpty ? "s" : "\(unit) s"),
                      TableColumn("time above", unit: "s"), TableColumn("above", unit: "%"),
                      TableColumn("APDF 10%", unit: unit), TableColumn("APDF 50%", unit: unit), TableColumn("APDF 90%", unit: unit)],
            rows: rows, notes: notes)
        return [.table(table)]
    }

    /// `10%MVC` or `0.05mV` as a number, when its unit is the channel's.
    static func value(of level: Level, unit: String) throws -> Double {
        guard case .value(let number, let typed) = level, typed == unit else {
            throw MyoError.invalidValue(argument: "threshold", value: level.description, expected: "a number followed by the channels' unit\(unit.isEmpty ? " (they have none)" : ", e.g. 10\(unit)")")
        }
        return number
    }

    static func segmentsOf(_ ref: SignalRef, spec text: String, recording: Recording, context: CommandContext) throws -> [Segment] {
        let channel = ref.channel
        func index(_ seconds: Double) -> Int { min(max(Int(((seconds - channel.startTimeSeconds) * channel.sampleRateHz).rounded()), 0), channel.sampleCount) }
        func segment(_ from: Double, _ to: Double?) -> Segment? {
            let end = to ?? channel.endTimeSeconds
            let range = index(from)..<index(end)
            return range.isEmpty ? nil : Segment(range: range, fromSeconds: from, toSeconds: end)
        }
        switch text {
        case "all":
            return [Segment(range: 0..<channel.sampleCount, fromSeconds: channel.startTimeSeconds, toSeconds: channel.endTimeSeconds)]
        case "events":
            let ons = recording.events.filter { $0.label == "\(channel.name) on" }.map(\.timeSeconds)
            let offs = recording.events.filter { $0.label == "\(channel.name) off" }.map(\.timeSeconds)
            if !ons.isEmpty {
                return ons.compactMap { on in segment(on, offs.first { $0 > on }) }
            }
            let times = Array(Set(recording.events.filter { !$0.label.hasSuffix(" on") && !$0.label.hasSuffix(" off") }.map(\.timeSeconds))).sorted()
            guard times.count >= 2 else {
                throw MyoError.other("\(recording.name) has no onset events for \(channel.name) and fewer than two other events: run onsets, or give segments=FROM..TO")
            }
            return zip(times, times.dropFirst()).compactMap { segment($0, $1) }
        default:
            if text.contains("..") {
                guard let (from, to) = Quantity.timeRange(text) else {
                    throw MyoError.invalidValue(argument: "segments", value: text, expected: "all, events, an onsets table, or a time range like 5s..20s (start before end)")
                }
                guard from < channel.endTimeSeconds, to > channel.startTimeSeconds else {
                    throw MyoError.outOfRange(argument: "segments", value: text, limit: "\(ref.qualifiedName) spans \(NumberFormat.quantity(channel.startTimeSeconds, "s"))..\(NumberFormat.quantity(channel.endTimeSeconds, "s"))")
                }
                return segment(max(from, channel.startTimeSeconds), min(to, channel.endTimeSeconds)).map { [$0] } ?? []
            }
            let table = try context.table(named: text)
            guard table.columns == OnsetsCommand.columns else {
                throw MyoError.invalidValue(argument: "segments", value: text, expected: "all, events, an onsets table, or FROM..TO (\(text) is not an onsets table)")
            }
            return table.rows.compactMap { row -> Segment? in
                guard case .text(let qualified) = row[1], qualified.split(separator: ".").last.map(String.init) == channel.name,
                      case .number(let on) = row[2] else { return nil }
                let off: Double? = { if case .number(let v) = row[3] { return v } else { return nil } }()
                return segment(on, off)
            }
        }
    }
}
