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
        for path in dataFiles("reliability.yaml", override: "MYOSHELL_RELIABILITY", environment) {
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

    /// The files of a data table, in the order they apply: the built-in one from the resources
    /// folder SwiftPM puts beside the executable (and scripts/install beside the installed one; not
    /// Bundle.module, whose accessor stops the process when the build folder it remembers is gone),
    /// then the one `$override` names, or else the user's `$XDG_CONFIG_HOME/myoshell/NAME`.
    static func dataFiles(_ name: String, override: String, _ environment: [String: String]) -> [String] {
        var paths: [String] = []
        if let folder = FileSystem.executableFolder() {
            let builtIn = folder + "/MyoShell_MyoProgress.resources/Reliability/" + name
            if FileSystem.exists(builtIn) { paths.append(builtIn) }
        }
        if let own = environment[override] {
            paths.append(own)
        } else if let config = environment["XDG_CONFIG_HOME"] ?? environment["HOME"].map({ $0 + "/.config" }),
                  FileSystem.exists(config + "/myoshell/" + name) {
            paths.append(config + "/myoshell/" + name)
        }
        return paths
    }
}
