#if canImport(Glibc)
import Glibc
#endif
import MyoFormats
import MyoPluginAPI

/// Rewrites the file paths of a command line typed in one folder so that it runs from a script
/// saved in another: a script's paths are relative to its own folder (`run`, `--check`), a typed
/// line's to the working folder. Used by `history save` and `record`.
public enum ScriptPaths {
    /// `line` with each relative path rebased from `workingFolder` to `scriptFolder` (both
    /// absolute). A path is a value of a path argument, the word after `to`, or any other word
    /// with a `/` that names existing files from the working folder (such as compare's sources).
    /// Lines that do not parse, or hold no relative path, come back unchanged.
    static func rebase(_ line: String, from workingFolder: String, to scriptFolder: String, registry: CommandRegistry) -> String {
        guard workingFolder != scriptFolder, let commands = try? Tokenizer.commands(in: line) else { return line }
        var changed = false
        var rebuilt: [String] = []
        for tokens in commands {
            guard let command = registry.resolve(tokens.map(\.text)) else { rebuilt.append(tokens.map(quoted).joined(separator: " ")); continue }
            let spec = command.spec
            let positional = spec.arguments.filter(\.isPositional)
            var words = tokens.map(quoted)
            var index = spec.nameWordCount, position = 0
            func rebaseWord(_ i: Int, _ text: String, prefix: String = "") {
                let moved = relocate(text, from: workingFolder, to: scriptFolder)
                if moved != text { words[i] = quoted(Token(prefix + moved)); changed = true }
            }
            while index < tokens.count {
                let token = tokens[index]
                if !token.quoted, token.text == "as", spec.acceptsOutputName { index += 2; continue }
                if !token.quoted, token.text == "to", spec.destination != nil, index + 1 < tokens.count {
                    rebaseWord(index + 1, tokens[index + 1].text)
                    index += 2
                    continue
                }
                if !token.quoted, let equals = token.text.firstIndex(of: "="), equals != token.text.startIndex {
                    let key = String(token.text[..<equals]), value = String(token.text[token.text.index(after: equals)...])
                    let argument = spec.arguments.first { $0.name == key && !$0.isPositional }
                    if isPathType(argument?.type) || namesFiles(value, in: workingFolder) { rebaseWord(index, value, prefix: key + "=") }
                } else {
                    let argument = position < positional.count ? positional[position] : (positional.last?.isRepeating == true ? positional.last : nil)
                    if isPathType(argument?.type) || namesFiles(token.text, in: workingFolder) { rebaseWord(index, token.text) }
                    position += 1
                }
                index += 1
            }
            rebuilt.append(words.joined(separator: " "))
        }
        return changed ? rebuilt.joined(separator: "; ") : line
    }

    static func isPathType(_ type: ValueType?) -> Bool {
        if case .path? = type { return true }
        return false
    }

    /// A word with a `/` that names an existing file or matches files, seen from `folder`.
    static func namesFiles(_ word: String, in folder: String) -> Bool {
        guard word.contains("/"), !word.hasPrefix("/") else { return false }
        let full = folder + "/" + word
        if FileSystem.exists(full) { return true }
        return word.contains(where: { "*?[".contains($0) }) && !FileSystem.glob(full).isEmpty
    }

    /// A relative path from `from` made relative to `to`; absolute paths stay.
    public static func relocate(_ path: String, from: String, to: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("~"), path != ":memory:" else { return path }
        let target = normalise(from + "/" + path), base = normalise(to)
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let parts = Array(repeating: "..", count: base.count - common) + target[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// Components of an absolute path with `.` and `..` resolved.
    static func normalise(_ path: String) -> [String] {
        var parts: [String] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == "..", !parts.isEmpty { parts.removeLast(); continue }
            parts.append(String(part))
        }
        return parts
    }

    /// A word as it must be typed again: quoted when it holds a space, `;`, `#` or a quote (for
    /// `key=value`, only the value, so it stays an option).
    static func quoted(_ token: Token) -> String {
        func needsQuotes(_ text: String) -> Bool { text.isEmpty || text.contains { " \t;#\"'\\".contains($0) } }
        func quote(_ text: String) -> String { "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\"" }
        if !token.quoted, let equals = token.text.firstIndex(of: "="), equals != token.text.startIndex {
            let value = String(token.text[token.text.index(after: equals)...])
            return needsQuotes(value) ? String(token.text[...equals]) + quote(value) : token.text
        }
        return needsQuotes(token.text) || token.quoted ? quote(token.text) : token.text
    }

    /// The working folder, absolute.
    static func workingFolder() -> String { FileSystem.workingFolder() ?? "." }

    /// The absolute folder a script at `path` lives in.
    static func folder(ofScript path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : workingFolder() + "/" + path
        return "/" + normalise(absolute).dropLast().joined(separator: "/")
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
