#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MyoCore

/// An exercise template: a data file (JSON) naming the exercise, the movement signal that defines
/// its repetitions or holds, its target muscles and the criteria a repetition must meet.
struct ExerciseTemplate: Decodable {
    struct Movement: Decodable {
        /// `excursion`: repetitions by hysteresis; `hold`: stretches near a target angle.
        var mode: String
        var sensor: String?
        var mount: String
        /// `sagittal` (default) or `frontal`.
        var signal: String?
        var start: String?
        var end: String?
        var hold: String?
        var target: Double?
        var tolerance: Double?
        var plane: String?
        var min_hold: String?
    }

    struct Criterion: Decodable {
        /// min-mean, max-mean, max-ratio, symmetry, stable-angle, min-rom.
        var check: String
        var muscles: [String]?
        var numerator: [String]?
        var denominator: [String]?
        var left: String?
        var right: String?
        /// going, hold, return or all.
        var phase: String
        var value: Double
        var unit: String
        var signal: String?
        /// Where the threshold comes from, or that it is a convention.
        var source: String
    }

    var id: String
    var name: String
    var movement: Movement
    var targets: [String]
    var criteria: [Criterion]
    var notes: String?

    static let checks: Set<String> = ["min-mean", "max-mean", "max-ratio", "symmetry", "stable-angle", "min-rom"]
    static let phases: Set<String> = ["going", "hold", "return", "all"]

    /// The built-in templates: the resources folder SwiftPM puts beside the executable and this
    /// plugin (in .build/release/ and, copied by scripts/install, in the installed library
    /// folder), found from the executable's own path (/proc/self/exe). Not Bundle.module: its
    /// accessor stops the process when the build folder it remembers is gone.
    static let builtInFolder: String? = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let executable = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let folder = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        let path = folder + "/MyoShell_MyoMovementPlugin.resources/Templates"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    /// Folders searched, later ones overriding earlier ones by id: the built-in templates, then
    /// ~/.myoshell/templates, then $MYOSHELL_TEMPLATES, then `extra` (templates= of a command).
    static func folders(extra: String?) -> [String] {
        var folders: [String] = []
        if let builtIn = builtInFolder { folders.append(builtIn) }
        if let home = ProcessInfo.processInfo.environment["HOME"] { folders.append(home + "/.myoshell/templates") }
        if let env = ProcessInfo.processInfo.environment["MYOSHELL_TEMPLATES"] { folders.append(env) }
        if let extra { folders.append(extra) }
        return folders
    }

    /// Every template by id, with the file it came from.
    static func all(extra: String?) throws -> [String: (ExerciseTemplate, String)] {
        var found: [String: (ExerciseTemplate, String)] = [:]
        for folder in folders(extra: extra) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                if folder == extra { throw MyoError.file(path: folder, reason: "is not a readable folder of templates") }
                continue
            }
            for name in names.sorted() where name.lowercased().hasSuffix(".json") {
                let path = folder + "/" + name
                let template = try load(path)
                found[template.id] = (template, path)
            }
        }
        return found
    }

    static func load(_ path: String) throws -> ExerciseTemplate {
        guard let data = FileManager.default.contents(atPath: path) else { throw MyoError.file(path: path, reason: "cannot be read") }
        let template: ExerciseTemplate
        do {
            template = try JSONDecoder().decode(ExerciseTemplate.self, from: data)
        } catch DecodingError.keyNotFound(let key, _) {
            throw MyoError.file(path: path, reason: "is not an exercise template: the field \(key.stringValue) is missing")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw MyoError.file(path: path, reason: "is not an exercise template: \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type")
        } catch {
            throw MyoError.file(path: path, reason: "is not valid JSON")
        }
        for criterion in template.criteria {
            guard checks.contains(criterion.check) else {
                throw MyoError.file(path: path, reason: "has a criterion check '\(criterion.check)'; expected one of \(checks.sorted().joined(separator: ", "))")
            }
            guard phases.contains(criterion.phase) else {
                throw MyoError.file(path: path, reason: "has a criterion phase '\(criterion.phase)'; expected one of \(phases.sorted().joined(separator: ", "))")
            }
        }
        guard ["excursion", "hold"].contains(template.movement.mode) else {
            throw MyoError.file(path: path, reason: "has movement mode '\(template.movement.mode)'; expected excursion or hold")
        }
        return template
    }
}
