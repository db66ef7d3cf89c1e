import Foundation
import MyoCore
import MyoFormats
import MyoSimulator
import MyoTestSupport
import Testing

/// `simulate day`: the diary, the trunk IMU against the flexion each activity holds, the EMG
/// against its activation, bytes that repeat, nothing left behind by a failed write.
@Suite struct DaySimulatorTests {
    static func day(_ seconds: Double, seed: UInt64 = 4) throws -> (Recording, [DayBout], String) {
        let folder = TestEnvironment.temporaryFolder()
        let path = folder + "/day.bdf"
        _ = try DaySimulator.write(seed: seed, durationSeconds: seconds, to: path)
        guard case .recording(let recording) = try RecordingLoader.load(path: path, name: "day").object else { throw MyoError.other("not a recording") }
        return (recording, DaySimulator.diary(seed: seed, durationSeconds: seconds), folder)
    }

    static func mean(_ x: ArraySlice<Float>) -> Double { x.reduce(0) { $0 + Double($1) } / Double(x.count) }
    static func rms(_ x: ArraySlice<Float>) -> Double { (x.reduce(0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot() }

    @Test func diaryCoversTheRecordingAndAShortDayHasEveryActivity() {
        for seconds in [300.0, 3600, 86_400] {
            let bouts = DaySimulator.diary(seed: 4, durationSeconds: seconds)
            #expect(bouts.first?.start == 0 && bouts.last?.end == seconds)
            #expect(zip(bouts, bouts.dropFirst()).allSatisfy { $0.end == $1.start && $0.end > $0.start })
            if seconds >= 3600 { #expect(Set(bouts.map(\.activity)) == Set(DayActivity.allCases), "\(seconds) s") }
        }
        let day = DaySimulator.diary(seed: 4, durationSeconds: 86_400)
        #expect(day.last?.activity == .lying && day.last!.end - day.last!.start == 86_400 * 7 / 24)
    }

    /// In the middle of each bout (1 s after its start, 1 s before its end) the accelerometer
    /// averages to (cos, sin) of the bout's flexion within 0.02 g (noise 0.01 g RMS), walking's
    /// steps and lifting's cycles aside; the EMG of ES_L is stronger lifting than sitting.
    @Test func imuAndEMGFollowTheDiary() throws {
        let (recording, bouts, _) = try Self.day(600)
        let acc = recording.channels.first { $0.name == "ACC_X" }!, accZ = recording.channels.first { $0.name == "ACC_Z" }!
        #expect(recording.channels.count == 22 && recording.channels[0].samples.count == 1_200_000 && acc.samples.count == 60_000)
        #expect(recording.metadata["mount"] == "+X+Z+Y")
        var esBy: [DayActivity: [Double]] = [:]
        for bout in bouts where bout.end - bout.start >= 4 {
            let range = Int((bout.start + 1) * 100)..<Int((bout.end - 1) * 100)
            let emg = Int((bout.start + 1) * 2000)..<Int((bout.end - 1) * 2000)
            esBy[bout.activity, default: []].append(Self.rms(recording.channels[0].samples[emg]))
            guard [.lying, .sitting, .standing, .bending].contains(bout.activity) else { continue }
            let theta: Double = bout.activity == .lying ? 90 : bout.activity == .sitting ? 15 : bout.activity == .standing ? 3 : 50
            #expect(abs(Self.mean(acc.samples[range]) - cos(theta * .pi / 180)) < 0.02, "\(bout.activity) at \(bout.start) s: ACC_X")
            #expect(abs(Self.mean(accZ.samples[range]) - sin(theta * .pi / 180)) < 0.02, "\(bout.activity) at \(bout.start) s: ACC_Z")
        }
        let sitting = esBy[.sitting]!.reduce(0, +) / Double(esBy[.sitting]!.count)
        let lifting = esBy[.lifting]!.reduce(0, +) / Double(esBy[.lifting]!.count)
        #expect(lifting > 3 * sitting, "ES_L RMS lifting \(lifting) mV, sitting \(sitting) mV")
    }

    @Test func sameSeedSameBytesAndAFailedWriteLeavesNothing() throws {
        let a = TestEnvironment.temporaryFolder(), b = TestEnvironment.temporaryFolder()
        _ = try DaySimulator.write(seed: 9, durationSeconds: 60, to: a + "/d.edf")
        _ = try DaySimulator.write(seed: 9, durationSeconds: 60, to: b + "/d.edf")
        #expect(FileManager.default.contents(atPath: a + "/d.edf") == FileManager.default.contents(atPath: b + "/d.edf"))
        #expect(FileManager.default.contents(atPath: a + "/d.truth.json") == FileManager.default.contents(atPath: b + "/d.truth.json"))
        #expect(FileManager.default.contents(atPath: a + "/d.mvc.edf") == FileManager.default.contents(atPath: b + "/d.mvc.edf"))
        #expect(throws: MyoError.file(path: a + "/d.edf", reason: "exists; simulate never writes over a file (replace=yes writes over a day simulate day made)")) {
            try DaySimulator.write(seed: 9, durationSeconds: 60, to: a + "/d.edf")
        }
        // replace: over its own day (the same bytes again), never over a file it did not make.
        _ = try DaySimulator.write(seed: 9, durationSeconds: 60, to: b + "/d.edf", replacing: true)
        #expect(FileManager.default.contents(atPath: a + "/d.edf") == FileManager.default.contents(atPath: b + "/d.edf"))
        try Data("not a day".utf8).write(to: URL(fileURLWithPath: b + "/mine.edf"))
        #expect(throws: MyoError.file(path: b + "/mine.edf", reason: "exists; simulate never writes over a file it did not make (no STEM.truth.json of a simulated day beside it)")) {
            try DaySimulator.write(seed: 9, durationSeconds: 60, to: b + "/mine.edf", replacing: true)
        }
        #expect(FileManager.default.contents(atPath: b + "/mine.edf") == Data("not a day".utf8))
        // A folder that cannot be made (d.edf is a file): an error, and nothing new left behind.
        #expect(throws: MyoError.self) { try DaySimulator.write(seed: 9, durationSeconds: 60, to: a + "/d.edf/d.bdf") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: a).sorted() == ["d.edf", "d.mvc.edf", "d.truth.json"])
    }

    /// A day cut in the middle, and a header that claims more records than the file holds: one
    /// sentence with the byte offset, and the workspace keeps what it had.
    @Test func aCutDayIsOneSentenceAndTheWorkspaceKeepsWhatItHad() throws {
        let folder = TestEnvironment.temporaryFolder()
        _ = try DaySimulator.write(seed: 2, durationSeconds: 120, to: folder + "/day.bdf")
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder + "/day.bdf"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: folder + "/cut.bdf"))
        var claims = whole.prefix(whole.count)
        let records = Int(String(decoding: claims[236..<244], as: UTF8.self).trimmingCharacters(in: .whitespaces))!
        claims.replaceSubrange(236..<244, with: Array(String(records * 2).padding(toLength: 8, withPad: " ", startingAt: 0).utf8))
        try claims.write(to: URL(fileURLWithPath: folder + "/claims.bdf"))
        for (file, size) in [("cut.bdf", whole.count / 2), ("claims.bdf", whole.count)] {
            let result = try runMyoShell(["-c", "load sample-data/mvc.csv as kept; load \(folder)/\(file) as day; info kept"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(file) at byte \(size): expected"), "\(result.stderr)")
            #expect(result.stderr.contains("(it is truncated)"))
        }
        let session = try runMyoShell([], input: "load sample-data/mvc.csv as kept\nload \(folder)/cut.bdf as day\nlist\n")
        #expect(session.stdout.contains("kept") && !session.stdout.contains("day:"), "\(session.stdout)")
    }
}
