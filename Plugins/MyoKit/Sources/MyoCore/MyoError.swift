/// Every error a user can meet, with its details; `description` is the one sentence shown.
public enum MyoError: Error, Equatable, CustomStringConvertible {
    /// A problem in a file at a line (1-based) and optionally a column name or number.
    case badLine(file: String, line: Int, column: String?, expected: String, found: String)
    /// A problem in a binary file at a byte offset.
    case badBytes(file: String, offset: Int, expected: String, found: String)
    /// A file could not be opened, read or written.
    case file(path: String, reason: String)
    case unknownCommand(name: String, suggestion: String?)
    case unknownArgument(command: String, name: String, suggestion: String?)
    case missingArgument(command: String, name: String, usage: String)
    case tooManyArguments(command: String, extra: String, usage: String)
    /// A number given where the argument needs a unit.
    case missingUnit(argument: String, value: String, dimension: Dimension)
    case wrongUnit(argument: String, value: String, dimension: Dimension)
    case invalidValue(argument: String, value: String, expected: String)
    case outOfRange(argument: String, value: String, limit: String)
    case invalidChoice(argument: String, value: String, choices: [String])
    case unknownName(kind: String, name: String, suggestion: String?)
    case noChannelMatch(recording: String, pattern: String, available: [String])
    /// A frequency at or above a channel's Nyquist frequency.
    case aboveNyquist(what: String, hz: Double, channel: String, sampleRateHz: Double)
    case syntax(String)
    case cancelled
    /// A sentence that fits no other case; it must still say what was expected and what was found.
    case other(String)

    public var description: String {
        switch self {
        case let .badLine(file, line, column, expected, found):
            let place = column.map { "\(file):\(line), column \($0)" } ?? "\(file):\(line)"
            return "\(place): expected \(expected), found \(found)"
        case let .badBytes(file, offset, expected, found):
            return "\(file) at byte \(offset): expected \(expected), found \(found)"
        case let .file(path, reason):
            return "\(path): \(reason)"
        case let .unknownCommand(name, suggestion):
            return "unknown command '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; type 'help' for the list")
        case let .unknownArgument(command, name, suggestion):
            return "\(command) has no argument '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; see 'help \(command)'")
        case let .missingArgument(command, name, usage):
            return "\(command) needs \(name); usage: \(usage)"
        case let .tooManyArguments(command, extra, usage):
            return "\(command) does not take '\(extra)'; usage: \(usage)"
        case let .missingUnit(argument, value, dimension):
            return "\(argument)=\(value) needs a unit of \(dimension.rawValue) (\(UnitDefinition.symbols(of: dimension).joined(separator: ", "))), for example \(argument)=\(dimension.example)"
        case let .wrongUnit(argument, value, dimension):
            return "\(argument)=\(value) is not a \(dimension.rawValue); use one of \(UnitDefinition.symbols(of: dimension).joined(separator: ", ")), for example \(argument)=\(dimension.example)"
        case let .invalidValue(argument, value, expected):
            return "\(argument)=\(value) is not valid: expected \(expected)"
        case let .outOfRange(argument, value, limit):
            return "\(argument)=\(value) is out of range: \(limit)"
        case let .invalidChoice(argument, value, choices):
            return "\(argument)=\(value) is not one of \(choices.joined(separator: ", "))"
        case let .unknownName(kind, name, suggestion):
            return "no \(kind) named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case let .noChannelMatch(recording, pattern, available):
            return "no channel of \(recording) matches '\(pattern)' (channels: \(available.joined(separator: ", ")))"
        case let .aboveNyquist(what, hz, channel, fs):
            return "\(what) \(NumberFormat.quantity(hz, "Hz")) is at or above the Nyquist frequency of \(channel) (fs = \(NumberFormat.quantity(fs, "Hz")), fs/2 = \(NumberFormat.quantity(fs / 2, "Hz")))"
        case let .syntax(message):
            return message
        case .cancelled:
            return "interrupted; the workspace is unchanged"
        case let .other(message):
            return message
        }
    }
}

extension MyoError {
    /// A recording with no channel in a voltage unit, and the ways to state or convert units.
    public static func noEMGChannels(_ recording: Recording) -> MyoError {
        let unitless = recording.channels.filter { UnitDefinition.named($0.unit) == nil }
        let listed = unitless.prefix(6).map { $0.unit.isEmpty ? "\($0.name) (no unit)" : "\($0.name) (\($0.unit))" }.joined(separator: ", ")
            + (unitless.count > 6 ? ", ..." : "")
        // A name with spaces is typed in double quotes ("t.Mini sensor 10: EMG 10").
        let example = unitless.first.map { channel -> String in
            let reference = "\(recording.name).\(channel.name)"
            return channel.name.contains(where: { $0 == " " || $0 == "\t" }) ? "\"\(reference)\"" : reference
        } ?? "\(recording.name)"
        return .other("\(recording.name) has no EMG channels (channels in a voltage unit)"
            + (unitless.isEmpty ? "" : "; these have no known unit: \(listed)")
            + ". State the unit with 'units \(example) mV' (or load the file with unit=mV), or convert ADC counts with 'scale \(example) gain=... unit=mV'")
    }
}

/// Edit distance for "did you mean ...?" suggestions.
public enum Suggestion {
    /// The candidate closest to `name` (case-insensitive Levenshtein distance at most 2, or a
    /// prefix match), or nil when nothing is close.
    public static func closest(to name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        var best: (String, Int)?
        for candidate in candidates {
            let lower = candidate.lowercased()
            let distance = lower.hasPrefix(name.lowercased()) && !name.isEmpty ? 1 : levenshtein(target, Array(lower))
            if distance <= 2, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    static func levenshtein(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
