#if canImport(Glibc)
import Glibc
#endif

/// A second-order IIR section (direct form II transposed) with the Audio EQ Cookbook's
/// Butterworth (Q = 1/sqrt 2) low- and high-pass designs (R. Bristow-Johnson).
struct Biquad {
    var b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0
    var z1 = 0.0, z2 = 0.0

    static func lowPass(cutoffHz: Double, sampleRateHz: Double) -> Biquad { design(cutoffHz, sampleRateHz, highPass: false) }
    static func highPass(cutoffHz: Double, sampleRateHz: Double) -> Biquad { design(cutoffHz, sampleRateHz, highPass: true) }

    private static func design(_ cutoffHz: Double, _ sampleRateHz: Double, highPass: Bool) -> Biquad {
        let w0 = 2 * Double.pi * min(cutoffHz, 0.45 * sampleRateHz) / sampleRateHz
        let alpha = sin(w0) / (2 * 0.5.squareRoot())
        let cosW = cos(w0)
        let a0 = 1 + alpha
        var q = Biquad()
        if highPass {
            q.b0 = (1 + cosW) / 2 / a0; q.b1 = -(1 + cosW) / a0; q.b2 = (1 + cosW) / 2 / a0
        } else {
            q.b0 = (1 - cosW) / 2 / a0; q.b1 = (1 - cosW) / a0; q.b2 = (1 - cosW) / 2 / a0
        }
        q.a1 = -2 * cosW / a0; q.a2 = (1 - alpha) / a0
        return q
    }

    /// Replaces the coefficients, keeping the state (for slowly varying filters).
    mutating func retune(to other: Biquad) {
        b0 = other.b0; b1 = other.b1; b2 = other.b2; a1 = other.a1; a2 = other.a2
    }

    mutating func process(_ x: Double) -> Double {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }

    /// |H(f)|^2 at frequency f (Hz).
    func powerResponse(atHz f: Double, sampleRateHz: Double) -> Double {
        let w = 2 * Double.pi * f / sampleRateHz
        let (c1, s1, c2, s2) = (cos(w), sin(w), cos(2 * w), sin(2 * w))
        let nr = b0 + b1 * c1 + b2 * c2, ni = -(b1 * s1 + b2 * s2)
        let dr = 1 + a1 * c1 + a2 * c2, di = -(a1 * s1 + a2 * s2)
        return (nr * nr + ni * ni) / (dr * dr + di * di)
    }
}
