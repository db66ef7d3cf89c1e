import Foundation
import MyoProgress
import MyoTestSupport
import Testing

/// Simulated courses with a known trajectory, kept through their own scripts: the kept endurance
/// matches the truth, and the flags fire for the non-responder and for nobody else.
@Suite struct CourseTests {
    struct Truth: Decodable {
        struct Session: Decodable { var date: String; var endurance_s: Double; var pain: Double; var odi_percent: Double }
        var profile: String
        var sessions: [Session]
    }

    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"), arguments: [
        ("responder", 11, [String]()), ("non-responder", 12, ["no-improvement"]), ("mixed", 13, [String]()),
    ])
    func flagsFireExactlyForTheNonResponder(profile: String, seed: Int, expected: [String]) throws {
        let folder = TestEnvironment.temporaryFolder()
        let made = try runMyoShell(["-c", "simulate course seed=\(seed) sessions=5 profile=\(profile) to course"], in: folder)
        #expect(made.status == 0, "\(made.stderr)")
        let kept = try runMyoShell(["-c", "db open course/progress.sqlite; run course/course.myo"], in: folder)
        #expect(kept.status == 0, "\(kept.stderr)")
        let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/course/course.truth.json")))
        #expect(truth.profile == profile && truth.sessions.count == 5)
        let store = try SQLiteProgressStore(path: folder + "/course/progress.sqlite")
        let sessions = try store.sessions(of: "C01")
        #expect(sessions.map(\.date.description) == truth.sessions.map(\.date))
        for (session, expected) in zip(sessions, truth.sessions) {
            // The hold is found from the trunk inclination: within 1 s of the simulated hold.
            let endurance = try #require(session.measures.first { $0.name == "endurance" }?.value)
            #expect(abs(endurance - expected.endurance_s) < 1, "\(session.date): \(endurance) s, truth \(expected.endurance_s) s")
            #expect(session.outcomes.first { $0.name == "pain" }?.value == expected.pain)
        }
        let flags = try runMyoShell(["-c", "db open course/progress.sqlite; set output json; flags"], in: folder)
        let rules = flags.stdout.split(separator: "\n").filter { $0.contains("\"table\"") }.flatMap { line -> [String] in
            guard let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let rows = (json["table"] as? [String: Any])?["rows"] as? [[Any]] else { return [] }
            return rows.compactMap { $0[2] as? String }
        }
        #expect(rules == expected, "\(profile): \(flags.stdout)")
        // The same seed writes the same course, byte for byte.
        let again = try runMyoShell(["-c", "simulate course seed=\(seed) sessions=5 profile=\(profile) to again"], in: folder)
        #expect(again.status == 0)
        for file in ["session03.csv", "course.truth.json", "course.myo"] {
            #expect(FileManager.default.contentsEqual(atPath: "\(folder)/course/\(file)", andPath: "\(folder)/again/\(file)"), "\(file)")
        }
    }
}
