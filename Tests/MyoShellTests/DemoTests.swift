import Foundation
import MyoTestSupport
import Testing

/// The five teaching demos in scripts/demos replay byte for byte (myoshell --check), and --check
/// notices a changed number.
@Suite struct DemoTests {
    static let folder = TestEnvironment.repositoryRoot + "/scripts/demos"
    static let demos: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".myo") }.sorted()

    @Test func thereAreFiveDemos() { #expect(Self.demos.count >= 5) }

    @Test(arguments: demos)
    func demoReplaysItsTranscript(_ demo: String) throws {
        let out = try runMyoShell(["--check", "scripts/demos/" + demo])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout == "scripts/demos/\(demo): output matches scripts/demos/\(demo).out\n")
    }

    /// A copy of demo 3 beside a link to sample-data, with one number of its transcript changed:
    /// --check prints the diff of that line and fails; --bless restores it.
    @Test func checkDetectsAChangedNumber() throws {
        let root = TestEnvironment.temporaryFolder()
        try FileManager.default.createDirectory(atPath: root + "/scripts/demos", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/sample-data", withDestinationPath: TestEnvironment.repositoryRoot + "/sample-data")
        let demo = "3-team-balance.myo"
        try FileManager.default.copyItem(atPath: Self.folder + "/" + demo, toPath: root + "/scripts/demos/" + demo)
        let expected = try String(contentsOfFile: Self.folder + "/" + demo + ".out", encoding: .utf8)
        let line = try #require(expected.split(separator: "\n").first { $0.hasPrefix("athlete06") })
        let changed = line.replacingOccurrences(of: "35.", with: "36.")
        try expected.replacingOccurrences(of: String(line), with: changed).write(toFile: root + "/scripts/demos/" + demo + ".out", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["--check", "scripts/demos/" + demo], in: root)
        #expect(out.status == 1)
        #expect(out.stdout.contains("\n-\(changed)\n+\(line)\n"), "\(out.stdout)")
        let bless = try runMyoShell(["--check", "--bless", "scripts/demos/" + demo], in: root)
        #expect(bless.status == 0)
        #expect(try String(contentsOfFile: root + "/scripts/demos/" + demo + ".out", encoding: .utf8) == expected)
    }
}
