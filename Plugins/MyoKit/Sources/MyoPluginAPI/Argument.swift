import MyoCore

/// A command argument declared once: its spec (name, type, unit, default, limits, help), from
/// which help, completion and validation come, and how its bound value reads as a Swift value.
/// A command lists its arguments in its `CommandSpec` and reads them with `try invocation[key]`:
/// an argument with a default or a required one reads as `Value`, an optional one as `Value?`.
///
///     static let window = Argument.quantity("window", .time, default: "100ms", help: "moving RMS window")
///     let seconds = try invocation[window]   // Double, in s
public struct Argument<Value>: ArgumentDeclaration, @unchecked Sendable {
    public let spec: ArgumentSpec
    /// The value for a bound argument, or nil when the bound value is of another type.
    private let decode: (ArgumentValue) -> Value?
    /// The value when the argument was not given: nil for arguments that always have one.
    private let absent: Value?

    public init(spec: ArgumentSpec, absent: Value? = nil, decode: @escaping (ArgumentValue) -> Value?) {
        self.spec = spec
        self.decode = decode
        self.absent = absent
    }

    public var name: String { spec.name }

    /// The typed value among an invocation's bound values; nil when it is not there or of another
    /// type (a command reading an argument its spec does not declare).
    func read(_ values: [String: ArgumentValue]) -> Value? {
        guard let value = values[spec.name] else { return absent }
        return decode(value)
    }

    /// The same argument with another help text (shared arguments worded for one command).
    public func help(_ text: String) -> Argument {
        var copy = spec
        copy.help = text
        return Argument(spec: copy, absent: absent, decode: decode)
    }

    /// The same argument as a positional or a `name=` option.
    public func withPositional(_ positional: Bool) -> Argument {
        var copy = spec
        copy.isPositional = positional
        return Argument(spec: copy, absent: absent, decode: decode)
    }

    /// The same argument with another default, given as a value (a choice's case).
    public func withDefault(_ value: Value) -> Argument where Value: RawRepresentable, Value.RawValue == String {
        var copy = spec
        copy.defaultValue = value.rawValue
        return Argument(spec: copy, absent: absent, decode: decode)
    }

    /// The same argument without its default: it reads as nil when not given.
    public func withoutDefault(help text: String) -> Argument<Value?> {
        var copy = spec
        copy.defaultValue = nil
        copy.help = text
        let decode = self.decode
        return Argument<Value?>(spec: copy, absent: .some(nil), decode: { decode($0).map { .some($0) } })
    }
}

/// Anything that declares one argument of a command spec: an `Argument` key. (A bare
/// `ArgumentSpec` is not one, so every argument a command declares can be read typed.)
public protocol ArgumentDeclaration {
    var spec: ArgumentSpec { get }
}

extension Invocation {
    /// The typed value of a declared argument. Throws only when the command reads an argument its
    /// spec does not declare (a fault of the command, reported instead of trapping).
    public subscript<Value>(_ argument: Argument<Value>) -> Value {
        get throws {
            guard spec.argument(named: argument.name) != nil, let value = argument.read(values) else {
                throw MyoError.other("internal error: \(spec.name) read the argument '\(argument.name)', which its spec does not declare with that type; please report this")
            }
            return value
        }
    }
}

// MARK: - Typed constructors, one per value type

private func declare(_ name: String, _ type: ValueType, _ help: String, default value: String? = nil, required: Bool = false,
                  positional: Bool = false, repeating: Bool = false, minimum: Double? = nil, maximum: Double? = nil) -> ArgumentSpec {
    ArgumentSpec(name, positional: positional, type: type, help: help, default: value, required: required, repeating: repeating, minimum: minimum, maximum: maximum)
}

extension Argument {
    /// An argument that always has a value (a default, or required).
    static func present(_ spec: ArgumentSpec, _ decode: @escaping (ArgumentValue) -> Value?) -> Argument {
        Argument(spec: spec, decode: decode)
    }
    /// An argument that may be absent.
    static func optional<Wrapped>(_ spec: ArgumentSpec, _ decode: @escaping (ArgumentValue) -> Wrapped?) -> Argument<Wrapped?> {
        Argument<Wrapped?>(spec: spec, absent: .some(nil), decode: { decode($0).map { .some($0) } })
    }
}

private func quantityValue(_ value: ArgumentValue) -> Double? { if case .quantity(let v, _) = value { v } else { nil } }
private func rangeValue(_ value: ArgumentValue) -> (Double, Double)? { if case .range(let a, let b, _) = value { (a, b) } else { nil } }
private func integerValue(_ value: ArgumentValue) -> Int? { if case .integer(let v) = value { v } else { nil } }
private func numberValue(_ value: ArgumentValue) -> Double? { if case .number(let v) = value { v } else { nil } }
private func flagValue(_ value: ArgumentValue) -> Bool? { if case .flag(let v) = value { v } else { nil } }
private func stringValue(_ value: ArgumentValue) -> String? {
    switch value {
    case .text(let t), .name(let t), .path(let t): return t
    default: return nil
    }
}

extension Argument where Value == Double {
    /// A quantity in its dimension's canonical unit (s, Hz, %, ...), with a default.
    public static func quantity(_ name: String, _ dimension: Dimension, default value: String, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .quantity(dimension), help, default: value, minimum: minimum, maximum: maximum), quantityValue)
    }
    /// A quantity that must be given.
    public static func requiredQuantity(_ name: String, _ dimension: Dimension, positional: Bool = false, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .quantity(dimension), help, required: true, positional: positional, minimum: minimum, maximum: maximum), quantityValue)
    }
    /// A unit-less real number that must be given.
    public static func requiredNumber(_ name: String, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .number, help, required: true, minimum: minimum, maximum: maximum), numberValue)
    }
    /// A unit-less real number with a default.
    public static func number(_ name: String, default value: String, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .number, help, default: value, minimum: minimum, maximum: maximum), numberValue)
    }
}

extension Argument where Value == Double? {
    /// A quantity that may be absent.
    public static func quantity(_ name: String, _ dimension: Dimension, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        optional(declare(name, .quantity(dimension), help, minimum: minimum, maximum: maximum), quantityValue)
    }
    /// A unit-less number that may be absent.
    public static func number(_ name: String, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        optional(declare(name, .number, help, minimum: minimum, maximum: maximum), numberValue)
    }
    /// `off` (nil) or a quantity, with a default: `notch=off`, `notch=50Hz`.
    public static func offOrQuantity(_ name: String, _ dimension: Dimension, default value: String = "off", minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .wordOrQuantity(["off"], dimension), help, default: value, minimum: minimum, maximum: maximum)) { bound in
            if case .word = bound { return .some(nil) }
            return quantityValue(bound).map { .some($0) }
        }
    }
}

extension Argument where Value == (Double, Double) {
    /// Two quantities `low..high` (low before high), with a default.
    public static func range(_ name: String, _ dimension: Dimension, default value: String, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .quantityRange(dimension), help, default: value, minimum: minimum, maximum: maximum), rangeValue)
    }
    public static func requiredRange(_ name: String, _ dimension: Dimension, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .quantityRange(dimension), help, required: true, minimum: minimum, maximum: maximum), rangeValue)
    }
}

extension Argument where Value == (Double, Double)? {
    public static func range(_ name: String, _ dimension: Dimension, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        optional(declare(name, .quantityRange(dimension), help, minimum: minimum, maximum: maximum), rangeValue)
    }
}

extension Argument where Value == Int {
    public static func integer(_ name: String, default value: String, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .integer, help, default: value, minimum: minimum, maximum: maximum), integerValue)
    }
    public static func requiredInteger(_ name: String, positional: Bool = false, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .integer, help, required: true, positional: positional, minimum: minimum, maximum: maximum), integerValue)
    }
}

extension Argument where Value == Int? {
    public static func integer(_ name: String, positional: Bool = false, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        optional(declare(name, .integer, help, positional: positional, minimum: minimum, maximum: maximum), integerValue)
    }
}

extension Argument where Value == Bool {
    /// `on` or `off`.
    public static func flag(_ name: String, default value: Bool, help: String) -> Argument {
        present(declare(name, .flag, help, default: value ? "on" : "off"), flagValue)
    }
}

extension Argument where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of an enumeration's cases, by raw value; the default is a case, so it cannot drift.
    public static func choice(_ name: String, default value: Value, positional: Bool = false, help: String) -> Argument {
        present(declare(name, .choice(Value.allCases.map(\.rawValue)), help, default: value.rawValue, positional: positional)) { bound in
            stringValue(bound).flatMap(Value.init(rawValue:))
        }
    }
    /// A choice that must be given.
    public static func requiredChoice(_ name: String, positional: Bool = false, help: String) -> Argument {
        present(declare(name, .choice(Value.allCases.map(\.rawValue)), help, required: true, positional: positional)) { bound in
            stringValue(bound).flatMap(Value.init(rawValue:))
        }
    }
}

extension Argument where Value == String {
    /// Free text with a default.
    public static func text(_ name: String, default value: String, help: String) -> Argument {
        present(declare(name, .text, help, default: value), stringValue)
    }
    /// Free text that must be given; `repeating` takes every remaining positional word.
    public static func requiredText(_ name: String, positional: Bool = false, repeating: Bool = false, help: String) -> Argument {
        present(declare(name, .text, help, required: true, positional: positional, repeating: repeating), stringValue)
    }
    /// The name of a workspace recording that must be given.
    public static func recording(_ name: String, positional: Bool = true, help: String) -> Argument {
        present(declare(name, .recording, help, required: true, positional: positional), stringValue)
    }
    /// The name of any workspace object (recording, channel or table) that must be given.
    public static func object(_ name: String, positional: Bool = true, help: String) -> Argument {
        present(declare(name, .objectName, help, required: true, positional: positional), stringValue)
    }
    /// A file path that must be given.
    public static func path(_ name: String, extensions: [String], positional: Bool = true, help: String) -> Argument {
        present(declare(name, .path(extensions: extensions), help, required: true, positional: positional), stringValue)
    }
}

extension Argument where Value == String? {
    public static func text(_ name: String, positional: Bool = false, repeating: Bool = false, help: String) -> Argument {
        optional(declare(name, .text, help, positional: positional, repeating: repeating), stringValue)
    }
    public static func recording(_ name: String, positional: Bool = false, help: String) -> Argument {
        optional(declare(name, .recording, help, positional: positional), stringValue)
    }
    public static func object(_ name: String, positional: Bool = false, help: String) -> Argument {
        optional(declare(name, .objectName, help, positional: positional), stringValue)
    }
    public static func path(_ name: String, extensions: [String], positional: Bool = false, help: String) -> Argument {
        optional(declare(name, .path(extensions: extensions), help, positional: positional), stringValue)
    }
    /// The name of a registered command.
    public static func command(_ name: String, positional: Bool = true, repeating: Bool = false, help: String) -> Argument {
        optional(declare(name, .command, help, positional: positional, repeating: repeating), stringValue)
    }
}

extension Argument where Value == [SignalRef] {
    /// A channel selection (`rec`, `rec.ES_L`, `rec.ES_*`), positional and repeating by default.
    public static func signals(_ name: String = "signals", positional: Bool = true, repeating: Bool = true, required: Bool = true, help: String) -> Argument {
        let declared = declare(name, .signals, help, required: required, positional: positional, repeating: repeating)
        return Argument(spec: declared, absent: required ? nil : []) { bound in
            if case .signals(let refs, _) = bound { return refs }
            return nil
        }
    }
}

extension Argument where Value == SensorAxes {
    /// Sensor axes along the trunk, forward and to the side.
    public static func axes(_ name: String, default value: String, help: String) -> Argument {
        present(declare(name, .axes, help, default: value)) { bound in
            if case .axes(let axes, _) = bound { return axes }
            return nil
        }
    }
}

extension Argument where Value == Level {
    /// A share of a signal's range or a value in its unit, with a default.
    public static func level(_ name: String, default value: String, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        present(declare(name, .level, help, default: value, minimum: minimum, maximum: maximum)) { bound in
            if case .level(let level, _) = bound { return level }
            return nil
        }
    }
}

extension Argument where Value == Level? {
    /// A level that may be absent.
    public static func level(_ name: String, minimum: Double? = nil, maximum: Double? = nil, help: String) -> Argument {
        optional(declare(name, .level, help, minimum: minimum, maximum: maximum)) { bound in
            if case .level(let level, _) = bound { return level }
            return nil
        }
    }
}

extension Argument where Value == [String] {
    /// Comma-separated words, `a,b,c`, that must be given.
    public static func requiredList(_ name: String, of item: ValueType = .text, help: String) -> Argument {
        present(declare(name, .list(item), help, required: true), listValue)
    }
}

extension Argument where Value == [String]? {
    /// Comma-separated words that may be absent.
    public static func list(_ name: String, of item: ValueType = .text, help: String) -> Argument {
        optional(declare(name, .list(item), help), listValue)
    }
}

private func listValue(_ value: ArgumentValue) -> [String]? {
    guard case .list(let items, _) = value else { return nil }
    return items.map(\.display)
}

extension Argument where Value == (key: String, value: String)? {
    /// A setting and its value, checked against a table of settings; absent when none is given.
    public static func setting(_ name: String, table: [SettingDefinition], help: String) -> Argument {
        optional(declare(name, .setting(table), help, positional: true, repeating: true)) { bound in
            if case .setting(let key, let value) = bound { return (key, value) }
            return nil
        }
    }
}

extension Argument {
    /// An enumeration's case that may be absent.
    public static func optionalChoice<Choice>(_ name: String, _ type: Choice.Type, help: String) -> Argument<Choice?>
    where Choice: RawRepresentable & CaseIterable, Choice.RawValue == String {
        optional(declare(name, .choice(Choice.allCases.map(\.rawValue)), help)) { stringValue($0).flatMap(Choice.init(rawValue:)) }
    }
}

extension Argument where Value == String? {
    /// One of a list of words known only at run time (presets, templates), or absent.
    public static func choice(_ name: String, choices: [String], help: String) -> Argument {
        optional(declare(name, .choice(choices), help), stringValue)
    }
}

extension Argument where Value == String {
    /// One of a list of words known only at run time, with a default.
    public static func choice(_ name: String, choices: [String], default value: String, positional: Bool = false, help: String) -> Argument {
        present(declare(name, .choice(choices), help, default: value, positional: positional), stringValue)
    }
}

extension Argument where Value == ArgumentValue? {
    /// An argument declared by its spec alone, read as the bound value itself (for specs built as
    /// data, such as tests of the spec validator; commands use the typed constructors).
    public static func untyped(_ spec: ArgumentSpec) -> Argument {
        Argument(spec: spec, absent: .some(nil), decode: { .some($0) })
    }
}
