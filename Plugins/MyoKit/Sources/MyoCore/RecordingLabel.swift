/// A stretch of a recording an expert labelled (an artefact, a strategy, an activity): from and
/// to in s on the recording's time base, the label, who gave it and why.
public struct RecordingLabel: Sendable, Equatable {
    public var from: Double, to: Double, name: String, author: String, note: String
    public init(from: Double, to: Double, name: String, author: String, note: String) {
        (self.from, self.to, self.name, self.author, self.note) = (from, to, name, author, note)
    }
}

extension Recording {
    /// The recording's labels, in time order. They are kept in `metadata["labels"]`, one label a
    /// line of tab-separated fields (from, to, label, author, note; tabs and line breaks inside a
    /// field become spaces), with an event `label: NAME` at each start, so they travel with the
    /// recording, show in plots and `info`, and replay with the script that made them.
    public var labels: [RecordingLabel] {
        get {
            (metadata["labels"] ?? "").split(separator: "\n").compactMap { line in
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 5, let from = Double(fields[0]), let to = Double(fields[1]) else { return nil }
                return RecordingLabel(from: from, to: to, name: fields[2], author: fields[3], note: fields[4])
            }
        }
        set {
            let sorted = newValue.sorted { ($0.from, $0.to, $0.name) < ($1.from, $1.to, $1.name) }
            func clean(_ text: String) -> String { String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 }) }
            metadata["labels"] = sorted.isEmpty ? nil : sorted.map { "\($0.from)\t\($0.to)\t\(clean($0.name))\t\(clean($0.author))\t\(clean($0.note))" }.joined(separator: "\n")
            events.removeAll { $0.label.hasPrefix("label: ") }
            events = (events + sorted.map { Event(timeSeconds: $0.from, label: "label: \(clean($0.name))") })
                .sorted { ($0.timeSeconds, $0.label) < ($1.timeSeconds, $1.label) }
        }
    }

    /// The label whose span holds time `t` (the latest to start when several do), if any.
    public func label(at t: Double) -> RecordingLabel? {
        labels.last { $0.from <= t && t < $0.to }
    }
}
