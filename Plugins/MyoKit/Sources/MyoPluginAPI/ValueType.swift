import MyoCore

/// The type of a command argument's value. It drives parsing, validation, help and completion.
public enum ValueType: Sendable, Equatable {
    /// A number with a unit of this dimension: `100ms`, `6Hz`, `50%`. A bare number is refused.
    case quantity(Dimension)
    /// Two quantities joined by `..`: `20Hz..450Hz`, `0s..2s`.
    case quantityRange(Dimension)
    case integer
    /// A unit-less real number (a ratio, a gain).
    case number
    case text
    /// One of a fixed set of words.
    case choice([String])
    /// `on` or `off`.
    case flag
    /// A channel selection: `rec`, `rec.ES_L`, `rec.{ES_L,ES_R}`, `rec.ES_*`.
    case signals
    /// The name of a recording in the workspace.
    case recording
    /// The name of any workspace object (recording or table).
    case objectName
    /// A file path; completion offers folders and files with these extensions.
    case path(extensions: [String])
    /// One of a few words or a quantity: `off` or `50Hz` (notch), `auto` or `60Hz` (mains).
    case wordOrQuantity([String], Dimension)
    /// Sensor axes along the trunk, forward and to the side: `+X+Z+Y` (a `SensorAxes`).
    case axes
    /// Comma-separated values of one type: `ES_L:ES_R,GM_L:GM_R`, `stats1,fatigue1`.
    indirect case list(ValueType)
    /// A share of a signal's range or a value in the signal's unit: `20%`, `15deg` (a `Level`).
    case level
    /// The name of a command (completion offers the registered ones).
    case command
    /// A setting and its value, `plot terminal dumb`: keys, values and help from a table.
    case setting([SettingDefinition])

    /// The dimension of a quantity's values (a range's ends, the quantity of a word-or-quantity).
    public var dimension: Dimension? {
        switch self {
        case .quantity(let d), .quantityRange(let d), .wordOrQuantity(_, let d): return d
        case .list(let item): return item.dimension
        default: return nil
        }
    }

    /// Short name used in usage lines and help: `<time>`, `<frequency range>`, `<signals>`.
    public var placeholder: String {
        switch self {
        case .quantity(let d): return "<\(d.rawValue)>"
        case .quantityRange(let d): return "<\(d.rawValue)>..<\(d.rawValue)>"
        case .integer: return "<integer>"
        case .number: return "<number>"
        case .text: return "<text>"
        case .choice(let choices): return choices.joined(separator: "|")
        case .flag: return "on|off"
        case .signals: return "<signals>"
        case .recording: return "<recording>"
        case .objectName: return "<name>"
        case .path(let extensions): return extensions.isEmpty ? "<path>" : "<path." + extensions.joined(separator: "|") + ">"
        case .wordOrQuantity(let words, let d): return (words + ["<\(d.rawValue)>"]).joined(separator: "|")
        case .axes: return "<axes>"
        case .list(let item): return "\(item.placeholder),..."
        case .level: return "<ratio>|<value with unit>"
        case .command: return "<command>"
        case .setting: return "<setting> <value>"
        }
    }
}

/// One row of a settings table: a key (one or two words), the values it takes (empty: any text)
/// and what it does.
public struct SettingDefinition: Sendable, Equatable {
    public var key: String
    public var choices: [String]
    public var help: String
    public init(key: String, choices: [String], help: String) {
        self.key = key
        self.choices = choices
        self.help = help
    }
}

/// One argument of a command: positional or `name=value`.
public struct ArgumentSpec: Sendable {
    public var name: String
    public var isPositional: Bool
    public var type: ValueType
    public var help: String
    /// The default as a user would type it (`6Hz`); nil when there is none.
    public var defaultValue: String?
    public var isRequired: Bool
    /// A positional argument that takes every remaining positional word.
    public var isRepeating: Bool
    /// Inclusive limits in the canonical unit of the type's dimension (s, Hz, % ...), or plain numbers.
    public var minimum: Double?
    public var maximum: Double?

    public init(_ name: String, positional: Bool = false, type: ValueType, help: String, default defaultValue: String? = nil,
                required: Bool = false, repeating: Bool = false, minimum: Double? = nil, maximum: Double? = nil) {
        self.name = name
        self.isPositional = positional
        self.type = type
        self.help = help
        self.defaultValue = defaultValue
        self.isRequired = required
        self.isRepeating = repeating
        self.minimum = minimum
        self.maximum = maximum
    }

    /// `name=<type>` or `<name>` for usage lines; optional ones are bracketed.
    public var usage: String {
        var text = isPositional ? name.uppercased() + (isRepeating ? "..." : "") : "\(name)=\(type.placeholder)"
        if !isRequired { text = "[\(text)]" }
        return text
    }

    /// The unit in which limits and defaults are expressed, for help: `s`, `Hz`, `%`, or "".
    public var canonicalUnit: String {
        if case .level = type { return "%" }   // limits apply to the share of the range
        return type.dimension?.canonicalSymbol ?? ""
    }
}

/// Where `to PATH` is accepted, and which file types it may name.
public struct DestinationSpec: Sendable {
    public var extensions: [String]
    public var isRequired: Bool
    public var help: String
    /// A folder (a last path component without an extension) is accepted too.
    public var acceptsFolder: Bool
    public init(extensions: [String], required: Bool, help: String, acceptsFolder: Bool = false) {
        self.extensions = extensions
        self.isRequired = required
        self.help = help
        self.acceptsFolder = acceptsFolder
    }
}
