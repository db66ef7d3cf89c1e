import MyoCore

/// The file formats `load` can read; `format=` picks one, otherwise the content decides.
public enum RecordingFormat: String, CaseIterable, Sendable {
    case csv

    /// Guesses the format from the first bytes, falling back to the extension.
    /// Text whose first content line holds a delimiter is CSV.
    public static func detect(_ bytes: UnsafeBufferPointer<UInt8>, path: String) -> RecordingFormat? {
        let probe = bytes.prefix(4096)
        let isText = !probe.contains(0) && probe.allSatisfy { $0 >= 9 }
        if isText, probe.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "\t") }) { return .csv }
        if path.lowercased().hasSuffix(".csv") || path.lowercased().hasSuffix(".tsv") { return .csv }
        return nil
    }
}

/// Opens a recording file in any supported format.
public enum RecordingLoader {
    /// Extensions offered by completion for `load`.
    public static let fileExtensions = ["csv", "tsv", "txt"]

    /// Loads `path` (as typed by the user, used in messages and provenance) under `name`.
    public static func load(path: String, name: String, format: RecordingFormat? = nil, sampleRateHz: Double? = nil) throws -> LoadResult {
        let file = try MappedFile(path: path)
        guard file.bytes.count > 0 else { throw MyoError.badBytes(file: path, offset: 0, expected: "a recording", found: "an empty file") }
        guard let resolved = format ?? RecordingFormat.detect(file.bytes, path: path) else {
            throw MyoError.badBytes(file: path, offset: 0, expected: "a known format (\(RecordingFormat.allCases.map(\.rawValue).joined(separator: ", ")))",
                                    found: "an unrecognised file; name the format with format=")
        }
        let provenance = Provenance(sourceFile: path)
        switch resolved {
        case .csv:
            return try CSVReader(displayPath: path, sampleRateHz: sampleRateHz).read(file.bytes, name: name, provenance: provenance)
        }
    }
}
