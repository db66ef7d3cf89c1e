#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// Trunk inclination from a body-worn accelerometer at rest or moving slowly (gravity dominates).
public enum TrunkInclination {
    /// Angle from vertical in degrees, acos(a_axis / |a|), where `axis` is the accelerometer
    /// channel along the trunk (reading +1 g upright) and `siblings` all axes of the same sensor
    /// (including `axis`; same rate and length); NaN where |a| is 0. Smoothed by a centred moving
    /// mean over `smoothingSeconds` (0 for none).
    public static func degreesFromVertical(axis: Channel, siblings: [Channel], smoothingSeconds: Double) -> [Double] {
        let angles = (0..<axis.samples.count).map { i -> Double in
            let magnitude = siblings.reduce(0.0) { $0 + Double($1.samples[i]) * Double($1.samples[i]) }.squareRoot()
            return magnitude > 0 ? acos(max(-1, min(1, Double(axis.samples[i]) / magnitude))) * 180 / Double.pi : .nan
        }
        return movingMean(angles, window: max(1, Int((smoothingSeconds * axis.sampleRateHz).rounded())))
    }

    /// The accelerometer axes of `recording` (unit g or m/s^2) and the one named `name`, or by
    /// default the one named ACC_X (any case). Throws when a named axis is missing.
    public static func accelerometer(in recording: Recording, named name: String?) throws -> (axis: Channel, siblings: [Channel])? {
        let accelerometers = recording.channels.filter { $0.unit == "g" || $0.unit == "m/s^2" || $0.unit == "m/s2" }
        let axis = name.map { n in accelerometers.first { $0.name == n } } ?? accelerometers.first { $0.name.uppercased() == "ACC_X" }
        if let name, axis == nil {
            throw MyoError.other("\(recording.name) has no accelerometer channel named \(name) (accelerometers: \(accelerometers.map(\.name).joined(separator: ", ")))")
        }
        guard let axis else { return nil }
        return (axis, accelerometers.filter { $0.sampleRateHz == axis.sampleRateHz && $0.samples.count == axis.samples.count })
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
