import MyoCore

/// Writes channels as CSV: header `time (s),NAME (unit),...`, one row per sample of the fastest
/// channel. Slower channels whose rate divides the fastest one are written every k-th row with
/// empty cells between, the layout `CSVReader` reads back as channels of their own rate.
public enum CSVWriter {
    public static func write(_ channels: [Channel], to path: String) throws {
        guard let fastest = channels.map(\.sampleRateHz).max() else {
            throw MyoError.other("nothing to write to \(path): no channels selected")
        }
        let start = channels[0].startTimeSeconds
        var steps: [Int] = []
        for channel in channels {
            let ratio = fastest / channel.sampleRateHz
            guard abs(ratio - ratio.rounded()) < 1e-9 else {
                throw MyoError.other("\(channel.name) at \(NumberFormat.quantity(channel.sampleRateHz, "Hz")) cannot share a CSV with channels at \(NumberFormat.quantity(fastest, "Hz")): the ratio of rates is not a whole number; export it separately or resample it")
            }
            guard abs(channel.startTimeSeconds - start) < 0.5 / fastest else {
                throw MyoError.other("\(channel.name) starts at \(NumberFormat.quantity(channel.startTimeSeconds, "s")), not at \(NumberFormat.quantity(start, "s")) like \(channels[0].name); channels in one CSV must share their start time")
            }
            steps.append(Int(ratio.rounded()))
        }
        let rows = zip(channels, steps).map { $0.samples.count * $1 - ($1 - 1) }.max() ?? 0
        let decimals = timeDecimals(sampleRateHz: fastest)
        try AtomicFile.write(to: path) { sink in
            var header = "time (s)"
            for channel in channels { header += "," + (channel.unit.isEmpty ? channel.name : "\(channel.name) (\(channel.unit))") }
            try sink.write(header + "\n")
            var line: [UInt8] = []
            line.reserveCapacity(32 * (channels.count + 1))
            var block: [UInt8] = []
            block.reserveCapacity(1 << 20)
            for row in 0..<rows {
                if row & 0xFFFF == 0 { try Cancellation.check() }
                line.removeAll(keepingCapacity: true)
                appendFixed(start + Double(row) / fastest, decimals: decimals, to: &line)
                for (channel, step) in zip(channels, steps) {
                    line.append(UInt8(ascii: ","))
                    if row % step == 0, row / step < channel.sampleCount {
                        line.append(contentsOf: channel.samples[row / step].description.utf8)
                    }
                }
                line.append(10)
                block.append(contentsOf: line)
                if block.count >= 1 << 20 { try sink.append(block); block.removeAll(keepingCapacity: true) }
            }
            try sink.append(block)
        }
    }

    /// Decimals needed to print times of this rate exactly (0.0005 s at 2000 Hz needs 4), at most 9.
    public static func timeDecimals(sampleRateHz: Double) -> Int {
        let period = 1 / sampleRateHz
        for decimals in 0...9 {
            let scaled = period * pow10(decimals)
            if abs(scaled - scaled.rounded()) < 1e-6 { return decimals }
        }
        return 9
    }

    /// Appends `value` with exactly `decimals` decimals, through integer arithmetic.
    static func appendFixed(_ value: Double, decimals: Int, to out: inout [UInt8]) {
        let ticks = (value * pow10(decimals)).rounded()
        var magnitude = UInt64(abs(ticks))
        if ticks < 0 { out.append(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        while digits.count <= decimals { digits.append(UInt8(ascii: "0")) }
        for index in stride(from: digits.count - 1, through: 0, by: -1) {
            out.append(digits[index])
            if index == decimals, decimals > 0 { out.append(UInt8(ascii: ".")) }
        }
    }

    static func pow10(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Writes a result table as CSV, header cells `name (unit)`; missing cells are empty.
    public static func write(_ table: ResultTable, to path: String) throws {
        var text = table.columns.map { quote($0.unit.isEmpty ? $0.name : "\($0.name) (\($0.unit))") }.joined(separator: ",") + "\n"
        for row in table.rows {
            text += row.map { cell -> String in
                switch cell {
                case .missing: return ""
                case .number(let value): return value.isFinite ? "\(value)" : ""
                default: return quote(cell.formatted)
                }
            }.joined(separator: ",") + "\n"
        }
        try AtomicFile.write(text, to: path)
    }

    /// A CSV cell: quoted (inner quotes doubled) when it holds a comma, a quote or a newline.
    public static func quote(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
