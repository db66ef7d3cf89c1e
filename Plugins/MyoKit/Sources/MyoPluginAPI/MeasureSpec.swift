import MyoCore

/// A column of a command's result tables that can be kept in the progress database: a measure
/// followed over sessions. Declared in the command's spec, so the host needs no list of table
/// names: `keep TABLE` keeps what the command that made TABLE declares.
public struct MeasureSpec: Sendable, Equatable {
    /// Which way is better for the person measured.
    public enum Better: String, Sendable, CaseIterable {
        case higher, lower
        /// Closer to zero is better (a symmetry index).
        case towardsZero = "towards zero"
        /// No direction: a change is reported, never judged.
        case none
    }

    /// The column's name in the table (`NMF slope`); its unit comes from the table.
    public var column: String
    /// Columns whose text names the row (`channel`, `pair`); the measure kept is
    /// `ROW.COLUMN` (`ES_L.NMF slope`), the mean of the rows that share a name.
    public var rowKeys: [String]
    public var better: Better
    /// One line for help and reports.
    public var summary: String

    public init(column: String, rowKeys: [String] = [], better: Better, summary: String) {
        self.column = column
        self.rowKeys = rowKeys
        self.better = better
        self.summary = summary
    }
}
