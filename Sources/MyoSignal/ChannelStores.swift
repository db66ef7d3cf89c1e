import MyoCore
import MyoFiles

/// A channel's samples as a block engine source, from memory or from its store.
public struct ChannelSamples: SampleSource {
    public let channel: Channel
    public init(_ channel: Channel) { self.channel = channel }
    public var count: Int { channel.sampleCount }
    public func read(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Double>) throws {
        guard let store = channel.store else { return try FloatSamples(channel.samples).read(range, into: buffer) }
        let floats = UnsafeMutableBufferPointer<Float>.allocate(capacity: range.count)
        defer { floats.deallocate() }
        try store.read(range, into: floats)
        for i in 0..<range.count { buffer[i] = Double(floats[i]) }
    }
}

/// Float32 samples in an unlinked scratch file (a result too large to keep in memory), read back
/// block by block; the file's space returns to the disk when the last channel using it goes.
public final class ScratchSamples: SampleStore, @unchecked Sendable {
    private let file: ScratchFile
    public let count: Int
    public var origin: String { "a scratch file in \(file.folder)" }

    init(file: ScratchFile, count: Int) {
        self.file = file
        self.count = count
    }

    public func read(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= count && buffer.count == range.count)
        try file.read(into: UnsafeMutableRawPointer(buffer.baseAddress!), count: range.count * 4, at: range.lowerBound * 4)
    }
}

/// A sink that writes results as Float32 to a scratch file, a block at a time; `finish` gives
/// them as a store. A full disk is one sentence and the partial file disappears with the sink.
public final class ScratchCollector: SampleSink {
    private let file: ScratchFile
    private var written = 0
    private var pending: [Float] = []

    public init(folder: String = ScratchFile.folder) throws {
        file = try ScratchFile(folder: folder)
        pending.reserveCapacity(1 << 16)
    }

    public func append(_ values: UnsafeBufferPointer<Double>) throws {
        for value in values {
            pending.append(Float(value))
            if pending.count == 1 << 16 { try flush() }
        }
    }

    private func flush() throws {
        try pending.withUnsafeBytes { try file.write($0.baseAddress!, count: $0.count, at: written * 4) }
        written += pending.count
        pending.removeAll(keepingCapacity: true)
    }

    public func finish() throws -> ScratchSamples {
        if !pending.isEmpty { try flush() }
        return ScratchSamples(file: file, count: written)
    }

    /// Results of a run: in a scratch file when the inputs stay in files or the results together
    /// would pass `MemoryBudget.keptInMemoryUpTo`, in memory otherwise.
    public static func wantedFor(_ inputs: [Channel]) -> Bool {
        inputs.contains(where: \.isFileBacked) || Double(inputs.reduce(0) { $0 + $1.sampleCount }) * 4 > MemoryBudget.keptInMemoryUpTo
    }
}

extension SignalChain {
    /// Applies the chain to every channel (each at least `minimumLength` long) and returns the
    /// results as channels with the inputs' names, units, rates and start times: in memory, or in
    /// scratch files when `ScratchCollector.wantedFor` says so (day-long inputs).
    public func apply(to channels: [Channel], engine: BlockEngine = BlockEngine()) throws -> [Channel] {
        for channel in channels where channel.sampleCount < minimumLength {
            throw MyoError.other("\(channel.name) has \(channel.sampleCount) samples; this processing needs more than \(padding) (the zero-phase filters' edge padding)")
        }
        if ScratchCollector.wantedFor(channels) {
            // A day's lane stores go to scratch files too: each worker keeps at most 192 MiB in
            // memory, so the run's peak stays far below 1.5 GB whatever the length.
            var engine = engine
            engine.memoryLimitBytes = min(engine.memoryLimitBytes ?? Int.max, 192 << 20)
            let folder = engine.scratchFolder ?? ScratchFile.folder
            let sinks = try channels.map { _ in try ScratchCollector(folder: folder) }
            try engine.run(self, sources: channels.map(ChannelSamples.init), sinks: sinks)
            return try zip(channels, sinks).map { channel, sink in
                var result = Channel(name: channel.name, unit: channel.unit, sampleRateHz: channel.sampleRateHz, startTimeSeconds: channel.startTimeSeconds, store: try sink.finish())
                result.declaredKind = channel.declaredKind
                return result
            }
        }
        let sinks = channels.map { FloatCollector(capacity: $0.sampleCount) }
        try engine.run(self, sources: channels.map(ChannelSamples.init), sinks: sinks)
        return zip(channels, sinks).map { channel, sink in
            var result = Channel(name: channel.name, unit: channel.unit, sampleRateHz: channel.sampleRateHz, startTimeSeconds: channel.startTimeSeconds, samples: sink.samples)
            result.declaredKind = channel.declaredKind
            return result
        }
    }
}
