import Foundation
import MyoCore
import MyoPlot
import MyoTestSupport
import Testing

/// Inputs that crashed or hung the shell (issue 20's first classes): each now loads or is refused
/// in one sentence, and the process ends normally.
@Suite struct HardeningTests {
    /// A CSV with old Mac line endings (a lone CR) loads; so does a header with no line end.
    @Test func loneCarriageReturnsLoad() throws {
        let folder = TestEnvironment.temporaryFolder()
        try "time,A (mV)\r0,1\r0.001,2\r0.002,3\r".write(toFile: folder + "/cr.csv", atomically: true, encoding: .utf8)
        try "time,A (mV)".write(toFile: folder + "/h.csv", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "set output json; load cr.csv; stats cr"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(printedTables(out).first)["rows"] as! [[Any]]
        #expect((rows[0][4] as! Int) == 3 && (rows[0][5] as! Double) == 2, "\(rows)")
        let header = try runMyoShell(["-c", "load h.csv"], in: folder)
        #expect(header.status == 1 && header.stderr.contains("h.csv:1: expected data rows after the header, found none"), "\(header.stderr)")
    }

    /// With its output pipe's reader gone the shell stops at the first failed write with status 1
    /// (it ran every remaining command and exited 0).
    @Test func goneOutputStopsTheRun() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.myoshell)
        process.arguments = ["-c", "load sample-data/mvc.csv; stats mvc; simulate mvc seed=1 to should-not-exist.csv"]
        process.currentDirectoryURL = URL(fileURLWithPath: TestEnvironment.repositoryRoot)
        process.environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": TestEnvironment.temporaryFolder()].merging(TestEnvironment.sanitizerOptions) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try out.fileHandleForReading.close()
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1 && message.contains("myoshell: standard output is gone (Broken pipe); stopping"), "\(process.terminationStatus) \(message)")
        #expect(!FileManager.default.fileExists(atPath: TestEnvironment.repositoryRoot + "/should-not-exist.csv"))
    }

    /// Control characters from a file (ESC starting a terminal sequence, CR) reach the terminal
    /// escaped, on stdout and in error messages.
    @Test func controlCharactersAreEscaped() throws {
        let folder = TestEnvironment.temporaryFolder()
        try "time,A\u{1B}[2J (mV)\n0,1\n0.001,2\n".write(toFile: folder + "/esc.csv", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "load esc.csv; info esc; load \"no\rfile.csv\""], in: folder)
        #expect(out.stdout.contains("A\\u{1B}[2J") && !out.stdout.contains("\u{1B}"), "\(out.stdout)")
        #expect(!out.stderr.contains("\r") && out.stderr.contains("\\r"), "\(out.stderr)")
    }

    /// A FIFO with no writer is refused at once instead of blocking forever.
    @Test func fifoIsRefused() throws {
        let folder = TestEnvironment.temporaryFolder()
        #expect(mkfifo(folder + "/pipe.csv", 0o600) == 0)
        let started = Date()
        let out = try runMyoShell(["-c", "load pipe.csv"], in: folder)
        #expect(out.status == 1 && out.stderr.contains("pipe.csv: is a FIFO (named pipe), not a regular file; save the recording to a file first"), "\(out.stderr)")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// An output never takes the place of something that is not a regular file: a device such as
    /// /dev/null (writing as root, a rename would have replaced it with a file), a FIFO, a folder.
    @Test func outputsGoOnlyToRegularFiles() throws {
        let folder = TestEnvironment.temporaryFolder()
        #expect(mkfifo(folder + "/pipe.csv", 0o600) == 0)
        try FileManager.default.createDirectory(atPath: folder + "/dir.csv", withIntermediateDirectories: false)
        for (line, kind) in [("history save /dev/null", "/dev/null: is a device"), ("load \(TestEnvironment.repositoryRoot)/sample-data/reaction.csv as r; export r to pipe.csv", "pipe.csv: is a FIFO"),
                             ("load \(TestEnvironment.repositoryRoot)/sample-data/reaction.csv as r; export r to dir.csv", "dir.csv: is a folder")] {
            let out = try runMyoShell(["-c", line], in: folder, timeLimit: 20)
            #expect(out.status == 1 && out.stderr.contains(kind + "; MyoShell writes only regular files, so nothing was written"), "\(line): \(out.stderr)")
        }
        var info = stat()
        #expect(lstat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "/dev/null is still a device")
    }

    /// run is guarded like include: a script that runs itself, directly or through another, stops
    /// with the chain named instead of overflowing the stack.
    @Test func runRecursionIsRefused() throws {
        let folder = TestEnvironment.temporaryFolder()
        try "run b.myo\n".write(toFile: folder + "/a.myo", atomically: true, encoding: .utf8)
        try "run a.myo\n".write(toFile: folder + "/b.myo", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "run a.myo"], in: folder)
        #expect(out.status == 1 && out.stderr.contains("run a.myo would run a script inside itself (a.myo -> b.myo -> a.myo)"), "\(out.stderr)")
    }

    /// A missing script run from a script is that line's error: FILE:LINE: first (it printed the
    /// bare message, and from -c a line number of 0).
    @Test func runMissingKeepsTheCallersLine() throws {
        let folder = TestEnvironment.temporaryFolder()
        try "ls\nrun missing.myo\n".write(toFile: folder + "/a.myo", atomically: true, encoding: .utf8)
        let direct = try runMyoShell(["a.myo"], in: folder)
        #expect(direct.status == 1 && direct.stderr == "a.myo:2: missing.myo: cannot be read as a script (no such file, or not readable)\n", "\(direct.stderr)")
        let nested = try runMyoShell(["-c", "run a.myo"], in: folder)
        #expect(nested.stderr == "-c:1: a.myo:2: missing.myo: cannot be read as a script (no such file, or not readable)\n", "\(nested.stderr)")
    }

    /// A plugin path that trusts wherever the shell starts is named in a warning.
    @Test func pluginPathOfTheWorkingFolderWarns() throws {
        let folder = TestEnvironment.temporaryFolder()
        let relative = try runMyoShell(["-c", "ls"], in: folder, environment: ["MYOSHELL_PLUGIN_PATH": "."])
        #expect(relative.stderr.contains("warning: MYOSHELL_PLUGIN_PATH names '.', a folder relative to where myoshell starts"), "\(relative.stderr)")
        let absolute = try runMyoShell(["-c", "ls"], in: folder, environment: ["MYOSHELL_PLUGIN_PATH": folder])
        #expect(absolute.stderr.contains("warning: MYOSHELL_PLUGIN_PATH names the working folder \(folder)"), "\(absolute.stderr)")
        let elsewhere = try runMyoShell(["-c", "ls"], in: folder, environment: ["MYOSHELL_PLUGIN_PATH": TestEnvironment.temporaryFolder()])
        #expect(!elsewhere.stderr.contains("warning"), "\(elsewhere.stderr)")
    }

    /// A temporary file left by a killed export (`.NAME.tmp-PID` of a process that is gone) is
    /// removed by the next write of NAME; one of a live process is left alone.
    @Test func staleTemporaryFilesAreRemoved() throws {
        let folder = TestEnvironment.temporaryFolder()
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = folder + "/.x.csv.tmp-\(gone.processIdentifier)", live = folder + "/.x.csv.tmp-\(getpid())"
        for path in [stale, live] { try Data(count: 1000).write(to: URL(fileURLWithPath: path)) }
        let out = try runMyoShell(["-c", "load \(TestEnvironment.repositoryRoot)/sample-data/mvc.csv as m; crop m from=0s to=1s as c; export c to x.csv"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale) && FileManager.default.fileExists(atPath: live))
    }

    /// A picture gnuplot could not finish is not put in place and the command fails: gnuplot
    /// stopped by the file-size limit (as on a full disk), and a PNG cut before its end.
    /// (Not under ThreadSanitizer: its runtime dies of SIGBUS under a file-size limit, before any of our code runs.)
    @Test(.enabled(if: TestEnvironment.hasGnuplot && ProcessInfo.processInfo.environment["TSAN_OPTIONS"] == nil))
    func unfinishedPicturesAreRefused() throws {
        let folder = TestEnvironment.temporaryFolder()
        let script = "ulimit -f 150; exec '\(TestEnvironment.myoshell)' -c 'load \(TestEnvironment.repositoryRoot)/sample-data/reaction.csv as r; crop r from=3s to=6s as r; plot r to out.png'"
        let out = try runProgram("/bin/bash", ["-c", script], in: folder)
        // gnuplot inherits MyoShell's ignored SIGXFSZ, so it may end normally with a cut file: either way refused.
        #expect(out.status == 1 && (out.stderr.contains("-c:1: gnuplot") || out.stderr.contains("-c:1: out.png: was not written")), "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.png"))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: folder)).contains { $0.hasPrefix(".out.png.tmp") })
        let whole = try runMyoShell(["-c", "load \(TestEnvironment.repositoryRoot)/sample-data/reaction.csv as r; crop r from=3s to=6s as r; plot r to out.png"], in: folder)
        #expect(whole.status == 0, "\(whole.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: folder + "/out.png"))
        #expect((try? GnuplotPlotter.checkComplete(folder + "/out.png", shownAs: "out.png")) != nil)
        try png.dropLast(100).write(to: URL(fileURLWithPath: folder + "/cut.png"))
        #expect(throws: MyoError.file(path: "cut.png", reason: "was not written: gnuplot stopped before the end of the picture (\(png.count - 100) bytes; is the disk full?)")) {
            try GnuplotPlotter.checkComplete(folder + "/cut.png", shownAs: "cut.png")
        }
    }

    /// A recording whose samples do not fit under the address-space limit is refused in a
    /// sentence (it ended the process with "failed to allocate"): a sparse 600 MB EDF whose 300
    /// million samples need 1.2 GB as Floats, under ulimit -v 1.5 GB. (Not under a sanitizer,
    /// whose shadow memory needs more address space than any such limit.)
    @Test(.enabled(if: TestEnvironment.sanitizerOptions.keys.allSatisfy { $0 == "SWIFT_BACKTRACE" }))
    func loadBeyondTheAddressSpaceLimitIsRefused() throws {
        let folder = TestEnvironment.temporaryFolder()
        func field(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        let header = field("0", 8) + field("X", 80) + field("Y", 80) + field("01.01.26", 8) + field("10.00.00", 8) + field("512", 8) + field("", 44)
            + field("300000", 8) + field("1", 8) + field("1", 4) + field("EMG", 16) + field("", 80) + field("uV", 8) + field("-1000", 8) + field("1000", 8)
            + field("-32768", 8) + field("32767", 8) + field("", 80) + field("1000", 8) + field("", 32)
        let path = folder + "/big.edf"
        try header.write(toFile: path, atomically: true, encoding: .ascii)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 512 + 2 * 1000 * 300_000)
        try handle.close()
        let out = try runProgram("/bin/bash", ["-c", "ulimit -v 1500000; exec '\(TestEnvironment.myoshell)' -c 'load big.edf store=memory; info big'"], in: folder)
        #expect(out.status == 1 && out.stderr.hasPrefix("-c:1: loading big.edf would need 1.2 GB, more than the "), "\(out.stderr.prefix(500))")
        #expect(out.stderr.contains("raise the memory limit (ulimit -v)"))

        // Left in the file (the default at this size), the same recording streams under the same
        // limit; a command that needs it whole in memory says so and suggests a crop.
        let streamed = try runProgram("/bin/bash", ["-c", "ulimit -v 1500000; exec '\(TestEnvironment.myoshell)' -c 'load big.edf; stats big.EMG; crop big from=10s to=20s as part; stats part.EMG; spectrum big.EMG'"], in: folder)
        #expect(streamed.stdout.contains("big: samples stay in big.edf (1.2 GB as Float32)"), "\(streamed.stdout.prefix(800))")
        #expect(streamed.stdout.contains("big.EMG     1000         0  300000  300000000"), "\(streamed.stdout.prefix(800))")
        #expect(streamed.stdout.contains("part.EMG     1000        10      20  10000"), "\(streamed.stdout.prefix(800))")
        #expect(streamed.status == 1 && streamed.stderr.hasPrefix("-c:1: reading EMG (kept in big.edf) into memory would need 1.2 GB, more than the "), "\(streamed.stderr.prefix(500))")
        #expect(streamed.stderr.contains("crop the span you need first"))
    }

    /// A plot window that misses every channel is refused in words (gnuplot said "plot NaN").
    @Test func plotWindowOutsideTheSignals() throws {
        let out = try runMyoShell(["-c", "load sample-data/reaction.csv as r; crop r from=3s to=6s as r; plot r.ES_L from=0s to=1s"])
        #expect(out.stderr == "-c:1: from=0 s..1 s is out of range: the channels span 3 s..6 s, so nothing would be drawn\n", "\(out.stderr)")
    }
}

/// No command overwrites a loaded recording or its companion files, however the path is spelled:
/// one check by device and inode (SourceGuard) before every write.
@Suite struct SourceGuardTests {
    static func folder() throws -> String {
        let folder = TestEnvironment.temporaryFolder()
        try FileManager.default.copyItem(atPath: TestEnvironment.repositoryRoot + "/sample-data/mvc.csv", toPath: folder + "/x.csv")
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.csv", withDestinationPath: folder + "/x.csv")
        return folder
    }

    @Test(arguments: ["x.csv", "./x.csv", "sub/../x.csv", "link.csv", "ABSOLUTE/x.csv"])
    func everyWriterRefusesTheSource(_ spelling: String) throws {
        let folder = try Self.folder()
        let path = spelling.replacingOccurrences(of: "ABSOLUTE", with: folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/x.csv"))
        for write in ["export m to \(path)", "export m.GM_L to \(path)", "simulate mvc seed=1 to \(path)", "stats m as s; export s to \(path)"] {
            let out = try runMyoShell(["-c", "load x.csv as m; " + write], in: folder)
            #expect(out.status == 1 && out.stderr.contains("was loaded as a recording and is never overwritten; choose another file name"), "\(write): \(out.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/x.csv")) == before)
    }

    /// A plot named after a WFDB record would write its side file NAME.dat over the record's signal file.
    @Test(.enabled(if: TestEnvironment.hasSharedData)) func plotSideFilesSpareAWFDBRecord() throws {
        let folder = TestEnvironment.temporaryFolder()
        for ext in ["hea", "dat"] {
            try FileManager.default.copyItem(atPath: TestEnvironment.sharedData + "/physionet-emgdb/emg_healthy." + ext, toPath: folder + "/emg_healthy." + ext)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/emg_healthy.dat"))
        let out = try runMyoShell(["-c", "load emg_healthy.hea as e; plot e.EMG to emg_healthy.png"], in: folder)
        #expect(out.status == 1 && out.stderr.contains("emg_healthy.dat: belongs to the recording loaded from emg_healthy.hea and is never overwritten"), "\(out.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/emg_healthy.dat")) == before)
        let history = try runMyoShell(["-c", "load emg_healthy.dat as e; history save emg_healthy.hea"], in: folder)
        #expect(history.status == 1 && history.stderr.contains("emg_healthy.hea"), "\(history.stderr)")
    }
}

/// Extreme values reached unchecked Int conversions and allocations and trapped (SIGILL) or
/// aborted: the parser now refuses magnitudes no recording can need, for every command.
@Suite struct ExtremeValueTests {
    @Test(arguments: ["plot r.ES_L to=1e300s", "fatigue r.ES_L window=1e19s", "spectrum r.ES_L window=1e19s", "envelope r window=1e19s",
                      "tilt r calibrate=0s..1e300s", "quality r rest=0s..1e300s", "resample r.ES_L fs=1e9Hz", "align r fs=1e9Hz",
                      "frr r epoch=1e-300s", "sorensen r window=1e19s", "jasa r.ES_L window=1e19s",
                      "envelope r method=rms window=1000s"])
    func extremeValuesAreRefused(_ command: String) throws {
        let out = try runMyoShell(["-c", "load sample-data/sorensen.csv as r; " + command])
        #expect(out.status == 1, "\(command): status \(out.status), \(out.stderr.suffix(300))")
        #expect(out.stderr.hasPrefix("-c:1: ") && out.stderr.contains("out of range"), "\(command): \(out.stderr.prefix(300))")
    }
}

/// A plugin that others could have changed is not loaded (dlopen would run its constructors before
/// any check): a world-writable folder or library, like ssh refuses such keys.
@Suite struct PluginTrustTests {
    @Test func writableByOthersIsRefused() throws {
        let folder = TestEnvironment.temporaryFolder() + "/plugins"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestEnvironment.productsFolder + "/libMyoStats.so", toPath: folder + "/libCopy.so")
        #expect(chmod(folder, 0o777) == 0)
        let open = try runMyoShell(["-c", "plugin load \(folder)/libCopy.so"])
        #expect(open.status == 1 && open.stderr.contains("not loaded: its folder \(folder) is writable by every user (mode 777); make it writable by you alone (chmod o-w)"), "\(open.stderr)")
        #expect(chmod(folder, 0o755) == 0 && chmod(folder + "/libCopy.so", 0o666) == 0)
        let file = try runMyoShell(["-c", "plugin load \(folder)/libCopy.so"])
        #expect(file.status == 1 && file.stderr.contains("not loaded: the library is writable by every user (mode 666)"), "\(file.stderr)")
    }
}
