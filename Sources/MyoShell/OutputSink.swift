#if canImport(Glibc)
import Glibc
#endif

/// Where the shell writes: results to `write`, errors and warnings to `writeError`, and
/// measurements of the run itself (`set timing on`) to `writeTiming`.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
    func writeError(_ text: String)
    func writeTiming(_ text: String)
}

extension OutputSink {
    /// On the error stream by default.
    public func writeTiming(_ text: String) { writeError(text) }
}

/// Standard output and standard error, flushed per call so interleaving stays ordered. When
/// standard output is gone (closed, or a pipe whose reader quit, as `| head -1` does), the run
/// stops at the first failed write with status 1 and a sentence on stderr, instead of running
/// every remaining command into the void and exiting 0.
public final class StandardOutput: OutputSink {
    public init() {}
    public func write(_ text: String) {
        if fputs(Self.visible(text), stdout) < 0 || fflush(stdout) != 0 {
            let reason = String(cString: strerror(errno))
            fputs("myoshell: standard output is gone (\(reason)); stopping\n", stderr)
            exit(1)
        }
    }
    public func writeError(_ text: String) {
        fflush(stdout)
        fputs(Self.visible(text), stderr)
        fflush(stderr)
    }

    /// Control characters other than newline and tab, as names and files can carry them (a CR,
    /// an ESC starting a terminal sequence, a form feed), shown escaped (`\r`, `\u{1B}`) so a
    /// message cannot rewrite or clear the user's terminal.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ($0.value < 32 && $0 != "\n" && $0 != "\t") || $0.value == 127 }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\r": out += "\\r"
            case _ where scalar.value < 32 || scalar.value == 127: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Collects output in memory (tests, transcripts).
public final class BufferOutput: OutputSink {
    public private(set) var text = ""
    public private(set) var errors = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
    public func writeError(_ text: String) { errors += text }
}

/// One transcript of both streams in the order written: results as they are, error-stream lines
/// prefixed with `! ` (for `myoshell --check`).
public final class TranscriptOutput: OutputSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
    public func writeError(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) { self.text += "! " + line + "\n" }
    }
    /// Not kept: times differ from run to run, and a transcript must not.
    public func writeTiming(_ text: String) {}
}
