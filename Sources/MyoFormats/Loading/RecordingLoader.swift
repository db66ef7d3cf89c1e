import MyoCore

/// The file formats `load` can read; `format=` picks one, otherwise the content decides.
public enum RecordingFormat: String, CaseIterable, Sendable {
    case csv, c3d, edf, bdf, wfdb, xdf, opensignals, biosppy, biometrics, delsys, noraxon, shimmer, json, text

    /// What each format is, for `help load`.
    public var summary: String {
        switch self {
        case .csv: return "delimited text with a header row (time column or fs=)"
        case .c3d: return "C3D motion capture (Intel, DEC, MIPS; integer or float)"
        case .edf: return "EDF / EDF+ (16-bit), with annotations as events"
        case .bdf: return "BDF / BDF+ (BioSemi 24-bit)"
        case .wfdb: return "PhysioNet WFDB record (.hea header + signal files)"
        case .xdf: return "XDF from LabRecorder or live (Lab Streaming Layer streams, markers as events)"
        case .opensignals: return "PLUX OpenSignals text"
        case .biosppy: return "BioSPPy simple text"
        case .biometrics: return "Biometrics DataLOG text"
        case .delsys: return "Delsys Trigno CSV (a time column per channel)"
        case .noraxon: return "Noraxon MR3 CSV"
        case .shimmer: return "Shimmer Consensys CSV (sep= line, names, CAL/RAW and unit rows)"
        case .json: return "MyoShell's own JSON export of a recording or a table"
        case .text: return "numbers in columns without a header (needs a time column or fs=)"
        }
    }

    /// Guesses the format from the first bytes; the extension only decides between equals.
    public static func detect(_ bytes: UnsafeBufferPointer<UInt8>, path: String) -> RecordingFormat? {
        let lower = path.lowercased()
        if C3DReader.looksLikeC3D(bytes) { return .c3d }
        if EDFReader.looksLikeEDF(bytes) { return bytes[0] == 0xFF ? .bdf : .edf }
        if XDFReader.looksLikeXDF(bytes) { return .xdf }
        let probe = bytes.prefix(4096)
        let isText = !probe.contains(0)
        guard isText else { return nil }
        if JSONReader.looksLikeJSON(bytes) { return .json }
        let lines = VendorTextReaders.headerLines(bytes, limit: 40)
        let first = lines.first ?? ""
        if first.hasPrefix("# OpenSignals") { return .opensignals }
        if ShimmerReader.looksLikeShimmer(lines) { return .shimmer }
        if first.hasPrefix("# Simple Text Format") { return .biosppy }
        if first.hasPrefix("File Name:") || lines.prefix(3).contains(where: { $0.hasPrefix("Channel ") && $0.contains(": '") }) { return .biometrics }
        if lower.hasSuffix(".hea") || WFDBReader.looksLikeHeader(bytes) && !first.contains(",") && !first.contains("\t") && !(first.first?.isNumber ?? true) { return .wfdb }
        if DelsysReader.looksLikeDelsys(lines) { return .delsys }
        if NoraxonReader.looksLikeNoraxon(lines) { return .noraxon }
        let content = lines.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard let header = content.first else { return lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") ? .csv : nil }
        let firstToken = header.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == ";" }).first.map(String.init) ?? ""
        if Double(firstToken) != nil {
            if header.contains(",") && !header.contains(" ") && !header.contains("\t") && lower.hasSuffix(".csv") { return .csv }
            return .text
        }
        // Delimited text: the header and the next row hold the same number of delimiters.
        for delimiter in [",", ";", "\t"] as [Character] {
            let count = header.filter { $0 == delimiter }.count
            if count > 0, content.count >= 2, content[1].filter({ $0 == delimiter }).count == count { return .csv }
        }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { return .csv }
        return nil
    }
}

/// Opens a recording file in any supported format.
public enum RecordingLoader {
    /// Extensions offered by completion for `load`.
    public static let fileExtensions = ["csv", "tsv", "txt", "c3d", "edf", "bdf", "hea", "dat", "xdf", "json"]

    /// Loads `path` (as typed by the user, used in messages and provenance) under `name`,
    /// reporting to `progress` how far it has got.
    public static func load(path: String, name: String, format: RecordingFormat? = nil, sampleRateHz: Double? = nil, includeMarkers: Bool = false,
                            samplesStay: Bool? = nil, progress: LoadProgress? = nil) throws -> LoadResult {
        var path = path
        if format == nil || format == .wfdb {
            // A WFDB record may be named by its header, its signal file or its bare record name.
            if path.lowercased().hasSuffix(".dat"), FileSystem.exists(String(path.dropLast(4)) + ".hea") { path = String(path.dropLast(4)) + ".hea" }
            if !FileSystem.exists(path), FileSystem.exists(path + ".hea") { path += ".hea" }
        }
        let file = try MappedFile(path: path)
        guard file.bytes.count > 0 else { throw MyoError.badBytes(file: path, offset: 0, expected: "a recording", found: "an empty file") }
        guard let resolved = format ?? RecordingFormat.detect(file.bytes, path: path) else {
            let hint = path.lowercased().hasSuffix(".h5") ? " (HDF5 is not supported; export the recording as OpenSignals text, EDF or CSV)" : ""
            throw MyoError.badBytes(file: path, offset: 0, expected: "a known format (\(RecordingFormat.allCases.map(\.rawValue).joined(separator: ", ")))",
                                    found: "an unrecognised file\(hint); name the format with format=")
        }
        var request = ReadRequest(displayPath: path, name: name, sampleRateHz: sampleRateHz, includeMarkers: includeMarkers,
                                  releasePages: file.pageReleaser, progress: progress)
        request.samplesStay = samplesStay
        var provenance = Provenance(sourceFile: path)
        (provenance.sourceSize, provenance.sourceModified) = FileSystem.sizeAndModification(path) ?? (nil, nil)
        provenance.sourceLocation = FileSystem.absolutePath(path)
        var result: LoadResult
        if Self.endsLinesWithCR(file.bytes, format: resolved) {
            // Old Mac line endings (a lone CR, which some acquisition software still writes): read
            // a copy with LF endings, so every text reader sees ordinary lines.
            let copy = file.bytes.map { $0 == 13 ? 10 : $0 }
            result = try copy.withUnsafeBufferPointer { try read($0, format: resolved, request: request, provenance: provenance) }
        } else {
            result = try read(file.bytes, format: resolved, request: request, provenance: provenance)
        }
        if case .recording = result.object { SourceGuard.protect([path] + result.companionFiles, source: path) }
        if case .recording(var recording) = result.object {
            for index in recording.channels.indices {
                if let symbol = UnitDefinition.normalizedSymbol(recording.channels[index].unit) { recording.channels[index].unit = symbol }
            }
            Sidecar.apply(to: &recording, path: path)
            result.warnings += BIDSSidecars.apply(to: &recording, path: path)
            result.object = .recording(recording)
        }
        return result
    }

    /// A text format whose lines end in a lone CR: a CR but no LF in the first 64 KiB.
    static func endsLinesWithCR(_ bytes: UnsafeBufferPointer<UInt8>, format: RecordingFormat) -> Bool {
        guard ![.c3d, .edf, .bdf, .wfdb, .xdf].contains(format) else { return false }
        let probe = bytes.prefix(1 << 16)
        return probe.contains(13) && !probe.contains(10)
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, format resolved: RecordingFormat, request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath, name = request.name, sampleRateHz = request.sampleRateHz
        switch resolved {
        case .csv: return try CSVReader(displayPath: path, sampleRateHz: sampleRateHz, releasePages: request.releasePages, progress: request.progress).read(bytes, name: name, provenance: provenance)
        case .c3d: return try C3DReader.read(bytes, request, provenance: provenance)
        case .edf, .bdf: return try EDFReader.read(bytes, request, provenance: provenance)
        case .wfdb: return try WFDBReader.read(header: bytes, request, provenance: provenance)
        case .xdf: return try XDFReader.read(bytes, request, provenance: provenance)
        case .opensignals: return try VendorTextReaders.readOpenSignals(bytes, request, provenance: provenance)
        case .biosppy: return try VendorTextReaders.readBioSPPy(bytes, request, provenance: provenance)
        case .biometrics: return try VendorTextReaders.readBiometrics(bytes, request, provenance: provenance)
        case .delsys: return try DelsysReader.read(bytes, request, provenance: provenance)
        case .noraxon: return try NoraxonReader.read(bytes, request, provenance: provenance)
        case .shimmer: return try ShimmerReader.read(bytes, request, provenance: provenance)
        case .json: return try JSONReader.read(bytes, request, provenance: provenance)
        case .text: return try VendorTextReaders.readPlain(bytes, request, provenance: provenance)
        }
    }
}
