import Foundation
import MyoCore
import MyoSignal
import MyoSpectrum
import MyoTestSupport
import Testing

/// The movement plugin: orientation filters against known angles, sensor recognition.
@Suite struct MovementTests {
    /// The flexion-relaxation scenario's trunk angle (deg from vertical), as the simulator made it.
    static func trueAngle(_ t: Double) -> Double {
        let cycle = t.truncatingRemainder(dividingBy: 20)
        if t >= 40 || cycle < 5 { return 0 }
        if cycle < 9 { return 100 * (cycle - 5) / 4 }
        if cycle < 12 { return 100 }
        if cycle < 16 { return 100 * (16 - cycle) / 4 }
        return 0
    }

    /// Each method's sagittal angle, zeroed on the first 2 s of standing, stays within 2 deg RMS
    /// (and 2 deg on average at full flexion) of the simulated trunk angle.
    @Test(arguments: ["accel", "complementary", "madgwick"])
    func tiltFollowsTheSimulatedTrunk(_ method: String) throws {
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "load \(TestEnvironment.repositoryRoot)/sample-data/flexion-relaxation.csv as fr; tilt fr method=\(method) calibrate=0s..2s as t; export t.SAGITTAL to s.csv"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try String(contentsOfFile: folder + "/s.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        var squared = 0.0, full = [Double]()
        for row in rows {
            let cells = row.split(separator: ",").map { Double($0)! }
            let error = cells[1] - Self.trueAngle(cells[0])
            squared += error * error
            if Self.trueAngle(cells[0]) == 100 { full.append(cells[1]) }
        }
        #expect((squared / Double(rows.count)).squareRoot() < 2, "\(method)")
        #expect(abs(full.reduce(0, +) / Double(full.count) - 100) < 2, "\(method)")
    }

    /// A sensor held still at 30 deg of flexion: Madgwick's filter started from the identity
    /// (upright) converges to within 1 deg in 10 s at 50, 100, 200 and 400 Hz with beta = 0.1 rad/s.
    @Test(arguments: [50.0, 100, 200, 400])
    func madgwickConvergesAtSeveralRates(_ fs: Double) {
        let theta = 30 * Double.pi / 180
        let n = Int(10 * fs)
        let acceleration = [Vector3](repeating: Vector3(cos(theta), 0, sin(theta)), count: n)
        let rotation = [Vector3](repeating: Vector3(0, 0, 0), count: n)
        let mount = SensorMount("+X+Z+Y")!
        let q = OrientationFilter.madgwick(accelerometer: acceleration, gyroscope: rotation, sampleRateHz: fs, beta: 0.1, initial: Quaternion.fromGravity(Vector3(1, 0, 0)))
        let start = OrientationFilter.inclination(up: q[0].upInSensorFrame, mount: mount).sagittal
        let end = OrientationFilter.inclination(up: q[n - 1].upInSensorFrame, mount: mount).sagittal
        #expect(abs(start) < 1)
        #expect(abs(end - 30) < 1, "fs \(fs): \(end)")
    }

    /// A sinusoidal flexion (0-60 deg at 0.5 Hz, up to 94 deg/s) with a consistent gyroscope: the
    /// Madgwick and complementary angles follow it within 1.5 deg after the first second, at 100 Hz,
    /// for both handednesses (the first-order integration lags by about half a sample).
    @Test(arguments: ["+X+Z+Y", "+Z+X+Y"])
    func filtersFollowAConsistentMotion(_ mountText: String) {
        let fs = 100.0, n = 2000
        let mount = SensorMount(mountText)!
        var acceleration: [Vector3] = [], rotation: [Vector3] = []
        var truth: [Double] = []
        for i in 0..<n {
            let t = Double(i) / fs
            let angle = 30 - 30 * cos(Double.pi * t), rate = 30 * Double.pi * sin(Double.pi * t) * Double.pi / 180
            truth.append(angle)
            let a = angle * Double.pi / 180
            // Up turns from the longitudinal axis toward the anterior one; the gyroscope about the
            // lateral axis follows the handedness of the mount.
            var up = [0.0, 0, 0], gyro = [0.0, 0, 0]
            up[mount.axes[0].index] = cos(a) * mount.axes[0].sign
            up[mount.axes[1].index] = sin(a) * mount.axes[1].sign
            gyro[mount.axes[2].index] = -mount.handedness * rate * mount.axes[2].sign
            acceleration.append(Vector3(up[0], up[1], up[2]))
            rotation.append(Vector3(gyro[0], gyro[1], gyro[2]))
        }
        let madgwick = OrientationFilter.madgwick(accelerometer: acceleration, gyroscope: rotation, sampleRateHz: fs, beta: 0.1)
            .map { OrientationFilter.inclination(up: $0.upInSensorFrame, mount: mount).sagittal }
        let complementary = OrientationFilter.complementary(accelerometer: acceleration, gyroscope: rotation, mount: mount, sampleRateHz: fs, timeConstantSeconds: 1).map(\.sagittal)
        for i in 100..<n {
            #expect(abs(madgwick[i] - truth[i]) < 1.5, "madgwick \(mountText) at \(i)")
            #expect(abs(complementary[i] - truth[i]) < 1.5, "complementary \(mountText) at \(i)")
        }
    }

    @Test func mountsParseAndKnowTheirHandedness() {
        #expect(SensorMount("+X+Z+Y")?.handedness == -1)
        #expect(SensorMount("+Z+X+Y")?.handedness == 1)
        #expect(SensorMount("-X+Z+Y")?.description == "-X+Z+Y")
        #expect(SensorMount("XXY") == nil && SensorMount("+X+Z") == nil)
    }

    @Test func badTiltCommands() throws {
        let cases: [(String, String)] = [
            ("load sample-data/mvc.csv; tilt mvc", "mvc has no IMU channels (accelerometer axes like ACC_X in g or m/s^2"),
            ("load sample-data/bridge-set.csv as b; tilt b mount=XY", "mount=XY is not valid: expected three different axes with optional signs"),
            ("load sample-data/bridge-set.csv as b; tilt b calibrate=50s..60s", "calibrate=50 s..60 s is out of range"),
        ]
        for (command, message) in cases {
            let out = try runMyoShell(["-c", command])
            #expect(out.status != 0 && out.stderr.contains(message), "\(command): \(out.stderr)")
        }
    }

    struct SmoothnessReference: Decodable {
        struct Profile: Decodable { var speed: [Double]; var sparc: Double; var ldlj: Double }
        var fs: Double
        var profiles: [String: Profile]
    }

    /// SPARC and LDLJ against Reference/smoothness_reference.py (the published algorithm with its
    /// defaults, numpy FFT) for a minimum-jerk, a two-bump and a Gaussian speed profile: within 1e-9.
    @Test func smoothnessMatchesTheReference() throws {
        let path = TestEnvironment.repositoryRoot + "/Tests/MyoMovementTests/Reference/smoothness_reference.json"
        let reference = try JSONDecoder().decode(SmoothnessReference.self, from: FileManager.default.contents(atPath: path)!)
        #expect(reference.profiles.count == 3)
        for (name, profile) in reference.profiles {
            #expect(abs(Smoothness.sparc(speed: profile.speed, sampleRateHz: reference.fs) - profile.sparc) < 1e-9, "\(name) SPARC")
            #expect(abs(Smoothness.logDimensionlessJerk(velocity: profile.speed, sampleRateHz: reference.fs) - profile.ldlj) < 1e-9, "\(name) LDLJ")
        }
        // The minimum-jerk profile is the smoothest of the three by both measures.
        #expect(reference.profiles["minimum_jerk"]!.sparc > reference.profiles["two_bumps"]!.sparc)
    }

    /// bridge-set: 7 bridges of 25 deg (1 s up, 2 s hold, 1 s down). With the complementary
    /// filter: 7 repetitions, ROM within 2 deg of 25, hold within 0.3 s of 2 s, peak angular
    /// velocity within 10 % of 25 deg/s; the time-normalised mean peaks near 25 deg.
    @Test func repetitionsOfTheSimulatedBridges() throws {
        let out = try runMyoShell(["-c", "set output json; load sample-data/bridge-set.csv as b; envelope b; reps b mount=+Z+X+Y method=complementary emg=b_env as r"])
        #expect(out.status == 0, "\(out.stderr)")
        let tables = out.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"type\":\"table\"") }.map {
            (try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["table"] as! [String: Any]
        }
        let reps = tables[0]["rows"] as! [[Any]]
        #expect(reps.count == 7)
        for row in reps {
            #expect(abs((row[8] as! Double) - 25) < 2, "ROM \(row)")
            #expect(abs((row[6] as! Double) - 2) < 0.3, "hold \(row)")
            #expect(abs((row[9] as! Double) / 25 - 1) < 0.1, "velocity \(row)")
        }
        let phases = tables[1]["rows"] as! [[Any]]
        #expect(phases.count == 7 * 3 * 6)
        let normalised = tables[2]["rows"] as! [[Any]]
        #expect(normalised.count == 101 && abs((normalised[50][1] as! Double) - 25) < 1.5)
    }

    /// With the default mount (+X+Z+Y, X along an upright trunk) the supine bridge's angle starts
    /// near 90 deg and falls in each bridge; the repetitions are found as movement away from where
    /// it starts, so they begin at the truth's 3, 8, 13, ... s (sample-data/bridge-set.truth.json),
    /// not at the rests between them (0, 6.09, 11.1 s before).
    @Test func defaultMountFindsTheBridgesNotTheRests() throws {
        // A copy without the truth file beside it, so the conventional mount applies.
        let folder = TestEnvironment.temporaryFolder()
        try FileManager.default.copyItem(atPath: TestEnvironment.repositoryRoot + "/sample-data/bridge-set.csv", toPath: folder + "/bridge-set.csv")
        let out = try runMyoShell(["-c", "set output json; load bridge-set.csv as b; reps b"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let table = try #require(printedTables(out).first)
        let onsets = (table["rows"] as! [[Any]]).map { $0[2] as! Double }
        #expect(onsets.count == 7)
        for (onset, truth) in zip(onsets, stride(from: 3.0, through: 33, by: 5)) { #expect(abs(onset - truth) < 0.25, "\(onsets)") }
        #expect((table["notes"] as! [String]).contains { $0.hasPrefix("direction: the angle falls from where it starts") })
        let roms = (table["rows"] as! [[Any]]).map { $0[8] as! Double }
        #expect(roms.allSatisfy { abs($0 - 25) < 2 }, "\(roms)")
    }

    /// Plausibility: a gyroscope with the opposite sign, an accelerometer in m/s^2 read as g.
    @Test func implausibleIMUWarns() throws {
        let flipped = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; scale b.GYR_Y gain=-1 unit=deg/s; reps b mount=+Z+X+Y"])
        #expect(flipped.stderr.contains("warning: b IMU: the gyroscope turns against the accelerometer's tilt (r = -0."), "\(flipped.stderr)")
        let scaled = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; scale b.ACC_* gain=9.80665 unit=g; tilt b mount=+Z+X+Y"])
        #expect(scaled.stderr.contains("warning: b IMU: the accelerometer reads 9.8"), "\(scaled.stderr)")
        #expect(scaled.stderr.contains("g at rest, not 1 g (limit +-0.15 g): check its unit (m/s^2 read as g reads 9.8 g) or its calibration"))
        let plain = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; reps b mount=+Z+X+Y; load sample-data/flexion-relaxation.csv as f; reps f; tilt f"])
        #expect(plain.status == 0 && !plain.stderr.contains("warning"), "\(plain.stderr)")
    }

    /// The Cometa C3D's accelerometers are on the legs: read as a trunk, their sagittal angle spans
    /// about 360 deg and reps warns (it reported ROM 327-358 deg and 2283 deg/s in silence before).
    @Test(.enabled(if: TestEnvironment.hasSharedData)) func cometaAnglesWarn() throws {
        let out = try runMyoShell(["-c", "load ../shared/data/c3dorg-emg-samples/sample00_cometa_emg_acc.c3d as c; reps c sensor=2"])
        #expect(out.stderr.contains("warning: c 2: the sagittal angle spans 359 deg, more than a trunk or pelvis can turn (180 deg): the mount is likely wrong; at rest +1 g is along -X, so if the trunk started upright try mount=-X-Z+Y"), "\(out.stderr)")
    }

    @Test func repetitionsFeedAsymmetrySegments() throws {
        let out = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; envelope b; reps b mount=+Z+X+Y as r; asymmetry b_env segments=r"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("asymmetry (mean, segments=r)") && out.stdout.contains("GM    GM_L  GM_R          7"), "\(out.stdout)")
    }

    @Test func badRepsCommands() throws {
        let cases: [(String, String)] = [
            ("load sample-data/bridge-set.csv as b; reps b.GM_L", "signal=b.GM_L is not valid: expected one angle (deg) or angular velocity (deg/s) channel"),
            ("load sample-data/bridge-set.csv as b; reps b start=10% end=30%", "end=30% is not valid: expected a level at or below start="),
            ("load sample-data/bridge-set.csv as b; reps b start=10mV", "start=10mV is not valid: expected a percentage of the signal's range (20%) or a value in deg"),
        ]
        for (command, message) in cases {
            let out = try runMyoShell(["-c", command])
            #expect(out.status != 0 && out.stderr.contains(message), "\(command): \(out.stderr)")
        }
    }

    /// A copy of a built-in template with one criterion's value changed, in a fresh folder.
    static func strictTemplate(_ id: String, criterion: Int, value: Double) throws -> String {
        let folder = TestEnvironment.temporaryFolder()
        let source = TestEnvironment.repositoryRoot + "/Plugins/Movement/Templates/\(id).json"
        var template = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: source)!) as! [String: Any]
        var criteria = template["criteria"] as! [[String: Any]]
        criteria[criterion]["value"] = value
        template["criteria"] = criteria
        try JSONSerialization.data(withJSONObject: template).write(to: URL(fileURLWithPath: folder + "/\(id).json"))
        return folder
    }

    static let bridgeSession = "load sample-data/bridge-set.csv as b; load sample-data/mvc.csv; envelope b; envelope mvc; normalize b_env mvc=mvc_env"

    /// The simulated bridges (GM about 45 %MVC during the hold, BF below GM, ES symmetric, pelvis
    /// still) pass the built-in bridge template; with GM required at 60 %MVC every repetition is
    /// flagged with the muscle, its value and the bound.
    @Test func bridgeTemplatePassesAndAStricterOneFlags() throws {
        let pass = try runMyoShell(["-c", Self.bridgeSession + "; screen b exercise=bridge emg=b_env_mvc"])
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.stdout.contains("glute bridge (supine hip extension): 7 repetitions, 7 pass, 0 flagged\n"))
        let folder = try Self.strictTemplate("bridge", criterion: 0, value: 60)
        let flag = try runMyoShell(["-c", Self.bridgeSession + "; screen b exercise=bridge emg=b_env_mvc templates=\(folder)"])
        #expect(flag.stdout.contains("glute bridge (supine hip extension): 7 repetitions, 0 pass, 7 flagged (rep 1: GM_L "), "\(flag.stdout)")
        #expect(flag.stdout.contains("%MVC, below 60.0 %MVC during hold"))
        // Without emg= three of the bridge template's four criteria cannot be assessed: no
        // repetition passes on the one criterion left.
        let bare = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; screen b exercise=bridge mount=+Z+X+Y"])
        #expect(bare.stdout.contains("glute bridge (supine hip extension): 7 repetitions, 0 pass, 0 flagged, 7 incomplete; not assessed: "), "\(bare.stdout)")
        let rows = bare.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(rows.count == 7 && rows.allSatisfy { $0.contains(" incomplete ") && $0.contains(" - ") }, "every repetition incomplete, no pass value\n\(bare.stdout)")
        // Without %MVC envelopes the amplitude criteria are not assessed, and say why.
        let raw = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; envelope b; screen b exercise=bridge emg=b_env"])
        #expect(raw.stdout.contains("not assessed: GM_L, GM_R at least 20 %MVC during hold (GM_L is in mV, the criterion in %MVC: normalize first)"))
    }

    /// The mount a recording's sidecar states is used when mount= is not given: the simulator's
    /// truth file for the bridge sample (pelvis sensor, +Z+X+Y) or a BIDS-style STEM.json; mount=
    /// still wins, and without either the convention holds and the plausibility check speaks.
    @Test func theMountARecordingStatesIsUsed() throws {
        let sample = TestEnvironment.repositoryRoot + "/sample-data/bridge-set.csv"
        let stated = try runMyoShell(["-c", "load \(sample) as b; reps b"])
        #expect(stated.stdout.contains("7 repetitions of b.SAGITTAL") && stated.stdout.contains("mount +Z+X+Y (stated by bridge-set.truth.json)"), "\(stated.stdout)")
        let starts = stated.stdout.split(separator: "\n").filter { $0.contains(" b.SAGITTAL ") && $0.first?.isNumber == true }
            .compactMap { Double($0.split(separator: " ", omittingEmptySubsequences: true)[2]) }
        #expect(starts.count == 7 && zip(starts, stride(from: 3.0, to: 40, by: 5)).allSatisfy { abs($0 - $1) < 0.2 }, "truth: bridges start at 3, 8, 13 s: \(starts)")
        let folder = TestEnvironment.temporaryFolder()
        try FileManager.default.copyItem(atPath: sample, toPath: folder + "/x.csv")
        let bare = try runMyoShell(["-c", "load x.csv; reps x"], in: folder)
        // Without a sidecar the upright convention reads the supine pelvis as 90 deg minus its angle.
        #expect(bare.stdout.contains("mount +X+Z+Y;") && bare.stdout.contains("direction: the angle falls"), "no sidecar: the convention\n\(bare.stdout)")
        try #"{"mount": "+Z+X+Y"}"#.write(toFile: folder + "/x.json", atomically: true, encoding: .utf8)
        let sidecar = try runMyoShell(["-c", "load x.csv; info x; reps x"], in: folder)
        #expect(sidecar.stdout.contains("read: IMU mount +Z+X+Y, stated by x.json") && sidecar.stdout.contains("7 repetitions of x.SAGITTAL")
                && !sidecar.stdout.contains("direction: the angle falls"), "\(sidecar.stdout)")
        let given = try runMyoShell(["-c", "load x.csv; tilt x mount=+X+Z+Y"], in: folder)
        #expect(given.stdout.contains("mount +X+Z+Y") && !given.stdout.contains("stated by"), "mount= wins\n\(given.stdout)")
    }

    /// Standing flexion-extension (100 deg): ROM passes the built-in 60 deg, but without %MVC
    /// envelopes the ES silence criterion is not assessed, so no repetition passes: both are
    /// incomplete and say what is missing. A template asking for 120 deg flags both repetitions
    /// with the measured ROM.
    @Test func flexionExtensionTemplateRangeOfMotion() throws {
        let pass = try runMyoShell(["-c", "load sample-data/flexion-relaxation.csv as fr; screen fr exercise=flexion-extension"])
        #expect(pass.stdout.contains("standing trunk flexion-extension: 2 repetitions, 0 pass, 0 flagged, 2 incomplete; not assessed: ES_L, ES_R at most 5 %MVC during hold (no emg= envelopes)"), "\(pass.stdout)")
        #expect(pass.stdout.contains("1    5.38    15.61     100.92  incomplete         -  not assessed: ES_L, ES_R at most 5 %MVC"), "ROM 100.9 deg against the truth's 100\n\(pass.stdout)")
        let folder = try Self.strictTemplate("flexion-extension", criterion: 1, value: 120)
        let flag = try runMyoShell(["-c", "load \(TestEnvironment.repositoryRoot)/sample-data/flexion-relaxation.csv as fr; screen fr exercise=flexion-extension templates=\(folder) to fr.svg"], in: TestEnvironment.temporaryFolder())
        #expect(flag.stdout.contains("2 repetitions, 0 pass, 2 flagged (rep 1: ROM 10"), "\(flag.stdout)")
        #expect(flag.stdout.contains("deg, below 120.0 deg"))
    }

    @Test func templatesAreListedAndCheckedAsData() throws {
        let list = try runMyoShell(["-c", "exercises"])
        for id in ["bridge", "bird-dog", "dead-bug", "side-plank", "plank", "rdl", "single-leg-hinge", "prone-extension", "wall-sit", "flexion-extension"] {
            #expect(list.stdout.contains("\n\(id) "), "\(id)")
        }
        let folder = TestEnvironment.temporaryFolder()
        try "{\"id\": \"broken\", \"name\": \"x\"}".write(toFile: folder + "/broken.json", atomically: true, encoding: .utf8)
        let broken = try runMyoShell(["-c", "exercises templates=\(folder)"])
        #expect(broken.stderr.contains("broken.json: is not an exercise template: the field movement is missing"), "\(broken.stderr)")
        let unknown = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; screen b exercise=brige"])
        #expect(unknown.stderr.contains("brige") && unknown.stderr.contains("bridge"), "\(unknown.stderr)")
    }

    /// Real files into the same pipeline: the UCI knee goniometer (FX, deg) segments into seated
    /// knee extensions; the Cometa C3D's six accelerometers (Acc_1 :X ...) are six sensors for tilt.
    @Test(.enabled(if: TestEnvironment.hasSharedData, "../shared/data is absent"))
    func realJointAngleAndAccelerometers() throws {
        let data = TestEnvironment.sharedData
        let uci = try runMyoShell(["-c", "set output json; load \(data)/uci-lower-limb-emg/1Nsen.txt as u; reps u.FX"])
        #expect(uci.status == 0, "\(uci.stderr)")
        let rows = try #require(printedTables(uci).first)["rows"] as! [[Any]]
        #expect(rows.count >= 3 && rows.allSatisfy { ($0[8] as! Double) > 30 }, "\(rows)")
        let c3d = try runMyoShell(["-c", "load \(data)/c3dorg-emg-samples/sample00_cometa_emg_acc.c3d as c; tilt c as t"])
        #expect(c3d.status == 0, "\(c3d.stderr)")
        #expect(c3d.stdout.contains("t: 12 channels x 19.9 s @ 2000 Hz (1_SAGITTAL 1_FRONTAL 2_SAGITTAL"), "\(c3d.stdout)")
        #expect(c3d.stdout.contains("1 (Acc_1 :X Acc_1 :Y Acc_1 :Z): accelerometer tilt at 2000 Hz"))
    }

    /// The simulated flexion-relaxation (silence from 75 deg while flexing to 85 deg while
    /// re-extending, 100 deg ROM): both sides present in both cycles, silence angles within 3 deg,
    /// ROM within 2 deg, FRR within 15 % of 12.6 (see AsymmetryTests).
    @Test func flexionRelaxationProtocol() throws {
        let out = try runMyoShell(["-c", "set output json; load sample-data/flexion-relaxation.csv as fr; flexion-relaxation fr"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(printedTables(out).first)["rows"] as! [[Any]]
        #expect(rows.count == 4)
        for row in rows {
            #expect(abs((row[2] as! Double) - 100) < 2 && abs((row[3] as! Double) / 12.6 - 1) < 0.15 && (row[5] as! String) == "present", "\(row)")
            #expect(abs((row[6] as! Double) - 75) < 3 && abs((row[7] as! Double) - 85) < 3, "\(row)")
        }
    }

    /// Two sensors (T12 above, S1 below): a still pelvis at 10 deg and a trunk flexing to 40 deg
    /// give LUMBAR = upper - lower from 0 to 30 deg.
    @Test func lumbarAngleFromTwoSensors() throws {
        let folder = TestEnvironment.temporaryFolder()
        var csv = "time (s),T12_ACC_X (g),T12_ACC_Z (g),S1_ACC_X (g),S1_ACC_Z (g)\n"
        for i in 0..<1000 {
            let t = Double(i) / 100
            let upper = (10 + 30 * min(1, max(0, (t - 2) / 3))) * Double.pi / 180, lower = 10 * Double.pi / 180
            csv += "\(t),\(cos(upper)),\(sin(upper)),\(cos(lower)),\(sin(lower))\n"
        }
        try csv.write(toFile: folder + "/two.csv", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "load two.csv; tilt two method=accel lumbar=T12:S1 as t; stats t.LUMBAR from=0s to=1s; stats t.LUMBAR from=6s to=9s"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("t: 5 channels x 10.0 s @ 100 Hz (T12_SAGITTAL T12_FRONTAL S1_SAGITTAL S1_FRONTAL LUMBAR, deg)"), "\(out.stdout)")
        #expect(out.stdout.contains("LUMBAR = t12 - s1 sagittal angle"))
        let means = out.stdout.split(separator: "\n").filter { $0.hasPrefix("t.LUMBAR") }.map { $0.split(separator: " ", omittingEmptySubsequences: true)[5] }.compactMap { Double($0) }
        #expect(means.count == 2 && abs(means[0]) < 1e-3 && abs(means[1] - 30) < 1e-3, "\(means)")
    }

    /// Phase limits drop repetitions whose hold is too short; screen draws per-repetition muscle bars.
    @Test func phaseLimitsAndMuscleBars() throws {
        let dropped = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; reps b mount=+Z+X+Y method=complementary min-phase=2.5s"])
        #expect(dropped.stdout.contains("0 repetitions of b.SAGITTAL") && dropped.stdout.contains("7 candidates dropped"), "\(dropped.stdout)")
        let folder = TestEnvironment.temporaryFolder()
        let root = TestEnvironment.repositoryRoot
        let bars = try runMyoShell(["-c", "load \(root)/sample-data/bridge-set.csv as b; load \(root)/sample-data/mvc.csv; envelope b; envelope mvc; normalize b_env mvc=mvc_env; screen b exercise=bridge emg=b_env_mvc plot=muscles to m.svg"], in: folder)
        #expect(bars.status == 0, "\(bars.stderr)")
        let script = try String(contentsOfFile: folder + "/m.gp", encoding: .utf8)
        #expect(script.contains("$bars << EOD\n\"rep 1 pass\" ") && script.contains("title 'GM_L'") && script.contains("title 'GM_R'"))
    }

    /// Repetitions on an angular velocity: the trunk gyroscope's two flexions (25 deg/s for 4 s).
    @Test func repetitionsOnAngularVelocity() throws {
        let out = try runMyoShell(["-c", "set output json; load sample-data/flexion-relaxation.csv as fr; reps fr.GYR_Y start=10deg/s end=5deg/s"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(printedTables(out).first)["rows"] as! [[Any]]
        #expect(rows.count == 2)
        for (row, start) in zip(rows, [5.0, 25.0]) {
            #expect(abs((row[2] as! Double) - start) < 0.1 && abs((row[4] as! Double) - 4) < 0.1 && row[8] is NSNull, "\(row)")
            #expect(abs((row[9] as! Double) - 25) < 2.5, "\(row)")
        }
    }
}
