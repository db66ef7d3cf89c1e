import Foundation
import MyoCore
import MyoFormats
import MyoPlot
import MyoStream
import MyoTestSupport
import Testing

/// LSL for real: a pylsl outlet in another process, and two MyoShell processes. The whole suite is
/// skipped, with one message, when liblsl cannot be had (pip install pylsl gives it).
/// Why the LSL tests cannot run here, or "" when they can.
let liblslMissing: String = {
    do { _ = try LSLLibrary.load(); return TestEnvironment.hasPythonModule("pylsl") ? "" : "the pylsl Python package is missing" } catch { return "\(error)" }
}()

@Suite(.enabled(if: liblslMissing.isEmpty && TestEnvironment.hasExecutable, "skipped: liblsl cannot be had; install it with python3 -m pip install pylsl"))
struct LiveStreamTests {
    static func uniqueName(_ stem: String) -> String { "\(stem)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" }

    /// A MyoShell running `script` in the background, its output discarded.
    static func startShell(_ script: String, in folder: String = TestEnvironment.repositoryRoot) throws -> Process {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: TestEnvironment.myoshell)
        shell.arguments = ["-c", script]
        shell.currentDirectoryURL = URL(fileURLWithPath: folder)
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        return shell
    }

    /// Starts the Python outlet; its first line (t0) is read after the receiver ran.
    static func startOutlet(_ name: String, seconds: Double, dropAt: Double, pauseAt: Double = -1) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestEnvironment.repositoryRoot + "/Tests/MyoStreamTests/Reference/lsl_outlet.py", name, String(seconds), String(dropAt), String(pauseAt)]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, pipe)
    }

    static func emg(_ c: Int, _ k: Int) -> Double {
        0.5 * sin(2 * .pi * Double(37 + 10 * c) * Double(k) / 2000) + 0.2 * sin(2 * .pi * 3 * Double(k) / 2000 + Double(c))
    }

    /// A real outlet streams 4 EMG channels at 2 kHz and 3 IMU channels at 100 Hz; live records
    /// them to EDF: every sample equals the sender's within half a quantisation step, from a
    /// start the file's annotation states, and the 20 ms chunk the sender dropped is a gap event.
    @Test func aPythonOutletIsRecordedSampleForSample() throws {
        let folder = TestEnvironment.temporaryFolder()
        let name = Self.uniqueName("emgtest")
        let (outlet, pipe) = try Self.startOutlet(name, seconds: 4, dropAt: 1.5)
        defer { outlet.terminate() }
        let out = try runMyoShell(["-c", "live \(name) \(name)-IMU for=3s record to rec.edf as r; info r"], in: folder, timeLimit: 60)
        #expect(out.status == 0, "\(out.stderr)")
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let t0 = try #require((try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double])?["t0"], "outlet said: \(line)")
        #expect(out.stdout.contains(" s | ES_L "), "one summary line a second\n\(out.stdout)")
        #expect(out.stderr.contains("\(name): 40 samples missing in transit"), "\(out.stderr)")

        guard case .recording(let recording) = try RecordingLoader.load(path: folder + "/rec.edf", name: "rec").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["ES_L", "ES_R", "GM_L", "GM_R", "ACC_X", "ACC_Y", "ACC_Z"])
        let start = try #require(recording.events.first { $0.label.hasPrefix("LSL stream \(name): first recorded sample at LSL time ") })
        let first = try #require(Double(start.label.split(separator: " ")[9]))
        let k0 = Int(((first - t0) * 2000).rounded())
        let gap = try #require(recording.events.first { $0.label.hasPrefix("gap: 40 samples of \(name) missing") }, "\(recording.events)")
        // The dropped chunk is 1.5 s after the sender's start.
        #expect(abs(gap.timeSeconds - (1.5 - Double(k0) / 2000)) < 0.001, "gap at \(gap.timeSeconds) s, k0 \(k0)")
        let step = 20.0 / 65535
        var worst = 0.0, compared = 0
        for c in 0..<4 {
            for (i, value) in recording.channels[c].samples.enumerated() where !(3000..<3040).contains(k0 + i) {
                worst = max(worst, abs(Double(value) - Self.emg(c, k0 + i)))
                compared += 1
            }
        }
        #expect(compared > 4 * 5000, "\(compared) samples compared")
        #expect(worst <= step / 2 + 1e-6, "worst \(worst) mV against half a step \(step / 2) mV")
        _ = outlet
    }

    struct PyXDFStream: Decodable {
        var name: String
        var format: String
        var labels: [String]
        var units: [String]
        var count: Int
        var first_stamp: Double?
        var first_values: [[Double]]?
        var sums: [Double]?
        var texts: [String]?
        var stamps: [Double]?
    }

    /// live records three streams (EMG, IMU, string markers) to XDF as they arrive; pyxdf, the
    /// reference reader, finds the sender's exact float32 samples and markers in it, and
    /// `load FILE.xdf` gives what pyxdf gives: the same samples, starts and marker times.
    @Test(.enabled(if: TestEnvironment.hasPythonModule("pyxdf"), "pyxdf is missing (pip install pyxdf)"))
    func liveRecordsXDFThatPyxdfAndLoadReadAlike() throws {
        let folder = TestEnvironment.temporaryFolder()
        let name = Self.uniqueName("xdf")
        let (outlet, pipe) = try Self.startOutlet(name, seconds: 4, dropAt: -1)
        defer { outlet.terminate() }
        let out = try runMyoShell(["-c", "live \(name) \(name)-IMU \(name)-Markers for=3s record to rec.xdf as r"], in: folder, timeLimit: 60)
        #expect(out.status == 0, "\(out.stderr)")
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let t0 = try #require((try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double])?["t0"], "outlet said: \(line)")
        let script = TestEnvironment.repositoryRoot + "/Tests/MyoStreamTests/Reference/xdf_reference.py"
        let reference = try runProgram("/usr/bin/env", ["python3", script, folder + "/rec.xdf"])
        try #require(reference.status == 0, "\(reference.stderr)")
        let streams = try JSONDecoder().decode([PyXDFStream].self, from: Data(reference.stdout.utf8))
        let emg = try #require(streams.first { $0.name == name }), imu = try #require(streams.first { $0.name == name + "-IMU" })
        let markers = try #require(streams.first { $0.name == name + "-Markers" })
        #expect(emg.labels == ["ES_L", "ES_R", "GM_L", "GM_R"] && emg.units == ["mV", "mV", "mV", "mV"] && imu.labels == ["ACC_X", "ACC_Y", "ACC_Z"])
        // The writer: the sender's float32 values, exactly, from the first sample received.
        let k0 = Int(((try #require(emg.first_stamp)) - t0) * 2000 .rounded())
        for c in 0..<4 { #expect(emg.first_values?[c] == (0..<5).map { Double(Float(Self.emg(c, k0 + $0))) }, "channel \(c)") }
        #expect(emg.count > 4000, "about 3 s at 2 kHz: \(emg.count)")
        #expect(markers.texts?.first?.hasPrefix("marker ") == true && (markers.texts?.count ?? 0) >= 4, "\(markers.texts ?? [])")

        // The reader: load gives what pyxdf gives.
        guard case .recording(let recording) = try RecordingLoader.load(path: folder + "/rec.xdf", name: "rec").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["ES_L", "ES_R", "GM_L", "GM_R", "ACC_X", "ACC_Y", "ACC_Z"])
        let origin = min(emg.first_stamp ?? 0, imu.first_stamp ?? 0)
        for (stream, offset) in [(emg, 0), (imu, 4)] {
            for c in 0..<stream.labels.count {
                let channel = recording.channels[offset + c]
                #expect(channel.samples.count == stream.count && channel.unit == stream.units[c])
                #expect(channel.samples.prefix(5).map(Double.init) == stream.first_values?[c])
                #expect(abs(channel.samples.reduce(0.0) { $0 + Double($1) } - (stream.sums?[c] ?? .nan)) < 1e-6, "sum of \(channel.name)")
                // Starts on pyxdf's synchronised clock, within 1 us.
                #expect(abs(channel.startTimeSeconds - ((stream.first_stamp ?? 0) - origin)) < 1e-6)
            }
        }
        let expected = zip(markers.texts ?? [], markers.stamps ?? []).map { ($0, $1 - origin) }
        #expect(recording.events.count == expected.count)
        for (event, (text, time)) in zip(recording.events, expected) { #expect(event.label == text && abs(event.timeSeconds - time) < 1e-6) }

        // A recorder killed mid-chunk leaves a file cut short: read up to the cut, with a warning.
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder + "/rec.xdf"))
        try whole.prefix(whole.count * 7 / 10).write(to: URL(fileURLWithPath: folder + "/cut.xdf"))
        let cut = try RecordingLoader.load(path: folder + "/cut.xdf", name: "cut")
        guard case .recording(let partial) = cut.object else { Issue.record("not a recording"); return }
        #expect(cut.warnings.contains { $0.contains("ends inside a chunk") }, "\(cut.warnings)")
        #expect(partial.channels[0].samples.count < recording.channels[0].samples.count && partial.channels[0].samples.count > 1000)
        #expect(partial.channels[0].samples[...] == recording.channels[0].samples.prefix(partial.channels[0].samples.count))
    }

    /// A sender that stalls for 1.5 s is reported when it stops and when it comes back, and the
    /// samples it never sent are a gap.
    @Test func aStallingSenderIsReportedAndItsGapMarked() throws {
        let folder = TestEnvironment.temporaryFolder()
        let name = Self.uniqueName("stall")
        let (outlet, _) = try Self.startOutlet(name, seconds: 5, dropAt: -1, pauseAt: 1)
        defer { outlet.terminate() }
        let out = try runMyoShell(["-c", "live \(name) for=4s channels=ES_L,GM_R pairs=ES_L:GM_R as r; info r"], in: folder, timeLimit: 60)
        #expect(out.status == 0, "\(out.stderr)")
        // Only the chosen channels and pair are shown; all four are received.
        let line = try #require(out.stdout.split(separator: "\n").first { $0.hasPrefix("t 1.") })
        #expect(line.contains("| ES_L ") && line.contains(" GM_R ") && !line.contains("ES_R") && line.contains("| SI ES "), "\(line)")
        #expect(out.stdout.contains("r: 4 channels"), "\(out.stdout)")
        #expect(out.stderr.contains("\(name) stopped sending at ") && out.stderr.contains("(liblsl kept trying to reconnect)"), "\(out.stderr)")
        #expect(out.stdout.contains("stream \(name) stopped sending; reconnecting") && out.stdout.contains("stream \(name) back after "), "\(out.stdout)")
        #expect(out.stdout.contains("gap: ") && out.stdout.contains("samples of \(name) missing"), "\(out.stdout)")
    }

    /// Repetitions counted live from the pelvis IMU of the bridge sample, streamed by another shell
    /// at 4x: the 7 bridges (truth: one every 5 s, 0 -> 25 deg) are 7 events 5 s apart.
    @Test func repetitionsAreCountedLiveFromTheIMU() throws {
        let folder = TestEnvironment.temporaryFolder()
        let name = Self.uniqueName("bridge")
        let sample = TestEnvironment.repositoryRoot + "/sample-data/bridge-set.csv"
        let sender = try Self.startShell("load \(sample) as b; stream b name=\(name) speed=4 for=14s consumers=20s")
        defer { sender.terminate() }
        let out = try runMyoShell(["-c", "live \(name)-IMU reps=8deg..15deg mount=+Z+X+Y for=11s as r; info r"], in: folder, timeLimit: 60)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("reps 7, "), "\(out.stdout)")
        #expect(out.stderr.contains("\(name)-IMU ran at 400 Hz by its timestamps, not its nominal 100 Hz"), "the 4x sender is reported\n\(out.stderr)")
        let times = out.stdout.split(separator: "\n").compactMap { line -> Double? in
            guard let range = line.range(of: " s  rep ") else { return nil }
            return Double(line[..<range.lowerBound].trimmingCharacters(in: .whitespaces))
        }
        #expect(times.count == 7, "\(out.stdout)")
        for (a, b) in zip(times, times.dropFirst()) { #expect(abs(b - a - 5) < 0.05, "bridges 5 s apart: \(times)") }
    }

    /// A receiver killed (SIGKILL) while recording leaves files that load, missing at most the
    /// last second: EDF (record by record, header count rewritten) and XDF (chunk by chunk).
    @Test func aKilledRecorderLeavesFilesThatLoad() throws {
        let folder = TestEnvironment.temporaryFolder()
        let name = Self.uniqueName("kill")
        let (outlet, _) = try Self.startOutlet(name, seconds: 10, dropAt: -1)
        defer { outlet.terminate() }
        var receivers: [Process] = []
        for file in ["rec.edf", "rec.xdf"] {
            receivers.append(try Self.startShell("live \(name) \(name)-IMU for=20s to \(file)", in: folder))
        }
        // Until both files hold more than 2 s of EMG (checked by loading them), then kill -9.
        func seconds(_ file: String) -> Double {
            guard case .recording(let r)? = try? RecordingLoader.load(path: folder + "/" + file, name: "x").object else { return 0 }
            return r.channels.first.map(\.durationSeconds) ?? 0
        }
        let started = Date()
        while Date().timeIntervalSince(started) < 30, seconds("rec.edf") < 2 || seconds("rec.xdf") < 2 { usleep(200_000) }
        let alive = Date().timeIntervalSince(started)
        for receiver in receivers { kill(receiver.processIdentifier, SIGKILL); receiver.waitUntilExit() }
        for file in ["rec.edf", "rec.xdf"] {
            let result = try RecordingLoader.load(path: folder + "/" + file, name: "x")
            guard case .recording(let recording) = result.object else { Issue.record("\(file) is not a recording"); continue }
            #expect(recording.channels.count == 7, "\(file)")
            let duration = recording.channels[0].durationSeconds
            #expect(duration >= 2 && duration <= alive + 1, "\(file): \(duration) s after \(alive) s")
        }
    }

    /// streams lists a real outlet with its metadata; live shows bars in %MVC from an mvc table,
    /// marks a channel inside the target band, and prints SI per pair.
    @Test func streamsListsAndLiveShowsPercentMVCAgainstATarget() throws {
        let folder = TestEnvironment.temporaryFolder()
        let name = Self.uniqueName("mvc")
        let (outlet, _) = try Self.startOutlet(name, seconds: 8, dropAt: -1)
        defer { outlet.terminate() }
        let listed = try runMyoShell(["-c", "set output json; streams wait=1s"], in: folder, timeLimit: 60)
        let row = try #require(listed.stdout.split(separator: "\n").first { $0.contains("\"\(name)\"") }, "\(listed.stdout)")
        #expect(row.contains("\"EMG\"") && row.contains("ES_L [mV] ES_R [mV] GM_L [mV] GM_R [mV]") && row.contains("2000"), "\(row)")
        let data = TestEnvironment.repositoryRoot + "/sample-data"
        let out = try runMyoShell(["-c", "load \(data)/mvc.csv as m; envelope m; mvc m_env.* from=m_env as ref; live \(name) mvc=ref target=20%..200% for=3s"], in: folder, timeLimit: 60)
        #expect(out.status == 0, "\(out.stderr)")
        let line = try #require(out.stdout.split(separator: "\n").first { $0.hasPrefix("t 2.") }, "\(out.stdout)")
        // The sender's 0.5 mV sines give envelopes of about 0.3 mV: well inside 20-200 %MVC of refs near 0.4-0.5 mV.
        #expect(line.contains("%MVC *") && line.contains("| SI ES ") && line.contains(" SI GM "), "\(line)")
    }

    /// Ctrl-C (SIGINT) stops live as q does: what arrived is kept as a recording, and the shell goes on.
    @Test func ctrlCStopsLiveAndKeepsWhatArrived() throws {
        let folder = TestEnvironment.temporaryFolder()
        let name = Self.uniqueName("sigint")
        let (outlet, _) = try Self.startOutlet(name, seconds: 10, dropAt: -1)
        defer { outlet.terminate() }
        let receiver = Process()
        receiver.executableURL = URL(fileURLWithPath: TestEnvironment.myoshell)
        receiver.arguments = ["-c", "live \(name) for=30s as r; info r"]
        receiver.currentDirectoryURL = URL(fileURLWithPath: folder)
        let pipe = Pipe()
        receiver.standardOutput = pipe
        receiver.standardError = FileHandle.nullDevice
        let started = Date()
        try receiver.run()
        let reader = DispatchQueue(label: "out")
        let data = Locked(Data())
        reader.async { let all = pipe.fileHandleForReading.readDataToEndOfFile(); data.withLock { $0 = all } }
        Thread.sleep(forTimeInterval: 4)
        kill(receiver.processIdentifier, SIGINT)
        receiver.waitUntilExit()
        reader.sync {}
        let text = String(decoding: data.withLock { $0 }, as: UTF8.self)
        #expect(receiver.terminationStatus == 0, "\(text)")
        #expect(Date().timeIntervalSince(started) < 15, "stopped by the interrupt, not by for=30s")
        #expect(text.contains("received \(name): ") && text.contains("r: 4 channels"), "\(text)")
    }

    /// One MyoShell publishes a recording, another receives it: the received samples are the
    /// source's, from the start the receiver joined.
    @Test func oneShellStreamsAnotherReceives() throws {
        let folder = TestEnvironment.temporaryFolder()
        let name = Self.uniqueName("sor")
        let sample = TestEnvironment.repositoryRoot + "/sample-data/sorensen.csv"
        let sender = try Self.startShell("load \(sample) as s; stream s name=\(name) for=6s consumers=20s")
        defer { sender.terminate() }
        let out = try runMyoShell(["-c", "live \(name) \(name)-IMU for=2s as r; export r to r.csv; load \(sample) as s; export s to s.csv"], in: folder, timeLimit: 60)
        #expect(out.status == 0, "\(out.stderr)")
        guard case .recording(let received) = try RecordingLoader.load(path: folder + "/r.csv", name: "r").object,
              case .recording(let source) = try RecordingLoader.load(path: sample, name: "s").object else { Issue.record("not recordings"); return }
        let got = try #require(received.channels.first { $0.name == "ES_L" }?.samples)
        let original = try #require(source.channels.first { $0.name == "ES_L" }?.samples)
        #expect(got.count > 1500, "2 s at 1 kHz, less the connection time: \(got.count)")
        // Find where the received samples start in the source (the sender starts when the receiver connects).
        let offset = try #require((0..<(original.count - got.count)).first { k in (0..<50).allSatisfy { original[k + $0] == got[$0] } })
        #expect(offset < 1000, "the receiver joined within a second of the start: offset \(offset)")
        #expect(zip(got, original[offset...]).allSatisfy { $0 == $1 }, "float32 samples arrive unchanged")
    }
}

/// The full-screen view on a real terminal (tmux), read back with capture-pane: bars with
/// values, the balance of each pair, stream health and the keys; space marks an event.
@Suite(.enabled(if: liblslMissing.isEmpty && TestEnvironment.hasExecutable && TmuxTerminal.isAvailable, "skipped: needs liblsl (pip install pylsl) and tmux"))
struct LiveViewTests {

    @Test func theTerminalViewDrawsBarsAndMarksEvents() throws {
        let folder = TestEnvironment.temporaryFolder()
        let name = LiveStreamTests.uniqueName("view")
        // A view of ES_L, ES_R, GM_L, GM_R only: the outlet's IMU stream is left unread.
        let (outlet, _) = try LiveStreamTests.startOutlet(name, seconds: 8, dropAt: -1)
        defer { outlet.terminate() }
        let terminal = try TmuxTerminal("live", columns: 100, rows: 30, folder: folder,
                                        command: "\(TestEnvironment.myoshell) -c 'live \(name) for=4s as r; info r'; sleep 30")
        defer { terminal.kill() }
        // Wait for the view, then mark an event with the space key.
        let screen = try terminal.screen { $0.contains("space: mark an event") && $0.contains("ES_L     |#") && $0.contains("R SI ") }
        #expect(screen.contains("MyoShell live"), "\(screen)")
        #expect(screen.contains("ES_L     |#"), "a bar per channel\n\(screen)")
        #expect(screen.contains("ES       L") && screen.contains("R SI "), "a balance bar per pair\n\(screen)")
        #expect(screen.contains("stream \(name) "), "stream health\n\(screen)")
        try terminal.press(" ")
        // After the view: the shell's screen again, with the command's messages and info r.
        let after = try terminal.screen(until: "events:")
        #expect(after.contains("received \(name): ") && after.contains(", 1 events"), "\(after)")
        #expect(after.contains("mark 1"), "the marked event is on the recording\n\(after)")
    }
}
