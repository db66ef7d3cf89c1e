import Foundation
import MyoTestSupport
import Testing

/// Golden transcripts: each Transcripts/NAME.myo runs through the real executable from the
/// repository root, and its stdout, stderr and exit status must equal Transcripts/NAME.out.
/// To re-record after a reviewed change, run the tests with MYOSHELL_BLESS=1: the files are
/// rewritten and the test still fails once, so a person reads the diff.
@Suite struct TranscriptTests {
    static let folder = TestEnvironment.repositoryRoot + "/Tests/MyoShellTests/Transcripts"
    static let scripts: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".myo") }.sorted()

    static func transcript(of result: ProcessResult) -> String {
        var text = result.stdout
        if !result.stderr.isEmpty { text += "--- stderr ---\n" + result.stderr }
        return text + "--- exit status \(result.status) ---\n"
    }

    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"), arguments: scripts)
    func transcriptMatches(_ script: String) throws {
        let result = try runMyoShell(["Tests/MyoShellTests/Transcripts/" + script])
        let actual = Self.transcript(of: result)
        let expectedPath = Self.folder + "/" + script.replacingOccurrences(of: ".myo", with: ".out")
        if ProcessInfo.processInfo.environment["MYOSHELL_BLESS"] == "1" {
            try actual.write(toFile: expectedPath, atomically: true, encoding: .utf8)
            Issue.record("re-recorded \(expectedPath); review the diff and run again")
            return
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(actual == expected)
    }

    /// A folder that lists no transcripts would run no case and pass: it fails instead.
    @Test func transcriptFolderListsScripts() {
        #expect(!Self.scripts.isEmpty, "Tests/MyoShellTests/Transcripts lists \(Self.scripts.count) scripts")
    }

    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func commandStringsStdinAndVersion() throws {
        let version = try runMyoShell(["--version"])
        #expect(version.stdout == "0.1.0\n")
        let piped = try runMyoShell([], input: "load sample-data/mvc.csv as m\nls\nbogus\nls\n")
        #expect(piped.status == 1)
        #expect(piped.stdout.hasPrefix("m: 6 channels x 10.0 s @ 2000 Hz"))
        #expect(piped.stderr == "<stdin>:3: unknown command 'bogus'; type 'help' for the list\n")
        let commands = try runMyoShell(["-c", "load sample-data/mvc.csv as m; stats m.GM_R from=3s to=4s"])
        #expect(commands.status == 0)
        #expect(commands.stdout.contains("m.GM_R      2000         3       4  2000"))
        let bad = try runMyoShell(["-c", "load nowhere.csv"])
        #expect(bad.stderr == "-c:1: nowhere.csv: cannot open (No such file or directory)\n")
        #expect(bad.status == 1)
        let missingScript = try runMyoShell(["missing.myo"])
        #expect(missingScript.stderr == "missing.myo: cannot be read as a script (no such file, or not readable)\n")
    }
}
