#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// The pass or stop band of a filter, in Hz.
public enum FilterBand: Sendable, Equatable {
    case lowPass(Double)
    case highPass(Double)
    case bandPass(Double, Double)
    case bandStop(Double, Double)

    /// The edge frequencies, in Hz, lowest first.
    public var edges: [Double] {
        switch self {
        case .lowPass(let f), .highPass(let f): return [f]
        case .bandPass(let a, let b), .bandStop(let a, let b): return [a, b]
        }
    }
}

/// A cascade of second-order sections [b0 b1 b2 a0 a1 a2] with a0 = 1 (scipy's `sos` layout).
public struct SecondOrderSections: Sendable, Equatable {
    public var sections: [[Double]]
    public init(sections: [[Double]]) { self.sections = sections }
}

/// Digital Butterworth filters designed exactly as scipy.signal.butter(N, Wn, btype, fs=fs,
/// output='sos'): analog prototype poles -exp(i pi m / 2N), m = -N+1, -N+3, ..., N-1 (Butterworth
/// 1930), frequency pre-warping 2 fs tan(pi f / fs), the lp2lp/lp2hp/lp2bp/lp2bs transforms, and the
/// bilinear transform. `order` is the design order N (a band-pass or band-stop has 2N poles).
public enum Butterworth {
    public static func design(order: Int, band: FilterBand, sampleRateHz: Double) throws -> SecondOrderSections {
        guard order >= 1, order <= 20 else {
            throw MyoError.outOfRange(argument: "order", value: String(order), limit: "the design order must be from 1 to 20")
        }
        let nyquist = sampleRateHz / 2
        for edge in band.edges where !(edge > 0 && edge < nyquist) {
            throw MyoError.other("cutoff \(NumberFormat.quantity(edge, "Hz")) must lie between 0 Hz and the Nyquist frequency (fs = \(NumberFormat.quantity(sampleRateHz, "Hz")), fs/2 = \(NumberFormat.quantity(nyquist, "Hz")))")
        }
        // Analog prototype (scipy.signal.buttap).
        var poles = stride(from: -order + 1, through: order - 1, by: 2).map { m in -Complex.exp(i: Double.pi * Double(m) / Double(2 * order)) }
        var zeros: [Complex] = []
        var gain = 1.0
        // Pre-warp on the normalised scale used by scipy (fs = 2, so 2 fs = 4).
        func warp(_ f: Double) -> Double { 4 * tan(Double.pi * (f / nyquist) / 2) }
        switch band {
        case .lowPass(let f):
            let w = warp(f)
            poles = poles.map { $0 * w }
            gain *= pow(w, Double(order))
        case .highPass(let f):
            let w = warp(f)
            gain *= realProduct(zeros.map { -$0 }) / realProduct(poles.map { -$0 })
            poles = poles.map { Complex(w) / $0 }
            zeros = Array(repeating: Complex(0), count: order)
        case .bandPass(let low, let high):
            let (w1, w2) = (warp(low), warp(high))
            let wo = (w1 * w2).squareRoot(), bw = w2 - w1
            poles = poles.flatMap { p -> [Complex] in
                let scaled = p * (bw / 2)
                let root = (scaled * scaled - Complex(wo * wo)).squareRoot
                return [scaled + root, scaled - root]
            }
            zeros = Array(repeating: Complex(0), count: order)
            gain *= pow(bw, Double(order))
        case .bandStop(let low, let high):
            let (w1, w2) = (warp(low), warp(high))
            let wo = (w1 * w2).squareRoot(), bw = w2 - w1
            gain *= realProduct(zeros.map { -$0 }) / realProduct(poles.map { -$0 })
            poles = poles.flatMap { p -> [Complex] in
                let scaled = Complex(bw / 2) / p
                let root = (scaled * scaled - Complex(wo * wo)).squareRoot
                return [scaled + root, scaled - root]
            }
            zeros = Array(repeating: Complex(0, wo), count: order) + Array(repeating: Complex(0, -wo), count: order)
        }
        // Bilinear transform (scipy.signal.bilinear_zpk with fs = 2).
        let fs2 = Complex(4)
        let digitalZeros = zeros.map { (fs2 + $0) / (fs2 - $0) } + Array(repeating: Complex(-1), count: poles.count - zeros.count)
        let digitalPoles = poles.map { (fs2 + $0) / (fs2 - $0) }
        gain *= realProduct(zeros.map { fs2 - $0 }) / realProduct(poles.map { fs2 - $0 })
        return sections(zeros: digitalZeros, poles: digitalPoles, gain: gain)
    }

    static func realProduct(_ values: [Complex]) -> Double {
        values.reduce(Complex(1)) { $0 * $1 }.re
    }

    /// Groups conjugate pairs (and pairs of real roots) into second-order sections. For
    /// Butterworth designs every zero pair is the same polynomial, so pairing needs no search;
    /// sections are ordered with the poles nearest the unit circle last, like scipy's zpk2sos.
    static func sections(zeros: [Complex], poles: [Complex], gain: Double) -> SecondOrderSections {
        func quadratics(_ roots: [Complex]) -> [[Double]] {
            let tolerance = 1e-12
            var result: [[Double]] = []
            var reals = roots.filter { abs($0.im) <= tolerance }.map(\.re).sorted()
            for root in roots where root.im > tolerance {
                result.append([1, -2 * root.re, root.re * root.re + root.im * root.im])
            }
            while reals.count >= 2 {
                let a = reals.removeFirst(), b = reals.removeFirst()
                result.append([1, -(a + b), a * b])
            }
            if let last = reals.first { result.append([1, -last, 0]) }
            return result
        }
        let poleSections = quadratics(poles).sorted { ($0[2] < 0 ? 0 : $0[2]) < ($1[2] < 0 ? 0 : $1[2]) }
        // A first-order pole section (odd orders) takes the first-order zero section; the
        // quadratic ones are matched in order.
        let zeroSections = quadratics(zeros)
        var quadraticZeros = zeroSections.filter { $0[2] != 0 }
        var linearZeros = zeroSections.filter { $0[2] == 0 }
        var sos: [[Double]] = []
        for a in poleSections {
            let b: [Double]
            if a[2] == 0, !linearZeros.isEmpty { b = linearZeros.removeFirst() } else if !quadraticZeros.isEmpty { b = quadraticZeros.removeFirst() } else { b = [1, 0, 0] }
            sos.append(b + a)
        }
        for index in 0..<3 { sos[0][index] *= gain }
        return SecondOrderSections(sections: sos)
    }

    /// A notch (second-order IIR band-stop) at `frequencyHz` with quality factor Q, as
    /// scipy.signal.iirnotch: -3 dB bandwidth f0/Q.
    public static func notch(frequencyHz: Double, quality: Double, sampleRateHz: Double) throws -> SecondOrderSections {
        guard frequencyHz > 0, frequencyHz < sampleRateHz / 2 else {
            throw MyoError.aboveNyquist(what: "notch", hz: frequencyHz, channel: "the channel", sampleRateHz: sampleRateHz)
        }
        let w0 = 2 * frequencyHz / sampleRateHz * Double.pi
        let bandwidth = (2 * frequencyHz / sampleRateHz) / quality * Double.pi
        let beta = tan(bandwidth / 2)
        let g = 1 / (1 + beta)
        return SecondOrderSections(sections: [[g, -2 * g * cos(w0), g, 1, -2 * g * cos(w0), 2 * g - 1]])
    }
}

extension Butterworth {
    /// Winter's correction for a low-pass Butterworth of design order N run `passes` times
    /// (2 for zero-phase): the cutoff to design with so that the whole cascade is -3 dB at
    /// `cutoffHz`. From |H|^(2 passes) = 1/2: C = (2^(1/passes) - 1)^(1/(2N)), applied on the
    /// pre-warped scale, tan(pi f'/fs) = tan(pi f/fs) / C (Winter 2009, sec. 3.4.4; Robertson and
    /// Dowling 2003). For N = 2 and two passes C = 0.802. A high-pass moves the other way (x C).
    public static func winterCorrectedCutoff(_ cutoffHz: Double, order: Int, passes: Int = 2, sampleRateHz: Double, highPass: Bool = false) -> Double {
        let c = pow(pow(2, 1 / Double(passes)) - 1, 1 / Double(2 * order))
        let warped = tan(Double.pi * cutoffHz / sampleRateHz)
        let corrected = highPass ? warped * c : warped / c
        return atan(corrected) * sampleRateHz / Double.pi
    }

    /// Notches at `frequencyHz` and its multiples up to `harmonics` x f0, keeping those below
    /// the Nyquist frequency; each is an iirnotch with the same quality factor.
    public static func notches(frequencyHz: Double, quality: Double, harmonics: Int, sampleRateHz: Double) throws -> [SecondOrderSections] {
        try (1...max(1, harmonics)).map { Double($0) * frequencyHz }.filter { $0 < sampleRateHz / 2 }.map {
            try notch(frequencyHz: $0, quality: quality, sampleRateHz: sampleRateHz)
        }
    }
}
