import Foundation
import MyoPlot
import MyoTestSupport
import Testing

/// `label`, `labels` and `export REC.labels`: labels kept with the recording, refused when they
/// overlap or leave the recording, written for model training, the same bytes when replayed.
@Suite struct LabelTests {
    static let commands = "load sample-data/bridge-set.csv as b; label b from=3s to=5s as lift author=AB note='first bridge'; label b from=8s to=10s as second"

    @Test func labelsAreKeptListedAndExported() throws {
        let folder = TestEnvironment.temporaryFolder()
        let result = try runMyoShell(["-c", Self.commands + "; labels b; info b; export b.labels to \(folder)/labels.csv; export b.labels to \(folder)/labels.json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("b: labelled 8 s..10 s as second (2 labels)"))
        #expect(result.stdout.contains("3.000 s  label: lift") && result.stdout.contains("8.000 s  label: second"), "\(result.stdout)")
        #expect(try String(contentsOfFile: folder + "/labels.csv", encoding: .utf8) == "from (s),to (s),duration (s),label,author,note\n3.0,5.0,2.0,lift,AB,first bridge\n8.0,10.0,2.0,second,,\n")
        // The same commands again (a script replayed): the same bytes.
        let again = try runMyoShell(["-c", Self.commands + "; export b.labels to \(folder)/again.csv"])
        #expect(again.status == 0)
        #expect(FileManager.default.contents(atPath: folder + "/labels.csv") == FileManager.default.contents(atPath: folder + "/again.csv"))
    }

    @Test func overlapsAndStretchesOutsideTheRecordingAreOneSentence() throws {
        let overlap = try runMyoShell(["-c", Self.commands + "; label b from=4s to=6s as other"])
        #expect(overlap.stderr.contains("other (4 s..6 s) overlaps the label lift (3 s..5 s) of b: label another stretch"), "\(overlap.stderr)")
        let outside = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; label b from=30s to=50s as late"])
        #expect(outside.stderr.contains("b spans 0 s..40 s"), "\(outside.stderr)")
        let unnamed = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; label b from=1s to=2s"])
        #expect(unnamed.stderr.contains("label needs its name after as"))
    }

    /// review driven through stdin: its answers are the lines after it; q ends it and the next line
    /// is a command again.
    @Test func reviewReadsItsAnswersFromStdin() throws {
        let input = "load sample-data/sorensen.csv as s\natypical s window=5s as a\nreview a s author=AB\nr fatigue\nq\nlabels s\n"
        let result = try runMyoShell([], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("s: 0 accepted, 1 relabelled, 0 skipped;"), "\(result.stdout)")
        #expect(result.stdout.contains("fatigue   AB") || result.stdout.contains("fatigue  AB"), "\(result.stdout)")
    }
}

/// `review` in the interactive shell on a real terminal (tmux, a server of the test's own): each
/// window is plotted, then answered by keys typed as a person would; stopped with q, resumed by
/// running review again; the labels it made are listed with the author.
@Suite(.enabled(if: TestEnvironment.hasExecutable && ExecutableSearch.find("tmux") != nil, "skipped: needs tmux"))
struct TerminalReviewTests {
    let server = "myoshell-review-\(getpid())"

    func tmux(_ arguments: [String]) throws -> String {
        try runProgram("/usr/bin/env", ["tmux", "-L", server] + arguments, environment: ["TERM": "xterm-256color"], timeLimit: 10).stdout
    }

    /// Waits until the pane shows `text` `count` times (up to 10 s) and returns the pane.
    func screen(until text: String, count: Int = 1, session: String) throws -> String {
        var pane = ""
        for _ in 0..<100 {
            pane = try tmux(["capture-pane", "-p", "-S", "-3000", "-t", session])
            if pane.components(separatedBy: text).count - 1 >= count { break }
            usleep(100_000)
        }
        return pane
    }

    func type(_ line: String, session: String) throws {
        _ = try tmux(["send-keys", "-t", session, "-l", line])
        _ = try tmux(["send-keys", "-t", session, "Enter"])
    }

    @Test func reviewByKeysPlotsEachWindowStopsAndResumes() throws {
        let folder = TestEnvironment.temporaryFolder()
        let session = "review-\(getpid())"
        let start = Process()
        start.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        start.arguments = ["tmux", "-L", server, "new-session", "-d", "-s", session, "-x", "120", "-y", "50", "cd \(folder) && \(TestEnvironment.myoshell); sleep 30"]
        start.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TERM": "xterm-256color", "LC_ALL": "C", "HOME": folder]
        start.standardOutput = FileHandle.nullDevice
        start.standardError = FileHandle.nullDevice
        start.standardInput = FileHandle.nullDevice
        try start.run()
        defer { _ = try? tmux(["kill-server"]) }
        _ = try screen(until: "myo>", session: session)
        try type("load \(TestEnvironment.repositoryRoot)/sample-data/sorensen.csv as s", session: session)
        try type("atypical s window=2s as a", session: session)
        _ = try screen(until: "13 of 45 windows atypical", session: session)
        try type("review a s author=TM", session: session)
        var pane = try screen(until: "review>", session: session)
        #expect(pane.contains("s 0 s..2 s: ES_R RMS -4.1") && pane.contains("time (s)"), "the window's plot first\n\(pane)")
        try type("a", session: session)
        _ = try screen(until: "review>", count: 2, session: session)
        try type("r cable", session: session)
        _ = try screen(until: "review>", count: 3, session: session)
        try type("s", session: session)
        _ = try screen(until: "review>", count: 4, session: session)
        try type("q", session: session)
        pane = try screen(until: "windows left", session: session)
        #expect(pane.contains("s: 1 accepted, 1 relabelled, 1 skipped; 10 of 13 windows left (review a s resumes)"), "\(pane)")
        // Resumed: the first window offered is the fourth (the skipped one is remembered).
        try type("review a s author=TM", session: session)
        pane = try screen(until: "62 s..64 s (all): ES_R RMS -4.1", count: 2, session: session)
        #expect(pane.components(separatedBy: "62 s..64 s (all): ES_R RMS -4.1").count == 3, "\(pane)")
        #expect(pane.components(separatedBy: "60 s..62 s (all)").count == 2, "the skipped window is not offered again\n\(pane)")
        try type("q", session: session)
        try type("labels s", session: session)
        pane = try screen(until: "2  cable", session: session)
        #expect(pane.contains("       0       2             2  atypical  TM      ES_R RMS -4.1") && pane.contains("       2       4             2  cable     TM      ES_R RMS -4.1"), "\(pane)")
    }
}
