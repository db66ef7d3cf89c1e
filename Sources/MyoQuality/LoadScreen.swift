import Dispatch
import MyoCore

/// Two checks every load runs (the shell calls `apply` after reading a file), because they show a channel carries no usable signal: a
/// constant channel (an unused input or a disconnected electrode) and an EMG channel that sits
/// at its extreme values (the amplifier's rails) for at least 5% of its samples (checked from
/// 1000 samples on). The signal
/// quality plugin grades channels in depth; these only make sure nobody misses the obvious.
public enum LoadScreen {
    public static let railFractionLimit = 0.05

    /// Per channel: the finite extremes and how many samples sit at them.
    private struct Extremes {
        var low = Float.infinity, high = -Float.infinity, lowCount = 0, highCount = 0
        var atRails: Int { lowCount + (high != low ? highCount : 0) }

        /// The extremes of two spans one after the other.
        func merged(_ other: Extremes) -> Extremes {
            var result = Extremes(low: min(low, other.low), high: max(high, other.high))
            result.lowCount = (low == result.low ? lowCount : 0) + (other.low == result.low ? other.lowCount : 0)
            result.highCount = (high == result.high ? highCount : 0) + (other.high == result.high ? other.highCount : 0)
            return result
        }
    }

    /// A channel's extremes, block by block when its samples stay in a file.
    private static func extremes(_ channel: Channel) -> Extremes {
        var result = Extremes()
        do {
            try channel.forEachBlock(blockSize: 1 << 20) { _, block in result = result.merged(extremes(block)) }
        } catch {
            return Extremes()   // unreadable or cancelled: nothing to say about it
        }
        return result
    }

    /// One pass over the samples, eight lanes at a time: each lane keeps its own extremes and how
    /// often it has met them (a new extreme restarts the count); the samples after the last whole
    /// group of eight go to the lanes one by one, and the lanes are merged at the end. NaN never
    /// compares below, above or equal, so gaps are ignored.
    private static func extremes(_ buffer: UnsafeBufferPointer<Float>) -> Extremes {
        do {
            typealias Lanes = SIMD8<Float>
            var low = Lanes(repeating: .infinity), high = Lanes(repeating: -.infinity)
            var lowCount = SIMD8<Int32>.zero, highCount = SIMD8<Int32>.zero
            let one = SIMD8<Int32>.one
            let whole = buffer.count / Lanes.scalarCount * Lanes.scalarCount
            if let base = buffer.baseAddress {
                let raw = UnsafeRawPointer(base)
                for offset in stride(from: 0, to: whole, by: Lanes.scalarCount) {
                    let value = raw.loadUnaligned(fromByteOffset: offset * 4, as: Lanes.self)
                    let below = value .< low, above = value .> high
                    low.replace(with: value, where: below)
                    high.replace(with: value, where: above)
                    lowCount.replace(with: 0, where: below)
                    highCount.replace(with: 0, where: above)
                    lowCount &+= one.replacing(with: 0, where: value .!= low)
                    highCount &+= one.replacing(with: 0, where: value .!= high)
                }
            }
            for (lane, value) in buffer[whole...].enumerated() {
                if value < low[lane] { low[lane] = value; lowCount[lane] = 0 }
                if value > high[lane] { high[lane] = value; highCount[lane] = 0 }
                if value == low[lane] { lowCount[lane] += 1 }
                if value == high[lane] { highCount[lane] += 1 }
            }
            var result = Extremes(low: low.min(), high: high.max())
            for lane in 0..<Lanes.scalarCount {
                if low[lane] == result.low { result.lowCount += Int(lowCount[lane]) }
                if high[lane] == result.high { result.highCount += Int(highCount[lane]) }
            }
            return result
        }
    }

    /// Channels with no usable signal, with the reason in words: constant channels, and EMG
    /// channels at their extremes for at least 5 % of their samples.
    public static func badChannels(of recording: Recording) -> [(String, String)] {
        let channels = recording.channels
        var found = [Extremes](repeating: Extremes(), count: channels.count)
        found.withUnsafeMutableBufferPointer { results in
            DispatchQueue.concurrentPerform(iterations: channels.count) { index in results[index] = extremes(channels[index]) }
        }
        var bad: [(String, String)] = []
        for (channel, extremes) in zip(channels, found) where channel.sampleCount > 0 {
            let low = extremes.low, high = extremes.high
            guard low.isFinite else { continue }
            if low == high { bad.append((channel.name, "constant at \(NumberFormat.significant(Double(low), digits: 4))\(channel.unit.isEmpty ? "" : " " + channel.unit): no signal")); continue }
            guard channel.kind == .emg, channel.sampleCount >= 1000 else { continue }
            let fraction = Double(extremes.atRails) / Double(channel.sampleCount)
            if fraction >= railFractionLimit {
                bad.append((channel.name, "sits at its extremes (\(NumberFormat.significant(Double(low), digits: 4)) / \(NumberFormat.significant(Double(high), digits: 4)) \(channel.unit)) in \(NumberFormat.fixed(fraction * 100, decimals: 1))% of its samples: saturated or corrupt"))
            }
        }
        return bad
    }

    /// Screens a recording just read: marks its bad channels and returns the warning `load`
    /// prints, if any. The shell runs it on every recording it loads.
    public static func apply(to recording: inout Recording, path: String) -> String? {
        let bad = badChannels(of: recording)
        for (name, reason) in bad { recording.badChannels[name] = reason }
        return warning(bad, path: path)
    }

    /// The one line `load` prints when any channel is bad, naming each and why.
    public static func warning(_ bad: [(String, String)], path: String) -> String? {
        guard !bad.isEmpty else { return nil }
        let shown = bad.prefix(8).map { "\($0.0) \($0.1)" }.joined(separator: "; ") + (bad.count > 8 ? "; ... (\(bad.count - 8) more)" : "")
        return "\(path): \(bad.count) bad channel\(bad.count == 1 ? "" : "s") (graded bad; results on them are flagged): \(shown)"
    }
}
