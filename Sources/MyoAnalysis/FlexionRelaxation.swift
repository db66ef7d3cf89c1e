import MyoCore
import MyoSignal

/// Standing trunk flexion-extension cycles and the flexion-relaxation ratios (Watson et al.
/// 1997), shared by the asymmetry plugin's `frr` and the movement plugin's `flexion-relaxation`.
public enum FlexionRelaxation {
    /// One cycle's phases, as times in s: flexing, full flexion, re-extending.
    public struct Cycle: Sendable {
        public var flexion: (Double, Double)
        public var full: (Double, Double)
        public var reExtension: (Double, Double)
        public init(flexion: (Double, Double), full: (Double, Double), reExtension: (Double, Double)) {
            self.flexion = flexion
            self.full = full
            self.reExtension = reExtension
        }
    }

    /// Cycles of a trunk angle (deg from vertical, at `fs` from `startTime`): with lo and hi its 5th
    /// and 95th percentiles, a cycle is a stretch above lo + 10 % of (hi - lo); flexion runs to the
    /// first sample above lo + 90 %, full flexion to the last, re-extension to the end (the 10 % and
    /// 90 % levels are conventions).
    public static func cycles(angle: [Double], sampleRateHz fs: Double, startTime: Double) -> (cycles: [Cycle], low: Double, high: Double) {
        let sorted = angle.filter { !$0.isNaN }.sorted()
        guard sorted.count > 10 else { return ([], .nan, .nan) }
        let lo = Bootstrap.percentile(sorted, 5), hi = Bootstrap.percentile(sorted, 95)
        let low = lo + 0.1 * (hi - lo), high = lo + 0.9 * (hi - lo)
        func time(_ i: Int) -> Double { startTime + Double(i) / fs }
        var cycles: [Cycle] = []
        var i = 0
        while i < angle.count {
            guard angle[i] > low else { i += 1; continue }
            var end = i
            while end < angle.count, angle[end] > low { end += 1 }
            let above = (i..<end).filter { angle[$0] >= high }
            if let first = above.first, let last = above.last, first > i, last + 1 < end {
                cycles.append(Cycle(flexion: (time(i), time(first)), full: (time(first), time(last + 1)), reExtension: (time(last + 1), time(end))))
            }
            i = end
        }
        return (cycles, lo, hi)
    }

    /// RMS (about the epoch mean) of consecutive epochs of `epoch` s inside a phase; a phase
    /// shorter than one epoch gives one epoch of its own length.
    public static func epochRMS(_ channel: Channel, _ phase: (Double, Double), epoch: Double) -> [Double] {
        let length = min(epoch, phase.1 - phase.0)
        guard length > 0 else { return [] }
        var values: [Double] = []
        var start = phase.0
        while start + length <= phase.1 + 1e-9 {
            let samples = channel.samples[channel.sampleRange(fromSeconds: start, toSeconds: start + length)]
            if samples.count >= 2 {
                let mean = samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count)
                values.append((samples.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(samples.count)).squareRoot())
            }
            start += length
        }
        return values
    }

    /// The largest flexion epoch RMS, the mean full-flexion epoch RMS and the largest
    /// re-extension epoch RMS of one channel in one cycle (FRR = first / second, ERR = third / second).
    public static func amplitudes(_ channel: Channel, _ cycle: Cycle, epoch: Double) -> (flexion: Double, full: Double, reExtension: Double)? {
        let flexion = epochRMS(channel, cycle.flexion, epoch: epoch), full = epochRMS(channel, cycle.full, epoch: epoch)
        let reExtension = epochRMS(channel, cycle.reExtension, epoch: epoch)
        guard let flexionMax = flexion.max(), let extensionMax = reExtension.max(), !full.isEmpty else { return nil }
        return (flexionMax, full.reduce(0, +) / Double(full.count), extensionMax)
    }
}
