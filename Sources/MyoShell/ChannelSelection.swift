import MyoCore
import MyoPluginAPI

/// Resolves channel selections: `rec` (every channel), `rec.ES_L`, `rec.{ES_L,ES_R}`, `rec.ES_*`
/// (`*` any run of characters, `?` one character; matched case-sensitively).
public enum ChannelSelection {
    public static func resolve(_ text: String, in workspace: Workspace) throws -> [SignalRef] {
        let recordingName: String
        let pattern: String?
        if let dot = text.firstIndex(of: ".") {
            recordingName = String(text[..<dot])
            pattern = String(text[text.index(after: dot)...])
        } else {
            recordingName = text
            pattern = nil
        }
        let recording = try workspace.recording(named: recordingName)
        guard let pattern else {
            return recording.channels.enumerated().map { SignalRef(recordingName: recordingName, channelIndex: $0.offset, channel: $0.element) }
        }
        let alternatives: [String]
        if pattern.hasPrefix("{") {
            guard pattern.hasSuffix("}"), pattern.count > 2 else {
                throw MyoError.invalidValue(argument: "selection", value: text, expected: "a closing } as in \(recordingName).{ES_L,ES_R}")
            }
            alternatives = pattern.dropFirst().dropLast().split(separator: ",").map { String($0) }
        } else {
            alternatives = [pattern]
        }
        var refs: [SignalRef] = []
        for alternative in alternatives {
            let matches = recording.channels.enumerated().filter { Glob.matches(alternative, $0.element.name) }
            guard !matches.isEmpty else {
                if !alternative.contains("*"), !alternative.contains("?"),
                   let suggestion = Suggestion.closest(to: alternative, in: recording.channels.map(\.name)) {
                    throw MyoError.unknownName(kind: "channel of \(recordingName)", name: alternative, suggestion: suggestion)
                }
                throw MyoError.noChannelMatch(recording: recordingName, pattern: alternative, available: recording.channels.map(\.name))
            }
            for match in matches where !refs.contains(where: { $0.channelIndex == match.offset }) {
                refs.append(SignalRef(recordingName: recordingName, channelIndex: match.offset, channel: match.element))
            }
        }
        return refs
    }
}

/// Shell-style wildcard matching with `*` and `?`.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
