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
            arguments: [objectArgument.help("a recording or table")],
            examples: ["why bridge_env", "why onsets1"])) { [unowned session] invocation in
            let name = String(try invocation[objectArgument].prefix { $0 != "." })
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

    /// `methods NAME [to FILE.md]`: a methods paragraph with references, from the provenance.
    static func methodsCommand(_ session: Session) -> PluginCommand {
        PluginCommand(spec: CommandSpec(
            name: "methods", abstract: "Write a methods paragraph, with references, for how a recording or table was made",
            discussion: """
            Turns the history `why` shows into prose for a paper's methods section: the input (file, size, SHA-256), \
            MyoShell's version, then one sentence per step naming what the command does (its spec's abstract), the \
            plugin and version that ran it and every parameter with its unit, and the numbered references of the \
            commands used. 'to FILE.md' writes it (atomically) instead of printing it.
            """,
            arguments: [objectArgument.help("a recording or table")],
            destination: DestinationSpec(extensions: ["md", "txt"], required: false, help: "file to write"),
            examples: ["methods bridge_mvc", "methods fatigue1 to methods.md"])) { [unowned session] invocation in
            let name = String(try invocation[objectArgument].prefix { $0 != "." })
            guard let provenance = session.workspace.recordings[name]?.provenance ?? session.workspace.tables[name]?.provenance else {
                throw MyoError.unknownName(kind: "object", name: name, suggestion: Suggestion.closest(to: name, in: session.workspace.names))
            }
            let text = methods(provenance, registry: session.registry)
            if let path = invocation.destination {
                try AtomicFile.write(text, to: path)
                return [.message("wrote \(path) (methods of \(name))")]
            }
            return [.message(String(text.dropLast()))]
        }
    }

    static func methods(_ provenance: Provenance, registry: CommandRegistry) -> String {
        var sentences: [String] = []
        if let source = provenance.sourceFile {
            let location = provenance.sourceLocation ?? source
            if let (size, _) = FileSystem.sizeAndModification(location), let hash = try? SHA256.ofFile(location) {
                sentences.append("The recording was read from \(source) (\(size) bytes, SHA-256 \(hash)).")
            } else {
                sentences.append("The recording was read from \(source).")
            }
        }
        sentences.append("Processing used MyoShell \(myoShellVersion).")
        var references: [String] = []
        for step in provenance.steps {
            let spec = registry.lookup(step.command)?.spec ?? registry.resolve(step.command.split(separator: " ").map(String.init))?.spec
            let what = spec.map { " (\($0.abstract.prefix(1).lowercased() + $0.abstract.dropFirst()))" } ?? ""
            let parameters = step.parameters.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")
            sentences.append("Step `\(step.command)`\(what) was run by \(step.origin)\(parameters.isEmpty ? "" : " with " + parameters).")
            for reference in spec?.references ?? [] where !references.contains(reference) { references.append(reference) }
        }
        var text = sentences.joined(separator: " ") + "\n"
        if !references.isEmpty {
            text += "\nReferences\n" + references.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
        }
        return text
    }
}
