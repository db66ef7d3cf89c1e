import Foundation
import MyoPlot

/// A real terminal for tests that type into the shell as a person would: one tmux session on a
/// server of the test's own (-L), so the user's sessions are never touched. `kill()` ends the server.
public struct TmuxTerminal {
    public let server: String
    public let session: String

    public static var isAvailable: Bool { ExecutableSearch.find("tmux") != nil }

    /// Starts `command` (run by the shell in `folder`) in a detached session of `columns` x `rows`.
    public init(_ name: String, columns: Int, rows: Int, folder: String, command: String) throws {
        server = "myoshell-\(name)-\(getpid())"
        session = "\(name)-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        // The server outlives the command that starts it, so that one gets no pipes to hold open,
        // and it is not waited for: Foundation's wait would last as long as the server it forks.
        let start = Process()
        start.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        start.arguments = ["tmux", "-L", server, "new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)", "cd \(folder) && \(command)"]
        start.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TERM": "xterm-256color", "LC_ALL": "C", "HOME": folder]
        start.standardOutput = FileHandle.nullDevice
        start.standardError = FileHandle.nullDevice
        start.standardInput = FileHandle.nullDevice
        try start.run()
    }

    @discardableResult
    public func tmux(_ arguments: [String]) throws -> String {
        try runProgram("/usr/bin/env", ["tmux", "-L", server] + arguments, environment: ["TERM": "xterm-256color"], timeLimit: 10).stdout
    }

    /// The pane as shown, with `history` lines of scroll-back above it.
    public func pane(history: Int = 0) throws -> String {
        try tmux(["capture-pane", "-p"] + (history > 0 ? ["-S", "-\(history)"] : []) + ["-t", session])
    }

    /// Waits (up to 10 s) until `ready` holds for the pane with 3000 lines of scroll-back; returns it.
    public func screen(until ready: (String) -> Bool) throws -> String {
        var pane = ""
        for _ in 0..<100 {
            pane = try self.pane(history: 3000)
            if ready(pane) { break }
            usleep(100_000)
        }
        return pane
    }

    /// Waits until the pane shows `text` at least `count` times.
    public func screen(until text: String, count: Int = 1) throws -> String {
        try screen { $0.components(separatedBy: text).count - 1 >= count }
    }

    /// Types `line` and Enter.
    public func type(_ line: String) throws {
        try tmux(["send-keys", "-t", session, "-l", line])
        try tmux(["send-keys", "-t", session, "Enter"])
    }

    /// Presses one key (tmux's name for it: " ", "q", "Enter").
    public func press(_ key: String) throws { try tmux(["send-keys", "-t", session, key]) }

    public func kill() { _ = try? tmux(["kill-server"]) }
}
