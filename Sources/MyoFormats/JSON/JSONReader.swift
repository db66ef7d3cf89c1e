import MyoCore

/// Reads back what `export ... to FILE.json` writes: a recording (name, channels with unit, rate,
/// start and samples, events, provenance) or a table (title, columns, rows, notes).
enum JSONReader {
    /// A JSON document whose first value is an object.
    static func looksLikeJSON(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.first { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 } == UInt8(ascii: "{")
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        let document: JSONValue
        do { document = try JSONValue.parse(String(decoding: bytes, as: UTF8.self)) } catch {
            throw MyoError.file(path: path, reason: "not valid JSON: \(error)")
        }
        var provenance = provenance
        provenance.steps = steps(document["provenance"]) ?? []
        if let channels = document["channels"]?.array {
            return LoadResult(object: .recording(try recording(channels, events: document["events"]?.array ?? [], path: path, request: request, provenance: provenance)))
        }
        if let columns = document["columns"]?.array, let rows = document["rows"]?.array {
            return LoadResult(object: .table(try table(document, columns: columns, rows: rows, path: path, provenance: provenance)))
        }
        throw MyoError.file(path: path, reason: "expected a MyoShell JSON export (an object with channels, or with columns and rows), found neither key")
    }

    static func recording(_ channels: [JSONValue], events: [JSONValue], path: String, request: ReadRequest, provenance: Provenance) throws -> Recording {
        var read: [Channel] = []
        for (index, item) in channels.enumerated() {
            func fail(_ expected: String) -> MyoError { .file(path: path, reason: "channel \(index + 1): expected \(expected)") }
            guard let name = item["name"]?.string, !name.isEmpty else { throw fail("a name") }
            guard let rate = item["sample_rate_hz"]?.number, rate > 0, rate.isFinite else { throw fail("a positive sample_rate_hz") }
            guard let values = item["samples"]?.array else { throw fail("a samples array") }
            var samples = [Float]()
            samples.reserveCapacity(values.count)
            for value in values {
                if case .null = value { samples.append(.nan); continue }
                guard let number = value.number else { throw fail("numbers (or null) in samples") }
                samples.append(Float(number))
            }
            read.append(try fileChannel(path, name: ReadRequest.uniqueName(name, among: read), unit: item["unit"]?.string ?? "", sampleRateHz: rate,
                                startTimeSeconds: item["start_s"]?.number ?? 0, samples: samples))
        }
        guard !read.isEmpty else { throw MyoError.file(path: path, reason: "expected at least one channel, found none") }
        var recording = Recording(name: request.name, channels: read, provenance: provenance)
        recording.events = events.compactMap { event in
            guard let time = event["time_s"]?.number, let label = event["label"]?.string else { return nil }
            return Event(timeSeconds: time, label: label)
        }
        return recording
    }

    static func table(_ document: JSONValue, columns: [JSONValue], rows: [JSONValue], path: String, provenance: Provenance) throws -> ResultTable {
        let header = columns.map { TableColumn($0["name"]?.string ?? "", unit: $0["unit"]?.string ?? "") }
        var cells: [[TableCell]] = []
        for (index, row) in rows.enumerated() {
            guard let items = row.array, items.count == header.count else {
                throw MyoError.file(path: path, reason: "row \(index + 1): expected \(header.count) cells, found \(row.array?.count ?? 0)")
            }
            cells.append(items.map { item in
                switch item {
                case .integer(let value): return .integer(value)
                case .string(let text): return .text(text)
                case .null: return .missing
                default: return item.number.map(TableCell.number) ?? .missing
                }
            })
        }
        return ResultTable(title: document["title"]?.string ?? path, columns: header, rows: cells,
                           notes: document["notes"]?.array?.compactMap(\.string) ?? [], provenance: provenance)
    }

    static func steps(_ value: JSONValue?) -> [ProvenanceStep]? {
        value?["steps"]?.array?.compactMap { step in
            guard let command = step["command"]?.string, let origin = step["origin"]?.string else { return nil }
            var parameters: [ProvenanceStep.Parameter] = []
            if case .object(let pairs)? = step["parameters"] {
                parameters = pairs.compactMap { pair in pair.1.string.map { ProvenanceStep.Parameter(name: pair.0, value: $0) } }
            }
            return ProvenanceStep(command: command, origin: origin, parameters: parameters)
        }
    }
}
