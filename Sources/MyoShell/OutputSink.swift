#if canImport(Glibc)
import Glibc
#endif

/// Where the shell writes: results to `write`, errors and warnings to `writeError`.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
    func writeError(_ text: String)
}

/// Standard output and standard error, flushed per call so interleaving stays ordered.
public final class StandardOutput: OutputSink {
    public init() {}
    public func write(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }
    public func writeError(_ text: String) {
        fflush(stdout)
        fputs(text, stderr)
        fflush(stderr)
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
}
