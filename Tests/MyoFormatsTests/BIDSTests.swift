import Foundation
import MyoCore
import MyoFormats
import MyoTestSupport
import Testing

/// BIDS EMG (BIDS 1.11): `export ... bids=yes` writes the files and columns the specification
/// requires, `load` reads them back, and what the sidecars state overrides the data file with a
/// sentence for every difference.
@Suite struct BIDSTests {
    static func exported() throws -> (folder: String, base: String) {
        let folder = TestEnvironment.temporaryFolder()
        let result = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; export b to \(folder)/study bids=yes subject=01 session=1 task=bridge"])
        #expect(result.status == 0, "\(result.stderr)")
        return (folder, "\(folder)/study/sub-01/ses-1/emg/sub-01_ses-1_task-bridge")
    }

    @Test func exportWritesTheRequiredFilesAndColumns() throws {
        let (folder, base) = try Self.exported()
        let description = try JSONValue.parse(try String(contentsOfFile: folder + "/study/dataset_description.json", encoding: .utf8))
        #expect(description["Name"]?.string == "b" && description["BIDSVersion"]?.string == "1.11.0")
        let channels = try String(contentsOfFile: base + "_channels.tsv", encoding: .utf8).split(separator: "\n")
        #expect(channels[0].hasPrefix("name\ttype\tunits\t"))
        #expect(channels.dropFirst().contains { $0.hasPrefix("GM_L\tEMG\tmV\t2000\tgood") })
        let sidecar = try JSONValue.parse(try String(contentsOfFile: base + "_emg.json", encoding: .utf8))
        for key in ["TaskName", "SamplingFrequency", "PowerLineFrequency", "EMGReference", "EMGPlacementScheme", "SoftwareFilters", "RecordingType"] {
            #expect(sidecar[key] != nil, "emg.json lacks \(key)")
        }
        #expect(try String(contentsOfFile: base + "_events.tsv", encoding: .utf8).hasPrefix("onset\tduration\ttrial_type\n"))
        #expect(FileManager.default.fileExists(atPath: base + "_emg.edf"))
        let again = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; export b to \(folder)/study bids=yes subject=01 session=1 task=bridge"])
        #expect(again.status == 1 && again.stderr.contains("exists; export never writes over a recording"))
        let noTask = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; export b to \(folder)/other bids=yes subject=01"])
        #expect(noTask.stderr.contains("bids=yes needs subject= and task="))
    }

    @Test func sidecarsOverrideTheFileAndSayWhere() throws {
        let (_, base) = try Self.exported()
        guard case .recording(let plain) = try RecordingLoader.load(path: base + "_emg.edf", name: "p").object else { Issue.record("not a recording"); return }
        #expect(plain.channels.contains { $0.name == "GM_L" && $0.unit == "mV" && $0.sampleRateHz == 2000 })
        // Edit the sidecars as a lab would: another unit, a bad channel, a muscle, mains, an event.
        var channels = try String(contentsOfFile: base + "_channels.tsv", encoding: .utf8)
        channels = channels.replacingOccurrences(of: "GM_L\tEMG\tmV\t2000\tgood\tn/a", with: "GM_L\tEMG\tuV\t2000\tbad\tlead off")
        try channels.write(toFile: base + "_channels.tsv", atomically: true, encoding: .utf8)
        try "{\"TaskName\":\"bridge\",\"SamplingFrequency\":2000,\"PowerLineFrequency\":50,\"EMGReference\":\"bipolar\",\"EMGPlacementScheme\":\"SENIAM\"}\n"
            .write(toFile: base + "_emg.json", atomically: true, encoding: .utf8)
        try "onset\tduration\ttrial_type\n3.5\t0\tfirst bridge\n".write(toFile: base + "_events.tsv", atomically: true, encoding: .utf8)
        let result = try RecordingLoader.load(path: base + "_emg.edf", name: "s")
        guard case .recording(let recording) = result.object else { Issue.record("not a recording"); return }
        #expect(recording.channels.first { $0.name == "GM_L" }?.unit == "uV")
        #expect(result.warnings.contains { $0.hasSuffix("GM_L is in uV there and mV in sub-01_ses-1_task-bridge_emg.edf: the sidecar's unit is used") }, "\(result.warnings)")
        #expect(recording.badChannels["GM_L"] == "lead off (sub-01_ses-1_task-bridge_channels.tsv)")
        #expect(recording.metadata["mains"] == "50" && recording.metadata["EMGPlacementScheme"] == "SENIAM")
        #expect(recording.events.contains { $0.label == "first bridge" && abs($0.timeSeconds - 3.5) < 1e-9 })
        #expect(recording.provenance.sourceNotes.contains("BIDS sidecars read: channels.tsv, emg.json, events.tsv"))
    }

    /// The inheritance principle: a root `task-bridge_emg.json` applies to every bridge recording,
    /// a subject's own sidecar overrides it key by key, a root channels.tsv serves a recording
    /// without its own; a session's scans.tsv gives the recording's acquisition date.
    @Test func inheritedSidecarsAndScanDates() throws {
        let (folder, base) = try Self.exported()
        let root = folder + "/study"
        try FileManager.default.removeItem(atPath: base + "_emg.json")
        try FileManager.default.moveItem(atPath: base + "_channels.tsv", toPath: root + "/task-bridge_channels.tsv")
        var channels = try String(contentsOfFile: root + "/task-bridge_channels.tsv", encoding: .utf8)
        channels = channels.replacingOccurrences(of: "GM_R\tEMG\tmV\t2000\tgood\tn/a", with: "GM_R\tEMG\tmV\t2000\tbad\tloose")
        try channels.write(toFile: root + "/task-bridge_channels.tsv", atomically: true, encoding: .utf8)
        try "{\"TaskName\":\"bridge\",\"PowerLineFrequency\":60,\"EMGPlacementScheme\":\"SENIAM\"}\n".write(toFile: root + "/task-bridge_emg.json", atomically: true, encoding: .utf8)
        try "{\"PowerLineFrequency\":50}\n".write(toFile: root + "/sub-01/sub-01_task-bridge_emg.json", atomically: true, encoding: .utf8)
        try "{\"PowerLineFrequency\":70}\n".write(toFile: root + "/task-other_emg.json", atomically: true, encoding: .utf8)   // another task: not applicable
        try "filename\tacq_time\nemg/sub-01_ses-1_task-bridge_emg.edf\t2026-03-02T10:15:00\n".write(toFile: root + "/sub-01/ses-1/sub-01_ses-1_scans.tsv", atomically: true, encoding: .utf8)
        guard case .recording(let recording) = try RecordingLoader.load(path: base + "_emg.edf", name: "s").object else { Issue.record("not a recording"); return }
        #expect(recording.metadata["mains"] == "50" && recording.metadata["EMGPlacementScheme"] == "SENIAM" && recording.metadata["TaskName"] == "bridge")
        #expect(recording.badChannels["GM_R"] == "loose (task-bridge_channels.tsv)")
        #expect(recording.provenance.sourceNotes.contains("BIDS sidecars read: channels.tsv, emg.json (2 files, inherited), events.tsv"), "\(recording.provenance.sourceNotes)")
        #expect(BIDSDataset.scanDate(of: base + "_emg.edf") == "2026-03-02")
        #expect(Set(BIDSDataset.sidecars(of: base + "_emg.edf")) == [root + "/task-bridge_channels.tsv", root + "/sub-01/sub-01_task-bridge_emg.json", root + "/task-bridge_emg.json",
                                                                      base + "_events.tsv", root + "/sub-01/ses-1/sub-01_ses-1_scans.tsv"])
    }

    /// A stated PowerLineFrequency is checked against the data: sorensen.csv has 50 Hz mains by
    /// construction; a sidecar saying 60 Hz gets a note, and the data's frequency is used.
    @Test func aStatedMainsFrequencyIsCheckedAgainstTheData() throws {
        let folder = TestEnvironment.temporaryFolder()
        #expect(try runMyoShell(["-c", "load sample-data/sorensen.csv as s; export s to \(folder)/ds bids=yes subject=01 task=hold"]).status == 0)
        let sidecar = "\(folder)/ds/sub-01/emg/sub-01_task-hold_emg.json"
        let text = try String(contentsOfFile: sidecar, encoding: .utf8).replacingOccurrences(of: "\"PowerLineFrequency\":\"n/a\"", with: "\"PowerLineFrequency\":60")
        try text.write(toFile: sidecar, atomically: true, encoding: .utf8)
        let result = try runMyoShell(["-c", "load \(folder)/ds/sub-01/emg/sub-01_task-hold_emg.edf as q; quality q"])
        #expect(result.stdout.contains("the recording's sidecar states 60 Hz mains, but the data show 50 Hz"), "\(result.stdout)")
    }
}
