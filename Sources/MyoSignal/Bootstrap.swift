/// Percentile bootstrap confidence intervals with a seeded generator, so a script that asks for
/// one gets the same interval on every run and machine (Efron and Tibshirani 1993, ch. 13).
public enum Bootstrap {
    /// The median of `values` and the central `level` (e.g. 0.95) percentile interval of the
    /// medians of `resamples` resamples drawn with replacement; nil for an empty input.
    public static func medianInterval(_ values: [Double], level: Double = 0.95, resamples: Int = 2000, seed: UInt64) -> (median: Double, low: Double, high: Double)? {
        guard !values.isEmpty else { return nil }
        var random = RandomSource(seed: seed)
        var medians: [Double] = []
        medians.reserveCapacity(resamples)
        var sample = [Double](repeating: 0, count: values.count)
        for _ in 0..<resamples {
            for i in sample.indices { sample[i] = values[Int(random.nextUInt64() % UInt64(values.count))] }
            medians.append(percentile(sample.sorted(), 50))
        }
        medians.sort()
        let tail = (1 - level) / 2 * 100
        return (percentile(values.sorted(), 50), percentile(medians, tail), percentile(medians, 100 - tail))
    }

    /// The q-th percentile (0-100) of sorted values, linear between order statistics (numpy's default).
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q / 100 * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
    }
}
