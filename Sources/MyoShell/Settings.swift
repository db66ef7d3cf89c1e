import MyoCore

/// Session settings changed with `set KEY VALUE`. Each setting is data: key, choices, default.
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

    public struct Definition {
        public var key: String
        public var choices: [String]
        public var help: String
    }

    public static let definitions: [Definition] = [
        Definition(key: "output", choices: OutputMode.allCases.map(\.rawValue), help: "how results print: aligned text tables, or one JSON object per line"),
        Definition(key: "plot terminal", choices: PlotTerminal.allCases.map(\.rawValue),
                   help: "where plots without 'to FILE' go: auto (a window when a display is present, else text), dumb (text), window"),
        Definition(key: "quality", choices: QualityPolicy.allCases.map(\.rawValue),
                   help: "lenient: results on channels graded bad carry a warning; strict: commands refuse such channels"),
        Definition(key: "timing", choices: ["on", "off"],
                   help: "on: after each command, its wall time on stderr as 'time: COMMAND 0.123 s' (not part of results, recordings or --check output)"),
        Definition(key: "audit", choices: [],
                   help: "off, or a file to which every command line is appended with its time, versions and the SHA-256 of the files it names"),
    ]

    public mutating func set(_ key: String, to value: String) throws {
        guard let definition = Self.definitions.first(where: { $0.key == key }) else {
            throw MyoError.unknownName(kind: "setting", name: key, suggestion: Suggestion.closest(to: key, in: Self.definitions.map(\.key)))
        }
        guard definition.choices.isEmpty || definition.choices.contains(value) else { throw MyoError.invalidChoice(argument: key, value: value, choices: definition.choices) }
        switch key {
        case "audit": audit = value == "off" ? nil : value
        case "quality": quality = QualityPolicy(rawValue: value)!
        case "output": output = OutputMode(rawValue: value)!
        case "timing": timing = value == "on"
        default: plotTerminal = PlotTerminal(rawValue: value)!
        }
    }

    public func value(of key: String) -> String {
        switch key {
        case "output": return output.rawValue
        case "audit": return audit ?? "off"
        case "quality": return quality.rawValue
        case "timing": return timing ? "on" : "off"
        default: return plotTerminal.rawValue
        }
    }
}
