import MyoCore
import MyoFormats
import MyoPluginAPI

/// Labels an expert puts on stretches of a recording (issue 25): kept in the recording's metadata
/// (`labels`, a JSON array) with an event `label: NAME` at each start, so they travel with the
/// recording, show in plots and `info`, and replay with the script that made them.
enum RecordingLabels {
    struct Label: Equatable {
        var from: Double, to: Double, name: String, author: String, note: String
    }

    static func all(_ recording: Recording) -> [Label] {
        guard let text = recording.metadata["labels"], let json = try? JSONValue.parse(text), let items = json.array else { return [] }
        return items.compactMap { item in
            guard let from = item["from_s"]?.number, let to = item["to_s"]?.number, let name = item["label"]?.string else { return nil }
            return Label(from: from, to: to, name: name, author: item["author"]?.string ?? "", note: item["note"]?.string ?? "")
        }
    }

    static func store(_ labels: [Label], in recording: inout Recording) {
        let sorted = labels.sorted { ($0.from, $0.to, $0.name) < ($1.from, $1.to, $1.name) }
        recording.metadata["labels"] = JSONValue.array(sorted.map { label in
            .object([("from_s", .number(label.from)), ("to_s", .number(label.to)), ("label", .string(label.name)),
                     ("author", .string(label.author)), ("note", .string(label.note))])
        }).serialized()
        recording.events.removeAll { $0.label.hasPrefix("label: ") }
        recording.events = (recording.events + sorted.map { Event(timeSeconds: $0.from, label: "label: \($0.name)") })
            .sorted { ($0.timeSeconds, $0.label) < ($1.timeSeconds, $1.label) }
    }

    static func table(_ recording: Recording) -> ResultTable {
        ResultTable(title: "labels of \(recording.name)",
                    columns: [TableColumn("from", unit: "s"), TableColumn("to", unit: "s"), TableColumn("duration", unit: "s"), TableColumn("label"),
                              TableColumn("author"), TableColumn("note")],
                    rows: all(recording).map { [.number($0.from), .number($0.to), .number($0.to - $0.from), .text($0.name), .text($0.author), .text($0.note)] })
    }
}

extension Builtins {
    static func labelCommands(_ session: Session) -> [PluginCommand] {
        let recordingArgument = Argument.object("recording", help: "the recording to label")
        let from = Argument.requiredQuantity("from", .time, help: "start of the stretch")
        let to = Argument.requiredQuantity("to", .time, help: "end of the stretch")
        let note = Argument.text("note", default: "", help: "why: what the expert saw")
        let author = Argument.text("author", default: "", help: "who labelled it (initials)")
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
                var labels = RecordingLabels.all(recording)
                if let other = labels.first(where: { $0.from < end && start < $0.to }) {
                    throw MyoError.other("\(name) (\(NumberFormat.quantity(start, "s"))..\(NumberFormat.quantity(end, "s"))) overlaps the label \(other.name) (\(NumberFormat.quantity(other.from, "s"))..\(NumberFormat.quantity(other.to, "s"))) of \(recording.name): label another stretch, or a stretch inside neither")
                }
                labels.append(RecordingLabels.Label(from: start, to: end, name: name, author: try invocation[author], note: try invocation[note]))
                RecordingLabels.store(labels, in: &recording)
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
        ]
    }
}
