import Foundation
import MyoCore
import MyoShell
import MyoSignal
import MyoTestSupport
import Testing

/// `atypical` on 300 s of two Gaussian EMG channels (0.1 mV RMS, 1 kHz, seeded) with one stretch made
/// unusual: ES_L five times stronger from 150 s to 160 s. That window, and only that one, is
/// atypical, led by ES_L's RMS and the pair's SI; with activity events, a window is compared with
/// its own activity.
@Suite struct AtypicalTests {
    static func session(events: [Event] = []) -> Session {
        let (session, _, _) = makeTestSession()
        var random = RandomSource(seed: 11)
        func channel(_ name: String, boost: Bool) -> Channel {
            let samples = (0..<300_000).map { i -> Float in
                let gain = boost && i >= 150_000 && i < 160_000 ? 0.5 : 0.1
                return Float(gain * random.nextGaussian())
            }
            return Channel(name: name, unit: "mV", sampleRateHz: 1000, samples: samples)
        }
        session.workspace.store(Recording(name: "x", channels: [channel("ES_L", boost: true), channel("ES_R", boost: false)], events: events,
                                          provenance: Provenance(sourceFile: "memory")))
        return session
    }

    @Test func theInjectedStretchAndOnlyItIsAtypical() throws {
        let session = Self.session()
        try session.execute("atypical x window=10s as a")
        let table = try session.workspace.table(named: "a")
        #expect(table.rows.count == 1, "\(table.rows)")
        #expect(table.rows.first?[0] == .number(150) && table.rows.first?[1] == .number(160))
        guard case .text(let features) = table.rows.first?[4] else { Issue.record("no features"); return }
        #expect(features.hasPrefix("ES_L RMS +") && features.contains("ES SI -"), "\(features)")
        #expect(table.notes.first == "1 of 30 windows atypical; 5 features; baseline: all windows")
    }

    @Test func windowsAreComparedWithTheirOwnActivityAndNeedABaseline() throws {
        // The first 100 s are "lying", the rest "sitting": the stretch stays atypical among sitting windows.
        let session = Self.session(events: [Event(timeSeconds: 0, label: "activity: lying"), Event(timeSeconds: 100, label: "activity: sitting")])
        try session.execute("atypical x window=10s as a")
        let table = try session.workspace.table(named: "a")
        #expect(table.rows.count == 1 && table.rows[0][2] == .text("sitting"), "\(table.rows)")
        #expect(errorText(session, "atypical x window=10s baseline=0s..20s") .contains("at least three whole windows of 10 s"))
        #expect(errorText(session, "atypical x window=200s").contains("at least three windows are needed"))
    }

    /// review: answers from a list (as a script's next lines give them), a relabel kept as a label
    /// with its features as the note, resumed with nothing left, refused for another recording.
    @Test func reviewLabelsResumesAndRefusesAnotherRecording() throws {
        let session = Self.session()
        try session.execute("atypical x window=10s as a")
        var answers = ["x", "r artefact"].makeIterator()
        session.answerSource = { answers.next() }
        try session.execute("review a x author=AB")
        try session.execute("labels x as l")
        let labels = try session.workspace.table(named: "l")
        #expect(labels.rows.count == 1 && labels.rows[0][0] == .number(150) && labels.rows[0][3] == .text("artefact") && labels.rows[0][4] == .text("AB"))
        guard case .text(let note) = labels.rows[0][5] else { Issue.record("no note"); return }
        #expect(note.hasPrefix("ES_L RMS +"))
        var none = [String]().makeIterator()
        session.answerSource = { none.next() }
        try session.execute("review a x")
        #expect(try session.workspace.recording(named: "x").metadata["labels"]?.contains("artefact") == true)
        session.workspace.store(Recording(name: "y", channels: [Channel(name: "ES_L", unit: "mV", sampleRateHz: 1000, samples: [Float](repeating: 0, count: 10))], provenance: Provenance(sourceFile: "memory")))
        #expect(errorText(session, "review a y").contains("a lists windows of x, not of y: review it with its own recording (review a x)"))
    }

    /// windows=all: every window with every feature and the label at its centre (the labelled
    /// feature table); the labels survive an EDF export and a re-load, end, author and note included.
    @Test func labelledFeatureTableAndLabelsThatSurviveExportAndReload() throws {
        let session = Self.session()
        try session.execute("label x from=150s to=160s as artefact note='cable moved' author=AB")
        try session.execute("atypical x window=10s windows=all as w")
        let table = try session.workspace.table(named: "w")
        #expect(table.rows.count == 30)
        #expect(table.columns.map(\.name) == ["from", "to", "activity", "ES_L RMS", "ES_L MDF", "ES_R RMS", "ES_R MDF", "ES SI", "largest |z|", "atypical", "label", "author", "note"])
        #expect(table.columns[3].unit == "mV" && table.columns[4].unit == "Hz" && table.columns[7].unit == "%")
        let labelled = table.rows.filter { $0[10] == .text("artefact") }
        #expect(labelled.count == 1 && labelled[0][0] == .number(150) && labelled[0][9] == .text("yes") && labelled[0][11] == .text("AB") && labelled[0][12] == .text("cable moved"))
        #expect(table.rows.filter { $0[9] == .text("yes") }.count == 1)
        // The stretch's ES_L RMS is its generator's 0.5 mV within 5 % (10,000 Gaussian samples).
        if case .number(let rms) = labelled[0][3] { #expect(abs(rms - 0.5) < 0.025, "\(rms)") } else { Issue.record("no RMS") }
        let folder = TestEnvironment.temporaryFolder()
        try session.execute("export x to \(folder)/x.edf")
        try session.execute("export x.labels to \(folder)/before.csv")
        try session.execute("load \(folder)/x.edf as back")
        try session.execute("export back.labels to \(folder)/after.csv")
        #expect(FileManager.default.contents(atPath: folder + "/before.csv") == FileManager.default.contents(atPath: folder + "/after.csv"))
        #expect(try session.workspace.recording(named: "back").labels == [RecordingLabel(from: 150, to: 160, name: "artefact", author: "AB", note: "cable moved")])
    }
}
