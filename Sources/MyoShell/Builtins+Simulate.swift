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

    static func simulateDayCommand(_ session: Session) -> PluginCommand {
        let seed = Argument.requiredInteger("seed", minimum: 0, help: "random seed")
        let duration = Argument<Double?>.quantity("duration", .time, minimum: 60, maximum: 7 * 86_400, help: "length of the recording (default 24h)")
        let replace = Argument.choice("replace", default: YesNo.no, help: "write over a day simulate day wrote before (never over another file)")
        return PluginCommand(spec: CommandSpec(
            name: "simulate day", abstract: "Write a day of daily life (16 EMG channels at 2 kHz, a trunk IMU at 100 Hz) with its activity diary, block by block",
            discussion: """
            A diary of bouts (lying, sitting, standing, walking, bending, lifting; above 12 h the last 7/24 is a night \
            lying down) drives 16 sEMG channels (ES, MF, GM, GMED, QL, EO, BF, RA, left and right; mV) and a trunk \
            accelerometer (g) and gyroscope (deg/s), mount +X+Z+Y. The file (BDF+ 24-bit for .bdf, EDF+ 16-bit for \
            .edf) is written one second at a time under a temporary name and renamed when whole, so memory stays \
            flat whatever the duration and an interrupted run leaves nothing that looks finished. The diary, the \
            seconds per activity, the cadence of each walk and the lifts of each lifting bout go to STEM.truth.json, \
            with the rests of the back extensors while sitting (ES and MF at activation 0 for 0.4-3 s: EMG gaps) and, \
            in a day of 10 minutes or more, four injected atypical stretches of 20 s at 30, 50, 70 and 90 % of it \
            (guarding: RA and EO co-activate; a strategy: ES_L at a fifth of its level; a cable artefact on ES_R; mains on MF_L). \
            STEM.mvc.edf (or .bdf) is the MVC trial of the same electrodes (rest, 3 s of maximal contraction, rest), \
            so the day's envelopes can be normalised to %MVC (mvc, normalize) and an activity's known activation \
            (sitting: ES 5 %MVC, standing 8 %, bending 25 %) checked. The same seed writes the same files, byte for \
            byte. A 24 h BDF is 8.3 GB; see docs/LONG.md. An existing file is never written over, except with \
            replace=yes one that simulate day wrote (its STEM.truth.json says so), so a demo script can run again.
            """,
            arguments: [seed, duration, replace],
            destination: DestinationSpec(extensions: ["bdf", "edf"], required: true, help: "BDF or EDF file to write"),
            examples: ["simulate day seed=4 duration=24h to day.bdf", "simulate day seed=1 duration=10min to short.edf"])) { invocation in
            let path = try invocation.requiredDestination
            let bar = ProgressBar.isAvailable ? ProgressBar(label: path) : nil
            defer { bar?.finish() }
            let written = try DaySimulator.write(seed: UInt64(try invocation[seed]), durationSeconds: try invocation[duration] ?? 86_400, to: path,
                                                 replacing: try invocation[replace] == .yes, progress: bar.map { bar in { bar.update($0) } })
            return [.message("wrote " + written.joined(separator: ", "))]
        }
    }
}
