#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MyoCore
import MyoFiles
import MyoPluginAPI
import Yams

/// How large a change must be before it counts: per measure column a minimal detectable change
/// (MDC95) with its source and a reliability grade, per outcome its range and minimal clinically
/// important difference. Read from reliability.yaml (a resource beside the executable), then from
/// the user's own file, whose entries replace the defaults by name.
public struct ReliabilityTable: Sendable {
    public struct Measure: Codable, Sendable, Equatable {
        public var unit: String?
        public var mdc: Double?
        public var reliability: String?
        public var source: String
        /// A measure graded poor: marked beside its verdicts, and no flag rests on it alone.
        public var isPoor: Bool { reliability == "poor" }
    }

    public struct Outcome: Codable, Sendable, Equatable {
        public var title: String
        public var unit: String
        public var min: Double
        public var max: Double
        public var better: String
        public var mcid: Double
        public var mcid_percent: Double?
        public var source: String
        public var direction: MeasureSpec.Better { MeasureSpec.Better(rawValue: better) ?? .none }
    }

    struct File: Codable {
        var measures: [String: Measure]?
        var outcomes: [String: Outcome]?
    }

    public var measures: [String: Measure]
    public var outcomes: [String: Outcome]
    /// The files read, in order, for the verdicts' notes.
    public var files: [String]

    /// Parses one file's text; `path` names it in errors.
    static func parse(_ text: String, path: String) throws -> File {
        do { return try YAMLDecoder().decode(File.self, from: text) } catch {
            throw MyoError.file(path: path, reason: "is not a reliability table (\(error)); see docs/PROGRESS.md for its form")
        }
    }

    /// The built-in table and the user's own file, if any.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ReliabilityTable {
        var table = ReliabilityTable(measures: [:], outcomes: [:], files: [])
        var paths: [String] = []
        if let builtIn = builtInPath { paths.append(builtIn) }
        if let own = environment["MYOSHELL_RELIABILITY"] {
            paths.append(own)
        } else {
            let config = environment["XDG_CONFIG_HOME"] ?? environment["HOME"].map { $0 + "/.config" }
            if let config, FileSystem.exists(config + "/myoshell/reliability.yaml") { paths.append(config + "/myoshell/reliability.yaml") }
        }
        for path in paths {
            guard let text = FileSystem.readText(path) else { throw MyoError.file(path: path, reason: "cannot be read") }
            let file = try parse(text, path: path)
            table.measures.merge(file.measures ?? [:]) { _, new in new }
            table.outcomes.merge(file.outcomes ?? [:]) { _, new in new }
            table.files.append(path)
        }
        guard !table.outcomes.isEmpty else {
            throw MyoError.other("no reliability table was found (reliability.yaml beside the executable, or $MYOSHELL_RELIABILITY); reinstall MyoShell")
        }
        return table
    }

    /// reliability.yaml in the resources folder SwiftPM puts beside the executable (and
    /// scripts/install beside the installed one), found from /proc/self/exe.
    static var builtInPath: String? { resourcePath("reliability.yaml") }

    /// A file of the module's resources folder, which SwiftPM puts beside the executable (and
    /// scripts/install beside the installed one), found from /proc/self/exe. Not Bundle.module:
    /// its accessor stops the process when the build folder it remembers is gone.
    static func resourcePath(_ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let executable = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let folder = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        let path = folder + "/MyoShell_MyoProgress.resources/Reliability/" + name
        return FileSystem.exists(path) ? path : nil
    }
}
