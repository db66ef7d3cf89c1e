import MyoCore

/// The named objects of a session: recordings (loaded or derived) and result tables.
/// Names are unique across both kinds.
public struct Workspace {
    public private(set) var recordings: [String: Recording] = [:]
    public private(set) var tables: [String: ResultTable] = [:]
    private var counters: [String: Int] = [:]

    public init() {}

    /// Names: a letter, then letters, digits, `_` or `-` (no dots: a dot separates a recording
    /// from its channels).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    public var names: [String] { (Array(recordings.keys) + Array(tables.keys)).sorted() }
    public var recordingNames: [String] { recordings.keys.sorted() }

    public func contains(_ name: String) -> Bool { recordings[name] != nil || tables[name] != nil }

    public mutating func store(_ recording: Recording) {
        tables[recording.name] = nil
        recordings[recording.name] = recording
    }

    public mutating func store(_ table: ResultTable, as name: String) {
        recordings[name] = nil
        tables[name] = table
    }

    @discardableResult
    public mutating func drop(_ name: String) -> Bool {
        recordings.removeValue(forKey: name) != nil || tables.removeValue(forKey: name) != nil
    }

    public mutating func rename(_ old: String, to new: String) throws {
        guard Workspace.isValidName(new) else {
            throw MyoError.invalidValue(argument: "NEW", value: new, expected: "a name of letters, digits, '_' or '-', starting with a letter")
        }
        guard !contains(new) else { throw MyoError.other("cannot rename \(old) to \(new): \(new) already exists; drop it first") }
        if var recording = recordings.removeValue(forKey: old) {
            recording.name = new
            recordings[new] = recording
        } else if let table = tables.removeValue(forKey: old) {
            tables[new] = table
        } else {
            throw MyoError.unknownName(kind: "object", name: old, suggestion: Suggestion.closest(to: old, in: names))
        }
    }

    /// A fresh default name for a command's result: `stats1`, `stats2`, ... (per session, so
    /// scripts replay with the same names).
    public mutating func nextName(for command: String) -> String {
        let base = command.filter { $0.isLetter || $0.isNumber }
        var number = counters[base, default: 0]
        var name: String
        repeat {
            number += 1
            name = "\(base)\(number)"
        } while contains(name)
        counters[base] = number
        return name
    }

    /// The recording `name`, or an error with a suggestion.
    public func recording(named name: String) throws -> Recording {
        if let recording = recordings[name] { return recording }
        if tables[name] != nil { throw MyoError.other("\(name) is a table, not a recording") }
        throw MyoError.unknownName(kind: "recording", name: name, suggestion: Suggestion.closest(to: name, in: recordingNames))
    }

    /// The table `name`, or an error with a suggestion.
    public func table(named name: String) throws -> ResultTable {
        if let table = tables[name] { return table }
        if recordings[name] != nil { throw MyoError.other("\(name) is a recording, not a table") }
        throw MyoError.unknownName(kind: "table", name: name, suggestion: Suggestion.closest(to: name, in: tables.keys.sorted()))
    }
}
