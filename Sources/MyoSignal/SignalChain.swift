import MyoCore

/// One step of a `SignalChain`.
public enum SignalStep: Sendable, Equatable {
    /// Forward-backward filtering as scipy.signal.sosfiltfilt (odd extension, default padlen,
    /// sosfilt_zi initial states).
    case zeroPhase(SecondOrderSections)
    /// Full-wave rectification |x|.
    case rectify
    /// Teager-Kaiser energy operator x[n]^2 - x[n-1] x[n+1]; the two end samples copy their
    /// neighbours.
    case teagerKaiser
    /// Root mean square over a moving window of `samples` samples, trailing (the window ends at
    /// the sample) or centred; near the ends the window holds the samples that exist.
    case movingRMS(samples: Int, centred: Bool)
}

/// A chain of steps applied to each channel independently, in double precision, by the block
/// engine (`BlockEngine`): four channels at once in the lanes of a vector, lane groups on all
/// cores, results stored as Float32.
public struct SignalChain: Sendable, Equatable {
    public var steps: [SignalStep]

    public init(_ steps: [SignalStep]) { self.steps = steps }

    /// Samples of edge padding the zero-phase steps need on each side.
    public var padding: Int {
        steps.map { step in if case .zeroPhase(let sos) = step { return ZeroPhaseFilter.padLength(sos) } else { return 0 } }.max() ?? 0
    }

    /// The fewest samples a channel must have (more than the largest padding).
    public var minimumLength: Int { padding + 1 }

    /// Applies the chain to one signal and returns the result in double precision.
    public func apply(_ input: [Double]) -> [Double] {
        let sink = DoubleCollector(capacity: input.count)
        // In memory, with no error to throw but cancellation (then the result is not used).
        try? BlockEngine().run(self, sources: [DoubleSamples(input)], sinks: [sink])
        return sink.samples
    }

    /// Applies the chain to every channel (each at least `minimumLength` long), in parallel.
    public func apply(toChannels inputs: [[Float]], engine: BlockEngine = BlockEngine()) throws -> [[Float]] {
        for input in inputs where input.count < minimumLength {
            throw MyoError.other("a channel has \(input.count) samples; this processing needs more than \(padding) (the zero-phase filters' edge padding)")
        }
        let sinks = inputs.map { FloatCollector(capacity: $0.count) }
        try engine.run(self, sources: inputs.map(FloatSamples.init), sinks: sinks)
        return sinks.map(\.samples)
    }
}
