import Foundation
import MyoCore
import MyoPluginAPI
import MyoShell
import MyoTestSupport
import Testing

/// Compiles C source into a shared library with the system C compiler.
func buildCLibrary(_ source: String, named name: String, in folder: String) throws -> String {
    let sourcePath = folder + "/\(name).c", libraryPath = folder + "/lib\(name).so"
    try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["cc", "-shared", "-fPIC", "-o", libraryPath, sourcePath]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return libraryPath
}

@Suite(.serialized) struct PluginTests {
    @Test func discoversTheStatsPluginBesideTheExecutable() {
        let (session, _, _) = makeTestSession()
        let stats = session.plugins.loaded.first { $0.id == "myoshell.stats" }
        #expect(stats?.version == "1.0.0")
        #expect(stats?.commands == ["stats"])
        #expect(session.registry.lookup("stats")?.origin == "myoshell.stats 1.0.0")
        #expect(session.plugins.failed.isEmpty)
    }

    @Test func searchOrderNeverIncludesTheCurrentFolder() {
        let folders = PluginLoader.searchFolders(executableFolder: "/opt/myo/bin", environment: ["MYOSHELL_PLUGIN_PATH": "/a:/b", "HOME": "/home/u"])
        #expect(folders.map(\.folder) == ["/opt/myo/bin", "/a", "/b", "/home/u/.local/share/myoshell/plugins"])
        let xdg = PluginLoader.searchFolders(executableFolder: nil, environment: ["XDG_DATA_HOME": "/x"])
        #expect(xdg.map(\.folder) == ["/x/myoshell/plugins"])
    }

    @Test func refusesAMismatchedABIAndKeepsGoing() throws {
        let folder = TestEnvironment.temporaryFolder()
        _ = try buildCLibrary("""
        #include <stdint.h>
        uint32_t myoshell_plugin_entry(uint32_t host, void **out) { *out = 0; return 999; }
        """, named: "future", in: folder)
        _ = try buildCLibrary("int unrelated(void) { return 1; }", named: "notaplugin", in: folder)
        try "not a library".write(toFile: folder + "/libjunk.so", atomically: true, encoding: .utf8)
        let (session, output, _) = makeTestSession()
        PluginLoader.loadAll(into: session, folders: [(folder, true)])
        let reasons = session.plugins.failed.map { "\(($0.file as NSString).lastPathComponent): \($0.reason)" }
        #expect(reasons.contains("libfuture.so: built for plugin ABI 999, but this MyoShell speaks ABI \(pluginABIVersion); rebuild the plugin against this MyoKit"))
        #expect(reasons.contains("libnotaplugin.so: not a MyoShell plugin: it exports no myoshell_plugin_entry symbol"))
        #expect(reasons.contains { $0.hasPrefix("libjunk.so: cannot be opened as a library") })
        // The shell goes on, and `plugins` lists the failures.
        try session.execute("plugins")
        #expect(output.text.contains("failed: \(folder)/libfuture.so: built for plugin ABI 999"))
        #expect(session.registry.lookup("stats") != nil)
    }

    /// Builds Examples/HelloPlugin outside the package (swiftc against the built MyoKit), puts it on
    /// MYOSHELL_PLUGIN_PATH, and runs its command through the real executable.
    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func buildsAndLoadsAnOutOfTreePlugin() throws {
        let folder = TestEnvironment.temporaryFolder()
        let products = TestEnvironment.productsFolder
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc", "-emit-library", "-O", "-module-name", "MyoHello", "-swift-version", "5",
                             "-I", products + "/Modules", "-L", products, "-lMyoKit",
                             TestEnvironment.repositoryRoot + "/Examples/HelloPlugin/Sources/MyoHello/HelloPlugin.swift",
                             "-o", folder + "/libMyoHello.so"]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let result = try runMyoShell(["-c", "load sample-data/mvc.csv as m; duration m.GM_*; duration m.GM_L from=2s to=5s in=min; plugins"],
                                     environment: ["MYOSHELL_PLUGIN_PATH": folder])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("duration1: durations"))
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("m.GM_L") && $0.contains(" 20000 ") && $0.contains(" 10 ") }, "\(result.stdout)")
        // The typed arguments: 3 s of 2 kHz is 6000 samples, 0.05 min.
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("m.GM_L") && $0.contains(" 6000 ") && $0.contains(" 0.05 ") }, "\(result.stdout)")
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("example.duration ") && $0.contains(" 0.2.0 ") })
        // A third-party plugin's declared measure can be kept in the progress database.
        let kept = try runMyoShell(["-c", "db open :memory:; subject add X1; load sample-data/mvc.csv as m; duration m.GM_* as d; keep d subject=X1 date=2026-11-02; progress X1"],
                                   environment: ["MYOSHELL_PLUGIN_PATH": folder])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("kept 2 measures of d in X1's session of 2026-11-02: m.GM_L.active, m.GM_R.active"), "\(kept.stdout)")
        #expect(kept.stdout.contains("m.GM_L.active") && kept.stdout.contains("baseline only"))
        // The spec's constraint and limits hold for a plugin's arguments too.
        let refused = try runMyoShell(["-c", "load sample-data/mvc.csv as m; duration m.GM_L from=5s to=2s"], environment: ["MYOSHELL_PLUGIN_PATH": folder])
        #expect(refused.status == 1 && refused.stderr.contains("to=2 s is not valid: expected a time after from=5 s"), "\(refused.stderr)")
        // `plugin load` at run time: a second copy of the same id is refused, clearly.
        let again = try runMyoShell(["-c", "plugin load \(folder)/libMyoHello.so"], environment: ["MYOSHELL_PLUGIN_PATH": folder])
        #expect(again.status == 1)
        #expect(again.stderr.contains("plugin example.duration is already loaded from \(folder)/libMyoHello.so"))
    }

    /// Plugin loading is all or nothing: a plugin with one command that clashes (with the shell,
    /// or twice within itself) adds none of its commands, and says so.
    @Test(.enabled(if: TestEnvironment.hasExecutable), arguments: [
        ("CommandSpec(name: \"crop\", abstract: \"a clash with the shell\", arguments: [], examples: [\"crop\"])", "its command 'crop' is already defined by myoshell"),
        ("CommandSpec(name: \"duration\", abstract: \"the same name twice\", arguments: [], examples: [\"duration\"])", "it defines 'duration' twice (by duration and by duration)"),
    ])
    func clashingPluginAddsNoCommand(extra: String, reason: String) throws {
        let folder = TestEnvironment.temporaryFolder()
        let products = TestEnvironment.productsFolder
        var source = try String(contentsOfFile: TestEnvironment.repositoryRoot + "/Examples/HelloPlugin/Sources/MyoHello/HelloPlugin.swift", encoding: .utf8)
        let original = "commands: [PluginCommand(spec: DurationCommand.spec, run: DurationCommand.run)]"
        try #require(source.contains(original))
        source = source.replacingOccurrences(of: original, with: "commands: [PluginCommand(spec: DurationCommand.spec, run: DurationCommand.run), PluginCommand(spec: \(extra), run: DurationCommand.run)]")
        try source.write(toFile: folder + "/Clash.swift", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc", "-emit-library", "-O", "-module-name", "MyoClash", "-swift-version", "5",
                             "-I", products + "/Modules", "-L", products, "-lMyoKit", folder + "/Clash.swift", "-o", folder + "/libMyoClash.so"]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let result = try runMyoShell(["-c", "plugins; load sample-data/mvc.csv as m; duration m.GM_L"], environment: ["MYOSHELL_PLUGIN_PATH": folder])
        #expect(result.stdout.contains("failed: \(folder)/libMyoClash.so: \(reason)") && result.stdout.contains("none of its commands were added"), "\(result.stdout)")
        #expect(result.status == 1 && result.stderr.contains("unknown command 'duration'"), "\(result.stderr)")
    }
}
