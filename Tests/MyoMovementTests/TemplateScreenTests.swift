import Foundation
import MyoCore
import MyoSignal
import MyoSimulator
import MyoTestSupport
import Testing

/// Every built-in exercise template against recordings built from it to pass and to fail: the
/// movement its template describes (repetitions or holds, in its plane, through its sensor mount,
/// with a gyroscope consistent with the mount's handedness) and %MVC envelopes that meet every
/// criterion, or miss the first one.
@Suite struct TemplateScreenTests {
    static let folder = TestEnvironment.repositoryRoot + "/Plugins/Movement/Templates"
    static let templates: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    struct Bout { var start: Double; var holdStart: Double; var holdEnd: Double; var end: Double }

    /// The angle profile: 5 repetitions of 70 deg (1 s up, 2 s hold, 1 s down, 2 s rest) after 3 s,
    /// or 3 holds of 8 s at the template's target (1 s ramps, 3 s rest).
    static func profile(_ movement: [String: Any]) -> (Profile, [Bout], Double) {
        var points: [(Double, Double)] = [(0, 0)]
        var bouts: [Bout] = []
        var t = 3.0
        if movement["mode"] as? String == "hold" {
            let target = movement["target"] as? Double ?? 90
            for _ in 0..<3 {
                points += [(t, 0), (t + 1, target), (t + 9, target), (t + 10, 0)]
                bouts.append(Bout(start: t + 1, holdStart: t + 1, holdEnd: t + 9, end: t + 9))
                t += 13
            }
        } else {
            for _ in 0..<5 {
                points += [(t, 0), (t + 1, 70), (t + 3, 70), (t + 4, 0)]
                bouts.append(Bout(start: t, holdStart: t + 1, holdEnd: t + 3, end: t + 4))
                t += 6
            }
        }
        return (Profile(points), bouts, t + 2)
    }

    /// Writes imu.csv (accelerometer in g, gyroscope in deg/s, 100 Hz) and env.csv (%MVC, 100 Hz).
    static func write(_ template: [String: Any], failing: Bool, to folder: String) throws -> Int {
        let movement = template["movement"] as! [String: Any]
        let mount = SensorMount(movement["mount"] as! String)!
        let frontal = (movement["signal"] as? String ?? movement["plane"] as? String) == "frontal"
        let (angle, bouts, duration) = profile(movement)
        let fs = 100.0
        let n = Int(duration * fs)
        var imu = "time (s),ACC_X (g),ACC_Y (g),ACC_Z (g),GYR_X (deg/s),GYR_Y (deg/s),GYR_Z (deg/s)\n"
        for i in 0..<n {
            let t = Double(i) / fs
            let a = angle(t) * Double.pi / 180
            let rate = (angle(t + 0.0005) - angle(t - 0.0005)) / 0.001
            // Up in the body frame, then in the sensor's axes; the gyroscope turns it consistently.
            let body = frontal ? [cos(a), 0, sin(a)] : [cos(a), sin(a), 0]
            var gyroBody = [0.0, 0, 0]
            if frontal { gyroBody[1] = mount.handedness * rate } else { gyroBody[2] = -mount.handedness * rate }
            var up = [0.0, 0, 0], gyro = [0.0, 0, 0]
            for k in 0..<3 {
                up[mount.axes[k].index] = mount.axes[k].sign * body[k]
                gyro[mount.axes[k].index] = mount.axes[k].sign * gyroBody[k]
            }
            imu += "\(NumberFormat.significant(t, digits: 8))," + (up + gyro).map { NumberFormat.significant($0, digits: 9) }.joined(separator: ",") + "\n"
        }
        try imu.write(toFile: folder + "/imu.csv", atomically: true, encoding: .utf8)
        // Levels that meet every criterion; the failing variant misses the first one.
        let criteria = template["criteria"] as! [[String: Any]]
        var level: [String: Double] = [:]
        for criterion in criteria {
            let value = criterion["value"] as! Double
            switch criterion["check"] as! String {
            case "min-mean": for m in criterion["muscles"] as! [String] { level[m] = max(level[m] ?? 0, value + 10) }
            case "max-mean": for m in criterion["muscles"] as! [String] { level[m] = value / 2 }
            default: break
            }
        }
        for criterion in criteria where criterion["check"] as? String == "max-ratio" {
            let denominator = (criterion["denominator"] as! [String]).map { level[$0] ?? 10 }.min()!
            for m in criterion["numerator"] as! [String] { level[m] = 0.5 * denominator }
        }
        for criterion in criteria where criterion["check"] as? String == "symmetry" {
            let l = criterion["left"] as! String, r = criterion["right"] as! String
            let shared = max(level[l] ?? 10, level[r] ?? 10)
            level[l] = shared; level[r] = shared
        }
        for m in template["targets"] as! [String] where level[m] == nil { level[m] = 10 }
        if failing, let first = criteria.first, let muscles = first["muscles"] as? [String] {
            let value = first["value"] as! Double
            level[muscles[0]] = first["check"] as? String == "max-mean" ? value + 10 : max(0, value - 5)
        }
        let muscles = level.keys.sorted()
        var env = "time (s)," + muscles.map { "\($0) (%MVC)" }.joined(separator: ",") + "\n"
        for i in 0..<n {
            let t = Double(i) / fs
            let active = bouts.contains { t >= $0.start - 0.2 && t <= $0.end + 0.2 }
            env += "\(NumberFormat.significant(t, digits: 8))," + muscles.map { NumberFormat.significant(active ? level[$0]! : 2, digits: 6) }.joined(separator: ",") + "\n"
        }
        try env.write(toFile: folder + "/env.csv", atomically: true, encoding: .utf8)
        return bouts.count
    }

    @Test(arguments: templates)
    func templatePassesItsGoodRecordingAndFlagsItsBadOne(_ id: String) throws {
        let template = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: Self.folder + "/\(id).json")!) as! [String: Any]
        let name = template["name"] as! String
        for failing in [false, true] {
            let folder = TestEnvironment.temporaryFolder()
            let count = try Self.write(template, failing: failing, to: folder)
            let out = try runMyoShell(["-c", "load imu.csv; load env.csv; screen imu exercise=\(id) emg=env"], in: folder)
            #expect(out.status == 0, "\(id): \(out.stderr)")
            let kind = (template["movement"] as! [String: Any])["mode"] as? String == "hold" ? "hold" : "repetition"
            let summary = failing ? "\(name): \(count) \(kind)s, 0 pass, \(count) flagged" : "\(name): \(count) \(kind)s, \(count) pass, 0 flagged"
            #expect(out.stdout.contains(summary), "\(id) failing=\(failing): \(out.stdout.split(separator: "\n").prefix(3).joined(separator: " | "))")
            #expect(!out.stdout.contains("not assessed"), "\(id): \(out.stdout)")
        }
    }
}
