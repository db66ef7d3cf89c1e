import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MyoShell
import MyoTestSupport
import Testing

/// Scripts for teaching: parameters, include, folder-relative paths, run, history save,
/// --check/--bless with a unified diff, and --step.
@Suite struct ScriptTests {
    /// A lesson folder: lesson.myo loads data/mvc.csv (relative to itself) and includes
    /// parts/stats.myo, both using ${subject}.
    static func lesson() throws -> String {
        let folder = TestEnvironment.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/lesson/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/lesson/parts", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestEnvironment.repositoryRoot + "/sample-data/mvc.csv", toPath: folder + "/lesson/data/mvc.csv")
        try "# a lesson\nload data/mvc.csv as s${subject}\ninclude parts/stats.myo\nls\n".write(toFile: folder + "/lesson/lesson.myo", atomically: true, encoding: .utf8)
        try "stats s${subject}.GM_L from=2.5s to=5s as gm${subject}\n".write(toFile: folder + "/lesson/parts/stats.myo", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func parametersIncludeAndPathsRelativeToTheScript() throws {
        let folder = try Self.lesson()
        let out = try runMyoShell(["lesson/lesson.myo", "subject=03"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("s03: 6 channels x 10.0 s @ 2000 Hz"))
        #expect(out.stdout.contains("gm03: stats of s03.GM_L"))
        let missing = try runMyoShell(["lesson/lesson.myo"], in: folder)
        #expect(missing.status == 1)
        #expect(missing.stderr == "lesson/lesson.myo:2: ${subject} is not defined; give it as subject=VALUE after the script's name\n")
        let inside = try runMyoShell(["-c", "run lesson/lesson.myo subject=7; ls"], in: folder)
        #expect(inside.status == 0 && inside.stdout.contains("\ngm7 "), "\(inside.stdout) \(inside.stderr)")
        let cycle = TestEnvironment.temporaryFolder()
        try "include self.myo\n".write(toFile: cycle + "/self.myo", atomically: true, encoding: .utf8)
        let looped = try runMyoShell(["self.myo"], in: cycle)
        #expect(looped.stderr == "self.myo:1: include self.myo would include a script inside itself\n")
    }

    @Test func historySaveWritesARunnableScript() throws {
        let folder = try Self.lesson()
        let (session, output, _) = makeTestSession()
        let data = folder + "/lesson/data/mvc.csv"
        try session.execute("load \(data) as m")
        #expect(throws: (any Error).self) { try session.execute("bogus") }
        try session.execute("stats m.GM_L as g")
        try session.execute("history save \(folder)/a.myo")
        try session.execute("history save \(folder)/b.myo failed=comment")
        #expect(output.text.contains("wrote \(folder)/a.myo (2 commands)"))
        #expect(try String(contentsOfFile: folder + "/a.myo", encoding: .utf8) == "# MyoShell 0.1.0 session, written by history save\nload \(data) as m\nstats m.GM_L as g\n")
        // history and record commands are not part of the script.
        #expect(try String(contentsOfFile: folder + "/b.myo", encoding: .utf8).hasSuffix("# failed: bogus\nstats m.GM_L as g\n"))
        let replay = try runMyoShell([folder + "/a.myo"], in: folder)
        #expect(replay.status == 0 && replay.stdout.contains("g: stats of m.GM_L"))
    }

    /// Saved and recorded scripts replay from wherever they were saved: relative paths typed in
    /// the working folder are rewritten relative to the script's folder.
    @Test func savedScriptsReplayFromTheirFolder() throws {
        let folder = try Self.lesson()
        let typed = ["load lesson/data/mvc.csv as m", "stats m.GM_L as g", "plot m.GM_L to=1s to figs/gm.svg", "export g to out/g.csv"]
        let out = try runMyoShell([], input: (["record start rec/r.myo"] + typed + ["record stop", "history save out/h.myo"]).joined(separator: "\n") + "\n", in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let saved = try String(contentsOfFile: folder + "/out/h.myo", encoding: .utf8)
        #expect(saved.contains("load ../lesson/data/mvc.csv as m\n") && saved.contains("to ../figs/gm.svg") && saved.contains("export g to g.csv"), "\(saved)")
        #expect(!saved.contains("\nrecord "), "\(saved)")
        let recorded = try String(contentsOfFile: folder + "/rec/r.myo", encoding: .utf8)
        #expect(recorded.contains("load ../lesson/data/mvc.csv as m\n") && !recorded.contains("\nrecord "), "\(recorded)")
        try FileManager.default.removeItem(atPath: folder + "/out/g.csv")
        for script in ["out/h.myo", "rec/r.myo"] {
            let replay = try runMyoShell([script], in: folder)
            #expect(replay.status == 0 && replay.stdout.contains("g: stats of m.GM_L"), "\(script): \(replay.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/out/g.csv"))
        #expect(ScriptPaths.relocate("a/b.csv", from: "/w", to: "/w/x/y") == "../../a/b.csv")
        #expect(ScriptPaths.relocate("../c.csv", from: "/w/s", to: "/w") == "c.csv" && ScriptPaths.relocate("/abs.csv", from: "/w", to: "/x") == "/abs.csv")
    }

    /// Interactive history through a terminal (script(1)): after a restart `history` lists the
    /// lines Up recalls, and a recalled !N is stored as the line it ran, not as "!N".
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"))) func historySurvivesARestart() throws {
        let folder = TestEnvironment.temporaryFolder()
        func session(_ input: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qfc", TestEnvironment.myoshell, "/dev/null"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C", "TERM": "dumb", "HOME": folder, "XDG_STATE_HOME": folder + "/state"].merging(TestEnvironment.sanitizerOptions) { $1 }
            let inPipe = Pipe(), outPipe = Pipe()
            process.standardInput = inPipe
            process.standardOutput = outPipe
            process.standardError = outPipe
            try process.run()
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try inPipe.fileHandleForWriting.close()
            let data = outPipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        _ = try session("load \(TestEnvironment.repositoryRoot)/sample-data/mvc.csv as m\nls\n!1\nquit\n")
        let file = try String(contentsOfFile: folder + "/state/myoshell/history", encoding: .utf8)
        #expect(!file.contains("!1") && file.components(separatedBy: "sample-data/mvc.csv as m").count == 3, "\(file)")
        let second = try session("history\nquit\n")
        #expect(!second.contains("no history yet") && second.contains("   2   ls"), "\(second)")
    }

    @Test func checkBlessAndDiff() throws {
        let folder = try Self.lesson()
        let none = try runMyoShell(["--check", "lesson/lesson.myo", "subject=1"], in: folder)
        #expect(none.status == 1 && none.stderr.contains("lesson/lesson.myo.out: no expected transcript; run myoshell --check --bless lesson/lesson.myo to write one"))
        let blessed = try runMyoShell(["--check", "--bless", "lesson/lesson.myo", "subject=1"], in: folder)
        #expect(blessed.status == 0 && blessed.stdout.hasPrefix("blessed lesson/lesson.myo.out: 9 lines written from this run"), "\(blessed.stdout)")
        let again = try runMyoShell(["--check", "lesson/lesson.myo", "subject=1"], in: folder)
        #expect(again.status == 0 && again.stdout == "lesson/lesson.myo: output matches lesson/lesson.myo.out\n")
        let other = try runMyoShell(["--check", "lesson/lesson.myo", "subject=2"], in: folder)
        #expect(other.status == 1)
        #expect(other.stdout.hasPrefix("--- lesson/lesson.myo.out (expected)\n+++ lesson/lesson.myo (this run)\n@@ -1,9 +1,9 @@\n-s1: 6 channels"), "\(other.stdout)")
        #expect(other.stdout.contains("\n+s2: 6 channels") && other.stderr == "lesson/lesson.myo: output differs from lesson/lesson.myo.out\n")
    }

    @Test func unifiedDiffHunks() {
        let expected = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let actual = expected.replacingOccurrences(of: "line 5\n", with: "line five\n").replacingOccurrences(of: "line 18\n", with: "")
        #expect(UnifiedDiff.diff(expected: expected, actual: actual, expectedName: "a", actualName: "b") == """
        --- a
        +++ b
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +line five
         line 6
         line 7
         line 8
        @@ -15,6 +15,5 @@
         line 15
         line 16
         line 17
        -line 18
         line 19
         line 20

        """)
        #expect(UnifiedDiff.diff(expected: expected, actual: expected, expectedName: "a", actualName: "b") == "")
    }

    @Test func stepShowsEachCommandAndItsHelp() throws {
        let folder = try Self.lesson()
        let out = try runMyoShell(["--step", "lesson/lesson.myo", "subject=5"], input: "\nh\n\nq\n", in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        // The teacher's narration (the comment line) shows before the command it explains.
        #expect(out.stdout.hasPrefix("# a lesson\n[1/3] load data/mvc.csv as s5\n  Enter: run   h: help first   q: stop > s5: 6 channels"), "\(out.stdout.prefix(200))")
        #expect(out.stdout.contains("[2/3] stats s5.GM_L from=2.5s to=5s as gm5") && out.stdout.contains("usage: stats SIGNALS..."))
        #expect(out.stdout.contains("[3/3] ls") && !out.stdout.contains("name    kind"))
    }

    /// Scripts saved with CR LF (Windows) or lone CR line endings run line by line.
    @Test(arguments: ["\r\n", "\r"]) func scriptLineEndings(_ ending: String) throws {
        let folder = TestEnvironment.temporaryFolder()
        try ["# comment", "load \(TestEnvironment.repositoryRoot)/sample-data/mvc.csv as m", "ls", ""].joined(separator: ending).write(toFile: folder + "/w.myo", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["w.myo"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("m: 6 channels") && out.stdout.contains("workspace\n"), "\(out.stdout)")
    }

    /// record start/stop: each command, its output as comments, failures commented; the file runs.
    @Test func recordKeepsCommandsWithTheirOutput() throws {
        let folder = try Self.lesson()
        let (session, _, _) = makeTestSession()
        let data = folder + "/lesson/data/mvc.csv"
        try session.execute("record start \(folder)/rec.myo")
        try session.execute("load \(data) as m")
        #expect(throws: (any Error).self) { try session.execute("stats m.NOPE") }
        try session.execute("stats m.GM_L from=2.5s to=5s as g")
        try session.execute("record stop")
        try session.execute("ls")
        let text = try String(contentsOfFile: folder + "/rec.myo", encoding: .utf8)
        #expect(text.hasPrefix("# MyoShell 0.1.0 recording (record start); outputs are kept as comments\nload \(data) as m\n# m: 6 channels x 10.0 s @ 2000 Hz"), "\(text)")
        #expect(text.contains("\n# failed: stats m.NOPE\n# error: "))
        #expect(text.contains("\nstats m.GM_L from=2.5s to=5s as g\n# g: stats of m.GM_L\n"))
        #expect(!text.contains("record stop") && !text.contains("\nls\n"))
        let replay = try runMyoShell([folder + "/rec.myo"], in: folder)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(throws: (any Error).self) { try session.execute("record stop") }
    }

    /// report: Markdown with the table and a link to the figure; HTML that parses as XML, with the
    /// figure embedded as a PNG data URI and the methods paragraph.
    @Test(.enabled(if: TestEnvironment.hasGnuplot, "gnuplot is not installed"))
    func reportsInMarkdownAndHTML() throws {
        let folder = TestEnvironment.temporaryFolder()
        let root = TestEnvironment.repositoryRoot
        let out = try runMyoShell(["-c", "load \(root)/sample-data/bridge-set.csv as b; envelope b; asymmetry b_env as lr to lr.png; report tables=lr figures=lr.png methods=lr to r.html; report tables=lr figures=lr.png to r.md"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("wrote r.html (1 table, 1 figure, 1 methods paragraph)"))
        let markdown = try String(contentsOfFile: folder + "/r.md", encoding: .utf8)
        #expect(markdown.hasPrefix("# MyoShell report\n\nMade with MyoShell 0.1.0.\n\n## lr: asymmetry (mean, segments=all)\n\n| pair | left | right |"))
        #expect(markdown.contains("\n![lr.png](lr.png)\n") && FileManager.default.fileExists(atPath: folder + "/lr.png"))
        let data = try #require(FileManager.default.contents(atPath: folder + "/r.html"))
        let document = try XMLDocument(data: data, options: [])
        let images = try document.nodes(forXPath: "//*[local-name()='img']/@src").compactMap(\.stringValue)
        #expect(images.count == 1)
        let base64 = try #require(images.first?.split(separator: ",", maxSplits: 1).last.map(String.init))
        let png = try #require(Data(base64Encoded: base64))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(try document.nodes(forXPath: "//*[local-name()='td']").count == 3 * 15)
        #expect(String(decoding: data, as: UTF8.self).contains("<h2>Methods: lr</h2>"))
    }
}
