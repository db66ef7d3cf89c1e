import MyoCore
import MyoPluginAPI

/// A subject followed over sessions: a pseudonymous id (never a name), a group, a note.
public struct SubjectRecord: Sendable, Equatable {
    public var id: String
    public var group: String
    public var note: String
    public init(id: String, group: String = "", note: String = "") {
        self.id = id
        self.group = group
        self.note = note
    }
}

/// A calendar date, `2026-11-02`: the day of a session.
public struct SessionDate: Sendable, Comparable, Hashable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    /// Parses `YYYY-MM-DD` (a real day of the Gregorian calendar); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1900...9999).contains(year), (1...12).contains(month) else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// Today in UTC, from the system clock.
    public static func today(secondsSince1970 seconds: Int) -> SessionDate {
        SessionDate(daysSince1970: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// The day `days` after 1970-01-01.
    public init(daysSince1970 days: Int) {
        (year, month, day) = CivilCalendar.date(days: days)
    }

    /// Days since 1970-01-01, for spacing points on a time axis.
    public var daysSince1970: Int { CivilCalendar.days(year: year, month: month, day: day) }

    public var description: String { CivilCalendar.text((year, month, day)) }
    public static func < (a: SessionDate, b: SessionDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// One measure of a kept result: `ES_L.NMF slope` = -0.53 %/s.
public struct KeptMeasure: Sendable, Equatable {
    public var name: String
    public var column: String
    public var row: String
    public var unit: String
    public var better: MeasureSpec.Better
    public var value: Double
    /// How many table rows were averaged (cycles of FRR, segments of an asymmetry).
    public var rows: Int
    /// Where the value came from, as read back from the store: the command, its plugin and
    /// version, the table and the source file (empty before it is kept).
    public var origin: String = ""
    public init(name: String, column: String, row: String, unit: String, better: MeasureSpec.Better, value: Double, rows: Int) {
        (self.name, self.column, self.row, self.unit, self.better, self.value, self.rows) = (name, column, row, unit, better, value, rows)
    }
}

/// A result table's measures with where they came from: never the samples, only the source
/// file's path and SHA-256 and the whole provenance.
public struct KeptResult: Sendable, Equatable {
    public var tableName: String
    public var command: String
    public var origin: String
    public var sourcePath: String?
    public var sourceSHA256: String?
    public var provenance: [String]
    public var measures: [KeptMeasure]

    public init(tableName: String, command: String, origin: String, sourcePath: String?, sourceSHA256: String?, provenance: [String], measures: [KeptMeasure]) {
        (self.tableName, self.command, self.origin, self.sourcePath, self.sourceSHA256, self.provenance, self.measures)
            = (tableName, command, origin, sourcePath, sourceSHA256, provenance, measures)
    }

    /// What makes two kept results the same: source content, provenance and values (not the
    /// workspace name the table had), so keeping a result twice is recognised.
    public var fingerprint: String {
        var hash = SHA256Text()
        hash.add(command); hash.add(origin); hash.add(sourceSHA256 ?? "-")
        for line in provenance { hash.add(line) }
        for m in measures { hash.add("\(m.name)=\(m.value.bitPattern) \(m.unit)") }
        return hash.value
    }
}

/// A patient-reported outcome of one session: `odi` = 34 %.
public struct OutcomeValue: Sendable, Equatable {
    public var name: String
    public var value: Double
    public var unit: String
    public init(name: String, value: Double, unit: String) {
        (self.name, self.value, self.unit) = (name, value, unit)
    }
}

/// Everything kept for one subject on one day.
public struct SessionRecord: Sendable, Equatable {
    public var date: SessionDate
    public var baseline: Bool
    public var measures: [KeptMeasure]
    public var outcomes: [OutcomeValue]
    /// The source files of the session's results, with the SHA-256 they had when kept.
    public var sources: [String: String]
}

/// `keep`'s result: stored, or the same result was already there.
public enum KeepOutcome: Sendable, Equatable {
    case kept(measures: Int)
    case alreadyKept
}

/// Counts and size, for `db`.
public struct StoreSummary: Sendable {
    public var location: String
    public var schema: String
    public var subjects: Int
    public var sessions: Int
    public var results: Int
    public var measures: Int
    public var outcomes: Int
    public var bytes: Int
}

/// Where subjects, sessions, kept measures and outcomes live. One protocol, so a server database
/// (PostgreSQL, for a clinic where many clinicians share the data) can stand beside the SQLite
/// file later (docs/ARCHITECTURE.md). Each call that writes is one transaction.
public protocol ProgressStore: AnyObject {
    /// A path or a connection string, for `db`.
    var location: String { get }
    func addSubject(_ subject: SubjectRecord) throws
    func subjects() throws -> [SubjectRecord]
    func subject(_ id: String) throws -> SubjectRecord?
    /// Keeps a result in the subject's session of that date (made when missing).
    func keep(_ result: KeptResult, subject: String, date: SessionDate, baseline: Bool) throws -> KeepOutcome
    /// Records outcomes in the subject's session of that date (made when missing). A value that
    /// differs from one already recorded is refused, never overwritten.
    func record(_ outcomes: [OutcomeValue], subject: String, date: SessionDate, baseline: Bool) throws
    /// The subject's sessions, oldest first.
    func sessions(of subject: String) throws -> [SessionRecord]
    /// `transform` of each subject's series (numbers only, no provenance), in the order of
    /// `subjects`: how `flags` reads a whole clinic. A store may read subjects concurrently, so
    /// `transform` must be safe to call from several threads.
    func mapSeries<T>(of subjects: [String], _ transform: @escaping @Sendable (SubjectSeries) throws -> T) throws -> [T]
    func summary() throws -> StoreSummary
    /// Problems found by the store's own check; empty when sound.
    func integrityCheck() throws -> [String]
    /// A consistent copy of the whole store, written while it stays in use.
    func backup(to path: String) throws
}
