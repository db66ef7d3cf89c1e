import MyoCore

/// Whitespace- or tab-separated numeric rows after a header, as vendor text exports write them.
///
/// Real exports carry damage: junk bytes after a value (`-0.0383+\xED0.0350`), or lines of
/// junk. A cell that starts with a number keeps that number (the junk after it is dropped); a
/// line with fewer numbers than columns is skipped. Both are counted, and the reader turns
/// the counts into one warning naming the first damaged line.
struct NumericText {
    var columns: [[Double]]
    var salvagedLines = 0
    var skippedLines = 0
    var firstDamagedLine: Int?
    var rowLines = RowLineMap()

    /// Reads numeric rows from `scanner`'s position. `columnCount` nil takes the first row's count.
    /// With `tabSeparated`, cells are split at every tab and an empty cell is a missing value
    /// (NaN); trailing missing values of a column are dropped, so columns may differ in length.
    init(_ bytes: UnsafeBufferPointer<UInt8>, scanner: inout LineScanner, columnCount: Int?, path: String, tabSeparated: Bool = false,
         progress: LoadProgress?) throws {
        var count = columnCount
        columns = []
        var cells: [(Int, Int)] = []
        var row = 0
        while let line = scanner.nextContentLine() {
            if row & 0xFFFF == 0 { try Cancellation.check(); progress?.reached(line.start, of: bytes.count) }
            cells.removeAll(keepingCapacity: true)
            var position = line.start
            if tabSeparated {
                var start = position
                while position <= line.end {
                    if position == line.end || bytes[position] == 9 {
                        var first = start, last = position
                        while first < last, bytes[first] == 32 { first += 1 }
                        while last > first, bytes[last - 1] == 32 { last -= 1 }
                        cells.append((first, last))
                        start = position + 1
                    }
                    position += 1
                }
            }
            while !tabSeparated, position < line.end {
                while position < line.end, bytes[position] == 9 || bytes[position] == 32 || bytes[position] == 44 { position += 1 }
                if position == line.end { break }
                let start = position
                while position < line.end, bytes[position] != 9, bytes[position] != 32, bytes[position] != 44 { position += 1 }
                cells.append((start, position))
            }
            if count == nil {
                count = cells.count
                columns = [[Double]](repeating: [], count: cells.count)
                for index in columns.indices { columns[index].reserveCapacity(bytes.count / max(line.end - line.start + 1, 4)) }
            }
            guard let expected = count, expected > 0 else { break }
            if columns.isEmpty { columns = [[Double]](repeating: [], count: expected) }
            var values: [Double] = []
            values.reserveCapacity(expected)
            var salvaged = false
            for (start, end) in cells.prefix(expected) {
                if tabSeparated, start == end {
                    values.append(.nan)
                } else if let value = DecimalParser.parse(bytes, start, end), value.isFinite {
                    values.append(value)
                } else if let value = DecimalParser.leadingNumber(bytes, start, end), value.isFinite {
                    values.append(value)
                    salvaged = true
                } else {
                    break
                }
            }
            guard values.count == expected else {
                skippedLines += 1
                if firstDamagedLine == nil { firstDamagedLine = line.number }
                continue
            }
            if salvaged || cells.count > expected {
                salvagedLines += 1
                if firstDamagedLine == nil { firstDamagedLine = line.number }
            }
            rowLines.record(row: row, line: line.number)
            for (index, value) in values.enumerated() { columns[index].append(value) }
            row += 1
        }
        if tabSeparated {
            for index in columns.indices {
                while let last = columns[index].last, last.isNaN { columns[index].removeLast() }
            }
        }
        if row == 0 {
            throw MyoError.badLine(file: path, line: max(scanner.lineNumber, 1), column: nil, expected: "rows of numbers", found: "none")
        }
    }

    var rowCount: Int { columns.first?.count ?? 0 }

    /// One sentence about the damaged lines, or nil when there were none.
    func warning(path: String) -> String? {
        guard let first = firstDamagedLine else { return nil }
        var parts: [String] = []
        if salvagedLines > 0 { parts.append("\(salvagedLines) line\(salvagedLines == 1 ? "" : "s") with junk after a value (the leading number was kept)") }
        if skippedLines > 0 { parts.append("\(skippedLines) unreadable line\(skippedLines == 1 ? "" : "s") skipped") }
        return "\(path): \(parts.joined(separator: " and ")), first at line \(first)"
    }
}

extension DecimalParser {
    /// The longest prefix of bytes[start..<end] that is a number, or nil when none is.
    static func leadingNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var stop = start
        while stop < end, bytes[stop] < 128, bytes[stop] == 43 || bytes[stop] == 45 || bytes[stop] == 46 || bytes[stop] == 101 || bytes[stop] == 69 || (bytes[stop] >= 48 && bytes[stop] <= 57) {
            stop += 1
        }
        while stop > start {
            if let value = parse(bytes, start, stop) { return value }
            stop -= 1
        }
        return nil
    }
}
