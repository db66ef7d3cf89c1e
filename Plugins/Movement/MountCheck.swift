import MyoAnalysis
import MyoCore
import MyoSignal

/// Plausibility of an IMU's numbers and of the mount used to read them. Each finding is one
/// sentence with its limit and what to do; the commands that estimate inclination print them as
/// warnings (docs/MOVEMENT.md, "Plausibility").
enum MountCheck {
    /// A resting accelerometer reads 1 g (standard gravity); more than 0.15 g off in the quietest
    /// half-second windows means a wrong unit or a sensor out of calibration (a convention: MEMS
    /// accelerometers hold their offset within about 0.05 g per axis).
    static let restToleranceG = 0.15
    /// A trunk or pelvis inclination cannot span more than 180 deg (upright to upside down).
    static let maximumRangeDeg = 180.0
    /// Faster than any trunk inclination change: a convention well above trunk velocities in
    /// lifting (below about 250 deg/s, Marras et al. 1993) and in sport (golf swings stay below
    /// 1000 deg/s about any axis).
    static let maximumVelocityDegPerS = 1000.0

    static func findings(_ sensor: IMUSensor, mount: SensorMount, sagittal: [Double], label: String) -> [String] {
        let fs = sensor.sampleRateHz
        let n = sensor.count
        guard n >= Int(fs), fs > 0 else { return [] }
        var out: [String] = []
        // Accelerometer magnitude, in g, in the quietest half-second windows (least spread of magnitude).
        let g = (0..<n).map { i -> Double in
            var sum = 0.0
            for (_, channel) in sensor.accelerometer {
                let scale = channel.unit == "m/s^2" || channel.unit == "m/s2" ? 1 / 9.80665 : 1
                let v = Double(channel.samples[i]) * scale
                sum += v * v
            }
            return sum.squareRoot()
        }
        let window = max(2, Int(fs / 2))
        var quiet: [(spread: Double, mean: Double, start: Int)] = []
        for start in stride(from: 0, through: n - window, by: window) {
            let slice = g[start..<(start + window)]
            let mean = slice.reduce(0, +) / Double(window)
            let spread = (slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(window)).squareRoot()
            quiet.append((spread, mean, start))
        }
        quiet.sort { $0.spread < $1.spread }
        let rest = quiet.prefix(max(1, quiet.count / 10))
        let restG = rest.map(\.mean).sorted()[rest.count / 2]
        // With an axis absent only too much can be judged (gravity may lie partly along the missing axis).
        if sensor.accelerometer.count == 3 ? abs(restG - 1) > restToleranceG : restG > 1 + restToleranceG {
            out.append("\(label): the accelerometer reads \(NumberFormat.significant(restG, digits: 3)) g at rest, not 1 g (limit +-\(restToleranceG) g): check its unit (m/s^2 read as g reads 9.8 g) or its calibration")
        }
        // Range and speed of the sagittal angle.
        if let low = sagittal.min(), let high = sagittal.max(), high - low > maximumRangeDeg {
            out.append("\(label): the sagittal angle spans \(NumberFormat.fixed(high - low, decimals: 0)) deg, more than a trunk or pelvis can turn (\(Int(maximumRangeDeg)) deg): the mount is likely wrong\(suggestion(sensor, mount: mount, rest: rest.first?.start, window: window))")
        } else if sagittal.count > 2 {
            let smoothed = MovingMean.centred(sagittal, window: max(1, Int(fs / 20)))
            let peak = zip(smoothed.dropFirst(), smoothed).map { abs($0 - $1) * fs }.max() ?? 0
            if peak > maximumVelocityDegPerS {
                out.append("\(label): the sagittal angle turns at up to \(NumberFormat.fixed(peak, decimals: 0)) deg/s, faster than a trunk can (\(Int(maximumVelocityDegPerS)) deg/s): the mount or the gyroscope's unit is likely wrong\(suggestion(sensor, mount: mount, rest: rest.first?.start, window: window))")
            }
        }
        // The gyroscope must turn the way the accelerometer tilts.
        if !sensor.gyroscope.isEmpty {
            let tilt = InclinationEstimator.angles(sensor, method: .accel, mount: mount, beta: 0, tau: 1).sagittal
            let smoothed = MovingMean.centred(tilt, window: max(1, Int(fs / 5)))
            let (_, rotation) = sensor.vectors()
            let gyroRate = MovingMean.centred(rotation.map { mount.inclinationRates($0).sagittal * 180 / Double.pi }, window: max(1, Int(fs / 5)))
            let tiltRate = (0..<smoothed.count).map { i in i == 0 || i == smoothed.count - 1 ? 0 : (smoothed[i + 1] - smoothed[i - 1]) * fs / 2 }
            let r = Correlation.pearson(tiltRate, gyroRate)
            let moving = (tiltRate.map { $0 * $0 }.reduce(0, +) / Double(max(1, tiltRate.count))).squareRoot()
            if r < -0.5, moving > 2 {
                out.append("\(label): the gyroscope turns against the accelerometer's tilt (r = \(NumberFormat.fixed(r, decimals: 2)) between their sagittal rates): the gyroscope's axes have the opposite sign convention, so filtered angles are wrong; use method=accel, or negate the gyroscope channels with scale ... gain=-1 unit=deg/s")
            }
        }
        return out
    }

    /// ", for example mount=+Z+X+Y (+Z reads +1 g at rest)": the axis that carries gravity at rest
    /// taken as up, the given lateral axis kept (sagittal rotation is about it), the remaining
    /// axis forward with the sign that keeps the given mount's handedness.
    static func suggestion(_ sensor: IMUSensor, mount: SensorMount, rest: Int?, window: Int) -> String {
        guard let rest, sensor.accelerometer.count == 3 else { return "" }
        var mean = [0.0, 0.0, 0.0]
        for axis in 0..<3 {
            let samples = sensor.accelerometer[axis]!.samples[rest..<min(rest + window, sensor.count)]
            mean[axis] = samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count)
        }
        let lateral = mount.axes[2]
        let others = [0, 1, 2].filter { $0 != lateral.index }
        let up = others.max { abs(mean[$0]) < abs(mean[$1]) }!
        let forward = others.first { $0 != up }!
        let upSign: Double = mean[up] >= 0 ? 1 : -1
        for forwardSign in [1.0, -1.0] {
            func axis(_ index: Int, _ sign: Double) -> String { (sign < 0 ? "-" : "+") + ["X", "Y", "Z"][index] }
            guard let candidate = SensorMount(axis(up, upSign) + axis(forward, forwardSign) + axis(lateral.index, lateral.sign)) else { continue }
            if candidate.handedness == mount.handedness, candidate != mount {
                let name = ["X", "Y", "Z"][up]
                return "; at rest +1 g is along \(upSign > 0 ? "+" : "-")\(name), so if the trunk started upright try mount=\(candidate.description)"
            }
        }
        return ""
    }
}
