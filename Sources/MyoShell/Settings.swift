import MyoCore
import MyoPluginAPI

/// Session settings changed with `set KEY VALUE`. Each setting is one row of a table: its
/// definition (key, values, help), which `set`'s argument type validates and completes, and how a
/// value is stored and read back.
public struct Settings {
    public enum OutputMode: String, CaseIterable { case text, json }
    public enum PlotTerminal: String, CaseIterable { case auto, dumb, window }
    public enum QualityPolicy: String, CaseIterable { case lenient, strict }

    public var output: OutputMode = .text
    public var plotTerminal: PlotTerminal = .auto
    /// The audit log file, or nil (off).
    public var audit: String?
    public var quality: QualityPolicy = .lenient
    /// Print each command's wall time on stderr (never into results, recordings or --check output).
    public var timing = false

    struct Row {
        var definition: SettingDefinition
        /// Stores a value; false when the value is not one the setting takes.
        var apply: (inout Settings, String) -> Bool
        var read: (Settings) -> String
    }

    /// A setting whose values are an enumeration's cases.
    private static func choice<Value: RawRepresentable & CaseIterable>(_ key: String, _ path: WritableKeyPath<Settings, Value>, help: String) -> Row
    where Value.RawValue == String {
        Row(definition: SettingDefinition(key: key, choices: Value.allCases.map(\.rawValue), help: help),
            apply: { settings, text in
                guard let value = Value(rawValue: text) else { return false }
                settings[keyPath: path] = value
                return true
            },
            read: { $0[keyPath: path].rawValue })
    }

    static let rows: [Row] = [
        choice("output", \.output, help: "how results print: aligned text tables, or one JSON object per line"),
        choice("plot terminal", \.plotTerminal,
               help: "where plots without 'to FILE' go: auto (a window when a display is present, else text), dumb (text), window"),
        choice("quality", \.quality, help: "lenient: results on channels graded bad carry a warning; strict: commands refuse such channels"),
        Row(definition: SettingDefinition(key: "timing", choices: ["on", "off"],
                                          help: "on: after each command, its wall time on stderr as 'time: COMMAND 0.123 s' (not part of results, recordings or --check output)"),
            apply: { settings, text in settings.timing = text == "on"; return text == "on" || text == "off" },
            read: { $0.timing ? "on" : "off" }),
        Row(definition: SettingDefinition(key: "audit", choices: [],
                                          help: "off, or a file to which every command line is appended with its time, versions and the SHA-256 of the files it names"),
            apply: { settings, text in settings.audit = text == "off" ? nil : text; return true },
            read: { $0.audit ?? "off" }),
    ]

    public static var definitions: [SettingDefinition] { rows.map(\.definition) }

    public mutating func set(_ key: String, to value: String) throws {
        guard let row = Self.rows.first(where: { $0.definition.key == key }) else {
            throw MyoError.unknownName(kind: "setting", name: key, suggestion: Suggestion.closest(to: key, in: Self.rows.map(\.definition.key)))
        }
        var changed = self
        guard row.apply(&changed, value) else { throw MyoError.invalidChoice(argument: key, value: value, choices: row.definition.choices) }
        self = changed
    }

    public func value(of key: String) -> String {
        Self.rows.first { $0.definition.key == key }.map { $0.read(self) } ?? ""
    }
}
