import Foundation
import MyoAnalysis
import MyoCore
import MyoShell
import MyoSignal
import MyoTestSupport
import Testing

/// The asymmetry plugin: pairing rules, hand-computable indices, the simulator's designed
/// asymmetries, bootstrap determinism, co-contraction and flexion-relaxation in closed form.
@Suite struct AsymmetryTests {
    static let pairing: [([String], [String], [String])] = [
        (["ES_L", "ES_R", "ACC_X"], ["ES:ES_L:ES_R"], ["ACC_X"]),
        (["L_GM", "R_GM", "l_es", "r_es"], ["GM:L_GM:R_GM", "es:l_es:r_es"], []),
        (["ES Left", "ES Right"], ["ES:ES Left:ES Right"], []),
        (["LeftMultifidus", "RightMultifidus"], ["Multifidus:LeftMultifidus:RightMultifidus"], []),
        (["es-left", "ES-RIGHT"], ["es:es-left:ES-RIGHT"], []),
        (["GM_sx", "GM_dx", "QL_SX"], ["GM:GM_sx:GM_dx"], ["QL_SX"]),
        (["GM_med_L", "GM_med_R"], ["GM_med:GM_med_L:GM_med_R"], []),
        (["EMG1", "EMG2", "R"], [], ["EMG1", "EMG2", "R"]),
        (["ES_L", "ES_R", "es_l"], [], ["ES_L", "ES_R", "es_l"]),   // two lefts for one right: ambiguous, none paired
    ]

    @Test(arguments: pairing)
    func pairsFollowTheNamingConventions(_ names: [String], _ expected: [String], _ unpaired: [String]) {
        let pairs = SidePairs(names: names)
        #expect(pairs.pairs.map { "\($0.muscle):\($0.left):\($0.right)" } == expected)
        #expect(pairs.unpaired == unpaired)
    }

    @Test func explicitPairsAreChecked() throws {
        let pairs = try SidePairs(explicit: "EMG1:EMG2", names: ["EMG1", "EMG2", "EMG3"])
        #expect(pairs.pairs == [SidePairs.Pair(muscle: "EMG1/EMG2", left: "EMG1", right: "EMG2")] && pairs.unpaired == ["EMG3"])
        #expect(throws: MyoError.invalidValue(argument: "pairs", value: "EMG9", expected: "a channel of the recording (EMG1, EMG2, EMG3)")) {
            try SidePairs(explicit: "EMG1:EMG9", names: ["EMG1", "EMG2", "EMG3"])
        }
    }

    /// Writes a CSV at 1000 Hz with the given columns (name with unit -> value per time).
    static func csv(_ folder: String, _ name: String, seconds: Double, _ columns: [(String, (Double) -> Double)]) throws {
        var text = "time (s)," + columns.map(\.0).joined(separator: ",") + "\n"
        for i in 0..<Int(seconds * 1000) {
            let t = Double(i) / 1000
            text += NumberFormat.significant(t, digits: 9) + "," + columns.map { NumberFormat.significant($0.1(t), digits: 12) }.joined(separator: ",") + "\n"
        }
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }

    /// GM: L = 2 mV, R = 3 mV everywhere: L/R = 2/3, SI = 1 / 2.5 x 100 = 40 %, symmetry angle =
    /// (45 - atan(2/3) in degrees) / 90 x 100 = 12.56659164 %, imbalance = 1/3 x 100 %. ES silent on
    /// both sides: the indices are undefined and say so, with no infinities.
    @Test func handComputableIndices() throws {
        let folder = TestEnvironment.temporaryFolder()
        try Self.csv(folder, "k.csv", seconds: 2, [("GM_L (mV)", { _ in 2 }), ("GM_R (mV)", { _ in 3 }), ("ES_L (mV)", { _ in 0 }), ("ES_R (mV)", { _ in 0 })])
        let out = try runMyoShell(["-c", "set output json; load k.csv; asymmetry k"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let table = try #require(printedTables(out).first)
        let rows = table["rows"] as! [[Any]]
        let gm = rows[0]
        #expect(gm[0] as? String == "GM")
        #expect(abs((gm[6] as! Double) - 2.0 / 3) < 1e-12)
        #expect(abs((gm[7] as! Double) - 40) < 1e-9)
        #expect(abs((gm[10] as! Double) - (45 - atan(2.0 / 3) * 180 / Double.pi) / 90 * 100) < 1e-9)
        #expect(abs((gm[11] as! Double) - 100.0 / 3) < 1e-9)
        #expect(gm[12] as? String == "R" && gm[13] as? String == "beyond +-15%")
        let es = rows[1]
        #expect(es[6] is NSNull && es[7] is NSNull && es[10] is NSNull)
        #expect((table["notes"] as! [String]).contains { $0.hasPrefix("ES: indices undefined, both sides silent") })
        for token in ["nan,", "nan]", "inf,", "inf]", "NaN", "Infinity"] { #expect(!out.stdout.contains(token), "\(token)") }
    }

    /// bridge-set's GM_R has 0.8 x GM_L's gain: SI = -22.2 % (truth). The mean linear envelope
    /// recovers it within 2 percentage points (baseline noise adds the same to both sides).
    @Test func simulatedBridgeAsymmetryIsRecovered() throws {
        let out = try runMyoShell(["-c", "set output json; load sample-data/bridge-set.csv as b; envelope b; asymmetry b_env"])
        let gm = (printedTables(out)[0]["rows"] as! [[Any]])[0]
        #expect(abs((gm[7] as! Double) - -22.222222) < 2, "\(gm)")
    }

    /// The team scenario's GM gain ratios give SI 0, 9.5, -16.2, 22.2, -5.1 and 33.3 %; compare
    /// (RMS over the whole 20 s) recovers each within 4 percentage points and sorts by |SI|.
    @Test func teamComparisonRecoversTheDesignedBalance() throws {
        let out = try runMyoShell(["-c", "set output json; compare sample-data/team/*.csv as team; export team to team.csv"], in: TestEnvironment.repositoryRoot)
        defer { try? FileManager.default.removeItem(atPath: TestEnvironment.repositoryRoot + "/team.csv") }
        #expect(out.status == 0, "\(out.stderr)")
        let rows = printedTables(out)[0]["rows"] as! [[Any]]
        let truth: [String: Double] = ["athlete01": 0, "athlete02": 9.52381, "athlete03": -16.216216, "athlete04": 22.222222, "athlete05": -5.128205, "athlete06": 33.333333]
        #expect(rows.map { $0[0] as! String } == ["athlete06", "athlete04", "athlete03", "athlete02", "athlete05", "athlete01"])
        for row in rows { #expect(abs((row[1] as! Double) - truth[row[0] as! String]!) < 4, "\(row)") }
        #expect((rows[0][3] as! String) == "GM beyond +-15%")
        #expect(FileManager.default.fileExists(atPath: TestEnvironment.repositoryRoot + "/team.csv"))
    }

    @Test func beforeAfterSaysTheDirection() throws {
        let out = try runMyoShell(["-c", "compare sample-data/team/athlete06.csv sample-data/team/athlete01.csv"])
        #expect(out.stdout.contains("change from athlete06 to athlete01 (si)"))
        #expect(out.stdout.contains("towards symmetry"))
    }

    /// Same seed, same interval; another seed, another interval (2000 resamples of 30 values).
    @Test func bootstrapIsDeterministicForASeed() throws {
        let values: [Double] = (0..<30).map { (i: Int) -> Double in
            let wave: Double = 3 * sin(Double(i) * 1.7)
            return 5 + wave + Double(i % 7) * 0.3
        }
        let a = try #require(Bootstrap.medianInterval(values, seed: 1)), b = try #require(Bootstrap.medianInterval(values, seed: 1))
        let c = try #require(Bootstrap.medianInterval(values, seed: 2))
        #expect(a == b)
        #expect(a.median == Bootstrap.percentile(values.sorted(), 50) && a.low < a.median && a.high > a.median)
        #expect(a.low != c.low || a.high != c.high)
        let commands = "load sample-data/bridge-set.csv as b; envelope b; onsets b preset=solnik baseline=0s..2.5s as on; asymmetry b_env segments=on ref=GM_L"
        let first = try runMyoShell(["-c", commands]), second = try runMyoShell(["-c", commands])
        #expect(first.stdout == second.stdout && first.stdout.contains("the SI CI is a 95 % bootstrap interval of that median"))
    }

    /// Over several segments every index comes from one median (of the right share), so they
    /// agree: SI = 200 (1 - q) / (1 + q) for q = L/R, imbalance and angle have SI's sign, and the
    /// stronger side is the one SI names. Before, SI -0.026 % stood beside imbalance +0.89 %.
    @Test func indicesAgreeOverSegments() throws {
        let out = try runMyoShell(["-c", "set output json; load sample-data/bridge-set.csv as b; envelope b; reps b mount=+Z+X+Y as r; asymmetry b_env segments=r"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(printedTables(out).first { ($0["title"] as! String).hasPrefix("asymmetry (") })["rows"] as! [[Any]]
        #expect(rows.count == 3)
        for row in rows {
            let q = row[6] as! Double, si = row[7] as! Double, angle = row[10] as! Double, imbalance = row[11] as! Double
            #expect(abs(si - 200 * (1 - q) / (1 + q)) < 1e-9, "\(row)")
            #expect(si.sign == imbalance.sign && si.sign == angle.sign, "\(row)")
            #expect((row[12] as! String) == (si > 0 ? "R" : "L"), "\(row)")
            #expect((row[8] as! Double) <= si && si <= (row[9] as! Double), "CI \(row)")
        }
    }

    /// A pair whose right side is mostly mains (bursts at a tenth of the left's, plus 50 Hz hum of
    /// three times the bursts' RMS) is flagged noisy, on the envelopes too (their source is
    /// measured), with what to do; a clean pair is "ok".
    @Test func noisyPairsAreFlagged() throws {
        let folder = TestEnvironment.temporaryFolder()
        var csv = "time (s),ES_L (mV),ES_R (mV),GM_L (mV),GM_R (mV)\n"
        let clean = SyntheticEMG.cleanBursts
        for i in 0..<clean.count {
            let hum = 0.9 * sin(2 * Double.pi * 50 * Double(i) / SyntheticEMG.sampleRateHz)
            csv += "\(Double(i) / SyntheticEMG.sampleRateHz),\(clean[i]),\(0.1 * clean[i] + hum),\(clean[i]),\(0.9 * clean[(i + 500) % clean.count])\n"
        }
        try csv.write(toFile: folder + "/n.csv", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "set output json; load n.csv; envelope n; asymmetry n_env"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let table = try #require(printedTables(out).first { ($0["title"] as! String).hasPrefix("asymmetry (") })
        let rows = table["rows"] as! [[Any]]
        let es = try #require(rows.first { ($0[0] as! String) == "ES" }), gm = try #require(rows.first { ($0[0] as! String) == "GM" })
        #expect((es[14] as! String).hasPrefix("noisy: ES_R SNR") && (es[14] as! String).contains("ES_R mains"), "\(es)")
        #expect((es[13] as! String).hasSuffix("; noisy pair, ratio biased towards 1"), "\(es)")
        #expect((gm[14] as! String) == "ok", "\(gm)")
        #expect((table["notes"] as! [String]).contains { $0.hasPrefix("noisy pairs: noise and mains add the same power to both sides") })
    }

    /// frr (asymmetry plugin) and flexion-relaxation (movement plugin) find the same cycles from
    /// the same trunk angle, so they give the same FRR and ERR per cycle (11.9064 and 11.8601 before).
    @Test func frrAgreesWithFlexionRelaxation() throws {
        let out = try runMyoShell(["-c", "set output json; load sample-data/flexion-relaxation.csv as f; frr f; flexion-relaxation f"])
        #expect(out.status == 0, "\(out.stderr)")
        let tables = printedTables(out)
        let frr = tables[0]["rows"] as! [[Any]], protocolRows = tables[1]["rows"] as! [[Any]]
        #expect(frr.count == 4 && protocolRows.count == 4)
        for (a, b) in zip(frr, protocolRows) {
            #expect((a[0] as! String) == (b[0] as! String) && (a[1] as! Int) == (b[1] as! Int))
            #expect(abs((a[5] as! Double) - (b[3] as! Double)) < 1e-9 && abs((a[6] as! Double) - (b[4] as! Double)) < 1e-9, "\(a) vs \(b)")
        }
    }

    /// compare before/after: a change is judged only against mdc=; without it the verdict says so.
    @Test func compareJudgesChangesAgainstTheMDC() throws {
        let pair = "compare sample-data/team/athlete01.csv sample-data/team/athlete02.csv"
        let plain = try runMyoShell(["-c", "set output json; " + pair])
        let change = try #require(printedTables(plain).first { ($0["title"] as! String).hasPrefix("change from") })
        #expect((change["rows"] as! [[Any]]).allSatisfy { ($0[5] as! String) == "not judged (give mdc=)" })
        let judged = try runMyoShell(["-c", "set output json; " + pair + " mdc=5"])
        let rows = try #require(printedTables(judged).first { ($0["title"] as! String).hasPrefix("change from") })["rows"] as! [[Any]]
        for row in rows {
            let delta = abs(row[3] as! Double)
            #expect((row[5] as! String) == (delta > 5 ? "beyond MDC: \(row[4] as! String)" : "no detectable change (|change| <= MDC)"), "\(row)")
        }
        #expect(rows.contains { ($0[5] as! String).hasPrefix("no detectable") } && rows.contains { ($0[5] as! String).hasPrefix("beyond MDC") })
    }

    /// compare's picture lists the recordings in the table's order (most asymmetric first), each
    /// label with its SI and a ! beyond the band.
    @Test(.enabled(if: TestEnvironment.hasGnuplot)) func comparePictureFollowsTheTable() throws {
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "set output json; compare \(TestEnvironment.repositoryRoot)/sample-data/team/*.csv to team.png"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let order = (try #require(printedTables(out).first)["rows"] as! [[Any]]).map { $0[0] as! String }
        let script = try String(contentsOfFile: folder + "/team.gp", encoding: .utf8)
        let positions = order.map { name in script.range(of: "\(name) GM (SI ")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! }, "\(order)")
        #expect(script.contains("\(order[0]) GM (SI ") && script.contains(" % !)"))
    }

    /// segments= an onsets table: the latency comes from that table's onsets (not from the
    /// recording's onset events, which a later onsets run replaces), matched one to one: no right
    /// onset serves two left ones.
    @Test func latencyFromTheSegmentsTableOneToOne() throws {
        let script = "set output json; load sample-data/bridge-set.csv as b; envelope b; onsets b preset=solnik baseline=0s..2.5s as hb; "
            + "onsets b.GM_L preset=solnik baseline=0s..2.5s k=30 as later; asymmetry b_env segments=hb ref=GM_L"
        let out = try runMyoShell(["-c", script])
        #expect(out.status == 0, "\(out.stderr)")
        let tables = printedTables(out)
        let hb = try #require(tables.first { ($0["title"] as! String).hasPrefix("onsets") })["rows"] as! [[Any]]
        func ons(_ channel: String) -> [Double] { hb.filter { ($0[1] as! String) == "b." + channel }.map { $0[2] as! Double } }
        let latency = try #require(tables.first { ($0["title"] as! String).hasPrefix("onset latency R - L (from table hb") })
        let gm = try #require((latency["rows"] as! [[Any]]).first { ($0[0] as! String) == "GM" })
        // Reference: one-to-one matching, closest pairs first, within 500 ms.
        var pairs: [(Double, Int, Int)] = []
        for (i, l) in ons("GM_L").enumerated() { for (j, r) in ons("GM_R").enumerated() where abs(r - l) <= 0.5 { pairs.append((abs(r - l), i, j)) } }
        pairs.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var usedL = Set<Int>(), usedR = Set<Int>(), differences: [Double] = []
        for p in pairs where !usedL.contains(p.1) && !usedR.contains(p.2) {
            usedL.insert(p.1); usedR.insert(p.2); differences.append((ons("GM_R")[p.2] - ons("GM_L")[p.1]) * 1000)
        }
        differences.sort()
        let median = differences.count % 2 == 1 ? differences[differences.count / 2] : (differences[differences.count / 2 - 1] + differences[differences.count / 2]) / 2
        #expect(gm[1] as! Int == differences.count && abs((gm[2] as! Double) - median) < 1e-6, "\(gm) vs \(differences)")
        #expect((gm[1] as! Int) <= min(ons("GM_L").count, ons("GM_R").count))
    }

    /// Agonist 4, antagonist 1 (constant): Falconer-Winter 2 x 1 / 5 = 40 %, common area 40 %,
    /// Rudolph (1/4)(1 + 4) = 1.25. Roles swapped: Falconer-Winter 160 %, the others unchanged.
    @Test func coContractionIndicesInClosedForm() throws {
        let folder = TestEnvironment.temporaryFolder()
        try Self.csv(folder, "c.csv", seconds: 1, [("A (%MVC)", { _ in 4 }), ("B (%MVC)", { _ in 1 })])
        let out = try runMyoShell(["-c", "set output json; load c.csv; cocontraction c.{A,B}; cocontraction c.{B,A}"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let tables = printedTables(out)
        let ab = (tables[0]["rows"] as! [[Any]])[0], ba = (tables[1]["rows"] as! [[Any]])[0]
        #expect(abs((ab[3] as! Double) - 40) < 1e-9 && abs((ab[4] as! Double) - 40) < 1e-9 && abs((ab[5] as! Double) - 1.25) < 1e-9)
        #expect(abs((ba[3] as! Double) - 160) < 1e-9 && abs((ba[4] as! Double) - 40) < 1e-9 && abs((ba[5] as! Double) - 1.25) < 1e-9)
    }

    /// Per activity: agonist 4 throughout; antagonist 1 while sitting (0-5 s and 15-20 s), 4 while
    /// walking (5-15 s). Sitting, both bouts together: Falconer-Winter 40 %, common area 40 %, Rudolph
    /// 1.25 %MVC over 10 s; walking: 100 %, 100 %, 8 %MVC. by=all: 2 x 5000 / 13000 = 76.92 %.
    @Test func coContractionPerActivityRunsOverEveryBout() throws {
        let (session, _, _) = closedFormSession()
        let agonist = [Float](repeating: 4, count: 2000)
        let antagonist = (0..<2000).map { i -> Float in (500..<1500).contains(i) ? 4 : 1 }
        let events = [Event(timeSeconds: 0, label: "activity: sitting"), Event(timeSeconds: 5, label: "activity: walking"), Event(timeSeconds: 15, label: "activity: sitting")]
        session.workspace.store(Recording(name: "d", channels: [Channel(name: "ES_L", unit: "%MVC", sampleRateHz: 100, samples: agonist),
                                                                Channel(name: "RA_L", unit: "%MVC", sampleRateHz: 100, samples: antagonist)],
                                          events: events, provenance: Provenance(sourceFile: "memory")))
        try session.execute("cocontraction d.{ES_L,RA_L} by=activity as c")
        let rows = try session.workspace.table(named: "c").rows
        func numbers(_ row: [TableCell]) -> [Double] { row.compactMap { if case .number(let v) = $0 { return v } else { return nil } } }
        #expect(rows.map { $0[0] } == [.text("sitting"), .text("walking")])
        let sitting = numbers(rows[0]), walking = numbers(rows[1])
        #expect(sitting[0] == 10 && abs(sitting[1] - 40) < 1e-9 && abs(sitting[2] - 40) < 1e-9 && abs(sitting[3] - 1.25) < 1e-9, "\(sitting)")
        #expect(walking[0] == 10 && abs(walking[1] - 100) < 1e-9 && abs(walking[2] - 100) < 1e-9 && abs(walking[3] - 8) < 1e-9, "\(walking)")
        try session.execute("cocontraction d.{ES_L,RA_L} by=all as a")
        #expect(abs(numbers(try session.workspace.table(named: "a").rows[0])[1] - 1e4 / 130) < 1e-9)
        #expect(errorText(session, "cocontraction d.{ES_L,RA_L} by=activity segments=0s..5s").contains("give segments= or by=, not both"))
    }

    /// A 50 Hz sine of amplitude 3 during flexion, 0.5 at full flexion, 6 on re-extension: RMS over
    /// whole periods is A / sqrt 2, so FRR = 3 / 0.5 = 6 and ERR = 12 exactly (to Float32 rounding).
    @Test func flexionRelaxationRatiosInClosedForm() throws {
        let folder = TestEnvironment.temporaryFolder()
        try Self.csv(folder, "f.csv", seconds: 6, [("ES_L (mV)", { t in (t < 2 ? 3 : (t < 4 ? 0.5 : 6)) * sin(2 * Double.pi * 50 * t) })])
        let out = try runMyoShell(["-c", "set output json; load f.csv; frr f flexion=0s..2s full=2s..4s extension=4s..6s"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let row = (printedTables(out)[0]["rows"] as! [[Any]])[0]
        #expect(abs((row[5] as! Double) - 6) < 1e-5 && abs((row[6] as! Double) - 12) < 1e-5, "\(row)")
    }

    /// The simulated flexion-relaxation recording: two cycles found from the IMU, each full-flexion
    /// phase inside the truth's silence; FRR within 15 % of 12.6 and ERR within 15 % of 18.5, the
    /// values its activation profile and noise floor imply (flexion epoch RMS about 0.136 mV,
    /// re-extension about 0.2 mV, silence about 0.0108 mV).
    @Test func simulatedFlexionRelaxation() throws {
        let out = try runMyoShell(["-c", "set output json; load sample-data/flexion-relaxation.csv as fr; frr fr"])
        #expect(out.status == 0, "\(out.stderr)")
        let table = printedTables(out)[0]
        let rows = table["rows"] as! [[Any]]
        #expect(rows.count == 4)
        for row in rows {
            #expect(abs((row[5] as! Double) / 12.6 - 1) < 0.15 && abs((row[6] as! Double) / 18.5 - 1) < 0.15, "\(row)")
        }
        #expect((table["notes"] as! [String]) == ["cycle 1: flexion 5.38-8.60 s, full 8.60-12.40 s, re-extension 12.40-15.61 s",
                                                  "cycle 2: flexion 25.38-28.60 s, full 28.60-32.40 s, re-extension 32.40-35.61 s"])
    }

    /// sample-data/reaction.csv: right onsets lag left ones by 15 ms (ES) and 50 ms (MF) by design;
    /// from solnik onsets the median R - L latency is within 10 ms of that.
    @Test func onsetLatencyAsymmetry() throws {
        let out = try runMyoShell(["-c", "set output json; load sample-data/reaction.csv; onsets reaction preset=solnik baseline=0s..3s; asymmetry reaction measure=rms"])
        #expect(out.status == 0, "\(out.stderr)")
        let latency = try #require(printedTables(out).first { ($0["title"] as? String)?.hasPrefix("onset latency") == true })
        let rows = latency["rows"] as! [[Any]]
        #expect(rows.map { $0[0] as! String } == ["ES", "MF"])
        #expect(abs((rows[0][2] as! Double) - 15) < 10 && abs((rows[1][2] as! Double) - 50) < 10, "\(rows)")
        #expect(rows.allSatisfy { ($0[1] as! Int) == 4 && ($0[6] as! String) == "R later" })
    }

    @Test func badAsymmetryCommandsSayWhatIsWrong() throws {
        let cases: [(String, String)] = [
            ("load sample-data/mvc.csv; asymmetry mvc pairs=GM_L:GM_X", "pairs=GM_X is not valid: expected a channel of the recording"),
            ("load sample-data/mvc.csv; asymmetry mvc pairs=GM_L", "pairs=GM_L is not valid: expected LEFT:RIGHT channel names, comma-separated"),
            ("load sample-data/mvc.csv; asymmetry mvc segments=events", "mvc has fewer than two events: give segments=FROM..TO or an onsets table"),
            ("load sample-data/mvc.csv; asymmetry mvc segments=5s..2s", "expected all, events, an onsets table, or a time range like 5s..20s (start before end)"),
            ("load sample-data/mvc.csv; cocontraction mvc.GM_L", "signals=1 channels is not valid: expected exactly two: the agonist, then the antagonist"),
            ("load sample-data/mvc.csv; frr mvc", "mvc has no trunk IMU: give flexion=, full= and extension="),
            ("load sample-data/mvc.csv; frr mvc flexion=1s..2s", "full=missing is not valid: expected all three of flexion=, full= and extension="),
            ("compare nothing/*.csv", "nothing/*.csv"),
            ("load sample-data/reaction.csv; asymmetry reaction pairs=ES_L:MF_R band=300%", "band=300% is out of range"),
        ]
        for (command, message) in cases {
            let out = try runMyoShell(["-c", command])
            #expect(out.status != 0, "\(command)")
            #expect(out.stderr.contains(message), "\(command): \(out.stderr)")
            #expect(!out.stderr.contains("Fatal error") && !out.stderr.contains("crashed"))
        }
    }

    @Test(.enabled(if: TestEnvironment.hasGnuplot, "gnuplot is not installed"))
    func barChartsCarryTheFlagBand() throws {
        let folder = TestEnvironment.temporaryFolder()
        let root = TestEnvironment.repositoryRoot
        let out = try runMyoShell(["-c", "load \(root)/sample-data/bridge-set.csv as b; envelope b; asymmetry b_env to lr.svg; asymmetry b_env plot=si band=10% to si.svg; compare \(root)/sample-data/team/*.csv to team.svg"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let lr = try String(contentsOfFile: folder + "/lr.gp", encoding: .utf8)
        #expect(lr.contains("\"GM (SI -21.9 %) !\" 0.12897") && lr.contains("set yrange [0:*]"), "\(lr)")
        let si = try String(contentsOfFile: folder + "/si.gp", encoding: .utf8)
        #expect(si.contains("set arrow from graph 0, first 10 to graph 1, first 10 nohead dashtype 2") && si.contains("set style histogram errorbars"))
        let team = try String(contentsOfFile: folder + "/team.gp", encoding: .utf8)
        #expect(team.contains("\"athlete06 GM (SI 35.4 % !)\"") && team.contains("title 'R'"))
    }
}
