import MyoCore
import MyoPluginAPI

/// `plot-envelope SIGNALS env=REC [onsets=TABLE] [from=] [to=] [to FILE]`
enum PlotEnvelopeCommand {
    static let signals = Argument.signals(help: "raw EMG channels of one recording")
    static let envelopeRecording = Argument.recording("env", positional: false, help: "recording holding the envelopes (same channel names)")
    static let onsets = Argument<String?>.object("onsets", help: "onsets table whose times to mark")
    static let spec = CommandSpec(
        name: "plot-envelope", abstract: "Plot envelopes over the rectified raw signal, with onsets as vertical markers",
        discussion: """
        For each selected raw channel: |x - mean(x)| (the full-wave rectified raw signal) and the channel of \
        the same name in the envelope recording env=. When the envelope's unit differs from the raw unit \
        (%MVC, %peak, mV^2) it is drawn against a right-hand axis labelled with that unit. Markers: the on \
        and off times of the onsets table onsets=, or else the 'CHANNEL on' / 'CHANNEL off' events of the \
        envelope recording, or else of the raw one. 'to FILE.png|.svg|.pdf' writes the figure with its \
        gnuplot script and data, as plot does.
        """,
        arguments: [
            signals, envelopeRecording, onsets,
        ] + SharedArguments.timeWindow,
        constraints: [SharedArguments.timeWindowOrder],
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["plot-envelope bridge.GM_L env=bridge_mvc", "plot-envelope reaction.ES_* env=reaction_env onsets=onsets1 to es.png"])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let selection = try Selection(invocation[signals], context: invocation.context)
        let envelopes = try invocation.context.recording(named: invocation[envelopeRecording])
        let (from, to) = try invocation.timeWindow
        // Every rectified raw signal first, then every envelope, so envelopes are drawn above all raw traces.
        var raws: [PlotSeries] = [], envelopeSeries: [PlotSeries] = []
        var markers: [Event] = []
        let table = try invocation[onsets].map { name -> ResultTable in
            let table = try invocation.context.table(named: name)
            guard table.columns == OnsetsCommand.columns else { throw MyoError.invalidValue(argument: "onsets", value: name, expected: "an onsets table") }
            return table
        }
        for ref in selection.refs {
            let raw = ref.channel
            guard let envelope = envelopes.channels.first(where: { $0.name == raw.name }) else {
                throw MyoError.other("\(envelopes.name) has no channel \(raw.name) (it has \(envelopes.channels.map(\.name).joined(separator: ", ")))")
            }
            let mean = raw.samples.reduce(0.0) { $0 + Double($1) } / Double(max(raw.sampleCount, 1))
            raws.append(PlotSeries(label: "|\(ref.qualifiedName)|", unit: raw.unit, sampleRateHz: raw.sampleRateHz, startTimeSeconds: raw.startTimeSeconds,
                                     samples: raw.samples.map { abs($0 - Float(mean)) }))
            envelopeSeries.append(PlotSeries(channel: envelope, label: "\(envelopes.name).\(envelope.name)", rightAxis: envelope.unit != raw.unit))
            if let table {
                for row in table.rows {
                    guard case .text(let qualified) = row[1], qualified.split(separator: ".").last.map(String.init) == raw.name else { continue }
                    if case .number(let on) = row[2] { markers.append(Event(timeSeconds: on, label: "\(raw.name) on")) }
                    if case .number(let off) = row[3] { markers.append(Event(timeSeconds: off, label: "\(raw.name) off")) }
                }
            } else {
                let own = envelopes.events.contains { $0.label.hasPrefix(raw.name + " o") } ? envelopes.events : selection.recording.events
                markers += own.filter { $0.label == "\(raw.name) on" || $0.label == "\(raw.name) off" }
            }
        }
        let series = raws + envelopeSeries
        // Each kind of marker is labelled once (its first), so many onsets stay readable.
        var labelled = Set<String>()
        markers = markers.sorted { ($0.timeSeconds, $0.label) < ($1.timeSeconds, $1.label) }.map { event in
            Event(timeSeconds: event.timeSeconds, label: labelled.insert(event.label).inserted ? event.label : "")
        }
        let names = selection.refs.map(\.channel.name)
        let title = "\(selection.recording.name) \(names.count <= 4 ? names.joined(separator: ", ") : "\(names.count) channels"): rectified raw and \(envelopes.name)"
        return [.plot(PlotRequest(title: title, series: series, fromSeconds: from, toSeconds: to,
                                  markers: markers, outputPath: invocation.destination))]
    }
}
