#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import MyoCore
import MyoPlainRows
import MyoPlainRowsAVX2

/// The data rows of a delimited file, parsed straight into preallocated columns.
///
/// Large files are cut into a few chunks per core at line breaks. A first pass counts each chunk's
/// lines (so every row's index and line number is known before parsing); the second pass parses
/// the chunks in parallel, each into its own rows of the shared columns. Rows made only of plain
/// numbers take a fast path (PlainRowReader); anything else (quotes, spaces, empty cells, decimal
/// commas, errors) goes through the general cell splitter, which gives the exact message.
///
/// The time column is not stored: it is checked on the fly against the straight line from the
/// first to the last row's time, which is what the rate inference needs.
struct CSVBody {
    let bytes: UnsafeBufferPointer<UInt8>
    let displayPath: String
    let delimiter: UInt8
    let columnNames: [String]
    let timeColumn: Int?
    /// Called with byte ranges the parser has finished with, so a memory map can drop them.
    var releasePages: (@Sendable (Range<Int>) -> Void)?
    var progress: LoadProgress?
    var kernel = CSVKernel.best

    /// What the parse found: one Float column per non-time column (empty for the time column),
    /// which columns had empty cells, and the row-to-line map for later messages.
    struct Parsed {
        var columns: [[Float]]
        var rowCount: Int
        var hasEmpty: [Bool]
        var rowLines: RowLineMap
        /// First and last time values (raw units) and the first problem with the time column.
        var firstTime: Double?
        /// The time step implied by the first and last rows' times, in the column's units.
        var timePeriod: Double?
        var timeProblem: TimeProblem?
    }

    enum TimeProblem {
        case missing(row: Int)
        case notIncreasing(row: Int, previous: Double, value: Double)
        case irregular(row: Int, value: Double, expected: Double, period: Double)

        var row: Int {
            switch self {
            case .missing(let row), .notIncreasing(let row, _, _), .irregular(let row, _, _, _): return row
            }
        }

        /// Missing values outrank a time running backwards, which outranks an irregular step.
        var rank: Int {
            switch self {
            case .missing: return 0
            case .notIncreasing: return 1
            case .irregular: return 2
            }
        }
    }

    private struct Chunk {
        var range: Range<Int>
        var firstLine = 0
        var firstRow = 0
        var rows = 0
        var lines = 0
    }

    private struct ChunkOutcome {
        var hasEmpty: [Bool]
        var rowLines = RowLineMap()
        var error: Error?
        var firstTime: Double?
        var lastTime: Double?
        /// The first problem of each rank (missing, not increasing, irregular) in this chunk.
        var timeProblems: [TimeProblem?] = [nil, nil, nil]
    }

    /// Parses the lines from byte `start` on; `firstLine` is the 1-based number of the line there.
    func parse(from start: Int, firstLine: Int) throws -> Parsed {
        let columnCount = columnNames.count
        var chunks = split(from: start)
        // One buffer for all workers, taken before they start: each worker calling
        // withUnsafeMutableBufferPointer on the array was a modifying access of it from every
        // thread at once (ThreadSanitizer: a Swift access race; a copy-on-write there would race).
        chunks.withUnsafeMutableBufferPointer { buffer in
            DispatchQueue.concurrentPerform(iterations: buffer.count) { index in
                let counts = countLines(buffer[index].range)
                buffer[index].lines = counts.lines
                buffer[index].rows = counts.rows
            }
        }
        var line = firstLine, row = 0
        for index in chunks.indices {
            chunks[index].firstLine = line
            chunks[index].firstRow = row
            line += chunks[index].lines
            row += chunks[index].rows
        }
        let rowCount = row
        let reference = timeReference(from: start, rowCount: rowCount)

        try MemoryBudget.check(values: Double(rowCount) * Double(columnCount), bytesPerValue: 4, for: "loading \(displayPath)", hint: loadMemoryHint)
        var columns = (0..<columnCount).map { column -> [Float] in
            column == timeColumn ? [] : PinnedColumns.uninitializedColumn(count: rowCount)
        }
        var outcomes = [ChunkOutcome](repeating: ChunkOutcome(hasEmpty: [Bool](repeating: false, count: columnCount)), count: chunks.count)
        let chunkList = chunks
        progress?.reached(start, of: bytes.count)
        PinnedColumns.withPointers(to: &columns) { pointers in
            outcomes.withUnsafeMutableBufferPointer { results in
                DispatchQueue.concurrentPerform(iterations: chunkList.count) { index in
                    results[index] = parseChunk(chunkList[index], into: pointers, reference: reference)
                }
            }
        }
        if let error = outcomes.lazy.compactMap(\.error).first { throw error }

        var parsed = Parsed(columns: columns, rowCount: rowCount, hasEmpty: [Bool](repeating: false, count: columnCount),
                            rowLines: RowLineMap(), firstTime: reference?.first, timePeriod: reference?.period, timeProblem: nil)
        var previousLast: (row: Int, value: Double)?
        for (index, outcome) in outcomes.enumerated() {
            for column in 0..<columnCount where outcome.hasEmpty[column] { parsed.hasEmpty[column] = true }
            parsed.rowLines.append(outcome.rowLines)
            var problems = outcome.timeProblems.compactMap { $0 }
            if let last = previousLast, let first = outcome.firstTime, !(first > last.value) {
                problems.append(.notIncreasing(row: chunkList[index].firstRow, previous: last.value, value: first))
            }
            for problem in problems where Self.isWorse(problem, than: parsed.timeProblem) { parsed.timeProblem = problem }
            if let last = outcome.lastTime { previousLast = (chunkList[index].firstRow + chunkList[index].rows - 1, last) }
        }
        return parsed
    }

    private static func isWorse(_ problem: TimeProblem, than current: TimeProblem?) -> Bool {
        guard let current else { return true }
        return (problem.rank, problem.row) < (current.rank, current.row)
    }

    // MARK: Chunks and line counting

    /// Four chunks per core for files over a few MB (each at least 2 MB), cut just after a line
    /// break: the cores take chunks as they finish, so a core slowed down by other work does not
    /// hold the load up by a whole half of the file.
    private func split(from position: Int) -> [Chunk] {
        let start = min(position, bytes.count)
        let length = bytes.count - start
        let workers = length < 4 << 20 ? 1 : max(1, min(4 * Self.cores, length / (2 << 20)))
        var chunks: [Chunk] = []
        var chunkStart = start
        for worker in 1...workers {
            var end = worker == workers ? bytes.count : start + length / workers * worker
            if end < bytes.count {
                end = max(end, chunkStart)
                while end < bytes.count, bytes[end] != 10 { end += 1 }
                end = min(end + 1, bytes.count)
            }
            if end > chunkStart { chunks.append(Chunk(range: chunkStart..<end)) }
            chunkStart = end
        }
        if chunks.isEmpty { chunks.append(Chunk(range: start..<bytes.count)) }
        return chunks
    }

    /// Rows of plain numbers the fast path reads per call, their times kept for the check.
    private static let batchRows = 1024

    private static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Lines and data rows (lines neither blank nor `#` comments) in a chunk.
    private func countLines(_ range: Range<Int>) -> (lines: Int, rows: Int) {
        var lines = 0, rows = 0
        var cursor = LineCursor(bytes: bytes, range: range)
        var released = range.lowerBound
        while let line = cursor.next() {
            lines += 1
            if cursor.isContent(line) { rows += 1 }
            if line.start - released > 16 << 20 { release(released..<line.start, within: range); released = line.start }
        }
        release(released..<range.upperBound, within: range)
        return (lines, rows)
    }

    private func release(_ done: Range<Int>, within chunk: Range<Int>) {
        guard let releasePages else { return }
        PinnedColumns.releaseWholePages(done.clamped(to: chunk), fileSize: bytes.count, releasePages)
    }

    // MARK: Time reference

    struct TimeReference {
        var first: Double
        var period: Double?
    }

    /// The first and last rows' times: the straight line every row's time is checked against.
    private func timeReference(from start: Int, rowCount: Int) -> TimeReference? {
        guard let timeColumn, rowCount > 0 else { return nil }
        var cursor = LineCursor(bytes: bytes, range: start..<bytes.count)
        var firstLine: (start: Int, end: Int)?
        while firstLine == nil, let line = cursor.next() { if cursor.isContent(line) { firstLine = line } }
        guard let firstLine, let first = cellValue(firstLine, column: timeColumn) else { return nil }
        guard rowCount >= 2, let lastLine = lastContentLine(after: start), let last = cellValue(lastLine, column: timeColumn) else {
            return TimeReference(first: first, period: nil)
        }
        return TimeReference(first: first, period: (last - first) / Double(rowCount - 1))
    }

    private func lastContentLine(after start: Int) -> (start: Int, end: Int)? {
        var end = bytes.count
        while end > start {
            var lineStart = end - 1
            if bytes[lineStart] == 10 { lineStart -= 1 }
            while lineStart >= start, bytes[lineStart] != 10 { lineStart -= 1 }
            var cursor = LineCursor(bytes: bytes, range: (lineStart + 1)..<end)
            if let line = cursor.next(), cursor.isContent(line) { return line }
            end = lineStart + 1
        }
        return nil
    }

    private func cellValue(_ line: (start: Int, end: Int), column: Int) -> Double? {
        let cells = CSVReader.splitCells(bytes, line.start, line.end, delimiter: delimiter)
        guard column < cells.count else { return nil }
        let (start, end) = trimmed(cells[column].0, cells[column].1)
        return DecimalParser.parse(bytes, start, end) ?? CSVReader.decimalCommaValue(bytes, start, end, delimiter: delimiter)
    }

    // MARK: Parsing

    private func parseChunk(_ chunk: Chunk, into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>,
                            reference: TimeReference?) -> ChunkOutcome {
        let columnCount = columnNames.count
        var outcome = ChunkOutcome(hasEmpty: [Bool](repeating: false, count: columnCount))
        guard bytes.baseAddress != nil else { return outcome }
        var lineNumber = chunk.firstLine - 1
        var row = chunk.firstRow
        var released = chunk.range.lowerBound
        let timeIndex = timeColumn ?? -1
        // The last time seen; NaN sends the first row through `check`, which notes the chunk's first time.
        var previousTime = Double.nan
        // Each row's time is within a quarter period of the line from the first to the last row's.
        let firstTime = reference?.first ?? 0, period = reference?.period ?? .nan, tolerance = 0.25 * period
        // Lines minus rows, as last noted in the row-to-line map (it changes only after skipped lines).
        var lineOffset = Int.min
        var nextCheck = row
        var position = chunk.range.lowerBound
        var reported = position
        let lanes = UnsafeMutablePointer<Float>.allocate(capacity: 4)
        let times = UnsafeMutablePointer<Double>.allocate(capacity: Self.batchRows)
        defer { lanes.deallocate(); times.deallocate() }
        let reader = PlainRowReader(bytes: bytes, delimiter: delimiter, columnCount: columnCount, timeColumn: timeColumn, lanes: lanes)
        let avx2 = kernel == .avx2

        func note(row: Int, line: Int) {
            if line &- row != lineOffset {
                lineOffset = line &- row
                outcome.rowLines.record(row: row, line: line)
            }
        }
        func checkTime(_ time: Double, row: Int) {
            // The usual case in two comparisons; anything else (and the first row) in `check`.
            if time > previousTime, abs(time - (firstTime + Double(row) * period)) <= tolerance {
                previousTime = time
            } else {
                check(time: time, row: row, previous: &previousTime, reference: reference, outcome: &outcome)
            }
        }
        do {
            while position < chunk.range.upperBound {
                if row >= nextCheck {
                    nextCheck = row + 65536
                    try Cancellation.check()
                    progress?.add(position - reported, of: bytes.count)
                    reported = position
                    if position - released > 16 << 20 { release(released..<position, within: chunk.range); released = position }
                }
                // The fast path (PlainRowReader, built for this processor): rows of plain numbers,
                // one line each, as many as come before the next check.
                let count = min(Self.batchRows, nextCheck &- row)
                let batch = avx2
                    ? readPlainRowsAVX2(reader, from: position, end: chunk.range.upperBound, row: row, count: count, into: pointers, times: times)
                    : reader.readRows(from: position, end: chunk.range.upperBound, row: row, count: count, into: pointers, times: times)
                if batch.rows > 0 {
                    note(row: row, line: lineNumber &+ 1)
                    if timeIndex >= 0 {
                        for index in 0..<batch.rows { checkTime(times[index], row: row &+ index) }
                    }
                    lineNumber &+= batch.rows
                    row &+= batch.rows
                    position = batch.position
                    continue
                }
                // Anything else, one line: blank lines, comments, quotes, spaces, empty cells, errors.
                lineNumber += 1
                var cursor = LineCursor(bytes: bytes, range: position..<chunk.range.upperBound)
                guard let line = cursor.next() else { break }
                position = cursor.position
                guard cursor.isContent(line) else { continue }
                var time = Double.nan
                try parseRowInGeneral(line, lineNumber: lineNumber) { column, value in
                    if value.isNaN { outcome.hasEmpty[column] = true }
                    if column == timeIndex { time = value } else { pointers[column].unsafelyUnwrapped[row] = Float(value) }
                }
                note(row: row, line: lineNumber)
                if timeIndex >= 0 { checkTime(time, row: row) }
                row += 1
            }
        } catch {
            outcome.error = error
        }
        if outcome.firstTime != nil { outcome.lastTime = previousTime }
        progress?.add(chunk.range.upperBound - reported, of: bytes.count)
        release(released..<chunk.range.upperBound, within: chunk.range)
        return outcome
    }

    @inline(__always)
    private func check(time: Double, row: Int, previous: inout Double, reference: TimeReference?, outcome: inout ChunkOutcome) {
        guard !time.isNaN else {
            if outcome.timeProblems[0] == nil { outcome.timeProblems[0] = .missing(row: row) }
            return
        }
        if outcome.firstTime == nil { outcome.firstTime = time } else if !(time > previous), outcome.timeProblems[1] == nil {
            outcome.timeProblems[1] = .notIncreasing(row: row, previous: previous, value: time)
        }
        if let reference, let period = reference.period, outcome.timeProblems[2] == nil {
            let expected = reference.first + Double(row) * period
            if abs(time - expected) > 0.25 * period {
                outcome.timeProblems[2] = .irregular(row: row, value: time, expected: expected, period: period)
            }
        }
        previous = time
    }

    /// Splits a row at delimiters outside quotes, trims spaces and quotes, and parses each cell;
    /// an empty cell is NaN. Throws the one-sentence message for a malformed row.
    private func parseRowInGeneral(_ line: (start: Int, end: Int), lineNumber: Int, store: (Int, Double) -> Void) throws {
        let cells = CSVReader.splitCells(bytes, line.start, line.end, delimiter: delimiter)
        guard cells.count == columnNames.count else {
            throw MyoError.badLine(file: displayPath, line: lineNumber, column: nil,
                                   expected: "\(columnNames.count) cells as in the header", found: "\(cells.count)")
        }
        for (column, cell) in cells.enumerated() {
            let (start, end) = trimmed(cell.0, cell.1)
            guard start < end else { store(column, .nan); continue }
            guard let value = DecimalParser.parse(bytes, start, end) ?? CSVReader.decimalCommaValue(bytes, start, end, delimiter: delimiter) else {
                throw MyoError.badLine(file: displayPath, line: lineNumber, column: columnNames[column],
                                       expected: "a number", found: "'\(CSVReader.text(bytes, start, end))'")
            }
            guard value.isFinite else {
                throw MyoError.badLine(file: displayPath, line: lineNumber, column: columnNames[column],
                                       expected: "a finite number", found: CSVReader.text(bytes, start, end))
            }
            store(column, value)
        }
    }

    private func trimmed(_ start: Int, _ end: Int) -> (Int, Int) {
        var start = start, end = end
        while start < end, bytes[start] == 32 || bytes[start] == 34 { start += 1 }
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 34 || bytes[end - 1] == 13 { end -= 1 }
        return (start, end)
    }
}

/// Lines of a byte range found with memchr: bytes [start, end) without the line break or a
/// trailing carriage return.
struct LineCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int

    init(bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    @inline(__always)
    mutating func next() -> (start: Int, end: Int)? {
        guard position < end, let base = bytes.baseAddress else { return nil }
        let start = position
        var lineEnd = end
        if let found = memchr(base + start, 10, end - start) {
            lineEnd = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        position = lineEnd + 1
        if lineEnd > start, base[lineEnd - 1] == 13 { lineEnd -= 1 }
        return (start, lineEnd)
    }

    /// Neither blank (spaces and tabs only) nor a `#` comment.
    @inline(__always)
    func isContent(_ line: (start: Int, end: Int)) -> Bool {
        var first = line.start
        while first < line.end, bytes[first] == 32 || bytes[first] == 9 { first += 1 }
        return first < line.end && bytes[first] != UInt8(ascii: "#")
    }
}
