import MyoCore

/// A reference to one channel of one workspace recording, resolved from a selection.
public struct SignalRef: Sendable {
    public var recordingName: String
    public var channelIndex: Int
    public var channel: Channel
    public init(recordingName: String, channelIndex: Int, channel: Channel) {
        self.recordingName = recordingName
        self.channelIndex = channelIndex
        self.channel = channel
    }
    /// `bridge.GM_L`
    public var qualifiedName: String { "\(recordingName).\(channel.name)" }
}

/// A parsed and validated argument value. Quantities are in the canonical unit of their dimension.
public enum ArgumentValue: Sendable {
    case quantity(Double, text: String)
    case range(Double, Double, text: String)
    case integer(Int)
    case number(Double)
    case text(String)
    case flag(Bool)
    case signals([SignalRef], text: String)
    case name(String)
    case path(String)
    /// One of the words of a `.wordOrQuantity` argument.
    case word(String)
    case axes(SensorAxes, text: String)
    case list([ArgumentValue], text: String)
    case level(Level, text: String)
    case setting(key: String, value: String)

    /// The value as shown in provenance and help: quantities as typed, selections as typed.
    public var display: String {
        switch self {
        case .quantity(_, let text), .range(_, _, let text), .signals(_, let text), .axes(_, let text), .list(_, let text), .level(_, let text): return text
        case .integer(let value): return String(value)
        case .number(let value): return NumberFormat.significant(value, digits: 10)
        case .text(let text), .name(let text), .path(let text), .word(let text): return text
        case .setting(let key, let value): return "\(key) \(value)"
        case .flag(let on): return on ? "on" : "off"
        }
    }
}

/// Parses the text of a value against an argument's type and limits. Selections and names are
/// resolved by the shell (they need the workspace); here they are only checked for form.
public enum ValueParser {
    public static func parse(_ text: String, for argument: ArgumentSpec) throws -> ArgumentValue {
        let name = argument.name
        switch argument.type {
        case .quantity(let dimension):
            let value = try quantity(text, argument: name, dimension: dimension)
            try check(value, text: text, argument)
            return .quantity(value, text: text)
        case .quantityRange(let dimension):
            guard let dots = text.firstRange(of: ".."), !text[dots.upperBound...].contains("..") else {
                throw MyoError.invalidValue(argument: name, value: text, expected: "a range such as \(dimension.example)..\(dimension.example)")
            }
            let low = try quantity(String(text[..<dots.lowerBound]), argument: name, dimension: dimension)
            let high = try quantity(String(text[dots.upperBound...]), argument: name, dimension: dimension)
            guard low < high else {
                throw MyoError.invalidValue(argument: name, value: text, expected: "the lower end before the upper end")
            }
            try check(low, text: text, argument)
            try check(high, text: text, argument)
            return .range(low, high, text: text)
        case .integer:
            guard let value = Int(text) else { throw MyoError.invalidValue(argument: name, value: text, expected: "a whole number") }
            try check(Double(value), text: text, argument)
            return .integer(value)
        case .number:
            guard let value = Double(text), value.isFinite else { throw MyoError.invalidValue(argument: name, value: text, expected: "a number") }
            try check(value, text: text, argument)
            return .number(value)
        case .text:
            return .text(text)
        case .choice(let choices):
            guard choices.contains(text) else { throw MyoError.invalidChoice(argument: name, value: text, choices: choices) }
            return .text(text)
        case .flag:
            switch text {
            case "on", "yes", "true": return .flag(true)
            case "off", "no", "false": return .flag(false)
            default: throw MyoError.invalidChoice(argument: name, value: text, choices: ["on", "off"])
            }
        case .signals, .recording, .objectName:
            guard !text.isEmpty else { throw MyoError.invalidValue(argument: name, value: text, expected: "a name") }
            return .name(text)
        case .path:
            guard !text.isEmpty else { throw MyoError.invalidValue(argument: name, value: text, expected: "a file path") }
            return .path(text)
        case .wordOrQuantity(let words, let dimension):
            if words.contains(text) { return .word(text) }
            guard Quantity.parse(text) != nil else {
                throw MyoError.invalidValue(argument: name, value: text, expected: (words + ["a \(dimension.rawValue) with its unit such as \(dimension.example)"]).joined(separator: ", or "))
            }
            let value = try quantity(text, argument: name, dimension: dimension)
            try check(value, text: text, argument)
            return .quantity(value, text: text)
        case .axes:
            guard let axes = SensorAxes(text) else { throw MyoError.invalidValue(argument: name, value: text, expected: SensorAxes.expected) }
            return .axes(axes, text: text)
        case .list(let item):
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !parts.contains(where: \.isEmpty) else {
                throw MyoError.invalidValue(argument: name, value: text, expected: "\(item.placeholder) items separated by commas, none empty")
            }
            var itemSpec = argument
            itemSpec.type = item
            return .list(try parts.map { try parse($0, for: itemSpec) }, text: text)
        case .level:
            guard let level = Level(text) else {
                throw MyoError.invalidValue(argument: name, value: text, expected: "a percentage of the signal's range (20%) or a value with the signal's unit (15deg)")
            }
            if case .fraction(let share) = level { try check(share * 100, text: text, argument) }
            return .level(level, text: text)
        case .command:
            guard !text.isEmpty else { throw MyoError.invalidValue(argument: name, value: text, expected: "a command name") }
            return .name(text)
        case .setting(let table):
            let words = text.split(separator: " ").map(String.init)
            let key = words.dropLast().joined(separator: " ")
            guard words.count >= 2, let row = table.first(where: { $0.key == key }) else {
                let typed = words.count >= 2 ? key : text
                throw MyoError.unknownName(kind: "setting", name: typed, suggestion: Suggestion.closest(to: typed, in: table.map(\.key)))
            }
            guard let value = words.last, row.choices.isEmpty || row.choices.contains(value) else {
                throw MyoError.invalidChoice(argument: key, value: words.last ?? "", choices: row.choices)
            }
            return .setting(key: key, value: value)
        }
    }

    /// A quantity's value in its dimension's canonical unit; a bare number or a foreign unit is an error.
    static func quantity(_ text: String, argument: String, dimension: Dimension) throws -> Double {
        guard let parsed = Quantity.parse(text) else {
            throw MyoError.invalidValue(argument: argument, value: text, expected: "a number with a unit such as \(dimension.example)")
        }
        guard let unit = parsed.unit else { throw MyoError.missingUnit(argument: argument, value: text, dimension: dimension) }
        guard unit.dimension == dimension else { throw MyoError.wrongUnit(argument: argument, value: text, dimension: dimension) }
        let value = parsed.value * unit.factorToCanonical
        guard value.isFinite else { throw MyoError.invalidValue(argument: argument, value: text, expected: "a finite number") }
        // Magnitudes no recording can need (they once reached unchecked Int conversions and
        // allocations): beyond them a value is refused here, whatever the command.
        let (smallest, largest) = dimension.plausibleMagnitudes
        if abs(value) > largest || (value != 0 && abs(value) < smallest) {
            throw MyoError.outOfRange(argument: argument, value: text,
                                      limit: "\(dimension.rawValue) values lie between \(NumberFormat.quantity(smallest, dimension.canonicalSymbol)) and \(NumberFormat.quantity(largest, dimension.canonicalSymbol)) in size (or are 0)")
        }
        return value
    }

    static func check(_ value: Double, text: String, _ argument: ArgumentSpec) throws {
        let unit = argument.canonicalUnit
        if let minimum = argument.minimum, value < minimum {
            throw MyoError.outOfRange(argument: argument.name, value: text, limit: "the smallest allowed is \(NumberFormat.quantity(minimum, unit))")
        }
        if let maximum = argument.maximum, value > maximum {
            throw MyoError.outOfRange(argument: argument.name, value: text, limit: "the largest allowed is \(NumberFormat.quantity(maximum, unit))")
        }
    }
}

extension Dimension {
    /// The smallest and largest sizes a value of this dimension may have in any command, in the
    /// canonical unit: times from 1 us to 10^7 s (116 days, beyond any day-long recording),
    /// frequencies from 1 uHz to 10 MHz, the rest up to 10^6 of their unit (conventions).
    public var plausibleMagnitudes: (Double, Double) {
        switch self {
        case .time: return (1e-6, 1e7)
        case .frequency: return (1e-6, 1e7)
        default: return (1e-12, 1e6)
        }
    }
}
