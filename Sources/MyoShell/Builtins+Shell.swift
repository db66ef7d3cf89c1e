import MyoCore
import MyoFormats
import MyoPlot
import MyoPluginAPI

extension Builtins {
    enum Showable: String, CaseIterable { case defaults }
    enum PluginAction: String, CaseIterable { case load }

    static func shellCommands(_ session: Session) -> [PluginCommand] {
        let helped = Argument<String?>.command("command", repeating: true, help: "a command name, or a command and its subcommand")
        let json = Argument.flag("json", default: false, help: "print the specs as one JSON document (also --json)")
        let what = Argument<Showable>.requiredChoice("what", positional: true, help: "what to show")
        let shown = Argument<String?>.command("command", help: "only this command")
        let pluginAction = Argument<PluginAction>.requiredChoice("action", positional: true, help: "what to do")
        let library = Argument.path("path", extensions: ["so"], help: "the plugin's .so file")
        let setting = Argument<(key: String, value: String)?>.setting("setting", table: Settings.definitions, help: "a setting and its value (none: show the current settings)")
        let count = Argument<Int?>.integer("count", positional: true, minimum: 1, help: "how many of the latest to show")
        return [
            PluginCommand(spec: CommandSpec(
                name: "help", abstract: "List commands, or explain one",
                arguments: [helped],
                examples: ["help", "help plot", "help onsets adjust"])) { [unowned session] invocation in
                guard let name = try invocation[helped] else { return [.message(HelpFormatter.overview(session.registry))] }
                guard let command = session.registry.resolve(name.split(separator: " ").map(String.init)) else { throw session.registry.unknownCommandError(name) }
                return [.message(HelpFormatter.detail(command))]
            },
            PluginCommand(spec: CommandSpec(
                name: "commands", abstract: "List command names, or dump every command spec as JSON",
                arguments: [json],
                examples: ["commands", "commands --json"])) { [unowned session] invocation in
                if try invocation[json] { return [.message(HelpFormatter.json(session.registry))] }
                return [.message(session.registry.names.joined(separator: " "))]
            },
            PluginCommand(spec: CommandSpec(
                name: "show", abstract: "Show every command's defaults (show defaults), or one command's",
                discussion: "Lists each argument that has a default, with its value and unit, from the command specs themselves (the same specs help and validation use).",
                arguments: [what, shown],
                examples: ["show defaults", "show defaults envelope"])) { [unowned session] invocation in
                var names = session.registry.names
                _ = try invocation[what]
                if let name = try invocation[shown] {
                    guard let command = session.registry.lookup(name) else { throw session.registry.unknownCommandError(name) }
                    names = [command.spec.name]
                }
                let rows: [[TableCell]] = names.flatMap { name in
                    session.registry.commands[name]!.spec.arguments.compactMap { argument in
                        argument.defaultValue.map { [.text(name), .text(argument.name), .text($0), .text(argument.help)] }
                    }
                }
                return [.table(ResultTable(title: "defaults", columns: [TableColumn("command"), TableColumn("argument"), TableColumn("default"), TableColumn("meaning")], rows: rows))]
            },
            PluginCommand(spec: CommandSpec(
                name: "plugins", abstract: "List loaded plugins (id, version, file, commands) and the ones that failed to load",
                examples: ["plugins"])) { [unowned session] _ in
                let rows: [[TableCell]] = session.plugins.loaded.map {
                    [.text($0.id), .text($0.version), .text($0.file), .text($0.commands.joined(separator: " "))]
                }
                var table = ResultTable(title: "plugins", columns: [TableColumn("id"), TableColumn("version"), TableColumn("file"), TableColumn("commands")], rows: rows)
                if session.plugins.loaded.isEmpty { table.notes.append("no plugin loaded") }
                table.notes += session.plugins.failed.map { "failed: \($0.file): \($0.reason)" }
                return [.table(table)]
            },
            PluginCommand(spec: CommandSpec(
                name: "plugin", abstract: "Load a plugin library now",
                arguments: [pluginAction, library],
                examples: ["plugin load ./libMyoHello.so"])) { [unowned session] invocation in
                switch PluginLoader.load(try invocation[library], into: session) {
                case .success(let plugin): return [.message("loaded \(plugin.id) \(plugin.version): \(plugin.commands.joined(separator: " "))")]
                case .failure(let error): throw error
                }
            },
            PluginCommand(spec: CommandSpec(
                name: "set", abstract: "Change a setting: set output text|json, set plot terminal auto|dumb|window",
                discussion: Settings.definitions.map { "\($0.key): \($0.choices.isEmpty ? "<text>" : $0.choices.joined(separator: "|")) - \($0.help)" }.joined(separator: "\n"),
                arguments: [setting],
                examples: ["set output json", "set plot terminal dumb"])) { [unowned session] invocation in
                guard let (key, value) = try invocation[setting] else {
                    return [.message(Settings.definitions.map { "\($0.key) = \(session.settings.value(of: $0.key))" }.joined(separator: "\n"))]
                }
                try session.settings.set(key, to: value)
                return [.message("\(key) = \(value)")]
            },
            PluginCommand(spec: CommandSpec(
                name: "history", abstract: "Show the commands entered, earlier sessions' first (re-run entry N with !N)",
                arguments: [count],
                examples: ["history", "history 5", "!3"])) { [unowned session] invocation in
                let entries = Array(session.history.enumerated())
                let shown = try invocation[count].map { Array(entries.suffix($0)) } ?? entries
                var lines: [String] = []
                for entry in shown {
                    if entry.offset == session.sessionStart, session.sessionStart > 0 { lines.append("      (this session)") }
                    lines.append("\(String(entry.offset + 1).leftPadding(4))  \(entry.element.succeeded ? " " : "!")\(entry.element.line)")
                }
                return [.message(lines.isEmpty ? "no history yet" : lines.joined(separator: "\n"))]
            },
            PluginCommand(spec: CommandSpec(
                name: "quit", aliases: ["exit"], abstract: "Leave the shell (Ctrl-D also works)",
                examples: ["quit"])) { [unowned session] _ in
                session.requestQuit()
                return []
            },
        ]
    }

    static func plotCommand(_ session: Session) -> PluginCommand {
        let plotted = Argument.signals(help: "channels to plot")
        return
        PluginCommand(spec: CommandSpec(
            name: "plot", abstract: "Plot signals against time: in the terminal, in a window, or to a file",
            discussion: """
            Without 'to FILE' the plot goes to a window when a display is present, else it is drawn as text sized to \
            the terminal (set plot terminal chooses). 'to FILE.png|.svg|.pdf' writes the picture atomically, with its \
            gnuplot script (.gp) and binary data (.dat) beside it so the figure can be regenerated. Channels of two \
            units share the plot with one y-axis each (the second unit on the right); more units are refused. Long signals are \
            reduced to the minimum and maximum of each pixel column, so peaks survive.
            """,
            arguments: [plotted] + SharedArguments.timeWindow,
            constraints: [SharedArguments.timeWindowOrder],
            destination: DestinationSpec(extensions: PlotFileType.allCases.map(\.rawValue), required: false, help: "picture file to write"),
            examples: ["plot bridge.GM_L bridge.GM_R from=5s to=15s", "plot bridge.ES_L to out/es_l.png"], streams: true)) { [unowned session] invocation in
            let refs = try invocation[plotted]
            let (from, to) = try invocation.timeWindow
            // A window that misses every channel would draw an empty frame (gnuplot: "plot NaN"): say so.
            let start = refs.map(\.channel.startTimeSeconds).min() ?? 0, end = refs.map(\.channel.endTimeSeconds).max() ?? 0
            if (from ?? start) > end || (to ?? end) < start {
                throw MyoError.outOfRange(argument: from.map { _ in "from" } ?? "to", value: "\(NumberFormat.quantity(from ?? start, "s"))..\(NumberFormat.quantity(to ?? end, "s"))",
                                          limit: "the channels span \(NumberFormat.quantity(start, "s"))..\(NumberFormat.quantity(end, "s")), so nothing would be drawn")
            }
            // One y-axis per unit: the first unit on the left, a second on the right; more cannot be read.
            let units = refs.map(\.channel.unit).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            guard units.count <= 2 else {
                throw MyoError.invalidValue(argument: "signals", value: refs.map(\.qualifiedName).joined(separator: " "),
                                            expected: "channels of at most two units, one per y-axis (these are in \(units.map { $0.isEmpty ? "no unit" : $0 }.joined(separator: ", "))): plot them separately")
            }
            let series = try refs.map { ref in
                let right = units.count == 2 && ref.channel.unit == units[1]
                return ref.channel.isFileBacked ? try PlotSeries(streaming: ref.channel, label: ref.qualifiedName, rightAxis: right, fromSeconds: from, toSeconds: to)
                                                : PlotSeries(channel: ref.channel, label: ref.qualifiedName, rightAxis: right)
            }
            let title = refs.count <= 4 ? refs.map(\.qualifiedName).joined(separator: ", ") : "\(refs.count) channels of \(Set(refs.map(\.recordingName)).sorted().joined(separator: ", "))"
            let markers = (try? session.workspace.recording(named: refs[0].recordingName).events) ?? []
            return [.plot(PlotRequest(title: title, series: series, fromSeconds: from, toSeconds: to, markers: markers, outputPath: invocation.destination))]
        }
    }
}

