import Foundation
import MyoCore
import MyoPlot
import MyoShell
import MyoSimulator
import MyoTestSupport
import Testing

/// Recordings whose samples stay in their file (`load ... store=file`, the default above 512 MiB)
/// and results kept in scratch files: the same numbers and bytes as in memory, a source shortened
/// under the shell and a full scratch disk as sentences. Small files, so block boundaries come
/// often; the day-long runs belong to the benchmark (scripts/bench-day).
@Suite struct FileBackedTests {
    static let day: String = {
        let folder = TestEnvironment.temporaryFolder()
        _ = try? DaySimulator.write(seed: 3, durationSeconds: 90, to: folder + "/d.bdf")
        return folder
    }()

    /// Every command that streams, and one that does not (the shell reads its channels into
    /// memory first): the same tables, and byte-identical EDF and CSV exports, whether the day was
    /// decoded at load or is read block by block from the BDF and from scratch files.
    @Test func fileBackedAndInMemoryGiveTheSameNumbersAndBytes() throws {
        var outputs: [String: String] = [:]
        for store in ["memory", "file"] {
            try FileManager.default.createDirectory(atPath: Self.day + "/" + store, withIntermediateDirectories: true)
            let out = try runMyoShell(["-c", """
                load d.bdf as d store=\(store); activities d as act; stats d.ES_* d.ACC_X; envelope d.ES_L d.ES_R d.GM_L as env; stats env; \
                fatigue d.ES_L d.GM_L window=1s as f; crop d from=20s to=50.5s as part; stats part.ES_L part.ACC_Z; \
                filter d.MF_* band=30Hz..400Hz notch=50Hz as filt; stats filt; onsets d.ES_L preset=threshold baseline=0s..2s as on; \
                export env to \(store)/env.edf; export d.ES_L to \(store)/es.csv; export filt to \(store)/filt.edf; \
                envelope d.ES_L d.ES_R as env2; plot-day env2 below=0.01mV to \(store)/day.png
                """], in: Self.day, environment: ["MYOSHELL_SCRATCH": Self.day])
            #expect(out.status == 0, "\(store): \(out.stderr)")
            // activities reads only the IMU into memory: the EMG stays in the file after it.
            if store == "file" { #expect(out.stdout.components(separatedBy: "6 IMU channels @ 100 Hz, samples read as needed from d.bdf\n").count == 3, "load's and activities' d\n\(out.stdout)") }
            outputs[store] = out.stdout.split(separator: "\n").filter { !$0.contains("samples stay in") && !$0.hasPrefix("wrote ") }
                .map { $0.replacingOccurrences(of: ", samples read as needed from d.bdf", with: "").replacingOccurrences(of: ", samples read as needed from a scratch file in \(Self.day)", with: "") }
                .joined(separator: "\n")
        }
        #expect(outputs["memory"] == outputs["file"])
        #expect(outputs["file"]!.contains("on: onsets, threshold (preset threshold)"), "\(outputs["file"]!)")
        for file in ["env.edf", "es.csv", "filt.edf", "day.dat", "day.gp"] {
            let a = FileManager.default.contents(atPath: Self.day + "/memory/" + file), b = FileManager.default.contents(atPath: Self.day + "/file/" + file)
            #expect(a != nil && a == b, "\(file)")
        }
        // Scratch files are unlinked as soon as they are made: nothing is left in the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: Self.day).filter { $0.hasPrefix("myoshell-scratch") }.isEmpty)
    }

    /// resample of a channel kept in a file (filtered block by block, interpolated a stretch at a
    /// time, 65,536 outputs a stretch, so the 90 s day at 2 kHz -> 100 Hz is one stretch and
    /// 2 kHz -> 1500 Hz is two) against the same channel in memory: equal within 1e-6 of the
    /// channel's range (the filtered signal is held in Float32 between the steps on file).
    @Test func resampleStreamsAndAgreesWithMemory() throws {
        let out = try runMyoShell(["-c", """
            load d.bdf as m store=memory; load d.bdf as f store=file; \
            resample m.{ES_L,ES_R} fs=100Hz as m1; resample f.{ES_L,ES_R} fs=100Hz as f1; resample m.ES_L fs=1500Hz as m2; resample f.ES_L fs=1500Hz as f2; \
            export m1.ES_L to m1.csv; export f1.ES_L to f1.csv; export m2.ES_L to m2.csv; export f2.ES_L to f2.csv; info f2
            """], in: Self.day, environment: ["MYOSHELL_SCRATCH": Self.day])
        #expect(out.status == 0, "\(out.stderr)")
        func column(_ file: String) throws -> [Double] {
            try String(contentsOfFile: Self.day + "/" + file, encoding: .utf8).split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1])! }
        }
        for (memory, file, count) in [("m1.csv", "f1.csv", 9000), ("m2.csv", "f2.csv", 135_000)] {
            let a = try column(memory), b = try column(file)
            let range = (a.max() ?? 0) - (a.min() ?? 0)
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
            #expect(a.count == count && b.count == count && worst <= 1e-6 * range, "\(file): \(b.count) samples, largest difference \(worst) of a range \(range)")
        }
        // The channels not resampled stay in the file.
        #expect(out.stdout.contains("samples read as needed from d.bdf"), "\(out.stdout)")
    }

    /// Ctrl-C (SIGINT) during envelopes of a day kept in its file: the command stops with one
    /// sentence, the run ends with status 1, and no scratch file or result is left behind.
    @Test func ctrlCStopsALongCommandCleanly() throws {
        let folder = TestEnvironment.temporaryFolder(), scratch = TestEnvironment.temporaryFolder()
        _ = try DaySimulator.write(seed: 5, durationSeconds: 1200, to: folder + "/d.bdf")
        let envelopes = (1...8).map { "envelope d.ES_* d.MF_* d.GM_* d.QL_* as e\($0)" }.joined(separator: "; ")
        let script = "'\(TestEnvironment.myoshell)' -c 'load d.bdf as d store=file; \(envelopes); export e8 to e8.edf' & pid=$!; sleep 1.5; kill -INT $pid; wait $pid"
        let out = try runProgram("/bin/bash", ["-c", script], in: folder, environment: ["MYOSHELL_SCRATCH": scratch])
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        #expect(out.stderr.hasSuffix(": interrupted; the workspace is unchanged\n"), "\(out.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder + "/e8.edf"))
    }

    /// A scratch disk that fills (here the file-size limit, ulimit -f, which fails a write as a
    /// full disk does) is one sentence naming the folder and the fix; no scratch file remains.
    @Test func aFullScratchDiskIsOneSentence() throws {
        let scratch = TestEnvironment.temporaryFolder()
        let out = try runProgram("/bin/bash", ["-c", "ulimit -f 500; exec '\(TestEnvironment.myoshell)' -c 'load d.bdf as d store=file; envelope d.ES_* as env'"],
                                 in: Self.day, environment: ["MYOSHELL_SCRATCH": scratch])
        #expect(out.status == 1)
        #expect(out.stderr == "-c:1: \(scratch): writing a scratch file failed at byte 512000 (the file size limit (ulimit -f) is reached); free space there or set MYOSHELL_SCRATCH to a folder with room\n", "\(out.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
    }

    /// The source cut short after it was loaded: the next read is one sentence with the byte
    /// offset, and the workspace keeps the recording (the file is never written by MyoShell).
    @Test func aSourceShortenedAfterLoadingIsOneSentence() throws {
        let folder = TestEnvironment.temporaryFolder()
        try FileManager.default.copyItem(atPath: Self.day + "/d.bdf", toPath: folder + "/d.bdf")
        let (session, _, _) = makeTestSession()
        try session.execute("load \(folder)/d.bdf as d store=file")
        try session.execute("stats d.ES_L")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/d.bdf"))
        try handle.truncate(atOffset: 1_000_000)
        try handle.close()
        let message = errorText(session, "stats d.ES_L")
        #expect(message.hasPrefix("\(folder)/d.bdf at byte "), "\(message)")
        #expect(message.contains("found the file ends there; it was shortened after it was loaded"), "\(message)")
        #expect(session.workspace.recordings["d"]?.channels.count == 22)
    }

    /// A plot of a file-backed channel reduces it while reading, to the same minimum and
    /// maximum of each column as the in-memory decimation draws.
    @Test func streamedPlotPointsEqualTheInMemoryDecimation() throws {
        final class ArrayStore: SampleStore, @unchecked Sendable {
            let values: [Float]
            init(_ values: [Float]) { self.values = values }
            var count: Int { values.count }
            var origin: String { "a test array" }
            func read(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>) throws {
                _ = buffer.initialize(from: values[range])
            }
        }
        var random = SystemRandomNumberGenerator()
        let values = (0..<1_000_003).map { _ in Float.random(in: -1...1, using: &random) }
        let channel = Channel(name: "X", unit: "mV", sampleRateHz: 2000, startTimeSeconds: 3, store: ArrayStore(values))
        for (from, to, columns) in [(nil, nil, 2000), (10.0, 200.0, 777)] as [(Double?, Double?, Int)] {
            let series = try PlotSeries(streaming: channel, label: "X", fromSeconds: from, toSeconds: to, columns: columns)
            let range = channel.sampleRange(fromSeconds: from, toSeconds: to)
            let expected = MinMaxDecimator.decimate(values, range: range, sampleRateHz: 2000, startTimeSeconds: 3, columns: columns)
            #expect(series.points == expected, "\(String(describing: from)) \(columns)")
        }
    }
}
