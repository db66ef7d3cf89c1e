import MyoCore
import MyoFormats
import MyoPluginAPI

extension Builtins {
    /// `why NAME`: how a recording or table was made.
    static func whyCommand(_ session: Session) -> PluginCommand {
        PluginCommand(spec: CommandSpec(
            name: "why", abstract: "Explain how a recording or table was made: input file and its SHA-256, every step with its parameters and origin",
            discussion: """
            Prints the MyoShell version, the input file as it was named (never an absolute path, so the text is the \
            same on every machine) with its size and SHA-256, then each step oldest first: the command, the plugin \
            or MyoShell version that ran it, and every parameter after defaults, with units. The hash is of the file \
            as it is now; when its size or modification time differ from when it was loaded, the line says so.
            """,
            arguments: [ArgumentSpec("name", positional: true, type: .objectName, help: "a recording or table", required: true)],
            examples: ["why bridge_env", "why onsets1"])) { [unowned session] invocation in
            let name = invocation.string("name")!.split(separator: ".").first.map(String.init)!
            let provenance: Provenance
            let kind: String
            if let recording = session.workspace.recordings[name] {
                provenance = recording.provenance
                kind = "recording, \(recording.summary)"
            } else if let table = session.workspace.tables[name] {
                provenance = table.provenance
                kind = "table, \(table.rows.count) rows: \(table.title)"
            } else {
                throw MyoError.unknownName(kind: "object", name: name, suggestion: Suggestion.closest(to: name, in: session.workspace.names))
            }
            return [.message(lines(name: name, kind: kind, provenance: provenance).joined(separator: "\n"))]
        }
    }

    static func lines(name: String, kind: String, provenance: Provenance) -> [String] {
        var lines = ["\(name): \(kind)", "made with MyoShell \(myoShellVersion)"]
        if let source = provenance.sourceFile {
            let location = provenance.sourceLocation ?? source
            if let (size, modified) = FileSystem.sizeAndModification(location), let hash = try? SHA256.ofFile(location) {
                var line = "input: \(source) (\(size) bytes, SHA-256 \(hash))"
                if provenance.sourceSize != nil, provenance.sourceSize != size || provenance.sourceModified != modified {
                    line += "; the file changed after it was loaded, so this hash is of the current file"
                }
                lines.append(line)
            } else {
                lines.append("input: \(source) (no longer readable: cannot be hashed)")
            }
        } else {
            lines.append("input: none (made inside the session)")
        }
        lines.append("steps:")
        lines += provenance.steps.enumerated().map { "  \($0.offset + 1). \($0.element.description)" }
        return lines
    }
}
