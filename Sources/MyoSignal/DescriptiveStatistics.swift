import MyoCore

/// Descriptive statistics of a run of samples, accumulated in Double precision.
public struct DescriptiveStatistics: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    /// Root mean square: sqrt(sum(x^2) / n).
    public var rms: Double
    /// Sample standard deviation with n - 1 in the denominator (NaN for fewer than two samples).
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double
    public var peakToPeak: Double { maximum - minimum }

    /// Computes the statistics of `samples`; O(n).
    ///
    /// Each block of 4096 samples (in the L1 cache) is summed, then its squared deviations from
    /// its own mean are summed; blocks are merged with the pairwise update of Chan, Golub and
    /// LeVeque (1983, doi:10.1080/00031305.1983.10483115), which is as accurate as Welford's
    /// (1962) per-sample update without a division in every step. The sum of squares behind the
    /// RMS is M2 + n mean^2. A NaN sample makes mean, RMS and SD NaN; minimum and maximum skip it.
    public init(_ samples: ArraySlice<Float>) {
        var accumulator = Accumulator()
        samples.withUnsafeBufferPointer { accumulator.add($0) }
        self.init(accumulator)
    }

    /// The statistics of samples `range` of `channel`, read block by block when they stay in a
    /// file; the same numbers, bit for bit, as from the samples in memory.
    public init(_ channel: Channel, in range: Range<Int>) throws {
        var accumulator = Accumulator()
        try channel.forEachBlock(in: range, blockSize: 1 << 18) { _, block in accumulator.add(block) }
        self.init(accumulator)
    }

    private init(_ a: Accumulator) {
        let n = a.n, mean = a.mean, m2 = a.m2
        count = n
        self.mean = n > 0 ? mean : .nan
        rms = n > 0 ? ((m2 + Double(n) * mean * mean) / Double(n)).squareRoot() : .nan
        standardDeviation = n > 1 ? (m2 / Double(n - 1)).squareRoot() : .nan
        // No extremes without a number (no samples, or only NaN).
        minimum = a.low <= a.high ? Double(a.low) : .nan
        maximum = a.low <= a.high ? Double(a.high) : .nan
    }

    /// Sums over consecutive runs of samples, 4096 at a time from the first sample, so runs whose
    /// lengths are multiples of 4096 give the same result as one run.
    private struct Accumulator {
        var n = 0
        var mean = 0.0, m2 = 0.0
        var low = Float.infinity, high = -Float.infinity

        mutating func add(_ buffer: UnsafeBufferPointer<Float>) {
            var start = 0
            while start < buffer.count {
                let block = UnsafeBufferPointer(rebasing: buffer[start..<min(start + 4096, buffer.count)])
                let summary = DescriptiveStatistics.blockSummary(block)
                low = min(low, summary.low)
                high = max(high, summary.high)
                let blockCount = Double(block.count), total = Double(n + block.count)
                let delta = summary.mean - mean
                m2 += summary.m2 + delta * delta * Double(n) * blockCount / total
                mean += delta * blockCount / total
                n += block.count
                start += block.count
            }
        }
    }

    /// Mean, sum of squared deviations from it, and extremes of one non-empty block, four lanes
    /// at a time.
    private static func blockSummary(_ block: UnsafeBufferPointer<Float>) -> (mean: Double, m2: Double, low: Float, high: Float) {
        let base = UnsafeRawPointer(block.baseAddress!)
        let lanes = block.count / 4 * 4
        var sum = SIMD4<Double>.zero
        var low = SIMD4<Float>(repeating: .infinity), high = SIMD4<Float>(repeating: -.infinity)
        for index in stride(from: 0, to: lanes, by: 4) {
            let values = base.loadUnaligned(fromByteOffset: index * 4, as: SIMD4<Float>.self)
            sum += SIMD4<Double>(values)
            // Comparisons with NaN are false, so a NaN never becomes an extreme.
            low.replace(with: values, where: values .< low)
            high.replace(with: values, where: values .> high)
        }
        var total = sum.sum()
        var lowest = low.min(), highest = high.max()
        for index in lanes..<block.count {
            let value = block[index]
            total += Double(value)
            if value < lowest { lowest = value }
            if value > highest { highest = value }
        }
        let mean = total / Double(block.count)
        var squares = SIMD4<Double>.zero
        let center = SIMD4<Double>(repeating: mean)
        for index in stride(from: 0, to: lanes, by: 4) {
            let deviation = SIMD4<Double>(base.loadUnaligned(fromByteOffset: index * 4, as: SIMD4<Float>.self)) - center
            squares += deviation * deviation
        }
        var m2 = squares.sum()
        for index in lanes..<block.count {
            let deviation = Double(block[index]) - mean
            m2 += deviation * deviation
        }
        return (mean, m2, lowest, highest)
    }
}
