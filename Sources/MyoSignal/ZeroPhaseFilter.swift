import MyoCore

/// Forward-backward (zero-phase) filtering with second-order sections, as
/// scipy.signal.sosfiltfilt with its defaults: odd extension of padlen samples at each end,
/// padlen = 3 (2 n_sections + 1 - min(#b2 == 0, #a2 == 0)), and initial states from
/// sosfilt_zi scaled by the first sample of each pass (Gustafsson 1996 is the alternative; not used).
/// The effective order doubles and the phase is zero.
public enum ZeroPhaseFilter {
    public static func padLength(_ sos: SecondOrderSections) -> Int {
        let b2Zero = sos.sections.filter { $0[2] == 0 }.count
        let a2Zero = sos.sections.filter { $0[5] == 0 }.count
        return 3 * (2 * sos.sections.count + 1 - min(b2Zero, a2Zero))
    }

    /// Filters `x` (at least padlen + 1 samples) and returns a signal of the same length.
    public static func filter(_ sos: SecondOrderSections, _ x: [Double]) throws -> [Double] {
        let pad = padLength(sos)
        guard x.count > pad else {
            throw MyoError.other("the signal has \(x.count) samples; zero-phase filtering with these \(sos.sections.count) sections needs more than \(pad) (the edge padding)")
        }
        return SignalChain([.zeroPhase(sos)]).apply(x)
    }

    /// scipy.signal.sosfilt_zi: each section's lfilter_zi, scaled by the DC gain of the ones before.
    static func steadyStates(_ sos: SecondOrderSections) -> [(Double, Double)] {
        var scale = 1.0
        return sos.sections.map { s in
            let (b0, b1, b2, a1, a2) = (s[0], s[1], s[2], s[4], s[5])
            // Solve [[1 + a1, -1], [a2, 1]] z = [b1 - a1 b0, b2 - a2 b0].
            let r0 = b1 - a1 * b0, r1 = b2 - a2 * b0
            let z0 = (r0 + r1) / (1 + a1 + a2)
            let z1 = r1 - a2 * z0
            defer { scale *= (b0 + b1 + b2) / (1 + a1 + a2) }
            return (scale * z0, scale * z1)
        }
    }
}

