import MyoCore
import MyoPluginAPI

/// Turns a parsed command into validated values for its spec: assigns positionals, parses
/// options, resolves selections and names against the workspace, and fills in defaults.
public enum ArgumentBinder {
    public static func bind(_ parsed: ParsedCommand, spec: CommandSpec, workspace: Workspace) throws -> [String: ArgumentValue] {
        var values: [String: ArgumentValue] = [:]
        var remaining = parsed.positionals[...]
        for argument in spec.positionals {
            if argument.isRepeating {
                guard !remaining.isEmpty else { continue }
                values[argument.name] = try value(Array(remaining), argument, workspace: workspace)
                remaining = []
            } else if let word = remaining.popFirst() {
                values[argument.name] = try value([word], argument, workspace: workspace)
            }
        }
        // The keyword form of an option, `over PATTERN` for `over=PATTERN` (as people write
        // `batch a.myo over 'study/*.edf'`): a left-over word naming an option, then its value.
        while let extra = remaining.first {
            guard remaining.count >= 2, let argument = spec.argument(named: extra), !argument.isPositional,
                  values[extra] == nil, !parsed.options.contains(where: { $0.key == extra }) else {
                throw MyoError.tooManyArguments(command: spec.name, extra: extra, usage: spec.usage)
            }
            remaining.removeFirst()
            values[extra] = try value([remaining.removeFirst()], argument, workspace: workspace)
        }
        var parameters: [String] = []
        for (key, text) in parsed.options {
            if spec.passesParameters, spec.argument(named: key) == nil {
                parameters.append("\(key)=\(text)")
                continue
            }
            guard let argument = spec.argument(named: key), !argument.isPositional else {
                throw MyoError.unknownArgument(command: spec.name, name: key, suggestion: Suggestion.closest(to: key, in: spec.options.map(\.name)))
            }
            guard values[key] == nil else { throw MyoError.syntax("\(spec.name): \(key)= is given twice") }
            values[key] = try value([text], argument, workspace: workspace)
        }
        if !parameters.isEmpty {
            let earlier: String = { if case .text(let t)? = values["parameters"] { return t + " " } else { return "" } }()
            values["parameters"] = .text(earlier + parameters.joined(separator: " "))
        }
        for case .exclusive(let names) in spec.constraints {
            let given = names.filter { values[$0] != nil }
            if given.count > 1 {
                throw MyoError.invalidValue(argument: given[1], value: values[given[1]]?.display ?? "", expected: "at most one of \(names.map { $0 + "=" }.joined(separator: ", ")) (\(given[0])= is given too)")
            }
        }
        for argument in spec.arguments where values[argument.name] == nil {
            if let text = argument.defaultValue {
                values[argument.name] = try ValueParser.parse(text, for: argument)
            } else if argument.isRequired {
                throw MyoError.missingArgument(command: spec.name, name: argument.isPositional ? argument.name.uppercased() : "\(argument.name)=", usage: spec.usage)
            }
        }
        for case .ordered(let first, let second) in spec.constraints {
            guard let a = values[first], let b = values[second], let low = orderedValue(a), let high = orderedValue(b) else { continue }
            if low >= high {
                let dimension = spec.argument(named: second)?.type.dimension
                func shown(_ value: Double, _ bound: ArgumentValue) -> String { dimension.map { NumberFormat.quantity(value, $0.canonicalSymbol) } ?? bound.display }
                throw MyoError.invalidValue(argument: second, value: shown(high, b), expected: "a \(dimension?.rawValue ?? "value") after \(first)=\(shown(low, a))")
            }
        }
        if let destination = spec.destination {
            if destination.isRequired, parsed.destination == nil {
                throw MyoError.missingArgument(command: spec.name, name: "'to PATH'", usage: spec.usage)
            }
            let lastComponent = parsed.destination.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? ""
            if let path = parsed.destination, !destination.extensions.isEmpty,
               !destination.extensions.contains(where: { path.lowercased().hasSuffix("." + $0) }),
               !(destination.acceptsFolder && !lastComponent.contains(".")) {
                throw MyoError.invalidValue(argument: "to", value: path, expected: "a file ending in " + destination.extensions.map { "." + $0 }.joined(separator: ", ")
                                            + (destination.acceptsFolder ? ", or a folder" : ""))
            }
        }
        return values
    }

    /// The number an ordered constraint compares.
    private static func orderedValue(_ value: ArgumentValue) -> Double? {
        switch value {
        case .quantity(let v, _), .number(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }

    private static func value(_ words: [String], _ argument: ArgumentSpec, workspace: Workspace) throws -> ArgumentValue {
        switch argument.type {
        case .signals:
            var refs: [SignalRef] = []
            for word in words { refs += try ChannelSelection.resolve(word, in: workspace) }
            return .signals(refs, text: words.joined(separator: " "))
        case .recording:
            _ = try workspace.recording(named: words[0])
            return .name(words[0])
        case .objectName:
            let name = words[0].split(separator: ".", maxSplits: 1).first.map(String.init) ?? words[0]
            guard workspace.contains(name) else {
                throw MyoError.unknownName(kind: "object", name: name, suggestion: Suggestion.closest(to: name, in: workspace.names))
            }
            return .name(words[0])
        default:
            return try ValueParser.parse(words.joined(separator: " "), for: argument)
        }
    }
}
