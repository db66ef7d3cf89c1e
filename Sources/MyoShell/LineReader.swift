#if canImport(Glibc)
import Glibc
#endif
import CReadline
import MyoFormats

/// Reads command lines: through GNU readline (editing, history, completion) on a terminal,
/// or plainly, line by line with no prompt and no echo, when standard input is not one.
public final class LineReader {
    public let interactive: Bool
    private let historyFile: String?
    private static let historyLimit: Int32 = 2000
    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) static var pendingMatches: [String] = []

    public init(interactive: Bool, historyFile: String?, completer: Completer) {
        self.interactive = interactive
        self.historyFile = historyFile
        guard interactive else { return }
        LineReader.completer = completer
        rl_readline_name = UnsafePointer(strdup("myoshell"))
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n;"))
        rl_attempted_completion_function = { text, start, _ in
            LineReader.complete(text: text, start: start)
        }
        stifle_history(Self.historyLimit)
        if let historyFile { read_history(historyFile) }
    }

    /// The next line, or nil at end of input (Ctrl-D).
    public func readLine(prompt: String) -> String? {
        guard interactive else { return Swift.readLine(strippingNewline: true) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        // A recall (!N, !!) is remembered as the line it recalls, by the caller.
        if !line.trimmingSpaces().isEmpty, !line.hasPrefix("!") { remember(line) }
        return line
    }

    /// Adds a line to readline's history and the history file.
    public func remember(_ line: String) {
        guard interactive else { return }
        add_history(line)
        if let historyFile {
            try? AtomicFile.createParentFolders(of: historyFile, anywhere: true)
            // append_history does not create the file; the first line writes it whole.
            if access(historyFile, F_OK) == 0 { append_history(1, historyFile) } else { write_history(historyFile) }
            history_truncate_file(historyFile, Self.historyLimit)
        }
    }

    /// The lines of earlier sessions that readline loaded from the history file, oldest first.
    public func storedLines() -> [String] {
        guard interactive else { return [] }
        return (0..<Int(history_length)).compactMap { offset in
            history_get(history_base + Int32(offset)).flatMap { $0.pointee.line.map { String(cString: $0) } }
        }
    }

    private static func complete(text: UnsafePointer<CChar>?, start: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1
        guard let completer, let buffer = rl_line_buffer else { return nil }
        let line = String(cString: buffer)
        let prefix = String(decoding: Array(line.utf8).prefix(Int(rl_point)), as: UTF8.self)
        let candidates = completer.candidates(lineBeforeCursor: prefix)
        if candidates.count == 1, candidates[0].hasSuffix("/") || candidates[0].hasSuffix("=") || candidates[0].hasSuffix(".") {
            rl_completion_suppress_append = 1
        }
        pendingMatches = candidates
        return rl_completion_matches(text) { _, state in
            if state == 0 { LineReader.matchIndex = 0 }
            guard LineReader.matchIndex < LineReader.pendingMatches.count else { return nil }
            defer { LineReader.matchIndex += 1 }
            return strdup(LineReader.pendingMatches[LineReader.matchIndex])
        }
    }
    nonisolated(unsafe) static var matchIndex = 0

    /// `$XDG_STATE_HOME/myoshell/history`, else `~/.local/state/myoshell/history`.
    public static func defaultHistoryFile(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/myoshell/history" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/myoshell/history" }
        return nil
    }

    /// Clears the line being edited after Ctrl-C at the prompt.
    public static func resetLineAfterInterrupt() {
        rl_free_line_state()
        rl_replace_line("", 0)
        rl_crlf()
        rl_on_new_line()
        rl_redisplay()
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return String(slice)
    }
}
