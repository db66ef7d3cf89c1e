import Foundation
import MyoTestSupport
import Testing

/// scripts/install into a temporary prefix; the installed MyoShell then runs with the build folder
/// hidden (an empty folder mounted over it in a private mount namespace, so the tests running
/// beside this one keep theirs): plugins, templates, completion scripts and the man page all come
/// from the prefix.
@Suite struct InstallTests {
    static var canHideFolders: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LC_ALL": "C", "HOME": TestEnvironment.temporaryFolder()].merging(TestEnvironment.sanitizerOptions) { $1 }.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: InstallTests.canHideFolders, "needs root and unshare(1) to hide the build folder"))
    func installedMyoShellRunsWithoutTheBuildFolder() throws {
        let prefix = TestEnvironment.temporaryFolder() + "/prefix"
        let root = TestEnvironment.repositoryRoot
        let (status, output) = try Self.run(root + "/scripts/install", [prefix], environment: ["MYOSHELL_NO_BUILD": "1"])
        #expect(status == 0 && output.contains("installed MyoShell 0.1.0 in \(prefix)"), "\(output)")
        for file in ["bin/myoshell", "lib/myoshell/libMyoKit.so", "lib/myoshell/libMyoMovement.so", "lib/myoshell/MyoShell_MyoMovementPlugin.resources/Templates/bridge.json",
                     "share/man/man1/myoshell.1", "share/bash-completion/completions/myoshell", "share/zsh/site-functions/_myoshell"] {
            #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file) missing")
        }
        let empty = TestEnvironment.temporaryFolder()
        let script = "mount --bind \(empty) \(TestEnvironment.productsFolder) && cd \(empty) && [ ! -e \(TestEnvironment.productsFolder)/myoshell ] && "
            + "\(prefix)/bin/myoshell -c 'plugins; exercises; load \(root)/sample-data/bridge-set.csv as b; reps b; screen b exercise=bridge mount=+Z+X+Y'"
        let (hidden, text) = try Self.run("/usr/bin/unshare", ["-m", "sh", "-c", script])
        #expect(hidden == 0, "\(text)")
        #expect(text.contains("\(prefix)/lib/myoshell/libMyoMovement.so") && text.contains("bridge             glute bridge"), "\(text)")
        #expect(text.contains("7 repetitions of b.SAGITTAL") && text.contains("glute bridge (supine hip extension): 7 repetitions"), "\(text)")
        let man = try String(contentsOfFile: prefix + "/share/man/man1/myoshell.1", encoding: .utf8)
        #expect(man.hasPrefix(".TH MYOSHELL 1") && man.contains(".B quality RECORDING"), "\(man.prefix(300))")
        let bash = try String(contentsOfFile: prefix + "/share/bash-completion/completions/myoshell", encoding: .utf8)
        #expect(bash.contains("complete -o filenames -F _myoshell myoshell") && bash.contains(" quality "))
        let (syntax, message) = try Self.run("/bin/bash", ["-n", prefix + "/share/bash-completion/completions/myoshell"])
        #expect(syntax == 0, "\(message)")
    }
}
