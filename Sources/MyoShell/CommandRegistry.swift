import MyoCore
import MyoPluginAPI

/// A registered command with where it comes from (for `plugins`, help and provenance).
public struct RegisteredCommand {
    public var command: PluginCommand
    /// `myoshell <version>` for built-ins, `<plugin id> <plugin version>` for plugins.
    public var origin: String
    public var spec: CommandSpec { command.spec }
}

/// Every command the shell knows, by name and alias. Specs are validated on registration.
public final class CommandRegistry {
    public private(set) var commands: [String: RegisteredCommand] = [:]
    private var aliases: [String: String] = [:]

    public init() {}

    /// Registers `command`; throws (registering nothing) when its spec is malformed or its name
    /// or an alias is taken.
    public func register(_ command: PluginCommand, origin: String) throws {
        let spec = command.spec
        let problems = spec.problems()
        guard problems.isEmpty else { throw MyoError.other("invalid command spec: " + problems.joined(separator: "; ")) }
        for name in [spec.name] + spec.aliases where lookup(name) != nil {
            throw MyoError.other("command '\(name)' is already defined by \(lookup(name)!.origin)")
        }
        commands[spec.name] = RegisteredCommand(command: command, origin: origin)
        for alias in spec.aliases { aliases[alias] = spec.name }
    }

    public func lookup(_ name: String) -> RegisteredCommand? {
        commands[name] ?? aliases[name].flatMap { commands[$0] }
    }

    /// The command a line's words call: a two-word subcommand (`onsets adjust`) when one is
    /// registered, else the first word's command.
    public func resolve(_ words: [String]) -> RegisteredCommand? {
        if words.count >= 2, let sub = commands[words[0] + " " + words[1]] { return sub }
        return words.first.flatMap(lookup)
    }

    /// Subcommand words registered under `name` (`adjust` for `onsets adjust`), sorted.
    public func subcommands(of name: String) -> [String] {
        names.compactMap { $0.hasPrefix(name + " ") ? String($0.dropFirst(name.count + 1)) : nil }
    }

    /// Command names, sorted.
    public var names: [String] { commands.keys.sorted() }
    public var namesAndAliases: [String] { (Array(commands.keys) + Array(aliases.keys)).sorted() }

    public func unknownCommandError(_ name: String) -> MyoError {
        .unknownCommand(name: name, suggestion: Suggestion.closest(to: name, in: namesAndAliases))
    }
}
