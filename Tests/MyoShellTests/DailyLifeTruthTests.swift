import Foundation
import MyoTestSupport
import Testing

/// The daily-life measures against `simulate day`'s truth: the back extensors' rests are the EMG
/// gaps `gaps` finds, and each injected atypical stretch (guarding, a strategy, a cable artefact,
/// mains interference) is among the windows `atypical` lists, led by the channels it touched.
/// One simulated half hour (seed 4) serves both tests.
@Suite(.enabled(if: TestEnvironment.hasExecutable)) struct DailyLifeTruthTests {
    static let folder: String = {
        let folder = TestEnvironment.temporaryFolder()
        _ = try? runMyoShell(["-c", "simulate day seed=4 duration=30min to d.edf"], in: folder)
        return folder
    }()

    static func truth() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/d.truth.json"))
        return try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["truth"] as? [String: Any])
    }

    /// Every rest is one gap (under 0.5 %MVC for 0.2 s or more) and no gap is anywhere else; the
    /// rest time agrees within 0.15 s a rest: the 6 Hz envelope takes about 0.05 s at each edge to
    /// cross the threshold (measured: every gap within 0.06 s of its rest at both ends). The
    /// envelopes are notched at 50 Hz: the day's 5 uV of mains alone would hold a resting
    /// envelope at 0.9 %MVC and hide every gap (quality reports such mains).
    @Test func theGapsAreTheRests() throws {
        let rests = try #require(try Self.truth()["rests"] as? [[String: Double]])
        #expect(rests.count >= 5, "a half hour has rests while sitting: \(rests.count)")
        let out = try runMyoShell(["-c", "set output json; load d.edf as d; load d.mvc.edf as m; envelope d.ES_L notch=50Hz as env; envelope m.ES_L notch=50Hz as menv; normalize env mvc=menv as pct; gaps pct by=all"], in: Self.folder)
        #expect(out.status == 0, "\(out.stderr)")
        let row = try #require((printedTables(out).last?["rows"] as? [[Any]])?.first)
        let gaps = row[3] as! Int, restPercent = row[5] as! Double, seconds = row[2] as! Double
        let truthSeconds = rests.reduce(0) { $0 + $1["end_s"]! - $1["start_s"]! }
        #expect(gaps == rests.count, "gaps \(gaps), rests \(rests.count)")
        #expect(abs(restPercent / 100 * seconds - truthSeconds) <= 0.15 * Double(rests.count), "rest \(restPercent / 100 * seconds) s, truth \(truthSeconds) s")
    }

    /// atypical window=10s, each window compared with its own activity: every injected stretch
    /// overlaps a listed window whose features name one of the channels it touched.
    @Test func everyInjectedStretchIsFound() throws {
        let injected = try #require(try Self.truth()["injected"] as? [[String: Any]])
        #expect(injected.map { $0["kind"] as! String } == ["guarding", "strategy", "cable", "mains"])
        let out = try runMyoShell(["-c", "set output json; load d.edf as d; activities d; atypical d window=10s"], in: Self.folder)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(printedTables(out).last?["rows"] as? [[Any]])
        for stretch in injected {
            let start = stretch["start_s"] as! Double, end = stretch["end_s"] as! Double
            let channels = stretch["channels"] as! [String]
            let muscles = channels.map { String($0.dropLast(2)) }
            let found = rows.contains { row in
                let from = row[0] as! Double, to = row[1] as! Double, features = row[4] as! String
                return from < end && start < to && (channels.contains { features.contains($0 + " ") } || muscles.contains { features.contains($0 + " SI") })
            }
            #expect(found, "\(stretch["kind"]!) at \(start) s not found in \(rows.filter { ($0[0] as! Double) < end && start < ($0[1] as! Double) })")
        }
    }
}
