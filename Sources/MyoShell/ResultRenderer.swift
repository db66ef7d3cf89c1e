import MyoCore
import MyoFormats

/// Renders results once, for every command: aligned text tables, or one JSON object per line.
public enum ResultRenderer {
    /// A table with a title line, a header `name [unit]`, numbers right-aligned, text left-aligned.
    public static func text(_ table: ResultTable, name: String?) -> String {
        let headers = table.columns.map { $0.unit.isEmpty ? $0.name : "\($0.name) [\($0.unit)]" }
        let cells = table.rows.map { $0.map(\.formatted) }
        var widths = headers.map(\.count)
        for row in cells { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
        let numeric = table.columns.indices.map { column in
            table.rows.allSatisfy { row in
                guard column < row.count else { return true }
                switch row[column] { case .number, .integer, .missing: return true; case .text: return false }
            }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                numeric[index] ? value.leftPadding(widths[index]) : value.padding(widths[index])
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [name.map { "\($0): \(table.title)" } ?? table.title, line(headers)]
        lines += cells.map(line)
        lines += table.notes.map { "  " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ table: ResultTable, name: String?) -> String {
        JSONValue.object([("type", .string("table")), ("name", name.map(JSONValue.string) ?? .null), ("table", JSONValue(table: table))]).serialized() + "\n"
    }

    public static func json(message: String, kind: String) -> String {
        JSONValue.object([("type", .string(kind)), ("text", .string(message))]).serialized() + "\n"
    }

    public static func json(recording: Recording) -> String {
        JSONValue.object([
            ("type", .string("recording")),
            ("name", .string(recording.name)),
            ("summary", .string(recording.summary)),
            ("channels", .array(recording.channels.map {
                .object([("name", .string($0.name)), ("unit", .string($0.unit)), ("sample_rate_hz", .number($0.sampleRateHz)),
                         ("start_s", .number($0.startTimeSeconds)), ("samples", .integer($0.samples.count))])
            })),
            ("events", .integer(recording.events.count)),
        ]).serialized() + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var slice = Substring(self)
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
