import Foundation
import MyoTestSupport
import Testing

/// `help CMD` of every registered command, against a golden file in Tests/MyoShellTests/Help
/// (`history save` is `history-save.txt`). A help text that changes, a command without a golden
/// file and a golden file without a command all fail; MYOSHELL_BLESS=1 rewrites the files (the
/// test then fails once, so a person reads the diff).
@Suite struct HelpGoldenTests {
    static let folder = TestEnvironment.repositoryRoot + "/Tests/MyoShellTests/Help"

    static func commandNames() throws -> [String] {
        let json = try runMyoShell(["-c", "commands --json"]).stdout
        let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        return (document["commands"] as! [[String: Any]]).map { $0["name"] as! String }.sorted()
    }

    static func fileName(_ command: String) -> String { command.replacingOccurrences(of: " ", with: "-") + ".txt" }

    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func everyCommandsHelpMatchesItsGoldenFile() throws {
        let names = try Self.commandNames()
        #expect(names.count > 40)
        let bless = ProcessInfo.processInfo.environment["MYOSHELL_BLESS"] == "1"
        var changed: [String] = []
        for name in names {
            let result = try runMyoShell(["-c", "help \(name)"])
            #expect(result.status == 0 && result.stderr.isEmpty, "help \(name): \(result.stderr)")
            let path = Self.folder + "/" + Self.fileName(name)
            let expected = try? String(contentsOfFile: path, encoding: .utf8)
            guard expected != result.stdout else { continue }
            changed.append(name)
            if bless { try result.stdout.write(toFile: path, atomically: true, encoding: .utf8) }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter { $0.hasSuffix(".txt") }
        let orphans = Set(files).subtracting(names.map(Self.fileName)).sorted()
        if bless { for orphan in orphans { try FileManager.default.removeItem(atPath: Self.folder + "/" + orphan) } }
        #expect(changed.isEmpty, "help differs from its golden file (MYOSHELL_BLESS=1 rewrites them): \(changed.joined(separator: ", "))")
        #expect(orphans.isEmpty, "golden help files without a command: \(orphans.joined(separator: ", "))")
    }
}
