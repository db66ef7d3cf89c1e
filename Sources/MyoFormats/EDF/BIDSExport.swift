import MyoCore
import MyoFiles

/// Writes a recording as a BIDS EMG entry (BIDS 1.11, EMG) under a dataset folder:
/// `dataset_description.json` at the root (made when absent), and in `sub-S/[ses-E/]emg/`
/// `sub-S[_ses-E]_task-T_emg.edf` (EDF+, 16-bit, events as annotations), `..._channels.tsv`
/// (name, type, units, sampling_frequency, status, status_description), `..._emg.json`
/// (SamplingFrequency, PowerLineFrequency, TaskName, EMGReference, EMGPlacementScheme and its
/// description, SoftwareFilters, RecordingType, EMGChannelCount) and `..._events.tsv` (onset,
/// duration, trial_type). Every file is written atomically; an existing data file is refused.
public enum BIDSExport {
    /// BIDS labels are alphanumeric.
    static func checkedLabel(_ label: String, _ argument: String) throws -> String {
        guard !label.isEmpty, label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw MyoError.invalidValue(argument: argument, value: label, expected: "letters and digits only (a BIDS label)")
        }
        return label
    }

    static func tsvCell(_ text: String) -> String { text.isEmpty ? "n/a" : text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }

    public static func write(_ recording: Recording, root: String, subject: String, session: String?, task: String) throws -> (written: [String], warnings: [String]) {
        let sub = try checkedLabel(subject, "subject"), taskLabel = try checkedLabel(task, "task")
        let ses = try session.map { try checkedLabel($0, "session") }
        let folder = root + "/sub-\(sub)" + (ses.map { "/ses-\($0)" } ?? "") + "/emg"
        let base = folder + "/sub-\(sub)" + (ses.map { "_ses-\($0)" } ?? "") + "_task-\(taskLabel)"
        let data = base + "_emg.edf"
        guard !FileSystem.exists(data) else { throw MyoError.file(path: data, reason: "exists; export never writes over a recording") }
        try FileSystem.createFolders(folder)
        var written: [String] = []
        let description = root + "/dataset_description.json"
        if !FileSystem.exists(description) {
            let json = JSONValue.object([("Name", .string(recording.name)), ("BIDSVersion", .string("1.11.0")), ("DatasetType", .string("raw")),
                                         ("GeneratedBy", .array([.object([("Name", .string("MyoShell"))])]))])
            try AtomicFile.write(json.serialized() + "\n", to: description)
            written.append(description)
        }
        let warnings = try EDFWriter.write(recording.channels, events: recording.events, to: data)
        written.append(data)
        func type(_ channel: Channel) -> String {
            switch channel.kind {
            case .emg: return "EMG"
            case .acceleration: return "ACCEL"
            case .angularVelocity: return "GYRO"
            default: return ["ECG", "EKG"].contains { channel.name.uppercased().hasPrefix($0) } ? "ECG" : "MISC"
            }
        }
        var channels = "name\ttype\tunits\tsampling_frequency\tstatus\tstatus_description\n"
        for channel in recording.channels {
            let bad = recording.badChannels[channel.name]
            channels += [channel.name, type(channel), channel.unit, NumberFormat.significant(channel.sampleRateHz, digits: 10), bad == nil ? "good" : "bad", bad ?? ""].map(tsvCell).joined(separator: "\t") + "\n"
        }
        try AtomicFile.write(channels, to: base + "_channels.tsv")
        written.append(base + "_channels.tsv")
        let emg = recording.channels.filter { $0.kind == .emg }
        let rate = emg.map(\.sampleRateHz).max() ?? recording.channels.map(\.sampleRateHz).max() ?? 0
        let mains = recording.metadata["mains"].flatMap(Double.init)
        let sidecar = JSONValue.object([
            ("TaskName", .string(taskLabel)),
            ("SamplingFrequency", .number(rate)),
            ("PowerLineFrequency", mains.map(JSONValue.number) ?? .string("n/a")),
            ("EMGChannelCount", .integer(emg.count)),
            ("EMGReference", .string(recording.metadata["EMGReference"] ?? "n/a")),
            ("EMGPlacementScheme", .string(recording.metadata["EMGPlacementScheme"] ?? "Other")),
            ("EMGPlacementSchemeDescription", .string("not recorded in MyoShell's workspace; see the study's protocol")),
            ("SoftwareFilters", .string("n/a")),
            ("RecordingType", .string("continuous")),
        ])
        try AtomicFile.write(sidecar.serialized() + "\n", to: base + "_emg.json")
        written.append(base + "_emg.json")
        var events = "onset\tduration\ttrial_type\n"
        for event in recording.events { events += "\(NumberFormat.significant(event.timeSeconds, digits: 10))\t0\t\(tsvCell(event.label))\n" }
        try AtomicFile.write(events, to: base + "_events.tsv")
        written.append(base + "_events.tsv")
        return (written, warnings)
    }
}
