#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import MyoCore
import MyoFiles
import MyoFormats
import MyoSignal

/// What a person does in a bout of the simulated day.
public enum DayActivity: String, CaseIterable, Sendable {
    case lying, sitting, standing, walking, bending, lifting

    /// Trunk flexion from upright, in degrees, held during the bout (lifting cycles around it).
    var flexionDeg: Double {
        switch self {
        case .lying: return 90
        case .sitting: return 15
        case .standing: return 3
        case .walking: return 5
        case .bending: return 50
        case .lifting: return 0
        }
    }
}

/// One bout of the diary: [start, end) in seconds from the start of the recording.
public struct DayBout: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var activity: DayActivity
}

/// A stretch of the simulated day that the truth names: a rest of the back extensors, or an
/// injected atypical stretch (its kind and the channels it touches).
public struct DayStretch: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var kind: String
    public var channels: [String]
}

/// A simulated day of daily life (issues 24 and 25): 16 sEMG channels at 2 kHz (the muscles of
/// `simulate long`) and a trunk IMU at 100 Hz (accelerometer in g, gyroscope in deg/s, mount
/// +X+Z+Y: X along the trunk, up when upright; Z forward; Y to the left), following a diary of
/// bouts whose truth is written beside the file. The file is written block by block (one second
/// of every channel at a time), so memory does not grow with the duration; it is written to a
/// temporary name and renamed when complete.
///
/// The model, per activity (flexion in degrees; EMG activation as a fraction of full activation):
/// lying supine 90 deg, 0.02; sitting 15 deg, 0.03-0.05; standing 3 deg, 0.04-0.08; walking 5 deg
/// with steps at the bout's cadence (1.6-2.1 Hz: vertical acceleration 0.25 g, ES/MF/GMED/BF bursts
/// alternating left and right); bending 50 deg, ES/MF 0.25; lifting: cycles of 6 s (bend to 70 deg in
/// 1.5 s, hold 1.5 s, return in 0.7 s with a 0.3 g load cue and ES/MF/GM at 0.6, stand 2.3 s).
/// Transitions ramp over 1 s. Above 12 h the last 7/24 of the recording is a night lying down.
/// While sitting, the back extensors (ES and MF, both sides) rest now and then: 0.4-3 s at
/// activation 0, 10-60 s apart (the EMG gaps of the truth). Days of 10 minutes or more carry four
/// injected atypical stretches of 20 s, at 30, 50, 70 and 90 % of the day: guarding (RA and EO
/// co-activate at 0.3), a strategy (ES_L nearly switched off: activation x 0.2), a cable artefact on ES_R
/// (a 2 Hz square wave of 0.3 mV) and mains interference on MF_L (50 Hz, 0.15 mV).
public enum DaySimulator {
    public static let emgRateHz = 2000.0
    public static let imuRateHz = 100.0
    public static let muscles = ["ES", "MF", "GM", "GMED", "QL", "EO", "BF", "RA"]

    /// The diary for a seed and duration. Bouts of sitting, standing and walking scale with the
    /// duration (a 6 h recording or longer gets full-length bouts), never below 10 s.
    public static func diary(seed: UInt64, durationSeconds: Double) -> [DayBout] {
        var random = RandomSource(seed: seed).fork(2401)
        let night = durationSeconds >= 12 * 3600 ? durationSeconds * 7 / 24 : 0
        let dayEnd = durationSeconds - night
        let scale = min(1, max(0.02, durationSeconds / 21_600))
        func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * random.nextUniform() }
        var bouts: [DayBout] = []
        var t = 0.0
        if night == 0 {
            let lying = max(10, 0.08 * durationSeconds)
            bouts.append(DayBout(start: 0, end: min(lying, durationSeconds), activity: .lying))
            t = lying
        }
        var current = DayActivity.sitting
        while t < dayEnd {
            let length: Double
            switch current {
            case .sitting: length = max(10, uniform(900, 3600) * scale)
            case .standing: length = max(10, uniform(60, 600) * scale)
            case .walking: length = max(10, uniform(60, 900) * scale)
            case .bending: length = uniform(10, 60)
            case .lifting: length = 6 * Double(Int(uniform(3, 10)))
            case .lying: length = max(10, uniform(600, 1800) * scale)
            }
            let end = min(t + length, dayEnd)
            bouts.append(DayBout(start: t, end: end, activity: current))
            t = end
            let draw = random.nextUniform()
            switch current {
            case .sitting: current = draw < 0.5 ? .standing : draw < 0.8 ? .walking : draw < 0.9 ? .bending : .lifting
            case .standing: current = draw < 0.4 ? .sitting : draw < 0.7 ? .walking : draw < 0.85 ? .bending : .lifting
            case .walking: current = draw < 0.4 ? .sitting : draw < 0.7 ? .standing : draw < 0.85 ? .lifting : .bending
            case .bending, .lifting: current = draw < 0.5 ? .standing : draw < 0.8 ? .walking : .sitting
            case .lying: current = .sitting
            }
        }
        if night > 0 { bouts.append(DayBout(start: dayEnd, end: durationSeconds, activity: .lying)) }
        return bouts
    }

    /// The rests of the back extensors while sitting: from 5-40 s into each sitting bout, 0.4-3 s
    /// long, 10-60 s apart, none closer than 5 s to the bout's end or 2 s to an injected stretch
    /// (whose EMG would hide or mimic it).
    public static func rests(seed: UInt64, bouts: [DayBout], injections: [DayStretch] = []) -> [DayStretch] {
        var random = RandomSource(seed: seed).fork(2404)
        func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * random.nextUniform() }
        var rests: [DayStretch] = []
        for bout in bouts where bout.activity == .sitting {
            var t = bout.start + uniform(5, 40)
            while true {
                // On the IMU's 100 Hz grid, where the activations are given.
                let start = (t * 100).rounded() / 100, end = ((t + uniform(0.4, 3)) * 100).rounded() / 100
                guard end <= bout.end - 5 else { break }
                if !injections.contains(where: { $0.start - 2 < end && start < $0.end + 2 }) {
                    rests.append(DayStretch(start: start, end: end, kind: "rest", channels: ["ES_L", "ES_R", "MF_L", "MF_R"]))
                }
                t = end + uniform(10, 60)
            }
        }
        return rests
    }

    /// The injected atypical stretches of a day of `durationSeconds` (none below 10 minutes).
    public static func injections(durationSeconds: Double) -> [DayStretch] {
        guard durationSeconds >= 600 else { return [] }
        let kinds: [(String, [String])] = [("guarding", ["RA_L", "RA_R", "EO_L", "EO_R"]), ("strategy", ["ES_L"]), ("cable", ["ES_R"]), ("mains", ["MF_L"])]
        return kinds.enumerated().map { k, kind in
            let start = (durationSeconds * (0.3 + 0.2 * Double(k))).rounded()
            return DayStretch(start: start, end: start + 20, kind: kind.0, channels: kind.1)
        }
    }

    /// The body at time t: trunk flexion (deg), vertical acceleration added by steps and loads (g),
    /// and each muscle's activation for the left and right side.
    struct Posture {
        var flexionDeg: Double
        var verticalG: Double
        var activation: [Double]   // muscles x (L, R), in the order of `muscles`
    }

    struct Body {
        let bouts: [DayBout]
        let cadences: [Double]
        let rests: [DayStretch]
        let injections: [DayStretch]
        var index = 0, restIndex = 0

        init(bouts: [DayBout], seed: UInt64, durationSeconds: Double) {
            self.bouts = bouts
            var random = RandomSource(seed: seed).fork(2402)
            cadences = bouts.map { _ in 1.6 + 0.5 * random.nextUniform() }
            injections = DaySimulator.injections(durationSeconds: durationSeconds)
            rests = DaySimulator.rests(seed: seed, bouts: bouts, injections: injections)
        }

        /// Flexion and loads of bout `b` at time t (no transition).
        func shape(_ b: Int, _ t: Double) -> (flexion: Double, vertical: Double, returning: Bool) {
            let bout = bouts[b]
            switch bout.activity {
            case .walking:
                return (5, 0.25 * sin(2 * Double.pi * cadences[b] * (t - bout.start)), false)
            case .lifting:
                let phase = (t - bout.start).truncatingRemainder(dividingBy: 6)
                if phase < 1.5 { return (70 * phase / 1.5, 0, false) }
                if phase < 3 { return (70, 0, false) }
                if phase < 3.7 { return (70 * (1 - (phase - 3) / 0.7), 0.3 * sin(Double.pi * (phase - 3) / 0.7), true) }
                return (0, 0, false)
            default:
                return (bout.activity.flexionDeg, 0, false)
            }
        }

        mutating func posture(at t: Double) -> Posture {
            while index + 1 < bouts.count, t >= bouts[index].end { index += 1 }
            let bout = bouts[index]
            var (flexion, vertical, returning) = shape(index, t)
            // A transition ramps from where the previous bout ended over the first second.
            if index > 0, t - bout.start < 1 {
                let before = shape(index - 1, bout.start).flexion
                let w = (t - bout.start)
                flexion = before + (flexion - before) * w
            }
            var activation = [Double](repeating: 0.02, count: 16)
            for (m, muscle) in muscles.enumerated() {
                var level: (Double, Double)
                switch bout.activity {
                case .lying: level = (0.02, 0.02)
                case .sitting: level = ["ES", "MF"].contains(muscle) ? (0.05, 0.045) : (0.03, 0.03)
                case .standing: level = ["ES", "MF", "GMED"].contains(muscle) ? (0.08, 0.07) : (0.04, 0.04)
                case .walking:
                    let step = sin(2 * Double.pi * cadences[index] * (t - bout.start))
                    let burst = ["ES", "MF", "GMED", "BF"].contains(muscle) ? 0.15 : 0.03
                    level = (0.06 + burst * max(0, step), 0.06 + burst * max(0, -step))
                case .bending: level = ["ES", "MF", "BF"].contains(muscle) ? (0.25, 0.22) : (0.05, 0.05)
                case .lifting:
                    let strong = ["ES", "MF", "GM"].contains(muscle)
                    level = returning && strong ? (0.6, 0.55) : strong ? (0.2, 0.18) : (0.06, 0.06)
                }
                activation[2 * m] = level.0
                activation[2 * m + 1] = level.1
            }
            // Times only grow from call to call, so the next rest is found by walking forward.
            while restIndex < rests.count, t >= rests[restIndex].end { restIndex += 1 }
            if restIndex < rests.count, t >= rests[restIndex].start { for c in 0..<4 { activation[c] = 0 } }
            for injection in injections where t >= injection.start && t < injection.end {
                switch injection.kind {
                case "guarding": for c in [10, 11, 14, 15] { activation[c] += 0.3 }
                case "strategy": activation[0] *= 0.2
                default: break
                }
            }
            return Posture(flexionDeg: flexion, verticalG: vertical, activation: activation)
        }
    }

    /// One EMG channel generated a block at a time: white Gaussian noise through EMGModel's shaping
    /// filters (spectral scale 1), times the activation and the channel's gain, plus 50 Hz mains
    /// (5 uV), 0.3 Hz wander (10 uV) and baseline noise (1.5 uV RMS; about 1 uV in 20-450 Hz, the
    /// noise of a good amplifier, so a rest reads below 0.5 %MVC); rounded to 0.1 uV.
    struct EMGStream {
        var random: RandomSource
        var high = Biquad.highPass(cutoffHz: EMGModel.highPassHz, sampleRateHz: DaySimulator.emgRateHz)
        var low = Biquad.lowPass(cutoffHz: EMGModel.lowPassHz, sampleRateHz: DaySimulator.emgRateHz)
        let normaliser = 1 / EMGModel.spectrum(scale: 1, sampleRateHz: DaySimulator.emgRateHz).varianceGain.squareRoot()
        let gainMV: Double
        let mainsPhase: Double, wanderPhase: Double

        init(seed: UInt64, channel: Int, gainMV: Double) {
            random = RandomSource(seed: seed).fork(UInt64(3000 + channel))
            self.gainMV = gainMV
            mainsPhase = 2 * Double.pi * random.nextUniform()
            wanderPhase = 2 * Double.pi * random.nextUniform()
        }

        /// Samples first..<first+count, with the activation given at 100 Hz from `activation[0]` =
        /// the value at sample `first` (linearly interpolated between).
        mutating func next(first: Int, count: Int, activation: [Double], artefact: DayStretch? = nil, into out: inout [Float]) {
            let fs = DaySimulator.emgRateHz
            let per = Int(fs / DaySimulator.imuRateHz)
            for k in 0..<count {
                let index = first + k
                let t = Double(index) / fs
                let j = k / per, w = Double(k % per) / Double(per)
                let level = activation[j] + (activation[min(j + 1, activation.count - 1)] - activation[j]) * w
                var value = level * gainMV * low.process(high.process(random.nextGaussian())) * normaliser
                value += 0.005 * sin(2 * Double.pi * 50 * t + mainsPhase)
                value += 0.01 * sin(2 * Double.pi * 0.3 * t + wanderPhase)
                value += 0.0015 * random.nextGaussian()
                if let artefact, t >= artefact.start, t < artefact.end {
                    // A loose cable: the baseline jumps by 0.3 mV twice a second; mains pick-up.
                    if artefact.kind == "cable" { value += (t - artefact.start).truncatingRemainder(dividingBy: 0.5) < 0.25 ? 0.3 : 0 }
                    if artefact.kind == "mains" { value += 0.15 * sin(2 * Double.pi * 50 * t + mainsPhase) }
                }
                out[k] = Float((value * 1e4).rounded() / 1e4)
            }
        }
    }

    /// Writes the day to `path` (.bdf: 24-bit, .edf: 16-bit) and its truth to STEM.truth.json.
    /// `progress` gets the fraction done after each second.
    /// With `replacing`, files that an earlier `simulate day` wrote (its STEM.truth.json says
    /// scenario day) are written over; anything else that exists is refused.
    public static func write(seed: UInt64, durationSeconds: Double, to path: String, replacing: Bool = false, progress: ((Double) -> Void)? = nil) throws -> [String] {
        let lower = path.lowercased()
        guard lower.hasSuffix(".bdf") || lower.hasSuffix(".edf") else {
            throw MyoError.invalidValue(argument: "to", value: path, expected: "a file ending in .bdf or .edf (a day is written as it is made, block by block)")
        }
        let stem = String(path.dropLast(4)), mvcPath = stem + ".mvc" + String(path.suffix(4))
        let simulated = replacing && isSimulatedDay(stem: stem)
        for existing in [path, mvcPath] where FileSystem.exists(existing) && !simulated {
            throw MyoError.file(path: existing, reason: "exists; simulate never writes over a file" + (replacing ? " it did not make (no STEM.truth.json of a simulated day beside it)" : " (replace=yes writes over a day simulate day made)"))
        }
        let seconds = Int(durationSeconds.rounded())
        let bouts = diary(seed: seed, durationSeconds: Double(seconds))
        var body = Body(bouts: bouts, seed: seed, durationSeconds: Double(seconds))
        var names: [String] = []
        for muscle in muscles { names += [muscle + "_L", muscle + "_R"] }
        // As `simulate long`: 0.4 mV (left) and 0.36 mV (right) plus 0.02 mV a muscle.
        var streams: [EMGStream] = []
        for c in 0..<16 {
            let side: Double = c % 2 == 0 ? 0.4 : 0.36
            streams.append(EMGStream(seed: seed, channel: c, gainMV: side + 0.02 * Double(c / 2)))
        }
        var imuNoise = RandomSource(seed: seed).fork(2403)
        var signals: [EDFRecorder.Signal] = names.map { EDFRecorder.Signal(label: $0, unit: "mV", sampleRateHz: emgRateHz, range: EDFRecorder.defaultRange(unit: "mV")) }
        for axis in ["ACC_X", "ACC_Y", "ACC_Z"] { signals.append(EDFRecorder.Signal(label: axis, unit: "g", sampleRateHz: imuRateHz, range: EDFRecorder.defaultRange(unit: "g"))) }
        for axis in ["GYR_X", "GYR_Y", "GYR_Z"] { signals.append(EDFRecorder.Signal(label: axis, unit: "deg/s", sampleRateHz: imuRateHz, range: EDFRecorder.defaultRange(unit: "deg/s"))) }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex { try FileSystem.createFolders(String(path[..<slash])) }
        let bytesPerSample = lower.hasSuffix(".bdf") ? 3 : 2
        try writeWhole(path, signals: signals, bytesPerSample: bytesPerSample) { recorder in
            let perSecondEMG = Int(emgRateHz), perSecondIMU = Int(imuRateHz)
            var blocks = [[Float]](repeating: [Float](repeating: 0, count: perSecondEMG), count: 16)
            var previousFlexion = body.posture(at: 0).flexionDeg
            for second in 0..<seconds {
                try Cancellation.check()
                // The IMU and the activations at 100 Hz, one sample past the second for interpolation.
                var activation = [[Double]](repeating: [], count: 16)
                var acc = [[Float]](repeating: [], count: 3), gyro = [[Float]](repeating: [], count: 3)
                for k in 0...perSecondIMU {
                    let t = Double(second) + Double(k) / imuRateHz
                    let posture = body.posture(at: t)
                    for c in 0..<16 { activation[c].append(posture.activation[c]) }
                    guard k < perSecondIMU else { continue }
                    let theta = posture.flexionDeg * Double.pi / 180
                    let rate = (posture.flexionDeg - previousFlexion) * imuRateHz
                    previousFlexion = posture.flexionDeg
                    let magnitude: Double = 1 + posture.verticalG
                    let ax: Double = magnitude * cos(theta) + 0.01 * imuNoise.nextGaussian()
                    let ay: Double = 0.01 * imuNoise.nextGaussian()
                    let az: Double = magnitude * sin(theta) + 0.01 * imuNoise.nextGaussian()
                    let gx: Double = 0.5 * imuNoise.nextGaussian()
                    let gy: Double = rate + 0.5 * imuNoise.nextGaussian()
                    let gz: Double = 0.5 * imuNoise.nextGaussian()
                    acc[0].append(Float((ax * 1e4).rounded() / 1e4))
                    acc[1].append(Float((ay * 1e4).rounded() / 1e4))
                    acc[2].append(Float((az * 1e4).rounded() / 1e4))
                    gyro[0].append(Float((gx * 100).rounded() / 100))
                    gyro[1].append(Float((gy * 100).rounded() / 100))
                    gyro[2].append(Float((gz * 100).rounded() / 100))
                }
                let first = second * perSecondEMG
                // Each channel its own stream and block: the channels run on all cores, in any order,
                // with the same result.
                streams.withUnsafeMutableBufferPointer { streamPointer in
                    blocks.withUnsafeMutableBufferPointer { blockPointer in
                        nonisolated(unsafe) let (streamBase, blockBase) = (streamPointer.baseAddress!, blockPointer.baseAddress!)
                        let artefacts: [DayStretch?] = names.map { name in
                            body.injections.first { $0.channels.contains(name) && ["cable", "mains"].contains($0.kind) && $0.end > Double(second) && $0.start < Double(second + 1) }
                        }
                        DispatchQueue.concurrentPerform(iterations: 16) { c in
                            streamBase[c].next(first: first, count: perSecondEMG, activation: activation[c], artefact: artefacts[c], into: &blockBase[c])
                        }
                    }
                }
                for c in 0..<16 { try recorder.append(blocks[c], to: c) }
                for axis in 0..<3 { try recorder.append(acc[axis], to: 16 + axis); try recorder.append(gyro[axis], to: 19 + axis) }
                progress?(Double(second + 1) / Double(seconds))
            }
        }
        try writeMVC(seed: seed, channels: Array(signals.prefix(16)), gains: streams.map(\.gainMV), bytesPerSample: bytesPerSample, to: mvcPath)
        try AtomicFile.write(truth(seed: seed, seconds: seconds, bouts: bouts, cadences: body.cadences, rests: body.rests, injections: body.injections).serialized() + "\n",
                             to: stem + ".truth.json")
        return [path, mvcPath, stem + ".truth.json"]
    }

    /// The MVC trial of the day's electrodes: 1 s at rest (activation 0.02), 3 s of maximal
    /// contraction (activation 1), 1 s at rest, through the same channel gains and noise as the
    /// day, so an activity's activation x 100 is its level in %MVC.
    static func writeMVC(seed: UInt64, channels: [EDFRecorder.Signal], gains: [Double], bytesPerSample: Int, to path: String) throws {
        var streams = gains.enumerated().map { EMGStream(seed: seed &+ 7919, channel: $0.offset, gainMV: $0.element) }
        let perSecond = Int(emgRateHz), perSecondIMU = Int(imuRateHz)
        var block = [Float](repeating: 0, count: perSecond)
        try writeWhole(path, signals: channels, bytesPerSample: bytesPerSample) { recorder in
            for second in 0..<5 {
                let level = (1...3).contains(second) ? 1.0 : 0.02
                let activation = [Double](repeating: level, count: perSecondIMU + 1)
                for c in streams.indices {
                    streams[c].next(first: second * perSecond, count: perSecond, activation: activation, into: &block)
                    try recorder.append(block, to: c)
                }
            }
        }
    }

    /// Writes a recording with `fill` under a temporary name and renames it to `path` once whole,
    /// so an interrupted or failed run leaves nothing that looks finished.
    static func writeWhole(_ path: String, signals: [EDFRecorder.Signal], bytesPerSample: Int, _ fill: (EDFRecorder) throws -> Void) throws {
        let partial = path + ".partial"
        _ = unlink(partial)
        let recorder = try EDFRecorder(path: partial, signals: signals, bytesPerSample: bytesPerSample)
        var done = false
        defer { if !done { _ = unlink(partial) } }
        try fill(recorder)
        _ = try recorder.finish()
        guard rename(partial, path) == 0 else { throw MyoError.file(path: path, reason: "cannot be written (\(String(cString: strerror(errno))))") }
        done = true
    }

    /// Whether STEM.truth.json is the truth of a simulated day (so its files are simulate's own).
    static func isSimulatedDay(stem: String) -> Bool {
        guard let text = FileSystem.readText(stem + ".truth.json") else { return false }
        return text.hasPrefix("{\"seed\":") && text.contains("\"scenario\":\"day\"")
    }

    static func truth(seed: UInt64, seconds: Int, bouts: [DayBout], cadences: [Double], rests: [DayStretch], injections: [DayStretch]) -> JSONValue {
        func number(_ value: Double) -> JSONValue { .number((value * 1e6).rounded() / 1e6) }
        var perActivity: [(String, JSONValue)] = []
        for activity in DayActivity.allCases {
            perActivity.append((activity.rawValue, number(bouts.filter { $0.activity == activity }.reduce(0) { $0 + $1.end - $1.start })))
        }
        let diary = JSONValue.array(bouts.enumerated().map { index, bout in
            var fields: [(String, JSONValue)] = [("start_s", number(bout.start)), ("end_s", number(bout.end)), ("activity", .string(bout.activity.rawValue))]
            if bout.activity == .walking { fields.append(("cadence_hz", number(cadences[index]))) }
            if bout.activity == .lifting { fields.append(("lifts", .integer(Int(((bout.end - bout.start) / 6).rounded(.down))))) }
            return .object(fields)
        })
        return .object([("seed", .integer(Int(seed))), ("truth", .object([
            ("scenario", .string("day")), ("duration_s", .integer(seconds)),
            ("emg", .string("16 channels (\(muscles.map { $0 + "_L/_R" }.joined(separator: ", "))) at 2000 Hz, mV")),
            ("imu", .string("trunk sensor at L1, 100 Hz; upright: ACC_X = +1 g, flexion theta: ACC_X = cos(theta), ACC_Z = sin(theta), GYR_Y = d(theta)/dt (mount +X+Z+Y)")),
            ("mount", .string("+X+Z+Y")),
            ("mvc", .string("STEM.mvc.edf (or .bdf): the same electrodes at rest 0-1 s, at maximal contraction 1-4 s (activation 1), at rest 4-5 s; an activity's EMG level in %MVC is 100 x its activation (docs/DAILY.md)")),
            ("seconds_per_activity", .object(perActivity)),
            ("diary", diary),
            ("rests", .array(rests.map { .object([("start_s", number($0.start)), ("end_s", number($0.end))]) })),
            ("rests_note", .string("ES and MF, both sides, at activation 0 (EMG gaps) while sitting")),
            ("injected", .array(injections.map { .object([("start_s", number($0.start)), ("end_s", number($0.end)), ("kind", .string($0.kind)),
                                                          ("channels", .array($0.channels.map(JSONValue.string)))]) })),
        ]))])
    }
}
