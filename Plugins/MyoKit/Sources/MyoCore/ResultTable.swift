/// A column of a result table: its name and the unit of every number in it ("" when none).
public struct TableColumn: Sendable, Equatable {
    public var name: String
    public var unit: String
    public init(_ name: String, unit: String = "") {
        self.name = name
        self.unit = unit
    }
}

/// One cell of a result table.
public enum TableCell: Sendable, Equatable {
    case number(Double)
    case integer(Int)
    case text(String)
    /// No value, with the reason (shown as `-` in tables; the reason goes to the notes).
    case missing

    /// The cell as shown in text tables and CSV: numbers with 6 significant digits.
    public var formatted: String {
        switch self {
        case .number(let value): return NumberFormat.significant(value, digits: 6)
        case .integer(let value): return String(value)
        case .text(let text): return text
        case .missing: return "-"
        }
    }
}

/// A structured result: rows of cells under named columns with units, plus notes and provenance.
public struct ResultTable: Sendable {
    public var title: String
    public var columns: [TableColumn]
    public var rows: [[TableCell]]
    /// Sentences printed under the table (parameters used, caveats).
    public var notes: [String]
    public var provenance: Provenance

    public init(title: String, columns: [TableColumn], rows: [[TableCell]] = [], notes: [String] = [], provenance: Provenance = Provenance()) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = notes
        self.provenance = provenance
    }
}
