#if canImport(Glibc)
import Glibc
#endif
import CCPU
import Dispatch
import MyoCore
import MyoFiles
import MyoLanes
import MyoLanesAVX2

/// Where a channel's samples come from, block by block: an array in memory, a file read as it
/// is needed, a result kept in a scratch file.
public protocol SampleSource {
    var count: Int { get }
    /// Reads samples `range` as doubles into `buffer` (`buffer.count == range.count`).
    func read(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Double>) throws
}

/// Where a channel's results go, in order, block by block.
public protocol SampleSink: AnyObject {
    func append(_ values: UnsafeBufferPointer<Double>) throws
}

/// Float32 samples in memory as a source.
public struct FloatSamples: SampleSource {
    public let samples: [Float]
    public init(_ samples: [Float]) { self.samples = samples }
    public var count: Int { samples.count }
    public func read(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Double>) throws {
        samples.withUnsafeBufferPointer { source in for i in 0..<range.count { buffer[i] = Double(source[range.lowerBound + i]) } }
    }
}

/// Double samples in memory as a source.
public struct DoubleSamples: SampleSource {
    public let samples: [Double]
    public init(_ samples: [Double]) { self.samples = samples }
    public var count: Int { samples.count }
    public func read(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Double>) throws {
        samples.withUnsafeBufferPointer { source in _ = buffer.initialize(from: source[range]) }
    }
}

/// Results kept in memory as Float32, in an array made at its final size (on 2 MiB pages when large).
public final class FloatCollector: SampleSink {
    private var storage: [Float]
    private var filled = 0
    public init(capacity: Int = 0) {
        storage = [Float](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            MemoryBudget.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            initialized = capacity
        }
    }
    /// The samples appended so far.
    public var samples: [Float] { filled == storage.count ? storage : Array(storage[0..<filled]) }
    public func append(_ values: UnsafeBufferPointer<Double>) throws {
        if filled + values.count > storage.count { storage.append(contentsOf: repeatElement(0, count: filled + values.count - storage.count)) }
        storage.withUnsafeMutableBufferPointer { out in for i in 0..<values.count { out[filled + i] = Float(values[i]) } }
        filled += values.count
    }
}

/// Results kept in memory in double precision.
public final class DoubleCollector: SampleSink {
    public private(set) var samples: [Double] = []
    public init(capacity: Int = 0) { samples.reserveCapacity(capacity) }
    public func append(_ values: UnsafeBufferPointer<Double>) throws { samples.append(contentsOf: values) }
}

/// The one way MyoShell runs a `SignalChain` over channels: block by block, up to four channels
/// at once in the lanes of a vector, lane groups on all cores. Each group's samples sit in one
/// double-precision store with the edge padding around them, in memory when it is no larger than
/// `memoryLimitBytes` and in a scratch file otherwise; every step is a pass over that store, a
/// block at a time, carrying its state (filter memories, the moving window) from block to block,
/// so the result does not depend on the block size and equals the whole-signal computation:
///
/// - a zero-phase filter writes scipy's odd extension into the padding at both ends, runs the
///   cascade forward over the padded signal block by block (states from sosfilt_zi scaled by the
///   first padded sample), then backward from the last block to the first (scaled by the last
///   forward output), in place: scipy.signal.sosfiltfilt exactly, whatever the length;
/// - rectification, the Teager-Kaiser operator and the moving RMS stream forward, reading at most
///   a window's half ahead of the block they write.
public struct BlockEngine: Sendable {
    public var blockSize: Int
    /// A lane group's store larger than this goes to a scratch file; nil: a quarter of the memory
    /// available when the run starts, shared by the workers (so the stores in flight take at most
    /// a quarter of it).
    public var memoryLimitBytes: Int?
    /// Where scratch files go (ScratchFile.folder unless set).
    public var scratchFolder: String?
    /// Whether the cascade runs its AVX2 build; never true on a processor without AVX2.
    public var avx2: Bool

    /// Whether this processor can run the AVX2 build of the cascade (one register for four lanes).
    public static let processorHasAVX2 = ccpu_has_haswell_features() != 0

    public init(blockSize: Int = 1 << 15, memoryLimitBytes: Int? = nil, scratchFolder: String? = nil, avx2: Bool = BlockEngine.processorHasAVX2) {
        precondition(blockSize >= 1)
        self.blockSize = blockSize
        self.memoryLimitBytes = memoryLimitBytes
        self.scratchFolder = scratchFolder
        self.avx2 = avx2 && Self.processorHasAVX2
    }

    /// Runs `chain` over each source into the sink at the same index. Channels of equal length go
    /// four to a group; groups run in parallel. The first error stops the run and is thrown.
    public func run(_ chain: SignalChain, sources: [any SampleSource], sinks: [any SampleSink]) throws {
        precondition(sources.count == sinks.count)
        var groups: [[Int]] = []
        var openGroup: [Int: Int] = [:]   // length -> index of its group that still has room
        for index in sources.indices {
            let length = sources[index].count
            if let g = openGroup[length], groups[g].count < 4 { groups[g].append(index) } else { openGroup[length] = groups.count; groups.append([index]) }
        }
        let failures = Locked<[Error?]>(Array(repeating: nil, count: groups.count))
        let taken = Locked(0)
        var engine = self
        nonisolated(unsafe) let (sources, sinks) = (sources, sinks)
        // One worker a core; each keeps its store for the next group of the same length, so the
        // memory is taken (and its pages faulted in) once a worker, not once a group.
        let workers = max(1, min(groups.count, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        if engine.memoryLimitBytes == nil { engine.memoryLimitBytes = Int(min(MemoryBudget.availableBytes() / 4 / Double(workers), Double(Int.max / 2))) }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var store: LaneStore?
            while !Cancellation.isRequested {
                let g = taken.withLock { value -> Int in defer { value += 1 }; return value }
                guard g < groups.count else { return }
                do { try engine.runGroup(chain, sources: groups[g].map { sources[$0] }, sinks: groups[g].map { sinks[$0] }, store: &store) } catch { failures.withLock { $0[g] = error } }
            }
        }
        if let failure = failures.withLock({ $0.compactMap { $0 }.first }) { throw failure }
        try Cancellation.check()
    }

    private func runGroup(_ chain: SignalChain, sources: [any SampleSource], sinks: [any SampleSink], store reused: inout LaneStore?) throws {
        let n = sources[0].count
        guard n > 0 else { return }
        let padding = chain.padding
        let bytes = Double(n + 2 * padding) * Double(MemoryLayout<SIMD4<Double>>.stride)
        let inMemory = bytes <= Double(memoryLimitBytes ?? Int.max)
        let folder = inMemory ? nil : scratchFolder ?? ScratchFile.folder
        let store: LaneStore
        if let reused, reused.count == n, reused.padding == padding, reused.scratchFolder == folder {
            store = reused
        } else {
            reused = nil
            if inMemory { try MemoryBudget.check(values: Double(n + 2 * padding), bytesPerValue: MemoryLayout<SIMD4<Double>>.stride, for: "filtering \(sources.count) channel\(sources.count == 1 ? "" : "s") of \(n) samples") }
            store = try LaneStore(count: n, padding: padding, blockSize: blockSize, scratchFolder: folder)
            reused = store
        }
        // Progress: every pass touches each block once (a zero-phase step twice).
        var passes = 1
        for step in chain.steps { if case .zeroPhase = step { passes += 2 } else if case .rectify = step {} else { passes += 1 } }
        WorkProgress.expect(passes * n)
        store.reportsProgress = true
        defer { store.reportsProgress = false }
        // Loading and rectification wait for the next zero-phase filter and run inside its forward
        // pass, block by block while the block is in the cache: two passes over the store fewer.
        var pending: [Prelude] = [.load(sources)]
        for step in chain.steps {
            switch step {
            case .zeroPhase(let sos): try zeroPhase(store, sos, pending); pending = []
            case .rectify: pending.append(.rectify)
            case .teagerKaiser: try flush(store, pending); pending = []; try teagerKaiser(store)
            case .movingRMS(let samples, let centred): try flush(store, pending); pending = []; try movingRMS(store, window: samples, centred: centred)
            }
        }
        try flush(store, pending)
        try unload(store, sinks)
    }

    /// Work a pass does to each block before its own: reading the sources in, rectifying. Each
    /// is idempotent after a load, so a region may safely get it twice.
    private enum Prelude {
        case load([any SampleSource])
        case rectify
    }

    /// Applies `preludes` to the signal samples `block` (signal indices), at `p` in the store.
    private func apply(_ preludes: [Prelude], _ block: Range<Int>, _ p: UnsafeMutablePointer<SIMD4<Double>>, _ temp: UnsafeMutableBufferPointer<Double>) throws {
        for prelude in preludes {
            switch prelude {
            case .load(let sources):
                for lane in 0..<4 {
                    if lane < sources.count {
                        try sources[lane].read(block, into: UnsafeMutableBufferPointer(rebasing: temp[0..<block.count]))
                        for i in 0..<block.count { p[i][lane] = temp[i] }
                    } else {
                        for i in 0..<block.count { p[i][lane] = 0 }
                    }
                }
            case .rectify:
                let sign = SIMD4<UInt64>(repeating: 1 << 63)
                for i in 0..<block.count { p[i] = unsafeBitCast(unsafeBitCast(p[i], to: SIMD4<UInt64>.self) & ~sign, to: SIMD4<Double>.self) }
            }
        }
    }

    /// The preludes as a pass of their own, over the signal samples `range` (all by default).
    private func flush(_ store: LaneStore, _ preludes: [Prelude], _ range: Range<Int>? = nil) throws {
        guard !preludes.isEmpty else { return }
        let temp = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockSize)
        defer { temp.deallocate() }
        for block in blocks(range ?? 0..<store.count) {
            try Cancellation.check()
            try store.access(store.padding + block.lowerBound..<store.padding + block.upperBound, modify: true) { p in try apply(preludes, block, p, temp) }
        }
    }

    /// Blocks of `range`, first to last.
    private func blocks(_ range: Range<Int>) -> [Range<Int>] {
        stride(from: range.lowerBound, to: range.upperBound, by: blockSize).map { $0..<min(range.upperBound, $0 + blockSize) }
    }

    private func unload(_ store: LaneStore, _ sinks: [any SampleSink]) throws {
        let temp = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockSize)
        defer { temp.deallocate() }
        for block in blocks(0..<store.count) {
            try Cancellation.check()
            try store.access(store.padding + block.lowerBound..<store.padding + block.upperBound, modify: false) { p in
                for (lane, sink) in sinks.enumerated() {
                    for i in 0..<block.count { temp[i] = p[i][lane] }
                    try sink.append(UnsafeBufferPointer(rebasing: temp[0..<block.count]))
                }
            }
        }
    }

    private func zeroPhase(_ store: LaneStore, _ sos: SecondOrderSections, _ preludes: [Prelude]) throws {
        let pad = ZeroPhaseFilter.padLength(sos), n = store.count, base = store.padding
        // The ends the odd extension reflects must be ready before the forward pass starts.
        try flush(store, preludes, 0..<min(n, pad + 1))
        try flush(store, preludes, max(0, n - pad - 1)..<n)
        // Odd extension: 2 x[0] - x[pad - i] before, 2 x[n-1] - x[n-2-i] after.
        let first = try store.get(base), last = try store.get(base + n - 1)
        for i in 0..<pad { try store.set(base - pad + i, 2 * first - store.get(base + pad - i)) }
        for i in 0..<pad { try store.set(base + n + i, 2 * last - store.get(base + n - 2 - i)) }
        let coefficients = sos.sections.flatMap { [$0[0], $0[1], $0[2], $0[4], $0[5]] }
        let zi = ZeroPhaseFilter.steadyStates(sos)
        let states = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: 2 * zi.count)
        defer { states.deallocate() }
        let padded = (base - pad)..<(base + n + pad)
        func start(_ x0: SIMD4<Double>) {
            for (k, z) in zi.enumerated() { states[2 * k] = z.0 * x0; states[2 * k + 1] = z.1 * x0 }
        }
        let temp = UnsafeMutableBufferPointer<Double>.allocate(capacity: blockSize)
        defer { temp.deallocate() }
        try coefficients.withUnsafeBufferPointer { c in
            start(try store.get(padded.lowerBound))
            for block in blocks(padded) {
                try Cancellation.check()
                try store.access(block, modify: true) { p in
                    // The preludes on the block's signal samples, then the cascade while they are in the cache.
                    let low = max(block.lowerBound, base), high = min(block.upperBound, base + n)
                    if !preludes.isEmpty, low < high {
                        let signal = low..<high
                        try apply(preludes, (signal.lowerBound - base)..<(signal.upperBound - base), p + (signal.lowerBound - block.lowerBound), temp)
                    }
                    cascade(c.baseAddress!, zi.count, states, p, block.count, forward: true)
                }
            }
            start(try store.get(padded.upperBound - 1))
            for block in blocks(padded).reversed() {
                try Cancellation.check()
                try store.access(block, modify: true) { p in cascade(c.baseAddress!, zi.count, states, p, block.count, forward: false) }
            }
        }
    }

    private func cascade(_ c: UnsafePointer<Double>, _ sections: Int, _ states: UnsafeMutablePointer<SIMD4<Double>>,
                         _ data: UnsafeMutablePointer<SIMD4<Double>>, _ length: Int, forward: Bool) {
        if avx2 {
            runLaneCascadeAVX2(coefficients: c, sectionCount: sections, states: states, data: data, length: length, forward: forward)
        } else {
            LaneCascade.run(coefficients: c, sectionCount: sections, states: states, data: data, length: length, forward: forward)
        }
    }

    /// psi[i] = x[i]^2 - x[i-1] x[i+1] for 0 < i < n-1; the end samples copy their neighbours.
    private func teagerKaiser(_ store: LaneStore) throws {
        let n = store.count, base = store.padding
        guard n >= 3 else { return }
        var previous = try store.get(base)
        for block in blocks(1..<(n - 1)) {
            try Cancellation.check()
            let following = try store.get(base + block.upperBound)   // not yet rewritten
            try store.access(base + block.lowerBound..<base + block.upperBound, modify: true) { p in
                for i in 0..<block.count {
                    let current = p[i]
                    let next = i + 1 < block.count ? p[i + 1] : following
                    p[i] = current * current - previous * next
                    previous = current
                }
            }
        }
        try store.set(base, store.get(base + 1))
        try store.set(base + n - 1, store.get(base + n - 2))
    }

    /// RMS over the window [i - before, i + after] clipped to the signal, from a running sum of
    /// the squares in the window (a ring of at most `window` squares).
    private func movingRMS(_ store: LaneStore, window: Int, centred: Bool) throws {
        let n = store.count, base = store.padding
        let w = max(1, min(window, n))
        let before = centred ? (w - 1) / 2 : w - 1
        let after = centred ? w - 1 - before : 0
        let ring = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: w)
        defer { ring.deallocate() }
        let ahead = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: max(after, 1))
        defer { ahead.deallocate() }
        var head = 0, filled = 0, oldest = 0, next = 0
        var sum = SIMD4<Double>.zero
        for block in blocks(0..<n) {
            try Cancellation.check()
            let aheadCount = min(n, block.upperBound + after) - block.upperBound
            if aheadCount > 0 { try store.read(base + block.upperBound..<base + block.upperBound + aheadCount, into: ahead) }
            try store.access(base + block.lowerBound..<base + block.upperBound, modify: true) { p in
                for i in block {
                    let low = max(0, i - before)
                    while oldest < low { sum -= ring[head]; head = head + 1 == w ? 0 : head + 1; filled -= 1; oldest += 1 }
                    let high = min(i + after, n - 1)
                    while next <= high {
                        let x = next < block.upperBound ? p[next - block.lowerBound] : ahead[next - block.upperBound]
                        let square = x * x
                        let slot = head + filled
                        ring[slot >= w ? slot - w : slot] = square
                        filled += 1
                        sum += square
                        next += 1
                    }
                    let mean = sum / Double(filled)
                    p[i - block.lowerBound] = mean.replacing(with: 0, where: mean .< 0).squareRoot()
                }
            }
        }
    }
}

/// The samples of up to four channels of one length, interleaved (lane k holds channel k), with
/// `padding` spare samples before and after; in memory or in a scratch file, where only one
/// block at a time is in memory.
final class LaneStore {
    let count: Int
    let padding: Int
    let blockSize: Int
    let scratchFolder: String?
    private let memory: UnsafeMutablePointer<SIMD4<Double>>?
    private let file: ScratchFile?
    private let buffer: UnsafeMutablePointer<SIMD4<Double>>?
    private static let stride = MemoryLayout<SIMD4<Double>>.stride
    /// Whether each block accessed counts towards `WorkProgress` (while a run uses the store).
    var reportsProgress = false

    /// In memory without a scratch folder, else in a scratch file there.
    init(count: Int, padding: Int, blockSize: Int, scratchFolder: String?) throws {
        self.count = count
        self.padding = padding
        self.blockSize = blockSize
        self.scratchFolder = scratchFolder
        if scratchFolder == nil {
            // Not initialised: every pass writes a position before it reads it (the load fills the
            // signal and the unused lanes, each zero-phase filter its padding).
            memory = .allocate(capacity: count + 2 * padding)
            MemoryBudget.adviseHugePages(UnsafeMutableRawBufferPointer(start: memory, count: (count + 2 * padding) * MemoryLayout<SIMD4<Double>>.stride))
            file = nil
            buffer = nil
        } else {
            memory = nil
            file = try ScratchFile(folder: scratchFolder!)
            buffer = .allocate(capacity: blockSize)
        }
    }

    deinit {
        memory?.deallocate()
        buffer?.deallocate()
    }

    /// Calls `body` with the samples at store positions `range` (at most a block), writing them
    /// back afterwards when `modify`.
    func access(_ range: Range<Int>, modify: Bool, _ body: (UnsafeMutablePointer<SIMD4<Double>>) throws -> Void) throws {
        if reportsProgress { WorkProgress.advance(range.count) }
        if let memory { return try body(memory + range.lowerBound) }
        precondition(range.count <= blockSize)
        try file!.read(into: buffer!, count: range.count * Self.stride, at: range.lowerBound * Self.stride)
        try body(buffer!)
        if modify { try file!.write(buffer!, count: range.count * Self.stride, at: range.lowerBound * Self.stride) }
    }

    /// Copies the samples at store positions `range` (any length) to `target`.
    func read(_ range: Range<Int>, into target: UnsafeMutablePointer<SIMD4<Double>>) throws {
        if let memory { target.update(from: memory + range.lowerBound, count: range.count); return }
        try file!.read(into: target, count: range.count * Self.stride, at: range.lowerBound * Self.stride)
    }

    func get(_ position: Int) throws -> SIMD4<Double> {
        if let memory { return memory[position] }
        var value = SIMD4<Double>.zero
        try file!.read(into: &value, count: Self.stride, at: position * Self.stride)
        return value
    }

    func set(_ position: Int, _ value: SIMD4<Double>) throws {
        if let memory { memory[position] = value; return }
        var value = value
        try file!.write(&value, count: Self.stride, at: position * Self.stride)
    }
}
