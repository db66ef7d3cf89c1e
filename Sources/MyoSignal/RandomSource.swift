/// Deterministic pseudo-random numbers: SplitMix64 (Steele, Lea and Flood 2014,
/// doi:10.1145/2714064.2660195). The same seed gives the same stream on every machine.
public struct RandomSource {
    private var state: UInt64
    private var spareGaussian: Double?

    public init(seed: UInt64) { state = seed }

    public mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1), never exactly 0 (53 random bits).
    public mutating func nextUniform() -> Double {
        (Double(nextUInt64() >> 11) + 0.5) * 0x1p-53
    }

    /// Standard normal by the Box-Muller transform (Box and Muller 1958).
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian { spareGaussian = nil; return spare }
        let radius = (-2 * log(nextUniform())).squareRoot()
        let angle = 2 * Double.pi * nextUniform()
        spareGaussian = radius * sin(angle)
        return radius * cos(angle)
    }

    /// A new independent stream derived from this seed and a label index.
    public func fork(_ index: UInt64) -> RandomSource {
        var copy = RandomSource(seed: state ^ (0xD1B5_4A32_D192_ED03 &* (index &+ 1)))
        _ = copy.nextUInt64()
        return copy
    }
}

#if canImport(Glibc)
import Glibc
#endif
