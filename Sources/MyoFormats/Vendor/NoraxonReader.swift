import MyoCore

/// Reads Noraxon CSV exports: MR3 (`,` or tab) and myoRESEARCH 4.x (`;` with decimal commas).
/// Optional preamble lines (record name, type rows), then a header row starting with `time`,
/// channels as `NAME (unit)` or `"NAME,unit"`. Text cells are allowed in data rows: the
/// `Activity` column's labels become events where they change (`activity: Standing`), the
/// `Marker` column's rising edges events named `marker`; other text columns are left out with a
/// warning. The rate comes from the time column, which must step uniformly (TimeColumn).
enum NoraxonReader {
    static func delimiter(_ line: String) -> UInt8 {
        let semicolons = line.filter { $0 == ";" }.count, tabs = line.filter { $0 == "\t" }.count, commas = line.filter { $0 == "," }.count
        if semicolons > 0, semicolons >= commas { return UInt8(ascii: ";") }
        return tabs > commas ? UInt8(ascii: "\t") : UInt8(ascii: ",")
    }

    static func firstCell(_ line: String) -> String {
        let separator = Character(Unicode.Scalar(delimiter(line)))
        return line.split(separator: separator).first.map { String($0).trimmingCharacters(in: [" ", "\""]).lowercased() } ?? ""
    }

    static func headerLine(_ lines: [String]) -> Int? {
        lines.firstIndex { ["time", "time (s)", "time,s", "time [s]", "time (ms)"].contains(firstCell($0)) }
    }

    static func looksLikeNoraxon(_ lines: [String]) -> Bool {
        guard let header = headerLine(lines) else { return false }
        let text = lines[header]
        let hasMarkers = text.contains("Activity") || text.contains("Marker")
        return hasMarkers || lines[..<header].contains { $0.lowercased().contains("noraxon") || $0.contains("MR3") || $0.lowercased().contains("myoresearch") }
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        let lines = VendorTextReaders.headerLines(bytes, limit: 40)
        guard let headerIndex = headerLine(lines) else {
            throw MyoError.badLine(file: path, line: 1, column: nil, expected: "a header row starting with time", found: "none in the first 40 lines")
        }
        let delimiter = delimiter(lines[headerIndex])
        var scanner = LineScanner(bytes: bytes)
        var header: (start: Int, end: Int, number: Int)?
        while let line = scanner.nextRawLine() { if line.number == headerIndex + 1 { header = line; break } }
        guard let header else { throw MyoError.badLine(file: path, line: headerIndex + 1, column: nil, expected: "a header row", found: "the end of the file") }
        let headerCells = CSVReader.splitCells(bytes, header.start, header.end, delimiter: delimiter).map {
            HeaderCell(parsing: CSVReader.text(bytes, $0.0, $0.1, limit: 200).trimmingCharacters(in: [" "]))
        }
        let count = headerCells.count
        var numbers = [[Double]](repeating: [], count: count)
        var texts = [[String]](repeating: [], count: count)
        var isText = [Bool](repeating: false, count: count)
        var firstLine = 0
        while let line = scanner.nextContentLine() {
            if firstLine == 0 { firstLine = line.number }
            let cells = CSVReader.splitCells(bytes, line.start, line.end, delimiter: delimiter)
            guard cells.count >= count else {
                throw MyoError.badLine(file: path, line: line.number, column: nil, expected: "\(count) cells like the header", found: "\(cells.count)")
            }
            for index in 0..<count {
                let (start, end) = cells[index]
                let text = CSVReader.text(bytes, start, end, limit: 200).trimmingCharacters(in: [" ", "\""])
                let value = text.isEmpty ? Double.nan : (Double(text) ?? (delimiter == UInt8(ascii: ";") ? CSVReader.decimalCommaValue(bytes, start, end, delimiter: delimiter) : nil))
                if let value { numbers[index].append(value) } else { numbers[index].append(.nan); isText[index] = true }
                texts[index].append(text)
            }
        }
        guard numbers[0].count >= 2, !isText[0], numbers[0].allSatisfy(\.isFinite) else {
            throw MyoError.badLine(file: path, line: max(firstLine, header.number), column: headerCells[0].name, expected: "a time in every row (at least two)", found: "\(numbers[0].count) rows or a text cell")
        }
        let factor = headerCells[0].timeFactorToSeconds ?? 1
        let times = numbers[0]
        if request.sampleRateHz == nil, let broken = TimeColumn.firstBreak(times, factor: factor) {
            throw MyoError.badLine(file: path, line: firstLine + broken.row, column: headerCells[0].name, expected: broken.expected, found: broken.found)
        }
        let fs = request.sampleRateHz ?? Double(times.count - 1) / ((times[times.count - 1] - times[0]) * factor)
        let start = times[0] * factor
        var channels: [Channel] = []
        var events: [Event] = []
        var dropped: [String] = []
        for index in 1..<count {
            let name = headerCells[index].name
            if name == "Activity" {
                var previous = ""
                for (row, label) in texts[index].enumerated() where label != previous {
                    if !label.isEmpty, Double(label) != 0 { events.append(Event(timeSeconds: start + Double(row) / fs, label: "activity: \(label)")) }
                    previous = label
                }
                continue
            }
            if name == "Marker", !isText[index] {
                var previous = 0.0
                for (row, value) in numbers[index].enumerated() {
                    if value != 0, !value.isNaN, previous == 0 { events.append(Event(timeSeconds: start + Double(row) / fs, label: "marker")) }
                    previous = value.isNaN ? 0 : value
                }
                continue
            }
            if isText[index] { dropped.append(name); continue }
            channels.append(try fileChannel(path, name: ReadRequest.uniqueName(name, among: channels), unit: headerCells[index].unit, sampleRateHz: fs,
                                    startTimeSeconds: start, samples: numbers[index].map(Float.init)))
        }
        guard !channels.isEmpty else {
            throw MyoError.badLine(file: path, line: header.number, column: nil, expected: "numeric signal columns besides time", found: "none")
        }
        let warnings = dropped.isEmpty ? [] : ["\(path): text columns left out: \(dropped.joined(separator: ", "))"]
        return LoadResult(object: .recording(Recording(name: request.name, channels: channels, events: events.sorted { $0.timeSeconds < $1.timeSeconds }, provenance: provenance)),
                          warnings: warnings)
    }
}
