#if canImport(Glibc)
import Glibc
#endif

/// An ordinary least-squares line y = intercept + slope x, with the slope's standard error and
/// 95 % confidence interval (Student's t with n - 2 degrees of freedom) and R^2.
public struct LinearFit: Sendable, Equatable {
    public var count: Int
    public var slope: Double
    public var intercept: Double
    public var rSquared: Double
    /// Standard error of the slope; NaN with fewer than 3 points.
    public var slopeStandardError: Double
    public var slopeInterval95: (low: Double, high: Double)

    public static func == (a: LinearFit, b: LinearFit) -> Bool {
        a.count == b.count && a.slope == b.slope && a.intercept == b.intercept && a.rSquared == b.rSquared
    }

    /// The fit of `y` against `x` (same count, at least 2 points with distinct x); NaN values are
    /// left out. Returns nil when fewer than 2 usable points remain or x does not vary.
    public init?(x: [Double], y: [Double]) {
        let pairs = zip(x, y).filter { !$0.0.isNaN && !$0.1.isNaN }
        let n = pairs.count
        guard n >= 2 else { return nil }
        let meanX = pairs.reduce(0) { $0 + $1.0 } / Double(n)
        let meanY = pairs.reduce(0) { $0 + $1.1 } / Double(n)
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (a, b) in pairs {
            sxx += (a - meanX) * (a - meanX)
            sxy += (a - meanX) * (b - meanY)
            syy += (b - meanY) * (b - meanY)
        }
        guard sxx > 0 else { return nil }
        count = n
        slope = sxy / sxx
        intercept = meanY - slope * meanX
        let residual = max(syy - slope * sxy, 0)
        rSquared = syy > 0 ? 1 - residual / syy : 1
        if n > 2 {
            slopeStandardError = (residual / Double(n - 2) / sxx).squareRoot()
            let t = StudentT.quantile(0.975, degreesOfFreedom: Double(n - 2))
            slopeInterval95 = (slope - t * slopeStandardError, slope + t * slopeStandardError)
        } else {
            slopeStandardError = .nan
            slopeInterval95 = (.nan, .nan)
        }
    }

    public func value(at x: Double) -> Double { intercept + slope * x }
}

/// Student's t distribution: CDF through the regularised incomplete beta function (continued
/// fraction, modified Lentz; Press et al., Numerical Recipes, 3rd ed., sec. 6.4) and quantiles
/// by bisection on it (to 1e-12).
public enum StudentT {
    public static func cdf(_ t: Double, degreesOfFreedom v: Double) -> Double {
        let x = v / (v + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: v / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    public static func quantile(_ p: Double, degreesOfFreedom v: Double) -> Double {
        precondition(p > 0 && p < 1)
        var low = -1e6, high = 1e6
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid, degreesOfFreedom: v) < p { low = mid } else { high = mid }
            if high - low < 1e-12 * max(1, abs(mid)) { break }
        }
        return (low + high) / 2
    }

    /// I_x(a, b).
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); else use symmetry.
        if x < (a + 1) / (a + b + 2) { return exp(logFront) * continuedFraction(x, a, b) / a }
        return 1 - exp(logFront) * continuedFraction(1 - x, b, a) / b
    }

    static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
