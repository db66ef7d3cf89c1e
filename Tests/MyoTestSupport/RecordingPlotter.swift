import Foundation
import MyoCore
import MyoPlot
import MyoShell

/// A plotter that keeps every request instead of drawing (the shell's embedded test double).
public final class RecordingPlotter: Plotter {
    public private(set) var requests: [(PlotRequest, PlotTarget)] = []
    public init() {}
    public func render(_ request: PlotRequest, target: PlotTarget) throws -> String? {
        requests.append((request, target))
        return nil
    }
}

/// A session with in-memory output and a recording plotter, plus the stats plugin when built.
public func makeTestSession(loadPlugins: Bool = true) -> (Session, BufferOutput, RecordingPlotter) {
    // Progress commands in tests write to a database in the test run's folder, never the user's.
    if getenv("MYOSHELL_DB") == nil { setenv("MYOSHELL_DB", TestEnvironment.temporaryFolder() + "/progress.sqlite", 1) }
    let output = BufferOutput()
    let plotter = RecordingPlotter()
    let session = Session(output: output, plotter: plotter)
    session.hasDisplay = false
    session.terminalSize = { (80, 24) }
    if loadPlugins {
        PluginLoader.loadAll(into: session, folders: [(TestEnvironment.productsFolder, false)])
    }
    return (session, output, plotter)
}
