import MyoCore

/// A JSON value whose objects keep their key order, so output is byte-identical run to run.
public indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    /// A Float32 sample, printed in its own shortest round-trip form (not widened to Double).
    case float(Float)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.serialized() == rhs.serialized() }

    /// Compact serialisation. Non-finite numbers become null (JSON has no NaN); doubles print
    /// in the shortest form that reads back to the same value.
    public func serialized() -> String {
        var out = ""
        write(into: &out)
        return out
    }

    public func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .float(let value): out += value.isFinite ? value.description : "null"
        case .number(let value):
            if !value.isFinite { out += "null" } else if value == value.rounded(), abs(value) < 1e15 { out += String(Int64(value)) } else { out += "\(value)" }
        case .string(let text): JSONValue.writeString(text, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                JSONValue.writeString(member.0, into: &out)
                out += ":"
                member.1.write(into: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension JSONValue {
    /// A table as JSON: title, columns with units, rows, notes.
    public init(table: ResultTable) {
        self = .object([
            ("title", .string(table.title)),
            ("columns", .array(table.columns.map { .object([("name", .string($0.name)), ("unit", .string($0.unit))]) })),
            ("rows", .array(table.rows.map { .array($0.map(JSONValue.init(cell:))) })),
            ("notes", .array(table.notes.map(JSONValue.string))),
            ("provenance", JSONValue(provenance: table.provenance)),
        ])
    }

    public init(cell: TableCell) {
        switch cell {
        case .number(let value): self = .number(value)
        case .integer(let value): self = .integer(value)
        case .text(let text): self = .string(text)
        case .missing: self = .null
        }
    }

    public init(provenance: Provenance) {
        var members: [(String, JSONValue)] = []
        if let source = provenance.sourceFile { members.append(("source", .string(source))) }
        members.append(("steps", .array(provenance.steps.map { step in
            .object([
                ("command", .string(step.command)),
                ("origin", .string(step.origin)),
                ("parameters", .object(step.parameters.map { ($0.name, .string($0.value)) })),
            ])
        })))
        self = .object(members)
    }
}
