import Foundation
import MyoCore
import MyoPlot
import MyoShell

/// Paths the tests need: the repository, the build products, and ../shared/data.
public enum TestEnvironment {
    /// The repository root, from this file's location (Tests/MyoTestSupport/...).
    public static let repositoryRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// The folder of the running test binary: the build products (myoshell, libMyo*.so).
    public static let productsFolder: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // The test bundle may be a folder (*.xctest/...) inside the products folder.
        while url.path.contains(".xctest") { url = url.deletingLastPathComponent() }
        return url.path
    }()

    public static var myoshell: String { productsFolder + "/myoshell" }
    public static var sharedData: String { repositoryRoot + "/../shared/data" }
    public static var hasSharedData: Bool { FileManager.default.fileExists(atPath: sharedData) }
    public static var hasGnuplot: Bool { ExecutableSearch.find("gnuplot") != nil }
    public static var hasExecutable: Bool { FileManager.default.isExecutableFile(atPath: myoshell) }
    /// A Python module is importable (an independent reference installed by scripts/test).
    public static func hasPythonModule(_ name: String) -> Bool {
        (try? runProgram("/usr/bin/env", ["python3", "-c", "import \(name)"]).status) == 0
    }

    /// Under scripts/sanitize, the options the programs a test starts must run with too.
    public static var sanitizerOptions: [String: String] {
        ProcessInfo.processInfo.environment.filter { ["ASAN_OPTIONS", "TSAN_OPTIONS", "SWIFT_BACKTRACE"].contains($0.key) }
    }

    /// A fresh empty folder for one test.
    public static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "myoshell-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// The result of running the real executable.
public struct ProcessResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// The process ended by a signal (a trap is SIGILL or SIGTRAP), not by exit().
    public var signalled = false
    /// The process was killed after the time limit given to `runProgram`.
    public var timedOut = false
}

/// Runs the real `myoshell` with pinned width, locale and time zone.
public func runMyoShell(_ arguments: [String], input: String? = nil, in folder: String = TestEnvironment.repositoryRoot,
                        environment extra: [String: String] = [:], timeLimit: Double? = nil) throws -> ProcessResult {
    try runProgram(TestEnvironment.myoshell, arguments, input: input, in: folder, environment: extra, timeLimit: timeLimit)
}

/// Runs `program` with pinned width, locale and time zone, a fresh HOME, and `input` on stdin.
/// Both output streams are read at once (one on another thread), so a program that fills its
/// stderr pipe while the test waits on stdout cannot deadlock.
public func runProgram(_ program: String, _ arguments: [String], input: String? = nil, in folder: String = TestEnvironment.repositoryRoot,
                       environment extra: [String: String] = [:], timeLimit: Double? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC",
                       "COLUMNS": "80", "LINES": "24", "HOME": TestEnvironment.temporaryFolder()]
    environment.merge(TestEnvironment.sanitizerOptions) { $1 }
    environment.merge(extra) { $1 }
    process.environment = environment
    let out = Pipe(), err = Pipe(), inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    let timer = DataBox()
    if let timeLimit {
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit) {
            guard process.isRunning else { return }
            timer.fired = true
            kill(pid, SIGKILL)
        }
    }
    let stderrBox = DataBox()
    let stderrReader = Thread { stderrBox.data = err.fileHandleForReading.readDataToEndOfFile(); stderrBox.done.signal() }
    stderrReader.start()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inPipe.fileHandleForWriting.close()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    stderrBox.done.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrBox.data, as: UTF8.self),
                         signalled: process.terminationReason == .uncaughtSignal, timedOut: timer.fired)
}

/// The bytes another thread read, and the signal that it has finished.
private final class DataBox: @unchecked Sendable {
    var data = Data()
    var fired = false
    let done = DispatchSemaphore(value: 0)
}

/// The tables a run printed with `set output json`, each as its JSON object (title, columns, rows, notes).
public func printedTables(_ result: ProcessResult) -> [[String: Any]] {
    result.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"type\":\"table\"") }.map {
        ((try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["table"] as! [String: Any])
    }
}
