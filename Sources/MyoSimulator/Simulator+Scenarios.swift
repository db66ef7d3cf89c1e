import MyoCore
import MyoSignal
import MyoFormats

extension Simulator {
    /// Glute bridges: rest 3 s, then 5 s repetitions (1 s up, 2 s hold, 1 s down, 1 s rest).
    /// Activation at the hold (fraction of MVC): GM 0.5, ES 0.3, BF 0.2; rest 0.03.
    static func bridgeSet(name: String, duration: Double, gmRightOverLeft: Double, sampleRateHz: Double = 2000, withIMU: Bool = true,
                          muscles: [String] = ["GM", "ES", "BF"], random: inout RandomSource) -> SimulatedFile {
        let holdLevel: [String: Double] = ["GM": 0.5, "ES": 0.3, "BF": 0.2]
        let mvcGain: [String: Double] = ["GM": 0.6, "ES": 0.5, "BF": 0.4]
        var reps: [(Double, Double, Double, Double)] = []
        var start = 3.0
        while start + 4 <= duration - 1 { reps.append((start, start + 1, start + 3, start + 4)); start += 5 }
        func profile(_ level: Double) -> Profile {
            var points: [(Double, Double)] = [(0, 0.03)]
            for rep in reps { points += [(rep.0, 0.03), (rep.1, level), (rep.2, level), (rep.3, 0.03)] }
            return Profile(points)
        }
        var specs: [MuscleSpec] = []
        for muscle in muscles {
            let right = muscle == "GM" ? gmRightOverLeft : (muscle == "BF" ? 0.9 : 1.0)
            specs.append(MuscleSpec(name: muscle + "_L", gainMV: mvcGain[muscle]!, activation: profile(holdLevel[muscle]!)))
            specs.append(MuscleSpec(name: muscle + "_R", gainMV: mvcGain[muscle]! * right, activation: profile(holdLevel[muscle]!)))
        }
        var channels = emgChannels(specs, duration: duration, sampleRateHz: sampleRateHz, random: &random)
        var anglePoints: [(Double, Double)] = [(0, 0)]
        for rep in reps { anglePoints += [(rep.0, 0), (rep.1, 25), (rep.2, 25), (rep.3, 0)] }
        if withIMU { channels += imuChannels(angle: Profile(anglePoints), duration: duration, gravityAxisAtZero: "Z", random: &random) }
        let recording = Recording(name: name, channels: channels, provenance: provenance(.bridgeSet, fileName: name))
        let truth = JSONValue.object([
            ("scenario", .string("bridge-set")),
            ("sample_rate_hz", number(sampleRateHz)),
            ("repetitions", .array(reps.map { .object([("start_s", number($0.0)), ("hold_start_s", number($0.1)), ("hold_end_s", number($0.2)), ("end_s", number($0.3))]) })),
            ("hold_activation_fraction_of_mvc", .object(muscles.map { ($0, number(holdLevel[$0]!)) })),
            ("rest_activation_fraction_of_mvc", number(0.03)),
            ("emg_rms_at_mvc_mv", .object(specs.map { ($0.name, number($0.gainMV)) })),
            ("gm_right_over_left", number(gmRightOverLeft)),
            ("gm_symmetry_index_percent", number((gmRightOverLeft - 1) / (0.5 * (gmRightOverLeft + 1)) * 100)),
            ("pelvis_angle_at_hold_deg", number(withIMU ? 25 : 0)),
            ("imu", .string(withIMU ? "pelvis sensor, 100 Hz; supine at rest: ACC_Z = cos(angle), ACC_X = sin(angle), GYR_Y = -d(angle)/dt (right-handed sensor, mount +Z+X+Y)" : "none")),
        ])
        return SimulatedFile(fileName: name + ".csv", recording: recording, truth: truth)
    }

    /// An MVC trial for the bridge-set muscles: 2 s rest, 3 s ramp-and-hold at full activation, rest.
    static func mvc(duration: Double, random: inout RandomSource) -> SimulatedFile {
        let gains: [(String, Double)] = [("GM_L", 0.6), ("GM_R", 0.6 * 0.8), ("ES_L", 0.5), ("ES_R", 0.5), ("BF_L", 0.4), ("BF_R", 0.4 * 0.9)]
        let activation = Profile([(0, 0.03), (2, 0.03), (2.5, 1), (5, 1), (5.5, 0.03)])
        let specs = gains.map { MuscleSpec(name: $0.0, gainMV: $0.1, activation: activation) }
        let channels = emgChannels(specs, duration: duration, sampleRateHz: 2000, random: &random)
        let truth = JSONValue.object([
            ("scenario", .string("mvc")),
            ("mvc_hold_s", .array([number(2.5), number(5)])),
            ("emg_rms_at_mvc_mv", .object(gains.map { ($0.0, number($0.1)) })),
        ])
        return SimulatedFile(fileName: "mvc.csv", recording: Recording(name: "mvc", channels: channels, provenance: provenance(.mvc, fileName: "mvc")), truth: truth)
    }

    /// Biering-Sorensen: 5 s supported, 1 s raise, hold until failure (2/3 of the duration after
    /// the raise), 1 s drop, rest, then a 5 s recovery hold 14 s after failure. During the hold
    /// the spectral scale falls linearly (L to 0.72, R to 0.80, multifidus like ES) and the
    /// amplitude rises by 30 %. Trunk inclination from vertical: 130 deg supported, 90 deg held.
    static func sorensen(duration: Double, random: inout RandomSource) -> SimulatedFile {
        let holdStart = 6.0
        let holdEnd = holdStart + (duration - holdStart) * 2 / 3 - 4
        let retestStart = holdEnd + 15, retestEnd = min(retestStart + 5, duration - 1)
        func activation(_ level: Double) -> Profile {
            Profile([(0, 0.03), (5, 0.03), (holdStart, level), (holdEnd, level * 1.3), (holdEnd + 1, 0.03), (retestStart - 1, 0.03),
                     (retestStart, level), (retestEnd, level), (retestEnd + 0.5, 0.03)])
        }
        func scale(_ end: Double) -> Profile {
            Profile([(0, 1), (holdStart, 1), (holdEnd, end), (holdEnd + 1, end), (retestStart - 1, 0.92)])
        }
        let specs = [
            MuscleSpec(name: "ES_L", gainMV: 0.5, activation: activation(0.4), scale: scale(0.72)),
            MuscleSpec(name: "ES_R", gainMV: 0.5, activation: activation(0.4), scale: scale(0.80)),
            MuscleSpec(name: "MF_L", gainMV: 0.4, activation: activation(0.45), scale: scale(0.72)),
            MuscleSpec(name: "MF_R", gainMV: 0.4, activation: activation(0.45), scale: scale(0.80)),
        ]
        var channels = emgChannels(specs, duration: duration, sampleRateHz: 1000, random: &random)
        let angle = Profile([(0, 130), (5, 130), (holdStart, 90), (holdEnd, 92), (holdEnd + 1, 130)])
        channels += imuChannels(angle: angle, duration: duration, gravityAxisAtZero: "X", random: &random)
        func mdf(_ c: Double) -> Double { EMGModel.spectrum(scale: c, sampleRateHz: 1000).medianHz }
        let sides: [(String, Double)] = [("L", 0.72), ("R", 0.80)]
        let truth = JSONValue.object([
            ("scenario", .string("sorensen")),
            ("hold_start_s", number(holdStart)), ("hold_end_s", number(holdEnd)), ("endurance_s", number(holdEnd - holdStart)),
            ("recovery_hold_s", .array([number(retestStart), number(retestEnd)])),
            ("median_frequency", .object(sides.map { side, end in
                (side, .object([
                    ("initial_hz", number(mdf(1))), ("final_hz", number(mdf(end))),
                    ("slope_hz_per_s", number((mdf(end) - mdf(1)) / (holdEnd - holdStart))),
                    ("normalised_slope_percent_per_s", number((mdf(end) - mdf(1)) / (holdEnd - holdStart) / mdf(1) * 100)),
                    ("recovery_hz", number(mdf(0.92))),
                ]))
            })),
            ("amplitude_rise_percent", number(30)),
            ("imu", .string("trunk sensor, 100 Hz; inclination from vertical: ACC_X = cos(angle), ACC_Z = sin(angle), GYR_Y = d(angle)/dt")),
        ])
        return SimulatedFile(fileName: "sorensen.csv", recording: Recording(name: "sorensen", channels: channels, provenance: provenance(.sorensen, fileName: "sorensen")), truth: truth)
    }

    /// Standing flexion-relaxation: cycles of 5 s standing, 4 s flexion to 100 deg, 3 s at full
    /// flexion (ES silent above 75 deg), 4 s re-extension (ES active below 85 deg), 4 s standing.
    static func flexionRelaxation(duration: Double, random: inout RandomSource) -> SimulatedFile {
        var anglePoints: [(Double, Double)] = [(0, 0)]
        var activationPoints: [(Double, Double)] = [(0, 0.05)]
        var cycles: [JSONValue] = []
        var start = 0.0
        while start + 20 <= duration {
            let flexStart = start + 5, fullStart = start + 9, fullEnd = start + 12, standStart = start + 16
            anglePoints += [(flexStart, 0), (fullStart, 100), (fullEnd, 100), (standStart, 0)]
            let silenceStart = flexStart + 4 * 75 / 100, silenceEnd = fullEnd + 4 * (1 - 85.0 / 100)
            activationPoints += [(flexStart, 0.05), (flexStart + 1, 0.25), (silenceStart - 0.2, 0.3), (silenceStart, 0.02),
                                 (silenceEnd, 0.02), (silenceEnd + 0.2, 0.45), (standStart, 0.3), (standStart + 0.5, 0.05)]
            cycles.append(.object([("flexion_start_s", number(flexStart)), ("full_flexion_s", .array([number(fullStart), number(fullEnd)])),
                                   ("standing_s", number(standStart)), ("silence_s", .array([number(silenceStart), number(silenceEnd)]))]))
            start += 20
        }
        let activation = Profile(activationPoints)
        let specs = [MuscleSpec(name: "ES_L", gainMV: 0.5, activation: activation), MuscleSpec(name: "ES_R", gainMV: 0.5, activation: activation)]
        var channels = emgChannels(specs, duration: duration, sampleRateHz: 1000, random: &random)
        channels += imuChannels(angle: Profile(anglePoints), duration: duration, gravityAxisAtZero: "X", random: &random)
        let truth = JSONValue.object([
            ("scenario", .string("flexion-relaxation")),
            ("cycles", .array(cycles)),
            ("silence_begins_deg", number(75)), ("silence_ends_deg", number(85)), ("flexion_rom_deg", number(100)),
            ("activation_fraction_of_mvc", .object([("standing", number(0.05)), ("flexing_peak", number(0.3)), ("full_flexion", number(0.02)), ("re_extension_peak", number(0.45))])),
            ("imu", .string("trunk sensor, 100 Hz; inclination from vertical: ACC_X = cos(angle), ACC_Z = sin(angle), GYR_Y = d(angle)/dt")),
        ])
        return SimulatedFile(fileName: "flexion-relaxation.csv", recording: Recording(name: "flexion-relaxation", channels: channels, provenance: provenance(.flexionRelaxation, fileName: "flexion-relaxation")), truth: truth)
    }

    /// Sudden trunk loading: quiet standing, then a load every 5 s from 4 s on. Each muscle steps
    /// from 2 % to 35 % of MVC at its latency after the load (ES_L 50 ms, ES_R 65 ms, MF_L 40 ms,
    /// MF_R 90 ms: a delayed right multifidus) and back to 2 % 1.5 s later, all within a sample.
    static func reaction(duration: Double, random: inout RandomSource) -> SimulatedFile {
        var loads: [Double] = []
        var t = 4.0
        while t + 2 <= duration { loads.append(t); t += 5 }
        let latencies: [(String, Double, Double)] = [("ES_L", 0.050, 0.5), ("ES_R", 0.065, 0.5), ("MF_L", 0.040, 0.4), ("MF_R", 0.090, 0.4)]
        let specs = latencies.map { name, latency, gain -> MuscleSpec in
            var points: [(Double, Double)] = [(0, 0.02)]
            for load in loads { points += [(load + latency, 0.02), (load + latency, 0.35), (load + latency + 1.5, 0.35), (load + latency + 1.5, 0.02)] }
            return MuscleSpec(name: name, gainMV: gain, activation: Profile(points))
        }
        let channels = emgChannels(specs, duration: duration, sampleRateHz: 2000, random: &random)
        let truth = JSONValue.object([
            ("scenario", .string("reaction")),
            ("loads_s", .array(loads.map(number))),
            ("activation_fraction_of_mvc", .object([("rest", number(0.02)), ("active", number(0.35))])),
            ("onsets", .object(latencies.map { name, latency, _ in
                (name, .object([("latency_s", number(latency)),
                                ("on_s", .array(loads.map { number($0 + latency) })),
                                ("off_s", .array(loads.map { number($0 + latency + 1.5) }))]))
            })),
        ])
        return SimulatedFile(fileName: "reaction.csv", recording: Recording(name: "reaction", channels: channels, provenance: provenance(.reaction, fileName: "reaction")), truth: truth)
    }

    /// 16 channels (8 muscles, L and R) at 2 kHz with 10 s on / 10 s off activity.
    static func long(duration: Double, random: inout RandomSource) -> SimulatedFile {
        var points: [(Double, Double)] = []
        var t = 0.0
        while t <= duration + 20 { points += [(t, 0.05), (t + 1, 0.4), (t + 10, 0.4), (t + 11, 0.05)]; t += 20 }
        let activation = Profile(points)
        let muscles = ["ES", "MF", "GM", "GMED", "QL", "EO", "BF", "RA"]
        var specs: [MuscleSpec] = []
        for (index, muscle) in muscles.enumerated() {
            specs.append(MuscleSpec(name: muscle + "_L", gainMV: 0.4 + 0.02 * Double(index), activation: activation))
            specs.append(MuscleSpec(name: muscle + "_R", gainMV: 0.36 + 0.02 * Double(index), activation: activation))
        }
        let channels = emgChannels(specs, duration: duration, sampleRateHz: 2000, random: &random)
        let truth = JSONValue.object([("scenario", .string("long")), ("channels", .integer(16)), ("sample_rate_hz", .integer(2000)), ("duration_s", number(duration))])
        return SimulatedFile(fileName: "long.csv", recording: Recording(name: "long", channels: channels, provenance: provenance(.long, fileName: "long")), truth: truth)
    }
}
