import MyoCore

/// What a command handler may ask of the session it runs in.
public protocol CommandContext: AnyObject {
    /// A recording of the workspace, or `MyoError.unknownName` with a suggestion.
    func recording(named name: String) throws -> Recording
    /// The names of all workspace recordings, sorted.
    var recordingNames: [String] { get }
    /// A result table of the workspace, or `MyoError.unknownName` with a suggestion.
    func table(named name: String) throws -> ResultTable
    /// Reads a recording file (any format `load` reads) without keeping it in the workspace;
    /// `name` is the recording's name (default: the file's name without extension).
    func loadRecording(path: String, name: String?) throws -> Recording
    /// The files a pattern with `*`, `?` and `[...]` names, sorted; a pattern without them is
    /// returned as it is.
    func expandPaths(_ pattern: String) throws -> [String]
}

/// A parsed, validated call of a command: values by argument name (defaults filled in). A
/// command reads them typed, through the `Argument` keys its spec was built from.
public struct Invocation {
    public let spec: CommandSpec
    public let values: [String: ArgumentValue]
    /// The name given with `as NAME`, if any.
    public let outputName: String?
    /// The path given with `to PATH`, if any.
    public let destination: String?
    public let context: CommandContext

    public init(spec: CommandSpec, values: [String: ArgumentValue], outputName: String?, destination: String?, context: CommandContext) {
        self.spec = spec
        self.values = values
        self.outputName = outputName
        self.destination = destination
        self.context = context
    }

    /// The path of `to PATH` for a command whose spec requires one (the binder made sure it is given).
    public var requiredDestination: String {
        get throws {
            guard let destination else { throw MyoError.missingArgument(command: spec.name, name: "'to PATH'", usage: spec.usage) }
            return destination
        }
    }

    /// The parameters as resolved (defaults included), in spec order, for provenance.
    public var resolvedParameters: [ProvenanceStep.Parameter] {
        spec.arguments.compactMap { argument in
            values[argument.name].map { ProvenanceStep.Parameter(name: argument.name, value: $0.display) }
        }
    }
}

/// What a command returns; the shell renders each output once, as text or JSON.
public enum CommandOutput {
    case table(ResultTable)
    /// A table that replaces the workspace table `name` (a correction of an earlier result):
    /// the command's step is appended to the table's provenance.
    case replacedTable(ResultTable, name: String)
    case message(String)
    case warning(String)
    /// A new or derived recording for the workspace (kept under its `name`).
    case recording(Recording)
    case plot(PlotRequest)
}

/// A command's spec with the code that runs it.
public struct PluginCommand {
    public var spec: CommandSpec
    public var run: (Invocation) throws -> [CommandOutput]
    public init(spec: CommandSpec, run: @escaping (Invocation) throws -> [CommandOutput]) {
        self.spec = spec
        self.run = run
    }
}
