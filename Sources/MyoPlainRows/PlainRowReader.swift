/// Reads one row of plain numbers (PlainNumber) into columns: the CSV reader's fast path.
///
/// The row is taken as runs of data columns either side of the time column, so the loop over a
/// run knows which cells end the row without asking at each cell. Each cell's end is found in the
/// eight bytes loaded at its start, so one cell's parsing hardly waits on the one before; four
/// neighbouring short data cells are converted together (`PlainNumber.quad`).
///
/// `read` is inlinable so that it is compiled twice from this one source: into the caller for
/// the processor baseline, and into MyoPlainRowsAVX2 for processors with AVX2.
public struct PlainRowReader {
    @usableFromInline let base: UnsafePointer<UInt8>
    /// The buffer's length; reads leave its last bytes alone (PlainCells).
    @usableFromInline let limit: Int
    @usableFromInline let delimiter: UInt8
    @usableFromInline let columnCount: Int
    /// The column holding time, which is returned rather than stored.
    @usableFromInline let timeColumn: Int?
    @usableFromInline let tables = PlainNumber.Tables()
    @usableFromInline let lanes: UnsafeMutablePointer<Float>

    /// `lanes`: room for four Floats, owned by the caller, used by one thread at a time.
    public init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, columnCount: Int, timeColumn: Int?, lanes: UnsafeMutablePointer<Float>) {
        self.lanes = lanes
        base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        limit = bytes.baseAddress == nil ? 0 : bytes.count
        self.delimiter = delimiter
        self.columnCount = columnCount
        self.timeColumn = timeColumn
    }

    /// The row starting at byte `start`: its data cells as Floats (strtof's) at `row` of
    /// `pointers` (one per column, the time column's unused), its time cell as a Double
    /// (strtod's) in `time`. Returns the offset after the row's line feed (or CR LF), or nil for
    /// any other row: the caller's general path then parses it, or names what is wrong, writing
    /// over whatever this wrote.
    @inlinable @inline(always)
    public func read(from start: Int, row: Int, into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>,
                     time: inout Double) -> Int? {
        var cells = PlainCells(base: base, limit: limit, delimiter: delimiter, position: start, tables: tables, lanes: lanes)
        guard let timeIndex = timeColumn else {
            guard cells.data(0..<columnCount, endingRow: true, row: row, into: pointers) else { return nil }
            return cells.finished
        }
        guard cells.data(0..<timeIndex, endingRow: false, row: row, into: pointers),
              let value = cells.time(endingRow: timeIndex == columnCount &- 1),
              cells.data((timeIndex &+ 1)..<columnCount, endingRow: true, row: row, into: pointers) else { return nil }
        time = value
        return cells.finished
    }

    /// Rows from byte `start` as `read` reads them, up to `count` rows and not past `end`, the
    /// first at `row`; row i's time goes to `times[i]`. Stops before the first row that is not
    /// plain (or at `end`). Returns the offset after the last row read and how many were read.
    @inlinable @inline(always)
    public func readRows(from start: Int, end: Int, row: Int, count: Int,
                         into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>,
                         times: UnsafeMutablePointer<Double>) -> (position: Int, rows: Int) {
        var position = start, rows = 0
        while rows < count, position < end {
            guard let next = read(from: position, row: row &+ rows, into: pointers, time: &times[rows]) else { break }
            position = next
            rows &+= 1
        }
        return (position, rows)
    }
}
