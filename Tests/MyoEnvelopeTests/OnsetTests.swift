import Foundation
import MyoAnalysis
import MyoCore
import MyoSignal
import MyoTestSupport
import Testing

/// Onset detection against the simulator's ground truth (sample-data/reaction.csv: each muscle
/// steps from 2 % to 35 % of MVC within one sample at a known time), the duration rule, expert
/// corrections, activation measures against closed-form values, and the envelope plot.
@Suite struct OnsetTests {
    struct Truth: Decodable {
        struct Channel: Decodable { var on_s: [Double]; var off_s: [Double] }
        struct Body: Decodable { var onsets: [String: Channel] }
        var truth: Body
    }

    struct JSONTable: Decodable {
        struct Table: Decodable { var rows: [[Cell]]; var notes: [String] }
        var type: String
        var name: String?
        var table: Table?
    }

    enum Cell: Decodable {
        case number(Double), text(String), missing
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Double.self) { self = .number(value) } else if let text = try? container.decode(String.self) { self = .text(text) } else { self = .missing }
        }
        var number: Double? { if case .number(let v) = self { return v } else { return nil } }
        var text: String? { if case .text(let v) = self { return v } else { return nil } }
    }

    static let truth: Truth = try! JSONDecoder().decode(Truth.self, from: FileManager.default.contents(atPath: TestEnvironment.repositoryRoot + "/sample-data/reaction.truth.json")!)

    /// The tables a command line printed with `set output json`, by name.
    static func tables(_ commands: String) throws -> [String: JSONTable.Table] {
        let out = try runMyoShell(["-c", "set output json; " + commands])
        #expect(out.status == 0, "\(out.stderr)")
        var found: [String: JSONTable.Table] = [:]
        for line in out.stdout.split(separator: "\n") where line.hasPrefix("{\"type\":\"table\"") {
            let item = try JSONDecoder().decode(JSONTable.self, from: Data(line.utf8))
            if let name = item.name, let table = item.table { found[name] = table }
        }
        return found
    }

    /// Tolerances (ms) per preset on raw EMG: onset, offset. Stated in docs/ENVELOPE.md. Bonato's
    /// offsets wander most: one pair above zeta within m pairs keeps the muscle on.
    static let presets: [(String, Double, Double)] = [("hodges-bui", 20, 25), ("bonato", 20, 100), ("solnik", 15, 20)]

    @Test(arguments: presets)
    func rawSignalDetectorsFindTheTrueOnsets(_ preset: String, _ onTolerance: Double, _ offTolerance: Double) throws {
        let table = try #require(try Self.tables("load sample-data/reaction.csv; onsets reaction preset=\(preset) baseline=0s..3s as det")["det"])
        for (channel, expected) in Self.truth.truth.onsets {
            let rows = table.rows.filter { $0[1].text == "reaction.\(channel)" }
            #expect(rows.count == expected.on_s.count, "\(preset) \(channel): \(rows.count) periods, expected \(expected.on_s.count)")
            for (row, (on, off)) in zip(rows, zip(expected.on_s, expected.off_s)) {
                let onError = (try #require(row[2].number) - on) * 1000, offError = (try #require(row[3].number) - off) * 1000
                #expect(abs(onError) <= onTolerance, "\(preset) \(channel) onset at \(on) s off by \(onError) ms")
                #expect(abs(offError) <= offTolerance, "\(preset) \(channel) offset at \(off) s off by \(offError) ms")
            }
        }
    }

    /// On a 6 Hz zero-phase linear envelope the step is smeared over tens of ms both ways, so the
    /// threshold method finds every onset within 60 ms (early); short spurious crossings may
    /// appear, but exactly one period of more than 1 s per true burst.
    @Test func thresholdOnALinearEnvelopeBracketsEveryBurst() throws {
        let table = try #require(try Self.tables("load sample-data/reaction.csv; envelope reaction; onsets reaction_env preset=threshold baseline=0s..3s as det")["det"])
        for (channel, expected) in Self.truth.truth.onsets {
            let long = table.rows.filter { $0[1].text == "reaction_env.\(channel)" && ($0[4].number ?? 0) > 1 }
            #expect(long.count == expected.on_s.count)
            for (row, on) in zip(long, expected.on_s) { #expect(abs(row[2].number! - on) <= 0.060, "\(channel): \(row[2].number!) vs \(on)") }
        }
    }

    @Test func durationRuleIgnoresShortRunsAndBridgesShortGaps() {
        func bits(_ text: String) -> [Bool] { text.map { $0 == "1" } }
        // A 2-sample blip is ignored (min-on 3); a 2-sample gap is bridged (min-off 3).
        #expect(OnsetDetector.periods(bits("0110001111001111000000"), minOn: 3, minOff: 3) == [ActivePeriod(on: 6, off: 16)])
        // Active to the end: no off time.
        #expect(OnsetDetector.periods(bits("00011111"), minOn: 2, minOff: 2) == [ActivePeriod(on: 3, off: nil)])
        #expect(OnsetDetector.periods(bits("1110000111"), minOn: 1, minOff: 1) == [ActivePeriod(on: 0, off: 3), ActivePeriod(on: 7, off: nil)])
        #expect(OnsetDetector.periods(bits("0000"), minOn: 1, minOff: 1).isEmpty)
    }

    @Test func expertCorrectionMovesTheRowTheEventAndStaysInTheHistory() throws {
        let commands = "load sample-data/reaction.csv; onsets reaction.ES_L preset=solnik baseline=0s..3s as det; onsets adjust det 2 +12ms; onsets adjust det 2 -20ms edge=off; onsets adjust det 2 +3ms"
        let table = try #require(try Self.tables(commands)["det"])
        let original = try #require(try Self.tables("load sample-data/reaction.csv; onsets reaction.ES_L preset=solnik baseline=0s..3s as det")["det"])
        let (on0, off0) = (original.rows[1][2].number!, original.rows[1][3].number!)
        #expect(abs(table.rows[1][2].number! - (on0 + 0.015)) < 1e-9)
        #expect(abs(table.rows[1][3].number! - (off0 - 0.020)) < 1e-9)
        #expect(abs(table.rows[1][4].number! - (off0 - on0 - 0.035)) < 1e-9)
        #expect(table.rows[1][5].number == 15 && table.rows[1][6].number == -20)
        #expect(table.rows[0][2].number == original.rows[0][2].number)
        let out = try runMyoShell(["-c", "set output json; " + commands])
        let last = try #require(out.stdout.split(separator: "\n").last { $0.hasPrefix("{\"type\":\"table\"") })
        // The table's provenance: the detector's resolved parameters, the detection, three corrections.
        #expect(last.contains("{\"command\":\"onsets detector\""))
        #expect(last.components(separatedBy: "{\"command\":\"onsets adjust\"").count == 4)
        #expect(last.contains("\"shift\":\"-20ms\",\"edge\":\"off\""), "\(last)")
        #expect(out.stdout.contains("det #2: reaction.ES_L onset moved +0.003 s"))
    }

    @Test func badOnsetCommandsSayWhatIsWrong() throws {
        let cases: [(String, String)] = [
            ("onsets reaction baseline=0s..3s", "onsets needs method= (or preset=)"),
            ("onsets reaction method=threshold baseline=0s..3s", "onsets method=threshold needs k=, min-on=, min-off=: detector parameters have no hidden defaults; give them, or preset=threshold for the documented set"),
            ("onsets reaction method=threshold baseline=0s..3s k=3 min-on=25ms min-off=25ms zeta=3", "zeta= is not a parameter of method=threshold, which uses k=, min-on=, min-off="),
            ("onsets reaction preset=bonato method=solnik baseline=0s..3s", "expected a preset of method=solnik (preset=bonato is for method=bonato)"),
            ("onsets reaction preset=bonato baseline=0s..30s", "baseline=0 s..30 s is out of range: reaction.ES_L spans 0 s..25 s"),
            ("onsets reaction preset=bonato baseline=0s..3s band=20Hz..1500Hz", "1500 Hz is at or above the Nyquist frequency of reaction.ES_L (fs = 2000 Hz, fs/2 = 1000 Hz)"),
            ("onsets reaction preset=bonato baseline=0s..3s r=7", "r=7 is out of range: at most m = 5"),
            ("onsets reaction preset=hodges-bui baseline=0s..3s; onsets adjust onsets1 99 +1ms", "INDEX=99 is out of range: 1..16, the rows of onsets1"),
            ("onsets reaction preset=hodges-bui baseline=0s..3s; onsets adjust onsets1 1 +3s", "the onset of row 1 at 4.0405 s must stay within 0 s..5.5635 s"),
            ("onsets adjust reaction 1 +3ms", "reaction is a recording, not a table"),
            ("onsets reaction preset=threshold baseline=0s..3s; onsets adjust onsets1 1 3ms edge=middle", "edge=middle"),
            ("activation reaction segments=events", "reaction has no onset events for ES_L and fewer than two other events: run onsets, or give segments=FROM..TO"),
            ("activation reaction threshold=10%MVC", "threshold=10%MVC is not valid: expected a number followed by the channels' unit, e.g. 10mV"),
            ("activation reaction segments=5s..3s", "expected all, events, an onsets table, or a time range like 5s..20s (start before end)"),
        ]
        for (command, message) in cases {
            let out = try runMyoShell(["-c", "load sample-data/reaction.csv; " + command])
            #expect(out.status != 0, "\(command)")
            #expect(out.stderr.contains(message), "\(command): \(out.stderr)")
            #expect(!out.stderr.contains("Fatal error"))
        }
    }

    /// A ramp 0, 1, ..., 99 %MVC at 100 Hz: peak 99, mean 49.5, iEMG 4950 / 100 = 49.5 %MVC s,
    /// 50 samples >= 50 %MVC = 0.5 s (50 %), and numpy.percentile's 10/50/90 % = 9.9, 49.5, 89.1.
    @Test func activationMeasuresAKnownRamp() throws {
        let folder = TestEnvironment.temporaryFolder()
        var csv = "time (s),ES_L (%MVC)\n"
        for i in 0..<100 { csv += "\(Double(i) / 100),\(i)\n" }
        try csv.write(toFile: folder + "/ramp.csv", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "set output json; load ramp.csv as r; activation r threshold=50%MVC as a; activation r segments=0.2s..0.5s as b"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"type\":\"table\"") }
        let a = try JSONDecoder().decode(JSONTable.self, from: Data(lines[0].utf8)).table!
        let expected: [Double] = [0, 1, 99, 49.5, 49.5, 0.5, 50, 9.9, 49.5, 89.1]
        for (index, value) in expected.enumerated() {
            #expect(abs(a.rows[0][index + 2].number! - value) < 1e-9, "column \(index + 2): \(a.rows[0][index + 2].number!) vs \(value)")
        }
        // 0.2-0.5 s: samples 20..49, mean 34.5, no threshold given.
        let b = try JSONDecoder().decode(JSONTable.self, from: Data(lines[1].utf8)).table!
        #expect(b.rows[0][5].number == 34.5 && b.rows[0][4].number == 49)
        #expect(b.notes.contains("time above threshold: give threshold= in %MVC"))
    }

    /// Activation over the periods of an onsets table and over the recording's onset events agree.
    @Test func activationSegmentsFromOnsetsTableOrEvents() throws {
        let tables = try Self.tables("load sample-data/reaction.csv; envelope reaction; onsets reaction preset=solnik baseline=0s..3s as det; activation reaction_env.ES_L segments=det as a; activation reaction.ES_L segments=events as b")
        let a = try #require(tables["a"]), b = try #require(tables["b"])
        #expect(a.rows.count == 4 && b.rows.count == 4)
        #expect(zip(a.rows, b.rows).allSatisfy { $0[2].number == $1[2].number && $0[3].number == $1[3].number })
    }

    @Test(.enabled(if: TestEnvironment.hasGnuplot, "gnuplot is not installed"))
    func envelopePlotHasRectifiedRawEnvelopeOnTheRightAxisAndOnsetMarkers() throws {
        let folder = TestEnvironment.temporaryFolder()
        let root = TestEnvironment.repositoryRoot
        let out = try runMyoShell(["-c", "load \(root)/sample-data/reaction.csv; envelope reaction; normalize reaction_env peak=reaction_env; onsets reaction.ES_L preset=solnik baseline=0s..3s; plot-envelope reaction.ES_L env=reaction_env_peak from=3s to=7s to es.svg"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let script = try String(contentsOfFile: folder + "/es.gp", encoding: .utf8)
        #expect(script.contains("set ylabel 'mV'\nset y2label '%peak'\nset ytics nomirror\nset y2tics"))
        #expect(script.contains("set arrow from 4.046, graph 0 to 4.046, graph 1 nohead dashtype 2\nset label 'ES_L on' at 4.046, graph 1.02 noenhanced"))
        #expect(script.contains("title '|reaction.ES_L|'"))
        #expect(script.contains("using 1:2 axes x1y2 with lines title 'reaction_env_peak.ES_L'"))
    }
}
