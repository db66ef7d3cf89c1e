import Dispatch
import MyoCore
import MyoPluginAPI
import MyoSignal

/// The plugin's entry symbol: hands the host a descriptor when their ABI versions match.
@_cdecl("myoshell_plugin_entry")
public func myoshellPluginEntry(_ hostABI: UInt32, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
    PluginDescriptor.export(StatsPlugin.descriptor, hostABI: hostABI, into: out)
}

/// `stats`: per-channel descriptive statistics with units, over the whole signal or a time range.
enum StatsPlugin {
    static let id = "myoshell.stats"
    static let version = "1.0.0"

    static func descriptor() -> PluginDescriptor {
        PluginDescriptor(id: id, name: "Descriptive statistics", version: version,
                         summary: "mean, RMS, standard deviation, minimum, maximum and peak-to-peak per channel",
                         commands: [PluginCommand(spec: spec, run: run)])
    }

    static let spec = CommandSpec(
        name: "stats", abstract: "Per-channel mean, RMS, SD, min, max and peak-to-peak, with units",
        discussion: """
        For samples x1..xn of each channel in [from, to): mean = sum(x)/n; RMS = sqrt(sum(x^2)/n); \
        SD = sqrt(sum((x - mean)^2)/(n - 1)) (two passes over each block of 4096 samples, blocks merged \
        by Chan, Golub and LeVeque's pairwise update); peak-to-peak = max - min. Sums are accumulated \
        in double precision. A NaN sample makes mean, RMS and SD NaN; min and max skip it. Times are on the recording's time base; a sample at \
        time t is included when from <= t < to.
        """,
        arguments: [signals] + SharedArguments.timeWindow,
        constraints: [SharedArguments.timeWindowOrder],
        acceptsOutputName: true,
        examples: ["stats bridge.GM_*", "stats bridge.{ES_L,ES_R} from=5s to=15s as es"],
        references: ["Chan TF, Golub GH, LeVeque RJ (1983) Algorithms for computing the sample variance: analysis and recommendations. The American Statistician 37:242-247. doi:10.1080/00031305.1983.10483115"],
        streams: true)

    static let signals = Argument.signals(help: "channels to describe")

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let refs = try invocation[signals]
        let (from, to) = try invocation.timeWindow
        let units = Set(refs.map(\.channel.unit))
        let sharedUnit = units.count == 1 ? units.first! : nil
        var columns = [TableColumn("channel")]
        if sharedUnit == nil { columns.append(TableColumn("unit")) }
        columns += [TableColumn("fs", unit: "Hz"), TableColumn("from", unit: "s"), TableColumn("to", unit: "s"), TableColumn("n")]
        let valueUnit = sharedUnit ?? ""
        columns += ["mean", "rms", "sd", "min", "max", "p2p"].map { TableColumn($0, unit: valueUnit) }
        var ranges: [Range<Int>] = []
        for ref in refs {
            let channel = ref.channel
            if let from, from >= channel.endTimeSeconds {
                throw MyoError.outOfRange(argument: "from", value: NumberFormat.quantity(from, "s"),
                                          limit: "\(ref.qualifiedName) ends at \(NumberFormat.quantity(channel.endTimeSeconds, "s"))")
            }
            let range = channel.sampleRange(fromSeconds: from, toSeconds: to)
            guard !range.isEmpty else {
                throw MyoError.outOfRange(argument: "from", value: NumberFormat.quantity(from ?? channel.startTimeSeconds, "s"),
                                          limit: "no sample of \(ref.qualifiedName) lies in the range")
            }
            ranges.append(range)
        }
        // Channels in parallel: a day kept in its file is read once per channel, on every core.
        let computed = Locked([Result<DescriptiveStatistics, Error>?](repeating: nil, count: refs.count))
        DispatchQueue.concurrentPerform(iterations: refs.count) { index in
            let result = Result { try DescriptiveStatistics(refs[index].channel, in: ranges[index]) }
            computed.withLock { $0[index] = result }
        }
        try Cancellation.check()
        var rows: [[TableCell]] = []
        for (index, ref) in refs.enumerated() {
            let channel = ref.channel, range = ranges[index]
            let stats = try computed.withLock { $0[index]! }.get()
            var row: [TableCell] = [.text(ref.qualifiedName)]
            if sharedUnit == nil { row.append(.text(channel.unit.isEmpty ? "-" : channel.unit)) }
            row += [.number(channel.sampleRateHz),
                    .number(channel.startTimeSeconds + Double(range.lowerBound) / channel.sampleRateHz),
                    .number(channel.startTimeSeconds + Double(range.upperBound) / channel.sampleRateHz),
                    .integer(stats.count)]
            row += [stats.mean, stats.rms, stats.standardDeviation, stats.minimum, stats.maximum, stats.peakToPeak].map { TableCell.number($0) }
            rows.append(row)
        }
        var notes: [String] = []
        if sharedUnit == nil { notes.append("channels have different units: each value is in its row's unit") }
        let recordings = Set(refs.map(\.recordingName)).sorted()
        var provenance = Provenance()
        if recordings.count == 1, let recording = try? invocation.context.recording(named: recordings[0]) { provenance = recording.provenance }
        let title = "stats of " + (refs.count <= 4 ? refs.map(\.qualifiedName).joined(separator: ", ") : "\(refs.count) channels of \(recordings.joined(separator: ", "))")
        return [.table(ResultTable(title: title, columns: columns, rows: rows, notes: notes, provenance: provenance))]
    }
}
