import MyoCore
import MyoPluginAPI

/// The one exported symbol: MyoShell calls it with its ABI version and gets the descriptor back.
@_cdecl("myoshell_plugin_entry")
public func myoshellPluginEntry(_ hostABI: UInt32, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
    PluginDescriptor.export(makeDescriptor, hostABI: hostABI, into: out)
}

func makeDescriptor() -> PluginDescriptor {
    PluginDescriptor(id: "example.duration", name: "Duration", version: "0.2.0",
                     summary: "an example plugin: the duration of each selected channel",
                     commands: [PluginCommand(spec: DurationCommand.spec, run: DurationCommand.run)])
}

/// `duration SIGNALS [from=] [to=] [in=s|min] [active=5%]`
enum DurationCommand {
    enum TimeUnit: String, CaseIterable { case s, min }

    // Each argument is declared once: name, type, unit, default, limits and help. The spec is
    // built from these keys, and the handler reads them back typed.
    static let signals = Argument.signals(help: "channels")
    static let unit = Argument.choice("in", default: TimeUnit.s, help: "the unit of the duration column")
    static let active = Argument.quantity("active", .ratio, default: "5%", minimum: 0, maximum: 100,
                                          help: "count samples whose magnitude exceeds this share of the channel's largest")

    static let spec = CommandSpec(
        name: "duration", abstract: "Duration, sample count and active share of each selected channel",
        arguments: [signals] + SharedArguments.timeWindow + [unit, active],
        constraints: [SharedArguments.timeWindowOrder],
        // The active share can be kept in the progress database (keep TABLE subject= date=).
        measures: [MeasureSpec(column: "active", rowKeys: ["channel"], better: .none, summary: "share of samples above the active level")],
        acceptsOutputName: true,
        examples: ["duration bridge.GM_*", "duration bridge from=5s to=15s in=min active=10%"])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let (from, to) = try invocation.timeWindow
        let unit = try invocation[unit]
        let threshold = try invocation[active] / 100
        let rows: [[TableCell]] = try invocation[signals].map { ref in
            let channel = ref.channel
            let samples = channel.samples[channel.sampleRange(fromSeconds: from, toSeconds: to)]
            let largest = samples.map { abs($0) }.max() ?? 0
            let activeCount = samples.filter { abs($0) > Float(threshold) * largest }.count
            let seconds = Double(samples.count) / channel.sampleRateHz
            return [.text(ref.qualifiedName), .integer(samples.count), .number(unit == .min ? seconds / 60 : seconds),
                    .number(samples.isEmpty ? .nan : 100 * Double(activeCount) / Double(samples.count))]
        }
        return [.table(ResultTable(title: "durations", columns: [TableColumn("channel"), TableColumn("samples"), TableColumn("duration", unit: unit.rawValue),
                                                                TableColumn("active", unit: "%")], rows: rows))]
    }
}
