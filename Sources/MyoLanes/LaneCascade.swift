/// A cascade of second-order sections run over up to four channels at once, one channel in each
/// lane of a `SIMD4<Double>` (with AVX2 one register), the cascade's sections interleaved: each
/// sample goes through up to four sections before the next sample, so the sections' recursions
/// overlap instead of each waiting for the one before. Every lane computes exactly what
/// scipy.signal.sosfilt computes, in the same order (Direct Form II transposed):
/// y = b0 x + z1; z1 = b1 x - a1 y + z2; z2 = b2 x - a2 y.
///
/// Inlinable, so that MyoLanesAVX2 can compile it once more for Haswell; the block engine picks
/// the build at run time.
public enum LaneCascade {
    /// Runs `sectionCount` sections (coefficients b0 b1 b2 a1 a2 each, a0 = 1) over `length`
    /// samples at `data`, forward or from the last sample back, in place; `states` holds two
    /// vectors a section (z1, z2) and carries them from block to block.
    @inlinable @inline(__always)
    public static func run(coefficients: UnsafePointer<Double>, sectionCount: Int, states: UnsafeMutablePointer<SIMD4<Double>>,
                           data: UnsafeMutablePointer<SIMD4<Double>>, length: Int, forward: Bool) {
        var first = 0
        while first < sectionCount {
            let group = min(4, sectionCount - first)
            let c = coefficients + 5 * first, z = states + 2 * first
            switch group {
            case 4: run4(c, z, data, length, forward)
            case 3: run3(c, z, data, length, forward)
            case 2: run2(c, z, data, length, forward)
            default: run1(c, z, data, length, forward)
            }
            first += group
        }
    }

    @usableFromInline
    struct Section {
        @usableFromInline let b0, b1, b2, a1, a2: Double
        @usableFromInline var z1, z2: SIMD4<Double>

        @inlinable @inline(__always)
        init(_ c: UnsafePointer<Double>, _ z: UnsafeMutablePointer<SIMD4<Double>>) {
            (b0, b1, b2, a1, a2) = (c[0], c[1], c[2], c[3], c[4])
            (z1, z2) = (z[0], z[1])
        }

        @inlinable @inline(__always)
        func save(_ z: UnsafeMutablePointer<SIMD4<Double>>) { z[0] = z1; z[1] = z2 }

        @inlinable @inline(__always)
        mutating func step(_ x: SIMD4<Double>) -> SIMD4<Double> {
            let y = b0 * x + z1
            z1 = b1 * x - a1 * y + z2
            z2 = b2 * x - a2 * y
            return y
        }
    }

    @inlinable @inline(__always)
    static func run1(_ c: UnsafePointer<Double>, _ z: UnsafeMutablePointer<SIMD4<Double>>, _ data: UnsafeMutablePointer<SIMD4<Double>>, _ n: Int, _ forward: Bool) {
        var s0 = Section(c, z)
        if forward { for i in 0..<n { data[i] = s0.step(data[i]) } } else { var i = n - 1; while i >= 0 { data[i] = s0.step(data[i]); i -= 1 } }
        s0.save(z)
    }

    @inlinable @inline(__always)
    static func run2(_ c: UnsafePointer<Double>, _ z: UnsafeMutablePointer<SIMD4<Double>>, _ data: UnsafeMutablePointer<SIMD4<Double>>, _ n: Int, _ forward: Bool) {
        var s0 = Section(c, z), s1 = Section(c + 5, z + 2)
        if forward { for i in 0..<n { data[i] = s1.step(s0.step(data[i])) } } else { var i = n - 1; while i >= 0 { data[i] = s1.step(s0.step(data[i])); i -= 1 } }
        s0.save(z); s1.save(z + 2)
    }

    @inlinable @inline(__always)
    static func run3(_ c: UnsafePointer<Double>, _ z: UnsafeMutablePointer<SIMD4<Double>>, _ data: UnsafeMutablePointer<SIMD4<Double>>, _ n: Int, _ forward: Bool) {
        var s0 = Section(c, z), s1 = Section(c + 5, z + 2), s2 = Section(c + 10, z + 4)
        if forward { for i in 0..<n { data[i] = s2.step(s1.step(s0.step(data[i]))) } } else { var i = n - 1; while i >= 0 { data[i] = s2.step(s1.step(s0.step(data[i]))); i -= 1 } }
        s0.save(z); s1.save(z + 2); s2.save(z + 4)
    }

    @inlinable @inline(__always)
    static func run4(_ c: UnsafePointer<Double>, _ z: UnsafeMutablePointer<SIMD4<Double>>, _ data: UnsafeMutablePointer<SIMD4<Double>>, _ n: Int, _ forward: Bool) {
        var s0 = Section(c, z), s1 = Section(c + 5, z + 2), s2 = Section(c + 10, z + 4), s3 = Section(c + 15, z + 6)
        if forward {
            for i in 0..<n { data[i] = s3.step(s2.step(s1.step(s0.step(data[i])))) }
        } else {
            var i = n - 1
            while i >= 0 { data[i] = s3.step(s2.step(s1.step(s0.step(data[i])))); i -= 1 }
        }
        s0.save(z); s1.save(z + 2); s2.save(z + 4); s3.save(z + 6)
    }
}
