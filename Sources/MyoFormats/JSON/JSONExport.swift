import MyoCore

/// Writes workspace objects as JSON documents (keys in a fixed order).
public enum JSONExport {
    public static func write(_ recording: Recording, channels: [Channel], to path: String) throws {
        let document = JSONValue.object([
            ("name", .string(recording.name)),
            ("channels", .array(channels.map { channel in
                .object([
                    ("name", .string(channel.name)),
                    ("unit", .string(channel.unit)),
                    ("sample_rate_hz", .number(channel.sampleRateHz)),
                    ("start_s", .number(channel.startTimeSeconds)),
                    ("samples", .array(channel.samples.map(JSONValue.float))),
                ])
            })),
            ("events", .array(recording.events.map { .object([("time_s", .number($0.timeSeconds)), ("label", .string($0.label))]) })),
            ("provenance", JSONValue(provenance: recording.provenance)),
        ])
        try AtomicFile.write(document.serialized() + "\n", to: path)
    }

    public static func write(_ table: ResultTable, to path: String) throws {
        try AtomicFile.write(JSONValue(table: table).serialized() + "\n", to: path)
    }
}
