import MyoCore
import MyoPluginAPI

/// The one exported symbol: MyoShell calls it with its ABI version and gets the descriptor back.
@_cdecl("myoshell_plugin_entry")
public func myoshellPluginEntry(_ hostABI: UInt32, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
    PluginDescriptor.export(makeDescriptor, hostABI: hostABI, into: out)
}

func makeDescriptor() -> PluginDescriptor {
    PluginDescriptor(id: "example.duration", name: "Duration", version: "0.1.0",
                     summary: "an example plugin: the duration of each selected channel",
                     commands: [PluginCommand(spec: durationSpec, run: duration)])
}

let durationSpec = CommandSpec(
    name: "duration", abstract: "Duration and sample count of each selected channel",
    arguments: [ArgumentSpec("signals", positional: true, type: .signals, help: "channels", required: true, repeating: true)],
    acceptsOutputName: true,
    examples: ["duration bridge.GM_*"])

func duration(_ invocation: Invocation) throws -> [CommandOutput] {
    let rows: [[TableCell]] = invocation.signals("signals").map {
        [.text($0.qualifiedName), .integer($0.channel.samples.count), .number($0.channel.durationSeconds)]
    }
    return [.table(ResultTable(title: "durations", columns: [TableColumn("channel"), TableColumn("samples"), TableColumn("duration", unit: "s")], rows: rows))]
}
