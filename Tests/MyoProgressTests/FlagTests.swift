import Foundation
import MyoCore
import MyoPluginAPI
import MyoProgress
import MyoTestSupport
import Testing

/// Non-response rules on closed-form courses: each fires for the course built to fire it and for
/// no other, and a measure of poor reliability fires nothing.
@Suite struct FlagTests {
    static func day(_ week: Int) -> SessionDate { SessionDate(daysSince1970: 20_400 + 7 * week) }

    /// Subjects with weekly sessions: measures (column, row, unit, better) and outcomes per week.
    static func database() throws -> (String, SQLiteProgressStore) {
        let path = TestEnvironment.temporaryFolder() + "/flags.sqlite"
        let store = try SQLiteProgressStore(path: path)
        func course(_ subject: String, endurance: [Double] = [], pain: [Double] = [], odi: [Double] = [], si: [Double] = [], nmf: [Double] = []) throws {
            try store.addSubject(SubjectRecord(id: subject, group: "test"))
            let weeks = max(endurance.count, pain.count, odi.count, si.count, nmf.count)
            for week in 0..<weeks {
                var measures: [KeptMeasure] = []
                if week < endurance.count { measures.append(KeptMeasure(name: "endurance", column: "endurance", row: "", unit: "s", better: .higher, value: endurance[week], rows: 1)) }
                if week < si.count { measures.append(KeptMeasure(name: "GM.SI", column: "SI", row: "GM", unit: "%", better: .towardsZero, value: si[week], rows: 1)) }
                if week < nmf.count { measures.append(KeptMeasure(name: "ES_L.NMF slope", column: "NMF slope", row: "ES_L", unit: "%/s", better: .higher, value: nmf[week], rows: 1)) }
                if !measures.isEmpty {
                    _ = try store.keep(KeptResult(tableName: "t", command: "sorensen", origin: "test", sourcePath: nil, sourceSHA256: nil, provenance: ["week \(week)"], measures: measures),
                                       subject: subject, date: day(week), baseline: false)
                }
                var outcomes: [OutcomeValue] = []
                if week < pain.count { outcomes.append(OutcomeValue(name: "pain", value: pain[week], unit: "")) }
                if week < odi.count { outcomes.append(OutcomeValue(name: "odi", value: odi[week], unit: "%")) }
                if !outcomes.isEmpty { try store.record(outcomes, subject: subject, date: day(week), baseline: false) }
            }
        }
        try course("R1", endurance: [50, 70, 95, 110], pain: [7, 5, 3, 2], odi: [40, 30, 20, 15])
        try course("N1", endurance: [60, 58, 55, 57], pain: [6, 6, 7, 6], odi: [36, 34, 38, 35])
        try course("W1", endurance: [90, 70, 40], pain: [3, 6, 7])
        try course("A1", endurance: [60, 65], si: [16, 18, 22])
        try course("P1", nmf: [-0.3, -0.9, -1.5, -2.0, -2.5])
        return (path, store)
    }

    @Test func eachRuleFiresForItsCourseOnly() throws {
        let (_, store) = try Self.database()
        let reliability = try ReliabilityTable.load(environment: [:]), rules = try FlagRules.load(environment: [:])
        var fired: [String: [String]] = [:]
        for subject in try store.subjects().map(\.id) {
            let sessions = try store.sessions(of: subject)
            fired[subject] = FlagEvaluator.flags(subject: subject, dates: sessions.map(\.date), trajectories: ProgressAnalysis.trajectories(sessions, reliability: reliability), rules: rules).map(\.rule)
        }
        // The store's series (numbers read as numbers, subjects read side by side) fire the same.
        let subjects = try store.subjects().map(\.id)
        let fromSeries = try store.mapSeries(of: subjects) { series in
            FlagEvaluator.flags(subject: series.subject, dates: series.dates, trajectories: ProgressAnalysis.trajectories(series, reliability: reliability), rules: rules)
        }
        #expect(Dictionary(uniqueKeysWithValues: zip(subjects, fromSeries.map { $0.map(\.rule) })) == fired)
        for subject in subjects {
            #expect(try store.mapSeries(of: [subject]) { $0 } == [SubjectSeries(subject: subject, sessions: store.sessions(of: subject))])
        }
        #expect(fired["R1"] == [])
        #expect(fired["N1"] == ["no-improvement"])
        #expect(fired["W1"] == ["outcome-worse", "endurance-falling"])
        #expect(fired["A1"] == ["asymmetry-growing"])
        #expect(fired["P1"] == [], "the NMF slope has poor reliability: it fires nothing alone")
    }

    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func flagsPrintMostSevereFirstWithTheirEvidence() throws {
        let (path, _) = try Self.database()
        let out = try runMyoShell(["-c", "flags"], in: TestEnvironment.temporaryFolder(), environment: ["MYOSHELL_DB": path])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let order = lines.compactMap { line in ["W1", "N1", "A1"].first { line.hasPrefix($0 + " ") }.map { "\($0) \(line.split(separator: " ")[1])" } }
        #expect(order == ["W1 3", "N1 2", "W1 2", "A1 1"], "\(out.stdout)")
        #expect(out.stdout.contains("pain worse than baseline 3 beyond 2 at 2 consecutive sessions: \(Self.day(1)) 6, \(Self.day(2)) 7"))
        #expect(out.stdout.contains("|GM.SI| above 15 % and growing over the last 3 sessions"))
        #expect(out.stdout.contains("never names a diagnosis"))
        let one = try runMyoShell(["-c", "flags R1"], in: TestEnvironment.temporaryFolder(), environment: ["MYOSHELL_DB": path])
        #expect(one.stdout.hasPrefix("flags1: no open flags"), "\(one.stdout)")
    }

    @Test func ownRulesReplaceByIdAndBadKindsAreRefused() throws {
        let own = TestEnvironment.temporaryFolder() + "/rules.yaml"
        try "rules:\n  - id: asymmetry-growing\n    title: SI above 10 %\n    kind: above-and-growing\n    measures: [SI]\n    limit: 10\n    sessions: 2\n    severity: 1\n    suggest: look\n".write(toFile: own, atomically: true, encoding: .utf8)
        let rules = try FlagRules.load(environment: ["MYOSHELL_FLAGS": own])
        #expect(rules.rules.count == 4 && rules.rules.first { $0.id == "asymmetry-growing" }?.limit == 10)
        try "rules:\n  - id: x\n    title: x\n    kind: diagnose\n    measures: [SI]\n    severity: 1\n    suggest: x\n".write(toFile: own, atomically: true, encoding: .utf8)
        #expect(throws: MyoError.self) { try FlagRules.load(environment: ["MYOSHELL_FLAGS": own]) }
    }
}
