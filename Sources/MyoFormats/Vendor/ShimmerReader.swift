import MyoCore

/// Reads Shimmer Consensys CSV exports: a `sep=` line naming the delimiter (a tab by default),
/// a row of signal names (`Shimmer_8A7E_EMG_CH1_24BIT_CAL`), a row saying CAL or RAW per column,
/// a row of units (`ms`, `mV`, `m/(s^2)`, `deg/s`), then the data. The time base is the first
/// column whose name holds `Timestamp` (in ms, Unix or device clock), and it must step uniformly
/// (TimeColumn); calibrated columns are kept when there are any (RAW duplicates dropped); the
/// `Shimmer_XXXX_` prefix and `_CAL` suffix leave the names.
enum ShimmerReader {
    static func looksLikeShimmer(_ lines: [String]) -> Bool {
        guard lines.count >= 4 else { return false }
        let first = lines[0].trimmingCharacters(in: ["\"", " "]).lowercased()
        return first.hasPrefix("sep=") && lines[1].contains("Timestamp")
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        let lines = VendorTextReaders.headerLines(bytes, limit: 4)
        let sep = lines[0].trimmingCharacters(in: ["\"", " "]).dropFirst(4)
        let delimiter: UInt8 = sep.first.map { $0 == "," ? UInt8(ascii: ",") : ($0 == ";" ? UInt8(ascii: ";") : UInt8(ascii: "\t")) } ?? UInt8(ascii: "\t")
        var scanner = LineScanner(bytes: bytes)
        _ = scanner.nextRawLine()
        func cells(_ line: (start: Int, end: Int, number: Int)) -> [String] {
            CSVReader.splitCells(bytes, line.start, line.end, delimiter: delimiter).map { CSVReader.text(bytes, $0.0, $0.1, limit: 200).trimmingCharacters(in: [" ", "\""]) }
        }
        guard let nameLine = scanner.nextRawLine(), let kindLine = scanner.nextRawLine(), let unitLine = scanner.nextRawLine() else {
            throw MyoError.badLine(file: path, line: 2, column: nil, expected: "three header rows (names, CAL/RAW, units) after sep=", found: "the end of the file")
        }
        let names = cells(nameLine), kinds = cells(kindLine), units = cells(unitLine)
        guard kinds.count == names.count, units.count == names.count else {
            throw MyoError.badLine(file: path, line: kindLine.number, column: nil, expected: "\(names.count) cells like the names row", found: "\(kinds.count) and \(units.count) in the CAL/RAW and unit rows")
        }
        guard let time = names.firstIndex(where: { $0.contains("Timestamp") }) else {
            throw MyoError.badLine(file: path, line: nameLine.number, column: nil, expected: "a Timestamp column", found: "none among \(names.count) columns")
        }
        let calibrated = kinds.contains { $0.uppercased() == "CAL" }
        var values = [[Double]](repeating: [], count: names.count)
        var firstLine = 0
        while let line = scanner.nextContentLine() {
            if firstLine == 0 { firstLine = line.number }
            let row = cells(line)
            guard row.count >= names.count else {
                throw MyoError.badLine(file: path, line: line.number, column: nil, expected: "\(names.count) cells", found: "\(row.count)")
            }
            for index in names.indices { values[index].append(Double(row[index]) ?? .nan) }
        }
        let times = values[time]
        guard times.count >= 3, times.allSatisfy(\.isFinite) else {
            throw MyoError.badLine(file: path, line: max(firstLine, unitLine.number + 1), column: names[time], expected: "at least three rows with a time", found: "\(times.count) rows")
        }
        let factor = units[time].lowercased() == "s" ? 1.0 : 1e-3
        if let broken = TimeColumn.firstBreak(times, factor: factor) {
            throw MyoError.badLine(file: path, line: firstLine + broken.row, column: names[time], expected: broken.expected, found: broken.found)
        }
        let fs = Double(times.count - 1) / ((times[times.count - 1] - times[0]) * factor)
        var channels: [Channel] = []
        for index in names.indices where index != time && !names[index].contains("Timestamp") {
            if calibrated, kinds[index].uppercased() != "CAL" { continue }
            guard values[index].contains(where: \.isFinite) else { continue }
            var name = names[index]
            if name.hasPrefix("Shimmer_"), let underscore = name.dropFirst(8).firstIndex(of: "_") { name = String(name[name.index(after: underscore)...]) }
            for suffix in ["_CAL", "_RAW", "_UNCAL"] where name.hasSuffix(suffix) { name = String(name.dropLast(suffix.count)) }
            channels.append(try fileChannel(path, name: ReadRequest.uniqueName(name, among: channels), unit: units[index], sampleRateHz: fs,
                                    startTimeSeconds: 0, samples: values[index].map(Float.init)))
        }
        guard !channels.isEmpty else {
            throw MyoError.badLine(file: path, line: nameLine.number, column: nil, expected: "a signal column besides the timestamps", found: "none")
        }
        var noted = provenance
        noted.sourceNotes.append("Shimmer Consensys export: \(calibrated ? "calibrated (CAL) columns" : "all columns"), rate \(NumberFormat.significant(fs, digits: 6)) Hz from \(names[time])")
        return LoadResult(object: .recording(Recording(name: request.name, channels: channels, provenance: noted)))
    }
}
