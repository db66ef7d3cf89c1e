import MyoCore

/// Sensor label -> channel name, for labs that name sensors by number (`EMG1 -> ES_L`).
///
/// Accepted files (one mapping per line; `#` starts a comment):
/// - arrows: `EMG1 -> ES_L`
/// - YAML mappings: `EMG1: ES_L` or `EMG1: {muscle: ES, side: L}`
/// - CSV with a header `sensor,name` or `sensor,muscle,side`
/// With a muscle and a side the name is MUSCLE_SIDE (side L or R, as `left`/`right` are normalised).
public struct Montage: Equatable, Sendable {
    public var mapping: [(sensor: String, name: String)]

    public static func == (lhs: Montage, rhs: Montage) -> Bool {
        lhs.mapping.map { "\($0.sensor)=\($0.name)" } == rhs.mapping.map { "\($0.sensor)=\($0.name)" }
    }

    public init(mapping: [(sensor: String, name: String)]) { self.mapping = mapping }

    public static func load(path: String) throws -> Montage {
        guard let text = FileSystem.readText(path) else { throw MyoError.file(path: path, reason: "cannot be read") }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> Montage {
        var mapping: [(String, String)] = []
        var csvColumns: [String]?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var line = String(rawLine)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            line = line.trimmingCharacters(in: [" ", "\t", "\r"])
            if line.isEmpty || line == "---" { continue }
            func fail(_ expected: String) -> MyoError { .badLine(file: path, line: number, column: nil, expected: expected, found: "'\(line)'") }
            if let arrow = line.firstRange(of: "->") {
                mapping.append((clean(line[..<arrow.lowerBound]), clean(line[arrow.upperBound...])))
            } else if csvColumns == nil, mapping.isEmpty, line.lowercased().hasPrefix("sensor,") {
                csvColumns = line.lowercased().split(separator: ",").map { clean($0) }
                guard csvColumns == ["sensor", "name"] || csvColumns == ["sensor", "muscle", "side"] else {
                    throw fail("a CSV header 'sensor,name' or 'sensor,muscle,side'")
                }
            } else if let columns = csvColumns {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { clean($0) }
                guard cells.count == columns.count, !cells.contains("") else { throw fail("\(columns.count) cells: \(columns.joined(separator: ","))") }
                mapping.append((cells[0], columns.count == 2 ? cells[1] : try name(muscle: cells[1], side: cells[2], fail: fail)))
            } else if let colon = line.firstIndex(of: ":") {
                let sensor = clean(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingCharacters(in: [" "])
                if value.hasPrefix("{") {
                    guard value.hasSuffix("}") else { throw fail("a closing } as in EMG1: {muscle: ES, side: L}") }
                    var fields: [String: String] = [:]
                    for pair in value.dropFirst().dropLast().split(separator: ",") {
                        let parts = pair.split(separator: ":", maxSplits: 1)
                        guard parts.count == 2 else { throw fail("key: value pairs inside { }") }
                        fields[clean(parts[0]).lowercased()] = clean(parts[1])
                    }
                    guard let muscle = fields["muscle"] else { throw fail("a muscle inside { }") }
                    if let side = fields["side"] {
                        mapping.append((sensor, try name(muscle: muscle, side: side, fail: fail)))
                    } else {
                        mapping.append((sensor, muscle))
                    }
                } else {
                    guard !value.isEmpty else { throw fail("a channel name after ':'") }
                    mapping.append((sensor, clean(Substring(value))))
                }
            } else {
                throw fail("a mapping such as 'EMG1 -> ES_L', 'EMG1: ES_L' or a CSV row")
            }
            if let last = mapping.last, last.0.isEmpty || last.1.isEmpty { throw fail("a sensor label and a name") }
        }
        guard !mapping.isEmpty else { throw MyoError.badLine(file: path, line: 1, column: nil, expected: "at least one mapping such as 'EMG1 -> ES_L'", found: "none") }
        var seen: Set<String> = []
        for (sensor, name) in mapping {
            guard seen.insert(name).inserted else { throw MyoError.other("\(path): two sensors are mapped to \(name) (the second is \(sensor)); each name must be unique") }
        }
        return Montage(mapping: mapping)
    }

    private static func clean<S: StringProtocol>(_ text: S) -> String {
        String(text).trimmingCharacters(in: [" ", "\t", "\"", "'"])
    }

    private static func name(muscle: String, side: String, fail: (String) -> MyoError) throws -> String {
        switch side.lowercased() {
        case "l", "left": return "\(muscle)_L"
        case "r", "right": return "\(muscle)_R"
        case "", "-", "none", "mid", "midline": return muscle
        default: throw fail("a side L, R, left or right")
        }
    }

    /// Renames the recording's channels; returns the sensor labels of the montage that matched
    /// no channel (for a warning). A rename onto an existing channel name is refused.
    public func apply(to recording: inout Recording) throws -> [String] {
        var unmatched: [String] = []
        var renamed = recording.channels
        for (sensor, name) in mapping {
            guard let index = renamed.firstIndex(where: { $0.name == sensor }) else { unmatched.append(sensor); continue }
            renamed[index].name = name
        }
        var names: Set<String> = []
        for channel in renamed where !names.insert(channel.name).inserted {
            throw MyoError.other("the montage would give two channels of \(recording.name) the name \(channel.name); map the other one too or choose another name")
        }
        recording.channels = renamed
        return unmatched
    }
}
