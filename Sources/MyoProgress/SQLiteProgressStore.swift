#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import GRDB
import MyoCore
import MyoFiles
import MyoPluginAPI

/// The progress store in one SQLite file, through GRDB: WAL mode (a DatabasePool), foreign keys
/// on, a versioned schema applied by GRDB's migrator, each write one transaction, and a busy
/// timeout so two shells writing one file wait for each other instead of failing.
public final class SQLiteProgressStore: ProgressStore {
    public let location: String
    /// A DatabasePool (WAL) for a file; a DatabaseQueue for `:memory:`, which has no WAL.
    private let pool: any DatabaseWriter
    /// `db open :memory:`: a database that lives as long as the session (for demos and classes).
    public static let inMemory = ":memory:"
    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeoutSeconds = 30.0

    /// Opens (or creates, owner-only) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        location = path
        if path == Self.inMemory {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            pool = try DatabaseQueue(configuration: configuration)
            try Self.migrator.migrate(pool)
            return
        }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        if !folder.isEmpty, !FileSystem.isFolder(folder) { try FileSystem.createFolders(folder) }
        if !FileSystem.exists(path) {
            // Created before SQLite opens it, so it is never readable by others, not even briefly.
            let descriptor = open(path, O_CREAT | O_WRONLY | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw MyoError.file(path: path, reason: "cannot be created (\(String(cString: strerror(errno))))") }
            close(descriptor)
        } else if FileSystem.isFolder(path) {
            throw MyoError.file(path: path, reason: "is a folder, not a database file")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Self.busyTimeoutSeconds)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = Self.migrator
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                let known = try pool.read { try migrator.appliedIdentifiers($0) }.sorted().joined(separator: ", ")
                throw MyoError.file(path: path, reason: "was written by a newer MyoShell (schema \(known)); this one knows \(Self.schemaVersions.joined(separator: ", ")): update MyoShell, the database is left unchanged")
            }
            try migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw Self.sentence(error, path: path)
        }
    }

    static let schemaVersions = ["v1"]

    /// The schema, one migration a version. A migration never changes an earlier one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE subject (
                    id TEXT PRIMARY KEY NOT NULL,
                    grp TEXT NOT NULL DEFAULT '',
                    note TEXT NOT NULL DEFAULT '');
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY,
                    subject_id TEXT NOT NULL REFERENCES subject(id) ON DELETE RESTRICT,
                    date TEXT NOT NULL,
                    baseline INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (subject_id, date));
                CREATE TABLE result (
                    id INTEGER PRIMARY KEY,
                    session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE RESTRICT,
                    table_name TEXT NOT NULL,
                    command TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    source_path TEXT,
                    source_sha256 TEXT,
                    provenance TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    UNIQUE (session_id, fingerprint));
                CREATE TABLE measure (
                    result_id INTEGER NOT NULL REFERENCES result(id) ON DELETE RESTRICT,
                    name TEXT NOT NULL,
                    col TEXT NOT NULL,
                    row TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    better TEXT NOT NULL,
                    value REAL NOT NULL,
                    rows INTEGER NOT NULL,
                    PRIMARY KEY (result_id, name));
                CREATE INDEX measure_by_name ON measure(name);
                CREATE TABLE outcome (
                    session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE RESTRICT,
                    name TEXT NOT NULL,
                    value REAL NOT NULL,
                    unit TEXT NOT NULL,
                    PRIMARY KEY (session_id, name));
                """)
        }
        return migrator
    }

    /// One sentence for an SQLite error, naming the file.
    static func sentence(_ error: DatabaseError, path: String) -> MyoError {
        switch error.resultCode {
        case .SQLITE_NOTADB: return .file(path: path, reason: "is not a MyoShell database (SQLite: file is not a database)")
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .file(path: path, reason: "stayed locked by another process for \(Int(busyTimeoutSeconds)) s; nothing was written, try again")
        case .SQLITE_READONLY: return .file(path: path, reason: "is read-only; nothing was written")
        case .SQLITE_CORRUPT: return .file(path: path, reason: "is damaged (SQLite: \(error.message ?? "corrupt")); restore it from a backup (db backup)")
        default: return .file(path: path, reason: "database error: \(error.message ?? "\(error.resultCode)")")
        }
    }

    private func reading<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError { throw Self.sentence(error, path: location) }
    }

    private func writing<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let error as DatabaseError { throw Self.sentence(error, path: location) }
    }

    private func requireSubject(_ id: String, _ db: Database) throws { try Self.requireSubjectExists(id, db) }

    private static func requireSubjectExists(_ id: String, _ db: Database) throws {
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM subject WHERE id = ?", arguments: [id]) != nil else {
            let known = try String.fetchAll(db, sql: "SELECT id FROM subject ORDER BY id")
            throw MyoError.unknownName(kind: "subject", name: id, suggestion: Suggestion.closest(to: id, in: known))
        }
    }

    /// The session of a subject on a day, made when missing; `baseline` marks it (never unmarks).
    private func sessionID(_ subject: String, _ date: SessionDate, baseline: Bool, _ db: Database) throws -> Int64 {
        try requireSubject(subject, db)
        try db.execute(sql: "INSERT INTO session (subject_id, date, baseline) VALUES (?, ?, ?) ON CONFLICT (subject_id, date) DO NOTHING",
                       arguments: [subject, date.description, baseline ? 1 : 0])
        if baseline { try db.execute(sql: "UPDATE session SET baseline = 1 WHERE subject_id = ? AND date = ?", arguments: [subject, date.description]) }
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM session WHERE subject_id = ? AND date = ?", arguments: [subject, date.description]) else {
            throw MyoError.other("the session of \(subject) on \(date) could not be made")
        }
        return id
    }

    public func addSubject(_ subject: SubjectRecord) throws {
        try writing { db in
            if let existing = try Row.fetchOne(db, sql: "SELECT grp, note FROM subject WHERE id = ?", arguments: [subject.id]) {
                let group: String = existing["grp"], note: String = existing["note"]
                guard group == subject.group, note == subject.note else {
                    throw MyoError.other("subject \(subject.id) already exists (group '\(group)', note '\(note)'); nothing was changed")
                }
                return
            }
            try db.execute(sql: "INSERT INTO subject (id, grp, note) VALUES (?, ?, ?)", arguments: [subject.id, subject.group, subject.note])
        }
    }

    public func subjects() throws -> [SubjectRecord] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT id, grp, note FROM subject ORDER BY id").map { SubjectRecord(id: $0["id"], group: $0["grp"], note: $0["note"]) }
        }
    }

    public func subject(_ id: String) throws -> SubjectRecord? {
        try reading { db in
            try Row.fetchOne(db, sql: "SELECT id, grp, note FROM subject WHERE id = ?", arguments: [id]).map { SubjectRecord(id: $0["id"], group: $0["grp"], note: $0["note"]) }
        }
    }

    public func keep(_ result: KeptResult, subject: String, date: SessionDate, baseline: Bool) throws -> KeepOutcome {
        try writing { db in
            let session = try sessionID(subject, date, baseline: baseline, db)
            let fingerprint = result.fingerprint
            if try Int.fetchOne(db, sql: "SELECT 1 FROM result WHERE session_id = ? AND fingerprint = ?", arguments: [session, fingerprint]) != nil {
                return .alreadyKept
            }
            try db.execute(sql: """
                INSERT INTO result (session_id, table_name, command, origin, source_path, source_sha256, provenance, fingerprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [session, result.tableName, result.command, result.origin, result.sourcePath, result.sourceSHA256,
                                 result.provenance.joined(separator: "\n"), fingerprint])
            let id = db.lastInsertedRowID
            for m in result.measures {
                try db.execute(sql: "INSERT INTO measure (result_id, name, col, row, unit, better, value, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [id, m.name, m.column, m.row, m.unit, m.better.rawValue, m.value, m.rows])
            }
            return .kept(measures: result.measures.count)
        }
    }

    public func record(_ outcomes: [OutcomeValue], subject: String, date: SessionDate, baseline: Bool) throws {
        try writing { db in
            let session = try sessionID(subject, date, baseline: baseline, db)
            for outcome in outcomes {
                if let existing = try Double.fetchOne(db, sql: "SELECT value FROM outcome WHERE session_id = ? AND name = ?", arguments: [session, outcome.name]) {
                    guard existing == outcome.value else {
                        throw MyoError.other("\(subject) already has \(outcome.name)=\(NumberFormat.significant(existing))\(outcome.unit) on \(date); a recorded outcome is never overwritten, so nothing was written")
                    }
                    continue
                }
                try db.execute(sql: "INSERT INTO outcome (session_id, name, value, unit) VALUES (?, ?, ?, ?)", arguments: [session, outcome.name, outcome.value, outcome.unit])
            }
        }
    }

    /// Three queries a subject (its sessions, their measures with their results, their
    /// outcomes), not three a session: `flags` reads every subject.
    public func sessions(of subject: String) throws -> [SessionRecord] {
        try reading { db in
            try requireSubject(subject, db)
            let rows = try Row.fetchAll(db, sql: "SELECT id, date, baseline FROM session WHERE subject_id = ? ORDER BY date", arguments: [subject])
            var measures: [Int64: [KeptMeasure]] = [:], outcomes: [Int64: [OutcomeValue]] = [:], sources: [Int64: [String: String]] = [:]
            // Columns by position (a name lookup per cell costs more than the rest); each result's
            // origin sentence and source made once, at its first measure (every kept result has one).
            var origins: [Int64: String] = [:]
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT r.session_id, r.id, m.name, m.col, m.row, m.unit, m.better, m.value, m.rows,
                       r.command, r.origin, r.table_name, r.source_path, r.source_sha256
                FROM session s JOIN result r ON r.session_id = s.id JOIN measure m ON m.result_id = r.id
                WHERE s.subject_id = ? ORDER BY r.id, m.rowid
                """, arguments: [subject])
            while let m = try cursor.next() {
                let sessionID: Int64 = m[0], resultID: Int64 = m[1]
                var kept = KeptMeasure(name: m[2], column: m[3], row: m[4], unit: m[5],
                                       better: MeasureSpec.Better(rawValue: m[6]) ?? .none, value: m[7], rows: m[8])
                if origins[resultID] == nil {
                    let source: String? = m[12], hash: String? = m[13]
                    origins[resultID] = "\(m[9] as String) (\(m[10] as String)), table \(m[11] as String)"
                        + (source.map { ", source \($0)" + (hash.map { " (SHA-256 \($0.prefix(12))...)" } ?? "") } ?? "")
                    if let source { sources[sessionID, default: [:]][source] = hash ?? "" }
                }
                kept.origin = origins[resultID] ?? ""
                measures[sessionID, default: []].append(kept)
            }
            for o in try Row.fetchAll(db, sql: """
                SELECT o.session_id, o.name, o.value, o.unit FROM session s JOIN outcome o ON o.session_id = s.id
                WHERE s.subject_id = ? ORDER BY o.session_id, o.name
                """, arguments: [subject]) {
                outcomes[o["session_id"], default: []].append(OutcomeValue(name: o["name"], value: o["value"], unit: o["unit"]))
            }
            return rows.compactMap { row -> SessionRecord? in
                let id: Int64 = row["id"]
                guard let date = SessionDate(row["date"] as String) else { return nil }
                return SessionRecord(date: date, baseline: (row["baseline"] as Int) != 0, measures: measures[id] ?? [],
                                     outcomes: outcomes[id] ?? [], sources: sources[id] ?? [:])
            }
        }
    }

    public func mapSeries<T>(of subjects: [String], _ transform: @escaping @Sendable (SubjectSeries) throws -> T) throws -> [T] {
        // Contiguous shares of the subjects, one reader connection each (WAL readers run side by side).
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, subjects.count / 64))
        let shares = (0..<workers).map { k in subjects[(subjects.count * k / workers)..<(subjects.count * (k + 1) / workers)] }
        let results = ShareResults<T>(count: workers)
        let pool = self.pool
        DispatchQueue.concurrentPerform(iterations: workers) { k in
            do {
                results.values[k] = try pool.read { db in
                    try shares[k].map { subject in
                        try Cancellation.check()
                        return try transform(Self.series(of: subject, db))
                    }
                }
            } catch { results.errors[k] = error }
        }
        if let error = results.errors.compactMap({ $0 }).first {
            if let error = error as? DatabaseError { throw Self.sentence(error, path: location) }
            throw error
        }
        return results.values.flatMap { $0 }
    }

    /// Each share's results, written by its own thread only.
    private final class ShareResults<T>: @unchecked Sendable {
        var values: [[T]]
        var errors: [Error?]
        init(count: Int) { values = Array(repeating: [], count: count); errors = Array(repeating: nil, count: count) }
    }

    /// One subject's series in three queries, reading numbers only: measures sorted by name, so
    /// a name is decoded once per measure rather than once per row.
    static func series(of subject: String, _ db: Database) throws -> SubjectSeries {
        try requireSubjectExists(subject, db)
        var dates: [SessionDate] = [], baseline: [Bool] = [], position: [Int64: Int] = [:]
        let sessions = try db.cachedStatement(sql: "SELECT id, date, baseline FROM session WHERE subject_id = ? ORDER BY date")
        for row in try Row.fetchAll(sessions, arguments: [subject]) {
            guard let date = SessionDate(row[1] as String) else { continue }
            position[row[0] as Int64] = dates.count
            dates.append(date); baseline.append((row[2] as Int) != 0)
        }
        // Per measure: the first (result, measure) it was kept in, to keep the order first kept.
        var measures: [(first: (Int64, Int64), series: SubjectSeries.Series)] = []
        var sums: [Double] = [], counts: [Int] = []
        func finish() {
            guard !measures.isEmpty else { return }
            measures[measures.count - 1].series.values = zip(sums, counts).map { $1 == 0 ? nil : $0 / Double($1) }
        }
        let measureRows = try db.cachedStatement(sql: """
            SELECT r.session_id, m.name, m.value, r.id, m.rowid, m.col, m.unit, m.better
            FROM session s JOIN result r ON r.session_id = s.id JOIN measure m ON m.result_id = r.id
            WHERE s.subject_id = ? ORDER BY m.name, r.id, m.rowid
            """)
        let cursor = try Row.fetchCursor(measureRows, arguments: [subject])
        var current: [UInt8] = []
        while let row = try cursor.next() {
            guard let k = position[row[0] as Int64] else { continue }
            let same = try row.withUnsafeData(atIndex: 1) { data in
                data.map { data in data.count == current.count && data.withUnsafeBytes { $0.elementsEqual(current) } } ?? false
            }
            if !same || measures.isEmpty {
                finish()
                let name: String = row[1]
                current = Array(name.utf8)
                measures.append(((row[3], row[4]), SubjectSeries.Series(name: name, column: row[5], unit: row[6],
                                                                       better: MeasureSpec.Better(rawValue: row[7]) ?? .none, values: [])))
                sums = Array(repeating: 0, count: dates.count); counts = Array(repeating: 0, count: dates.count)
            }
            sums[k] += row[2] as Double
            counts[k] += 1
        }
        finish()
        measures.sort { $0.first < $1.first }
        var outcomes: [SubjectSeries.Series] = []
        let outcomeRows = try db.cachedStatement(sql: """
            SELECT o.session_id, o.name, o.value, o.unit FROM session s JOIN outcome o ON o.session_id = s.id
            WHERE s.subject_id = ? ORDER BY o.name, s.date
            """)
        for row in try Row.fetchAll(outcomeRows, arguments: [subject]) {
            guard let k = position[row[0] as Int64] else { continue }
            let name: String = row[1]
            if outcomes.last?.name != name {
                outcomes.append(SubjectSeries.Series(name: name, column: name, unit: row[3], better: .none, values: Array(repeating: nil, count: dates.count)))
            }
            outcomes[outcomes.count - 1].values[k] = row[2]
        }
        return SubjectSeries(subject: subject, dates: dates, baseline: baseline, measures: measures.map(\.series), outcomes: outcomes)
    }

    public func summary() throws -> StoreSummary {
        try reading { db in
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0, size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return StoreSummary(location: location, schema: try Self.migrator.appliedIdentifiers(db).sorted().joined(separator: ", "),
                                subjects: try count("subject"), sessions: try count("session"), results: try count("result"),
                                measures: try count("measure"), outcomes: try count("outcome"), bytes: pages * size)
        }
    }

    public func integrityCheck() throws -> [String] {
        try reading { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let keys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { "a row of \($0[0] as String) refers to a missing row of \($0[2] as String)" }
            return integrity + keys
        }
    }

    public func backup(to path: String) throws {
        guard !FileSystem.exists(path) else { throw MyoError.file(path: path, reason: "exists; a backup never overwrites a file") }
        let temporary = path + ".partial"
        do {
            let descriptor = open(temporary, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
            guard descriptor >= 0 else { throw MyoError.file(path: path, reason: "cannot be written (\(String(cString: strerror(errno))))") }
            close(descriptor)
            let target = try DatabaseQueue(path: temporary)
            try pool.backup(to: target)
            try target.close()
            guard rename(temporary, path) == 0 else { throw MyoError.file(path: path, reason: "cannot be written (\(String(cString: strerror(errno))))") }
        } catch let error as DatabaseError {
            unlink(temporary)
            throw Self.sentence(error, path: path)
        }
    }
}
