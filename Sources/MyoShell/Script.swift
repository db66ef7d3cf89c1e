#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats

/// A failure at a line of a script: printed `FILE:LINE: message`.
public struct ScriptError: Error, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// A script's lines, with `include` expanded and `${name}` parameters substituted. Each line
/// remembers its file, so paths in it resolve relative to that file's folder.
public struct Script {
    public struct Line {
        public var file: String
        public var number: Int
        public var text: String
        /// The folder of `file`, where the line runs.
        public var folder: String

        /// A comment: `#` after any blanks.
        var isComment: Bool { text.drop { $0 == " " || $0 == "\t" }.hasPrefix("#") }
        /// Neither blank nor a comment: a command, or an answer to one that asks.
        var isCommand: Bool { !isComment && text.contains { $0 != " " && $0 != "\t" } }
    }

    public private(set) var lines: [Line] = []

    /// Reads `path` with `parameters` (`subject` -> `03`). A parameter used but not given, an
    /// unreadable file or an include cycle is a `ScriptError` naming the file and line.
    public init(path: String, parameters: [String: String], includedFrom: [String] = []) throws {
        guard let text = FileSystem.readText(path) else {
            throw ScriptError(file: includedFrom.last ?? path, line: 0, message: "\(path): cannot be read as a script (no such file, or not readable)")
        }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        // Lines end in LF, CR LF (scripts saved on Windows) or a lone CR.
        // (CR LF is one Character in Swift.)
        var raw = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.map(String.init)
        if raw.last == "" { raw.removeLast() }
        for (index, rawLine) in raw.enumerated() {
            let number = index + 1
            let trimmed = rawLine.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("#") || trimmed.isEmpty {
                lines.append(Line(file: path, number: number, text: rawLine, folder: folder))
                continue
            }
            let substituted = try Self.substitute(rawLine, parameters: parameters, file: path, line: number)
            let words = substituted.split(separator: " ", omittingEmptySubsequences: true)
            if words.first == "include" {
                guard words.count == 2 else { throw ScriptError(file: path, line: number, message: "include takes one script path (include other.myo)") }
                let target = String(words[1])
                let resolved = target.hasPrefix("/") || folder == "." ? target : folder + "/" + target
                guard !includedFrom.contains(resolved), resolved != path, includedFrom.count < 16 else {
                    throw ScriptError(file: path, line: number, message: "include \(target) would include a script inside itself")
                }
                do {
                    lines += try Script(path: resolved, parameters: parameters, includedFrom: includedFrom + [path]).lines
                } catch var error as ScriptError where error.line == 0 {
                    error.file = path
                    error.line = number
                    throw error
                }
                continue
            }
            lines.append(Line(file: path, number: number, text: substituted, folder: folder))
        }
    }

    /// `${name}` replaced by its parameter; `$$` is a literal `$`.
    static func substitute(_ text: String, parameters: [String: String], file: String, line: Int) throws -> String {
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("$") {
                result += "$"
                rest = after.dropFirst()
                continue
            }
            guard after.hasPrefix("{"), let close = after.firstIndex(of: "}") else {
                result += "$"
                rest = after
                continue
            }
            let name = String(after[after.index(after: after.startIndex)..<close])
            guard let value = parameters[name] else {
                let given = parameters.keys.sorted()
                throw ScriptError(file: file, line: line, message: "${\(name)} is not defined; give it as \(name)=VALUE after the script's name\(given.isEmpty ? "" : " (given: \(given.joined(separator: ", ")))")")
            }
            result += value
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }

    /// `subject=03` words as parameters; anything else is an error sentence.
    public static func parameters(_ words: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for word in words {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw MyoError.invalidValue(argument: "parameter", value: word, expected: "NAME=VALUE, as in subject=03")
            }
            result[String(word[..<equals])] = String(word[word.index(after: equals)...])
        }
        return result
    }
}

extension Session {
    /// Runs a script's lines in this session, each in its own file's folder (so relative paths
    /// in a script mean the script's folder); the working folder is restored afterwards. The
    /// first failure stops the script and is thrown as `FILE:LINE: message`.
    /// `narrate` sees each comment line in order (the step mode shows a teacher's narration).
    public func run(_ script: Script, beforeEach: ((Script.Line, Int, Int) -> Bool)? = nil, narrate: ((Script.Line) -> Void)? = nil) throws {
        var original = [CChar](repeating: 0, count: 4096)
        let saved = getcwd(&original, original.count) != nil ? String(cString: original) : nil
        defer { if let saved { _ = chdir(saved) } }
        let commands = script.lines.filter(\.isCommand)
        var position = 0
        var index = 0
        // A command that asks (review) reads its answers from the script's next lines that are not
        // comments or blank; those lines are then not run as commands.
        let previousAnswers = answerSource
        answerSource = {
            while index < script.lines.count {
                let line = script.lines[index]
                index += 1
                if line.isCommand { return line.text }
            }
            return nil
        }
        defer { answerSource = previousAnswers }
        while index < script.lines.count {
            let line = script.lines[index]
            index += 1
            if quitRequested { break }
            if line.isComment { narrate?(line) }
            guard line.isCommand else { continue }
            position += 1
            if let beforeEach, !beforeEach(line, position, commands.count) { break }
            if let saved { _ = chdir(saved) }
            guard chdir(line.folder) == 0 else { throw ScriptError(file: line.file, line: line.number, message: "cannot enter the script's folder \(line.folder)") }
            do {
                // An interrupt between two commands stops the script too (a command clears the flag as it starts).
                try Cancellation.check()
                try execute(line.text)
            } catch let error as ScriptError {
                throw error
            } catch {
                throw ScriptError(file: line.file, line: line.number, message: "\(error)")
            }
        }
    }
}
