#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats
import MyoSignal

/// How `live` processes what it receives: per EMG channel a causal band-pass (and notch), full-wave
/// rectification and a causal low-pass, all stated with their delay; %MVC from reference values;
/// left/right SI per pair; a target band.
public struct LiveSettings: Sendable {
    public var bandPassHz: (Double, Double) = (20, 450)
    public var bandPassOrder = 2
    public var notchHz: Double?
    public var lowPassHz = 6.0
    public var lowPassOrder = 2
    /// Reference (MVC) amplitude of a channel's envelope, in its unit: values are shown in %MVC.
    public var mvc: [String: Double] = [:]
    /// The target band, in %MVC (with mvc) or in the channels' unit.
    public var target: (Double, Double)?
    /// Held this long inside the target, a cue (terminal bell) is given.
    public var holdSeconds = 3.0
    public var pairs: [SidePairs.Pair]?
    /// The channels shown (bars and balance); nil: every EMG channel. All are received and recorded.
    public var shown: Set<String>?
    /// Repetitions counted live from an IMU stream's inclination: start and end levels in deg
    /// from the rest angle (nil: not counted), and the sensor's mount.
    public var repetitionLevels: (start: Double, end: Double)?
    public var mount = SensorAxes("+X+Z+Y")!
    public init() {}
}

/// One received stream: its channels as they arrive, the causal chain of each EMG channel, and
/// its health (rate received, samples lost, latency).
final class LiveInput {
    let inlet: LSLInlet
    let description: StreamDescription
    let isEMG: [Bool]
    var chains: [CausalChain?]
    var samples: [[Float]]
    var envelope: [Double]
    var firstTimestamp: Double?
    var lastTimestamp: Double?
    var dropped = 0
    var correction = 0.0
    var latencies: [Double] = []
    /// Every chunk's latency of the session (up to a million), for the closing figures.
    var allLatencies: [Double] = []
    var receivedThisSecond = 0
    /// Samples received (not counting those filled into gaps).
    var receivedTotal = 0
    var rateReceived = 0.0
    var lost = false
    /// When the last samples arrived (liblsl's clock), and whether the stream is silent now.
    var lastArrival: Double?
    var silentSince: Double?
    /// A string stream (markers): its samples become events.
    let isMarker: Bool
    /// The inclination and repetitions of an IMU stream, when repetitions are counted.
    var inclination: LiveInclination?

    init(inlet: LSLInlet, settings: LiveSettings) throws {
        self.inlet = inlet
        let description = inlet.description
        self.description = description
        isMarker = inlet.isStrings
        let fs = description.nominalRateHz
        if isMarker {
            (isEMG, chains, samples, envelope) = ([], [], [], [])
            return
        }
        guard fs > 0 else { throw MyoError.other("\(description.name) is numeric but has no nominal rate; live takes sampled signals and string markers") }
        isEMG = description.channels.map { channel in
            let kind = ChannelKind.classify(name: channel.label, unit: channel.unit)
            return kind == .emg || (kind == .other && description.type.uppercased() == "EMG" && !ChannelKind.isOtherBiopotential(channel.label))
        }
        var steps: [CausalChain.Step] = []
        let high = min(settings.bandPassHz.1, 0.45 * fs)
        if settings.bandPassHz.0 < high {
            steps.append(.filter(try Butterworth.design(order: settings.bandPassOrder, band: .bandPass(settings.bandPassHz.0, high), sampleRateHz: fs)))
        }
        if let notch = settings.notchHz, notch < fs / 2 { steps.append(.filter(try Butterworth.notch(frequencyHz: notch, quality: 30, sampleRateHz: fs))) }
        steps.append(.rectify)
        steps.append(.filter(try Butterworth.design(order: settings.lowPassOrder, band: .lowPass(settings.lowPassHz), sampleRateHz: fs)))
        let chain = CausalChain(steps)
        chains = isEMG.map { $0 ? chain : nil }
        samples = description.channels.map { _ in [] }
        envelope = description.channels.map { _ in 0 }
        if let levels = settings.repetitionLevels {
            inclination = try LiveInclination(channels: description.channels, mount: settings.mount, sampleRateHz: fs, levels: levels)
        }
    }

    var chain: CausalChain? { chains.compactMap { $0 }.first }
}

/// What the view shows, made fresh at each update.
public struct LiveModel: Sendable {
    public struct Bar: Sendable {
        public var name: String
        public var value: Double
        public var unit: String
        public var inTarget: Bool
        public var secondsInTarget: Double
        public init(name: String, value: Double, unit: String, inTarget: Bool, secondsInTarget: Double) {
            (self.name, self.value, self.unit, self.inTarget, self.secondsInTarget) = (name, value, unit, inTarget, secondsInTarget)
        }
    }
    public struct Health: Sendable {
        public var name: String
        public var nominalHz: Double
        public var receivedHz: Double
        public var dropped: Int
        public var latencyMs: Double
        public var lost: Bool
    }
    public var elapsed: Double
    public var bars: [Bar]
    public var balance: [(muscle: String, si: Double)]
    public var health: [Health]
    public var target: (Double, Double)?
    public var events: Int
    public var delayMs: Double
    /// A target was just held for the set time: the view rings the terminal bell.
    public var cue: Bool
    /// Repetitions counted so far and the inclination from rest (deg), when counted.
    public var repetitions: Int?
    public var angle: Double?

    public init(elapsed: Double, bars: [Bar], balance: [(muscle: String, si: Double)], health: [Health], target: (Double, Double)?,
                events: Int, delayMs: Double, cue: Bool, repetitions: Int? = nil, angle: Double? = nil) {
        (self.elapsed, self.bars, self.balance, self.health, self.target) = (elapsed, bars, balance, health, target)
        (self.events, self.delayMs, self.cue, self.repetitions, self.angle) = (events, delayMs, cue, repetitions, angle)
    }
}

/// A live session: inlets pulled together, processed causally block by block, optionally recorded
/// to EDF/BDF, summarised in a model for the view, returned as a recording.
public final class LiveSession {
    let library: LSLLibrary
    let inputs: [LiveInput]
    let settings: LiveSettings
    public private(set) var events: [Event] = []
    var recorder: EDFRecorder?
    var xdf: XDFRecorder?
    /// The inputs with samples (not markers), in order: the recording's channels.
    var regular: [LiveInput] { inputs.filter { !$0.isMarker } }
    /// Per input, how many of its first samples are left out so every signal of the recording
    /// starts at the same instant (the latest first sample of all streams).
    var recordingStart: Double?
    var recordedUpTo: [Int]
    var timeInTarget: [String: Double] = [:]
    var heldSince: [String: Double] = [:]
    var cued = Set<String>()
    var pendingCue = false
    var lastModelTime = 0.0
    /// How many times a target was held for the set time.
    public private(set) var cues = 0
    var startClock = 0.0

    public init(library: LSLLibrary, inlets: [LSLInlet], settings: LiveSettings) throws {
        self.library = library
        self.settings = settings
        inputs = try inlets.map { try LiveInput(inlet: $0, settings: settings) }
        recordedUpTo = inputs.map { _ in 0 }
        var names = Set<String>()
        for input in inputs { for channel in input.description.channels where !names.insert(channel.label).inserted {
            throw MyoError.other("two streams have a channel named \(channel.label); live needs distinct names")
        } }
    }

    /// Starts recording every channel of every input to `path`: .xdf keeps every stream as it
    /// arrives (timestamps, markers, clock offsets, as LabRecorder); .edf (16-bit) and .bdf
    /// (24-bit) hold the sampled streams on one time base with markers, gaps and offsets as annotations.
    public func record(to path: String) throws {
        if path.lowercased().hasSuffix(".xdf") {
            xdf = try XDFRecorder(path: path, streams: inputs.map { input in
                XDFRecorder.Stream(name: input.description.name, type: input.description.type,
                                   channels: input.description.channels.map { ($0.label, $0.unit, $0.type) }, rateHz: input.description.nominalRateHz,
                                   strings: input.isMarker, sourceID: input.description.sourceID)
            })
            return
        }
        let signals = regular.flatMap { input in
            input.description.channels.map { EDFRecorder.Signal(label: $0.label, unit: $0.unit, sampleRateHz: input.description.nominalRateHz, range: EDFRecorder.defaultRange(unit: $0.unit)) }
        }
        recorder = try EDFRecorder(path: path, signals: signals, bytesPerSample: path.lowercased().hasSuffix(".bdf") ? 3 : 2)
    }

    /// The chain's delay for the view: the EMG band's centre through the band-pass, the envelope
    /// through the low-pass.
    public var delayMs: Double {
        guard let input = regular.first(where: { $0.chain != nil }), let chain = input.chain else { return 0 }
        let centre = (settings.bandPassHz.0 * min(settings.bandPassHz.1, 0.45 * input.description.nominalRateHz)).squareRoot()
        return 1000 * chain.delaySeconds(signalHz: centre, sampleRateHz: input.description.nominalRateHz)
    }

    /// Marks an event now (the view's space key).
    public func mark(_ label: String) {
        let t = library.now() - (recordingStart ?? startClock)
        events.append(Event(timeSeconds: t, label: label))
        recorder?.annotate(Event(timeSeconds: t, label: label))
    }

    /// Runs until `shouldStop` says so, the time is up or every stream is lost; `update` gets
    /// the model about 20 times a second.
    public func run(seconds: Double?, shouldStop: () -> Bool, update: (LiveModel) -> Void) throws -> [String] {
        for index in inputs.indices {
            // liblsl's clock offset to the sender (0 on one machine); refreshed every 5 s.
            try measureCorrection(index, timeoutSeconds: 2)
        }
        for input in inputs { input.inlet.open() }
        startClock = library.now()
        var notes: [String] = []
        var lastUpdate = 0.0, lastSecond = 0.0, lastCorrection = 0.0
        while true {
            let now = library.now() - startClock
            if let seconds, now >= seconds { break }
            if shouldStop() { break }
            var received = 0
            for (index, input) in inputs.enumerated() where !input.lost {
                do {
                    if input.isMarker {
                        let markers = try input.inlet.pullStrings()
                        received += markers.count
                        try takeMarkers(markers, from: input, index: index)
                        continue
                    }
                    let chunk = try input.inlet.pull()
                    received += chunk.timestamps.count
                    try xdf?.append(chunk.values, timestamps: chunk.timestamps, to: index)
                    try take(chunk, into: input)
                    noteSilence(input, received: !chunk.timestamps.isEmpty, notes: &notes)
                } catch LSLInlet.PullError.lost {
                    input.lost = true
                    let t = library.now() - (recordingStart ?? startClock)
                    events.append(Event(timeSeconds: t, label: "stream \(input.description.name) lost"))
                    recorder?.annotate(Event(timeSeconds: t, label: "stream \(input.description.name) lost"))
                    notes.append("\(input.description.name) stopped sending at \(NumberFormat.quantity(t, "s")); what came before is kept")
                }
            }
            if inputs.allSatisfy(\.lost) { break }
            if now - lastCorrection >= 5 {
                lastCorrection = now
                for index in inputs.indices where !inputs[index].lost { try measureCorrection(index, timeoutSeconds: 0.05) }
            }
            if now - lastSecond >= 1 {
                for input in inputs {
                    input.rateReceived = Double(input.receivedThisSecond) / max(now - lastSecond, 1e-9)
                    input.receivedThisSecond = 0
                }
                lastSecond = now
            }
            if now - lastUpdate >= 0.05 {
                lastUpdate = now
                update(model(elapsed: now))
            }
            if received == 0 { usleep(2_000) }
        }
        update(model(elapsed: library.now() - startClock))
        for input in inputs where input.dropped > 0 {
            notes.append("\(input.description.name): \(input.dropped) samples missing in transit, filled with the last value received and marked as gap events")
        }
        for input in regular where input.samples.first?.isEmpty ?? true {
            notes.append("\(input.description.name) sent nothing")
        }
        // A rate other than the nominal one, from the timestamps (gaps would make it look lower).
        for input in regular where input.dropped == 0 && input.receivedTotal > 100 {
            guard let first = input.firstTimestamp, let last = input.lastTimestamp, last > first else { continue }
            let rate = Double(input.receivedTotal - 1) / (last - first), nominal = input.description.nominalRateHz
            if abs(rate / nominal - 1) > 0.01 {
                notes.append("\(input.description.name) ran at \(NumberFormat.significant(rate, digits: 5)) Hz by its timestamps, not its nominal \(NumberFormat.quantity(nominal, "Hz")) (a sender faster or slower than real time, or a device clock that runs off); the recording keeps the nominal rate")
            }
        }
        if let recorder { notes += try recorder.finish() }
        try xdf?.finish()
        return notes
    }

    /// The median and 95th percentile of every chunk's latency, in ms, over all sampled streams.
    public var latencyPercentilesMs: (p50: Double, p95: Double)? {
        let all = regular.flatMap(\.allLatencies).sorted()
        guard !all.isEmpty else { return nil }
        return (1000 * all[all.count / 2], 1000 * all[min(all.count - 1, Int(Double(all.count) * 0.95))])
    }

    /// Samples received per second of the session, over all sampled streams and channels.
    public func samplesPerSecond(seconds: Double) -> Double {
        Double(regular.map { $0.samples.map(\.count).reduce(0, +) }.reduce(0, +)) / max(seconds, 1e-9)
    }

    /// A sampled stream that sends nothing for a second is reported (an event and a note) while
    /// liblsl keeps trying to reconnect it (inlets recover by themselves); its return is reported
    /// too, and the samples it missed meanwhile become a gap from the timestamps.
    func noteSilence(_ input: LiveInput, received: Bool, notes: inout [String]) {
        let now = library.now()
        let base = recordingStart ?? startClock
        if received {
            if let since = input.silentSince {
                let event = Event(timeSeconds: now - base, label: "stream \(input.description.name) back after \(NumberFormat.quantity(now - since, "s"))")
                events.append(event); recorder?.annotate(event)
                input.silentSince = nil
            }
            input.lastArrival = now
        } else if let last = input.lastArrival, input.silentSince == nil, now - last > 1 {
            input.silentSince = last
            let event = Event(timeSeconds: last - base, label: "stream \(input.description.name) stopped sending; reconnecting")
            events.append(event); recorder?.annotate(event)
            notes.append("\(input.description.name) stopped sending at \(NumberFormat.quantity(last - base, "s")) (liblsl kept trying to reconnect)")
        }
    }

    /// liblsl's clock offset of input `index`, kept for the timestamps and noted in an XDF file
    /// (collection time on the sender's clock, as LabRecorder writes it).
    func measureCorrection(_ index: Int, timeoutSeconds: Double) throws {
        guard let offset = inputs[index].inlet.timeCorrection(timeoutSeconds: timeoutSeconds) else { return }
        inputs[index].correction = offset
        try xdf?.clockOffset(collectionTime: library.now() - offset, offset: offset, to: index)
    }

    /// Markers become events at their time on the recording's time base.
    func takeMarkers(_ markers: [(text: String, timestamp: Double)], from input: LiveInput, index: Int) throws {
        guard !markers.isEmpty else { return }
        input.receivedThisSecond += markers.count
        if input.firstTimestamp == nil { input.firstTimestamp = markers[0].timestamp }
        input.lastTimestamp = markers.last?.timestamp
        try xdf?.append(strings: markers.map(\.text), timestamps: markers.map(\.timestamp), to: index)
        for marker in markers {
            let event = Event(timeSeconds: marker.timestamp + input.correction - (recordingStart ?? startClock), label: marker.text)
            events.append(event)
            recorder?.annotate(event)
        }
    }

    /// Appends a chunk: gaps found from the timestamps are filled with the last value and marked;
    /// EMG channels go through their causal chains; whole records go to the recorder.
    func take(_ chunk: (values: ArraySlice<Float>, timestamps: ArraySlice<Double>), into input: LiveInput) throws {
        guard !chunk.timestamps.isEmpty else { return }
        let width = input.description.channels.count
        let fs = input.description.nominalRateHz
        let base = chunk.values.startIndex
        var columns = [[Float]](repeating: [], count: width)
        for (k, stamp) in chunk.timestamps.enumerated() {
            if let last = input.lastTimestamp {
                let missing = Int(((stamp - last) * fs).rounded()) - 1
                if missing > 0 {
                    input.dropped += missing
                    let t = last + input.correction - (recordingStart ?? startClock) + 1 / fs
                    let event = Event(timeSeconds: t, label: "gap: \(missing) samples of \(input.description.name) missing (\(NumberFormat.quantity(Double(missing) / fs * 1000, "ms")))")
                    events.append(event)
                    recorder?.annotate(event)
                    for c in 0..<width {
                        let hold = columns[c].last ?? input.samples[c].last ?? 0
                        columns[c] += [Float](repeating: hold, count: missing)
                    }
                }
            } else {
                input.firstTimestamp = stamp
            }
            input.lastTimestamp = stamp
            for c in 0..<width { columns[c].append(chunk.values[base + k * width + c]) }
        }
        let now = library.now()
        // Latency: from the sender's stamp of the chunk's last sample (its push, for a live
        // sender) to now, when the chunk enters the model, on this machine's clock.
        if let last = chunk.timestamps.last {
            let latency = now - (last + input.correction)
            input.latencies.append(latency)
            if input.latencies.count > 200 { input.latencies.removeFirst(100) }
            if input.allLatencies.count < 1_000_000 { input.allLatencies.append(latency) }
        }
        input.receivedThisSecond += chunk.timestamps.count
        input.receivedTotal += chunk.timestamps.count
        for c in 0..<width {
            input.samples[c] += columns[c]
            if var chain = input.chains[c] {
                var block = columns[c].map(Double.init)
                chain.process(&block)
                input.chains[c] = chain
                input.envelope[c] = block.last ?? input.envelope[c]
            } else {
                input.envelope[c] = Double(columns[c].last ?? 0)
            }
        }
        if var inclination = input.inclination {
            for repetition in inclination.take(columns) {
                let fs = input.description.nominalRateHz
                let t = (input.firstTimestamp ?? 0) + input.correction + Double(inclination.restCount + repetition.start) / fs - (recordingStart ?? startClock)
                let event = Event(timeSeconds: t, label: "rep \(inclination.counted) (\(NumberFormat.fixed(Double(repetition.end - repetition.start) / fs, decimals: 2)) s)")
                events.append(event)
                recorder?.annotate(event)
            }
            input.inclination = inclination
        }
        try feedRecorder()
    }

    /// Once every stream has sent, the recording starts at the latest first sample; each
    /// stream's samples from there go to the recorder as they come.
    func feedRecorder() throws {
        let inputs = regular
        if recordingStart == nil {
            guard inputs.allSatisfy({ $0.firstTimestamp != nil }) else { return }
            let start = inputs.map { $0.firstTimestamp! + $0.correction }.max()!
            recordingStart = start
            for (index, input) in inputs.enumerated() {
                let skip = max(0, Int(((start - (input.firstTimestamp! + input.correction)) * input.description.nominalRateHz).rounded()))
                recordedUpTo[index] = skip
                let note = Event(timeSeconds: 0, label: "LSL stream \(input.description.name): first recorded sample at LSL time \(NumberFormat.fixed(input.firstTimestamp! + Double(skip) / input.description.nominalRateHz, decimals: 6)) s (sender clock), clock offset \(NumberFormat.fixed(input.correction, decimals: 6)) s")
                events.append(note)
                recorder?.annotate(note)
            }
        }
        guard let recorder else { return }
        var signal = 0
        for (index, input) in inputs.enumerated() {
            let available = input.samples.first?.count ?? 0
            let from = recordedUpTo[index]
            if available > from {
                for c in 0..<input.samples.count { try recorder.append(input.samples[c][from..<available], to: signal + c) }
                recordedUpTo[index] = available
            }
            signal += input.samples.count
        }
    }

    func model(elapsed: Double) -> LiveModel {
        var bars: [LiveModel.Bar] = []
        var values: [String: Double] = [:]
        for input in regular {
            for (c, channel) in input.description.channels.enumerated() where settings.shown.map({ $0.contains(channel.label) }) ?? input.isEMG[c] {
                var value = input.envelope[c], unit = channel.unit
                if let reference = settings.mvc[channel.label], reference > 0 { value = 100 * value / reference; unit = "%MVC" }
                values[channel.label] = value
                var inTarget = false
                if let (low, high) = settings.target {
                    inTarget = value >= low && value <= high
                    let key = channel.label
                    if inTarget {
                        timeInTarget[key, default: 0] += max(0, elapsed - lastModelTime)
                        let since = heldSince[key] ?? elapsed
                        heldSince[key] = since
                        // One cue a hold: when it first reaches holdSeconds.
                        if elapsed - since >= settings.holdSeconds, !cued.contains(key) { cued.insert(key); cues += 1; pendingCue = true }
                    } else {
                        heldSince[key] = nil
                        cued.remove(key)
                    }
                }
                bars.append(LiveModel.Bar(name: channel.label, value: value, unit: unit, inTarget: inTarget,
                                          secondsInTarget: timeInTarget[channel.label] ?? 0))
            }
        }
        let names = bars.map(\.name)
        let pairs = settings.pairs ?? SidePairs(names: names).pairs
        let balance = pairs.compactMap { pair -> (muscle: String, si: Double)? in
            guard let l = values[pair.left], let r = values[pair.right], l + r > 0 else { return nil }
            return (pair.muscle, (r - l) / (0.5 * (r + l)) * 100)
        }
        let health = inputs.map { input -> LiveModel.Health in
            let sorted = input.latencies.sorted()
            return LiveModel.Health(name: input.description.name, nominalHz: input.description.nominalRateHz, receivedHz: input.rateReceived,
                                    dropped: input.dropped, latencyMs: sorted.isEmpty ? .nan : 1000 * sorted[sorted.count / 2], lost: input.lost)
        }
        let counting = regular.compactMap(\.inclination)
        lastModelTime = elapsed
        let cue = pendingCue
        pendingCue = false
        return LiveModel(elapsed: elapsed, bars: bars, balance: balance, health: health, target: settings.target, events: events.count, delayMs: delayMs, cue: cue,
                         repetitions: counting.isEmpty ? nil : counting.map(\.counted).reduce(0, +), angle: counting.first?.fromRest)
    }

    /// Everything received, as a recording on the time base of the latest first sample (the
    /// recording's start; earlier samples of other streams have negative times).
    public func recording(named name: String, provenance: Provenance) -> Recording {
        let start = recordingStart ?? regular.compactMap { input in input.firstTimestamp.map { $0 + input.correction } }.min() ?? 0
        var channels: [Channel] = []
        for input in regular {
            let first = (input.firstTimestamp ?? start) + input.correction
            for (c, info) in input.description.channels.enumerated() where !input.samples[c].isEmpty {
                channels.append(Channel(name: info.label, unit: info.unit, sampleRateHz: input.description.nominalRateHz,
                                        startTimeSeconds: first - start, samples: input.samples[c]))
            }
        }
        return Recording(name: name, channels: channels, events: events.filter { !$0.label.hasPrefix("LSL stream ") }, provenance: provenance)
    }
}
