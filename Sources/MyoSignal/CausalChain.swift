#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoLanes

/// A causal processing chain as a state machine: blocks of samples go in, as they arrive, and
/// the state each step carries (filter memories, the moving window) goes on to the next block,
/// so the output of a stream cut into blocks of any sizes equals that of the whole signal at
/// once. Used by `live` for each received channel; the steps are those of the offline chain
/// run forward only (scipy.signal.sosfilt with zero initial state, not sosfiltfilt).
public struct CausalChain: Sendable {
    public enum Step: Sendable, Equatable {
        /// A cascade of second-order sections, run forward (Direct Form II transposed, as sosfilt).
        case filter(SecondOrderSections)
        /// Full-wave rectification |x|.
        case rectify
        /// Root mean square over the trailing window of `samples` samples (fewer at the start).
        case movingRMS(samples: Int)
    }

    public let steps: [Step]
    /// Per filter step its sections' two state variables (lane 0 of each vector), in the order
    /// of `steps`, and its coefficients as LaneCascade takes them.
    private var states: [[SIMD4<Double>]]
    private let coefficients: [[Double]]
    /// The block in lane 0 of a vector per sample, for the cascade the block engine runs.
    private var lanes: [SIMD4<Double>] = []
    /// The moving RMS's window of squares, its write position, fill and running sum.
    private var window: [Double]
    private var windowPosition = 0, windowFill = 0
    private var windowSum = 0.0

    public init(_ steps: [Step]) {
        self.steps = steps
        states = steps.map { step in if case .filter(let sos) = step { return Array(repeating: .zero, count: 2 * sos.sections.count) } else { return [] } }
        coefficients = steps.map { step in if case .filter(let sos) = step { return sos.sections.flatMap { [$0[0], $0[1], $0[2], $0[4], $0[5]] } } else { return [] } }
        let rmsSamples = steps.compactMap { step -> Int? in if case .movingRMS(let n) = step { return n } else { return nil } }.first ?? 0
        window = Array(repeating: 0, count: max(rmsSamples, 0))
    }

    /// Processes a block in place; the chain's state moves on to the block's end.
    public mutating func process(_ block: inout [Double]) {
        for (index, step) in steps.enumerated() {
            switch step {
            case .filter(let sos):
                // The block engine's cascade, one channel in lane 0: the same operations as sosfilt.
                if lanes.count != block.count { lanes = Array(repeating: .zero, count: block.count) }
                for i in 0..<block.count { lanes[i][0] = block[i] }
                coefficients[index].withUnsafeBufferPointer { c in
                    states[index].withUnsafeMutableBufferPointer { z in
                        lanes.withUnsafeMutableBufferPointer { data in
                            LaneCascade.run(coefficients: c.baseAddress!, sectionCount: sos.sections.count, states: z.baseAddress!,
                                            data: data.baseAddress!, length: block.count, forward: true)
                        }
                    }
                }
                for i in 0..<block.count { block[i] = lanes[i][0] }
            case .rectify:
                for i in 0..<block.count { block[i] = abs(block[i]) }
            case .movingRMS(let n):
                guard n > 0 else { continue }
                for i in 0..<block.count {
                    let square = block[i] * block[i]
                    if windowFill == n { windowSum -= window[windowPosition] } else { windowFill += 1 }
                    window[windowPosition] = square
                    windowSum += square
                    windowPosition = (windowPosition + 1) % n
                    block[i] = (max(windowSum, 0) / Double(windowFill)).squareRoot()
                }
            }
        }
    }

    /// The chain's delay in seconds for a signal at `frequencyHz` through its filters before the
    /// rectifier and a slowly varying envelope after it (group delay at 0 Hz), plus half the
    /// moving window: what `live` shows as the delay of its envelopes.
    public func delaySeconds(signalHz: Double, sampleRateHz: Double) -> Double {
        var delay = 0.0, rectified = false
        for step in steps {
            switch step {
            case .filter(let sos):
                delay += Self.groupDelaySamples(sos, frequencyHz: rectified ? 0 : signalHz, sampleRateHz: sampleRateHz) / sampleRateHz
            case .rectify: rectified = true
            case .movingRMS(let n): delay += Double(n - 1) / 2 / sampleRateHz
            }
        }
        return delay
    }

    /// The group delay of a cascade at `frequencyHz`, in samples: for each section, with
    /// B(z) = b0 + b1 z^-1 + b2 z^-2, tau = Re(sum k b_k e^-iwk / sum b_k e^-iwk), minus the same
    /// for the denominator (the derivative of the phase; scipy.signal.group_delay's formula).
    public static func groupDelaySamples(_ sos: SecondOrderSections, frequencyHz: Double, sampleRateHz: Double) -> Double {
        let w = 2 * Double.pi * frequencyHz / sampleRateHz
        func tau(_ c: [Double]) -> Double {
            var (re, im, kre, kim) = (0.0, 0.0, 0.0, 0.0)
            for k in 0..<3 {
                let (cr, ci) = (cos(w * Double(k)), -sin(w * Double(k)))
                re += c[k] * cr; im += c[k] * ci
                kre += Double(k) * c[k] * cr; kim += Double(k) * c[k] * ci
            }
            let d = re * re + im * im
            return d == 0 ? 0 : (kre * re + kim * im) / d
        }
        return sos.sections.reduce(0) { $0 + tau(Array($1[0..<3])) - tau(Array($1[3..<6])) }
    }
}
