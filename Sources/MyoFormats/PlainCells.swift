/// The cells of one row of plain numbers (PlainNumber), read left to right from `position`: the
/// fast path of CSVBody. Every read leaves the last 24 bytes of the buffer alone (the eight-byte
/// loads may run past a cell), and anything that is not a plain number, or a terminator that is
/// not the expected delimiter or line break, makes the read fail so the caller can fall back to
/// the general path.
struct PlainCells {
    let base: UnsafePointer<UInt8>
    let limit: Int
    let delimiter: UInt8
    /// The delimiter in every byte of a word.
    let delimiters: UInt64
    let tables: PlainNumber.Tables
    /// The start of the next cell; after the row, the offset after its line feed.
    private(set) var position: Int
    /// A high bit in a lane of a pair whose cell was not a plain number.
    private var bad = SIMD2<UInt64>.zero

    init(base: UnsafePointer<UInt8>, limit: Int, delimiter: UInt8, position: Int, tables: PlainNumber.Tables) {
        self.base = base
        self.limit = limit
        self.delimiter = delimiter
        delimiters = UInt64(delimiter) &* 0x0101_0101_0101_0101
        self.position = position
        self.tables = tables
    }

    /// The offset after the row's line feed, or nil if a cell of a pair was not a plain number.
    var finished: Int? { bad == .zero ? position : nil }

    /// Data columns `columns` as Floats at `row` of their `pointers`; the last of them ends the row
    /// if `endingRow`. Neighbouring cells go in pairs; the row's last cell is left to the tail,
    /// so the loop over pairs never asks whether a cell ends the row.
    @inline(always)
    mutating func data(_ columns: Range<Int>, endingRow: Bool, row: Int,
                       into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>) -> Bool {
        var column = columns.lowerBound
        let upper = columns.upperBound
        let pairedEnd = endingRow ? upper &- 2 : upper &- 1
        while column < pairedEnd {
            guard pair(column, endingRow: false, row: row, into: pointers) else { return false }
            column &+= 2
        }
        if column &+ 1 < upper { return pair(column, endingRow: endingRow, row: row, into: pointers) }
        if column < upper { return dataCell(column, endingRow: endingRow, row: row, into: pointers) }
        return true
    }

    /// The time cell, as the Double strtod gives.
    @inline(always)
    mutating func time(endingRow: Bool) -> Double? {
        let powers = tables.powers
        return cell(endingRow: endingRow, short: { digits, fractionDigits, negative in
            let magnitude = Double(digits) / powers[fractionDigits]
            return negative ? -magnitude : magnitude
        }, long: { $0 })
    }

    // MARK: Cells

    /// Two neighbouring data cells, converted together when both are short.
    @inline(always)
    private mutating func pair(_ column: Int, endingRow: Bool, row: Int,
                               into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>) -> Bool {
        // Room for both loads: the second cell starts at most eight bytes after the first.
        guard position &+ 32 <= limit else { return false }
        let word = load(position)
        let marks = terminators(word, endingRow: false)
        let length = marks.trailingZeroBitCount &>> 3
        if length < 8 {
            let next = position &+ length &+ 1
            let nextWord = load(next)
            let nextMarks = terminators(nextWord, endingRow: endingRow)
            let nextLength = nextMarks.trailingZeroBitCount &>> 3
            if nextLength < 8 {
                let values = PlainNumber.pair(SIMD2(word, nextWord), ends: SIMD2(marks, nextMarks), scales: tables.scales, bad: &bad)
                pointers[column].unsafelyUnwrapped[row] = values[0]
                pointers[column &+ 1].unsafelyUnwrapped[row] = values[1]
                // The marks found the delimiter itself; only a line break needs checking.
                let end = next &+ nextLength
                if endingRow {
                    guard let after = after(end, endingRow: true) else { return false }
                    position = after
                } else {
                    position = end &+ 1
                }
                return true
            }
        }
        return dataCell(column, endingRow: false, row: row, into: pointers)
            && dataCell(column &+ 1, endingRow: endingRow, row: row, into: pointers)
    }

    /// One data cell, as the Float strtof gives.
    @inline(always)
    private mutating func dataCell(_ column: Int, endingRow: Bool, row: Int,
                                   into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>) -> Bool {
        let reciprocals = tables.reciprocals
        guard let value = cell(endingRow: endingRow, short: { digits, fractionDigits, negative in
            PlainNumber.float(digits: digits, fractionDigits: fractionDigits, negative: negative, reciprocals: reciprocals)
        }, long: { Float($0) }) else { return false }
        pointers[column].unsafelyUnwrapped[row] = value
        return true
    }

    /// One cell: `short` of PlainNumber.short's parts when it fits in the eight bytes at its
    /// start, else `long` of PlainNumber.long's value.
    @inline(always)
    private mutating func cell<Value>(endingRow: Bool, short: (UInt64, Int, Bool) -> Value, long: (Double) -> Value) -> Value? {
        guard position &+ 24 <= limit else { return nil }
        let word = load(position)
        let length = terminators(word, endingRow: endingRow).trailingZeroBitCount &>> 3
        var end = position &+ length
        let value: Value
        if length < 8, let number = PlainNumber.short(word, length: length) {
            value = short(number.digits, number.fractionDigits, number.negative)
        } else {
            end = position
            guard let number = PlainNumber.long(base, &end, limit: limit, powersOfTen: tables.powers) else { return nil }
            value = long(number)
        }
        guard let next = after(end, endingRow: endingRow) else { return nil }
        position = next
        return value
    }

    // MARK: Bytes

    @inline(always)
    private func load(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// The marks (PlainNumber.firstZeroByte's) of what may end a cell in `word`: the delimiter,
    /// or a line break for the row's last cell.
    @inline(always)
    private func terminators(_ word: UInt64, endingRow: Bool) -> UInt64 {
        endingRow
            ? PlainNumber.firstZeroByte(word ^ 0x0A0A_0A0A_0A0A_0A0A) | PlainNumber.firstZeroByte(word ^ 0x0D0D_0D0D_0D0D_0D0D)
            : PlainNumber.firstZeroByte(word ^ delimiters)
    }

    /// The offset after a cell ending at `end`: past the delimiter, or past the line feed (or
    /// CR LF) that ends the row; nil if the byte there is neither.
    @inline(always)
    private func after(_ end: Int, endingRow: Bool) -> Int? {
        guard endingRow else { return base[end] == delimiter ? end &+ 1 : nil }
        let lineFeed = base[end] == 13 ? end &+ 1 : end
        return base[lineFeed] == 10 ? lineFeed &+ 1 : nil
    }
}

extension PlainNumber {
    /// The tables the hot loops read, fetched once before the loop (reading a static inside it
    /// would check its one-time initialisation at every use).
    struct Tables {
        let powers = PlainNumber.powersOfTen
        let reciprocals = PlainNumber.reciprocalPowersOfTen
        let scales = PlainNumber.pointScales
    }
}
