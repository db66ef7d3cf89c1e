#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoSignal
import MyoFormats

/// The simulator's scenarios. Each is deterministic for a seed, byte for byte.
public enum Scenario: String, CaseIterable, Sendable {
    case sorensen
    case flexionRelaxation = "flexion-relaxation"
    case bridgeSet = "bridge-set"
    case team
    case mvc
    case reaction
    /// 16 channels at 2 kHz for an hour by default: the benchmark recording.
    case long

    public var defaultDurationSeconds: Double {
        switch self {
        case .sorensen: return 90
        case .flexionRelaxation: return 40
        case .bridgeSet: return 40
        case .team: return 20
        case .mvc: return 10
        case .reaction: return 25
        case .long: return 3600
        }
    }

    public var summary: String {
        switch self {
        case .sorensen: return "Biering-Sorensen hold: ES and multifidus L/R with fatiguing spectra, trunk IMU, failure, rest and a recovery hold"
        case .flexionRelaxation: return "two standing trunk flexion cycles with myoelectric silence at full flexion: ES L/R and trunk IMU"
        case .bridgeSet: return "glute bridges: GM, ES, BF L/R with a set GM asymmetry, pelvis IMU"
        case .team: return "six athletes doing bridges with different GM L/R balance, one file each"
        case .mvc: return "maximal voluntary contraction reference trial for the bridge-set muscles"
        case .reaction: return "sudden trunk loading every 5 s: ES and MF L/R switch on abruptly at known latencies (onset ground truth)"
        case .long: return "16 EMG channels at 2 kHz with intermittent activity (benchmark size)"
        }
    }
}

/// One simulated file: its recording and the ground truth written beside it.
public struct SimulatedFile {
    public var fileName: String
    public var recording: Recording
    public var truth: JSONValue
}

/// A muscle of a scenario: channel name, RMS amplitude at full activation, activation and
/// spectral-scale profiles.
struct MuscleSpec {
    var name: String
    var gainMV: Double
    var activation: Profile
    var scale: Profile = Profile([(0, 1)])
}

/// Builds synthetic recordings; see docs/LONG.md (simulate day) and sample-data/README.md
/// for what each scenario contains.
public enum Simulator {
    static let mainsMV = 0.004
    static let baselineNoiseMV = 0.003

    public static func simulate(_ scenario: Scenario, seed: UInt64, durationSeconds: Double? = nil) -> [SimulatedFile] {
        let duration = durationSeconds ?? scenario.defaultDurationSeconds
        var random = RandomSource(seed: seed &* 0x9E37_79B9 &+ UInt64(Scenario.allCases.firstIndex(of: scenario)!))
        switch scenario {
        case .bridgeSet: return [bridgeSet(name: "bridge-set", duration: duration, gmRightOverLeft: 0.8, random: &random)]
        case .team:
            let ratios = [1.0, 1.1, 0.85, 1.25, 0.95, 1.4]
            return ratios.enumerated().map { index, ratio in
                var athleteRandom = random.fork(UInt64(index))
                var file = bridgeSet(name: "athlete0\(index + 1)", duration: duration, gmRightOverLeft: ratio, sampleRateHz: 1000, withIMU: false,
                                     muscles: ["GM", "ES"], random: &athleteRandom)
                file.fileName = "athlete0\(index + 1).csv"
                return file
            }
        case .mvc: return [mvc(duration: duration, random: &random)]
        case .reaction: return [reaction(duration: duration, random: &random)]
        case .sorensen: return [sorensen(duration: duration, random: &random)]
        case .flexionRelaxation: return [flexionRelaxation(duration: duration, random: &random)]
        case .long: return [long(duration: duration, random: &random)]
        }
    }

    static func emgChannels(_ muscles: [MuscleSpec], duration: Double, sampleRateHz: Double, random: inout RandomSource) -> [Channel] {
        muscles.enumerated().map { index, muscle in
            var stream = random.fork(UInt64(100 + index))
            let samples = EMGModel.synthesize(durationSeconds: duration, sampleRateHz: sampleRateHz, gainMV: muscle.gainMV, activation: muscle.activation,
                                              scale: muscle.scale, mainsMV: mainsMV, baselineNoiseMV: baselineNoiseMV, random: &stream)
            return Channel(name: muscle.name, unit: "mV", sampleRateHz: sampleRateHz, samples: samples)
        }
    }

    /// Accelerometer (g) and gyroscope (deg/s) of a sensor tilting by angle(t) degrees in the
    /// sagittal plane at 100 Hz. `gravityAxisAtZero` says which axis reads +1 g at angle 0:
    /// lying supine Z, standing upright X. The gyroscope is physically consistent with the
    /// accelerometer for a right-handed sensor rotating about Y: +d(angle)/dt when X is up (the
    /// up vector turns from X toward Z), -d(angle)/dt when Z is up (it turns from Z toward X).
    /// Noise: 0.01 g and 0.5 deg/s RMS.
    static func imuChannels(angle: Profile, duration: Double, gravityAxisAtZero: String, random: inout RandomSource) -> [Channel] {
        let fs = 100.0
        let count = Int((duration * fs).rounded())
        var accX = [Float](), accZ = [Float](), gyrY = [Float]()
        var stream = random.fork(999)
        for index in 0..<count {
            let t = Double(index) / fs
            let theta = angle(t) * Double.pi / 180
            let rate = (angle(t + 0.0005) - angle(t - 0.0005)) / 0.001 * (gravityAxisAtZero == "X" ? 1 : -1)
            let along = cos(theta), across = sin(theta)
            let x = gravityAxisAtZero == "X" ? along : across
            let z = gravityAxisAtZero == "X" ? across : along
            accX.append(Float(((x + 0.01 * stream.nextGaussian()) * 1e4).rounded() / 1e4))
            accZ.append(Float(((z + 0.01 * stream.nextGaussian()) * 1e4).rounded() / 1e4))
            gyrY.append(Float(((rate + 0.5 * stream.nextGaussian()) * 100).rounded() / 100))
        }
        return [Channel(name: "ACC_X", unit: "g", sampleRateHz: fs, samples: accX),
                Channel(name: "ACC_Z", unit: "g", sampleRateHz: fs, samples: accZ),
                Channel(name: "GYR_Y", unit: "deg/s", sampleRateHz: fs, samples: gyrY)]
    }

    static func provenance(_ scenario: Scenario, fileName: String) -> Provenance {
        Provenance(sourceFile: nil, steps: [ProvenanceStep(command: "simulate", origin: "myoshell simulator", parameters: [.init(name: "scenario", value: scenario.rawValue), .init(name: "file", value: fileName)])])
    }

    static func number(_ value: Double) -> JSONValue { .number((value * 1e6).rounded() / 1e6) }
}
