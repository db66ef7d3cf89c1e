import MyoCore

/// Reads Delsys Trigno CSV exports, where every channel has its own time column because EMG,
/// accelerometer and gyroscope run at different rates.
///
/// Two layouts are recognised:
/// - Trigno Discover: a preamble (`Application:`, `Date/Time:`, `Collection Length (seconds):`),
///   a row of sensor names, a row of sensor modes, the channel row
///   (`EMG 1 Time Series (s), EMG 1 (mV), ACC X Time Series (s), ACC X (G), ...`), a row of
///   rates (`, 1259.2593 Hz, ...`) and a row of sample periods, then the data.
/// - Trigno Discover without time columns (1.5 to 1.7 and 2.x): sensor row, sensor-mode row,
///   the channel row (`EMG 1 (mV), ACC X (G), ...`) and a row of rates (`1925.9259 Hz`), then the
///   data; each channel's samples start at 0 s at its own rate.
/// - Trigno Discover 1.4: the same without units and without a rate row; the rate is part of the
///   channel cell (`EMG 1 (1259Hz)`), rounded to whole hertz. Every rate a Trigno system runs at is
///   a whole multiple of 1000/27 Hz (1259.2593 = 34 x 1000/27, 148.1481 = 4 x 1000/27, 1925.9259,
///   2222.2222, 518.5185, 74.0741 in the later exports), so a whole-hertz rate within 0.5 Hz of
///   such a multiple is read as that multiple, and the load says so.
/// Channels of Trigno link devices (VO2 Master, heart-rate straps) have no fixed rate (`-1 Hz`):
/// they are left out with a warning that names them, as MyoShell's channels are uniformly sampled.
/// - EMGworks / Trigno converter: optional preamble, then `X[s],LABEL: EMG 1,X[s],LABEL: ACC X 1,...`.
///   Its preamble lines `Label: Mini sensor 10: EMG 10 Sampling frequency: 1.259259e+003 Number of
///   points: 81141 start: 0.000000e+000 Unit: V Domain Unit: s` give each channel's unit (the
///   header row has none), its exact rate and its length (a file that holds fewer points is
///   reported as cut short).
/// A channel's rate is taken from the rate row when present, otherwise from its time column
/// (which must be uniform); each column ends at its first empty cell.
enum DelsysReader {
    static func isTimeHeader(_ cell: String) -> Bool {
        let lower = cell.lowercased().trimmingCharacters(in: [" ", "\""])
        return lower == "x[s]" || lower == "x [s]" || lower == "x[ms]" || lower.hasSuffix("time series (s)")
    }

    static func looksLikeDelsys(_ lines: [String]) -> Bool {
        lines.contains { line in line.split(separator: ",").contains { isTimeHeader(String($0)) } }
            || (lines.contains { $0.lowercased().hasPrefix("sensor mode") || $0.lowercased().contains(",sensor mode") }
                && lines.contains { isRateRow(csvCells($0)) || isRatedChannelRow(csvCells($0)) })
    }

    /// A Trigno Discover 1.4 channel row: every non-empty cell `NAME (1259Hz)`, at least one.
    static func isRatedChannelRow(_ cells: [String]) -> Bool {
        let filled = cells.filter { !$0.isEmpty }
        return !filled.isEmpty && filled.allSatisfy { ratedChannel($0) != nil }
    }

    /// `EMG 1 (1259Hz)` -> (`EMG 1`, 1259); nil for any other cell.
    static func ratedChannel(_ cell: String) -> (name: String, rate: Double)? {
        guard cell.hasSuffix("Hz)"), let open = cell.lastIndex(of: "(") else { return nil }
        let inside = cell[cell.index(after: open)..<cell.index(cell.endIndex, offsetBy: -3)].trimmingCharacters(in: [" "])
        let name = cell[..<open].trimmingCharacters(in: [" "])
        guard !name.isEmpty, let rate = Double(inside), rate.isFinite else { return nil }
        return (name, rate)
    }

    /// The Trigno rate a whole-hertz rate was rounded from: the multiple of 1000/27 Hz within
    /// 0.5 Hz of it, or nil when there is none (then the written rate stands).
    static func trignoRate(roundedFrom rate: Double) -> Double? {
        let exact = (rate * 27 / 1000).rounded() * 1000 / 27
        return abs(exact - rate) < 0.5 && exact != rate ? exact : nil
    }

    /// A Trigno Discover rate row: every non-empty cell `1925.9259 Hz`, at least one.
    static func isRateRow(_ cells: [String]) -> Bool {
        let filled = cells.filter { !$0.isEmpty }
        return !filled.isEmpty && filled.allSatisfy { $0.hasSuffix(" Hz") && Double($0.dropLast(3)) != nil }
    }

    static func csvCells(_ line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: [" ", "\""]) }
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        var scanner = LineScanner(bytes: bytes)
        var preamble: [[String]] = []
        var headerCells: [String] = []
        var headerNumber = 0
        var rateRow: [String]?
        while let line = scanner.nextRawLine() {
            let cells = CSVReader.splitCells(bytes, line.start, line.end, delimiter: UInt8(ascii: ",")).map { CSVReader.text(bytes, $0.0, $0.1, limit: 200).trimmingCharacters(in: [" ", "\""]) }
            if cells.contains(where: isTimeHeader) { headerCells = cells; headerNumber = line.number; break }
            // Discover exports without time columns: the channel row is the one before the rates.
            if isRateRow(cells), let channelRow = preamble.popLast() {
                headerCells = channelRow
                headerNumber = line.number - 1
                rateRow = cells
                break
            }
            // Trigno Discover 1.4: rates inside the channel cells, after a sensor-mode row.
            if isRatedChannelRow(cells), preamble.last?.first?.lowercased().hasPrefix("sensor mode") == true {
                headerCells = cells
                headerNumber = line.number
                break
            }
            preamble.append(cells)
            if line.number > 50 { break }
        }
        guard !headerCells.isEmpty else {
            throw MyoError.badLine(file: path, line: 1, column: nil, expected: "a Delsys channel row with time columns ('X[s]' or '... Time Series (s)') or followed by a row of rates ('1925.9259 Hz')", found: "none in the first 50 lines")
        }
        // Sensor names: the last preamble row that is not a mode row or a key:value line.
        var sensorNames = [String](repeating: "", count: headerCells.count)
        if let row = preamble.last(where: { row in
            let first = row.first ?? ""
            return !first.lowercased().hasPrefix("sensor mode") && !first.hasSuffix(":") && row.filter { !$0.isEmpty }.count >= 1 && row.count > 1
        }) {
            var current = ""
            for index in sensorNames.indices {
                if index < row.count, !row[index].isEmpty { current = stripSerial(row[index]) }
                sensorNames[index] = current
            }
        }
        // Rate and period rows after the channel row; then data rows.
        var rates = [Double?](repeating: nil, count: headerCells.count)
        let declared = Dictionary(preamble.compactMap { $0.count == 1 ? labelLine($0[0]) : nil }.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, header) in headerCells.enumerated() { if let line = declared[header] { rates[index] = line.rate } }
        for (index, text) in (rateRow ?? []).enumerated() where index < rates.count && text.hasSuffix(" Hz") { rates[index] = Double(text.dropLast(3)) }
        var roundedRates: [String] = []
        for (index, cell) in headerCells.enumerated() {
            guard let rated = ratedChannel(cell) else { continue }
            headerCells[index] = rated.name
            rates[index] = rated.rate
            if rated.rate == rated.rate.rounded(), let exact = trignoRate(roundedFrom: rated.rate) {
                rates[index] = exact
                let text = "\(Int(rated.rate)) Hz as \(formatRate(exact)) Hz"
                if !roundedRates.contains(text) { roundedRates.append(text) }
            }
        }
        var columns = [[Double]](repeating: [], count: headerCells.count)
        var ended = [Bool](repeating: false, count: headerCells.count)
        var rowNumber = 0
        var firstDataLine = 0
        while let line = scanner.nextRawLine() {
            if rowNumber & 0xFFFF == 0 { try Cancellation.check() }
            let cells = CSVReader.splitCells(bytes, line.start, line.end, delimiter: UInt8(ascii: ","))
            if rowNumber == 0 {
                let texts = cells.map { CSVReader.text(bytes, $0.0, $0.1).trimmingCharacters(in: [" "]) }
                if texts.contains(where: { $0.hasSuffix(" Hz") }) {
                    for (index, text) in texts.enumerated() where index < rates.count && text.hasSuffix(" Hz") { rates[index] = Double(text.dropLast(3)) }
                    continue
                }
                if texts.contains(where: { $0.hasSuffix(" s") && Double($0.dropLast(2)) != nil }) { continue }
                if texts.allSatisfy(\.isEmpty) { continue }
            }
            if firstDataLine == 0 { firstDataLine = line.number }
            for (index, cell) in cells.enumerated() where index < columns.count {
                var start = cell.0, end = cell.1
                while start < end, bytes[start] == 32 { start += 1 }
                while end > start, bytes[end - 1] == 32 { end -= 1 }
                if start == end { ended[index] = true; continue }
                guard let value = DecimalParser.parse(bytes, start, end), value.isFinite else {
                    throw MyoError.badLine(file: path, line: line.number, column: headerCells[index], expected: "a number", found: "'\(CSVReader.text(bytes, start, end))'")
                }
                guard !ended[index] else {
                    throw MyoError.badLine(file: path, line: line.number, column: headerCells[index], expected: "no more values after the column's first empty cell", found: "'\(CSVReader.text(bytes, start, end))'")
                }
                columns[index].append(value)
            }
            for index in cells.count..<max(cells.count, columns.count) { ended[index] = true }
            rowNumber += 1
        }
        var channels: [Channel] = []
        var warnings: [String] = []
        if !roundedRates.isEmpty {
            warnings.append("\(path): this export writes rates in whole hertz; read \(roundedRates.joined(separator: ", ")) (the Trigno rates they round, multiples of 1000/27 Hz)")
        }
        var irregular: [String] = []
        var timeIndex: Int?
        for (index, header) in headerCells.enumerated() {
            if isTimeHeader(header) { timeIndex = index; continue }
            guard !header.isEmpty else { continue }
            if let rate = rates[index], rate <= 0 {
                irregular.append(sensorNames[index].isEmpty ? HeaderCell(parsing: header).name : "\(sensorNames[index]): \(HeaderCell(parsing: header).name)")
                continue
            }
            let values = columns[index]
            guard !values.isEmpty else { continue }
            guard let time = timeIndex else {
                // No time columns: the rate row gives each channel's rate; samples start at 0 s.
                guard let fs = rates[index], fs > 0 else {
                    throw MyoError.badLine(file: path, line: headerNumber + 1, column: header, expected: "a rate such as '1925.9259 Hz' (this export has no time columns)", found: "none")
                }
                channels.append(try channel(path, header: header, sensor: sensorNames[index], fs: fs, start: 0, values: values))
                continue
            }
            let times = columns[time]
            guard times.count >= values.count else {
                throw MyoError.badLine(file: path, line: firstDataLine + times.count, column: headerCells[time], expected: "a time for every value of \(header)", found: "an empty cell")
            }
            let factor = header.lowercased().contains("[ms]") ? 1e-3 : 1
            var rate = rates[index]
            if rate == nil {
                guard values.count >= 2 else {
                    throw MyoError.badLine(file: path, line: firstDataLine, column: header, expected: "at least two samples or a rate row", found: "one sample")
                }
                let period = (times[values.count - 1] - times[0]) / Double(values.count - 1) * factor
                if let broken = TimeColumn.firstBreak(Array(times.prefix(values.count)), factor: factor) {
                    throw MyoError.badLine(file: path, line: firstDataLine + broken.row, column: headerCells[time], expected: broken.expected, found: broken.found)
                }
                rate = 1 / period
            }
            guard let fs = rate, fs > 0 else {
                throw MyoError.badLine(file: path, line: headerNumber + 1, column: header, expected: "a positive rate", found: "\(rate ?? 0)")
            }
            var made = try channel(path, header: header, sensor: sensorNames[index], fs: fs, start: times[0] * factor, values: values)
            if let line = declared[header] {
                if made.unit.isEmpty { made.unit = line.unit == "°/s" ? "deg/s" : line.unit }
                if values.count < line.points {
                    warnings.append("\(path): \(header) holds \(values.count) of the \(line.points) points its preamble declares (an export cut short?)")
                }
            }
            channels.append(made)
        }
        if !irregular.isEmpty {
            warnings.append("\(path): left out \(irregular.count) channel\(irregular.count == 1 ? "" : "s") without a fixed rate ('-1 Hz', Trigno link devices): \(irregular.prefix(3).joined(separator: ", "))\(irregular.count > 3 ? " and \(irregular.count - 3) more" : "")")
        }
        if let line = unitWarning(channels, path: path, recording: request.name, emgworks: headerCells.contains { $0.lowercased().hasPrefix("x[") }) {
            warnings.append(line)
        }
        guard !channels.isEmpty else {
            throw MyoError.badLine(file: path, line: headerNumber, column: nil, expected: "value columns after the time columns", found: "none with data")
        }
        return LoadResult(object: .recording(Recording(name: request.name, channels: channels, provenance: provenance)), warnings: Array(warnings.prefix(3)) + (warnings.count > 3 ? ["... and \(warnings.count - 3) more channels cut short"] : []))
    }

    /// Channels without a unit, with the `units` commands that state them: EMG and EKG in mV as
    /// Trigno Discover writes them from 1.5 on (volts for EMGworks, its default), ACC in g, GYRO
    /// in deg/s. Nil when every channel has a unit.
    static func unitWarning(_ channels: [Channel], path: String, recording: String, emgworks: Bool) -> String? {
        let unitless = channels.filter(\.unit.isEmpty)
        guard !unitless.isEmpty else { return nil }
        let kinds: [(prefix: String, unit: String)] = [("EMG", emgworks ? "V" : "mV"), ("EKG", emgworks ? "V" : "mV"), ("ACC", "g"), ("GYRO", "deg/s")]
        let commands = kinds.filter { kind in
            unitless.contains { String($0.name.split(separator: ":").last ?? "").trimmingCharacters(in: [" "]).hasPrefix(kind.prefix) }
        }.map { "units \"\(recording).*: \($0.prefix)*\" \($0.unit)" }
        let source = emgworks ? "EMGworks writes none; its EMG is in volts unless set otherwise" : "Trigno Discover 1.4 writes none; later versions write EMG in mV, ACC in g, GYRO in deg/s"
        return "\(path): \(unitless.count) channel\(unitless.count == 1 ? " has" : "s have") no unit (\(source)); state them before measuring"
            + (commands.isEmpty ? " with units" : ": " + commands.joined(separator: "; "))
    }

    /// `1259.2592592` -> `1259.2593`.
    static func formatRate(_ rate: Double) -> String {
        EDFWriter.trimZeros(NumberFormat.fixed(rate, decimals: 4))
    }

    /// An EMGworks preamble line: `Label: NAME Sampling frequency: F Number of points: N start: T
    /// Unit: U Domain Unit: s`; nil for any other line.
    static func labelLine(_ text: String) -> (label: String, rate: Double, points: Int, unit: String)? {
        guard text.hasPrefix("Label: "), let f = text.range(of: " Sampling frequency: "), let n = text.range(of: " Number of points: "),
              let t = text.range(of: " start: "), let u = text.range(of: " Unit: "), f.upperBound <= n.lowerBound, n.upperBound <= t.lowerBound, t.upperBound <= u.lowerBound else { return nil }
        let label = String(text[text.index(text.startIndex, offsetBy: 7)..<f.lowerBound])
        guard let rate = Double(text[f.upperBound..<n.lowerBound]), rate > 0, rate.isFinite, let points = Int(text[n.upperBound..<t.lowerBound]) else { return nil }
        let unitEnd = text.range(of: " Domain Unit:", range: u.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        return (label, rate, points, String(text[u.upperBound..<unitEnd]).trimmingCharacters(in: [" "]))
    }

    /// One channel from its header cell (`EMG 1 (mV)`, `ACC X (G)`) and sensor name.
    static func channel(_ path: String, header: String, sensor: String, fs: Double, start: Double, values: [Double]) throws -> Channel {
        let cell = HeaderCell(parsing: header)
        var unit = cell.unit
        if unit == "G" { unit = "g" }
        let name = sensor.isEmpty ? cell.name : "\(sensor): \(cell.name)"
        return try fileChannel(path, name: name, unit: unit, sampleRateHz: fs, startTimeSeconds: start, samples: values.map(Float.init))
    }

    /// `Avanti Sensor 1 (75923)` -> `Avanti Sensor 1`.
    static func stripSerial(_ name: String) -> String {
        guard name.hasSuffix(")"), let open = name.lastIndex(of: "("), name[name.index(after: open)..<name.index(before: name.endIndex)].allSatisfy(\.isNumber) else { return name }
        return name[..<open].trimmingCharacters(in: [" "])
    }
}
