import Foundation
import MyoCore
import MyoShell
import MyoTestSupport
import Testing

/// `apdf` and `gaps` on closed-form %MVC envelopes whose percentiles and gaps are known by hand.
/// Tolerance: 1e-4 %MVC for percentiles (the samples are Float32), exact counts and sample-exact
/// durations (0.01 s at 100 Hz).
@Suite struct DailyLoadTests {
    /// 100 Hz, %MVC: sitting 0-10 s ramps 0.00..9.99, walking 10-20 s holds 30, sitting 20-30 s
    /// ramps 10.00..19.99.
    static func session() throws -> Session {
        let (session, _, _) = closedFormSession()
        var samples: [Float] = (0..<1000).map { Float(Double($0) * 0.01) }
        samples += [Float](repeating: 30, count: 1000)
        samples += (0..<1000).map { Float(10 + Double($0) * 0.01) }
        let events = [Event(timeSeconds: 0, label: "activity: sitting"), Event(timeSeconds: 10, label: "activity: walking"), Event(timeSeconds: 20, label: "activity: sitting")]
        session.workspace.store(Recording(name: "e", channels: [Channel(name: "ES_L", unit: "%MVC", sampleRateHz: 100, samples: samples)], events: events, provenance: Provenance(sourceFile: "memory")))
        return session
    }

    static func numbers(_ row: [TableCell]) -> [Double] { row.compactMap { if case .number(let v) = $0 { return v } else if case .integer(let i) = $0 { return Double(i) } else { return nil } } }

    @Test func apdfPerActivityIsThePercentilesOfItsBouts() throws {
        let session = try Self.session()
        try session.execute("apdf e as a")
        let table = try session.workspace.table(named: "a")
        #expect(table.rows.map { $0[1] } == [.text("sitting"), .text("walking")])
        // Sitting: 0.00..19.99 in 0.01 steps, 2000 values: positions 199.9, 999.5, 1799.1.
        let sitting = Self.numbers(table.rows[0]), walking = Self.numbers(table.rows[1])
        #expect(sitting[0] == 20 && abs(sitting[1] - 1.999) < 1e-4 && abs(sitting[2] - 9.995) < 1e-4 && abs(sitting[3] - 17.991) < 1e-4, "\(sitting)")
        #expect(walking == [10, 30, 30, 30])
        try session.execute("apdf e by=all as b")
        #expect(Self.numbers(try session.workspace.table(named: "b").rows[0])[0] == 30)
    }

    /// 60 s at 5 %MVC with dips to 0.1 %MVC: 0.3 s at 10 s, 0.15 s at 20 s (too short), 0.2 s at
    /// 30 s (exactly min=), 1 s at 59 s (to the end).
    @Test func gapsCountRestAndTheLongestStretchWithout() throws {
        let (session, _, _) = closedFormSession()
        var samples = [Float](repeating: 5, count: 6000)
        for (start, length) in [(1000, 30), (2000, 15), (3000, 20), (5900, 100)] { for i in start..<(start + length) { samples[i] = 0.1 } }
        session.workspace.store(Recording(name: "g", channels: [Channel(name: "ES_L", unit: "%MVC", sampleRateHz: 100, samples: samples)], provenance: Provenance(sourceFile: "memory")))
        try session.execute("gaps g by=all as t")
        let row = Self.numbers(try session.workspace.table(named: "t").rows[0])
        // time, gaps, per min, rest %, longest without: 3 gaps of 0.3 + 0.2 + 1 s; longest 30.2 s..59 s.
        #expect(row[0] == 60 && row[1] == 3 && abs(row[2] - 3) < 1e-9 && abs(row[3] - 1.5 / 60 * 100) < 1e-9 && abs(row[4] - 28.8) < 1e-9, "\(row)")
        try session.execute("gaps g by=all min=0.1s as u")
        #expect(Self.numbers(try session.workspace.table(named: "u").rows[0])[1] == 4)
        // Sustained (no gap for 15 s or more): 10.3 s..30 s (the 0.15 s dip is no gap) and 30.2 s..59 s.
        try session.execute("gaps g by=all sustained=15s as v")
        let sustained = Self.numbers(try session.workspace.table(named: "v").rows[0])
        #expect(sustained[5] == 2 && abs(sustained[6] - (19.7 + 28.8) / 60 * 100) < 1e-9, "\(sustained)")
        #expect(row[5] == 0 && row[6] == 0, "none reaches the default 8 min")
    }

    @Test func whatTheMeasuresNeedIsOneSentence() throws {
        let (session, _, _) = closedFormSession()
        #expect(errorText(session, "apdf r.SIN_L").contains("apdf needs envelopes in %MVC, and r.SIN_L is in mV: record an MVC trial, then envelope REC; envelope MVC; normalize REC_env mvc=MVC_env"))
        #expect(errorText(session, "gaps r.SIN_L below=0.01mV by=all") == "no error")
        let withoutEvents = try Self.session()
        withoutEvents.workspace.store(Recording(name: "n", channels: [Channel(name: "ES_L", unit: "%MVC", sampleRateHz: 100, samples: [1, 2, 3])], provenance: Provenance(sourceFile: "memory")))
        #expect(errorText(withoutEvents, "apdf n").contains("n has no activity events: run activities on the recording with the trunk IMU"))
    }

    /// The simulator's truth: a 20-minute day and its MVC trial (simulate day writes both), the
    /// envelopes normalised to it. The APDF median of ES_L per activity is the activation the day
    /// model gives it x 100: lying 2, sitting 5, standing 8, bending 25 %MVC. Tolerance 15 % of the
    /// truth: the MVC reference is the largest 500 ms mean of the contraction, a few % above its
    /// mean envelope, and the median of an envelope lies below its mean, so levels read 0-11 % low
    /// (measured: 1.99, 4.52, 7.22, 22.2 %MVC).
    @Test(.enabled(if: TestEnvironment.hasExecutable))
    func apdfOfASimulatedDayIsItsKnownActivation() throws {
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "set output json; simulate day seed=4 duration=20min to d.edf; load d.edf as d; load d.mvc.edf as m; activities d; envelope d.ES_L as env; envelope m.ES_L as menv; normalize env mvc=menv as pct; apdf pct"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(printedTables(out).last?["rows"] as? [[Any]])
        let median = Dictionary(uniqueKeysWithValues: rows.map { ($0[1] as! String, $0[4] as! Double) })
        for (activity, truth) in [("lying", 2.0), ("sitting", 5.0), ("standing", 8.0), ("bending", 25.0)] {
            let value = try #require(median[activity], "\(activity) in \(median)")
            #expect(abs(value - truth) <= 0.15 * truth, "\(activity): \(value) %MVC, truth \(truth)")
        }
    }

    /// balance: ES_L holds 10 and ES_R 12 while sitting, 20 and 20 while walking: SI 18.18 % and 0 %.
    @Test func balanceGivesTheSymmetryIndexPerActivity() throws {
        let (session, _, _) = closedFormSession()
        let left = [Float](repeating: 10, count: 1000) + [Float](repeating: 20, count: 1000)
        let right = [Float](repeating: 12, count: 1000) + [Float](repeating: 20, count: 1000)
        let events = [Event(timeSeconds: 0, label: "activity: sitting"), Event(timeSeconds: 10, label: "activity: walking")]
        session.workspace.store(Recording(name: "e", channels: [Channel(name: "ES_L", unit: "%MVC", sampleRateHz: 100, samples: left),
                                                                Channel(name: "ES_R", unit: "%MVC", sampleRateHz: 100, samples: right)], events: events, provenance: Provenance(sourceFile: "memory")))
        try session.execute("balance e as t")
        let rows = try session.workspace.table(named: "t").rows.map(Self.numbers)
        #expect(rows.count == 2 && rows[0] == [10, 10, 12, 100 * 2.0 / 11] && rows[1] == [10, 20, 20, 0], "\(rows)")
        #expect(errorText(session, "balance e.ES_L by=all").contains("balance needs left and right channels of one muscle"))
    }
}
