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
