import MyoAnalysis
import MyoCore
import MyoPluginAPI
import MyoSignal
import MyoSpectrum

/// The movement signal a command segments: an angle (deg) or angular velocity (deg/s) channel,
/// or the sagittal inclination computed from a raw IMU recording with the default filter.
struct MovementSignal {
    var name: String
    var unit: String
    var sampleRateHz: Double
    var startTimeSeconds: Double
    var values: [Double]
    /// How it was obtained, for the result.
    var origin: String
    /// Plausibility findings about the IMU and its mount (MountCheck), printed as warnings.
    var warnings: [String] = []

    var isAngle: Bool { unit == "deg" }

    static func from(_ invocation: Invocation, argument: Argument<[SignalRef]> = RepsCommand.signal) throws -> MovementSignal {
        let refs = try invocation[argument]
        let recording = try invocation.context.recording(named: refs[0].recordingName)
        if refs.count == 1, ["deg", "deg/s"].contains(refs[0].channel.unit) {
            let c = refs[0].channel
            return MovementSignal(name: refs[0].qualifiedName, unit: c.unit, sampleRateHz: c.sampleRateHz, startTimeSeconds: c.startTimeSeconds,
                                  values: c.samples.map(Double.init), origin: refs[0].qualifiedName)
        }
        guard IMUSensor.all(in: recording).contains(where: { sensor in refs.contains { r in sensor.channelNames.contains(r.channel.name) } }) else {
            throw MyoError.invalidValue(argument: argument.name, value: refs.map(\.qualifiedName).joined(separator: " "),
                                        expected: "one angle (deg) or angular velocity (deg/s) channel, or a recording with IMU channels; a channel without its unit gets one with 'units REC.CHANNEL deg' (or deg/s)")
        }
        let settings = try TiltSettings.from(invocation, recording: recording)
        let sensor = try TiltSettings.sensor(invocation, in: recording)
        let (sagittal, _, words) = try settings.angles(sensor)
        let first = sensor.accelerometer.values.first!
        return MovementSignal(name: "\(recording.name).\(sensor.prefix.isEmpty ? "" : sensor.prefix + "_")SAGITTAL", unit: "deg", sampleRateHz: first.sampleRateHz,
                              startTimeSeconds: first.startTimeSeconds, values: sagittal, origin: "sagittal inclination of \(recording.name) by \(words)",
                              warnings: MountCheck.findings(sensor, mount: settings.mount, sagittal: sagittal, label: "\(recording.name) \(sensor.label)"))
    }

    /// A level written `20%` (of the 5th-95th percentile span, above the 5th percentile) or with
    /// the signal's unit (`10deg`, `30deg/s`).
    func level(_ level: Level, argument: String) throws -> Double {
        switch level {
        case .fraction(let share):
            let sorted = values.filter { !$0.isNaN }.sorted()
            let low = Bootstrap.percentile(sorted, 5), high = Bootstrap.percentile(sorted, 95)
            return low + share * (high - low)
        case .value(let number, let typed):
            guard typed == unit else {
                throw MyoError.invalidValue(argument: argument, value: level.description, expected: "a percentage of the signal's range (20%) or a value in \(unit) (10\(unit)), the signal's unit")
            }
            return number
        }
    }

    /// A level as written in a template (`30%`, `15deg`).
    func level(_ text: String, argument: String) throws -> Double {
        guard let parsed = Level(text) else {
            throw MyoError.invalidValue(argument: argument, value: text, expected: "a percentage of the signal's range (20%) or a value in \(unit) (10\(unit))")
        }
        return try level(parsed, argument: argument)
    }
}

/// `reps SIGNAL [start=20%] [end=10%] [hold=90%] [min-rep=0.5s] [max-rep=60s] [min-peak=10%] [emg=ENV]`
enum RepsCommand {
    enum Direction: String, CaseIterable { case auto, up, down }
    static let signal = Argument.signals("signal", help: "an angle or angular velocity channel, or an IMU recording")
    static let start = Argument.level("start", default: "20%", minimum: 0, maximum: 100, help: "level a repetition rises above (20% of range, or 15deg)")
    static let end = Argument.level("end", default: "10%", minimum: 0, maximum: 100, help: "level a repetition falls below to end (at most start=)")
    static let hold = Argument.quantity("hold", .ratio, default: "90%", minimum: 1, maximum: 100, help: "hold = at or above this fraction of the way to the peak")
    static let minRep = Argument.quantity("min-rep", .time, default: "0.5s", help: "shortest repetition")
    static let maxRep = Argument.quantity("max-rep", .time, default: "60s", help: "longest repetition")
    static let minPeak = Argument.level("min-peak", default: "10%", minimum: 0, maximum: 100, help: "smallest rise of the peak above start= (10% of range, or 5deg)")
    static let minPhase = Argument.quantity("min-phase", .time, default: "0s", help: "shortest going, hold or return phase")
    static let maxPhase = Argument.quantity("max-phase", .time, default: "60s", help: "longest going, hold or return phase")
    static let emg = Argument<String?>.recording("emg", help: "envelope recording whose muscles are measured per phase")
    static let direction = Argument.choice("direction", default: Direction.auto, help: "whether repetitions raise or lower the angle (auto: away from where it starts)")
    static let spec = CommandSpec(
        name: "reps", abstract: "Segment repetitions of a movement (hysteresis), with phases, ROM, velocity, smoothness and EMG per phase",
        discussion: """
        SIGNAL is an angle (deg) or angular velocity (deg/s) channel, or a recording with IMU channels (its \
        sagittal inclination is computed with the tilt arguments, Madgwick by default, and the result says \
        so). A repetition starts where the signal last left end= before rising above start=, and ends when it \
        falls below end= (hysteresis); levels are a % of the signal's range (its 5th to 95th percentile span, \
        counted from the 5th percentile) or values in its unit. Its hold is where the signal stays at or above \
        hold= of the way from start= to the repetition's peak; going is before, return after. Repetitions \
        shorter than min-rep=, longer than max-rep=, whose peak rises less than min-peak= above start=, or \
        unfinished at the end, or with a going, hold or return phase outside min-phase= to max-phase=, are \
        dropped and counted. Per repetition: duration and phase durations, ROM = \
        peak - the lowest angle since the previous repetition, peak angular velocity (central differences of \
        the angle after a 6 Hz zero-phase 2nd-order low-pass, a kinematic convention), SPARC on the speed profile \
        (Balasubramanian et al. 2015; reference implementation's defaults: pad level 4, 10 Hz cutoff, 0.05 \
        amplitude threshold) and the log dimensionless jerk. With emg=ENVREC, each muscle's mean and peak \
        envelope per phase (%MVC when normalised). A second table gives the time-normalised repetitions (0 to \
        100 %, 101 points): ensemble mean and SD of the signal (and of each muscle with emg=). The table's \
        on/off columns make it usable as segments= for asymmetry and activation. direction=auto finds repetitions \
        as movement away from where an angle starts (a recording starts at rest): when its first second lies \
        nearer the top of its range the repetitions lower the angle and are found on its negative (say so with \
        direction=up or down). The IMU is checked for plausibility (accelerometer 1 g at rest, sagittal range \
        at most 180 deg, at most 1000 deg/s, gyroscope turning with the accelerometer's tilt) and a warning \
        names what fails, with the mount that fits when one does (docs/MOVEMENT.md).
        """,
        arguments: [signal, start, end, hold, minRep, maxRep, minPeak, minPhase, maxPhase, emg, direction] + TiltSettings.arguments,
        constraints: [.ordered("min-rep", "max-rep"), .ordered("min-phase", "max-phase")],
        acceptsOutputName: true,
        examples: ["reps bridge mount=+Z+X+Y", "reps fr_tilt.SAGITTAL start=30deg end=20deg emg=fr_env", "reps trunk.GYR_Y start=40deg/s end=10deg/s"],
        references: [
            "Balasubramanian S, Melendez-Calderon A, Roby-Brami A, Burdet E (2015) On the analysis of movement smoothness. J Neuroeng Rehabil 12:112. doi:10.1186/s12984-015-0090-9",
            "Balasubramanian S, Melendez-Calderon A, Burdet E (2012) A robust and sensitive metric for quantifying movement smoothness. IEEE Trans Biomed Eng 59:2126-2136. doi:10.1109/TBME.2011.2179545",
        ])

    struct Found {
        var signal: MovementSignal
        var repetitions: [Repetition]
        var dropped: Int
        var levels: (start: Double, end: Double)
        /// True when repetitions move the signal down from where it starts (found on its negative).
        var falling: Bool
    }

    /// Whether an angle's repetitions fall from where it starts: its first second (the rest a
    /// recording starts in) lies nearer the top of its 5th-95th percentile span than the bottom.
    static func startsHigh(_ signal: MovementSignal) -> Bool {
        guard signal.isAngle, signal.values.count > 10 else { return false }
        let sorted = signal.values.sorted()
        let low = sorted[sorted.count * 5 / 100], high = sorted[sorted.count * 95 / 100]
        let head = signal.values.prefix(max(1, min(Int(signal.sampleRateHz), signal.values.count / 10))).sorted()
        let first = head[head.count / 2]
        return high - first < first - low
    }

    static func find(_ invocation: Invocation) throws -> Found {
        let original = try MovementSignal.from(invocation)
        let direction = try invocation[direction]
        let falling = direction == .down || (direction == .auto && startsHigh(original))
        var signal = original
        if falling { signal.values = signal.values.map { -$0 } }
        let startLevel = try invocation[start], endLevel = try invocation[end]
        let start = try signal.level(startLevel, argument: "start")
        let end = try signal.level(endLevel, argument: "end")
        guard end <= start else {
            throw MyoError.invalidValue(argument: "end", value: endLevel.description, expected: "a level at or below start= (\(NumberFormat.significant(start, digits: 4)) \(signal.unit))")
        }
        let peakLevel = try invocation[minPeak]
        var minPeak = try signal.level(peakLevel, argument: "min-peak")
        if case .fraction = peakLevel { minPeak -= try signal.level(.fraction(0), argument: "min-peak") }
        let fs = signal.sampleRateHz
        func samples(_ seconds: Double) -> Int { Int((seconds * fs).rounded()) }
        let (repetitions, dropped) = RepetitionFinder.find(signal.values, startLevel: start, endLevel: end, holdFraction: try invocation[hold] / 100,
                                                           minSamples: samples(try invocation[minRep]), maxSamples: samples(try invocation[maxRep]), minPeak: minPeak,
                                                           phaseSamples: samples(try invocation[minPhase])...max(0, samples(try invocation[maxPhase])))
        return Found(signal: original, repetitions: repetitions, dropped: dropped, levels: falling ? (-start, -end) : (start, end), falling: falling)
    }

    static let columns = [TableColumn("#"), TableColumn("channel"), TableColumn("on", unit: "s"), TableColumn("off", unit: "s"), TableColumn("duration", unit: "s"),
                          TableColumn("going", unit: "s"), TableColumn("hold", unit: "s"), TableColumn("return", unit: "s"), TableColumn("ROM", unit: "deg"),
                          TableColumn("peak velocity", unit: "deg/s"), TableColumn("SPARC"), TableColumn("LDLJ")]

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let found = try find(invocation)
        let signal = found.signal
        let fs = signal.sampleRateHz
        func time(_ i: Int) -> Double { signal.startTimeSeconds + Double(i) / fs }
        let velocity = try angularVelocity(signal)
        var rows: [[TableCell]] = []
        for (index, r) in found.repetitions.enumerated() {
            let v = Array(velocity[r.start..<r.end])
            // ROM from the lowest angle since the previous repetition ended (the rest before it).
            let restStart = index == 0 ? 0 : found.repetitions[index - 1].end
            let rest = signal.values[restStart..<r.end]
            let rom = !signal.isAngle ? Double.nan
                : found.falling ? (rest.max() ?? signal.values[r.peak]) - signal.values[r.peak] : signal.values[r.peak] - (rest.min() ?? signal.values[r.peak])
            rows.append([.integer(index + 1), .text(signal.name), .number(time(r.start)), .number(time(r.end)), .number(Double(r.end - r.start) / fs),
                         .number(Double(r.holdStart - r.start) / fs), .number(Double(r.holdEnd - r.holdStart) / fs), .number(Double(r.end - r.holdEnd) / fs),
                         rom.isNaN ? .missing : .number(rom), .number(v.map(abs).max() ?? .nan),
                         .number(Smoothness.sparc(speed: v.map(abs), sampleRateHz: fs)), .number(Smoothness.logDimensionlessJerk(velocity: v, sampleRateHz: fs))])
        }
        let levels = "start \(NumberFormat.significant(found.levels.start, digits: 4)) \(signal.unit), end \(NumberFormat.significant(found.levels.end, digits: 4)) \(signal.unit)"
        var notes = ["movement signal: \(signal.origin)", "levels: \(levels) (start=\(try invocation[start].description), end=\(try invocation[end].description)); hold at \(NumberFormat.significant(try invocation[hold], digits: 4)) % of the way to each peak; repetitions \(NumberFormat.quantity(try invocation[minRep], "s")) to \(NumberFormat.quantity(try invocation[maxRep], "s")), phases \(NumberFormat.quantity(try invocation[minPhase], "s")) to \(NumberFormat.quantity(try invocation[maxPhase], "s")), peak at least \(try invocation[minPeak].description) above start"]
        if found.falling {
            notes.insert("direction: the angle falls from where it starts during each repetition (direction=\(try invocation[direction].rawValue)): levels are measured downwards from the top of its range, ROM from the highest angle since the previous repetition", at: 1)
        }
        if found.dropped > 0 { notes.append("\(found.dropped) candidate\(found.dropped == 1 ? "" : "s") dropped (too short, too long, too low, or unfinished)") }
        var outputs: [CommandOutput] = signal.warnings.map(CommandOutput.warning)
        outputs.append(.table(ResultTable(title: "\(found.repetitions.count) repetition\(found.repetitions.count == 1 ? "" : "s") of \(signal.name)", columns: columns, rows: rows, notes: notes)))
        let envelopes = try invocation[emg].map { try invocation.context.recording(named: $0) }
        if let envelopes { outputs.append(.table(phaseTable(found, envelopes))) }
        outputs.append(.table(normalisedTable(found, envelopes)))
        return outputs
    }

    /// Kinematic low-pass before differentiating an angle (Winter 2009's usual 6 Hz for body
    /// segments; a convention): 2nd-order Butterworth, zero-phase.
    static let velocityCutoffHz = 6.0

    /// Angular velocity in deg/s: the signal itself, or the central difference of the angle
    /// after the 6 Hz zero-phase low-pass.
    static func angularVelocity(_ signal: MovementSignal) throws -> [Double] {
        guard signal.isAngle else { return signal.values }
        let fs = signal.sampleRateHz
        var angle = signal.values
        if velocityCutoffHz < fs / 2 {
            let chain = SignalChain([.zeroPhase(try Butterworth.design(order: 2, band: .lowPass(velocityCutoffHz), sampleRateHz: fs))])
            if angle.count >= chain.minimumLength { angle = chain.apply(angle) }
        }
        return angle.indices.map { i in
            let a = max(i - 1, 0), b = min(i + 1, angle.count - 1)
            return b > a ? (angle[b] - angle[a]) / (Double(b - a) / fs) : 0
        }
    }

    /// Each muscle's mean and peak envelope per repetition and phase.
    static func phaseTable(_ found: Found, _ envelopes: Recording) -> ResultTable {
        let signal = found.signal
        func time(_ i: Int) -> Double { signal.startTimeSeconds + Double(i) / signal.sampleRateHz }
        var rows: [[TableCell]] = []
        let muscles = envelopes.channels.filter { !$0.kind.isIMU && $0.unit != "deg" && $0.unit != "deg/s" }
        for (index, r) in found.repetitions.enumerated() {
            for (phase, a, b) in [("going", r.start, r.holdStart), ("hold", r.holdStart, r.holdEnd), ("return", r.holdEnd, r.end)] {
                for muscle in muscles {
                    let samples = muscle.samples[muscle.sampleRange(fromSeconds: time(a), toSeconds: time(b))]
                    guard !samples.isEmpty else { continue }
                    rows.append([.integer(index + 1), .text(phase), .text(muscle.name), .number(samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count)),
                                 .number(Double(samples.max()!)), .text(muscle.unit)])
                }
            }
        }
        return ResultTable(title: "EMG of \(envelopes.name) per repetition and phase",
                           columns: [TableColumn("#"), TableColumn("phase"), TableColumn("muscle"), TableColumn("mean"), TableColumn("peak"), TableColumn("unit")], rows: rows)
    }

    /// Ensemble mean and SD of the time-normalised repetitions (101 points).
    static func normalisedTable(_ found: Found, _ envelopes: Recording?) -> ResultTable {
        let signal = found.signal
        var columns = [TableColumn("cycle", unit: "%"), TableColumn("\(signal.name) mean", unit: signal.unit), TableColumn("\(signal.name) SD", unit: signal.unit)]
        var series: [[[Double]]] = [found.repetitions.map { RepetitionFinder.timeNormalised(signal.values[$0.start..<$0.end]) }]
        if let envelopes {
            for muscle in envelopes.channels where !muscle.kind.isIMU {
                columns += [TableColumn("\(muscle.name) mean", unit: muscle.unit), TableColumn("\(muscle.name) SD", unit: muscle.unit)]
                series.append(found.repetitions.map { r in
                    let from = signal.startTimeSeconds + Double(r.start) / signal.sampleRateHz, to = signal.startTimeSeconds + Double(r.end) / signal.sampleRateHz
                    return RepetitionFinder.timeNormalised(muscle.samples[muscle.sampleRange(fromSeconds: from, toSeconds: to)].map(Double.init)[...])
                })
            }
        }
        let rows: [[TableCell]] = (0..<101).map { p in
            var row: [TableCell] = [.integer(p)]
            for reps in series {
                let values = reps.map { $0[p] }
                guard !values.isEmpty else { row += [.missing, .missing]; continue }
                let mean = values.reduce(0, +) / Double(values.count)
                let sd = values.count > 1 ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot() : 0
                row += [.number(mean), .number(sd)]
            }
            return row
        }
        return ResultTable(title: "time-normalised repetitions (0-100 %, \(found.repetitions.count) repetitions; SD with n - 1)", columns: columns, rows: rows)
    }
}
