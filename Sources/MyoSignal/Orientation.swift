#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// A vector in a sensor's or the earth's frame.
public struct Vector3: Sendable, Equatable {
    public var x: Double, y: Double, z: Double
    public init(_ x: Double, _ y: Double, _ z: Double) { self.x = x; self.y = y; self.z = z }
    public var norm: Double { (x * x + y * y + z * z).squareRoot() }
    public subscript(axis: Int) -> Double { axis == 0 ? x : (axis == 1 ? y : z) }
}

/// How a sensor is worn: which of its axes (with sign) points along the trunk (up when upright),
/// forward (anterior) and to the side (lateral). Written `+X+Z+Y` (longitudinal, anterior,
/// lateral); rotation about the lateral axis is sagittal (flexion positive), about the anterior
/// axis frontal (side bending).
public struct SensorMount: Sendable, Equatable {
    public var axes: [(index: Int, sign: Double)]

    public static func == (a: SensorMount, b: SensorMount) -> Bool { a.axes.map { "\($0.index)\($0.sign)" } == b.axes.map { "\($0.index)\($0.sign)" } }

    /// The mount of a `mount=` argument's axes.
    public init(_ axes: SensorAxes) {
        self.axes = axes.axes.map { ($0.index, $0.sign) }
    }

    /// Parses `+X+Z+Y` (signs optional): three different axes.
    public init?(_ text: String) {
        guard let axes = SensorAxes(text) else { return nil }
        self.init(axes)
    }

    public var description: String { axes.map { ($0.sign < 0 ? "-" : "+") + ["X", "Y", "Z"][$0.index] }.joined() }

    /// +1 when (longitudinal, anterior, lateral) is a right-handed triple, -1 when left-handed.
    public var handedness: Double {
        var m = [[Double]](repeating: [0, 0, 0], count: 3)
        for (row, axis) in axes.enumerated() { m[row][axis.index] = axis.sign }
        let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        return det > 0 ? 1 : -1
    }

    /// Rates of sagittal and frontal inclination (the angles of `inclination`) from a gyroscope
    /// sample, in the gyroscope's unit. A rotation by +a about the lateral axis turns the up vector
    /// by -a; whether that raises or lowers the sagittal angle depends on the triple's handedness.
    public func inclinationRates(_ gyro: Vector3) -> (sagittal: Double, frontal: Double) {
        let b = body(gyro)
        return (-handedness * b.lateral, handedness * b.anterior)
    }

    /// A sensor-frame vector's components along (longitudinal, anterior, lateral).
    public func body(_ v: Vector3) -> (long: Double, anterior: Double, lateral: Double) {
        (axes[0].sign * v[axes[0].index], axes[1].sign * v[axes[1].index], axes[2].sign * v[axes[2].index])
    }
}

/// Unit quaternion (w, x, y, z) for orientation: sensor frame to earth frame.
public struct Quaternion: Sendable, Equatable {
    public var w: Double, x: Double, y: Double, z: Double
    public init(_ w: Double, _ x: Double, _ y: Double, _ z: Double) { self.w = w; self.x = x; self.y = y; self.z = z }
    public static let identity = Quaternion(1, 0, 0, 0)

    public mutating func normalise() {
        let n = (w * w + x * x + y * y + z * z).squareRoot()
        w /= n; x /= n; y /= n; z /= n
    }

    /// The earth's vertical (0, 0, 1) expressed in the sensor frame: where "up" points.
    public var upInSensorFrame: Vector3 {
        Vector3(2 * (x * z - w * y), 2 * (w * x + y * z), w * w - x * x - y * y + z * z)
    }

    /// The orientation whose sensor-frame "up" is the measured acceleration `a` (no yaw).
    public static func fromGravity(_ a: Vector3) -> Quaternion {
        let n = a.norm
        guard n > 0 else { return .identity }
        let u = Vector3(a.x / n, a.y / n, a.z / n)
        // The rotation taking (0, 0, 1) to u, inverted (sensor to earth).
        let w = (1 + u.z) / 2
        if w < 1e-12 { return Quaternion(0, 1, 0, 0) }
        let s = (2 * (1 + u.z)).squareRoot()
        var q = Quaternion(s / 2, u.y / s, -u.x / s, 0)
        q.normalise()
        return q
    }
}

/// Orientation filters over synchronous accelerometer (any unit: only the direction is used) and
/// gyroscope (rad/s) samples taken at `sampleRateHz`.
public enum OrientationFilter {
    /// Madgwick's gradient-descent filter, IMU (6-axis) form (Madgwick, Harrison and Vaidyanathan
    /// 2011, doi:10.1109/ICORR.2011.5975346): q' = 1/2 q (0, w) - beta grad f / |grad f|, where f is
    /// the mismatch between the measured and the predicted direction of gravity. beta in rad/s.
    /// Starts from `initial` (by default the first accelerometer sample's tilt).
    public static func madgwick(accelerometer a: [Vector3], gyroscope g: [Vector3], sampleRateHz fs: Double, beta: Double,
                                initial: Quaternion? = nil) -> [Quaternion] {
        var q = initial ?? Quaternion.fromGravity(a.first ?? Vector3(0, 0, 1))
        let dt = 1 / fs
        var out: [Quaternion] = []
        out.reserveCapacity(a.count)
        for i in 0..<min(a.count, g.count) {
            let (gx, gy, gz) = (g[i].x, g[i].y, g[i].z)
            var qDot = (w: 0.5 * (-q.x * gx - q.y * gy - q.z * gz), x: 0.5 * (q.w * gx + q.y * gz - q.z * gy),
                        y: 0.5 * (q.w * gy - q.x * gz + q.z * gx), z: 0.5 * (q.w * gz + q.x * gy - q.y * gx))
            let n = a[i].norm
            if n > 0 {
                let (ax, ay, az) = (a[i].x / n, a[i].y / n, a[i].z / n)
                let (w, x, y, z) = (q.w, q.x, q.y, q.z)
                // Objective function and its Jacobian for gravity (0, 0, 1) in the earth frame.
                let f1 = 2 * (x * z - w * y) - ax
                let f2 = 2 * (w * x + y * z) - ay
                let f3 = 2 * (0.5 - x * x - y * y) - az
                var s0 = -2 * y * f1 + 2 * x * f2
                var s1 = 2 * z * f1 + 2 * w * f2 - 4 * x * f3
                var s2 = -2 * w * f1 + 2 * z * f2 - 4 * y * f3
                var s3 = 2 * x * f1 + 2 * y * f2
                let sn = (s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3).squareRoot()
                if sn > 0 {
                    s0 /= sn; s1 /= sn; s2 /= sn; s3 /= sn
                    qDot = (qDot.w - beta * s0, qDot.x - beta * s1, qDot.y - beta * s2, qDot.z - beta * s3)
                }
            }
            q = Quaternion(q.w + qDot.w * dt, q.x + qDot.x * dt, q.y + qDot.y * dt, q.z + qDot.z * dt)
            q.normalise()
            out.append(q)
        }
        return out
    }

    /// Sagittal and frontal inclination (degrees) of a direction of "up" in the sensor frame:
    /// sagittal = atan2(up_anterior, up_longitudinal), frontal = atan2(up_lateral, up_longitudinal)
    /// in the mount's axes (flexion toward the anterior axis and bending toward the lateral axis
    /// are positive).
    public static func inclination(up: Vector3, mount: SensorMount) -> (sagittal: Double, frontal: Double) {
        let b = mount.body(up)
        return (atan2(b.anterior, b.long) * 180 / Double.pi, atan2(b.lateral, b.long) * 180 / Double.pi)
    }

    /// First-order complementary filter per plane: angle = k (angle + rate dt) + (1 - k) accel angle,
    /// k = tau / (tau + dt) (time constant tau in s); the gyroscope in rad/s, turned into rates of
    /// the two angles by the mount (`SensorMount.inclinationRates`).
    public static func complementary(accelerometer a: [Vector3], gyroscope g: [Vector3], mount: SensorMount, sampleRateHz fs: Double,
                                     timeConstantSeconds tau: Double) -> [(sagittal: Double, frontal: Double)] {
        let dt = 1 / fs, k = tau / (tau + dt)
        var out: [(Double, Double)] = []
        out.reserveCapacity(a.count)
        var current: (Double, Double)?
        for i in 0..<min(a.count, g.count) {
            let tilt = inclination(up: a[i], mount: mount)
            let rates = mount.inclinationRates(g[i])
            let sagittalRate = rates.sagittal * 180 / Double.pi, frontalRate = rates.frontal * 180 / Double.pi
            if let previous = current {
                current = (k * (previous.0 + sagittalRate * dt) + (1 - k) * tilt.sagittal, k * (previous.1 + frontalRate * dt) + (1 - k) * tilt.frontal)
            } else {
                current = (tilt.sagittal, tilt.frontal)
            }
            out.append(current!)
        }
        return out
    }
}
