#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats
import MyoPluginAPI

/// Tab completion driven by the command specs: command names and aliases, option names,
/// choices, recording names, channel names after `rec.`, setting names and file paths.
public struct Completer {
    public let session: Session

    public init(session: Session) { self.session = session }

    /// Candidates for the word being typed, given the line up to the cursor.
    public func candidates(lineBeforeCursor: String) -> [String] {
        let segment = lineBeforeCursor.split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let words = segment.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let endsWithSpace = segment.last == " " || segment.isEmpty
        let current = endsWithSpace ? "" : (words.last ?? "")
        let typed = endsWithSpace ? words : Array(words.dropLast())
        guard typed.first != nil else {
            return session.registry.namesAndAliases.filter { !$0.contains(" ") && $0.hasPrefix(current) }
        }
        guard let spec = session.registry.resolve(typed)?.spec else { return [] }
        let subcommands = typed.count == 1 ? session.registry.subcommands(of: typed[0]).filter { $0.hasPrefix(current) } : []
        // Words after the command's name, behind the name itself (one word for all commands).
        let previous = Array(typed.dropFirst(spec.nameWordCount - 1))
        if previous.last == "to", let destination = spec.destination {
            return files(matching: current, extensions: destination.extensions)
        }
        if previous.last == "as", spec.acceptsOutputName { return [] }
        // A setting and its value take every positional word: complete from the settings table.
        if case .setting(let table)? = spec.positionals.first?.type {
            let typedWords = Array(previous.dropFirst())
            if typedWords.isEmpty { return Array(Set(table.map { String($0.key.split(separator: " ")[0]) })).sorted().filter { $0.hasPrefix(current) } }
            let typedKey = typedWords.joined(separator: " ")
            if let definition = table.first(where: { $0.key == typedKey }) { return definition.choices.filter { $0.hasPrefix(current) } }
            return table.compactMap { $0.key.hasPrefix(typedKey + " ") ? String($0.key.dropFirst(typedKey.count + 1)) : nil }.filter { $0.hasPrefix(current) }
        }
        // key=value: complete the value of a known option.
        if let equals = current.firstIndex(of: "=") {
            let key = String(current[..<equals])
            let partial = String(current[current.index(after: equals)...])
            guard let argument = spec.argument(named: key) else { return [] }
            return values(for: argument, partial: partial).map { "\(key)=\($0)" }
        }
        // A positional slot, or an option name.
        let positionalsSoFar = previous.dropFirst().filter { !$0.contains("=") && $0 != "to" && $0 != "as" }.count
        var result: [String] = []
        let positionals = spec.positionals
        if let slot = positionals.indices.contains(positionalsSoFar) ? positionals[positionalsSoFar] : positionals.last(where: \.isRepeating) {
            result += values(for: slot, partial: current)
        }
        let given = Set(previous.compactMap { $0.split(separator: "=").first.map(String.init) })
        result += spec.options.filter { !given.contains($0.name) }.map { $0.name + "=" }.filter { $0.hasPrefix(current) }
        if spec.destination != nil, "to".hasPrefix(current), !current.isEmpty { result.append("to") }
        if spec.acceptsOutputName, "as".hasPrefix(current), !current.isEmpty { result.append("as") }
        return subcommands + result
    }

    func values(for argument: ArgumentSpec, partial: String) -> [String] {
        switch argument.type {
        case .choice(let choices): return choices.filter { $0.hasPrefix(partial) }
        case .flag: return ["on", "off"].filter { $0.hasPrefix(partial) }
        case .recording: return session.workspace.recordingNames.filter { $0.hasPrefix(partial) }
        case .objectName, .signals:
            if let dot = partial.firstIndex(of: ".") {
                let name = String(partial[..<dot])
                guard let recording = session.workspace.recordings[name] else { return [] }
                return recording.channels.map { "\(name).\($0.name)" }.filter { $0.hasPrefix(partial) }
            }
            let names = argument.type == .signals ? session.workspace.recordingNames : session.workspace.names
            return names.filter { $0.hasPrefix(partial) }
        case .path(let extensions): return files(matching: partial, extensions: extensions)
        case .command: return session.registry.namesAndAliases.filter { $0.hasPrefix(partial) }
        case .wordOrQuantity(let words, let dimension):
            // Off-or and auto-or frequencies are mains frequencies: offer the two there are.
            let examples = dimension == .frequency ? ["50Hz", "60Hz"] : [dimension.example]
            return (words + examples).filter { $0.hasPrefix(partial) }
        case .axes: return ["+X+Z+Y", "+Z+X+Y", "-X+Z+Y", "+Y+Z+X"].filter { $0.hasPrefix(partial) }
        default: return []
        }
    }

    /// Folders (with a trailing `/`) and files with one of `extensions` (any file when empty).
    func files(matching partial: String, extensions: [String]) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let folder = slash.map { String(partial[...$0]) } ?? ""
        let prefix = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        var found: [String] = []
        for name in FileSystem.entries(of: folder.isEmpty ? "." : folder) {
            guard name.hasPrefix(prefix), !name.hasPrefix(".") || prefix.hasPrefix(".") else { continue }
            if FileSystem.isFolder(folder + name) {
                found.append(folder + name + "/")
            } else if extensions.isEmpty || extensions.contains(where: { name.lowercased().hasSuffix("." + $0) }) {
                found.append(folder + name)
            }
        }
        return found.sorted()
    }
}
