import MyoCore

/// Two checks every load runs, because they show a channel carries no usable signal: a
/// constant channel (an unused input or a disconnected electrode) and an EMG channel that sits
/// at its extreme values (the amplifier's rails) for at least 5% of its samples (checked from
/// 1000 samples on). The signal
/// quality plugin grades channels in depth; these only make sure nobody misses the obvious.
public enum LoadScreen {
    public static let railFractionLimit = 0.05

    public static func warnings(for recording: Recording, path: String) -> [String] {
        var constant: [String] = []
        var warnings: [String] = []
        for channel in recording.channels where !channel.samples.isEmpty {
            var low = Float.infinity, high = -Float.infinity
            for value in channel.samples where !value.isNaN { low = min(low, value); high = max(high, value) }
            guard low.isFinite else { continue }
            if low == high { constant.append(channel.name); continue }
            guard channel.kind == .emg, channel.samples.count >= 1000 else { continue }
            var atRails = 0
            for value in channel.samples where value == low || value == high { atRails += 1 }
            let fraction = Double(atRails) / Double(channel.samples.count)
            if fraction >= railFractionLimit {
                warnings.append("\(path): \(channel.name) sits at its extremes (\(NumberFormat.significant(Double(low), digits: 4)) / \(NumberFormat.significant(Double(high), digits: 4)) \(channel.unit)) in \(NumberFormat.fixed(fraction * 100, decimals: 1))% of its samples: saturated or corrupt")
            }
        }
        if !constant.isEmpty {
            let shown = constant.prefix(8).joined(separator: ", ") + (constant.count > 8 ? ", ... (\(constant.count - 8) more)" : "")
            warnings.insert("\(path): \(constant.count) constant channel\(constant.count == 1 ? "" : "s") (no signal): \(shown)", at: 0)
        }
        return warnings
    }
}
