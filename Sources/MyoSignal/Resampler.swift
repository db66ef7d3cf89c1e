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
        var out = [Float](repeating: 0, count: count)
        guard !x.isEmpty else { return out }
        x.withUnsafeBufferPointer { samples in
            interpolate(length: x.count, outputs: 0..<count, step: step, offset: offset, into: &out) { samples[$0] }
        }
        return out
    }

    /// Outputs `outputs` (into `out` from its index 0) of a signal of `length` samples read
    /// through `value` (indices 0 ..< length), at positions offset + k x step.
    static func interpolate(length: Int, outputs: Range<Int>, step: Double, offset: Double, into out: inout [Float], value: (Int) -> Double) {
        let a = lanczosLobes
        for k in outputs {
            if k & 0xFFFF == 0, Cancellation.isRequested { break }
            let position = offset + Double(k) * step
            let base = Int(position.rounded(.down))
            let fraction = position - Double(base)
            if fraction == 0, base < length { out[k - outputs.lowerBound] = Float(value(base)); continue }
            var sum = 0.0, weights = 0.0
            for offset in (1 - a)...a {
                let index = base + offset
                let distance = Double(offset) - fraction
                let weight = sinc(distance) * sinc(distance / Double(a))
                // Edges: mirror the signal so the interpolation stays unbiased.
                let clamped = index < 0 ? -index : index >= length ? 2 * (length - 1) - index : index
                sum += weight * value(min(max(clamped, 0), length - 1))
                weights += weight
            }
            out[k - outputs.lowerBound] = Float(weights != 0 ? sum / weights : 0)
        }
    }

    /// `resample` for a channel whose samples stay in a file (a day): the anti-alias filter runs
    /// on the block engine (its result in a scratch file), then the output is interpolated 65,536
    /// samples at a time from the stretch of filtered input they need. The same numbers as
    /// `resample` but for the filtered signal being held in Float32 between the two steps
    /// (differences near 1e-7 of the signal's range).
    public static func resample(streaming channel: Channel, toHz target: Double) throws -> [Float] {
        let source = channel.sampleRateHz, n = channel.sampleCount
        guard target > 0 else { throw MyoError.other("sample rates must be positive (to \(target) Hz)") }
        let newCount = Double(n) * target / source
        try MemoryBudget.check(values: newCount, bytesPerValue: 4, for: "resampling \(channel.name) (\(n) samples) from \(NumberFormat.significant(source)) Hz to \(NumberFormat.significant(target)) Hz")
        var filtered = channel
        if target < source {
            let sos = try Butterworth.design(order: antiAliasOrder, band: .lowPass(antiAliasFraction * target), sampleRateHz: source)
            if n > ZeroPhaseFilter.padLength(sos) { filtered = try SignalChain([.zeroPhase(sos)]).apply(to: [channel])[0] }
        }
        let count = Int(newCount.rounded(.down) + 1e-9), step = source / target
        var out = [Float](repeating: 0, count: count)
        var chunk = [Float](repeating: 0, count: 1 << 16)
        for first in stride(from: 0, to: count, by: 1 << 16) {
            try Cancellation.check()
            let outputs = first..<min(first + (1 << 16), count)
            // The input the chunk's kernels reach (mirrored at the ends as in memory).
            let low = Int((Double(outputs.lowerBound) * step).rounded(.down)) - lanczosLobes
            let high = Int((Double(outputs.upperBound - 1) * step).rounded(.down)) + lanczosLobes + 1
            var lo = max(0, low), hi = min(n, high)
            if low < 0 { hi = max(hi, min(n, 1 - low)) }
            if high > n { lo = min(lo, max(0, 2 * (n - 1) - (high - 1))) }
            let window = try filtered.samples(in: lo..<hi)
            interpolate(length: n, outputs: outputs, step: step, offset: 0, into: &chunk) { Double(window[$0 - lo]) }
            out.replaceSubrange(outputs, with: chunk[0..<outputs.count])
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
