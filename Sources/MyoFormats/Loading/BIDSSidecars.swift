import MyoCore
import MyoFiles

/// The sidecars of a BIDS EMG recording (BIDS 1.11, EMG): beside `sub-01_ses-1_task-lift_emg.edf`,
/// `sub-01_ses-1_task-lift_channels.tsv` (name, type, units, sampling_frequency, status,
/// status_description, target_muscle, one row per channel in the file's order),
/// `..._emg.json` (SamplingFrequency, PowerLineFrequency, TaskName, EMGReference,
/// EMGPlacementScheme) and `..._events.tsv` (onset, duration, trial_type or value). What they state
/// overrides what the data file says: names, units, rates, bad channels, events; every difference
/// is reported, one sentence each. Sidecars inherited from higher folders are not read.
enum BIDSSidecars {
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
        if let rows = table(base + "_channels.tsv") {
            let file = name(base + "_channels.tsv")
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
        if let text = FileSystem.readText(base + "_emg.json"), let json = try? JSONValue.parse(text) {
            let file = name(base + "_emg.json")
            used.append("emg.json")
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
        if let rows = table(base + "_events.tsv") {
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
