import Foundation
import MyoTestSupport
import Testing

/// Inputs that crashed or hung the shell (issue 20's first classes): each now loads or is refused
/// in one sentence, and the process ends normally.
@Suite struct HardeningTests {
    /// A CSV with old Mac line endings (a lone CR) loads; so does a header with no line end.
    @Test func loneCarriageReturnsLoad() throws {
        let folder = TestEnvironment.temporaryFolder()
        try "time,A (mV)\r0,1\r0.001,2\r0.002,3\r".write(toFile: folder + "/cr.csv", atomically: true, encoding: .utf8)
        try "time,A (mV)".write(toFile: folder + "/h.csv", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "set output json; load cr.csv; stats cr"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(printedTables(out).first)["rows"] as! [[Any]]
        #expect((rows[0][4] as! Int) == 3 && (rows[0][5] as! Double) == 2, "\(rows)")
        let header = try runMyoShell(["-c", "load h.csv"], in: folder)
        #expect(header.status == 1 && header.stderr.contains("h.csv:1: expected data rows after the header, found none"), "\(header.stderr)")
    }

    /// A FIFO with no writer is refused at once instead of blocking forever.
    @Test func fifoIsRefused() throws {
        let folder = TestEnvironment.temporaryFolder()
        #expect(mkfifo(folder + "/pipe.csv", 0o600) == 0)
        let started = Date()
        let out = try runMyoShell(["-c", "load pipe.csv"], in: folder)
        #expect(out.status == 1 && out.stderr.contains("pipe.csv: is a FIFO (named pipe), not a regular file; save the recording to a file first"), "\(out.stderr)")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// run is guarded like include: a script that runs itself, directly or through another, stops
    /// with the chain named instead of overflowing the stack.
    @Test func runRecursionIsRefused() throws {
        let folder = TestEnvironment.temporaryFolder()
        try "run b.myo\n".write(toFile: folder + "/a.myo", atomically: true, encoding: .utf8)
        try "run a.myo\n".write(toFile: folder + "/b.myo", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "run a.myo"], in: folder)
        #expect(out.status == 1 && out.stderr.contains("run a.myo would run a script inside itself (a.myo -> b.myo -> a.myo)"), "\(out.stderr)")
    }
}
