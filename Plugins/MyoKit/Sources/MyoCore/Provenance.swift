/// One processing step: the command as resolved, who ran it, and every parameter after defaults.
public struct ProvenanceStep: Sendable, Equatable {
    /// The command name (`load`, `stats`, `envelope`).
    public var command: String
    /// `myoshell 0.1.0` for built-in commands, `<plugin id> <version>` for plugin commands.
    public var origin: String
    /// Resolved parameters in the order the command spec declares them, values with units.
    public var parameters: [Parameter]

    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(command: String, origin: String, parameters: [Parameter]) {
        self.command = command
        self.origin = origin
        self.parameters = parameters
    }

    /// `stats (myoshell-stats 1.0.0): from=0 s, to=end`
    public var description: String {
        let params = parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        return params.isEmpty ? "\(command) (\(origin))" : "\(command) (\(origin)): \(params)"
    }
}

/// Where a recording or table came from: its source file (if any), its inputs' provenance,
/// and the steps applied, oldest first.
public struct Provenance: Sendable, Equatable {
    /// The source file as the user named it (never resolved to an absolute path, so scripts replay
    /// identically on other machines), or nil for a derived object.
    public var sourceFile: String?
    /// The source file's size and modification time when it was read, so `why` can say whether
    /// the file it hashes now is the one that was loaded (never printed: not reproducible).
    public var sourceSize: Int?
    public var sourceModified: Int?
    /// The source file's absolute path when it was read (scripts run in their own folder, so the
    /// typed path may be relative to another folder later); never printed.
    public var sourceLocation: String?
    public var steps: [ProvenanceStep]
    /// What the reader did to the source's numbers that the file asked for (a WFDB skew applied),
    /// shown by `info` and `why` under the source.
    public var sourceNotes: [String] = []

    public init(sourceFile: String? = nil, steps: [ProvenanceStep] = []) {
        self.sourceFile = sourceFile
        self.steps = steps
    }

    /// A copy with one more step appended.
    public func appending(_ step: ProvenanceStep) -> Provenance {
        var copy = self
        copy.steps.append(step)
        return copy
    }

    /// Lines for `info` and `why`: the source, then each step.
    public var lines: [String] {
        var out: [String] = []
        if let sourceFile { out.append("source: \(sourceFile)") }
        out += sourceNotes.map { "  read: \($0)" }
        for (index, step) in steps.enumerated() { out.append("\(index + 1). \(step.description)") }
        return out
    }
}
