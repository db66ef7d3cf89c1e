import MyoCore
import MyoFiles

/// The sidecars of a BIDS EMG recording (BIDS 1.11, EMG): beside `sub-01_ses-1_task-lift_emg.edf`,
/// `sub-01_ses-1_task-lift_channels.tsv` (name, type, units, sampling_frequency, status,
/// status_description, target_muscle, one row per channel in the file's order),
/// `..._emg.json` (SamplingFrequency, PowerLineFrequency, TaskName, EMGReference,
/// EMGPlacementScheme) and `..._events.tsv` (onset, duration, trial_type or value). What they state
/// overrides what the data file says: names, units, rates, bad channels, events; every difference
/// is reported, one sentence each. Sidecars are inherited as the BIDS inheritance principle says:
/// a sidecar in the file's folder or any folder above it up to the dataset's root (the folder
/// with dataset_description.json) applies when its entities are a subset of the file's
/// (`task-lift_emg.json` at the root applies to every lift recording); JSON sidecars merge key by
/// key, the nearest and most specific winning; of TSV sidecars the nearest, most specific one is read.
enum BIDSSidecars {
    /// The sidecars named `*SUFFIX` (`_emg.json`, `_channels.tsv`) that apply to the file whose
    /// name without suffix is `base`, the nearest and most specific first.
    static func applicable(base: String, suffix: String) -> [String] {
        let slash = base.lastIndex(of: "/")
        var folder = slash.map { String(base[..<$0]) } ?? "."
        let entities = Set((slash.map { base[base.index(after: $0)...] } ?? base[...]).split(separator: "_").map(String.init))
        var found: [String] = []
        for _ in 0..<5 {
            let here = FileSystem.entries(of: folder).filter { $0.hasSuffix(suffix) }.compactMap { file -> (String, Int)? in
                let own = file.dropLast(suffix.count).split(separator: "_").map(String.init)
                // The file's own sidecar always; others only of key-value entities (sub-01, task-lift).
                guard !own.isEmpty, Set(own).isSubset(of: entities), Set(own) == entities || own.allSatisfy({ $0.contains("-") }) else { return nil }
                return (folder + "/" + file, own.count)
            }
            found += here.sorted { ($1.1, $0.0) < ($0.1, $1.0) }.map(\.0)
            if FileSystem.exists(folder + "/dataset_description.json") { break }
            let parent = folder == "." ? ".." : (folder.lastIndex(of: "/").map { String(folder[..<$0]) } ?? ".")
            guard parent != folder, !parent.isEmpty, FileSystem.isFolder(parent) else { break }
            folder = parent
        }
        return found
    }

    /// `.../sub-01_task-x_emg.edf` -> `.../sub-01_task-x`; nil for a file not named `*_emg.EXT`.
    static func base(of path: String) -> String? {
        guard let dot = path.lastIndex(of: "."), path[..<dot].hasSuffix("_emg") else { return nil }
        return String(path[..<dot].dropLast(4))
    }

    /// Rows of a TSV file as dictionaries by header name; nil when absent or unreadable.
    static func table(_ path: String) -> [[String: String]]? {
        guard FileSystem.exists(path), let text = FileSystem.readText(path) else { return nil }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { String($0).trimmingCharacters(in: ["\r"]) }.filter { !$0.isEmpty }
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else { return nil }
        return lines.dropFirst().map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(zip(header, cells).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
        }
    }

    static func apply(to recording: inout Recording, path: String) -> [String] {
        guard let base = base(of: path) else { return [] }
        let name = { (file: String) in file.split(separator: "/").last.map(String.init) ?? file }
        var warnings: [String] = [], used: [String] = []
        if let channelsFile = applicable(base: base, suffix: "_channels.tsv").first, let rows = table(channelsFile) {
            let file = name(channelsFile)
            used.append("channels.tsv")
            let byPosition = rows.count == recording.channels.count
            if !byPosition {
                warnings.append("\(file) lists \(rows.count) channels and \(name(path)) holds \(recording.channels.count): matched by name only")
            }
            for (position, row) in rows.enumerated() {
                guard let listed = row["name"], !listed.isEmpty else { continue }
                guard let index = recording.channels.firstIndex(where: { $0.name == listed }) ?? (byPosition ? position : nil) else {
                    warnings.append("\(file): \(listed) is not a channel of \(name(path))")
                    continue
                }
                var channel = recording.channels[index]
                if channel.name != listed {
                    warnings.append("\(file) names channel \(position + 1) \(listed); \(name(path)) calls it \(channel.name): the sidecar's name is used")
                    channel.name = listed
                }
                if let units = row["units"], !units.isEmpty, units != "n/a" {
                    let symbol = UnitDefinition.normalizedSymbol(units) ?? units
                    if channel.unit != symbol {
                        if !channel.unit.isEmpty { warnings.append("\(file): \(listed) is in \(symbol) there and \(channel.unit) in \(name(path)): the sidecar's unit is used") }
                        channel.unit = symbol
                    }
                }
                if let text = row["sampling_frequency"], let rate = Double(text), rate > 0, rate.isFinite, abs(rate - channel.sampleRateHz) > 1e-9 * rate {
                    warnings.append("\(file): \(listed) is sampled at \(NumberFormat.quantity(rate, "Hz")) there and \(NumberFormat.quantity(channel.sampleRateHz, "Hz")) in \(name(path)): the sidecar's rate is used")
                    channel.sampleRateHz = rate
                }
                switch row["type"]?.uppercased() {
                case "EMG": channel.declaredKind = .emg
                case "ACCEL": channel.declaredKind = .acceleration
                case "GYRO": channel.declaredKind = .angularVelocity
                default: break
                }
                if row["status"]?.lowercased() == "bad" {
                    let why = row["status_description"].flatMap { $0.isEmpty || $0 == "n/a" ? nil : $0 } ?? "marked bad"
                    recording.badChannels[listed] = "\(why) (\(file))"
                }
                if let muscle = row["target_muscle"], !muscle.isEmpty, muscle != "n/a" { recording.metadata["muscle.\(listed)"] = muscle }
                recording.channels[index] = channel
            }
        }
        // Inherited JSON merges key by key: the farthest first, each nearer file overriding.
        let jsonFiles = applicable(base: base, suffix: "_emg.json")
        var merged: [(String, JSONValue)] = []
        for file in jsonFiles.reversed() {
            guard let text = FileSystem.readText(file), case .object(let pairs)? = try? JSONValue.parse(text) else { continue }
            for (key, value) in pairs {
                if let index = merged.firstIndex(where: { $0.0 == key }) { merged[index].1 = value } else { merged.append((key, value)) }
            }
        }
        if !jsonFiles.isEmpty {
            let json = JSONValue.object(merged)
            let file = jsonFiles.count == 1 ? name(jsonFiles[0]) : jsonFiles.map(name).joined(separator: " + ")
            used.append(jsonFiles.count == 1 ? "emg.json" : "emg.json (\(jsonFiles.count) files, inherited)")
            if let rate = json["SamplingFrequency"]?.number {
                let emg = recording.channels.filter { $0.kind == .emg }
                if let other = emg.first(where: { abs($0.sampleRateHz - rate) > 1e-9 * rate }) {
                    warnings.append("\(file) states SamplingFrequency \(NumberFormat.quantity(rate, "Hz")); \(other.name) is at \(NumberFormat.quantity(other.sampleRateHz, "Hz"))")
                }
            }
            if let mains = json["PowerLineFrequency"]?.number, mains > 0 { recording.metadata["mains"] = NumberFormat.significant(mains) }
            for key in ["TaskName", "EMGReference", "EMGPlacementScheme"] {
                if let value = json[key]?.string, !value.isEmpty, value != "n/a" { recording.metadata[key] = value }
            }
        }
        if let eventsFile = applicable(base: base, suffix: "_events.tsv").first, let rows = table(eventsFile) {
            used.append("events.tsv")
            var events = recording.events
            for row in rows {
                guard let onset = row["onset"].flatMap(Double.init), onset.isFinite else { continue }
                let label = [row["trial_type"], row["value"]].compactMap { $0 }.first { !$0.isEmpty && $0 != "n/a" } ?? "event"
                if !events.contains(where: { abs($0.timeSeconds - onset) < 1e-6 && $0.label == label }) { events.append(Event(timeSeconds: onset, label: label)) }
            }
            recording.events = events.sorted { ($0.timeSeconds, $0.label) < ($1.timeSeconds, $1.label) }
        }
        if !used.isEmpty { recording.provenance.sourceNotes.append("BIDS sidecars read: " + used.joined(separator: ", ")) }
        return warnings
    }
}

/// What a BIDS dataset says about one of its recordings beyond the recording's own sidecars.
public enum BIDSDataset {
    /// Every sidecar that applies to the recording at `path` (channels.tsv, emg.json, events.tsv,
    /// inherited ones included, and the scans.tsv that lists it), so a batch re-runs when one changes.
    public static func sidecars(of path: String) -> [String] {
        guard let base = BIDSSidecars.base(of: path) else { return [] }
        let own = ["_channels.tsv", "_emg.json", "_events.tsv"].flatMap { BIDSSidecars.applicable(base: base, suffix: $0) }
        return own + (scan(of: path).map { [$0.file] } ?? [])
    }

    /// The acquisition date (YYYY-MM-DD) of the recording at `path` from the `_scans.tsv` of its
    /// session or subject (BIDS: `filename` relative to the scans file's folder, `acq_time` as
    /// YYYY-MM-DDThh:mm:ss); nil when no scans file lists it with a date.
    public static func scanDate(of path: String) -> String? { scan(of: path)?.date }

    private static func scan(of path: String) -> (file: String, date: String)? {
        var folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var relative = path.split(separator: "/").last.map(String.init) ?? path
        for _ in 0..<3 {
            for file in FileSystem.entries(of: folder).filter({ $0.hasSuffix("_scans.tsv") }).sorted() {
                guard let rows = BIDSSidecars.table(folder + "/" + file) else { continue }
                for row in rows where row["filename"] == relative {
                    guard let time = row["acq_time"], time.count >= 10 else { continue }
                    let day = String(time.prefix(10))
                    let parts = day.split(separator: "-")
                    guard parts.count == 3, parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { continue }
                    return (folder + "/" + file, day)
                }
            }
            guard let slash = folder.lastIndex(of: "/") else { break }
            relative = String(folder[folder.index(after: slash)...]) + "/" + relative
            folder = String(folder[..<slash])
            if folder.isEmpty { break }
        }
        return nil
    }
}
