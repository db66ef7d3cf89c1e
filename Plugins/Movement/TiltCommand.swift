import MyoAnalysis
import MyoCore
import MyoPluginAPI
import MyoSignal

/// How inclination is estimated from one sensor, resolved from a command's arguments.
struct TiltSettings {
    enum Method: String, CaseIterable { case madgwick, complementary, accel }

    var method: Method
    var mount: SensorMount
    /// Where the mount came from, said in the notes when the recording stated it.
    var mountSource = ""
    /// Madgwick's beta in rad/s.
    var beta: Double
    /// Complementary filter time constant in s.
    var tau: Double
    var calibration: (Double, Double)?

    static let method = Argument.choice("method", default: Method.madgwick, help: "orientation filter (accel: accelerometer tilt only)")
    static let gain = Argument.number("gain", default: "0.1", minimum: 0, maximum: 10, help: "Madgwick's beta in rad/s")
    static let tau = Argument.quantity("tau", .time, default: "1s", help: "complementary filter time constant")
    static let calibrate = Argument<(Double, Double)?>.range("calibrate", .time, help: "static upright segment whose mean angles become zero")
    static let sensor = Argument<String?>.text("sensor", help: "which sensor (the prefix of its channel names), when there are several")
    static let arguments: [any ArgumentDeclaration] = [method, SharedArguments.mount, gain, tau, calibrate, sensor]

    /// The settings of a command's arguments for `recording`, with its mount resolved: mount=, else
    /// the one the recording states, else `fallback` (a template's), else the convention.
    static func from(_ invocation: Invocation, recording: Recording, fallback: (SensorAxes, String)? = nil) throws -> TiltSettings {
        let (axes, source) = try invocation.mount(of: recording, fallback: fallback)
        return TiltSettings(method: try invocation[method], mount: SensorMount(axes), mountSource: source.hasPrefix("stated by") ? source : "",
                            beta: try invocation[gain], tau: try invocation[tau], calibration: try invocation[calibrate])
    }

    /// Sagittal and frontal inclination (deg) of a sensor, one value per IMU sample, and a sentence
    /// saying how they were made.
    func angles(_ sensor: IMUSensor) throws -> (sagittal: [Double], frontal: [Double], words: String) {
        let fs = sensor.sampleRateHz
        var notes: [String] = []
        let estimate = InclinationEstimator.angles(sensor, method: InclinationMethod(rawValue: method.rawValue)!, mount: mount, beta: beta, tau: tau)
        var sagittal = estimate.sagittal, frontal = estimate.frontal
        let method = Method(rawValue: estimate.used.rawValue)!
        if method != self.method { notes.append("no gyroscope: accelerometer tilt") }
        var words: String
        switch method {
        case .accel: words = "accelerometer tilt"
        case .complementary: words = "complementary filter (tau \(NumberFormat.quantity(tau, "s")))"
        case .madgwick: words = "Madgwick filter (beta \(NumberFormat.significant(beta, digits: 4)) rad/s)"
        }
        words += " at \(NumberFormat.quantity(fs, "Hz")), mount \(mount.description)" + (mountSource.isEmpty ? "" : " (\(mountSource))")
        if let (from, to) = calibration {
            let start = sensor.accelerometer.values.first!.startTimeSeconds
            let first = max(0, Int(((from - start) * fs).rounded())), last = min(sagittal.count, Int(((to - start) * fs).rounded()))
            guard first < last else {
                throw MyoError.outOfRange(argument: "calibrate", value: "\(NumberFormat.quantity(from, "s"))..\(NumberFormat.quantity(to, "s"))", limit: "a stretch of the IMU recording (\(NumberFormat.quantity(Double(sagittal.count) / fs, "s")))")
            }
            let range = first..<last
            let offsetS = sagittal[range].reduce(0, +) / Double(range.count), offsetF = frontal[range].reduce(0, +) / Double(range.count)
            sagittal = sagittal.map { $0 - offsetS }
            frontal = frontal.map { $0 - offsetF }
            words += ", zeroed on \(NumberFormat.quantity(from, "s"))..\(NumberFormat.quantity(to, "s")) (offsets \(NumberFormat.fixed(offsetS, decimals: 2)) and \(NumberFormat.fixed(offsetF, decimals: 2)) deg)"
        }
        let missing = sensor.missingAxes
        if !missing.isEmpty { notes.append("absent axes taken as 0: " + missing.joined(separator: ", ")) }
        if !notes.isEmpty { words += "; " + notes.joined(separator: "; ") }
        return (sagittal, frontal, words)
    }

    /// The sensor a command works on: the one named by sensor=, or the only one.
    static func sensor(_ invocation: Invocation, in recording: Recording) throws -> IMUSensor {
        let sensors = IMUSensor.all(in: recording)
        guard !sensors.isEmpty else {
            throw MyoError.other("\(recording.name) has no IMU channels (accelerometer axes like ACC_X in g or m/s^2, gyroscope axes like GYR_Y in deg/s or rad/s)")
        }
        if let name = try invocation[Self.sensor] {
            guard let sensor = sensors.first(where: { $0.prefix.lowercased() == name.lowercased() }) else {
                throw MyoError.invalidValue(argument: "sensor", value: name, expected: "one of \(sensors.map(\.label).joined(separator: ", "))")
            }
            return sensor
        }
        guard sensors.count == 1 else {
            throw MyoError.other("\(recording.name) has \(sensors.count) IMU sensors (\(sensors.map(\.label).joined(separator: ", "))): choose one with sensor=")
        }
        return sensors[0]
    }
}

/// `tilt REC [method=madgwick] [mount=+X+Z+Y] [calibrate=0s..2s] [lumbar=UPPER:LOWER] [as NAME]`
enum TiltCommand {
    static let recordingArgument = Argument.recording("recording", help: "a recording with IMU channels")
    static let lumbar = Argument<String?>.text("lumbar", help: "UPPER:LOWER sensor prefixes for the lumbar angle")
    static let spec = CommandSpec(
        name: "tilt", abstract: "Trunk inclination (sagittal and frontal, deg) from an IMU: accelerometer tilt, complementary or Madgwick filter",
        discussion: """
        IMU channels are recognised by name and unit (ACC_X, acc_x, Accel X, T12_ACC_Y in g or m/s^2; GYR_Y, Gyro Y \
        in deg/s or rad/s); a prefix names the sensor. mount= says which sensor axes point along the trunk (up \
        when upright), forward and to the side (+X+Z+Y: X up, Z forward, Y lateral). With up = the measured or \
        estimated direction of the vertical in the sensor frame: sagittal = atan2(up_forward, up_along), \
        frontal = atan2(up_side, up_along), flexion and bending toward the lateral axis positive. method=accel \
        uses the accelerometer alone; complementary blends the integrated gyroscope with the accelerometer \
        angle with time constant tau=; madgwick (default) is Madgwick's gradient-descent filter with gain \
        beta = gain= rad/s (0.1 by default, a convention), started from the first sample's tilt. All at the \
        channels' own sample rate. calibrate=FROM..TO subtracts the mean angles of a static upright stretch. \
        Each sensor gives SAGITTAL and FRONTAL (prefixed by its name when there are several); lumbar=UPPER:LOWER \
        adds LUMBAR = upper - lower sagittal angle.
        """,
        arguments: [recordingArgument] + TiltSettings.arguments.filter { $0.spec.name != "sensor" } + [lumbar],
        acceptsOutputName: true,
        examples: ["tilt flexion-relaxation calibrate=0s..2s", "tilt bridge mount=+Z+X+Y method=complementary", "tilt trunk lumbar=T12:S1"],
        references: [
            "Madgwick SOH, Harrison AJL, Vaidyanathan R (2011) Estimation of IMU and MARG orientation using a gradient descent algorithm. IEEE Int Conf Rehabil Robot 2011:5975346. doi:10.1109/ICORR.2011.5975346",
            "Higgins WT (1975) A comparison of complementary and Kalman filtering. IEEE Trans Aerosp Electron Syst 11:321-325. doi:10.1109/TAES.1975.308081",
        ])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let recording = try invocation.context.recording(named: invocation[recordingArgument])
        let settings = try TiltSettings.from(invocation, recording: recording)
        let sensors = IMUSensor.all(in: recording)
        guard !sensors.isEmpty else { _ = try TiltSettings.sensor(invocation, in: recording); return [] }
        var channels: [Channel] = []
        var lines: [String] = []
        var sagittalBySensor: [String: (Channel)] = [:]
        var warnings: [CommandOutput] = []
        for sensor in sensors {
            let (sagittal, frontal, words) = try settings.angles(sensor)
            warnings += MountCheck.findings(sensor, mount: settings.mount, sagittal: sagittal, label: "\(recording.name) \(sensor.label)").map(CommandOutput.warning)
            let first = sensor.accelerometer.values.first!
            let prefix = sensors.count == 1 ? "" : sensor.prefix + "_"
            let s = Channel(name: prefix + "SAGITTAL", unit: "deg", sampleRateHz: first.sampleRateHz, startTimeSeconds: first.startTimeSeconds, samples: sagittal.map(Float.init))
            channels += [s, Channel(name: prefix + "FRONTAL", unit: "deg", sampleRateHz: first.sampleRateHz, startTimeSeconds: first.startTimeSeconds, samples: frontal.map(Float.init))]
            sagittalBySensor[sensor.prefix.lowercased()] = s
            lines.append("\(sensor.label) (\(sensor.channelNames.joined(separator: " "))): \(words)")
        }
        if let lumbar = try invocation[lumbar] {
            let parts = lumbar.split(separator: ":").map { String($0).lowercased() }
            guard parts.count == 2, let upper = sagittalBySensor[parts[0]], let lower = sagittalBySensor[parts[1]] else {
                throw MyoError.invalidValue(argument: "lumbar", value: lumbar, expected: "UPPER:LOWER, two of the sensors \(sensors.map(\.label).joined(separator: ", "))")
            }
            guard upper.sampleRateHz == lower.sampleRateHz, upper.startTimeSeconds == lower.startTimeSeconds else {
                throw MyoError.other("the lumbar angle needs both sensors sampled together (resample or align them first)")
            }
            channels.append(Channel(name: "LUMBAR", unit: "deg", sampleRateHz: upper.sampleRateHz, startTimeSeconds: upper.startTimeSeconds,
                                    samples: zip(upper.samples, lower.samples).map { $0 - $1 }))
            lines.append("LUMBAR = \(parts[0]) - \(parts[1]) sagittal angle")
        }
        let name = invocation.outputName ?? "\(recording.name)_tilt"
        return warnings + [.message("\(name): " + lines.joined(separator: "\n  ")),
                .recording(Recording(name: name, channels: channels, events: recording.events, provenance: recording.provenance))]
    }
}
