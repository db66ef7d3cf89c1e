import MyoCore
import MyoFiles

/// What files beside a recording state about it. Today: the IMU's mount, from `STEM.json` (a
/// sidecar of the recording, BIDS style: `{"mount": "+Z+X+Y"}`) or from the simulator's
/// `STEM.truth.json` (its `imu` sentence names the mount, as the sample data's README does).
/// A sidecar that is not readable JSON or names no valid mount is ignored; the recording's
/// provenance notes the one used.
enum Sidecar {
    static func apply(to recording: inout Recording, path: String) {
        let slash = path.lastIndex(of: "/")
        let dot = path.lastIndex(of: ".").flatMap { dot in (slash.map { $0 < dot } ?? true) ? dot : nil }
        let stem = dot.map { String(path[..<$0]) } ?? path
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
