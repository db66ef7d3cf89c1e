import Foundation
import MyoCore
import MyoFormats
import MyoPlot
import MyoShell
import MyoPluginAPI
import MyoTestSupport
import Testing

@Suite struct SessionTests {
    @Test func statsMatchClosedForm() throws {
        let (session, _, _) = closedFormSession()
        try session.execute("stats r.{SIN_L,DC_R} as s")
        let table = try #require(session.workspace.tables["s"])
        func value(_ row: Int, _ column: String) -> Double {
            let index = table.columns.firstIndex { $0.name == column }!
            if case .number(let v) = table.rows[row][index] { return v }
            if case .integer(let v) = table.rows[row][index] { return Double(v) }
            return .nan
        }
        // Whole periods of a sine: mean 0, RMS = A / sqrt 2, p2p = 2A (sampled peaks reach A exactly).
        #expect(abs(value(0, "mean")) < 1e-6)
        #expect(abs(value(0, "rms") - 2 / 2.0.squareRoot()) < 1e-6)
        #expect(abs(value(0, "p2p") - 4) < 1e-6)
        #expect(abs(value(1, "rms") - 0.25) < 1e-7)
        #expect(value(1, "sd") < 1e-7)
        #expect(table.columns.first { $0.name == "rms" }?.unit == "mV")
        #expect(table.provenance.steps.last?.description == "stats (myoshell.stats 1.0.0): signals=r.{SIN_L,DC_R}")
    }

    @Test func statsOverATimeRange() throws {
        let (session, _, _) = closedFormSession()
        try session.execute("stats r.SIN_L from=0.5s to=1s as half")
        let table = try #require(session.workspace.tables["half"])
        // A quarter period from 0.5 s: 2 sin(2 pi 2 t) over [0.5, 1) is a full period: mean 0.
        #expect(table.rows[0][4] == .integer(500))
    }

    static let errors: [(String, String)] = [
        ("stat r", "unknown command 'stat'; did you mean 'stats'?"),
        ("frobnicate", "unknown command 'frobnicate'; type 'help' for the list"),
        ("stats q.SIN_L", "no recording named 'q'; did you mean 'r'?"),
        ("stats nothing.SIN_L", "no recording named 'nothing'"),
        ("stats r.SIN_X", "no channel of r named 'SIN_X'; did you mean 'SIN_L'?"),
        ("stats r.XYZ*", "no channel of r matches 'XYZ*' (channels: SIN_L, DC_R, ACC_X)"),
        ("stats r.SIN_L form=1s", "stats has no argument 'form'; did you mean 'from'?"),
        ("stats r.SIN_L from=1", "from=1 needs a unit of time (s, ms, us, min, h), for example from=100ms"),
        ("stats r.SIN_L from=2s to=1s", "to=1 s is not valid: expected a time after from=2 s"),
        ("stats r.SIN_L from=9s", "from=9 s is out of range: r.SIN_L ends at 4 s"),
        ("stats", "stats needs SIGNALS; usage: stats SIGNALS... [from=<time>] [to=<time>] [as NAME]"),
        ("info", "info needs NAME; usage: info NAME"),
        ("drop nothing", "no object named 'nothing'"),
        ("rename r 1abc", "NEW=1abc is not valid: expected a name of letters, digits, '_' or '-', starting with a letter"),
        ("help nope", "unknown command 'nope'; type 'help' for the list"),
        ("set output xml", "output=xml is not one of text, json"),
        ("set colour red", "no setting named 'colour'"),
        ("export r to x.txt", "to=x.txt is not valid: expected a file ending in .csv, .json, .edf, or a folder"),
        ("export r", "export needs 'to PATH'; usage: export NAME [bids=no|yes] [subject=<text>] [session=<text>] [task=<text>] to PATH"),
        ("load", "load needs PATH; usage: load PATH [format=csv|c3d|edf|bdf|wfdb|xdf|opensignals|biosppy|biometrics|delsys|noraxon|shimmer|json|text] [fs=<frequency>] [markers=no|yes] [montage=<path.yaml|yml|csv|txt>] [unit=<text>] [store=auto|memory|file] [as NAME]"),
        ("load x.csv fs=0Hz", "fs=0Hz is out of range: the smallest allowed is 1e-09 Hz"),
        ("plot r.SIN_L from=3s to=1s", "to=1 s is not valid: expected a time after from=3 s"),
        ("simulate nothing seed=1 to x.csv", "scenario=nothing is not one of sorensen, flexion-relaxation, bridge-set, team, mvc, reaction, long"),
        ("ls extra", "ls does not take 'extra'; usage: ls"),
    ]

    @Test(arguments: errors)
    func everyErrorIsOneClearSentence(_ line: String, _ expected: String) {
        let (session, _, _) = closedFormSession()
        #expect(errorText(session, line) == expected)
        #expect(session.workspace.recordings["r"] != nil, "the workspace survives")
    }

    @Test func exportRoundTripsAndRefusesToOverwriteSources() throws {
        let (session, output, _) = closedFormSession()
        let folder = TestEnvironment.temporaryFolder()
        try session.execute("export r to \(folder)/r.csv")
        try session.execute("load \(folder)/r.csv as back")
        let back = try session.workspace.recording(named: "back")
        let original = try session.workspace.recording(named: "r")
        #expect(back.channels.map(\.name) == original.channels.map(\.name))
        #expect(back.channels.map(\.unit) == original.channels.map(\.unit))
        #expect(back.channels.map(\.sampleRateHz) == original.channels.map(\.sampleRateHz))
        for (a, b) in zip(back.channels, original.channels) { #expect(a.samples == b.samples) }
        #expect(errorText(session, "export r to \(folder)/r.csv") == "\(folder)/r.csv: was loaded as a recording and is never overwritten; choose another file name")
        try session.execute("export r.SIN_L to \(folder)/sin.json")
        let json = try String(contentsOfFile: folder + "/sin.json", encoding: .utf8)
        let expectedStart = "{\"name\":\"r\",\"channels\":[{\"name\":\"SIN_L\",\"unit\":\"mV\",\"sample_rate_hz\":1000,\"start_s\":0,\"samples\":[0.0,0.02513208"
        #expect(String(json.prefix(expectedStart.count)) == expectedStart)
        try session.execute("stats r.DC_R as s; export s to \(folder)/s.csv")
        let csv = try String(contentsOfFile: folder + "/s.csv", encoding: .utf8)
        #expect(csv.hasPrefix("channel,fs (Hz),from (s),to (s),n,mean (mV),rms (mV),sd (mV),min (mV),max (mV),p2p (mV)\nr.DC_R,1000.0,0.0,4.0,4000,0.25,0.25,"))
        #expect(output.text.contains("wrote table s (1 rows) to"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    /// Every export format loads again: CSV and JSON exactly, EDF+ within its 16-bit step
    /// ((max - min) / 65535 per channel); JSON and EDF+ keep the events.
    @Test(arguments: ["csv", "json", "edf"]) func everyExportLoadsAgain(_ format: String) throws {
        let (session, _, _) = closedFormSession()
        var original = try session.workspace.recording(named: "r")
        original.events = [Event(timeSeconds: 1.5, label: "start")]
        session.workspace.store(original)
        let folder = TestEnvironment.temporaryFolder()
        try session.execute("export r to \(folder)/r.\(format)")
        try session.execute("load \(folder)/r.\(format) as back")
        let back = try session.workspace.recording(named: "back")
        #expect(back.channels.map(\.name) == original.channels.map(\.name))
        #expect(back.channels.map(\.unit) == original.channels.map(\.unit))
        #expect(back.channels.map(\.sampleRateHz) == original.channels.map(\.sampleRateHz))
        for (a, b) in zip(back.channels, original.channels) {
            #expect(a.samples.count == b.samples.count)
            let step = format == "edf" ? Double(b.samples.max()! - b.samples.min()!) / 65535 + 1e-6 : 0
            #expect(zip(a.samples, b.samples).allSatisfy { abs(Double($0) - Double($1)) <= step }, "\(a.name)")
        }
        if format != "csv" { #expect(back.events.map(\.label) == ["start"] && back.events.map(\.timeSeconds) == [1.5]) }
    }

    @Test(arguments: ["csv", "json"]) func tablesLoadAgain(_ format: String) throws {
        let (session, _, _) = closedFormSession()
        let folder = TestEnvironment.temporaryFolder()
        try session.execute("stats r as s; export s to \(folder)/s.\(format); load \(folder)/s.\(format) as t")
        let (s, t) = (session.workspace.tables["s"]!, session.workspace.tables["t"]!)
        #expect(t.columns.map(\.name) == s.columns.map(\.name) && t.columns.map(\.unit) == s.columns.map(\.unit))
        #expect(t.rows.count == s.rows.count)
        #expect(t.rows.map { $0[0] } == s.rows.map { $0[0] })
    }

    /// A missing folder is created only inside the working folder; elsewhere the write is refused.
    @Test func exportCreatesFoldersOnlyInsideTheWorkingFolder() throws {
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "load \(TestEnvironment.repositoryRoot)/sample-data/mvc.csv as m; export m.GM_L to sub/x.csv; export m.GM_L to /nonexistent-myoshell/x.csv"], in: folder)
        #expect(FileManager.default.fileExists(atPath: folder + "/sub/x.csv"))
        #expect(out.status == 1 && out.stderr.contains("/nonexistent-myoshell/x.csv: its folder /nonexistent-myoshell does not exist; MyoShell creates missing folders only inside the working folder, so create it first"), "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent-myoshell"))
    }

    @Test func workspaceCommands() throws {
        let (session, output, _) = closedFormSession()
        try session.execute("stats r.DC_R; stats r.DC_R; rename stats2 second; drop stats1; ls")
        #expect(session.workspace.names == ["r", "second"])
        #expect(output.text.contains("second  table      1 rows x 11 columns: stats of r.DC_R"))
    }

    /// `set timing on` prints each command's wall time on stderr, never among results, and never
    /// into a --check transcript (times differ from run to run).
    @Test func timingGoesToStderrOnlyWhileOn() throws {
        let (session, output, _) = closedFormSession()
        try session.execute("stats r.DC_R; set timing on; stats r.DC_R; set timing off; stats r.DC_R")
        let times = output.errors.split(separator: "\n").filter { $0.hasPrefix("time:") }
        #expect(times.count == 2, "\(output.errors)")
        let format = try Regex("time: (set|stats) [0-9]+[.][0-9]{3} s")
        #expect(times.allSatisfy { $0.wholeMatch(of: format) != nil }, "\(times)")
        #expect(!output.text.contains("time:"))

        let transcript = TranscriptOutput()
        let checked = Session(output: transcript, plotter: RecordingPlotter())
        try checked.execute("set timing on; set output text")
        #expect(transcript.text == "timing = on\noutput = text\n")
    }

    @Test func jsonOutputIsOneObjectPerLineWithStableKeys() throws {
        let (session, output, _) = closedFormSession()
        try session.execute("set output json; stats r.DC_R as s")
        let lines = output.text.split(separator: "\n")
        #expect(lines[0] == "{\"type\":\"message\",\"text\":\"output = json\"}")
        #expect(lines[1].hasPrefix("{\"type\":\"table\",\"name\":\"s\",\"table\":{\"title\":\"stats of r.DC_R\",\"columns\":[{\"name\":\"channel\",\"unit\":\"\"},{\"name\":\"fs\",\"unit\":\"Hz\"}"))
    }

    @Test func plotRequestsCarrySeriesWindowAndTarget() throws {
        let (session, _, plotter) = closedFormSession()
        try session.execute("plot r.SIN_L r.ACC_X from=1s to=2s")
        let (request, target) = try #require(plotter.requests.first)
        #expect(request.series.map(\.label) == ["r.SIN_L", "r.ACC_X"])
        #expect(request.fromSeconds == 1 && request.toSeconds == 2)
        #expect(target == .terminal(columns: 80, rows: 22))
        try session.execute("plot r.SIN_L to fig.svg")
        #expect(plotter.requests.last?.1 == .file(path: "fig.svg"))
    }

    @Test func missingGnuplotSaysHowToInstall() {
        let session = Session(output: BufferOutput(), plotter: nil)
        session.workspace.store(Recording(name: "r", channels: [Channel(name: "A", unit: "mV", sampleRateHz: 10, samples: [1, 2])], provenance: Provenance()))
        #expect(errorText(session, "plot r.A") == GnuplotPlotter.installHint)
        #expect(errorText(session, "info r") == "no error")
    }

    @Test func helpIsGeneratedFromTheSpec() throws {
        let (session, output, _) = closedFormSession()
        try session.execute("help plot")
        #expect(output.text.contains("usage: plot SIGNALS... [from=<time>] [to=<time>] [to PATH]"))
        #expect(output.text.contains("type: <time>; unit: s, ms, us, min"))
        try session.execute("commands --json")
        let json = output.text.split(separator: "\n").last { $0.hasPrefix("{\"commands\"") }
        let object = try JSONSerialization.jsonObject(with: Data(try #require(json).utf8)) as? [String: Any]
        let names = (object?["commands"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == session.registry.names)
    }

    @Test func completionComesFromSpecs() {
        let (session, _, _) = closedFormSession()
        let completer = Completer(session: session)
        #expect(completer.candidates(lineBeforeCursor: "sta") == ["stats"])
        #expect(completer.candidates(lineBeforeCursor: "stats r.S") == ["r.SIN_L"])
        #expect(completer.candidates(lineBeforeCursor: "stats r.SIN_L f") == ["from="])
        #expect(completer.candidates(lineBeforeCursor: "set output ") == ["text", "json"])
        #expect(completer.candidates(lineBeforeCursor: "set plot terminal d") == ["dumb"])
        #expect(completer.candidates(lineBeforeCursor: "simulate b") == ["bridge-set"])
        #expect(completer.candidates(lineBeforeCursor: "load Package.s") == [])
        #expect(completer.candidates(lineBeforeCursor: "help plu") == ["plugin", "plugins"])
        #expect(completer.candidates(lineBeforeCursor: "info ") == ["r"])
    }

    /// A two-word command (`onsets adjust`) is dispatched, completed and explained as one.
    @Test func subcommandsDispatchCompleteAndHelp() throws {
        let (session, output, _) = closedFormSession()
        enum Word: String, CaseIterable { case alpha, beta }
        let word = Argument<Word>.requiredChoice("what", positional: true, help: "a word")
        let depth = Argument.requiredInteger("depth", positional: true, help: "how deep")
        try session.registry.register(PluginCommand(spec: CommandSpec(name: "probe", abstract: "probe", arguments: [word])) { [.message("probe " + (try $0[word]).rawValue)] }, origin: "test")
        try session.registry.register(PluginCommand(spec: CommandSpec(name: "probe deeper", abstract: "deeper probe", arguments: [depth])) {
            [.message("deeper \(try $0[depth])")]
        }, origin: "test")
        try session.execute("probe alpha; probe deeper 3")
        #expect(output.text.hasSuffix("probe alpha\ndeeper 3\n"))
        let completer = Completer(session: session)
        #expect(completer.candidates(lineBeforeCursor: "prob") == ["probe"])
        #expect(completer.candidates(lineBeforeCursor: "probe ") == ["deeper", "alpha", "beta"])
        #expect(completer.candidates(lineBeforeCursor: "probe d") == ["deeper"])
        try session.execute("help probe deeper")
        #expect(output.text.contains("usage: probe deeper DEPTH"))
        #expect(CommandSpec(name: "a b c", abstract: "x").problems() == ["command name 'a b c' is not one word, or a word and its subcommand"])
    }

    @Test func loadSampleDataAsTheIssueShows() throws {
        let (session, output, _) = makeTestSession()
        try session.execute("load \(TestEnvironment.repositoryRoot)/sample-data/bridge-set.csv as bridge")
        #expect(output.text == "bridge: 6 channels x 40.0 s @ 2000 Hz (GM_L GM_R ES_L ES_R BF_L BF_R, mV), 3 IMU channels @ 100 Hz\n")
    }
}

@Suite struct ChannelSelectionTests {
    static let cases: [(String, [String])] = [
        ("r", ["SIN_L", "DC_R", "ACC_X"]),
        ("r.SIN_L", ["SIN_L"]),
        ("r.{DC_R,SIN_L}", ["DC_R", "SIN_L"]),
        ("r.*_?", ["SIN_L", "DC_R", "ACC_X"]),
        ("r.*_L", ["SIN_L"]),
        ("r.{S*,*L}", ["SIN_L"]),
        ("r.??_R", ["DC_R"]),
    ]

    @Test(arguments: cases)
    func resolves(_ text: String, _ expected: [String]) throws {
        let (session, _, _) = closedFormSession()
        #expect(try ChannelSelection.resolve(text, in: session.workspace).map(\.channel.name) == expected)
    }

    @Test func unclosedBraceIsAnError() {
        let (session, _, _) = closedFormSession()
        #expect(throws: MyoError.invalidValue(argument: "selection", value: "r.{SIN_L", expected: "a closing } as in r.{ES_L,ES_R}")) {
            try ChannelSelection.resolve("r.{SIN_L", in: session.workspace)
        }
    }
}

@Suite struct InterruptTests {
    /// A command interrupted mid-way fails with one sentence and leaves the workspace as it was.
    @Test func interruptedCommandLeavesTheWorkspaceIntact() throws {
        let (session, _, _) = closedFormSession()
        try session.registry.register(PluginCommand(spec: CommandSpec(name: "slow", abstract: "test", acceptsOutputName: true)) { _ in
            // What a long loop throws once the SIGINT handler has set the flag. The flag itself is
            // process-wide, so setting it here would interrupt tests running in parallel.
            if Bool(true) { throw MyoError.cancelled }
            return [.recording(Recording(name: "r", channels: [], provenance: Provenance()))]
        }, origin: "test")
        #expect(errorText(session, "slow") == "interrupted; the workspace is unchanged")
        #expect(session.workspace.recordings["r"]?.channels.count == 3)
        #expect(errorText(session, "stats r.DC_R") == "no error", "the next command runs normally")
    }
}

/// A session is freed when its last user lets go: no command closure holds it (the plot command
/// did, so every session leaked with its workspace; the fuzzer, which makes one per input, ran
/// out of memory).
@Suite struct SessionLifetimeTests {
    @Test func sessionIsFreed() throws {
        weak var released: Session?
        do {
            let (session, _, _) = makeTestSession()
            try session.execute("load sample-data/mvc.csv as m; stats m")
            released = session
            #expect(released != nil)
        }
        #expect(released == nil, "a command closure still holds the session")
    }
}
