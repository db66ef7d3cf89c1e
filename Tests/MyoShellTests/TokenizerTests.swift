import MyoCore
import MyoPluginAPI
import MyoShell
import Testing

@Suite struct TokenizerTests {
    static let cases: [(String, [[String]])] = [
        ("load a.csv as bridge", [["load", "a.csv", "as", "bridge"]]),
        ("  stats   rec.ES_L  ", [["stats", "rec.ES_L"]]),
        ("ls; info bridge", [["ls"], ["info", "bridge"]]),
        ("stats bridge.GM_* # the glutes", [["stats", "bridge.GM_*"]]),
        ("# only a comment", []),
        ("load \"my file.csv\" as x", [["load", "my file.csv", "as", "x"]]),
        ("load 'it''s.csv'", [["load", "its.csv"]]),
        ("echo \"a \\\"q\\\" b\"", [["echo", "a \"q\" b"]]),
        ("plot x title=\"a b\"", [["plot", "x", "title=a b"]]),
        ("a;;b", [["a"], ["b"]]),
        ("stats x#y", [["stats", "x#y"]]),
        ("", []),
    ]

    @Test(arguments: cases)
    func splitsWords(_ line: String, _ expected: [[String]]) throws {
        let commands = try Tokenizer.commands(in: line)
        #expect(commands.map { $0.map(\.text) } == expected)
    }

    @Test func unterminatedQuoteIsAnError() {
        #expect(throws: MyoError.syntax("unterminated double quote: expected a closing \"")) { try Tokenizer.commands(in: "load \"abc") }
        #expect(throws: MyoError.syntax("unterminated single quote: expected a closing '")) { try Tokenizer.commands(in: "load 'abc") }
    }

    @Test func quotedKeywordsAreWords() throws {
        let spec = CommandSpec(name: "load", abstract: "x", arguments: [Argument.untyped(ArgumentSpec("path", positional: true, type: .text, help: "p", repeating: true))], acceptsOutputName: true)
        let tokens = try Tokenizer.commands(in: "load \"as\" b as c")[0]
        let parsed = try ParsedCommand(tokens: tokens, spec: spec)
        #expect(parsed.positionals == ["as", "b"])
        #expect(parsed.outputName == "c")
    }

    @Test func optionsDestinationAndFlags() throws {
        let spec = CommandSpec(name: "plot", abstract: "x", destination: DestinationSpec(extensions: ["png"], required: false, help: "f"))
        let parsed = try ParsedCommand(tokens: try Tokenizer.commands(in: "plot r.A from=1s to=2s to out.png --json")[0], spec: spec)
        #expect(parsed.positionals == ["r.A"])
        #expect(parsed.options.map { "\($0.key)=\($0.value)" } == ["from=1s", "to=2s", "json=on"])
        #expect(parsed.destination == "out.png")
    }

    @Test func asNeedsAValidName() throws {
        let spec = CommandSpec(name: "stats", abstract: "x", acceptsOutputName: true)
        #expect(throws: MyoError.syntax("stats: 'as' must be followed by a name")) {
            try ParsedCommand(tokens: try Tokenizer.commands(in: "stats as")[0], spec: spec)
        }
        #expect(throws: MyoError.invalidValue(argument: "as", value: "1x", expected: "a name of letters, digits, '_' or '-', starting with a letter")) {
            try ParsedCommand(tokens: try Tokenizer.commands(in: "stats as 1x")[0], spec: spec)
        }
    }
}
