/// What a channel measures, derived from its unit and name; decides how `info` groups channels.
public enum ChannelKind: String, Sendable {
    case emg, acceleration, angularVelocity = "angular velocity", angle, other

    /// True for inertial channels (accelerometer, gyroscope).
    public var isIMU: Bool { self == .acceleration || self == .angularVelocity }

    /// Voltages that are not EMG, by the signal-type prefix EDF+ labels use ("EEG Fpz-Cz", "ECG",
    /// "EOG left") and the names devices give them: EEG, ECG/EKG, EOG, respiration.
    public static func isOtherBiopotential(_ name: String) -> Bool {
        let upper = name.uppercased()
        return ["EEG", "ECG", "EKG", "EOG", "RESP"].contains { prefix in
            guard upper.hasPrefix(prefix) else { return false }
            let rest = upper.dropFirst(prefix.count)
            return rest.first.map { !$0.isLetter } ?? true
        }
    }

    /// Classifies a channel: by its unit's dimension first, then by name for unit-less channels
    /// (`ACC_X`, `acc_x`, `Accel X`, `GYR_Y`, `Gyro Y`, ...).
    public static func classify(name: String, unit: String) -> ChannelKind {
        switch UnitDefinition.named(unit)?.dimension {
        case .voltage?: return isOtherBiopotential(name) ? .other : .emg
        case .acceleration?: return .acceleration
        case .angularVelocity?: return .angularVelocity
        case .angle?: return .angle
        default: break
        }
        let lower = name.lowercased()
        if lower.hasPrefix("acc") { return .acceleration }
        if lower.hasPrefix("gyr") { return .angularVelocity }
        return .other
    }
}

/// Samples kept outside memory: in the recording's own file (decoded as they are read) or in a
/// scratch file (a result too large for memory). Reading never changes the file.
public protocol SampleStore: AnyObject, Sendable {
    var count: Int { get }
    /// Where the samples are, for messages: `day.bdf`, `a scratch file in /tmp`.
    var origin: String { get }
    /// Reads samples `range` into `buffer` (`buffer.count == range.count`).
    func read(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>) throws
}

/// One uniformly sampled signal: name, unit, sample rate, start time and Float32 samples.
///
/// The sample rate is always known: a channel cannot be made without one (readers that find
/// none refuse the file). Samples are contiguous, one array per channel, or, for recordings
/// longer than memory, in a `SampleStore` read block by block (`isFileBacked`); commands that
/// do not stream get such channels read whole into memory by the shell, within the memory budget.
public struct Channel: Sendable {
    public var name: String
    /// Unit symbol as found in the source (`mV`, `g`, `deg/s`), or "" when the source gives none.
    public var unit: String
    public var sampleRateHz: Double
    /// Time of the first sample, in s, on the recording's time base.
    public var startTimeSeconds: Double
    private var memory: [Float]
    /// Where the samples are when they are not in memory.
    public private(set) var store: (any SampleStore)?
    /// What the source file says the channel measures (an EDF transducer type such as "ECG
    /// electrode"); when set it overrides the classification by unit and name.
    public var declaredKind: ChannelKind?

    public init(name: String, unit: String, sampleRateHz: Double, startTimeSeconds: Double = 0, samples: [Float]) {
        precondition(sampleRateHz > 0 && sampleRateHz.isFinite, "a channel needs a positive sample rate")
        self.name = name
        self.unit = unit
        self.sampleRateHz = sampleRateHz
        self.startTimeSeconds = startTimeSeconds
        self.memory = samples
    }

    /// A channel whose samples stay in `store`.
    public init(name: String, unit: String, sampleRateHz: Double, startTimeSeconds: Double = 0, store: any SampleStore) {
        self.init(name: name, unit: unit, sampleRateHz: sampleRateHz, startTimeSeconds: startTimeSeconds, samples: [])
        self.store = store
    }

    /// The samples in memory. For a file-backed channel this reads them all (the shell does so,
    /// checked against the memory budget, before a command that does not stream; see
    /// `materialized()`); setting or changing them keeps them in memory from then on.
    public var samples: [Float] {
        get {
            guard let store else { return memory }
            return (try? Channel.readAll(store)) ?? [Float](repeating: .nan, count: store.count)
        }
        _modify {
            if let store { memory = (try? Channel.readAll(store)) ?? [Float](repeating: .nan, count: store.count); self.store = nil }
            yield &memory
        }
        set {
            memory = newValue
            store = nil
        }
    }

    /// Whether the samples stay in a file (`store`) instead of memory.
    public var isFileBacked: Bool { store != nil }

    /// The number of samples, without reading them.
    public var sampleCount: Int { store?.count ?? memory.count }

    /// The channel with its samples in memory; throws when they do not fit or cannot be read.
    public func materialized() throws -> Channel {
        guard let store else { return self }
        try MemoryBudget.check(values: Double(store.count), bytesPerValue: 4, for: "reading \(name) (kept in \(store.origin)) into memory",
                               hint: "crop the span you need first (crop REC from=... to=... as PART) or use a command that streams (stats, envelope, filter, plot, export)")
        var copy = self
        copy.memory = try Channel.readAll(store)
        copy.store = nil
        return copy
    }

    /// Samples `range` (indices into the channel), read from memory or the store.
    public func samples(in range: Range<Int>) throws -> [Float] {
        guard let store else { return Array(memory[range]) }
        return try [Float](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            try store.read(range, into: buffer)
            initialized = range.count
        }
    }

    /// Calls `body` with the samples of `range` (default all) in consecutive blocks of at most
    /// `blockSize`, each with the index of its first sample; a block's pointer is valid only
    /// during the call.
    public func forEachBlock(in range: Range<Int>? = nil, blockSize: Int = 1 << 16,
                             _ body: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        let range = range ?? 0..<sampleCount
        guard let store else {
            try memory.withUnsafeBufferPointer { all in
                for start in stride(from: range.lowerBound, to: range.upperBound, by: blockSize) {
                    try body(start, UnsafeBufferPointer(rebasing: all[start..<min(start + blockSize, range.upperBound)]))
                }
            }
            return
        }
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: min(blockSize, max(range.count, 1)))
        defer { buffer.deallocate() }
        WorkProgress.expect(range.count)
        for start in stride(from: range.lowerBound, to: range.upperBound, by: blockSize) {
            try Cancellation.check()
            let block = start..<min(start + blockSize, range.upperBound)
            let view = UnsafeMutableBufferPointer(rebasing: buffer[0..<block.count])
            try store.read(block, into: view)
            try body(start, UnsafeBufferPointer(view))
            WorkProgress.advance(block.count)
        }
    }

    private static func readAll(_ store: any SampleStore) throws -> [Float] {
        try [Float](unsafeUninitializedCapacity: store.count) { buffer, initialized in
            let step = 1 << 20
            for start in stride(from: 0, to: store.count, by: step) {
                let block = start..<min(start + step, store.count)
                try store.read(block, into: UnsafeMutableBufferPointer(rebasing: buffer[block]))
            }
            initialized = store.count
        }
    }

    public var kind: ChannelKind { declaredKind ?? ChannelKind.classify(name: name, unit: unit) }
    public var durationSeconds: Double { Double(sampleCount) / sampleRateHz }
    public var endTimeSeconds: Double { startTimeSeconds + durationSeconds }

    /// Indices of the samples whose time t satisfies from <= t < to (times in s, clamped).
    public func sampleRange(fromSeconds: Double?, toSeconds: Double?) -> Range<Int> {
        let count = sampleCount
        // Clamped in floating point first, so infinite times select to the ends instead of trapping.
        func index(_ seconds: Double) -> Int {
            let position = ((seconds - startTimeSeconds) * sampleRateHz).rounded(.up)
            return position.isNaN ? 0 : Int(min(max(position, -1), Double(count) + 1))
        }
        let first = fromSeconds.map(index) ?? 0
        let last = toSeconds.map(index) ?? count
        let lower = min(max(first, 0), count)
        let upper = min(max(last, lower), count)
        return lower..<upper
    }
}
