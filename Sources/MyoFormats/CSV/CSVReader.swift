import MyoCore

/// Reads delimited text recordings: a header row, then one row per sample.
///
/// - Delimiter: comma, semicolon or tab, whichever the header holds most of.
/// - A UTF-8 byte-order mark and `#` comment lines are skipped.
/// - Units come from headers (`ES_L (mV)`, `ES_L[mV]`, `emg_mV`).
/// - A time column (`time`, `t`, `time_s`, `Time (s)`, ...) gives the sample rate, which must be
///   uniform; otherwise `fs=` must be given. With neither, the file loads as a table.
/// - A column that is filled only every k-th row (empty cells between) is a channel at fs/k,
///   which is how MyoShell writes recordings of several rates into one CSV.
public struct CSVReader {
    /// The path shown in messages (as the user typed it).
    public var displayPath: String
    /// Sample rate given by the user (`fs=`); required when there is no time column.
    public var sampleRateHz: Double?
    /// The 1-based line holding the header row; lines before it are a vendor's preamble.
    public var headerLine: Int
    /// Given by a caller reading from a memory map: drops byte ranges the parser is done with,
    /// so an hour-long file does not stay resident beside the samples parsed from it.
    public var releasePages: (@Sendable (Range<Int>) -> Void)?
    public var progress: LoadProgress?
    /// The build of the fast path for rows of plain numbers; the best this processor runs.
    public var kernel = CSVKernel.best

    public init(displayPath: String, sampleRateHz: Double? = nil, headerLine: Int = 1, releasePages: (@Sendable (Range<Int>) -> Void)? = nil,
                progress: LoadProgress? = nil) {
        self.displayPath = displayPath
        self.sampleRateHz = sampleRateHz
        self.headerLine = headerLine
        self.releasePages = releasePages
        self.progress = progress
    }

    public func read(_ bytes: UnsafeBufferPointer<UInt8>, name: String, provenance: Provenance) throws -> LoadResult {
        var scanner = LineScanner(bytes: bytes)
        while scanner.lineNumber < headerLine - 1, scanner.nextRawLine() != nil {}
        guard let header = scanner.nextContentLine() else {
            throw MyoError.badLine(file: displayPath, line: max(scanner.lineNumber, 1), column: nil, expected: "a header row", found: "no rows")
        }
        let delimiter = Self.detectDelimiter(bytes, header.start, header.end)
        let headerCells = Self.splitCells(bytes, header.start, header.end, delimiter: delimiter).map {
            HeaderCell(parsing: String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.0..<$0.1]), as: UTF8.self))
        }
        let columnCount = headerCells.count
        for (index, cell) in headerCells.enumerated() where cell.name.isEmpty {
            throw MyoError.badLine(file: displayPath, line: header.number, column: String(index + 1), expected: "a column name", found: "an empty header cell")
        }
        let timeColumn = headerCells.firstIndex { $0.timeFactorToSeconds != nil }
        if timeColumn == nil, sampleRateHz == nil {
            return LoadResult(object: .table(try readTable(bytes, scanner: &scanner, header: headerCells, delimiter: delimiter, provenance: provenance)),
                              warnings: ["\(displayPath) has no time column and no fs= was given, so it was loaded as a table, not as signals"])
        }
        let body = CSVBody(bytes: bytes, displayPath: displayPath, delimiter: delimiter, columnNames: headerCells.map(\.name),
                           timeColumn: timeColumn, releasePages: releasePages, progress: progress, kernel: kernel)
        var parsed = try body.parse(from: scanner.position, firstLine: scanner.lineNumber + 1)
        guard parsed.rowCount > 0 else {
            throw MyoError.badLine(file: displayPath, line: header.number, column: nil, expected: "data rows after the header", found: "none")
        }
        let rowLines = parsed.rowLines

        // Resolve the time base: a time column, or fs=, or neither (a table).
        var rate = sampleRateHz
        var startTime = 0.0
        if let column = timeColumn {
            let factor = headerCells[column].timeFactorToSeconds ?? 1
            if sampleRateHz == nil {
                let fs = try uniformRate(parsed, factor: factor, columnName: headerCells[column].name)
                rate = fs
            }
            startTime = (parsed.firstTime ?? 0) * factor
        }

        guard let fs = rate else { preconditionFailure("a time column or fs= decides the rate") }
        var channels: [Channel] = []
        for column in 0..<columnCount where column != timeColumn {
            let cell = headerCells[column]
            if parsed.hasEmpty[column] {
                let (step, samples) = try sparseColumn(parsed.columns[column], name: cell.name, rowLines: rowLines)
                channels.append(try fileChannel(displayPath, name: cell.name, unit: cell.unit, sampleRateHz: fs / Double(step), startTimeSeconds: startTime, samples: samples))
            } else {
                channels.append(try fileChannel(displayPath, name: cell.name, unit: cell.unit, sampleRateHz: fs, startTimeSeconds: startTime, samples: parsed.columns[column]))
            }
            parsed.columns[column] = []
        }
        guard !channels.isEmpty else {
            throw MyoError.badLine(file: displayPath, line: header.number, column: nil, expected: "at least one signal column besides time", found: "only a time column")
        }
        return LoadResult(object: .recording(Recording(name: name, channels: channels, provenance: provenance)))
    }

    /// The sample rate implied by a time column: strictly increasing, and every sample within a
    /// quarter of a sample period of the straight line from first to last (checked while parsing).
    private func uniformRate(_ parsed: CSVBody.Parsed, factor: Double, columnName: String) throws -> Double {
        let rowLines = parsed.rowLines
        switch parsed.timeProblem {
        case .missing(let row)?:
            throw MyoError.badLine(file: displayPath, line: rowLines.line(of: row), column: columnName, expected: "a time value", found: "an empty cell")
        case .notIncreasing(let row, let previous, let value)?:
            throw MyoError.badLine(file: displayPath, line: rowLines.line(of: row), column: columnName,
                                   expected: "a time after \(NumberFormat.significant(previous, digits: 10))",
                                   found: NumberFormat.significant(value, digits: 10) + " (time must increase)")
        case .irregular(let row, let value, let expected, let period)?:
            throw MyoError.badLine(file: displayPath, line: rowLines.line(of: row), column: columnName,
                                   expected: "a time of about \(NumberFormat.significant(expected, digits: 10)) (uniform steps of \(NumberFormat.significant(period * factor, digits: 6)) s from the first row)",
                                   found: NumberFormat.significant(value, digits: 10) + " (irregular time; resample it first or give fs=)")
        case nil:
            break
        }
        guard parsed.rowCount >= 2, let period = parsed.timePeriod, period > 0 else {
            throw MyoError.badLine(file: displayPath, line: rowLines.line(of: 0), column: columnName, expected: "at least two rows to infer the sample rate (or give fs=)", found: "one row")
        }
        var fs = 1 / (period * factor)
        // Times are printed with finite decimals: snap to a rate within 1 ppm of a whole mHz.
        let snapped = (fs * 1000).rounded() / 1000
        if abs(snapped - fs) <= 1e-6 * fs { fs = snapped }
        return fs
    }

    /// A column filled at rows 0, k, 2k, ... and empty elsewhere: returns k and the filled values.
    private func sparseColumn(_ column: [Float], name: String, rowLines: RowLineMap) throws -> (Int, [Float]) {
        guard !column[0].isNaN else {
            throw MyoError.badLine(file: displayPath, line: rowLines.line(of: 0), column: name, expected: "a value in the first row", found: "an empty cell")
        }
        var step = 1
        while step < column.count, column[step].isNaN { step += 1 }
        if step == column.count { step = column.count }
        var samples: [Float] = []
        samples.reserveCapacity(column.count / step + 1)
        for (row, value) in column.enumerated() {
            let expectFilled = row % step == 0
            if expectFilled != !value.isNaN {
                let expected = expectFilled ? "a value (this column is filled every \(step) rows)" : "an empty cell (this column is filled every \(step) rows)"
                throw MyoError.badLine(file: displayPath, line: rowLines.line(of: row), column: name, expected: expected, found: value.isNaN ? "an empty cell" : "a value")
            }
            if expectFilled { samples.append(value) }
        }
        return (step, samples)
    }

    /// A CSV without a time base is a table (such as an exported result): each cell a number
    /// (a decimal comma accepted with ; or tab), empty (missing) or text, quotes removed.
    private func readTable(_ bytes: UnsafeBufferPointer<UInt8>, scanner: inout LineScanner, header: [HeaderCell], delimiter: UInt8, provenance: Provenance) throws -> ResultTable {
        var rows: [[TableCell]] = []
        while let line = scanner.nextContentLine() {
            let cells = Self.splitCells(bytes, line.start, line.end, delimiter: delimiter)
            guard cells.count == header.count else {
                throw MyoError.badLine(file: displayPath, line: line.number, column: nil, expected: "\(header.count) cells like the header", found: "\(cells.count)")
            }
            rows.append(cells.map { cell in
                var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[cell.0..<cell.1]), as: UTF8.self).trimmingCharacters(in: [" "])
                if text.count >= 2, text.first == "\"", text.last == "\"" { text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") }
                if text.isEmpty { return .missing }
                if let value = Double(text) ?? Self.decimalCommaValue(bytes, cell.0, cell.1, delimiter: delimiter) {
                    return Int(exactly: value).map { _ in text.contains(".") || text.contains("e") ? .number(value) : .integer(Int(value)) } ?? .number(value)
                }
                return .text(text)
            })
        }
        guard !rows.isEmpty else { throw MyoError.badLine(file: displayPath, line: scanner.lineNumber, column: nil, expected: "data rows after the header", found: "none") }
        return ResultTable(title: displayPath, columns: header.map { TableColumn($0.name, unit: $0.unit) }, rows: rows, provenance: provenance)
    }

    /// The delimiter: of comma, semicolon and tab, counted outside quotes, the one found in the
    /// header that splits the next rows into as many cells (so a channel named "x; y" in a
    /// comma-separated file does not make it semicolon-separated); failing that, the most frequent.
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt8 {
        let candidates = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        func counts(_ from: Int, _ to: Int) -> [Int] {
            var quoted = false
            var counts = [0, 0, 0]
            for index in from..<to {
                if bytes[index] == UInt8(ascii: "\"") { quoted.toggle() } else if !quoted, let k = candidates.firstIndex(of: bytes[index]) { counts[k] += 1 }
            }
            return counts
        }
        let header = counts(start, end)
        // Up to five following lines (each ends at LF or at the end of the bytes).
        var rows: [[Int]] = []
        var lineStart = end
        while rows.count < 5, lineStart < bytes.count {
            while lineStart < bytes.count, bytes[lineStart] == 10 || bytes[lineStart] == 13 { lineStart += 1 }
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 10, bytes[lineEnd] != 13 { lineEnd += 1 }
            if lineEnd > lineStart, bytes[lineStart] != UInt8(ascii: "#") { rows.append(counts(lineStart, lineEnd)) }
            lineStart = lineEnd
        }
        let agreeing = candidates.indices.filter { k in header[k] > 0 && !rows.isEmpty && rows.allSatisfy { $0[k] == header[k] } }
        if let best = agreeing.max(by: { header[$0] < header[$1] }) { return candidates[best] }
        let best = candidates.indices.max { header[$0] < header[$1] }!
        return header[best] > 0 ? candidates[best] : UInt8(ascii: ",")
    }

    static func splitCells(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, delimiter: UInt8) -> [(Int, Int)] {
        var cells: [(Int, Int)] = []
        var cellStart = start
        var quoted = false
        for index in start..<end {
            if bytes[index] == UInt8(ascii: "\"") { quoted.toggle() } else if bytes[index] == delimiter, !quoted {
                cells.append((cellStart, index))
                cellStart = index + 1
            }
        }
        var last = end
        while last > cellStart, bytes[last - 1] == 13 { last -= 1 }
        cells.append((cellStart, last))
        return cells
    }

    /// Semicolon-separated files from European locales write decimal commas (`0,125`).
    static func decimalCommaValue(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, delimiter: UInt8) -> Double? {
        guard delimiter != UInt8(ascii: ",") else { return nil }
        var copy = Array(bytes[start..<end])
        guard let comma = copy.firstIndex(of: UInt8(ascii: ",")) else { return nil }
        copy[comma] = UInt8(ascii: ".")
        return copy.withUnsafeBufferPointer { DecimalParser.parse($0, 0, $0.count) }
    }

    static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, limit: Int = 40) -> String {
        let shown = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<min(end, start + limit)]), as: UTF8.self)
        return end - start > limit ? shown + "..." : shown
    }
}

/// Maps a data row index to its 1-based line number in the file, storing only the rows after
/// which comment or blank lines were skipped.
struct RowLineMap {
    private var breaks: [(row: Int, line: Int)] = []

    /// Appends the map of the rows after these (as parsed by another chunk).
    mutating func append(_ other: RowLineMap) {
        for entry in other.breaks { record(row: entry.row, line: entry.line) }
    }

    mutating func record(row: Int, line: Int) {
        if let last = breaks.last, last.line + (row - last.row) == line { return }
        breaks.append((row, line))
    }

    func line(of row: Int) -> Int {
        var low = 0, high = breaks.count - 1, found = 0
        while low <= high {
            let mid = (low + high) / 2
            if breaks[mid].row <= row { found = mid; low = mid + 1 } else { high = mid - 1 }
        }
        guard !breaks.isEmpty else { return row + 1 }
        return breaks[found].line + (row - breaks[found].row)
    }
}

/// Walks the lines of a byte buffer, skipping a UTF-8 BOM, blank lines and `#` comments, and
/// counting line numbers (lines are split by `LineCursor`).
struct LineScanner {
    private var cursor: LineCursor
    var lineNumber = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        let start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        cursor = LineCursor(bytes: bytes, range: start..<bytes.count)
    }

    /// Byte offset of the next line.
    var position: Int { cursor.position }

    /// The next line whatever its content: its bytes [start, end) without the line break, and its number.
    mutating func nextRawLine() -> (start: Int, end: Int, number: Int)? {
        guard let line = cursor.next() else { return nil }
        lineNumber += 1
        return (line.start, line.end, lineNumber)
    }

    /// The next line that is neither blank nor a `#` comment.
    mutating func nextContentLine() -> (start: Int, end: Int, number: Int)? {
        while let line = nextRawLine() {
            if cursor.isContent((line.start, line.end)) { return line }
        }
        return nil
    }
}
