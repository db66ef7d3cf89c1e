/// The cells of one row of plain numbers (PlainNumber), read left to right from `position`: the
/// fast path of the CSV reader. Every read leaves the last 48 bytes of the buffer alone (the eight-byte
/// loads may run past a cell), and anything that is not a plain number, or a terminator that is
/// not the expected delimiter or line break, makes the read fail so the caller can fall back to
/// the general path.
@usableFromInline
struct PlainCells {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let limit: Int
    @usableFromInline let delimiter: UInt8
    /// The delimiter in every byte of a word.
    @usableFromInline let delimiters: UInt64
    @usableFromInline let tables: PlainNumber.Tables
    /// Four Floats of memory the caller owns, through which a group's values reach their columns.
    @usableFromInline let lanes: UnsafeMutablePointer<Float>
    /// The start of the next cell; after the row, the offset after its line feed.
    @usableFromInline var position: Int
    /// A high bit in a lane of a group whose cell was not a plain number.
    @usableFromInline var bad = SIMD4<UInt64>.zero

    @inlinable
    init(base: UnsafePointer<UInt8>, limit: Int, delimiter: UInt8, position: Int, tables: PlainNumber.Tables, lanes: UnsafeMutablePointer<Float>) {
        self.lanes = lanes
        self.base = base
        self.limit = limit
        self.delimiter = delimiter
        delimiters = UInt64(delimiter) &* 0x0101_0101_0101_0101
        self.position = position
        self.tables = tables
    }

    /// The offset after the row's line feed, or nil if a cell of a group was not a plain number.
    @inlinable @inline(always)
    var finished: Int? { bad == .zero ? position : nil }

    /// Data columns `columns` as Floats at `row` of their `pointers`; the last of them ends the row
    /// if `endingRow`. Neighbouring cells go in groups of four, and the row's last cell is left to
    /// the last group, so the loop over groups never asks whether a cell ends the row.
    @inlinable @inline(always)
    mutating func data(_ columns: Range<Int>, endingRow: Bool, row: Int,
                       into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>) -> Bool {
        var column = columns.lowerBound
        let upper = columns.upperBound
        let groupsEnd = endingRow ? upper &- 4 : upper &- 3
        while column < groupsEnd {
            guard group(column, count: 4, endingRow: false, row: row, into: pointers) else { return false }
            column &+= 4
        }
        switch upper &- column {
        case 4: return group(column, count: 4, endingRow: endingRow, row: row, into: pointers)
        case 3: return group(column, count: 3, endingRow: endingRow, row: row, into: pointers)
        case 2: return group(column, count: 2, endingRow: endingRow, row: row, into: pointers)
        case 1: return dataCell(column, endingRow: endingRow, row: row, into: pointers)
        default: return true
        }
    }

    /// The time cell, as the Double strtod gives.
    @inlinable @inline(always)
    mutating func time(endingRow: Bool) -> Double? {
        let powers = tables.powers
        return cell(endingRow: endingRow, short: { digits, fractionDigits, negative in
            let magnitude = Double(digits) / powers[fractionDigits]
            return negative ? -magnitude : magnitude
        }, long: { $0 })
    }

    // MARK: Cells

    /// `count` (2 to 4) neighbouring data cells, converted together when all are short; lanes
    /// past `count` convert a stand-in zero and are not stored.
    @inlinable @inline(always)
    mutating func group(_ column: Int, count: Int, endingRow: Bool, row: Int,
                        into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>) -> Bool {
        // Room for the loads: each cell starts at most eight bytes after the one before, and a
        // long cell's length is taken modulo eight until the group falls back.
        guard position &+ 48 <= limit else { return false }
        // The stand-in: the digit 0 ended at byte 1.
        var words = SIMD4<UInt64>(repeating: 0x30), ends = SIMD4<UInt64>(repeating: 0x8000)
        var start = position
        var short = true
        for lane in 0..<count {
            let word = load(start)
            let marks = terminators(word, endingRow: endingRow && lane == count &- 1)
            let length = marks.trailingZeroBitCount &>> 3
            short = short && length < 8
            words[lane] = word
            ends[lane] = marks
            start = start &+ (length & 7) &+ 1
        }
        guard short else {
            for lane in 0..<count {
                guard dataCell(column &+ lane, endingRow: endingRow && lane == count &- 1, row: row, into: pointers) else { return false }
            }
            return true
        }
        let values = PlainNumber.quad(words, ends: ends, scales: tables.scales, bad: &bad)
        // Through memory the compiler cannot see into (the caller's, which a column store might
        // overwrite): taken straight from the register, each lane's value would be made in a
        // scalar register from the multiplication on, four times over.
        UnsafeMutableRawPointer(lanes).storeBytes(of: values, as: SIMD4<Float>.self)
        for lane in 0..<count { pointers[column &+ lane].unsafelyUnwrapped[row] = lanes[lane] }
        // The marks found the delimiters themselves; only a line break needs checking.
        if endingRow {
            guard let after = after(start &- 1, endingRow: true) else { return false }
            position = after
        } else {
            position = start
        }
        return true
    }

    /// One data cell, as the Float strtof gives.
    @inlinable @inline(always)
    mutating func dataCell(_ column: Int, endingRow: Bool, row: Int,
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
    @inlinable @inline(always)
    mutating func cell<Value>(endingRow: Bool, short: (UInt64, Int, Bool) -> Value, long: (Double) -> Value) -> Value? {
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

    @inlinable @inline(always)
    func load(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// The marks (PlainNumber.firstZeroByte's) of what may end a cell in `word`: the delimiter,
    /// or a line break for the row's last cell.
    @inlinable @inline(always)
    func terminators(_ word: UInt64, endingRow: Bool) -> UInt64 {
        endingRow
            ? PlainNumber.firstZeroByte(word ^ 0x0A0A_0A0A_0A0A_0A0A) | PlainNumber.firstZeroByte(word ^ 0x0D0D_0D0D_0D0D_0D0D)
            : PlainNumber.firstZeroByte(word ^ delimiters)
    }

    /// The offset after a cell ending at `end`: past the delimiter, or past the line feed (or
    /// CR LF) that ends the row; nil if the byte there is neither.
    @inlinable @inline(always)
    func after(_ end: Int, endingRow: Bool) -> Int? {
        guard endingRow else { return base[end] == delimiter ? end &+ 1 : nil }
        let lineFeed = base[end] == 13 ? end &+ 1 : end
        return base[lineFeed] == 10 ? lineFeed &+ 1 : nil
    }
}

extension PlainNumber {
    /// The tables the hot loops read, fetched once before the loop (reading a static inside it
    /// would check its one-time initialisation at every use).
    @usableFromInline
    struct Tables {
        @usableFromInline let powers = PlainNumber.powersOfTen
        @usableFromInline let reciprocals = PlainNumber.reciprocalPowersOfTen
        @usableFromInline let scales = PlainNumber.pointScales
        @inlinable init() {}
    }
}
