import Foundation
import MyoCore
import MyoPluginAPI
import MyoProgress
import MyoShell
import MyoTestSupport
import Testing

/// Verdicts on closed-form trajectories, measures taken from tables as declared, and the shell's
/// keep / outcome / progress commands end to end.
@Suite struct ProgressVerdictTests {
    func day(_ offset: Int) -> SessionDate { SessionDate(daysSince1970: 20_000 + 7 * offset) }

    func points(_ values: [Double], baseline: Int = 0) -> [(date: SessionDate, value: Double, baseline: Bool)] {
        values.enumerated().map { (day($0.offset), $0.element, $0.offset < baseline) }
    }

    @Test func verdictsFollowTheDirectionAndTheThreshold() throws {
        let mdc = (38.0, "MDC95 38 s")
        let up = try #require(Trajectory.judge(name: "endurance", unit: "s", better: .higher, points: points([50, 60, 95]), published: mdc, caution: nil))
        #expect(up.verdict == .improved && up.change == 45 && up.threshold == 38 && up.baseline == 50 && up.latest == 95)
        let small = try #require(Trajectory.judge(name: "endurance", unit: "s", better: .higher, points: points([50, 80]), published: mdc, caution: nil))
        #expect(small.verdict == .noDetectableChange)
        let down = try #require(Trajectory.judge(name: "endurance", unit: "s", better: .higher, points: points([90, 40]), published: mdc, caution: nil))
        #expect(down.verdict == .worse)
        let pain = try #require(Trajectory.judge(name: "pain", unit: "", better: .lower, points: points([7, 4]), published: (2, "MCID"), caution: nil))
        #expect(pain.verdict == .improved)
        let si = try #require(Trajectory.judge(name: "GM.SI", unit: "%", better: .towardsZero, points: points([-25, 5]), published: (10, "given"), caution: nil))
        #expect(si.verdict == .improved)
        let ratio = try #require(Trajectory.judge(name: "GM.L/R", unit: "", better: .none, points: points([1, 1.5]), published: (0.2, "given"), caution: nil))
        #expect(ratio.verdict == .changed)
        let unknown = try #require(Trajectory.judge(name: "ES_L.FRR", unit: "", better: .higher, points: points([3, 9]), published: nil, caution: nil))
        #expect(unknown.verdict == .notJudged && unknown.threshold == nil)
        let first = try #require(Trajectory.judge(name: "pain", unit: "", better: .lower, points: points([7]), published: (2, "MCID"), caution: nil))
        #expect(first.verdict == .baselineOnly)
    }

    /// Three baseline sessions 10, 12, 14 (SD 2): the subject's own MDC95 = 1.96 x sqrt(2) x 2 =
    /// 5.544 replaces the published one, and the verdict says so.
    @Test func threeBaselineSessionsGiveTheSubjectsOwnThreshold() throws {
        let t = try #require(Trajectory.judge(name: "ES_L.FRR", unit: "", better: .higher, points: points([10, 12, 14, 17], baseline: 3), published: (1, "published"), caution: nil))
        #expect(abs(try #require(t.threshold) - 1.96 * 2.0.squareRoot() * 2) < 1e-12)
        #expect(t.baseline == 12 && t.latest == 17 && t.verdict == .noDetectableChange)
        #expect(t.thresholdSource.hasPrefix("own baseline variability (3 sessions, SD 2 )"))
        let beyond = try #require(Trajectory.judge(name: "ES_L.FRR", unit: "", better: .higher, points: points([10, 12, 14, 18], baseline: 3), published: nil, caution: nil))
        #expect(beyond.verdict == .improved)
    }

    @Test func measuresAreTheDeclaredColumnsAveragedPerRowName() {
        let table = ResultTable(title: "frr", columns: [TableColumn("channel"), TableColumn("cycle"), TableColumn("FRR"), TableColumn("ERR"), TableColumn("other", unit: "s")],
                                rows: [[.text("ES_L"), .integer(1), .number(10), .number(2), .number(1)],
                                       [.text("ES_L"), .integer(2), .number(14), .missing, .number(1)],
                                       [.text("ES_R"), .integer(1), .number(.nan), .number(3), .number(1)]])
        let kept = MeasureExtractor.measures(of: table, declared: [MeasureSpec(column: "FRR", rowKeys: ["channel"], better: .higher, summary: ""),
                                                                  MeasureSpec(column: "ERR", rowKeys: ["channel"], better: .higher, summary: ""),
                                                                  MeasureSpec(column: "absent", better: .none, summary: "")])
        #expect(kept.map(\.name) == ["ES_L.FRR", "ES_L.ERR", "ES_R.ERR"])
        #expect(kept.map(\.value) == [12, 2, 3] && kept.map(\.rows) == [2, 1, 1])
    }

    @Test func theReliabilityTableHasASourceForEveryValueAndMatchesTheOutcomeLimits() throws {
        let table = try ReliabilityTable.load(environment: [:])
        for (name, entry) in table.measures { #expect(!entry.source.isEmpty, "\(name)") }
        #expect(table.outcomes["pain"].map { ($0.min, $0.max, $0.mcid) } ?? (0, 0, 0) == (0, 10, 2))
        #expect(table.outcomes["odi"].map { ($0.min, $0.max, $0.mcid) } ?? (0, 0, 0) == (0, 100, 10))
        #expect(table.outcomes["rmdq"].map { ($0.min, $0.max, $0.mcid) } ?? (0, 0, 0) == (0, 24, 5))
        #expect(table.outcomes["psfs"].map { ($0.min, $0.max, $0.better) } ?? (0, 0, "") == (0, 10, "higher"))
        // The outcome command's limits are the table's.
        let (session, _, _) = closedFormSession()
        let spec = try #require(session.registry.commands["outcome"]).spec
        for (name, outcome) in table.outcomes {
            let argument = try #require(spec.argument(named: name))
            #expect(argument.minimum == outcome.min && argument.maximum == outcome.max, "\(name)")
        }
        // A user's file replaces entries by name.
        let own = TestEnvironment.temporaryFolder() + "/mine.yaml"
        try "measures:\n  FRR:\n    mdc: 1.5\n    source: our lab, 2026\n".write(toFile: own, atomically: true, encoding: .utf8)
        let merged = try ReliabilityTable.load(environment: ["MYOSHELL_RELIABILITY": own])
        #expect(merged.measures["FRR"]?.mdc == 1.5 && merged.measures["endurance"]?.mdc == 38)
        try "measures: [not, a, table]\n".write(toFile: own, atomically: true, encoding: .utf8)
        #expect(throws: MyoError.self) { try ReliabilityTable.load(environment: ["MYOSHELL_RELIABILITY": own]) }
    }

    /// The whole loop through the real executable: a Sorensen result kept twice (once stored),
    /// outcomes, a second session, the verdicts; and the refusals, each one sentence.
    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func keepOutcomeAndProgressThroughTheShell() throws {
        let folder = TestEnvironment.temporaryFolder()
        let environment = ["MYOSHELL_DB": folder + "/p.sqlite"]
        let data = TestEnvironment.repositoryRoot + "/sample-data"
        let script = """
        subject add P03 group=LBP
        load \(data)/sorensen.csv as s
        sorensen s as sor1
        keep sor1 subject=P03 date=2026-11-02
        keep sor1 subject=P03 date=2026-11-02
        outcome P03 date=2026-11-02 pain=6 odi=34%
        outcome P03 date=2026-11-30 pain=3 odi=30%
        set output json
        progress P03
        """
        let out = try runMyoShell(["-c", script.replacingOccurrences(of: "\n", with: "; ")], in: folder, environment: environment)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("kept 9 measures of sor1 in P03's session of 2026-11-02: ES_L.NMF slope, ES_R.NMF slope, MF_L.NMF slope, MF_R.NMF slope, ES_L.MDF slope"))
        #expect(out.stdout.contains("sor1 is already kept in P03's session of 2026-11-02; nothing changed"))
        let line = try #require(out.stdout.split(separator: "\n").last { $0.contains("\"progress of P03\"") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let rows = try #require((json["table"] as? [String: Any])?["rows"] as? [[Any]])
        func row(_ name: String) -> [Any]? { rows.first { ($0.first as? String) == name } }
        // endurance 52.46 s (the simulator's hold: 5.74 s to 58.20 s), one session: baseline only.
        #expect((row("endurance")?[2] as? Double).map { abs($0 - 52.46) < 0.01 } == true)
        #expect(row("endurance")?[7] as? String == "baseline only")
        // pain 6 -> 3: 3 points beyond the MCID of 2; ODI 34 -> 30 %: 4 points, 12 % of baseline: no detectable change.
        #expect(row("pain")?[7] as? String == "improved")
        #expect(row("odi")?[7] as? String == "no detectable change")
        #expect(row("ES_L.NMF slope")?[7] as? String == "baseline only (poor reliability)")

        for (line, expected) in [
            ("load \(data)/sorensen.csv as s; stats s as st; keep st subject=P03 date=2026-11-02", "stats declares no keepable measures, so st cannot be kept"),
            ("outcome P03 date=2026-11-02 pain=11", "pain=11 is out of range: the largest allowed is 10"),
            ("outcome P03 date=2126-11-02 pain=1", "date=2126-11-02 is out of range: a session cannot be after today"),
            ("outcome P03 date=2026-02-30 pain=1", "date=2026-02-30 is not valid: expected a day written YYYY-MM-DD"),
            ("outcome P3 date=2026-11-02 pain=1", "no subject named 'P3'; did you mean 'P03'?"),
            ("outcome P03 date=2026-11-02 pain=5", "P03 already has pain=6 on 2026-11-02"),
            ("subject add \"Jane Doe\"", "subject=Jane Doe is not valid: expected a pseudonymous id"),
            ("progress P04", "no subject named 'P04'"),
        ] {
            let refused = try runMyoShell(["-c", line], in: folder, environment: environment)
            #expect(refused.status == 1 && refused.stderr.contains(expected), "\(line): \(refused.stderr)")
        }
        let check = try runMyoShell(["-c", "db check; db"], in: folder, environment: environment)
        #expect(check.stdout.contains("integrity and foreign keys ok") && check.stdout.contains("1 subject, 2 sessions, 1 kept result, 9 measures, 4 outcomes"), "\(check.stdout)")
    }

    /// screen keeps its pass rate and mean ROM, quality its per-channel grade, SNR and noise; the
    /// ROM against the simulator's truth (pelvis at 25 deg in each hold, 0 deg at rest).
    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func screenAndQualityAreKeepable() throws {
        let folder = TestEnvironment.temporaryFolder()
        let environment = ["MYOSHELL_DB": folder + "/p.sqlite"]
        let data = TestEnvironment.repositoryRoot + "/sample-data"
        let script = """
        subject add A07
        load \(data)/bridge-set.csv as b
        load \(data)/mvc.csv as mvc
        envelope b; envelope mvc; normalize b_env mvc=mvc_env
        screen b exercise=bridge emg=b_env_mvc mount=+Z+X+Y as sc
        keep sc subject=A07 date=2026-11-02
        screen b exercise=bridge mount=+Z+X+Y as partial
        keep partial subject=A07 date=2026-11-09
        quality b as q
        keep q subject=A07 date=2026-11-02
        set output json
        progress A07
        """
        let out = try runMyoShell(["-c", script.replacingOccurrences(of: "\n", with: "; ")], in: folder, environment: environment)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("kept 2 measures of sc in A07's session of 2026-11-02: pass, ROM"), "\(out.stdout)")
        #expect(out.stdout.contains("kept 1 measure of partial"), "every repetition incomplete: no pass rate, only the ROM\n\(out.stdout)")
        #expect(out.stdout.contains("kept 18 measures of q in A07's session of 2026-11-02: GM_L.grade"), "\(out.stdout)")
        let line = try #require(out.stdout.split(separator: "\n").last { $0.contains("\"progress of A07\"") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let rows = try #require((json["table"] as? [String: Any])?["rows"] as? [[Any]])
        func value(_ name: String) -> Double? { rows.first { ($0.first as? String) == name }?[2] as? Double }
        #expect(value("pass") == 100, "all 7 repetitions assessed and passed")
        #expect(value("ROM").map { abs($0 - 25) < 2 } == true, "ROM \(String(describing: value("ROM"))) deg, truth 25 deg within 2 deg")
        #expect(value("GM_L.grade") == 0)
        #expect(value("GM_L.SNR").map { $0 > 10 } == true)
    }
}
