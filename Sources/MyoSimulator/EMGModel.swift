#if canImport(Glibc)
import Glibc
#endif
import MyoSignal

/// A piecewise-linear function of time through (time s, value) points, constant outside them.
public struct Profile {
    public var points: [(Double, Double)]
    public init(_ points: [(Double, Double)]) { self.points = points }

    public func callAsFunction(_ t: Double) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        if t <= first.0 { return first.1 }
        if t >= last.0 { return last.1 }
        var index = 1
        while points[index].0 < t { index += 1 }
        let (t0, v0) = points[index - 1], (t1, v1) = points[index]
        return t1 == t0 ? v1 : v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    }
}

/// The spectral model of simulated sEMG: unit-variance white Gaussian noise through a
/// second-order Butterworth high-pass at 40·c Hz and low-pass at 160·c Hz, where c is the
/// spectral scale (1 = fresh; below 1 = compressed, as in fatigue, which lowers every
/// characteristic frequency in proportion, Lindstrom et al. 1970). The output is rescaled to
/// unit variance, so the amplitude is set by the activation alone.
public enum EMGModel {
    public static let highPassHz = 40.0
    public static let lowPassHz = 160.0

    /// Variance gain, median and mean frequency (over 20 Hz to min(450 Hz, fs/2)) of the shaping
    /// filters at scale c, from their exact power response on a 0.25 Hz grid.
    public static func spectrum(scale c: Double, sampleRateHz fs: Double) -> (varianceGain: Double, medianHz: Double, meanHz: Double) {
        let high = Biquad.highPass(cutoffHz: highPassHz * c, sampleRateHz: fs)
        let low = Biquad.lowPass(cutoffHz: lowPassHz * c, sampleRateHz: fs)
        let step = 0.25
        var total = 0.0
        var band: [(Double, Double)] = []
        var f = step / 2
        while f < fs / 2 {
            let p = high.powerResponse(atHz: f, sampleRateHz: fs) * low.powerResponse(atHz: f, sampleRateHz: fs)
            total += p * step
            if f >= 20, f <= min(450, fs / 2) { band.append((f, p)) }
            f += step
        }
        let bandPower = band.reduce(0) { $0 + $1.1 }
        let mean = band.reduce(0) { $0 + $1.0 * $1.1 } / bandPower
        var cumulative = 0.0, median = band.last?.0 ?? 0
        for (frequency, power) in band {
            if cumulative + power >= bandPower / 2 {
                median = frequency - step / 2 + step * (bandPower / 2 - cumulative) / power
                break
            }
            cumulative += power
        }
        return (total * 2 / fs, median, mean)
    }

    /// One channel of sEMG in mV: activation(t) x gainMV x shaped noise at scale(t), plus 50 Hz
    /// mains, baseline wander (0.3 Hz) and white baseline noise. Coefficients follow scale(t)
    /// in 50 ms blocks. Values are rounded to 0.1 uV, the resolution of a 16-bit, +-3 mV front end.
    public static func synthesize(durationSeconds: Double, sampleRateHz fs: Double, gainMV: Double, activation: Profile, scale: Profile,
                                  mainsMV: Double, baselineNoiseMV: Double, random: inout RandomSource) -> [Float] {
        let count = Int((durationSeconds * fs).rounded())
        var samples = [Float](repeating: 0, count: count)
        let block = max(1, Int((0.05 * fs).rounded()))
        var cache: [Int: (Biquad, Biquad, Double)] = [:]
        var high = Biquad(), low = Biquad()
        var normaliser = 1.0
        let mainsPhase = 2 * Double.pi * random.nextUniform()
        let wanderPhase = 2 * Double.pi * random.nextUniform()
        for index in 0..<count {
            let t = Double(index) / fs
            if index % block == 0 {
                let key = Int((scale(t + 0.5 * Double(block) / fs) * 1000).rounded())
                let entry = cache[key] ?? {
                    let c = Double(key) / 1000
                    let made = (Biquad.highPass(cutoffHz: highPassHz * c, sampleRateHz: fs), Biquad.lowPass(cutoffHz: lowPassHz * c, sampleRateHz: fs),
                                1 / spectrum(scale: c, sampleRateHz: fs).varianceGain.squareRoot())
                    cache[key] = made
                    return made
                }()
                high.retune(to: entry.0); low.retune(to: entry.1); normaliser = entry.2
            }
            let shaped = low.process(high.process(random.nextGaussian())) * normaliser
            var value = activation(t) * gainMV * shaped
            value += mainsMV * sin(2 * Double.pi * 50 * t + mainsPhase)
            value += 0.01 * sin(2 * Double.pi * 0.3 * t + wanderPhase)
            value += baselineNoiseMV * random.nextGaussian()
            samples[index] = Float((value * 1e4).rounded() / 1e4)
        }
        return samples
    }
}
