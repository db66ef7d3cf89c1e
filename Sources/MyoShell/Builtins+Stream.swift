import MyoCore
import MyoPluginAPI
import MyoStream

/// Live streams over Lab Streaming Layer: find them, publish a recording as one, and receive,
/// process, show and record them (docs/LIVE.md).
/// How `live` shows what it receives.
enum LiveViewKind: String, CaseIterable { case auto, lines, window }

extension Builtins {
    static func streamCommands(_ session: Session) -> [PluginCommand] {
        let wait = Argument.quantity("wait", .time, default: "1s", minimum: 0.05, maximum: 60, help: "how long to listen for streams")
        let published = Argument.recording("recording", help: "the recording to publish")
        let speed = Argument.number("speed", default: "1", minimum: 0.01, maximum: 100, help: "playback speed (2: twice real time)")
        let streamName = Argument<String?>.text("name", help: "the stream's name (default: the recording's name); IMU channels go out as NAME-IMU")
        let chunk = Argument.quantity("chunk", .time, default: "20ms", minimum: 0.001, maximum: 1, help: "how much is sent at once")
        let duration = Argument<Double?>.quantity("for", .time, minimum: 0.01, maximum: 86_400, help: "stop after this long (default: the end of the recording, or Ctrl-C)")
        let consumers = Argument.quantity("consumers", .time, default: "2s", minimum: 0, maximum: 600, help: "wait this long for a first receiver before starting")
        let streams = Argument.requiredText("streams", positional: true, repeating: true, help: "stream names (as streams lists them); the word record before 'to FILE' may be written")
        let liveFor = Argument<Double?>.quantity("for", .time, minimum: 0.05, maximum: 86_400, help: "stop after this long (default: q or Ctrl-C)")
        let mvc = Argument<String?>.object("mvc", help: "a table of MVC references (from mvc): bars in %MVC")
        let target = Argument<(Double, Double)?>.range("target", .ratio, minimum: 0, maximum: 1000, help: "the target band in %MVC (needs mvc=), e.g. 20%..40%")
        let hold = Argument.quantity("hold", .time, default: "3s", minimum: 0.1, maximum: 600, help: "a bell when a channel stays in the target this long")
        let pairs = Argument.list("pairs", help: "left/right pairs LEFT:RIGHT, comma-separated (default: found from the names, as asymmetry)")
        let shown = Argument.list("channels", help: "the channels to show, comma-separated (default: every EMG channel; all are received and recorded)")
        let lowPass = Argument.quantity("lowpass", .frequency, default: "6Hz", minimum: 0.1, maximum: 100, help: "the envelope's causal low-pass cutoff (Butterworth order 2)")
        let notch = SharedArguments.notch
        let resolveWait = Argument.quantity("wait", .time, default: "5s", minimum: 0.1, maximum: 600, help: "how long to look for the streams")
        let repetitions = Argument<(Double, Double)?>.range("reps", .angle, minimum: 0, maximum: 180, help: "count repetitions of an IMU stream: LOW..HIGH in deg from rest (a repetition starts above HIGH, ends below LOW)")
        let mount = SharedArguments.mount
        let view = Argument.choice("view", default: LiveViewKind.auto, help: "auto: full screen on a terminal, else a line a second; lines; window: a gnuplot window (needs a display)")
        return [
            PluginCommand(spec: CommandSpec(
                name: "streams", abstract: "The Lab Streaming Layer streams on the network: name, type, channels, rate, source, host",
                discussion: """
                Listens for wait= and lists every LSL stream that answered, with its channel labels and units from \
                the stream's metadata (desc/channels/channel, as LabRecorder and XDF use them). liblsl is loaded when \
                first needed, from $MYOSHELL_LIBLSL, the library path, or the pylsl Python package; without it the \
                stream commands say how to get it and every other command works.
                """,
                arguments: [wait],
                acceptsOutputName: true,
                examples: ["streams", "streams wait=3s"])) { invocation in
                let library = try LSLLibrary.load()
                let found = LSL.resolve(library, waitSeconds: try invocation[wait])
                var rows: [[TableCell]] = []
                for stream in found {
                    // The full description (channel labels) needs an inlet; a stream that does not answer keeps its short one.
                    let description = (try? LSLInlet(stream, timeoutSeconds: 2).description) ?? stream.description
                    let labels = description.channels.map { $0.unit.isEmpty ? $0.label : "\($0.label) [\($0.unit)]" }
                    rows.append([.text(description.name), .text(description.type), .integer(description.channels.count),
                                 .text(labels.prefix(8).joined(separator: " ") + (labels.count > 8 ? " ..." : "")),
                                 description.nominalRateHz > 0 ? .number(description.nominalRateHz) : .text("irregular"),
                                 .text(description.sourceID), .text(description.hostname)])
                }
                return [.table(ResultTable(title: "\(found.count) LSL stream\(found.count == 1 ? "" : "s") (liblsl \(library.version / 100).\(library.version % 100), \(library.path))",
                                           columns: [TableColumn("name"), TableColumn("type"), TableColumn("channels"), TableColumn("labels"),
                                                     TableColumn("rate", unit: "Hz"), TableColumn("source id"), TableColumn("host")], rows: rows))]
            },
            PluginCommand(spec: CommandSpec(
                name: "stream", abstract: "Publish a recording as LSL outlets in real time (EMG and IMU at their own rates)",
                discussion: """
                One outlet a group of channels sharing a kind and a rate: EMG and other signals as NAME (type EMG), \
                IMU channels as NAME-IMU (type IMU), each with its channels' labels, units and types in the stream's \
                metadata, float32 samples stamped with the LSL clock at which each is due (start + time / speed), sent \
                chunk= at a time. Waits up to consumers= for a first receiver (and half a second more for one on each \
                other outlet), then runs until the recording ends, \
                for= has passed, or Ctrl-C. For demos in class and tests: live on another shell or machine receives it.
                """,
                arguments: [published, speed, streamName, chunk, duration, consumers],
                examples: ["stream sorensen", "stream bridge name=bridge speed=2 for=30s"])) { [unowned session] invocation in
                let library = try LSLLibrary.load()
                let recording = try session.workspace.recording(named: invocation[published])
                let publisher = try RecordingPublisher(library, recording: recording, name: try invocation[streamName] ?? recording.name,
                                                       chunkSeconds: try invocation[chunk], speed: try invocation[speed])
                session.emit("streaming " + publisher.descriptions.map { "\($0.name) (\($0.type), \($0.channels.count) channels @ \(NumberFormat.quantity($0.nominalRateHz, "Hz")))" }.joined(separator: " and ") + "\n")
                let sent = publisher.run(seconds: try invocation[duration], waitForConsumersSeconds: try invocation[consumers], shouldStop: { Cancellation.isRequested })
                let stopped = Cancellation.isRequested
                Cancellation.reset()
                return [.message("streamed \(NumberFormat.quantity(sent, "s")) of \(recording.name)\(stopped ? " (stopped)" : "")")]
            },
            PluginCommand(spec: CommandSpec(
                name: "live", abstract: "Receive LSL streams, show causal envelopes against a target, record them, and keep what arrived",
                discussion: """
                Resolves each named stream (wait=), opens an inlet on each (EMG and IMU together, at their own rates) \
                and processes what arrives block by block, causally: band-pass 20-450 Hz (Butterworth order 2, capped at \
                0.45 fs), notch= when given, full-wave rectification, low-pass lowpass= (order 2); the chain's delay \
                (group delay at the band's centre plus the low-pass's at 0 Hz) is shown. With mvc= the bars are in \
                %MVC and target= draws the band; a channel held in it for hold= rings the terminal bell. Left/right SI \
                per pair, (R - L) / (0.5 (R + L)) x 100, live. reps=LOW..HIGH counts repetitions from an IMU \
                stream: the accelerometer's sagittal inclination (mount=, as tilt), causally low-passed at 2 Hz, from \
                the rest angle of its first second; a repetition starts when the distance from rest rises above HIGH \
                and ends when it falls below LOW, and is kept with the rules of reps (0.5 s to 60 s); each one is an \
                event. On a terminal: a full-screen view (space marks an event, \
                q stops); otherwise one summary line a second (view=lines forces these; view=window draws the bars in a \
                gnuplot window as well, when there is a display and a gnuplot with a window terminal). Gaps are found from the timestamps (filled with the \
                last value, marked as events); liblsl's clock correction puts every stream on this machine's clock; \
                the received rate, the samples lost and the latency are shown. String streams (markers) become events. \
                'to FILE.xdf' records every stream as it arrives, as LabRecorder does (each sample's timestamp, \
                markers, clock offsets); 'to FILE.edf' (16-bit) or '.bdf' (24-bit) records the sampled streams on one \
                time base (each signal at its own rate, markers, gaps and clock offsets as annotations); both are synced \
                every second (docs/LIVE.md). Everything received becomes a recording \
                (as NAME, default live) so every offline command can follow.
                """,
                arguments: [streams, liveFor, shown, mvc, target, hold, pairs, lowPass, notch, repetitions, mount, view, resolveWait],
                acceptsOutputName: true,
                destination: DestinationSpec(extensions: ["xdf", "edf", "bdf"], required: false, help: "record to this file while receiving"),
                examples: ["live trunk for=60s", "live trunk trunk-IMU mvc=ref target=20%..40% record to session.edf as s1", "live trunk trunk-IMU markers record to session.xdf", "live bridge bridge-IMU reps=8deg..15deg mount=+Z+X+Y"])) { [unowned session] invocation in
                var names = try invocation[streams].split(separator: " ").map(String.init)
                if names.count > 1, names.last == "record" { names.removeLast() }
                let library = try LSLLibrary.load()
                let viewKind = try invocation[view]
                var window: LiveWindow?
                if viewKind == .window {
                    switch LiveWindow.windowTerminal() {
                    case .success(let terminal): window = try LiveWindow(terminal: terminal)
                    case .failure(let error): throw error
                    }
                }
                defer { window?.close() }
                var settings = LiveSettings()
                settings.lowPassHz = try invocation[lowPass]
                settings.notchHz = try invocation[notch]
                settings.holdSeconds = try invocation[hold]
                if let (low, high) = try invocation[repetitions] {
                    settings.repetitionLevels = (start: high, end: low)
                    settings.mount = try invocation[mount] ?? SensorAxes(SharedArguments.conventionalMount)!
                }
                if let table = try invocation[mvc].map({ try session.workspace.table(named: $0) }) {
                    guard let channel = table.columns.firstIndex(where: { $0.name == "channel" }), let reference = table.columns.firstIndex(where: { $0.name == "reference" }) else {
                        throw MyoError.other("\(try invocation[mvc] ?? "") has no channel and reference columns; make it with mvc")
                    }
                    for row in table.rows { if case .number(let value) = row[reference] { settings.mvc[row[channel].formatted] = value } }
                }
                if let band = try invocation[target] {
                    guard !settings.mvc.isEmpty else { throw MyoError.other("target= is in %MVC and needs mvc=TABLE (make one with mvc)") }
                    settings.target = band
                }
                // Streams by name, waiting up to wait= for all of them to be seen.
                let deadline = library.now() + (try invocation[resolveWait])
                var resolved: [String: ResolvedStream] = [:]
                while resolved.count < names.count, library.now() < deadline, !Cancellation.isRequested {
                    for stream in LSL.resolve(library, waitSeconds: 0.5) where names.contains(stream.description.name) && resolved[stream.description.name] == nil {
                        resolved[stream.description.name] = stream
                    }
                }
                let missing = names.filter { resolved[$0] == nil }
                guard missing.isEmpty else {
                    let seen = LSL.resolve(library, waitSeconds: 0.2).map(\.description.name)
                    throw MyoError.other("no LSL stream named \(missing.joined(separator: ", ")) answered within \(NumberFormat.quantity(try invocation[resolveWait], "s"))" + (seen.isEmpty ? "; no streams are visible (is the sender running on this network?)" : "; visible: " + seen.joined(separator: ", ")))
                }
                let inlets = try names.map { try LSLInlet(resolved[$0]!) }
                let labels = inlets.flatMap { $0.description.channels.map(\.label) }
                if let items = try invocation[pairs] { settings.pairs = try SidePairs(explicit: items, names: labels).pairs }
                if let items = try invocation[shown] {
                    for item in items where !labels.contains(item) {
                        throw MyoError.invalidValue(argument: "channels", value: item, expected: "a channel of the streams (\(labels.joined(separator: ", ")))")
                    }
                    settings.shown = Set(items)
                }
                let live = try LiveSession(library: library, inlets: inlets, settings: settings)
                if let path = invocation.destination { try live.record(to: path) }
                let terminal = viewKind == .auto && LiveTerminal.isAvailable && session.output is StandardOutput ? LiveTerminal() : nil
                var quit = false, lastLine = -1
                let notes: [String]
                do {
                    notes = try live.run(seconds: try invocation[liveFor], shouldStop: { quit || Cancellation.isRequested }) { model in
                        window?.draw(model)
                        if let terminal {
                            for key in terminal.keys() {
                                if key == UInt8(ascii: "q") || key == UInt8(ascii: "Q") { quit = true }
                                if key == UInt8(ascii: " ") { live.mark("mark \(live.events.filter { $0.label.hasPrefix("mark") }.count + 1)") }
                            }
                            terminal.draw(model)
                        } else if Int(model.elapsed) > lastLine {
                            lastLine = Int(model.elapsed)
                            session.emit(LiveView.summaryLine(model) + "\n")
                        }
                    }
                } catch {
                    terminal?.close()
                    throw error
                }
                terminal?.close()
                Cancellation.reset()
                var recording = live.recording(named: invocation.outputName ?? "live", provenance: Provenance())
                recording.provenance.sourceNotes = names.map { "LSL stream \($0)" }
                var outputs: [CommandOutput] = notes.map(CommandOutput.warning)
                let latency = live.latencyPercentilesMs.map { "; latency p50 \(NumberFormat.significant($0.p50, digits: 3)) ms, p95 \(NumberFormat.significant($0.p95, digits: 3)) ms" } ?? ""
                outputs.append(.message("received \(names.joined(separator: ", ")): \(NumberFormat.quantity(recording.durationSeconds, "s")), \(live.events.filter { !$0.label.hasPrefix("LSL stream ") }.count) events; envelope delay \(NumberFormat.significant(live.delayMs, digits: 3)) ms"
                                        + latency + (invocation.destination.map { ", recorded to \($0)" } ?? "")))
                if !recording.channels.isEmpty { outputs.append(.recording(recording)) }
                return outputs
            },
        ]
    }
}
