import MyoCore
import MyoPluginAPI
import MyoSimulator

extension Builtins {
    static func simulateCommand(_ session: Session) -> PluginCommand {
        let scenarioArgument = Argument<Scenario>.requiredChoice("scenario", positional: true, help: "what to simulate")
        let seed = Argument.requiredInteger("seed", minimum: 0, help: "random seed")
        let duration = Argument<Double?>.quantity("duration", .time, minimum: 5, maximum: 86_400, help: "length of the recording (per athlete for team)")
        return
        PluginCommand(spec: CommandSpec(
            name: "simulate", abstract: "Write a realistic synthetic recording with its ground truth",
            discussion: "Scenarios:\n" + Scenario.allCases.map { "  \($0.rawValue): \($0.summary) (default \(Int($0.defaultDurationSeconds)) s)" }.joined(separator: "\n")
                + "\nThe same seed gives the same files, byte for byte. The ground truth goes to NAME.truth.json beside the CSV; for team, PATH is a folder.",
            arguments: [scenarioArgument, seed, duration],
            destination: DestinationSpec(extensions: [], required: true, help: "CSV file to write (a folder for team)"),
            examples: ["simulate bridge-set seed=1 to sample-data/bridge-set.csv", "simulate team seed=7 to team"])) { invocation in
            let scenario = try invocation[scenarioArgument]
            let path = try invocation.requiredDestination
            if scenario != .team, !path.lowercased().hasSuffix(".csv") {
                throw MyoError.invalidValue(argument: "to", value: path, expected: "a file ending in .csv")
            }
            let written = try Simulator.write(scenario, seed: UInt64(try invocation[seed]), durationSeconds: try invocation[duration], to: path)
            return [.message("wrote " + written.joined(separator: ", "))]
        }
    }

    static func simulateCourseCommand(_ session: Session) -> PluginCommand {
        let seed = Argument.requiredInteger("seed", minimum: 0, help: "random seed")
        let sessions = Argument.integer("sessions", default: "8", minimum: 2, maximum: 52, help: "weekly sessions")
        let profile = Argument.choice("profile", default: CourseProfile.responder, help: "the course's trajectory")
        let subject = Argument.text("subject", default: "C01", help: "the subject id the course's script keeps it under")
        return PluginCommand(spec: CommandSpec(
            name: "simulate course", abstract: "Write one subject's course of weekly Sorensen sessions with known endurance and outcomes, and its script",
            discussion: """
            profile=responder: endurance rises 10 s a week from 45 s, pain falls from 7 to 2 and ODI from 42 % to 14 % \
            over the course. non-responder: endurance near 50 s, pain near 6.5 and ODI near 38 %, with a seeded wobble \
            (+-2 s, +-0.5, +-2 %) well inside the thresholds. mixed: endurance as the non-responder's, outcomes as the \
            responder's. DIR gets sessionNN.csv (a Sorensen recording whose hold lasts the session's endurance, with \
            its truth), course.truth.json (every session's endurance, pain and ODI), and course.myo, which keeps \
            each session in the open progress database (db open FILE or db open :memory: first; then run \
            DIR/course.myo, progress and flags). The same seed writes the same files, byte for byte.
            """,
            arguments: [seed, sessions, profile, subject],
            destination: DestinationSpec(extensions: [], required: true, help: "the folder to write"),
            examples: ["simulate course seed=3 sessions=8 profile=non-responder to course", "db open :memory:; run course/course.myo; progress C01; flags"])) { invocation in
            let folder = try invocation.requiredDestination
            let id = try checkedSubject(invocation[subject])
            let written = try Simulator.writeCourse(seed: UInt64(try invocation[seed]), sessions: try invocation[sessions], profile: try invocation[profile], subject: id, to: folder)
            return [.message("wrote \(written.count) files to \(folder): \(written.count / 2 - 1) sessions, course.truth.json and course.myo")]
        }
    }
}
