#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// Changes a channel's sample rate.
///
/// Down-sampling first removes what the new rate cannot hold: a zero-phase Butterworth
/// low-pass of design order 16 with its -3 dB point (per pass) at 0.45 x the new rate. Zero-phase,
/// it is -6 dB at 0.45 fs_new, -0.2 dB at 0.4 fs_new, and at least -56 dB from 0.55 fs_new up, so
/// whatever would fold below 0.45 fs_new is attenuated by 56 dB or more. Then every output sample is a Lanczos-windowed sinc interpolation (a = 8 lobes) of the input
/// at its exact time, so a rate ratio need not be a whole number and no phase is added.
public enum Resampler {
    public static let lanczosLobes = 8
    public static let antiAliasOrder = 16
    public static let antiAliasFraction = 0.45

    /// Samples at `targetHz` covering the same span: times start + k / targetHz for
    /// k = 0 ..< floor(duration x targetHz).
    public static func resample(_ samples: [Float], fromHz source: Double, toHz target: Double) throws -> [Float] {
        guard source > 0, target > 0 else { throw MyoError.other("sample rates must be positive (from \(source) Hz to \(target) Hz)") }
        if source == target { return samples }
        // The new length comes from the user's rate: check it fits before anything is allocated
        // (the result, and the input as Double while filtering).
        let newCount = Double(samples.count) * target / source
        try MemoryBudget.check(values: newCount + 2 * Double(samples.count), bytesPerValue: 4, for: "resampling \(samples.count) samples from \(NumberFormat.significant(source)) Hz to \(NumberFormat.significant(target)) Hz")
        var input = samples.map(Double.init)
        if target < source {
            let cutoff = antiAliasFraction * target
            let sos = try Butterworth.design(order: antiAliasOrder, band: .lowPass(cutoff), sampleRateHz: source)
            if input.count > ZeroPhaseFilter.padLength(sos) { input = try ZeroPhaseFilter.filter(sos, input) }
        }
        let count = Int(newCount.rounded(.down) + 1e-9)
        return interpolate(input, times: count, step: source / target)
    }

    /// Values at positions offset + k x step (in input samples), k = 0 ..< count.
    public static func interpolate(_ x: [Double], times count: Int, step: Double, offset: Double = 0) -> [Float] {
        let a = lanczosLobes
        var out = [Float](repeating: 0, count: count)
        guard !x.isEmpty else { return out }
        for k in 0..<count {
            if k & 0xFFFF == 0, Cancellation.isRequested { break }
            let position = offset + Double(k) * step
            let base = Int(position.rounded(.down))
            let fraction = position - Double(base)
            if fraction == 0, base < x.count { out[k] = Float(x[base]); continue }
            var sum = 0.0, weights = 0.0
            for offset in (1 - a)...a {
                let index = base + offset
                let distance = Double(offset) - fraction
                let weight = sinc(distance) * sinc(distance / Double(a))
                // Edges: mirror the signal so the interpolation stays unbiased.
                let clamped = index < 0 ? -index : index >= x.count ? 2 * (x.count - 1) - index : index
                sum += weight * x[min(max(clamped, 0), x.count - 1)]
                weights += weight
            }
            out[k] = Float(weights != 0 ? sum / weights : 0)
        }
        return out
    }

    @inline(__always)
    static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let p = Double.pi * x
        return sin(p) / p
    }
}
