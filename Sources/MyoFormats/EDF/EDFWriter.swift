import MyoCore

/// Writes channels and events as EDF+C (16-bit), read back by `EDFReader` and by other EDF tools.
///
/// Each signal's physical range is its data range rounded outwards to what fits the 8-character
/// header fields, mapped onto digital -32768...32767, so the quantisation step is range / 65535.
/// The data record lasts 1 s when every rate is a whole number of Hz (otherwise the shortest of
/// 0.1 s ... 10 s that holds a whole number of samples of every channel). Channels shorter than
/// the last record are padded with their last value; events go in an `EDF Annotations` signal.
/// Dates are written as EDF+'s "unknown" (01.01.85 00.00.00) so exports are reproducible.
public enum EDFWriter {
    public static let digitalMin = -32768
    public static let digitalMax = 32767

    /// Writes the file atomically and returns warnings (truncated labels, padding, NaNs).
    @discardableResult
    public static func write(_ channels: [Channel], events: [Event], to path: String) throws -> [String] {
        guard !channels.isEmpty else { throw MyoError.other("nothing to write to \(path): no channels selected") }
        let start = channels[0].startTimeSeconds
        for channel in channels where abs(channel.startTimeSeconds - start) > 0.5 / channel.sampleRateHz {
            throw MyoError.other("\(channel.name) starts at \(NumberFormat.quantity(channel.startTimeSeconds, "s")), not at \(NumberFormat.quantity(start, "s")) like \(channels[0].name); channels in one EDF file must share their start time")
        }
        guard let duration = recordDuration(for: channels.map(\.sampleRateHz)) else {
            let rates = channels.map { NumberFormat.quantity($0.sampleRateHz, "Hz") }.joined(separator: ", ")
            throw MyoError.other("EDF needs a whole number of samples of every channel in each data record, and no record length from 0.001 s to 10 s fits the rates \(rates); resample the channels first (resample ... fs=)")
        }
        var warnings: [String] = []
        let perRecord = channels.map { Int(($0.sampleRateHz * duration).rounded()) }
        let recordCount = max(1, zip(channels, perRecord).map { ($0.sampleCount + $1 - 1) / $1 }.max() ?? 1)
        let shifted = events.map { Event(timeSeconds: $0.timeSeconds, label: $0.label) }.sorted { $0.timeSeconds < $1.timeSeconds }
        var tals: [[UInt8]] = (0..<recordCount).map { record in Array("+\(timeText(Double(record) * duration))\u{14}\u{14}\u{0}".utf8) }
        for event in shifted {
            let record = min(max(Int((event.timeSeconds / duration).rounded(.down)), 0), recordCount - 1)
            let label = event.label.replacingBytes(below: 32, with: " ")
            tals[record] += Array("+\(timeText(event.timeSeconds))\u{14}\(label)\u{14}\u{0}".utf8)
        }
        let annotationSamples = ((tals.map(\.count).max() ?? 0) + 1) / 2

        var ranges: [(Double, Double)] = []
        for channel in channels {
            var low = Double.infinity, high = -Double.infinity, nans = 0
            // Block by block, so a channel kept in a file is never read whole.
            try channel.forEachBlock(blockSize: 1 << 18) { _, block in
                for value in block {
                    if value.isNaN { nans += 1; continue }
                    low = min(low, Double(value)); high = max(high, Double(value))
                }
            }
            if nans > 0 { warnings.append("\(channel.name): \(nans) NaN samples written as the physical minimum (EDF has no missing-value code)") }
            if !low.isFinite { low = -1; high = 1 }
            if high - low < 1e-12 * max(abs(low), 1) { low -= 1e-6 * max(abs(low), 1); high += 1e-6 * max(abs(high), 1) }
            ranges.append((outward(low, down: true), outward(high, down: false)))
            if channel.name.utf8.count > 16 { warnings.append("label \(channel.name) was cut to 16 characters, as EDF allows") }
        }
        let paddedCounts = zip(channels, perRecord).filter { $0.sampleCount < recordCount * $1 }
        if !paddedCounts.isEmpty {
            warnings.append("\(paddedCounts.map(\.0.name).joined(separator: ", ")) padded with their last value to fill \(recordCount) records of \(timeText(duration)) s")
        }

        let header = headerBytes(EDFLayout(labels: channels.map(\.name), units: channels.map(\.unit), ranges: ranges, perRecord: perRecord,
                                           annotationSamples: annotationSamples, recordDuration: duration, recordCount: recordCount, bytesPerSample: 2))

        try AtomicFile.write(to: path) { sink in
            try sink.append(header)
            var block: [UInt8] = []
            block.reserveCapacity((perRecord.reduce(0, +) + annotationSamples) * 2)
            // Samples come a run of records at a time per channel (from memory or the channel's
            // file), the last sample repeated past a channel's end.
            let recordsPerRun = 64
            var runs = perRecord.map { [Float](repeating: 0, count: $0 * recordsPerRun) }
            let lastValues = try channels.map { $0.sampleCount == 0 ? Float(0) : try $0.samples(in: $0.sampleCount - 1..<$0.sampleCount)[0] }
            for record in 0..<recordCount {
                if record % recordsPerRun == 0 {
                    try Cancellation.check()
                    for (index, channel) in channels.enumerated() {
                        let first = record * perRecord[index]
                        let available = max(0, min(first + runs[index].count, channel.sampleCount) - first)
                        let part = available > 0 ? try channel.samples(in: first..<first + available) : []
                        runs[index].withUnsafeMutableBufferPointer { run in
                            for i in 0..<run.count { run[i] = i < available ? part[i] : lastValues[index] }
                        }
                    }
                }
                block.removeAll(keepingCapacity: true)
                for index in channels.indices {
                    let (low, high) = ranges[index]
                    let scale = Double(digitalMax - digitalMin) / (high - low)
                    let offset = (record % recordsPerRun) * perRecord[index]
                    for sample in offset..<offset + perRecord[index] {
                        let value = Double(runs[index][sample])
                        let digital = value.isNaN ? digitalMin : min(max(Int(((value - low) * scale).rounded()) + digitalMin, digitalMin), digitalMax)
                        let bits = UInt16(bitPattern: Int16(digital))
                        block.append(UInt8(bits & 0xFF)); block.append(UInt8(bits >> 8))
                    }
                }
                var tal = tals[record]
                tal += [UInt8](repeating: 0, count: annotationSamples * 2 - tal.count)
                block += tal
                try sink.append(block)
            }
        }
        return warnings
    }

    /// The header of an EDF+C (2 bytes a sample) or BDF+C (3 bytes) file: signals, then the
    /// annotation signal. `recordCount` -1 means "still recording" (EDF's own convention).
    static func headerBytes(_ layout: EDFLayout) -> [UInt8] {
        let bdf = layout.bytesPerSample == 3
        let (digitalLow, digitalHigh) = bdf ? (-8_388_608, 8_388_607) : (digitalMin, digitalMax)
        let signalCount = layout.labels.count + 1
        var header = ""
        header += pad(bdf ? "_BIOSEMI" : "0", 8) + pad("X X X X", 80) + pad("Startdate X X X X myoshell", 80) + "01.01.8500.00.00"
        header += pad(String(256 * (signalCount + 1)), 8) + pad(bdf ? "BDF+C" : "EDF+C", 44) + pad(String(layout.recordCount), 8) + pad(timeText(layout.recordDuration), 8) + pad(String(signalCount), 4)
        let labels = layout.labels.map { String(decoding: Array($0.utf8.prefix(16)), as: UTF8.self) } + [bdf ? "BDF Annotations" : "EDF Annotations"]
        for label in labels { header += pad(label, 16) }
        for _ in labels { header += pad("", 80) }
        for unit in layout.units { header += pad(unit, 8) }
        header += pad("", 8)
        for range in layout.ranges { header += pad(numberText(range.0), 8) }
        header += pad("-1", 8)
        for range in layout.ranges { header += pad(numberText(range.1), 8) }
        header += pad("1", 8)
        for _ in labels { header += pad(String(digitalLow), 8) }
        for _ in labels { header += pad(String(digitalHigh), 8) }
        for _ in labels { header += pad("", 80) }
        for count in layout.perRecord { header += pad(String(count), 8) }
        header += pad(String(layout.annotationSamples), 8)
        for _ in labels { header += pad("", 32) }
        precondition(header.utf8.count == 256 * (signalCount + 1), "EDF header size")
        var bytes = Array(header.utf8)
        if bdf { bytes[0] = 0xFF }
        return bytes
    }

    /// Record durations for a file written at once: 1 s first, as most EDF tools expect.
    static let exportDurations = [1.0, 0.5, 0.25, 0.2, 0.1, 2, 4, 5, 10, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001]

    /// The first of `candidates` that holds a whole number of samples of every rate.
    static func recordDuration(for rates: [Double], candidates: [Double] = exportDurations) -> Double? {
        candidates.first { duration in
            rates.allSatisfy { rate in
                let count = rate * duration
                return count >= 1 && abs(count - count.rounded()) < 1e-9 * max(count, 1)
            }
        }
    }

    /// A value rounded outwards to the most precise text of at most 8 characters.
    static func outward(_ value: Double, down: Bool) -> Double {
        for decimals in stride(from: 7, through: 0, by: -1) {
            let scale = pow10(decimals)
            let rounded = (down ? (value * scale).rounded(.down) : (value * scale).rounded(.up)) / scale
            if NumberFormat.fixed(rounded, decimals: decimals).utf8.count <= 8 { return rounded }
        }
        return down ? -99_999_999 : 99_999_999
    }

    static func numberText(_ value: Double) -> String {
        for decimals in stride(from: 7, through: 0, by: -1) {
            let text = NumberFormat.fixed(value, decimals: decimals)
            if text.utf8.count <= 8, Double(text) == (value * pow10(decimals)).rounded() / pow10(decimals) { return trimZeros(text) }
        }
        return NumberFormat.fixed(value, decimals: 0)
    }

    /// Seconds without an exponent and without trailing zeros: `12.5`, `0.001`.
    static func timeText(_ seconds: Double) -> String { trimZeros(NumberFormat.fixed(seconds, decimals: 6)) }

    static func trimZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return trimmed == "-0" ? "0" : String(trimmed)
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// Left-aligned ASCII, padded with spaces or cut to `width` bytes.
    static func pad(_ text: String, _ width: Int) -> String {
        let ascii = String(decoding: Array(text.utf8.map { $0 < 32 || $0 > 126 ? UInt8(ascii: "_") : $0 }.prefix(width)), as: UTF8.self)
        return ascii + String(repeating: " ", count: width - ascii.utf8.count)
    }
}

/// What an EDF/BDF header describes: the signals (labels, units, physical ranges, samples per
/// record) and the records.
struct EDFLayout {
    var labels: [String]
    var units: [String]
    var ranges: [(Double, Double)]
    var perRecord: [Int]
    var annotationSamples: Int
    var recordDuration: Double
    var recordCount: Int
    var bytesPerSample: Int
}

extension String {
    func replacingBytes(below limit: UInt8, with replacement: Character) -> String {
        String(map { character in
            guard let ascii = character.asciiValue else { return character }
            return ascii < limit ? replacement : character
        })
    }
}
