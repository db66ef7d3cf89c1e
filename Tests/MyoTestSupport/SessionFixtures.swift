import Foundation
import MyoCore
import MyoShell

/// A session with plugins loaded and one recording `r` of closed-form channels: a 2 Hz sine of
/// amplitude 2 mV (SIN_L) and 0.25 mV DC (DC_R) at 1 kHz, and 1 g on ACC_X at 100 Hz, 4 s each.
public func closedFormSession() -> (Session, BufferOutput, RecordingPlotter) {
    let (session, output, plotter) = makeTestSession()
    let fs = 1000.0
    let sine = (0..<4000).map { Float(2 * sin(2 * Double.pi * 2 * Double($0) / fs)) }
    let recording = Recording(name: "r", channels: [
        Channel(name: "SIN_L", unit: "mV", sampleRateHz: fs, samples: sine),
        Channel(name: "DC_R", unit: "mV", sampleRateHz: fs, samples: [Float](repeating: 0.25, count: 4000)),
        Channel(name: "ACC_X", unit: "g", sampleRateHz: 100, samples: [Float](repeating: 1, count: 400)),
    ], provenance: Provenance(sourceFile: "memory"))
    session.workspace.store(recording)
    return (session, output, plotter)
}

public func errorText(_ session: Session, _ line: String) -> String {
    do { try session.execute(line); return "no error" } catch { return "\(error)" }
}
