import Dispatch
import Foundation
import MyoCore
import MyoPluginAPI
import MyoProgress
import MyoTestSupport
import Testing

/// The SQLite progress store: schema, idempotent keeps, refusals that leave the file unchanged,
/// owner-only files, backups, and two processes writing one database at once.
@Suite struct ProgressStoreTests {
    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func result(_ value: Double, name: String = "endurance") -> KeptResult {
        KeptResult(tableName: "sor1", command: "sorensen", origin: "myoshell.fatigue 1.0.0", sourcePath: "/data/s.csv", sourceSHA256: "abc",
                   provenance: ["source: s.csv", "1. sorensen (myoshell.fatigue 1.0.0)"],
                   measures: [KeptMeasure(name: name, column: name, row: "", unit: "s", better: .higher, value: value, rows: 1)])
    }

    @Test func aNewDatabaseIsOwnerOnlyAndMigrated() throws {
        let path = TestEnvironment.temporaryFolder() + "/sub/p.sqlite"
        let store = try SQLiteProgressStore(path: path)
        let summary = try store.summary()
        #expect(summary.schema == "v1" && summary.subjects == 0 && summary.sessions == 0)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0, "mode \(String(mode, radix: 8))")
        #expect(try store.integrityCheck().isEmpty)
        // Opening it again migrates nothing and keeps what is there.
        try store.addSubject(SubjectRecord(id: "P01", group: "LBP"))
        #expect(try SQLiteProgressStore(path: path).subjects() == [SubjectRecord(id: "P01", group: "LBP")])
    }

    /// A file of the first released schema (a committed dump, loaded by Python's sqlite3) opens,
    /// keeps every row, and ends with the same schema as a database made new by this build.
    @Test func aPreviousSchemaMigrates() throws {
        let folder = TestEnvironment.temporaryFolder()
        let old = folder + "/v1.sqlite", fresh = folder + "/fresh.sqlite"
        let dump = TestEnvironment.repositoryRoot + "/Tests/MyoProgressTests/Reference/schema-v1.sql"
        _ = try runProgram("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()", old, dump])
        let store = try SQLiteProgressStore(path: old)
        _ = try SQLiteProgressStore(path: fresh)
        #expect(try store.summary().schema == SQLiteProgressStore(path: fresh).summary().schema)
        #expect(try store.subjects() == [SubjectRecord(id: "P01", group: "LBP")])
        let sessions = try store.sessions(of: "P01")
        #expect(sessions.map(\.date.description) == ["2026-10-05"])
        #expect(sessions.first?.measures.map { "\($0.name)=\($0.value) \($0.unit)" } == ["endurance=52.5 s"])
        #expect(sessions.first?.outcomes.map { "\($0.name)=\($0.value)" }.sorted() == ["odi=40.0", "pain=6.0"])
        #expect(try store.integrityCheck().isEmpty)
        func schema(_ path: String) throws -> String {
            try runProgram("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT group_concat(type || ' ' || name || ': ' || ifnull(sql, ''), char(10)) FROM (SELECT * FROM sqlite_master ORDER BY name)\").fetchone()[0])", path]).stdout
        }
        #expect(try schema(old) == schema(fresh))
    }

    @Test func keepingIsIdempotentAndOutcomesAreNeverOverwritten() throws {
        let store = try SQLiteProgressStore(path: TestEnvironment.temporaryFolder() + "/p.sqlite")
        try store.addSubject(SubjectRecord(id: "P03", group: "LBP", note: "programme"))
        try store.addSubject(SubjectRecord(id: "P03", group: "LBP", note: "programme"))
        #expect(message { try store.addSubject(SubjectRecord(id: "P03", group: "squad")) }.contains("subject P03 already exists"))
        let day = try #require(SessionDate("2026-11-02"))
        #expect(try store.keep(result(52.5), subject: "P03", date: day, baseline: false) == .kept(measures: 1))
        #expect(try store.keep(result(52.5), subject: "P03", date: day, baseline: false) == .alreadyKept)
        try store.record([OutcomeValue(name: "pain", value: 6, unit: "")], subject: "P03", date: day, baseline: false)
        try store.record([OutcomeValue(name: "pain", value: 6, unit: "")], subject: "P03", date: day, baseline: false)
        let before = try store.summary()
        #expect(message { try store.record([OutcomeValue(name: "odi", value: 30, unit: "%"), OutcomeValue(name: "pain", value: 5, unit: "")], subject: "P03", date: day, baseline: false) }
            == "P03 already has pain=6 on 2026-11-02; a recorded outcome is never overwritten, so nothing was written")
        let after = try store.summary()
        #expect((before.outcomes, before.results, before.measures) == (after.outcomes, after.results, after.measures), "the refused write left nothing behind (odi too)")
        #expect(message { try store.keep(result(1), subject: "P3", date: day, baseline: false) } == "no subject named 'P3'; did you mean 'P03'?")
        let sessions = try store.sessions(of: "P03")
        #expect(sessions.count == 1 && sessions[0].measures.map(\.value) == [52.5] && sessions[0].outcomes.map(\.value) == [6])
        #expect(sessions[0].sources == ["/data/s.csv": "abc"])
    }

    @Test func aFileThatIsNoDatabaseOrANewerOneIsRefusedAndLeftAlone() throws {
        let folder = TestEnvironment.temporaryFolder()
        let text = folder + "/notes.sqlite"
        try "not a database, just notes\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(message { try SQLiteProgressStore(path: text) } == "\(text): is not a MyoShell database (SQLite: file is not a database)")
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "not a database, just notes\n")
        // A database whose schema has a migration this build does not know.
        let newer = folder + "/newer.sqlite"
        _ = try SQLiteProgressStore(path: newer)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO grdb_migrations VALUES ('v9')\"); c.commit()", newer]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0)
        // Its content (an SQL dump by Python's sqlite3, an independent reader) is the same after the refusal.
        func dump() throws -> String {
            try runProgram("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; print('\\n'.join(sqlite3.connect(sys.argv[1]).iterdump()))", newer]).stdout
        }
        let before = try dump()
        #expect(before.contains("INSERT INTO \"grdb_migrations\" VALUES('v9')"))
        #expect(message { try SQLiteProgressStore(path: newer) }.contains("was written by a newer MyoShell (schema v1, v9)"))
        #expect(try dump() == before)
    }

    @Test func backupIsAConsistentCopyAndNeverOverwrites() throws {
        let folder = TestEnvironment.temporaryFolder()
        let store = try SQLiteProgressStore(path: folder + "/p.sqlite")
        try store.addSubject(SubjectRecord(id: "A"))
        _ = try store.keep(result(40), subject: "A", date: try #require(SessionDate("2026-01-05")), baseline: true)
        try store.backup(to: folder + "/copy.sqlite")
        let copy = try SQLiteProgressStore(path: folder + "/copy.sqlite")
        #expect(try copy.sessions(of: "A") == store.sessions(of: "A"))
        #expect(try copy.integrityCheck().isEmpty)
        #expect(message { try store.backup(to: folder + "/copy.sqlite") } == "\(folder)/copy.sqlite: exists; a backup never overwrites a file")
    }

    @Test func datesAreRealDays() {
        #expect(SessionDate("2024-02-29")?.description == "2024-02-29")
        #expect(SessionDate("2026-02-29") == nil && SessionDate("2026-13-01") == nil && SessionDate("26-11-02") == nil && SessionDate("2026-11-2") == nil)
        #expect(SessionDate(daysSince1970: 0).description == "1970-01-01")
        #expect(SessionDate(daysSince1970: 20_759).description == "2026-11-02")
        #expect(SessionDate("2026-11-02")?.daysSince1970 == 20_759)
        #expect(SessionDate.today(secondsSince1970: 1_780_000_000).description == "2026-05-28")
    }

    /// Two shells writing one database at once: every write lands (each command one transaction,
    /// the busy timeout makes the second wait), and the file checks clean.
    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func twoProcessesWritingOneDatabaseLoseNothing() throws {
        let folder = TestEnvironment.temporaryFolder()
        let database = folder + "/shared.sqlite"
        for subject in ["S1", "S2"] {
            let lines = ["subject add \(subject)"] + (0..<500).map { "outcome \(subject) date=\(SessionDate(daysSince1970: 18_000 + $0)) pain=\($0 % 11)" }
            try lines.joined(separator: "\n").write(toFile: "\(folder)/\(subject).myo", atomically: true, encoding: .utf8)
        }
        _ = try SQLiteProgressStore(path: database)
        let results = Locked<[ProcessResult?]>([nil, nil])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result = try? runMyoShell(["\(folder)/S\(index + 1).myo"], in: folder, environment: ["MYOSHELL_DB": database])
            results.withLock { $0[index] = result }
        }
        for result in results.withLock({ $0 }) {
            let finished = try #require(result)
            #expect(finished.status == 0, "\(finished.stderr)")
        }
        let store = try SQLiteProgressStore(path: database)
        let summary = try store.summary()
        #expect(summary.sessions == 1000 && summary.outcomes == 1000, "\(summary.sessions) sessions, \(summary.outcomes) outcomes")
        #expect(try store.integrityCheck().isEmpty)
    }
}

/// A shell killed with SIGKILL in the middle of its writes leaves a database that checks clean,
/// with every command's writes whole or absent (each is one transaction).
@Suite struct ProgressCrashTests {
    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func aKilledShellLeavesWholeTransactions() throws {
        let folder = TestEnvironment.temporaryFolder()
        let database = folder + "/killed.sqlite"
        let lines = ["subject add K1"] + (0..<20_000).map { "outcome K1 date=\(SessionDate(daysSince1970: 1000 + $0)) pain=\($0 % 11) odi=\($0 % 101)% rmdq=\($0 % 25)" }
        try lines.joined(separator: "\n").write(toFile: folder + "/many.myo", atomically: true, encoding: .utf8)
        _ = try SQLiteProgressStore(path: database)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.myoshell)
        process.arguments = [folder + "/many.myo"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ["MYOSHELL_DB": database, "HOME": folder, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once some sessions are in (polled through a second connection), mid-stream.
        let store = try SQLiteProgressStore(path: database)
        let deadline = Date().addingTimeInterval(60)
        while try store.summary().sessions < 200, Date() < deadline, process.isRunning { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the shell finished before it was killed; the test proves nothing")
        let after = try SQLiteProgressStore(path: database)
        #expect(try after.integrityCheck().isEmpty)
        let summary = try after.summary()
        #expect(summary.sessions >= 200 && summary.sessions < 20_000)
        #expect(summary.outcomes == 3 * summary.sessions, "\(summary.outcomes) outcomes in \(summary.sessions) sessions: a command's writes were split")
    }
}
