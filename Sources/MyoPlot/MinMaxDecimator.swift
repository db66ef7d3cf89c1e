/// Reduces a long series to at most two points per pixel column (its minimum and maximum, in
/// time order), so peaks survive on screen while gnuplot never receives millions of points.
public enum MinMaxDecimator {
    /// Returns interleaved (time s, value) pairs for samples[range] of a series starting at
    /// `startTimeSeconds` and sampled at `sampleRateHz`; O(n).
    public static func decimate(_ samples: [Float], range: Range<Int>, sampleRateHz: Double, startTimeSeconds: Double, columns: Int) -> [Float] {
        let count = range.count
        var points: [Float] = []
        func time(_ index: Int) -> Float { Float(startTimeSeconds + Double(index) / sampleRateHz) }
        if count <= 2 * columns {
            points.reserveCapacity(2 * count)
            for index in range { points.append(time(index)); points.append(samples[index]) }
            return points
        }
        points.reserveCapacity(4 * columns)
        for column in 0..<columns {
            let lower = range.lowerBound + count * column / columns
            let upper = range.lowerBound + count * (column + 1) / columns
            guard lower < upper else { continue }
            var minIndex = lower, maxIndex = lower
            for index in lower..<upper {
                if samples[index] < samples[minIndex] { minIndex = index }
                if samples[index] > samples[maxIndex] { maxIndex = index }
            }
            for index in minIndex <= maxIndex ? [minIndex, maxIndex] : [maxIndex, minIndex] {
                points.append(time(index))
                points.append(samples[index])
            }
        }
        return points
    }
}
