import MyoCore

/// Everything about a command, as data. Help, usage, completion, validation, suggestions and
/// `commands --json` are all generated from it.
public struct CommandSpec: Sendable {
    public var name: String
    public var aliases: [String]
    public var abstract: String
    public var discussion: String
    public var arguments: [ArgumentSpec]
    /// Rules between arguments that the binder checks (`from` before `to`, one band at most).
    public var constraints: [ArgumentConstraint]
    /// The command grades channel quality itself: the shell neither refuses nor warns about
    /// channels graded bad when they are its input.
    public var gradesQuality: Bool
    /// Columns of the command's tables that `keep` stores as measures followed over sessions.
    public var measures: [MeasureSpec]
    /// Accepts `as NAME` to name the object it keeps in the workspace.
    public var acceptsOutputName: Bool
    /// Accepts `to PATH`.
    public var destination: DestinationSpec?
    public var examples: [String]
    public var references: [String]
    /// Whether the command reads file-backed channels (`Channel.isFileBacked`) block by block
    /// itself; for other commands the shell reads them into memory first, within the budget.
    public var streams: Bool
    /// NAME=VALUE words that are not options of the command are passed on as text in the
    /// argument named `parameters` (script parameters for `run`).
    public var passesParameters: Bool { arguments.contains { $0.name == "parameters" && $0.isRepeating } }

    public init(name: String, aliases: [String] = [], abstract: String, discussion: String = "", arguments: [any ArgumentDeclaration] = [],
                constraints: [ArgumentConstraint] = [], gradesQuality: Bool = false, measures: [MeasureSpec] = [],
                acceptsOutputName: Bool = false, destination: DestinationSpec? = nil, examples: [String] = [], references: [String] = [],
                streams: Bool = false) {
        self.name = name
        self.aliases = aliases
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments.map(\.spec)
        self.constraints = constraints
        self.gradesQuality = gradesQuality
        self.measures = measures
        self.acceptsOutputName = acceptsOutputName
        self.destination = destination
        self.examples = examples
        self.references = references
        self.streams = streams
    }

    public var positionals: [ArgumentSpec] { arguments.filter(\.isPositional) }
    public var options: [ArgumentSpec] { arguments.filter { !$0.isPositional } }

    public func argument(named name: String) -> ArgumentSpec? { arguments.first { $0.name == name } }

    /// How many words the name takes on a command line: 1, or 2 for a subcommand (`onsets adjust`).
    public var nameWordCount: Int { name.split(separator: " ").count }

    /// `stats SIGNALS... [from=<time>] [to=<time>] [as NAME]`
    public var usage: String {
        var parts = [name] + positionals.map(\.usage) + options.map(\.usage)
        if let destination { parts.append(destination.isRequired ? "to PATH" : "[to PATH]") }
        if acceptsOutputName { parts.append("[as NAME]") }
        return parts.joined(separator: " ")
    }

    /// Problems that make the spec unusable: duplicate names, a default that does not parse or
    /// lies outside the limits, a repeating positional that is not last. Empty when valid.
    public func problems() -> [String] {
        var found: [String] = []
        var seen = Set<String>()
        let words = name.split(separator: " ", omittingEmptySubsequences: false)
        if words.count > 2 || words.contains(where: { $0.isEmpty || $0.contains("=") }) {
            found.append("command name '\(name)' is not one word, or a word and its subcommand")
        }
        for argument in arguments {
            if !seen.insert(argument.name).inserted { found.append("\(name): argument '\(argument.name)' is declared twice") }
            if let text = argument.defaultValue {
                if argument.isRequired { found.append("\(name): required argument '\(argument.name)' has a default") }
                do { _ = try ValueParser.parse(text, for: argument) } catch {
                    found.append("\(name): default of '\(argument.name)' is invalid: \(error)")
                }
            }
            if case .choice(let choices) = argument.type, choices.isEmpty { found.append("\(name): '\(argument.name)' has no choices") }
        }
        for constraint in constraints {
            for named in constraint.names where argument(named: named) == nil {
                found.append("\(name): a constraint names '\(named)', which is no argument")
            }
            if case .ordered(let first, let second) = constraint,
               let a = argument(named: first), let b = argument(named: second), a.type != b.type {
                found.append("\(name): '\(first)' and '\(second)' are ordered but of different types")
            }
        }
        if let index = positionals.firstIndex(where: \.isRepeating), index != positionals.count - 1 {
            found.append("\(name): only the last positional argument may repeat")
        }
        return found
    }
}

/// A rule between arguments of one command, checked once they are bound.
public enum ArgumentConstraint: Sendable, Equatable {
    /// When both have values, the first lies before the second (`from` before `to`).
    case ordered(String, String)
    /// At most one of these is given on the command line.
    case exclusive([String])

    public var names: [String] {
        switch self {
        case .ordered(let a, let b): return [a, b]
        case .exclusive(let names): return names
        }
    }

    /// The rule in words, for help.
    public var description: String {
        switch self {
        case .ordered(let a, let b): return "\(a)= lies before \(b)="
        case .exclusive(let names): return "at most one of " + names.map { $0 + "=" }.joined(separator: ", ")
        }
    }
}
