import MyoCore
import MyoFormats
import MyoPluginAPI

/// Help screens and the JSON dump of commands, generated from the specs alone.
public enum HelpFormatter {
    /// `help`: every command with its one-line abstract, grouped by origin.
    public static func overview(_ registry: CommandRegistry) -> String {
        let width = (registry.names.map(\.count).max() ?? 0) + 2
        var lines = ["Commands (help COMMAND for details):"]
        for name in registry.names {
            let spec = registry.commands[name]!.spec
            lines.append("  " + name.padding(width) + spec.abstract)
        }
        lines.append("Values carry units (250ms, 20Hz, 50%); select channels as rec, rec.ES_L, rec.{ES_L,ES_R} or rec.ES_*.")
        return lines.joined(separator: "\n")
    }

    /// `help COMMAND`: usage, description, each argument with type, unit, default, limits and
    /// choices, examples and references.
    public static func detail(_ command: RegisteredCommand) -> String {
        let spec = command.spec
        var lines = ["\(spec.name): \(spec.abstract)", "", "usage: \(spec.usage)"]
        if !spec.aliases.isEmpty { lines.append("aliases: " + spec.aliases.joined(separator: ", ")) }
        lines.append("from: \(command.origin)")
        if !spec.discussion.isEmpty { lines += ["", spec.discussion] }
        if !spec.arguments.isEmpty || spec.destination != nil || spec.acceptsOutputName {
            lines += ["", "arguments:"]
            for argument in spec.arguments {
                let label = argument.isPositional ? argument.name.uppercased() : "\(argument.name)="
                lines.append("  \(label.padding(14)) \(argument.help)")
                var facts = ["type: \(argument.type.placeholder)"]
                if let dimension = argument.type.dimension { facts.append("unit: \(UnitDefinition.symbols(of: dimension).joined(separator: ", "))") }
                if let value = argument.defaultValue { facts.append("default: \(value)") } else if argument.isRequired { facts.append("required") }
                if let minimum = argument.minimum { facts.append("min: \(NumberFormat.quantity(minimum, argument.canonicalUnit))") }
                if let maximum = argument.maximum { facts.append("max: \(NumberFormat.quantity(maximum, argument.canonicalUnit))") }
                lines.append("  " + "".padding(14) + " " + facts.joined(separator: "; "))
            }
            for constraint in spec.constraints { lines.append("  " + "".padding(14) + " rule: " + constraint.description) }
            if let destination = spec.destination {
                lines.append("  \("to PATH".padding(14)) \(destination.help) (\(destination.extensions.map { "." + $0 }.joined(separator: ", ")))")
            }
            if spec.acceptsOutputName {
                lines.append("  \("as NAME".padding(14)) name for the result in the workspace (default: \(spec.name)N)")
            }
        }
        if !spec.measures.isEmpty {
            lines += ["", "measures (keep TABLE subject=ID date=DAY stores them):"]
            for measure in spec.measures {
                let rows = measure.rowKeys.isEmpty ? "" : "per " + measure.rowKeys.joined(separator: " and ") + "; "
                lines.append("  \(measure.column.padding(14)) \(measure.summary) (\(rows)better: \(measure.better.rawValue))")
            }
        }
        if !spec.examples.isEmpty { lines += ["", "examples:"] + spec.examples.map { "  myo> " + $0 } }
        if !spec.references.isEmpty { lines += ["", "references:"] + spec.references.map { "  " + $0 } }
        return lines.joined(separator: "\n")
    }

    /// `commands --json`: every spec as one JSON document, commands sorted by name.
    public static func json(_ registry: CommandRegistry) -> String {
        let commands = registry.names.map { name -> JSONValue in
            let registered = registry.commands[name]!
            let spec = registered.spec
            return .object([
                ("name", .string(spec.name)),
                ("aliases", .array(spec.aliases.map(JSONValue.string))),
                ("origin", .string(registered.origin)),
                ("abstract", .string(spec.abstract)),
                ("usage", .string(spec.usage)),
                ("discussion", .string(spec.discussion)),
                ("arguments", .array(spec.arguments.map(argumentJSON))),
                ("rules", .array(spec.constraints.map { .string($0.description) })),
                ("measures", .array(spec.measures.map { .object([("column", .string($0.column)), ("row_keys", .array($0.rowKeys.map(JSONValue.string))),
                                                                  ("better", .string($0.better.rawValue)), ("summary", .string($0.summary))]) })),
                ("destination", spec.destination.map { .object([("extensions", .array($0.extensions.map(JSONValue.string))), ("required", .bool($0.isRequired))]) } ?? .null),
                ("accepts_output_name", .bool(spec.acceptsOutputName)),
                ("examples", .array(spec.examples.map(JSONValue.string))),
                ("references", .array(spec.references.map(JSONValue.string))),
            ])
        }
        return JSONValue.object([("commands", .array(commands))]).serialized()
    }

    static func argumentJSON(_ argument: ArgumentSpec) -> JSONValue {
        var choices: [String] = []
        if case .choice(let list) = argument.type { choices = list }
        if case .wordOrQuantity(let words, _) = argument.type { choices = words }
        return .object([
            ("name", .string(argument.name)),
            ("positional", .bool(argument.isPositional)),
            ("type", .string(argument.type.placeholder)),
            ("unit", .string(argument.canonicalUnit)),
            ("default", argument.defaultValue.map(JSONValue.string) ?? .null),
            ("required", .bool(argument.isRequired)),
            ("repeating", .bool(argument.isRepeating)),
            ("minimum", argument.minimum.map(JSONValue.number) ?? .null),
            ("maximum", argument.maximum.map(JSONValue.number) ?? .null),
            ("choices", .array(choices.map(JSONValue.string))),
            ("help", .string(argument.help)),
        ])
    }
}

extension String {
    /// Left-aligned in a field of `width` characters.
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadding(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
