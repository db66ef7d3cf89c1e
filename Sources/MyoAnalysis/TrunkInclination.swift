import MyoCore
import MyoSignal

/// The trunk's sagittal inclination from vertical (degrees) as the movement plugin's `tilt`
/// computes it by default (Madgwick, beta 0.1 rad/s), for commands of other plugins that need
/// a trunk angle (sorensen, frr): one estimator for every angle MyoShell reports.
public enum TrunkInclination {
    public static let defaultBeta = 0.1

    /// The sagittal angle of the recording's IMU sensor (the one named `sensor`, or the only or first
    /// one), smoothed by a centred moving mean over `smoothingSeconds`, with a sentence saying how it
    /// was made; nil when the recording has no IMU.
    public static func sagittal(of recording: Recording, sensor name: String?, mount: SensorMount, smoothingSeconds: Double) throws -> (angles: [Double], sensor: IMUSensor, words: String)? {
        let sensors = IMUSensor.all(in: recording)
        if let name, !sensors.contains(where: { $0.prefix.lowercased() == name.lowercased() }) {
            throw MyoError.invalidValue(argument: "sensor", value: name, expected: sensors.isEmpty ? "an IMU sensor, but \(recording.name) has none" : "one of \(sensors.map(\.label).joined(separator: ", "))")
        }
        guard let sensor = name.flatMap({ n in sensors.first { $0.prefix.lowercased() == n.lowercased() } }) ?? sensors.first else { return nil }
        let estimate = InclinationEstimator.angles(sensor, method: .madgwick, mount: mount, beta: defaultBeta, tau: 1)
        let how = estimate.used == .madgwick ? "Madgwick filter (beta \(NumberFormat.significant(defaultBeta, digits: 3)) rad/s)" : "accelerometer tilt (no gyroscope)"
        let smoothed = MovingMean.centred(estimate.sagittal, window: max(1, Int((smoothingSeconds * sensor.sampleRateHz).rounded())))
        return (smoothed, sensor, "sagittal inclination of \(sensor.label) (\(sensor.channelNames.joined(separator: " "))) by \(how), mount \(mount.description)")
    }
}
