#if canImport(Glibc)
import Glibc
#endif

/// Movement smoothness of a speed profile.
public enum Smoothness {
    /// SPARC, the spectral arc length (Balasubramanian, Melendez-Calderon, Roby-Brami and Burdet
    /// 2015, doi:10.1186/s12984-015-0090-9), as their reference implementation computes it: the
    /// speed profile zero-padded to 2^(ceil(log2 N) + padLevel) points, its Fourier magnitude
    /// normalised to its maximum, kept up to `cutoffHz` and then trimmed to the first and last
    /// frequency whose magnitude reaches `amplitudeThreshold`; SPARC = -(arc length of that curve
    /// with frequency normalised to the kept band). Always negative; closer to 0 is smoother.
    public static func sparc(speed: [Double], sampleRateHz fs: Double, padLevel: Int = 4, cutoffHz: Double = 10, amplitudeThreshold: Double = 0.05) -> Double {
        guard speed.count >= 2 else { return .nan }
        let exponent = Int(ceil(log2(Double(speed.count)))) + padLevel
        let n = 1 << exponent
        let workspace = FFTWorkspace(length: n)
        for i in 0..<n { workspace.input[i] = i < speed.count ? speed[i] : 0 }
        var power = [Double](repeating: 0, count: n / 2 + 1)
        power.withUnsafeMutableBufferPointer { workspace.powerSpectrum(into: $0.baseAddress!) }
        var magnitude = power.map { $0.squareRoot() }
        let peak = magnitude.max() ?? 0
        guard peak > 0 else { return .nan }
        magnitude = magnitude.map { $0 / peak }
        let df = fs / Double(n)
        let kept = (0...(n / 2)).filter { Double($0) * df <= cutoffHz }
        guard let first = kept.first(where: { magnitude[$0] >= amplitudeThreshold }),
              let last = kept.last(where: { magnitude[$0] >= amplitudeThreshold }), last > first else { return 0 }
        let band = Double(last - first) * df
        var length = 0.0
        for k in first..<last {
            let dx = df / band, dy = magnitude[k + 1] - magnitude[k]
            length += (dx * dx + dy * dy).squareRoot()
        }
        return -length
    }

    /// Log dimensionless jerk from a velocity profile (Balasubramanian et al. 2012, the
    /// velocity-peak form): -ln(T^3 / v_peak^2 x integral of (dv^2/dt^2)^2 dt), with derivatives
    /// by central differences and the integral by the trapezoid rule. More negative is less smooth.
    public static func logDimensionlessJerk(velocity v: [Double], sampleRateHz fs: Double) -> Double {
        guard v.count >= 5 else { return .nan }
        let dt = 1 / fs
        let duration = Double(v.count - 1) * dt
        let peak = v.map(abs).max() ?? 0
        guard peak > 0 else { return .nan }
        func derivative(_ x: [Double]) -> [Double] {
            x.indices.map { i in
                if i == 0 { return (x[1] - x[0]) / dt }
                if i == x.count - 1 { return (x[i] - x[i - 1]) / dt }
                return (x[i + 1] - x[i - 1]) / (2 * dt)
            }
        }
        let jerk = derivative(derivative(v))
        var integral = 0.0
        for i in 1..<jerk.count { integral += 0.5 * (jerk[i] * jerk[i] + jerk[i - 1] * jerk[i - 1]) * dt }
        return -log(pow(duration, 3) / (peak * peak) * integral)
    }
}
