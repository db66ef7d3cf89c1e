import Foundation
import MyoTestSupport
import Testing

/// docs/ARCHITECTURE.md names every target of Package.swift and of MyoKit's package, so the map
/// a newcomer reads cannot fall behind the code.
@Suite struct ArchitectureDocTests {
    static func targetNames(in manifest: String) throws -> [String] {
        let text = try String(contentsOfFile: TestEnvironment.repositoryRoot + "/" + manifest, encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"\.(?:target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)""#)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) }
    }

    @Test func everyTargetIsNamed() throws {
        let document = try String(contentsOfFile: TestEnvironment.repositoryRoot + "/docs/ARCHITECTURE.md", encoding: .utf8)
        let targets = try Self.targetNames(in: "Package.swift") + Self.targetNames(in: "Plugins/MyoKit/Package.swift")
        #expect(targets.count >= 20, "\(targets)")
        // Plugins are named in the map by their folder (Plugins/Stats for MyoStatsPlugin).
        let missing = targets.filter { name in
            let folder = name.hasSuffix("Plugin") ? "Plugins/" + name.dropFirst(3).dropLast(6) : nil
            return !document.contains(name) && !(folder.map { document.contains($0) } ?? false)
        }
        #expect(missing.isEmpty, "docs/ARCHITECTURE.md does not name: \(missing.joined(separator: ", "))")
    }
}
