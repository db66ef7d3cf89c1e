import Foundation
import MyoSimulator
import MyoTestSupport
import Testing

/// `activities` against the diary of `simulate day`: each epoch's activity compared with the
/// activity the diary has at the epoch's centre. Limits: every activity's sensitivity at least 0.9
/// and Cohen's kappa at least 0.95 (the epochs that straddle two bouts are the misses: measured
/// 0.987 on an hour of seed 4, docs/LONG.md).
@Suite struct ActivitiesTests {
    static let activities = ["lying", "sitting", "standing", "walking", "bending", "lifting"]

    /// Per-activity sensitivity and kappa of `found` (one activity an epoch) against `truth`.
    static func agreement(_ pairs: [(truth: String, found: String)]) -> (kappa: Double, sensitivity: [String: Double]) {
        let n = Double(pairs.count)
        let observed = Double(pairs.filter { $0.truth == $0.found }.count) / n
        var chance = 0.0
        var sensitivity: [String: Double] = [:]
        for activity in activities {
            let inTruth = Double(pairs.filter { $0.truth == activity }.count), inFound = Double(pairs.filter { $0.found == activity }.count)
            chance += inTruth / n * inFound / n
            if inTruth > 0 { sensitivity[activity] = Double(pairs.filter { $0.truth == activity && $0.found == activity }.count) / inTruth }
        }
        return ((observed - chance) / (1 - chance), sensitivity)
    }

    @Test(arguments: [UInt64(4), 7])
    func epochsAgreeWithTheSimulatedDiary(seed: UInt64) throws {
        let folder = TestEnvironment.temporaryFolder()
        let seconds = 1200.0
        let result = try runMyoShell(["-c", "simulate day seed=\(seed) duration=20min to \(folder)/day.bdf; load \(folder)/day.bdf as d; activities d as act; export act to \(folder)/act.csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: folder + "/act.csv", encoding: .utf8)
        let diary = DaySimulator.diary(seed: seed, durationSeconds: seconds)
        var pairs: [(truth: String, found: String)] = []
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let centre = (Double(cells[0])! + Double(cells[1])!) / 2
            let truth = diary.first { $0.start <= centre && centre < $0.end }!.activity.rawValue
            pairs.append((truth, cells[2]))
        }
        #expect(pairs.count == 600)
        let (kappa, sensitivity) = Self.agreement(pairs)
        #expect(kappa >= 0.95, "kappa \(kappa)")
        for (activity, value) in sensitivity { #expect(value >= 0.9, "\(activity): sensitivity \(value)") }
        #expect(Set(sensitivity.keys).count >= 5, "activities in the diary: \(sensitivity.keys.sorted())")
    }

    @Test func aRecordingWithoutAnIMUIsOneSentence() throws {
        let result = try runMyoShell(["-c", "load sample-data/mvc.csv; activities mvc"])
        #expect(result.stderr.contains("mvc has no IMU channels (accelerometer axes like ACC_X in g or m/s^2, gyroscope axes like GYR_Y in deg/s or rad/s)"), "\(result.stderr)")
    }
}
