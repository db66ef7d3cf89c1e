import MyoCore

/// One word of a command line.
public struct Token: Equatable, Sendable {
    public var text: String
    /// True when the word began with a quote: a quoted `as` or `to` is an ordinary word, and a
    /// quoted `"a=b"` is not an option (while `title="a b"` is).
    public var quoted: Bool
    public init(_ text: String, quoted: Bool = false) {
        self.text = text
        self.quoted = quoted
    }
}

/// Splits a line into commands (`;`) and words (spaces), honouring quotes and `#` comments.
///
/// Grammar: `command positional key=value ... [to PATH] [as NAME]`, commands separated by `;`,
/// `#` starts a comment outside quotes, `"..."` and `'...'` quote (a backslash escapes `"` and `\`
/// inside double quotes only).
public enum Tokenizer {
    public static func commands(in line: String) throws -> [[Token]] {
        var commands: [[Token]] = []
        var words: [Token] = []
        var current = ""
        var inWord = false
        var quoted = false
        var quote: Character?
        var iterator = Array(line).makeIterator()
        var pendingEscape = false

        func finishWord() {
            if inWord { words.append(Token(current, quoted: quoted)) }
            current = ""; inWord = false; quoted = false
        }
        func finishCommand() {
            finishWord()
            if !words.isEmpty { commands.append(words) }
            words = []
        }

        while let character = iterator.next() {
            if let open = quote {
                if pendingEscape {
                    current.append(character); pendingEscape = false
                } else if open == "\"" && character == "\\" {
                    pendingEscape = true
                } else if character == open {
                    quote = nil
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\"", "'":
                if !inWord { quoted = true }
                quote = character; inWord = true
            case " ", "\t", "\r", "\n":
                finishWord()
            case ";":
                finishCommand()
            case "#" where !inWord:
                finishCommand()
                return commands
            default:
                current.append(character); inWord = true
            }
        }
        if let open = quote { throw MyoError.syntax("unterminated \(open == "\"" ? "double" : "single") quote: expected a closing \(open)") }
        finishCommand()
        return commands
    }
}
