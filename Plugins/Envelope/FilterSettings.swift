import MyoCore
import MyoPluginAPI
import MyoSignal

/// The filters a command asked for, resolved from its arguments, designed per sample rate and
/// described in words (design order, poles, effective zero-phase order) for results and help.
struct FilterSettings {
    var band: FilterBand
    var order: Int
    /// Mains notch: frequency, quality factor and how many multiples (1 = the fundamental only).
    var notch: (hz: Double, quality: Double, harmonics: Int)?

    /// `notch=off`, or `notch=50Hz` / `notch=60Hz` with `q=` and `harmonics=`.
    static func notch(from invocation: Invocation) throws -> (hz: Double, quality: Double, harmonics: Int)? {
        guard let hz = try invocation[EnvelopePlugin.notch] else { return nil }
        return (hz, try invocation[EnvelopePlugin.quality], try invocation[EnvelopePlugin.harmonics])
    }

    /// Checks every edge against a channel's Nyquist frequency, naming the channel.
    static func checkNyquist(_ band: FilterBand, what: String, channel: String, sampleRateHz: Double) throws {
        for edge in band.edges where edge >= sampleRateHz / 2 {
            throw MyoError.aboveNyquist(what: what, hz: edge, channel: channel, sampleRateHz: sampleRateHz)
        }
        if case .bandPass(let a, let b) = band, a >= b {
            throw MyoError.invalidValue(argument: "band", value: "\(NumberFormat.quantity(a, "Hz"))..\(NumberFormat.quantity(b, "Hz"))", expected: "a lower edge below the upper edge")
        }
        if case .bandStop(let a, let b) = band, a >= b {
            throw MyoError.invalidValue(argument: "bandstop", value: "\(NumberFormat.quantity(a, "Hz"))..\(NumberFormat.quantity(b, "Hz"))", expected: "a lower edge below the upper edge")
        }
    }

    /// The zero-phase steps at one sample rate: the Butterworth filter, then each notch.
    func steps(sampleRateHz: Double) throws -> [SignalStep] {
        var steps: [SignalStep] = [.zeroPhase(try Butterworth.design(order: order, band: band, sampleRateHz: sampleRateHz))]
        if let notch {
            steps += try Butterworth.notches(frequencyHz: notch.hz, quality: notch.quality, harmonics: notch.harmonics, sampleRateHz: sampleRateHz).map { .zeroPhase($0) }
        }
        return steps
    }

    /// `band-pass 20-450 Hz, Butterworth design order 4 (8 poles), zero-phase: effective order 8 per edge`
    var description: String {
        var text = Self.describe(band, order: order)
        if let notch {
            let multiples = notch.harmonics > 1 ? " and multiples up to \(notch.harmonics) x" : ""
            text += "; notch \(NumberFormat.quantity(notch.hz, "Hz"))\(multiples) (iirnotch, Q = \(NumberFormat.significant(notch.quality, digits: 4)), zero-phase)"
        }
        return text
    }

    static func describe(_ band: FilterBand, order: Int) -> String {
        let kind: String, poles: Int
        switch band {
        case .lowPass(let f): kind = "low-pass \(NumberFormat.quantity(f, "Hz"))"; poles = order
        case .highPass(let f): kind = "high-pass \(NumberFormat.quantity(f, "Hz"))"; poles = order
        case .bandPass(let a, let b): kind = "band-pass \(NumberFormat.significant(a, digits: 6))-\(NumberFormat.quantity(b, "Hz"))"; poles = 2 * order
        case .bandStop(let a, let b): kind = "band-stop \(NumberFormat.significant(a, digits: 6))-\(NumberFormat.quantity(b, "Hz"))"; poles = 2 * order
        }
        return "\(kind), Butterworth design order \(order) (\(poles) poles), zero-phase forward-backward: effective order \(2 * order)\(poles > order ? " per edge" : "")"
    }
}

extension Selection {
    /// Runs a chain built per sample rate over every selected channel, rates in parallel batches;
    /// day-long results come back in scratch files (`SignalChain.apply(to:)`).
    func apply(_ chainForRate: (Double) throws -> SignalChain) throws -> [Channel] {
        var outputs = refs.map(\.channel)
        let rates = Array(Set(refs.map(\.channel.sampleRateHz))).sorted()
        for rate in rates {
            let chain = try chainForRate(rate)
            let indices = refs.indices.filter { refs[$0].channel.sampleRateHz == rate }
            for index in indices where refs[index].channel.sampleCount < chain.minimumLength {
                throw MyoError.other("\(refs[index].qualifiedName) has \(refs[index].channel.sampleCount) samples; these filters need more than \(chain.padding) (their zero-phase edge padding)")
            }
            let results = try chain.apply(to: indices.map { refs[$0].channel })
            for (index, result) in zip(indices, results) { outputs[index] = result }
        }
        return outputs
    }
}
