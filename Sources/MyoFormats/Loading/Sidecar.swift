import MyoCore
import MyoFiles

/// What files beside a recording state about it. Today: the IMU's mount, from `STEM.json` (a
/// sidecar of the recording, BIDS style: `{"mount": "+Z+X+Y"}`) or from the simulator's
/// `STEM.truth.json` (its `imu` sentence names the mount, as the sample data's README does).
/// A sidecar that is not readable JSON or names no valid mount is ignored; the recording's
/// provenance notes the one used.
public enum Sidecar {
    public static func apply(to recording: inout Recording, path: String) {
        let stem = Self.stem(path)
        // Labels exported beside the recording (`export REC to FILE.edf` writes STEM.labels.tsv).
        if let rows = BIDSSidecars.table(stem + ".labels.tsv") {
            recording.labels = rows.compactMap { row in
                guard let from = row["from_s"].flatMap(Double.init), let to = row["to_s"].flatMap(Double.init), let name = row["label"] else { return nil }
                return RecordingLabel(from: from, to: to, name: name, author: row["author"] ?? "", note: row["note"] ?? "")
            }
            recording.provenance.sourceNotes.append("\(recording.labels.count) labels read from \(stem.split(separator: "/").last.map(String.init) ?? stem).labels.tsv")
        }
        applyMount(to: &recording, stem: stem, path: path)
    }

    /// The files beside the recording at `path` that `apply` reads when they exist (labels, then
    /// the mount's sidecars), so a batch can tell when one changed.
    public static func files(of path: String) -> [String] {
        let stem = Self.stem(path)
        return [stem + ".labels.tsv", stem + ".json", stem + ".truth.json"].filter { $0 != path }
    }

    /// The path without its extension.
    public static func stem(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let dot = path.lastIndex(of: ".").flatMap { dot in (slash.map { $0 < dot } ?? true) ? dot : nil }
        return dot.map { String(path[..<$0]) } ?? path
    }

    /// A recording's labels as the TSV `load` reads back beside FILE (from_s, to_s, label, author, note).
    public static func labelsTSV(_ labels: [RecordingLabel]) -> String {
        func clean(_ text: String) -> String { String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 }) }
        return "from_s\tto_s\tlabel\tauthor\tnote\n" + labels.map { "\($0.from)\t\($0.to)\t\(clean($0.name))\t\(clean($0.author))\t\(clean($0.note))\n" }.joined()
    }

    private static func applyMount(to recording: inout Recording, stem: String, path: String) {
        for candidate in [stem + ".json", stem + ".truth.json"] where candidate != path {
            guard FileSystem.exists(candidate), let text = FileSystem.readText(candidate), text.utf8.count < 1 << 20,
                  let json = try? JSONValue.parse(text) else { continue }
            let stated = json["mount"]?.string ?? json["truth"]?["imu"]?.string.flatMap(mountWords)
            guard let stated, let axes = SensorAxes(stated) else { continue }
            let name = candidate.split(separator: "/").last.map(String.init) ?? candidate
            recording.metadata["mount"] = axes.description
            recording.metadata["mount.source"] = name
            recording.provenance.sourceNotes.append("IMU mount \(axes.description), stated by \(name)")
            return
        }
    }

    /// `+Z+X+Y` out of a sentence such as "... (right-handed sensor, mount +Z+X+Y)".
    static func mountWords(_ sentence: String) -> String? {
        guard let range = sentence.range(of: "mount ") else { return nil }
        let rest = sentence[range.upperBound...].prefix(6)
        return SensorAxes(String(rest)) != nil ? String(rest) : nil
    }
}
