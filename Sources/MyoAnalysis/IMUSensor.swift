import MyoCore
import MyoSignal

/// One inertial sensor's channels, recognised by name and unit: an accelerometer (g or m/s^2)
/// and optionally a gyroscope (deg/s or rad/s), each with up to three axes, all at one rate.
public struct IMUSensor: Sendable {
    /// What precedes the axis name (`T12` in `T12_ACC_X`), empty for a lone sensor.
    public var prefix: String
    public var accelerometer: [Int: Channel]
    public var gyroscope: [Int: Channel]

    public var sampleRateHz: Double { accelerometer.values.first!.sampleRateHz }
    public var count: Int { (accelerometer.values.map(\.sampleCount) + gyroscope.values.map(\.sampleCount)).min() ?? 0 }
    public var label: String { prefix.isEmpty ? "IMU" : prefix }
    public var channelNames: [String] { (accelerometer.sorted { $0.key < $1.key } + gyroscope.sorted { $0.key < $1.key }).map(\.value.name) }

    static let accelerometerWords: Set<String> = ["acc", "accel", "accelerometer", "a"]
    static let gyroscopeWords: Set<String> = ["gyr", "gyro", "gyroscope", "g", "angvel"]

    /// (prefix, kind word, axis index) of names like ACC_X, acc_x, Accel X, Gyro Y, T12_GYR_Z, accx,
    /// and Acc_1 :X (a sensor number after the kind word, as Cometa's C3D exports write it).
    public static func parse(_ name: String) -> (String, String, Int)? {
        var tokens = name.split(whereSeparator: { "_-. :".contains($0) }).map { String($0) }
        guard var last = tokens.popLast()?.lowercased(), !last.isEmpty else { return nil }
        if last.count > 1 {
            tokens.append(String(last.dropLast()))
            last = String(last.suffix(1))
        }
        guard let axis = ["x": 0, "y": 1, "z": 2][last] else { return nil }
        // The kind word is the last token naming a sensor type; the others name the sensor.
        guard let kindIndex = tokens.lastIndex(where: { accelerometerWords.contains($0.lowercased()) || gyroscopeWords.contains($0.lowercased()) }) else { return nil }
        let kind = tokens[kindIndex].lowercased()
        tokens.remove(at: kindIndex)
        return (tokens.joined(separator: "_"), kind, axis)
    }

    /// The sensors of a recording, in order of their first channel.
    public static func all(in recording: Recording) -> [IMUSensor] {
        var sensors: [IMUSensor] = []
        for channel in recording.channels {
            guard let (prefix, kind, axis) = parse(channel.name) else { continue }
            let unit = channel.unit.lowercased()
            let isAccelerometer = accelerometerWords.contains(kind) && ["g", "m/s^2", "m/s2"].contains(unit)
            let isGyroscope = gyroscopeWords.contains(kind) && ["deg/s", "rad/s", "dps"].contains(unit)
            guard isAccelerometer || isGyroscope else { continue }
            let index = sensors.firstIndex { $0.prefix.lowercased() == prefix.lowercased() } ?? {
                sensors.append(IMUSensor(prefix: prefix, accelerometer: [:], gyroscope: [:]))
                return sensors.count - 1
            }()
            if isAccelerometer { sensors[index].accelerometer[axis] = channel } else { sensors[index].gyroscope[axis] = channel }
        }
        return sensors.filter { sensor in
            guard let rate = sensor.accelerometer.values.first?.sampleRateHz else { return false }
            return (sensor.accelerometer.values.map(\.sampleRateHz) + sensor.gyroscope.values.map(\.sampleRateHz)).allSatisfy { $0 == rate }
        }
    }

    /// Accelerometer samples (direction only matters) and gyroscope samples in rad/s; missing axes are 0.
    public func vectors() -> (acceleration: [Vector3], rotation: [Vector3]) {
        let n = count
        func series(_ channels: [Int: Channel], scale: (Channel) -> Double) -> [Vector3] {
            (0..<n).map { i in
                let v = (0..<3).map { axis in channels[axis].map { Double($0.samples[i]) * scale($0) } ?? 0 }
                return Vector3(v[0], v[1], v[2])
            }
        }
        let acceleration = series(accelerometer) { _ in 1 }
        let rotation = series(gyroscope) { $0.unit.lowercased() == "rad/s" ? 1 : Double.pi / 180 }
        return (acceleration, rotation)
    }

    /// `ACC_Y absent (taken as 0)`-style notes for missing axes.
    public var missingAxes: [String] {
        var notes: [String] = []
        for axis in 0..<3 where accelerometer[axis] == nil { notes.append("accelerometer \(["X", "Y", "Z"][axis])") }
        if !gyroscope.isEmpty { for axis in 0..<3 where gyroscope[axis] == nil { notes.append("gyroscope \(["X", "Y", "Z"][axis])") } }
        return notes
    }
}

/// How the vertical is estimated from one sensor.
public enum InclinationMethod: String, CaseIterable, Sendable { case madgwick, complementary, accel }

/// The sagittal and frontal inclination of a sensor, sample by sample, by one of the orientation
/// filters: the one estimator behind every angle MyoShell reports (tilt, reps, screen, sorensen, frr).
public enum InclinationEstimator {
    /// Angles in degrees and the method actually used: a sensor without a gyroscope falls back to
    /// the accelerometer.
    public static func angles(_ sensor: IMUSensor, method: InclinationMethod, mount: SensorMount, beta: Double, tau: Double)
        -> (sagittal: [Double], frontal: [Double], used: InclinationMethod) {
        let (acceleration, rotation) = sensor.vectors()
        let fs = sensor.sampleRateHz
        let used: InclinationMethod = method != .accel && sensor.gyroscope.isEmpty ? .accel : method
        var sagittal: [Double] = [], frontal: [Double] = []
        sagittal.reserveCapacity(acceleration.count)
        frontal.reserveCapacity(acceleration.count)
        switch used {
        case .accel:
            for a in acceleration {
                let t = OrientationFilter.inclination(up: a, mount: mount)
                sagittal.append(t.sagittal); frontal.append(t.frontal)
            }
        case .complementary:
            for t in OrientationFilter.complementary(accelerometer: acceleration, gyroscope: rotation, mount: mount, sampleRateHz: fs, timeConstantSeconds: tau) {
                sagittal.append(t.sagittal); frontal.append(t.frontal)
            }
        case .madgwick:
            for q in OrientationFilter.madgwick(accelerometer: acceleration, gyroscope: rotation, sampleRateHz: fs, beta: beta) {
                let t = OrientationFilter.inclination(up: q.upInSensorFrame, mount: mount)
                sagittal.append(t.sagittal); frontal.append(t.frontal)
            }
        }
        return (sagittal, frontal, used)
    }
}
