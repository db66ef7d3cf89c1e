import MyoCore
import MyoFormats
import MyoPluginAPI

/// Labels an expert puts on stretches of a recording (issue 25), as `Recording.labels` keeps them.
enum RecordingLabels {
    static func table(_ recording: Recording) -> ResultTable {
        ResultTable(title: "labels of \(recording.name)",
                    columns: [TableColumn("from", unit: "s"), TableColumn("to", unit: "s"), TableColumn("duration", unit: "s"), TableColumn("label"),
                              TableColumn("author"), TableColumn("note")],
                    rows: recording.labels.map { [.number($0.from), .number($0.to), .number($0.to - $0.from), .text($0.name), .text($0.author), .text($0.note)] })
    }
}

extension Builtins {
    static func labelCommands(_ session: Session) -> [PluginCommand] {
        let recordingArgument = Argument.object("recording", help: "the recording to label")
        let from = Argument.requiredQuantity("from", .time, help: "start of the stretch")
        let to = Argument.requiredQuantity("to", .time, help: "end of the stretch")
        let note = Argument.text("note", default: "", help: "why: what the expert saw")
        let author = Argument.text("author", default: "", help: "who labelled it (initials)")
        let reviewTable = Argument.object("table", help: "a table made by atypical")
        let reviewRecording = Argument.object("recording", help: "the recording the table was made from")
        let reviewPlot = Argument.choice("plot", default: YesNo.yes, help: "plot each window's channels (with 1 s around it) before asking")
        return [
            PluginCommand(spec: CommandSpec(
                name: "label", abstract: "Label a stretch of a recording (an artefact, a strategy, an activity) by hand",
                discussion: """
                Adds the label LABEL (the name after as) from from= to to= with its author= and note=, kept in the \
                recording (metadata 'labels') with an event 'label: LABEL' at its start, so it shows in plots and \
                info, travels with the recording and replays with the script that made it. Labels of one \
                recording must not overlap: an overlap is refused, naming the label it meets. labels REC lists \
                them; export REC.labels to FILE.csv or .json writes them for model training.
                """,
                arguments: [recordingArgument, from, to, author, note],
                constraints: [.ordered("from", "to")],
                acceptsOutputName: true,
                examples: ["label day from=3600s to=3660s as limping author=AB note=\"short steps on the left\"", "labels day"])) { [unowned session] invocation in
                var recording = try session.workspace.recording(named: try invocation[recordingArgument])
                guard let name = invocation.outputName else {
                    throw MyoError.other("label needs its name after as: label \(recording.name) from=... to=... as NAME")
                }
                let (start, end) = (try invocation[from], try invocation[to])
                let span = (recording.channels.map(\.startTimeSeconds).min() ?? 0, recording.channels.map(\.endTimeSeconds).max() ?? 0)
                guard start >= span.0, end <= span.1 + 1e-9 else {
                    throw MyoError.outOfRange(argument: "from", value: "\(NumberFormat.quantity(start, "s"))..\(NumberFormat.quantity(end, "s"))",
                                              limit: "\(recording.name) spans \(NumberFormat.quantity(span.0, "s"))..\(NumberFormat.quantity(span.1, "s"))")
                }
                var labels = recording.labels
                if let other = labels.first(where: { $0.from < end && start < $0.to }) {
                    throw MyoError.other("\(name) (\(NumberFormat.quantity(start, "s"))..\(NumberFormat.quantity(end, "s"))) overlaps the label \(other.name) (\(NumberFormat.quantity(other.from, "s"))..\(NumberFormat.quantity(other.to, "s"))) of \(recording.name): label another stretch, or a stretch inside neither")
                }
                labels.append(RecordingLabel(from: start, to: end, name: name, author: try invocation[author], note: try invocation[note]))
                recording.labels = labels
                return [.message("\(recording.name): labelled \(NumberFormat.quantity(start, "s"))..\(NumberFormat.quantity(end, "s")) as \(name) (\(labels.count) label\(labels.count == 1 ? "" : "s"))"),
                        .recording(recording)]
            },
            PluginCommand(spec: CommandSpec(
                name: "labels", abstract: "List a recording's labels: from, to, label, author, note",
                arguments: [recordingArgument],
                acceptsOutputName: true,
                examples: ["labels day", "labels day as l; export l to day-labels.csv"])) { [unowned session] invocation in
                let recording = try session.workspace.recording(named: try invocation[recordingArgument])
                let table = RecordingLabels.table(recording)
                return table.rows.isEmpty ? [.message("\(recording.name) has no labels (label \(recording.name) from=... to=... as NAME)")] : [.table(table)]
            },
            PluginCommand(spec: CommandSpec(
                name: "review", abstract: "Walk the windows an atypical table lists and accept, relabel or skip each; stop and resume",
                discussion: """
                For each window of TABLE (made by atypical from REC) not yet reviewed, shows its time, the activity \
                it was compared with and the features that made it atypical, and reads one answer: a (accept: label \
                it 'atypical'), r NAME (relabel: label it NAME), s (skip), q (stop here). Answers come from the \
                terminal (prompt review>), or from the next lines of the script or of stdin. Labels are kept as \
                label keeps them, with author= and the features as the note; skipped windows are remembered too, \
                so review TABLE REC again resumes where it stopped. A table made from another recording is refused. \
                Before each question the window is plotted (plot=yes): the EMG channels its features name, from 1 s \
                before to 1 s after it, in the terminal or a window as plot draws.
                """,
                arguments: [reviewTable, reviewRecording, author, reviewPlot],
                examples: ["atypical day as a; review a day author=AB"])) { [unowned session] invocation in
                let tableName = try invocation[reviewTable]
                let table = try session.workspace.table(named: tableName)
                var recording = try session.workspace.recording(named: try invocation[reviewRecording])
                guard table.title.hasPrefix("atypical windows of "), table.columns.count == 5 else {
                    throw MyoError.invalidValue(argument: "table", value: tableName, expected: "a table made by atypical")
                }
                guard table.title.hasPrefix("atypical windows of \(recording.name) (") else {
                    let source = table.title.dropFirst("atypical windows of ".count).prefix { $0 != " " }
                    throw MyoError.other("\(tableName) lists windows of \(source), not of \(recording.name): review it with its own recording (review \(tableName) \(source))")
                }
                guard let ask = session.answerSource else { throw MyoError.other("review needs answers: run it in the shell, or give them on the lines after it in a script or on stdin") }
                var labels = recording.labels
                var skipped = Set((recording.metadata["review.skipped"] ?? "").split(separator: " ").compactMap { Double($0) })
                let authorName = try invocation[author]
                var (accepted, relabelled, skippedNow, stopped) = (0, 0, 0, false)
                for row in table.rows {
                    guard case .number(let from) = row[0], case .number(let to) = row[1] else { continue }
                    if skipped.contains(from) || labels.contains(where: { $0.from < to && from < $0.to }) { continue }
                    let group: String = { if case .text(let t) = row[2] { return t } else { return "" } }()
                    let features: String = { if case .text(let t) = row[4] { return t } else { return "" } }()
                    if try invocation[reviewPlot] == .yes {
                        // The channels the features name (ES_R RMS, ES SI -> ES_L and ES_R), else every EMG channel.
                        let named = recording.channels.filter { channel in
                            channel.kind == .emg && features.split(separator: ",").contains { feature in
                                let word = feature.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
                                return channel.name == word || channel.name == word + "_L" || channel.name == word + "_R"
                            }
                        }
                        let shown = named.isEmpty ? recording.channels.filter { $0.kind == .emg } : named
                        let series = try shown.map { channel in
                            channel.isFileBacked ? try PlotSeries(streaming: channel, label: channel.name, fromSeconds: from - 1, toSeconds: to + 1)
                                                 : PlotSeries(channel: channel, label: channel.name)
                        }
                        do {
                            try session.plot(PlotRequest(title: "\(recording.name) \(NumberFormat.quantity(from, "s"))..\(NumberFormat.quantity(to, "s")): \(features)",
                                                         series: series, fromSeconds: from - 1, toSeconds: to + 1, markers: [], outputPath: nil))
                        } catch {
                            // The review goes on without the picture; the reason is said once per window.
                            session.output.write("(no plot: \(error); plot=no skips it)\n")
                        }
                    }
                    session.output.write("\(NumberFormat.quantity(from, "s"))..\(NumberFormat.quantity(to, "s")) (\(group)): \(features)\n  a accept, r NAME relabel, s skip, q stop\n")
                    var answered = false
                    while !answered {
                        guard let answer = ask()?.trimmingCharacters(in: .whitespaces) else { stopped = true; break }
                        let words = answer.split(separator: " ", maxSplits: 1).map(String.init)
                        switch words.first?.lowercased() {
                        case "a", "accept":
                            labels.append(RecordingLabel(from: from, to: to, name: "atypical", author: authorName, note: features)); accepted += 1; answered = true
                        case "r", "relabel":
                            guard words.count == 2, !words[1].isEmpty else { session.output.writeError("r needs the label's name: r NAME\n"); continue }
                            labels.append(RecordingLabel(from: from, to: to, name: words[1], author: authorName, note: features)); relabelled += 1; answered = true
                        case "s", "skip":
                            skipped.insert(from); skippedNow += 1; answered = true
                        case "q", "quit":
                            stopped = true; answered = true
                        default:
                            session.output.writeError("answer a, r NAME, s or q (not '\(answer)')\n")
                        }
                    }
                    if stopped { break }
                }
                recording.labels = labels
                recording.metadata["review.skipped"] = skipped.sorted().map { NumberFormat.significant($0, digits: 12) }.joined(separator: " ")
                let left = table.rows.filter { row in
                    guard case .number(let from) = row[0], case .number(let to) = row[1] else { return false }
                    return !skipped.contains(from) && !labels.contains(where: { $0.from < to && from < $0.to })
                }.count
                let summary = "\(recording.name): \(accepted) accepted, \(relabelled) relabelled, \(skippedNow) skipped; \(left) of \(table.rows.count) windows left"
                return [.message(summary + (left > 0 ? " (review \(tableName) \(recording.name) resumes)" : "")), .recording(recording)]
            },
        ]
    }
}
