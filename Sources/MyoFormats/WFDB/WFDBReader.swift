import MyoCore

/// Reads PhysioNet WFDB records: a `.hea` header naming one or more signal files.
///
/// Signal formats 8, 16, 61, 80, 160, 212, 24 and 32 are decoded; signals sharing a file are
/// interleaved frame by frame, with `xN` samples per frame giving a signal N times the frame rate.
/// Physical value = (digital - baseline) / gain, in the header's units (mV when absent); the
/// format's "invalid sample" value becomes NaN. Checksums are verified; a mismatch is a warning.
/// Multi-segment records are refused.
public enum WFDBReader {
    struct SignalSpec {
        var file: String
        var format: Int
        var samplesPerFrame: Int
        var byteOffset: Int
        /// Frames this signal lags in the file: its sample at frame t is stored at frame t + skew.
        var skew: Int = 0
        var gain: Double
        var baseline: Double
        var unit: String
        var initialValue: Int?
        var checksum: Int?
        var description: String
        var line: Int
    }

    /// True when the text looks like a WFDB header: `NAME NSIG [FS ...]` on the first content line.
    static func looksLikeHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let text = firstContentLine(bytes) else { return false }
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, Int(fields[1]) != nil else { return false }
        return fields.count < 3 || Double(fields[2].split(separator: "/").first ?? "") != nil
    }

    private static func firstContentLine(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var scanner = LineScanner(bytes: UnsafeBufferPointer(rebasing: bytes.prefix(4096)))
        guard let line = scanner.nextContentLine() else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[line.start..<line.end]), as: UTF8.self)
    }

    public static func read(header bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        var scanner = LineScanner(bytes: bytes)
        guard let recordLine = scanner.nextContentLine() else {
            throw MyoError.badLine(file: path, line: 1, column: nil, expected: "a WFDB record line (NAME NSIG FS NSAMP)", found: "no content")
        }
        let recordFields = fields(bytes, recordLine)
        guard recordFields.count >= 2 else {
            throw MyoError.badLine(file: path, line: recordLine.number, column: nil, expected: "a record line NAME NSIG FS NSAMP", found: "'\(recordFields.joined(separator: " "))'")
        }
        if recordFields[0].contains("/") {
            throw MyoError.badLine(file: path, line: recordLine.number, column: nil, expected: "a single-segment record",
                                   found: "a multi-segment record '\(recordFields[0])' (load its segments one by one)")
        }
        guard let signalCount = Int(recordFields[1]), signalCount >= 0 else {
            throw MyoError.badLine(file: path, line: recordLine.number, column: "2", expected: "a number of signals", found: "'\(recordFields[1])'")
        }
        var frameRate = 250.0
        if recordFields.count >= 3 {
            let text = recordFields[2].split(separator: "/").first.map(String.init) ?? ""
            guard let rate = Double(text), rate.isFinite else {
                throw MyoError.badLine(file: path, line: recordLine.number, column: "3", expected: "a sampling frequency in Hz", found: "'\(recordFields[2])'")
            }
            frameRate = rate
        } else if request.sampleRateHz == nil {
            throw MyoError.badLine(file: path, line: recordLine.number, column: nil, expected: "a sampling frequency after the number of signals (or give fs=)", found: "none")
        }
        if let given = request.sampleRateHz { frameRate = given }
        guard frameRate > 0 else {
            throw MyoError.badLine(file: path, line: recordLine.number, column: "3", expected: "a positive sampling frequency", found: "'\(recordFields[2])'")
        }
        let frameCount = recordFields.count >= 4 ? Int(recordFields[3]) : nil
        if recordFields.count >= 4, frameCount == nil || frameCount! < 0 {
            throw MyoError.badLine(file: path, line: recordLine.number, column: "4", expected: "a number of samples per signal", found: "'\(recordFields[3])'")
        }

        var specs: [SignalSpec] = []
        while specs.count < signalCount, let line = scanner.nextContentLine() {
            specs.append(try parseSignal(fields(bytes, line), line: line.number, path: path))
        }
        guard specs.count == signalCount else {
            throw MyoError.badLine(file: path, line: scanner.lineNumber + 1, column: nil, expected: "\(signalCount) signal lines", found: "\(specs.count)")
        }

        var channels: [Channel] = []
        var warnings: [String] = []
        var fileOrder: [String] = []
        var skewNotes: [String] = []
        for spec in specs where !fileOrder.contains(spec.file) { fileOrder.append(spec.file) }
        for file in fileOrder {
            let members = specs.filter { $0.file == file }
            let decoded = try decode(file: request.sibling(file), signals: members, frameCount: frameCount, frameRate: frameRate,
                                     progress: request.progress)
            for (spec, samples) in zip(members, decoded.samples) {
                let name = spec.description.isEmpty ? "signal\(channels.count + 1)" : spec.description
                channels.append(try fileChannel(path, name: ReadRequest.uniqueName(name, among: channels), unit: spec.unit, sampleRateHz: frameRate * Double(spec.samplesPerFrame), samples: samples))
                if spec.skew > 0 { skewNotes.append("\(channels.last!.name) skewed by \(spec.skew) frame\(spec.skew == 1 ? "" : "s") in \(file): its samples start that much later in the file (applied)") }
            }
            warnings += decoded.warnings
        }
        var provenance = provenance
        provenance.sourceNotes += skewNotes
        var result = LoadResult(object: .recording(Recording(name: request.name, channels: channels, provenance: provenance)), warnings: warnings)
        result.companionFiles = fileOrder.map(request.sibling)
        return result
    }


    private static func fields(_ bytes: UnsafeBufferPointer<UInt8>, _ line: (start: Int, end: Int, number: Int)) -> [String] {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[line.start..<line.end]), as: UTF8.self)
            .split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// `FILE FORMAT[xSPF][:SKEW][+OFFSET] [GAIN[(BASELINE)][/UNITS] [RES [ZERO [INIT [CHECKSUM [BLOCK [DESCRIPTION...]]]]]]]`
    static func parseSignal(_ fields: [String], line: Int, path: String) throws -> SignalSpec {
        guard fields.count >= 2 else {
            throw MyoError.badLine(file: path, line: line, column: nil, expected: "a signal line FILE FORMAT GAIN ...", found: "'\(fields.joined(separator: " "))'")
        }
        var formatText = Substring(fields[1])
        // FORMAT[xSAMPLES][:SKEW][+OFFSET]: each suffix taken off the end, checked against its limits.
        func suffix(_ marker: Character, _ limits: ClosedRange<Int>, _ expected: String) throws -> Int? {
            guard let at = formatText.firstIndex(of: marker) else { return nil }
            guard let value = Int(formatText[formatText.index(after: at)...]), limits.contains(value) else {
                throw MyoError.badLine(file: path, line: line, column: "2", expected: expected, found: "'\(fields[1])'")
            }
            formatText = formatText[..<at]
            return value
        }
        let offset = try suffix("+", 0...Int.max, "a byte offset after '+'") ?? 0
        let skew = try suffix(":", 0...(1 << 30), "a skew (a whole number of frames) after ':'") ?? 0
        let samplesPerFrame = try suffix("x", 1...(1 << 16), "samples per frame after 'x'") ?? 1
        guard let format = Int(formatText), supportedFormats.contains(format) else {
            throw MyoError.badLine(file: path, line: line, column: "2", expected: "a signal format (\(supportedFormats.sorted().map(String.init).joined(separator: ", ")))", found: "'\(fields[1])'")
        }
        var gain = 200.0, baseline: Double?, unit = "mV"
        if fields.count >= 3 {
            var text = Substring(fields[2])
            if let slash = text.firstIndex(of: "/") {
                unit = String(text[text.index(after: slash)...])
                text = text[..<slash]
            }
            if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
                guard let value = Double(text[text.index(after: open)..<text.index(before: text.endIndex)]) else {
                    throw MyoError.badLine(file: path, line: line, column: "3", expected: "a baseline in parentheses", found: "'\(fields[2])'")
                }
                baseline = value
                text = text[..<open]
            }
            guard let value = Double(text), value.isFinite else {
                throw MyoError.badLine(file: path, line: line, column: "3", expected: "an ADC gain (adu per physical unit)", found: "'\(fields[2])'")
            }
            if value != 0 { gain = value }
        }
        let zero = fields.count >= 5 ? Double(fields[4]) ?? 0 : 0
        return SignalSpec(file: fields[0], format: format, samplesPerFrame: samplesPerFrame, byteOffset: offset, skew: skew, gain: gain,
                          baseline: baseline ?? zero, unit: unit,
                          initialValue: fields.count >= 6 ? Int(fields[5]) : nil,
                          checksum: fields.count >= 7 ? Int(fields[6]) : nil,
                          description: fields.count >= 9 ? fields[8...].joined(separator: " ") : "",
                          line: line)
    }

    static let supportedFormats: Set<Int> = [8, 16, 24, 32, 61, 80, 160, 212]

    /// Decodes every signal stored in one file, in frame order.
    static func decode(file: String, signals: [SignalSpec], frameCount: Int?, frameRate: Double,
                       progress: LoadProgress?) throws -> (samples: [[Float]], warnings: [String]) {
        let format = signals[0].format
        if let other = signals.first(where: { $0.format != format }) {
            throw MyoError.badLine(file: file, line: other.line, column: "2", expected: "one format per signal file (\(format))", found: "\(other.format)")
        }
        let mapped = try MappedFile(path: file)
        let offset = signals[0].byteOffset
        guard offset <= mapped.bytes.count else {
            throw MyoError.badBytes(file: file, offset: mapped.bytes.count, expected: "data from byte \(offset)", found: "the end of the file")
        }
        let data = UnsafeBufferPointer(rebasing: mapped.bytes[offset...])
        let valuesPerFrame = signals.reduce(0) { $0 + $1.samplesPerFrame }
        let bitsPerValue: Int = [8: 8, 80: 8, 16: 16, 61: 16, 160: 16, 24: 24, 32: 32, 212: 12][format]!
        let available = data.count * 8 / bitsPerValue / valuesPerFrame
        let frames = frameCount ?? available
        // The header's frame count is checked against the bytes before anything is allocated (a
        // header may claim billions of samples); the size is worked out in Double, which cannot overflow.
        guard frames <= available else {
            let needed = (Double(frames) * Double(valuesPerFrame) * Double(bitsPerValue) / 8).rounded(.up)
            throw MyoError.badBytes(file: file, offset: offset + data.count,
                                    expected: "\(frames) frames of \(valuesPerFrame) samples in format \(format) (\(NumberFormat.significant(needed, digits: 15)) bytes after byte \(offset))",
                                    found: "only \(data.count) bytes (the file is truncated)")
        }
        // Skewed signals read past the record's frames into what the file holds beyond them.
        let maxSkew = signals.map(\.skew).max() ?? 0
        let read = frameCount == nil ? frames : min(available, frames + maxSkew)
        try MemoryBudget.check(values: Double(read) * Double(valuesPerFrame), bytesPerValue: 4, for: "loading \(file)", hint: loadMemoryHint)
        var samples = signals.map { [Float](repeating: 0, count: read * $0.samplesPerFrame) }
        var sums = [Int](repeating: 0, count: signals.count)
        var invalidCounts = [Int](repeating: 0, count: signals.count)
        var previous = signals.map { $0.initialValue ?? 0 }   // format 8 is a first difference
        var valueIndex = 0
        for frame in 0..<read {
            if frame & 0xFFFF == 0 { try Cancellation.check(); progress?.reached(frame, of: read) }
            for (signal, spec) in signals.enumerated() {
                for sub in 0..<spec.samplesPerFrame {
                    var digital = value(data, index: valueIndex, format: format)
                    valueIndex += 1
                    if format == 8 { digital += previous[signal]; previous[signal] = digital }
                    if frame < frames { sums[signal] &+= digital }
                    let invalid = isInvalid(digital, format: format)
                    if invalid { invalidCounts[signal] += 1 }
                    samples[signal][frame * spec.samplesPerFrame + sub] = invalid ? .nan : Float((Double(digital) - spec.baseline) / spec.gain)
                }
            }
        }
        var warnings: [String] = []
        for (signal, spec) in signals.enumerated() {
            // Apply the skew: the signal's frame t is the file's frame t + skew (wfdb-python does the same).
            let start = min(spec.skew, read) * spec.samplesPerFrame
            let end = min(spec.skew + frames, read) * spec.samplesPerFrame
            if spec.skew > 0 || read > frames { samples[signal] = Array(samples[signal][start..<end]) }
            if spec.skew > 0, end - start < frames * spec.samplesPerFrame {
                warnings.append("\(file): signal \(signal + 1) is skewed by \(spec.skew) frames and the file ends before its last \(frames * spec.samplesPerFrame - (end - start)) samples; it is that much shorter")
            }
            if let expected = spec.checksum, frameCount != nil, Int16(truncatingIfNeeded: sums[signal]) != Int16(truncatingIfNeeded: expected) {
                warnings.append("\(file): checksum of signal \(signal + 1) is \(Int16(truncatingIfNeeded: sums[signal])), the header says \(expected); the samples may be corrupt")
            }
            if invalidCounts[signal] > 0 {
                warnings.append("\(file): \(invalidCounts[signal]) samples of signal \(signal + 1) are marked invalid and were loaded as NaN")
            }
        }
        return (samples, warnings)
    }

    @inline(__always)
    static func value(_ data: UnsafeBufferPointer<UInt8>, index: Int, format: Int) -> Int {
        switch format {
        case 16:
            return Int(Int16(bitPattern: UInt16(data[2 * index]) | UInt16(data[2 * index + 1]) << 8))
        case 61:
            return Int(Int16(bitPattern: UInt16(data[2 * index]) << 8 | UInt16(data[2 * index + 1])))
        case 160:
            return Int(UInt16(data[2 * index]) | UInt16(data[2 * index + 1]) << 8) - 32768
        case 80:
            return Int(data[index]) - 128
        case 8:
            return Int(Int8(bitPattern: data[index]))
        case 24:
            let raw = UInt32(data[3 * index]) | UInt32(data[3 * index + 1]) << 8 | UInt32(data[3 * index + 2]) << 16
            return Int(Int32(bitPattern: raw << 8) >> 8)
        case 32:
            let base = 4 * index
            let raw = UInt32(data[base]) | UInt32(data[base + 1]) << 8 | UInt32(data[base + 2]) << 16 | UInt32(data[base + 3]) << 24
            return Int(Int32(bitPattern: raw))
        default: // 212: two 12-bit samples in three bytes
            let base = (index / 2) * 3
            let raw: Int
            if index % 2 == 0 {
                raw = Int(data[base]) | (Int(data[base + 1]) & 0x0F) << 8
            } else {
                raw = Int(data[base + 2]) | (Int(data[base + 1]) & 0xF0) << 4
            }
            return raw >= 2048 ? raw - 4096 : raw
        }
    }

    /// WFDB's "no sample" values: the most negative value of the format.
    static func isInvalid(_ digital: Int, format: Int) -> Bool {
        switch format {
        case 16, 61: return digital == -32768
        case 160: return digital == -32768
        case 80: return digital == -128
        case 212: return digital == -2048
        case 24: return digital == -8_388_608
        case 32: return digital == Int(Int32.min)
        default: return false
        }
    }
}
