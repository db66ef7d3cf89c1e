import MyoCore
import MyoFormats
import MyoPluginAPI

/// The shell's own commands. Each is a spec plus a handler, registered like a plugin's.
enum Builtins {
    static func register(in session: Session) {
        let commands = workspaceCommands(session) + fileCommands(session) + channelCommands(session) + unitCommands(session) + shellCommands(session) + [plotCommand(session), simulateCommand(session), simulateCourseCommand(session), simulateDayCommand(session), batchCommand(session), cohortWorkflowCommand(session)] + labelCommands(session) + [ whyCommand(session), methodsCommand(session), reportCommand(session)] + scriptCommands(session) + progressCommands(session) + streamCommands(session)
        for command in commands {
            do { try session.registry.register(command, origin: Session.builtinOrigin) } catch {
                preconditionFailure("built-in command \(command.spec.name): \(error)")
            }
        }
    }

    /// A recording or table of the workspace, the positional of info, drop, why and methods.
    static let objectArgument = Argument.object("name", help: "recording or table")

    static func workspaceCommands(_ session: Session) -> [PluginCommand] {
        let old = Argument.object("old", help: "current name, or rec.CHANNEL")
        let new = Argument.requiredText("new", positional: true, help: "new name")
        return [
            PluginCommand(spec: CommandSpec(
                name: "ls", abstract: "List the recordings and tables in the workspace",
                examples: ["ls"])) { [unowned session] _ in
                let workspace = session.workspace
                guard !workspace.names.isEmpty else { return [.message("the workspace is empty; load a recording with: load FILE")] }
                let rows: [[TableCell]] = workspace.names.map { name in
                    if let recording = workspace.recordings[name] { return [.text(name), .text("recording"), .text(recording.summary)] }
                    let table = workspace.tables[name]!
                    return [.text(name), .text("table"), .text("\(table.rows.count) rows x \(table.columns.count) columns: \(table.title)")]
                }
                return [.table(ResultTable(title: "workspace", columns: [TableColumn("name"), TableColumn("kind"), TableColumn("contents")], rows: rows))]
            },
            PluginCommand(spec: CommandSpec(
                name: "info", abstract: "Show a recording's channels, rates, events and provenance, or a table's columns",
                arguments: [objectArgument],
                examples: ["info bridge"], streams: true)) { [unowned session] invocation in
                let name = try invocation[objectArgument]
                if let table = session.workspace.tables[name] {
                    var lines = ["\(name): table \"\(table.title)\", \(table.rows.count) rows x \(table.columns.count) columns"]
                    lines += table.columns.map { "  " + ($0.unit.isEmpty ? $0.name : "\($0.name) [\($0.unit)]") }
                    lines += table.provenance.lines.map { "  " + $0 }
                    return [.message(lines.joined(separator: "\n"))]
                }
                let recording = try session.workspace.recording(named: name)
                let rows: [[TableCell]] = recording.channels.map { channel in
                    [.text(channel.name), .text(channel.unit.isEmpty ? "-" : channel.unit), .text(channel.kind.rawValue),
                     .number(channel.sampleRateHz), .number(channel.startTimeSeconds), .number(channel.durationSeconds), .integer(channel.sampleCount)]
                }
                var notes = ["groups: " + recording.summary, "events: \(recording.events.count)"]
                notes += recording.events.prefix(20).map { "  \(NumberFormat.fixed($0.timeSeconds, decimals: 3)) s  \($0.label)" }
                if recording.events.count > 20 { notes.append("  ... \(recording.events.count - 20) more") }
                notes += recording.provenance.lines
                let table = ResultTable(title: "channels of \(name)", columns: [
                    TableColumn("channel"), TableColumn("unit"), TableColumn("kind"), TableColumn("fs", unit: "Hz"),
                    TableColumn("start", unit: "s"), TableColumn("duration", unit: "s"), TableColumn("samples"),
                ], rows: rows, notes: notes)
                return [.table(table)]
            },
            PluginCommand(spec: CommandSpec(
                name: "drop", abstract: "Remove a recording or table from the workspace",
                arguments: [objectArgument],
                examples: ["drop stats1"])) { [unowned session] invocation in
                let name = try invocation[objectArgument]
                session.workspace.drop(name)
                return [.message("dropped \(name)")]
            },
            PluginCommand(spec: CommandSpec(
                name: "rename", abstract: "Give a recording, table or channel a new name",
                discussion: "rename REC.CHANNEL NEW renames one channel of a recording (names must stay unique); rename OLD NEW renames a recording or table.",
                arguments: [old, new],
                examples: ["rename bridge pre", "rename trial.EMG1 ES_L"])) { [unowned session] invocation in
                let old = try invocation[old], new = try invocation[new]
                if let dot = old.firstIndex(of: "."), session.workspace.recordings[String(old[..<dot])] != nil {
                    let refs = try ChannelSelection.resolve(old, in: session.workspace)
                    guard refs.count == 1 else { throw MyoError.invalidValue(argument: "old", value: old, expected: "one channel, not a pattern matching \(refs.count)") }
                    var recording = try session.workspace.recording(named: refs[0].recordingName)
                    guard !new.isEmpty, !new.contains("."), !new.contains(" ") else { throw MyoError.invalidValue(argument: "new", value: new, expected: "a channel name without spaces or dots") }
                    guard recording.channelIndex(named: new) == nil else { throw MyoError.other("\(recording.name) already has a channel named \(new)") }
                    recording.channels[refs[0].channelIndex].name = new
                    return [.message("renamed \(old) to \(recording.name).\(new)"), .recording(recording)]
                }
                try session.workspace.rename(old, to: new)
                return [.message("renamed \(old) to \(new)")]
            },
        ]
    }
}
