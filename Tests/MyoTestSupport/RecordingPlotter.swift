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
    let output = BufferOutput()
    let plotter = RecordingPlotter()
    let session = Session(output: output, plotter: plotter)
    // Progress commands in tests write to a database of the test's own, never the user's (not
    // through setenv: other threads start processes, which read the environment meanwhile).
    session.databasePath = TestEnvironment.temporaryFolder() + "/progress.sqlite"
    session.hasDisplay = false
    session.terminalSize = { (80, 24) }
    if loadPlugins {
        PluginLoader.loadAll(into: session, folders: [(TestEnvironment.productsFolder, false)])
    }
    return (session, output, plotter)
}
