import MyoCore

/// The trunk's sagittal inclination from vertical (degrees) as the movement plugin's `tilt`
/// computes it by default (Madgwick, beta 0.1 rad/s), for commands of other plugins that need
/// a trunk angle (sorensen, frr): one estimator for every angle MyoShell reports.
public enum TrunkInclination {
    public static let defaultBeta = 0.1

    /// The sagittal angle of the recording's IMU sensor (the one named `sensor`, or the only or first
    /// one), with a sentence saying how it was made; nil when the recording has no IMU.
    public static func sagittal(of recording: Recording, sensor name: String?, mount: SensorMount) throws -> (angles: [Double], sensor: IMUSensor, words: String)? {
        let sensors = IMUSensor.all(in: recording)
        if let name, !sensors.contains(where: { $0.prefix.lowercased() == name.lowercased() }) {
            throw MyoError.invalidValue(argument: "sensor", value: name, expected: sensors.isEmpty ? "an IMU sensor, but \(recording.name) has none" : "one of \(sensors.map(\.label).joined(separator: ", "))")
        }
        guard let sensor = name.flatMap({ n in sensors.first { $0.prefix.lowercased() == n.lowercased() } }) ?? sensors.first else { return nil }
        let estimate = InclinationEstimator.angles(sensor, method: .madgwick, mount: mount, beta: defaultBeta, tau: 1)
        let how = estimate.used == .madgwick ? "Madgwick filter (beta \(NumberFormat.significant(defaultBeta, digits: 3)) rad/s)" : "accelerometer tilt (no gyroscope)"
        return (estimate.sagittal, sensor, "sagittal inclination of \(sensor.label) (\(sensor.channelNames.joined(separator: " "))) by \(how), mount \(mount.description)")
    }

    /// Centred moving mean over `window` samples (the samples that exist near the ends).
    public static func movingMean(_ x: [Double], window: Int) -> [Double] {
        guard window > 1 else { return x }
        var prefix = [Double](repeating: 0, count: x.count + 1)
        for i in x.indices { prefix[i + 1] = prefix[i] + x[i] }
        let before = (window - 1) / 2, after = window - 1 - before
        return x.indices.map { i in
            let a = max(0, i - before), b = min(x.count, i + after + 1)
            return (prefix[b] - prefix[a]) / Double(b - a)
        }
    }
}
