import Foundation
import MyoTestSupport
import Testing

/// Every registered command's help renders from its spec, and no help text shows source code
/// (an escaped interpolation such as `\(Int(x))` left in a discussion once shipped in `help quality`).
@Suite struct HelpTests {
    static func commandNames() throws -> [String] {
        let out = try runMyoShell(["-c", "commands --json"])
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as! [String: Any]
        return (object["commands"] as! [[String: Any]]).map { $0["name"] as! String }
    }

    @Test func everyCommandsHelpRenders() throws {
        let names = try Self.commandNames()
        #expect(names.count > 40, "\(names)")
        let out = try runMyoShell(["-c", names.map { "help \($0)" }.joined(separator: "; ")])
        #expect(out.status == 0, "\(out.stderr)")
        for name in names { #expect(out.stdout.contains("usage: \(name)"), "help \(name) printed no usage line") }
        #expect(!out.stdout.contains("\\("), "a help text shows Swift source: \(out.stdout.components(separatedBy: "\n").filter { $0.contains("\\(") })")
        let listing = try runMyoShell(["-c", "commands --json"])
        #expect(!listing.stdout.contains("\\\\("))
    }
}
