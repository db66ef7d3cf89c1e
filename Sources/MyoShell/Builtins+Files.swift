#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats
import MyoPluginAPI
import MyoQuality

extension Builtins {
    enum YesNo: String, CaseIterable { case no, yes }
    static let loadPath = Argument.path("path", extensions: RecordingLoader.fileExtensions, help: "the file to load")
    static let loadFormat = Argument<RecordingFormat?>.optionalChoice("format", RecordingFormat.self, help: "file format, when detection is not wanted")
    static let loadRate = Argument<Double?>.quantity("fs", .frequency, minimum: 1e-9, help: "sample rate for files without a time column")
    static let loadMarkers = Argument.choice("markers", default: YesNo.no, help: "also load C3D marker trajectories")
    static let loadMontage = Argument<String?>.path("montage", extensions: ["yaml", "yml", "csv", "txt"], help: "montage file renaming sensors to muscles (see help montage)")
    enum SampleStorage: String, CaseIterable { case auto, memory, file }
    static let loadStore = Argument.choice("store", default: SampleStorage.auto, help: "EDF/BDF samples in memory, or kept in the file and read as needed (auto: in the file above 512 MiB decoded)")
    static let loadUnit = Argument<String?>.text("unit", help: "unit of the channels the file gives none (mV, uV, ...)")
    static let exported = Argument.object("name", help: "recording, rec.CHANNELS selection, or table")
    static let exportBIDS = Argument.choice("bids", default: YesNo.no, help: "write a BIDS EMG entry (EDF+, channels.tsv, emg.json, events.tsv) under the folder")
    static let bidsSubject = Argument<String?>.text("subject", help: "BIDS subject label (sub-LABEL), with bids=yes")
    static let bidsSession = Argument<String?>.text("session", help: "BIDS session label (ses-LABEL), with bids=yes")
    static let bidsTask = Argument<String?>.text("task", help: "BIDS task label (task-LABEL), with bids=yes")

    static func fileCommands(_ session: Session) -> [PluginCommand] {
        [
            PluginCommand(spec: CommandSpec(
                name: "load", abstract: "Load a recording file into the workspace",
                discussion: """
                The format is found from the file's content; format= overrides it. A path with *, ? or [ that names no file \
                is a pattern: every file it matches loads under its own name (sorted; as NAME is refused). CSV files need a header row and \
                either a time column (time, t, time_s, Time (s), ...) from which the sample rate is inferred and checked \
                for uniformity, or fs=. Units come from headers such as ES_L (mV) or ES_L[mV]. A column filled only every \
                k-th row is a channel at fs/k. A CSV with neither a time column nor fs= loads as a table. \
                unit=mV gives that unit to every channel the file leaves without one (except IMU channels named acc*/gyr*); \
                unit spellings files use (mv, uV, µV, m/s², deg/sec, ...) are read as MyoShell's symbols; see also units and scale. \
                Loading shows a progress bar on stderr when it is a terminal; Ctrl-C cancels and leaves the workspace unchanged. \
                A WFDB record loads from its .hea, its .dat or its bare record name. C3D markers load with markers=yes \
                as NAME_X, NAME_Y, NAME_Z. An EDF/BDF file whose samples would take more than 512 MiB in memory (about 70 min \
                of 16 channels at 2 kHz) is not decoded at load: its samples stay in the file and commands read them block by \
                block (store=file or store=memory decides it yourself; docs/LONG.md). Formats:
                \(RecordingFormat.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n"))
                """,
                arguments: [
                    loadPath, loadFormat, loadRate, loadMarkers, loadMontage, loadUnit, loadStore,
                ],
                acceptsOutputName: true,
                examples: ["load sample-data/bridge-set.csv as bridge", "load export.csv unit=mV", "load trial.csv fs=2000Hz", "load walk.c3d markers=yes"])) { [unowned session] invocation in
                let path = try invocation[loadPath]
                let format = try invocation[loadFormat]
                let unit = try invocation[loadUnit].map { try statedUnit($0, argument: "unit") }
                // A path that exists is a file even when its name holds * ? or [; otherwise a pattern.
                let paths = FileSystem.exists(path) ? [path] : try session.expandPaths(path)
                if paths.count != 1, let outputName = invocation.outputName {
                    throw MyoError.invalidValue(argument: "as", value: outputName, expected: "no name when \(path) matches \(paths.count) files: each loads under its own name")
                }
                var outputs: [CommandOutput] = []
                var names = Set<String>()
                for path in paths {
                    let name = invocation.outputName ?? defaultName(forPath: path)
                    guard names.insert(name).inserted else { throw MyoError.other("two files of \(try invocation[loadPath]) would load as \(name); load them one by one with as NAME") }
                    outputs += try loadOne(path, name: name, format: format, unit: unit, invocation: invocation, session: session)
                }
                return outputs
            },
            PluginCommand(spec: CommandSpec(
                name: "export", abstract: "Write a recording, some of its channels, or a table to CSV, JSON or EDF+",
                discussion: """
                Writes atomically (a temporary file, then a rename). Refuses to overwrite a file that was loaded as a \
                recording. A signal's CSV has the header time (s),NAME (unit),... EDF+ (.edf) holds signals with the \
                recording's events as annotations, 16-bit: each channel's range is mapped onto -32768..32767, so the \
                step is (max - min) / 65535; the data record is 1 s when every rate is a whole number of Hz.
                """,
                arguments: [exported, exportBIDS, bidsSubject, bidsSession, bidsTask],
                destination: DestinationSpec(extensions: ["csv", "json", "edf"], required: true, help: "output file (a BIDS dataset folder with bids=yes)", acceptsFolder: true),
                examples: ["export bridge.GM_* to out/gm.csv", "export stats1 to out/stats.csv", "export bridge to out/bridge.edf",
                           "export bridge to study bids=yes subject=01 session=1 task=bridge"], streams: true)) { [unowned session] invocation in
                let selection = try invocation[exported]
                let path = try invocation.requiredDestination
                let folderGiven = !(path.split(separator: "/").last.map(String.init) ?? path).contains(".")
                if try invocation[exportBIDS] == .yes {
                    guard folderGiven else { throw MyoError.invalidValue(argument: "to", value: path, expected: "a folder (the BIDS dataset's root) with bids=yes") }
                    let recording = try session.workspace.recording(named: selection)
                    guard let subject = try invocation[bidsSubject], let task = try invocation[bidsTask] else {
                        throw MyoError.other("bids=yes needs subject= and task= (session= is optional): they name the files, as sub-01_ses-1_task-lift_emg.edf")
                    }
                    let (written, warnings) = try BIDSExport.write(recording, root: path, subject: subject, session: try invocation[bidsSession], task: task)
                    return warnings.map(CommandOutput.warning) + [.message("wrote \(recording.name) as BIDS EMG: " + written.joined(separator: ", "))]
                }
                guard !folderGiven else { throw MyoError.invalidValue(argument: "to", value: path, expected: "a file ending in .csv, .json or .edf (a folder only with bids=yes)") }
                let json = path.lowercased().hasSuffix(".json")
                let edf = path.lowercased().hasSuffix(".edf")
                if edf, session.workspace.tables[selection] != nil {
                    throw MyoError.other("\(selection) is a table; EDF holds signals only, so export it to .csv or .json")
                }
                // REC.labels: the recording's labels as a table (for model training in Python).
                if selection.hasSuffix(".labels"), let recording = session.workspace.recordings[String(selection.dropLast(7))] {
                    let table = RecordingLabels.table(recording)
                    if json { try JSONExport.write(table, to: path) } else if !edf { try CSVWriter.write(table, to: path) } else {
                        throw MyoError.other("labels are a table; export them to .csv or .json")
                    }
                    return [.message("wrote \(table.rows.count) labels of \(recording.name) to \(path)")]
                }
                if let table = session.workspace.tables[selection] {
                    if json { try JSONExport.write(table, to: path) } else { try CSVWriter.write(table, to: path) }
                    return [.message("wrote table \(selection) (\(table.rows.count) rows) to \(path)")]
                }
                let refs = try ChannelSelection.resolve(selection, in: session.workspace)
                let recording = try session.workspace.recording(named: refs[0].recordingName)
                let channels = refs.map(\.channel)
                if edf {
                    let warnings = try EDFWriter.write(channels, events: recording.events, to: path)
                    // Labels keep their end, author and note beside the file; load reads them back.
                    if !recording.labels.isEmpty { try AtomicFile.write(Sidecar.labelsTSV(recording.labels), to: Sidecar.stem(path) + ".labels.tsv") }
                    return warnings.map(CommandOutput.warning) + [.message("wrote \(channels.count) channel\(channels.count == 1 ? "" : "s") and \(recording.events.count) events of \(recording.name) to \(path) (EDF+)")]
                }
                // EDF streams; text formats take the channels in memory (a day as CSV is no use to anyone).
                let inMemory = try channels.map { try $0.materialized() }
                if json { try JSONExport.write(recording, channels: inMemory, to: path) } else { try CSVWriter.write(inMemory, to: path) }
                return [.message("wrote \(channels.count) channel\(channels.count == 1 ? "" : "s") of \(recording.name) to \(path)")]
            },
        ]
    }

    /// `sample-data/bridge-set.csv` -> `bridge-set`; names must start with a letter.
    static func loadOne(_ path: String, name: String, format: RecordingFormat?, unit: String?, invocation: Invocation, session: Session) throws -> [CommandOutput] {
        let bar = ProgressBar.isAvailable ? ProgressBar(label: path) : nil
        defer { bar?.finish() }
        let result = try RecordingLoader.load(path: path, name: name, format: format, sampleRateHz: invocation[loadRate],
                                              includeMarkers: invocation[loadMarkers] == .yes,
                                              samplesStay: ["file": true, "memory": false][try invocation[loadStore].rawValue],
                                              progress: bar.map { bar in LoadProgress { bar.update($0) } })
        var outputs: [CommandOutput] = result.warnings.map(CommandOutput.warning)
        switch result.object {
        case .recording(var recording):
            if recording.channels.contains(where: \.isFileBacked) {
                // Screening reads every sample: a day's load would no longer take a moment.
                outputs.append(.message("\(recording.name): samples stay in \(path) (\(MemoryBudget.describe(Double(recording.channels.reduce(0) { $0 + $1.sampleCount }) * 4)) as Float32) and are read block by block; quality \(recording.name) screens them for constant and saturated channels"))
            } else if let line = LoadScreen.apply(to: &recording, path: path) {
                outputs.append(.warning(line))
            }
            if let unit {
                let named = stateMissingUnits(unit, in: &recording)
                outputs.append(named.isEmpty ? .warning("unit=\(unit): every channel of \(path) already has a unit; use units to change one")
                                             : .message("\(recording.name): \(named.count) channel\(named.count == 1 ? "" : "s") without a unit read in \(unit)"))
            }
            if let montage = try invocation[loadMontage] {
                outputs += montageWarning(try Montage.load(path: montage).apply(to: &recording), recording: recording.name)
            }
            outputs.append(.recording(recording))
        case .table(var table):
            table.title = "\(path) (loaded as a table)"
            outputs.append(.table(table))
        }
        return outputs
    }

    static func defaultName(forPath path: String) -> String {
        var base = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        var name = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        if !(name.first?.isLetter ?? false) { name = "r" + name }
        return name
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
