import MyoCore

/// What a reader produced: a recording of signals, or a plain table (a CSV with no time base).
public enum LoadedObject {
    case recording(Recording)
    case table(ResultTable)
}

/// A reader's result with the warnings it has for the user (each one sentence).
public struct LoadResult {
    public var object: LoadedObject
    public var warnings: [String]
    /// Other files the recording was read from (a WFDB record's signal files); protected with it.
    public var companionFiles: [String] = []
    public init(object: LoadedObject, warnings: [String] = []) {
        self.object = object
        self.warnings = warnings
    }
}
