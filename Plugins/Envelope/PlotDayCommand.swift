import MyoCore
import MyoPluginAPI

/// `plot-day SIGNALS [below=0.5%MVC] [min=0.2s] [flags=TABLE] [from=] [to=] to FILE`: a day, hour by hour.
enum PlotDayCommand {
    static let signals = Argument.signals(help: "envelopes of one recording (ES_*; in %MVC for gaps)")
    static let flagTable = Argument<String?>.object("flags", help: "a table of windows (from, to) to flag as well, e.g. made by atypical")
    static let spec = CommandSpec(
        name: "plot-day", abstract: "Picture of a long recording hour by hour: activities as bands, envelopes, EMG gaps and flags",
        discussion: """
        One row per hour of the recording (from= to= choose the hours), x in minutes into the hour, the same \
        amplitude scale in every row: the activities that activities marked ('activity: NAME' events) as \
        coloured bands behind the envelopes (lying, sitting, standing, walking, bending, lifting), each \
        envelope reduced to the minimum and maximum of each pixel column (read block by block, so a day in its \
        file is drawn without being held), EMG gaps as a dark strip along the bottom (stretches under below= \
        lasting min=, found hour by hour as gaps by=hour finds them; drawn for the first envelope when the \
        envelopes are in below='s unit, else left out with a note), and flags along the top in red with their \
        names: the recording's labels (label, review) and the windows of flags=TABLE (atypical's table). The \
        picture is 1400 pixels wide and 110 pixels high per hour (24 h: 2730 pixels), so it is written to a \
        file (.png, .svg, .pdf) with its gnuplot script and data, as plot writes them.
        """,
        arguments: [signals, GapsCommand.below, GapsCommand.minimum, flagTable] + SharedArguments.timeWindow,
        constraints: [SharedArguments.timeWindowOrder],
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: true, help: "picture file to write"),
        examples: ["plot-day day_mvc.ES_* to day.png", "plot-day env.ES_L from=8h to=17h flags=atypical1 to shift.svg"],
        streams: true)

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context)
        let recording = selection.recording
        let channels = selection.refs.map(\.channel)
        let (fromGiven, toGiven) = try invocation.timeWindow
        let start = fromGiven ?? channels.map(\.startTimeSeconds).min() ?? 0
        let end = toGiven ?? channels.map(\.endTimeSeconds).max() ?? 0
        guard end > start else { throw MyoError.other("\(recording.name) has nothing to draw between \(NumberFormat.quantity(start, "s")) and \(NumberFormat.quantity(end, "s"))") }
        // Rows start on whole hours from the recording's start, so 9 h is always the row 9 h-10 h.
        let origin = channels.map(\.startTimeSeconds).min() ?? 0
        let firstRow = ((start - origin) / 3600).rounded(.down), lastRow = ((end - origin) / 3600).rounded(.up)
        let rows = stride(from: firstRow, to: max(lastRow, firstRow + 1), by: 1).map { origin + $0 * 3600 }
        guard rows.count <= 48 else {
            throw MyoError.outOfRange(argument: "from", value: "\(rows.count) hours", limit: "at most 48 hours in one picture; choose them with from= and to=")
        }
        WorkProgress.expect(rows.count * channels.count)
        var lines: [DayChart.Line] = channels.map { (label: "\(recording.name).\($0.name)", points: []) }
        var gaps: [DayChart.Stretch] = []
        var notes: [String] = []
        let level = try invocation[GapsCommand.below]
        let shortestSeconds = try invocation[GapsCommand.minimum]
        let gapLevel: Double? = { if case .value(let value, let unit) = level, channels.first?.unit == unit { return value } else { return nil } }()
        if gapLevel == nil { notes.append("no EMG gaps drawn: below=\(level.description) is not in the envelopes' unit (\(channels.first?.unit ?? "")); give below= in it, or normalise to %MVC") }
        for row in rows {
            let rowEnd = min(row + 3600, end)
            let rowStart = max(row, start)
            for (c, channel) in channels.enumerated() {
                // 1200 columns an hour: a pixel column is 3 s, its minimum and maximum drawn.
                lines[c].points += try PlotSeries(streaming: channel, label: "", fromSeconds: rowStart, toSeconds: rowEnd, columns: 1200).points ?? []
                if c == 0, let gapLevel {
                    let range = channel.sampleRange(fromSeconds: rowStart, toSeconds: rowEnd)
                    let samples = try channel.samples(in: range)
                    let shortest = max(1, Int((shortestSeconds * channel.sampleRateHz).rounded()))
                    for gap in GapsCommand.gaps(samples, samples.indices, level: gapLevel, shortest: shortest) {
                        let t0 = channel.startTimeSeconds + Double(range.lowerBound + gap.lowerBound) / channel.sampleRateHz
                        gaps.append((from: t0, to: t0 + Double(gap.count) / channel.sampleRateHz, name: ""))
                    }
                }
                WorkProgress.advance(1)
                try Cancellation.check()
            }
        }
        if gapLevel != nil, let first = channels.first { notes.append("EMG gaps of \(recording.name).\(first.name): under \(level.description) for at least \(NumberFormat.quantity(shortestSeconds, "s"))") }
        let activities = activityStretches(recording, end: channels.map(\.endTimeSeconds).max() ?? end)
        var flags: [DayChart.Stretch] = recording.labels.map { (from: $0.from, to: $0.to, name: $0.name) }
        if let name = try invocation[flagTable] {
            let table = try invocation.context.table(named: name)
            guard table.columns.count >= 2, table.columns[0].name == "from", table.columns[1].name == "to" else {
                throw MyoError.invalidValue(argument: "flags", value: name, expected: "a table whose first columns are from and to (s), as atypical makes")
            }
            let tag = table.title.split(separator: " ").first.map(String.init) ?? name
            flags += table.rows.compactMap { row -> DayChart.Stretch? in
                guard case .number(let from) = row[0], case .number(let to) = row[1] else { return nil }
                return (from: from, to: to, name: tag)
            }
        }
        let unit = channels.first?.unit ?? ""
        let chart = DayChart(rows: rows, activities: activities, lines: lines, gaps: gaps, flags: flags.sorted { $0.from < $1.from }, yLabel: "envelope (\(unit))")
        let hours = "\(NumberFormat.quantity(firstRow, "h")) to \(NumberFormat.quantity(firstRow + Double(rows.count), "h"))"
        var request = PlotRequest(title: "\(recording.name), \(hours) hour by hour: activities, envelopes, EMG gaps (bottom), flags (top)",
                                  series: [], outputPath: try invocation.requiredDestination)
        request.day = chart
        return [.plot(request)] + notes.map(CommandOutput.message)
    }

    /// The bouts of `activities`' events: each from its event to the next one (or `end`).
    static func activityStretches(_ recording: Recording, end: Double) -> [DayChart.Stretch] {
        let starts = recording.events.filter { $0.label.hasPrefix("activity: ") }.sorted { $0.timeSeconds < $1.timeSeconds }
        return starts.enumerated().map { k, event in
            (from: event.timeSeconds, to: k + 1 < starts.count ? starts[k + 1].timeSeconds : end, name: String(event.label.dropFirst("activity: ".count)))
        }
    }
}
