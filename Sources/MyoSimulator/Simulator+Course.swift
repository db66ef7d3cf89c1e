import MyoCore
import MyoFormats
import MyoSignal

/// A course of weekly sessions of one subject: a Biering-Sorensen recording per session whose
/// endurance follows a known trajectory, the patient-reported outcomes of each session, and a
/// script that keeps them all in the progress database (docs/PROGRESS.md).
public enum CourseProfile: String, CaseIterable, Sendable {
    /// Endurance rises 10 s a week from 45 s; pain falls from 7 to 2, ODI from 42 % to 14 %.
    case responder
    /// Endurance stays near 50 s, pain near 6-7, ODI near 38 %: no change beyond the thresholds.
    case nonResponder = "non-responder"
    /// Endurance stays near 50 s, but pain and ODI improve as a responder's.
    case mixed
}

public struct CourseSession: Sendable {
    public var date: String
    public var enduranceSeconds: Double
    public var pain: Double
    public var odiPercent: Double
}

extension Simulator {
    /// The course's sessions: weekly from 2026-01-05, the trajectory of the profile with small
    /// seeded wobble (+-2 s endurance, +-0.5 pain, +-2 % ODI) that no threshold mistakes for change.
    public static func course(seed: UInt64, sessions: Int, profile: CourseProfile) -> [CourseSession] {
        var random = RandomSource(seed: seed &* 0x9E37_79B9 &+ 0xC0)
        return (0..<sessions).map { week in
            let w = Double(week)
            let wobble = (random.nextUniform() - 0.5) * 4, painWobble = (random.nextUniform() - 0.5), odiWobble = (random.nextUniform() - 0.5) * 4
            let improving = (endurance: 45 + 10 * w, pain: max(0, 7 - 5 * w / Double(max(1, sessions - 1))), odi: max(0, 42 - 28 * w / Double(max(1, sessions - 1))))
            let flat = (endurance: 50 + wobble, pain: 6.5 + painWobble, odi: 38 + odiWobble)
            let values: (Double, Double, Double)
            switch profile {
            case .responder: values = (improving.endurance + wobble, improving.pain, improving.odi)
            case .nonResponder: values = (flat.endurance, flat.pain, flat.odi)
            case .mixed: values = (flat.endurance, improving.pain, improving.odi)
            }
            let day = CivilCalendar.text(CivilCalendar.date(days: CivilCalendar.days(year: 2026, month: 1, day: 5) + 7 * week))
            return CourseSession(date: day, enduranceSeconds: (values.0 * 100).rounded() / 100, pain: (values.1 * 2).rounded() / 2, odiPercent: values.2.rounded())
        }
    }

    /// Writes the course into `folder`: sessionNN.csv (a Sorensen recording whose hold lasts the
    /// session's endurance) with its truth, course.truth.json, and course.myo, which keeps every
    /// session for `subject` in the session's open progress database.
    public static func writeCourse(seed: UInt64, sessions: Int, profile: CourseProfile, subject: String, to folder: String) throws -> [String] {
        if !FileSystem.exists(folder) {
            try AtomicFile.createParentFolders(of: folder)
            try FileSystem.createFolders(folder)
        }
        let planned = course(seed: seed, sessions: sessions, profile: profile)
        var written: [String] = []
        var script = ["# A simulated course (simulate course seed=\(seed) sessions=\(sessions) profile=\(profile.rawValue)): keeps every session of \(subject)",
                      "# in the open progress database (choose it first: db open FILE, or db open :memory: for one that lasts the session).",
                      "# Paths are the script's own folder's (scripts run in their folder).",
                      "subject add \(subject) group=\(profile.rawValue)"]
        var plan = planned
        for (index, planned) in plan.enumerated() {
            // The sorensen scenario's hold lasts (duration - 6 s) x 2/3 - 4 s; whole seconds of
            // recording, so every channel (1 kHz EMG, 100 Hz IMU) ends on a common sample.
            let duration = ((planned.enduranceSeconds + 4) * 3 / 2 + 6).rounded()
            plan[index].enduranceSeconds = (duration - 6) * 2 / 3 - 4
            let session = plan[index]
            var random = RandomSource(seed: seed &* 31 &+ UInt64(index + 1))
            var file = sorensen(duration: duration, random: &random)
            let name = "session" + (index < 9 ? "0" : "") + "\(index + 1)"
            file.recording.name = name
            let path = "\(folder)/\(name).csv"
            try CSVWriter.write(file.recording.channels, to: path)
            try AtomicFile.write(JSONValue.object([("seed", .integer(Int(seed))), ("truth", file.truth)]).serialized() + "\n", to: "\(folder)/\(name).truth.json")
            written += [path, "\(folder)/\(name).truth.json"]
            script += ["load \(name).csv as \(name)", "sorensen \(name) as sor_\(name)", "keep sor_\(name) subject=\(subject) date=\(session.date)\(index == 0 ? " baseline=on" : "")",
                       "outcome \(subject) date=\(session.date) pain=\(NumberFormat.significant(session.pain)) odi=\(NumberFormat.significant(session.odiPercent))%",
                       "drop \(name)"]
        }
        let truth = JSONValue.object([
            ("seed", .integer(Int(seed))), ("profile", .string(profile.rawValue)), ("subject", .string(subject)),
            ("sessions", .array(plan.map { .object([("date", .string($0.date)), ("endurance_s", .number($0.enduranceSeconds)),
                                                    ("pain", .number($0.pain)), ("odi_percent", .number($0.odiPercent))]) })),
        ])
        try AtomicFile.write(truth.serialized() + "\n", to: folder + "/course.truth.json")
        try AtomicFile.write(script.joined(separator: "\n") + "\n", to: folder + "/course.myo")
        return written + [folder + "/course.truth.json", folder + "/course.myo"]
    }
}
