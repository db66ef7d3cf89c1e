import Dispatch
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

/// A chain of steps applied to each channel independently, in double precision, channels in
/// parallel. Each worker holds one double-precision buffer of the channel's length plus the
/// largest edge padding; the signal stays in place between steps (no copies).
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
        var buffer = WorkBuffer(count: input.count, padding: padding)
        for (index, value) in input.enumerated() { buffer.signal[index] = value }
        run(&buffer)
        return Array(buffer.signal)
    }

    /// Applies the chain to every channel (each at least `minimumLength` long), in parallel.
    public func apply(toChannels inputs: [[Float]]) throws -> [[Float]] {
        for input in inputs where input.count < minimumLength {
            throw MyoError.other("a channel has \(input.count) samples; this processing needs more than \(padding) (the zero-phase filters' edge padding)")
        }
        var outputs = [[Float]](repeating: [], count: inputs.count)
        let chain = self
        outputs.withUnsafeMutableBufferPointer { results in
            DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
                if Cancellation.isRequested { return }
                var buffer = WorkBuffer(count: inputs[index].count, padding: chain.padding)
                inputs[index].withUnsafeBufferPointer { source in
                    for i in 0..<source.count { buffer.signal[i] = Double(source[i]) }
                }
                chain.run(&buffer)
                results[index] = [Float](unsafeUninitializedCapacity: buffer.count) { out, initialized in
                    for i in 0..<buffer.count { out[i] = Float(buffer.signal[i]) }
                    initialized = buffer.count
                }
            }
        }
        try Cancellation.check()
        return outputs
    }

    private func run(_ buffer: inout WorkBuffer) {
        for step in steps {
            switch step {
            case .zeroPhase(let sos): buffer.filtfilt(sos)
            case .rectify: for i in 0..<buffer.count { buffer.signal[i] = abs(buffer.signal[i]) }
            case .teagerKaiser: buffer.teagerKaiser()
            case .movingRMS(let samples, let centred): buffer.movingRMS(window: samples, centred: centred)
            }
        }
    }
}

/// A signal of `count` samples inside a buffer with `padding` spare samples on each side.
struct WorkBuffer {
    let count: Int
    let padding: Int
    private var storage: UnsafeMutableBufferPointer<Double>
    private let owner: Owner

    /// Frees the storage when the last copy of the buffer goes.
    private final class Owner {
        let storage: UnsafeMutableBufferPointer<Double>
        init(_ storage: UnsafeMutableBufferPointer<Double>) { self.storage = storage }
        deinit { storage.deallocate() }
    }

    init(count: Int, padding: Int) {
        self.count = count
        self.padding = padding
        storage = .allocate(capacity: count + 2 * padding)
        storage.initialize(repeating: 0)
        owner = Owner(storage)
    }

    /// The signal itself: samples 0..<count.
    var signal: UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: storage[padding..<(padding + count)])
    }

    /// scipy.signal.sosfiltfilt with its default padding, in place.
    mutating func filtfilt(_ sos: SecondOrderSections) {
        let pad = ZeroPhaseFilter.padLength(sos)
        let base = storage.baseAddress! + padding
        let n = count
        // Odd extension: 2 x[0] - x[pad - i] before, 2 x[n-1] - x[n-2-i] after.
        for i in 0..<pad { base[-pad + i] = 2 * base[0] - base[pad - i] }
        for i in 0..<pad { base[n + i] = 2 * base[n - 1] - base[n - 2 - i] }
        let zi = ZeroPhaseFilter.steadyStates(sos)
        let start = base - pad, length = n + 2 * pad
        Cascade.run(sos, zi: zi, start, length, forward: true)
        Cascade.run(sos, zi: zi, start, length, forward: false)
    }

    mutating func teagerKaiser() {
        let x = signal
        guard count >= 3 else { return }
        var previous = x[0], current = x[1]
        for i in 1..<(count - 1) {
            let next = x[i + 1]
            x[i] = current * current - previous * next
            previous = current
            current = next
        }
        x[0] = x[1]
        x[count - 1] = x[count - 2]
    }

    /// Moving RMS from a running sum of squares (in place: each output needs only inputs at or
    /// after the window's start, which a delayed write keeps intact).
    mutating func movingRMS(window: Int, centred: Bool) {
        let x = signal
        let n = count
        let w = max(1, min(window, n))
        // Window of sample i: [i - before, i + after] clipped to the signal.
        let before = centred ? (w - 1) / 2 : w - 1
        let after = centred ? w - 1 - before : 0
        var squares = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { squares[i + 1] = squares[i] + x[i] * x[i] }
        for i in 0..<n {
            let low = max(0, i - before), high = min(n - 1, i + after)
            let mean = (squares[high + 1] - squares[low]) / Double(high - low + 1)
            x[i] = max(mean, 0).squareRoot()
        }
    }
}

/// Runs a cascade of second-order sections over contiguous samples, all sections per sample
/// (their recursions are independent chains the processor overlaps), in groups of up to four
/// sections per pass. Each section computes exactly what scipy's sosfilt computes:
/// y = b0 x + z1; z1 = b1 x - a1 y + z2; z2 = b2 x - a2 y.
enum Cascade {
    static func run(_ sos: SecondOrderSections, zi: [(Double, Double)], _ data: UnsafeMutablePointer<Double>, _ length: Int, forward: Bool) {
        // sosfilt_zi states (already scaled by the DC gain of the sections before) are scaled
        // by the cascade's first input sample, for every section.
        let x0 = data[forward ? 0 : length - 1]
        var first = 0
        while first < sos.sections.count {
            let group = min(4, sos.sections.count - first)
            let sections = Array(sos.sections[first..<(first + group)])
            let states = Array(zi[first..<(first + group)])
            switch group {
            case 4: run4(sections, states, x0, data, length, forward)
            case 3: run3(sections, states, x0, data, length, forward)
            case 2: run2(sections, states, x0, data, length, forward)
            default: run1(sections, states, x0, data, length, forward)
            }
            first += group
        }
    }

    private struct Section {
        let b0, b1, b2, a1, a2: Double
        var z1, z2: Double
        init(_ s: [Double], _ zi: (Double, Double), _ x0: Double) {
            (b0, b1, b2, a1, a2) = (s[0], s[1], s[2], s[4], s[5])
            z1 = zi.0 * x0
            z2 = zi.1 * x0
        }
        @inline(__always) mutating func step(_ x: Double) -> Double {
            let y = b0 * x + z1
            z1 = b1 * x - a1 * y + z2
            z2 = b2 * x - a2 * y
            return y
        }
    }

    private static func run1(_ s: [[Double]], _ zi: [(Double, Double)], _ x0: Double, _ data: UnsafeMutablePointer<Double>, _ n: Int, _ forward: Bool) {
        var s0 = Section(s[0], zi[0], x0)
        if forward { for i in 0..<n { data[i] = s0.step(data[i]) } } else { for i in stride(from: n - 1, through: 0, by: -1) { data[i] = s0.step(data[i]) } }
    }

    private static func run2(_ s: [[Double]], _ zi: [(Double, Double)], _ x0: Double, _ data: UnsafeMutablePointer<Double>, _ n: Int, _ forward: Bool) {
        var s0 = Section(s[0], zi[0], x0), s1 = Section(s[1], zi[1], x0)
        if forward { for i in 0..<n { data[i] = s1.step(s0.step(data[i])) } } else { for i in stride(from: n - 1, through: 0, by: -1) { data[i] = s1.step(s0.step(data[i])) } }
    }

    private static func run3(_ s: [[Double]], _ zi: [(Double, Double)], _ x0: Double, _ data: UnsafeMutablePointer<Double>, _ n: Int, _ forward: Bool) {
        var s0 = Section(s[0], zi[0], x0), s1 = Section(s[1], zi[1], x0), s2 = Section(s[2], zi[2], x0)
        if forward { for i in 0..<n { data[i] = s2.step(s1.step(s0.step(data[i]))) } } else { for i in stride(from: n - 1, through: 0, by: -1) { data[i] = s2.step(s1.step(s0.step(data[i]))) } }
    }

    private static func run4(_ s: [[Double]], _ zi: [(Double, Double)], _ x0: Double, _ data: UnsafeMutablePointer<Double>, _ n: Int, _ forward: Bool) {
        var s0 = Section(s[0], zi[0], x0), s1 = Section(s[1], zi[1], x0), s2 = Section(s[2], zi[2], x0), s3 = Section(s[3], zi[3], x0)
        if forward { for i in 0..<n { data[i] = s3.step(s2.step(s1.step(s0.step(data[i])))) } } else { for i in stride(from: n - 1, through: 0, by: -1) { data[i] = s3.step(s2.step(s1.step(s0.step(data[i])))) } }
    }
}
