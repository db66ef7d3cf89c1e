import MyoCore
import MyoPluginAPI

/// A command's words sorted into positionals, `key=value` options, `to PATH` and `as NAME`.
public struct ParsedCommand: Equatable {
    public var name: String
    public var positionals: [String] = []
    public var options: [(key: String, value: String)] = []
    public var destination: String?
    public var outputName: String?

    public static func == (lhs: ParsedCommand, rhs: ParsedCommand) -> Bool {
        lhs.name == rhs.name && lhs.positionals == rhs.positionals && lhs.destination == rhs.destination
            && lhs.outputName == rhs.outputName && lhs.options.map { "\($0.key)=\($0.value)" } == rhs.options.map { "\($0.key)=\($0.value)" }
    }

    /// Sorts `tokens` (the first is the command name) by the rules of `spec`: `as` and `to` are
    /// keywords only for commands that accept them; `--flag` means `flag=on`.
    public init(tokens: [Token], spec: CommandSpec) throws {
        name = spec.name
        var index = spec.nameWordCount
        while index < tokens.count {
            let token = tokens[index]
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            if !token.quoted, token.text == "as", spec.acceptsOutputName {
                guard let next else { throw MyoError.syntax("\(name): 'as' must be followed by a name") }
                guard Workspace.isValidName(next.text) else {
                    throw MyoError.invalidValue(argument: "as", value: next.text, expected: "a name of letters, digits, '_' or '-', starting with a letter")
                }
                outputName = next.text
                index += 2
                continue
            }
            if !token.quoted, token.text == "to", spec.destination != nil {
                guard let next else { throw MyoError.syntax("\(name): 'to' must be followed by a file path") }
                destination = next.text
                index += 2
                continue
            }
            if !token.quoted, token.text.hasPrefix("--"), token.text.count > 2 {
                options.append((String(token.text.dropFirst(2)), "on"))
            } else if !token.quoted, let equals = token.text.firstIndex(of: "="), equals != token.text.startIndex,
                      token.text[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                options.append((String(token.text[..<equals]), String(token.text[token.text.index(after: equals)...])))
            } else {
                positionals.append(token.text)
            }
            index += 1
        }
    }
}
