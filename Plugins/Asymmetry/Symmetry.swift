#if canImport(Glibc)
import Glibc
#endif

/// Left/right comparison of two amplitudes (same unit, both >= 0).
struct Symmetry: Equatable {
    var left: Double
    var right: Double

    /// Below this sum (in the amplitudes' unit) both sides count as silent and no index is defined.
    static let silentSum = 1e-12

    var isDefined: Bool { left + right > Self.silentSum && left >= 0 && right >= 0 }

    /// The right side's share R / (L + R), 0 to 1: every index below is a monotone function of it.
    var rightShare: Double? { isDefined ? right / (left + right) : nil }

    /// Two sides with a given right share (amplitudes summing to 1).
    init(share: Double) { self.init(left: 1 - share, right: share) }
    init(left: Double, right: Double) {
        self.left = left
        self.right = right
    }

    /// L / R; nil when R is 0.
    var ratio: Double? { right > 0 && isDefined ? left / right : nil }

    /// SI = (R - L) / (0.5 (R + L)) x 100 (Robinson et al. 1987): positive when R is larger, -200 to 200 %.
    var symmetryIndex: Double? { isDefined ? (right - left) / (0.5 * (right + left)) * 100 : nil }

    /// Symmetry angle (Zifchock et al. 2008): (45 deg - atan(L / R)) / 90 deg x 100, in -50 to 50 %
    /// for non-negative amplitudes (positive when R is larger); R = 0 gives -50 %.
    var symmetryAngle: Double? {
        guard isDefined else { return nil }
        let angle = atan2(left, right) * 180 / Double.pi
        var value = (45 - angle) / 90 * 100
        if 45 - angle > 90 { value = (45 - angle - 180) / 90 * 100 }
        return value
    }

    /// (R - L) / max(L, R) x 100: the signed imbalance in % of the stronger side.
    var imbalance: Double? { isDefined ? (right - left) / max(left, right) * 100 : nil }

    var strongerSide: String {
        guard isDefined else { return "-" }
        return left > right ? "L" : (right > left ? "R" : "equal")
    }
}
