import Foundation
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
@Suite(.enabled(if: TestEnvironment.hasExecutable && TmuxTerminal.isAvailable, "skipped: needs tmux"))
struct TerminalReviewTests {
    @Test func reviewByKeysPlotsEachWindowStopsAndResumes() throws {
        let terminal = try TmuxTerminal("review", columns: 120, rows: 50, folder: TestEnvironment.temporaryFolder(), command: "\(TestEnvironment.myoshell); sleep 30")
        defer { terminal.kill() }
        _ = try terminal.screen(until: "myo>")
        try terminal.type("load \(TestEnvironment.repositoryRoot)/sample-data/sorensen.csv as s")
        try terminal.type("atypical s window=2s as a")
        _ = try terminal.screen(until: "13 of 45 windows atypical")
        try terminal.type("review a s author=TM")
        var pane = try terminal.screen(until: "review>")
        #expect(pane.contains("s 0 s..2 s: ES_R RMS -4.1") && pane.contains("time (s)"), "the window's plot first\n\(pane)")
        try terminal.type("a")
        _ = try terminal.screen(until: "review>", count: 2)
        try terminal.type("r cable")
        _ = try terminal.screen(until: "review>", count: 3)
        try terminal.type("s")
        _ = try terminal.screen(until: "review>", count: 4)
        try terminal.type("q")
        pane = try terminal.screen(until: "windows left")
        #expect(pane.contains("s: 1 accepted, 1 relabelled, 1 skipped; 10 of 13 windows left (review a s resumes)"), "\(pane)")
        // Resumed: the first window offered is the fourth (the skipped one is remembered).
        try terminal.type("review a s author=TM")
        pane = try terminal.screen(until: "62 s..64 s (all): ES_R RMS -4.1", count: 2)
        #expect(pane.components(separatedBy: "62 s..64 s (all): ES_R RMS -4.1").count == 3, "\(pane)")
        #expect(pane.components(separatedBy: "60 s..62 s (all)").count == 2, "the skipped window is not offered again\n\(pane)")
        try terminal.type("q")
        try terminal.type("labels s")
        pane = try terminal.screen(until: "2  cable")
        #expect(pane.contains("       0       2             2  atypical  TM      ES_R RMS -4.1") && pane.contains("       2       4             2  cable     TM      ES_R RMS -4.1"), "\(pane)")
    }
}
