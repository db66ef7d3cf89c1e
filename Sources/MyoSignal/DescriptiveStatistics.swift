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

    /// Computes the statistics in one pass over `samples`; O(n).
    ///
    /// The variance uses Welford's update (Welford 1962, doi:10.1080/00401706.1962.10490022),
    /// which stays accurate when the mean is large compared with the spread.
    public init(_ samples: ArraySlice<Float>) {
        var n = 0
        var mean = 0.0, m2 = 0.0, sumSquares = 0.0
        var low = Double.infinity, high = -Double.infinity
        for sample in samples {
            let x = Double(sample)
            n += 1
            let delta = x - mean
            mean += delta / Double(n)
            m2 += delta * (x - mean)
            sumSquares += x * x
            if x < low { low = x }
            if x > high { high = x }
        }
        count = n
        self.mean = n > 0 ? mean : .nan
        rms = n > 0 ? (sumSquares / Double(n)).squareRoot() : .nan
        standardDeviation = n > 1 ? (m2 / Double(n - 1)).squareRoot() : .nan
        minimum = n > 0 ? low : .nan
        maximum = n > 0 ? high : .nan
    }
}
