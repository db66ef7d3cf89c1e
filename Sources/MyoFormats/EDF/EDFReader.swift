import Dispatch
import MyoCore

/// Reads EDF, EDF+ and BDF (BioSemi, 24-bit) files.
///
/// Physical value = physical minimum + (digital - digital minimum) x (physical range / digital
/// range), per signal. Each signal's rate is its samples per data record over the record
/// duration, so one file can hold several rates. EDF+/BDF+ annotation signals (TALs) become
/// events. EDF+D (discontinuous) files load only when their records are in fact contiguous;
/// otherwise they are refused with the first gap named.
public enum EDFReader {
    /// What a signal measures by its header's transducer type, when that says so: an ECG, EEG or
    /// EOG electrode is not EMG whatever its label, an EMG electrode with a voltage unit is EMG, an
    /// accelerometer or gyroscope is IMU. nil leaves the classification to the unit and label.
    static func declaredKind(transducer: String, unit: String) -> ChannelKind? {
        let text = transducer.lowercased()
        guard !text.isEmpty else { return nil }
        if ["ecg", "ekg", "eeg", "eog"].contains(where: { text.contains($0) }) { return .other }
        if text.contains("emg"), UnitDefinition.named(unit)?.dimension == .voltage { return .emg }
        if text.contains("acceler") { return .acceleration }
        if text.contains("gyro") { return .angularVelocity }
        return nil
    }

    struct Signal {
        var label: String
        var unit: String
        /// The header's transducer type ("AgAgCl electrode", "ECG electrode", "accelerometer").
        var transducer = ""
        var physicalMin: Double
        var physicalMax: Double
        var digitalMin: Double
        var digitalMax: Double
        var samplesPerRecord: Int
        var isAnnotation: Bool
        /// Byte offset of this signal's block inside one data record.
        var offsetInRecord = 0
    }

    static func looksLikeEDF(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 256 else { return false }
        if bytes[0] == 0xFF, Array(bytes[1..<8]) == Array("BIOSEMI".utf8) { return true }
        return Array(bytes[0..<8]) == Array("0       ".utf8)
    }

    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        let reader = ByteReader(bytes, path: path)
        try reader.require(0, 256, "the EDF header")
        let isBDF = bytes[0] == 0xFF
        guard looksLikeEDF(bytes) else {
            throw MyoError.badBytes(file: path, offset: 0, expected: "an EDF version '0' or BDF '\\xFFBIOSEMI'", found: "'\(try reader.text(0, 8, "version"))'")
        }
        let bytesPerSample = isBDF ? 3 : 2
        let headerBytes = try integerField(reader, 184, 8, "the header size")
        let reserved = try reader.text(192, 44, "the reserved field")
        var recordCount = try integerField(reader, 236, 8, "the number of data records", allowNegativeOne: true)
        let recordDuration = try numberField(reader, 244, 8, "the data record duration")
        let signalCount = try integerField(reader, 252, 4, "the number of signals")
        guard recordCount >= -1 else {
            throw MyoError.badBytes(file: path, offset: 236, expected: "a number of data records of 0 or more (or -1 while recording)", found: "\(recordCount)")
        }
        guard signalCount >= 1 else {
            throw MyoError.badBytes(file: path, offset: 252, expected: "at least one signal", found: "\(signalCount)")
        }
        guard headerBytes == 256 * (signalCount + 1) else {
            throw MyoError.badBytes(file: path, offset: 184, expected: "a header of 256 x (1 + \(signalCount) signals) = \(256 * (signalCount + 1)) bytes", found: "\(headerBytes)")
        }
        try reader.require(256, 256 * signalCount, "the signal headers")
        let isPlus = reserved.hasPrefix("EDF+") || reserved.hasPrefix("BDF+")
        let isDiscontinuous = reserved.hasPrefix("EDF+D") || reserved.hasPrefix("BDF+D")

        func field(_ start: Int, _ width: Int, _ index: Int) -> Int { 256 + start * signalCount + width * index }
        var signals: [Signal] = []
        var recordSize = 0
        for index in 0..<signalCount {
            let label = try reader.text(field(0, 16, index), 16, "signal label")
            let unit = try reader.text(field(16 * 1 + 80, 8, index), 8, "physical dimension")
            let transducer = try reader.text(field(16, 80, index), 80, "transducer type")
            let physicalMin = try numberField(reader, field(104, 8, index), 8, "the physical minimum of \(label)")
            let physicalMax = try numberField(reader, field(112, 8, index), 8, "the physical maximum of \(label)")
            let digitalMin = try numberField(reader, field(120, 8, index), 8, "the digital minimum of \(label)")
            let digitalMax = try numberField(reader, field(128, 8, index), 8, "the digital maximum of \(label)")
            let samples = try integerField(reader, field(216, 8, index), 8, "the samples per record of \(label)")
            guard samples >= 0 else {
                throw MyoError.badBytes(file: path, offset: field(216, 8, index), expected: "a number of samples per record of 0 or more for \(label)", found: "\(samples)")
            }
            let isAnnotation = isPlus && (label == "EDF Annotations" || label == "BDF Annotations")
            if !isAnnotation {
                guard digitalMax > digitalMin else {
                    throw MyoError.badBytes(file: path, offset: field(120, 8, index), expected: "a digital minimum below the digital maximum for \(label)",
                                            found: "\(NumberFormat.significant(digitalMin)) and \(NumberFormat.significant(digitalMax))")
                }
                guard physicalMax != physicalMin else {
                    throw MyoError.badBytes(file: path, offset: field(104, 8, index), expected: "different physical minimum and maximum for \(label)",
                                            found: "both \(NumberFormat.significant(physicalMin))")
                }
            }
            signals.append(Signal(label: label, unit: unit, transducer: transducer, physicalMin: physicalMin, physicalMax: physicalMax, digitalMin: digitalMin,
                                  digitalMax: digitalMax, samplesPerRecord: samples, isAnnotation: isAnnotation, offsetInRecord: recordSize))
            recordSize += samples * bytesPerSample
        }
        guard recordSize > 0 else {
            throw MyoError.badBytes(file: path, offset: field(216, 8, 0), expected: "signals with samples in each data record", found: "none")
        }
        let dataBytes = bytes.count - headerBytes
        if recordCount == -1 { recordCount = dataBytes / recordSize }
        // Compared by division: a header may claim more bytes than an Int can count.
        guard recordCount <= dataBytes / recordSize else {
            throw MyoError.badBytes(file: path, offset: bytes.count,
                                    expected: "\(recordCount) data records of \(recordSize) bytes (\(recordCount.multipliedReportingOverflow(by: recordSize).overflow ? "more than \(Int.max)" : String(headerBytes + recordCount * recordSize)) bytes in all)",
                                    found: "a file of \(bytes.count) bytes (it is truncated)")
        }
        let dataSignals = signals.filter { !$0.isAnnotation && $0.samplesPerRecord > 0 }
        guard recordDuration > 0 || dataSignals.isEmpty else {
            throw MyoError.badBytes(file: path, offset: 244, expected: "a positive data record duration in s", found: NumberFormat.significant(recordDuration))
        }

        // Annotations first: EDF+D needs each record's start time.
        var events: [Event] = []
        var recordStarts: [Double] = []
        var warnings: [String] = []
        for signal in signals where signal.isAnnotation {
            for record in 0..<recordCount {
                let start = headerBytes + record * recordSize + signal.offsetInRecord
                let block = UnsafeBufferPointer(rebasing: bytes[start..<start + signal.samplesPerRecord * bytesPerSample])
                let parsed = try parseTALs(block, path: path, offset: start)
                if recordStarts.count == record, let keeping = parsed.recordStart { recordStarts.append(keeping) }
                events += parsed.events
                // The annotations of a day span the whole file: pages read are let go as it goes.
                if record % 4096 == 4095, let release = request.releasePages {
                    PinnedColumns.releaseWholePages(headerBytes..<headerBytes + (record + 1) * recordSize, fileSize: bytes.count, release)
                }
            }
        }
        var startTime = 0.0
        if let first = recordStarts.first, recordStarts.count == recordCount {
            startTime = first
            for (record, onset) in recordStarts.enumerated() where abs(onset - (first + Double(record) * recordDuration)) > 1e-6 {
                if isDiscontinuous {
                    throw MyoError.badBytes(file: path, offset: headerBytes + record * recordSize,
                                            expected: "contiguous data records (EDF+D is loaded only when it has no gaps)",
                                            found: "record \(record + 1) starting at \(NumberFormat.significant(onset, digits: 9)) s instead of \(NumberFormat.significant(first + Double(record) * recordDuration, digits: 9)) s")
                }
                warnings.append("\(path): record \(record + 1) claims to start at \(NumberFormat.significant(onset, digits: 9)) s although the file is EDF+C; records were taken as contiguous")
                break
            }
        } else if isDiscontinuous {
            throw MyoError.badBytes(file: path, offset: headerBytes, expected: "a time-keeping annotation in every data record of an EDF+D file", found: "records without one")
        }
        events = events.map { Event(timeSeconds: $0.timeSeconds - startTime, label: $0.label) }

        let dataIndices = signals.indices.filter { !signals[$0].isAnnotation && signals[$0].samplesPerRecord > 0 }
        let decodedBytes = Double(dataIndices.reduce(0) { $0 + signals[$1].samplesPerRecord }) * Double(recordCount) * 4
        if request.samplesStay ?? (decodedBytes > MemoryBudget.keptInMemoryUpTo) {
            // The samples stay in the file, decoded as commands read them.
            let file = try ReadOnlyFile(path: path)
            let channels = try dataIndices.map { index in
                let signal = signals[index]
                let store = EDFSignalStore(file: file, signal: signal, recordCount: recordCount, headerBytes: headerBytes, recordSize: recordSize, bytesPerSample: bytesPerSample)
                return try fileChannel(path, name: signal.label.isEmpty ? "signal\(index + 1)" : signal.label, unit: signal.unit,
                                       sampleRateHz: Double(signal.samplesPerRecord) / recordDuration, store: store, kind: declaredKind(transducer: signal.transducer, unit: signal.unit))
            }
            return LoadResult(object: .recording(Recording(name: request.name, channels: uniqueNames(channels), events: events, provenance: provenance)), warnings: warnings)
        }

        // Signals: decoded a block of records at a time, the channels of a block in parallel;
        // a block's bytes are released once decoded, so the file never sits whole in memory.
        // The sizes are the header's, checked against the file above; they must also fit in memory.
        try MemoryBudget.check(values: Double(dataIndices.reduce(0) { $0 + signals[$1].samplesPerRecord }) * Double(recordCount), bytesPerValue: 4,
                               for: "loading \(path)", hint: loadMemoryHint)
        var columns = dataIndices.map { index in
            PinnedColumns.uninitializedColumn(count: signals[index].samplesPerRecord * recordCount)
        }
        let recordsPerBlock = max(1, (32 << 20) / max(recordSize, 1))
        PinnedColumns.withPointers(to: &columns) { pointers in
            for firstRecord in stride(from: 0, to: recordCount, by: recordsPerBlock) {
                if Cancellation.isRequested { return }
                let records = firstRecord..<min(firstRecord + recordsPerBlock, recordCount)
                DispatchQueue.concurrentPerform(iterations: dataIndices.count) { job in
                    decode(bytes, signal: signals[dataIndices[job]], records: records, headerBytes: headerBytes, recordSize: recordSize,
                           bytesPerSample: bytesPerSample, into: pointers[job].unsafelyUnwrapped)
                }
                request.progress?.reached(headerBytes + records.upperBound * recordSize, of: bytes.count)
                if let release = request.releasePages {
                    PinnedColumns.releaseWholePages(headerBytes + records.lowerBound * recordSize..<headerBytes + records.upperBound * recordSize,
                                                    fileSize: bytes.count, release)
                }
            }
        }
        var channels: [Channel] = []
        for (job, index) in dataIndices.enumerated() {
            let signal = signals[index]
            var channel = try fileChannel(path, name: signal.label.isEmpty ? "signal\(index + 1)" : signal.label, unit: signal.unit,
                                          sampleRateHz: Double(signal.samplesPerRecord) / recordDuration, samples: columns[job])
            channel.declaredKind = declaredKind(transducer: signal.transducer, unit: channel.unit)
            channels.append(channel)
            columns[job] = []
        }
        try Cancellation.check()
        return LoadResult(object: .recording(Recording(name: request.name, channels: uniqueNames(channels), events: events, provenance: provenance)), warnings: warnings)
    }

    private static func uniqueNames(_ channels: [Channel]) -> [Channel] {
        var unique: [Channel] = []
        for var channel in channels {
            channel.name = ReadRequest.uniqueName(channel.name, among: unique)
            unique.append(channel)
        }
        return unique
    }

    /// Decodes one signal's samples of the given records into `output` (the whole signal).
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, signal: Signal, records: Range<Int>, headerBytes: Int, recordSize: Int,
                               bytesPerSample: Int, into output: UnsafeMutablePointer<Float>) {
        let (scale, shift) = scaling(signal)
        for record in records {
            let base = headerBytes + record * recordSize + signal.offsetInRecord
            decode(UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + base), count: signal.samplesPerRecord, bytesPerSample: bytesPerSample,
                   scale: scale, shift: shift, into: output + record * signal.samplesPerRecord)
        }
    }

    /// Physical value = digital x scale + shift, from the signal's header.
    static func scaling(_ signal: Signal) -> (scale: Float, shift: Float) {
        let gain = (signal.physicalMax - signal.physicalMin) / (signal.digitalMax - signal.digitalMin)
        return (Float(gain), Float(signal.physicalMin - signal.digitalMin * gain))
    }

    /// Decodes `count` little-endian 16-bit (EDF) or 24-bit (BDF) samples.
    static func decode(_ input: UnsafeRawPointer, count: Int, bytesPerSample: Int, scale: Float, shift: Float, into out: UnsafeMutablePointer<Float>) {
        if bytesPerSample == 2 {
            for index in 0..<count {
                let raw = Int16(littleEndian: input.loadUnaligned(fromByteOffset: 2 * index, as: Int16.self))
                out[index] = Float(raw) * scale + shift
            }
        } else {
            let bytes = input.assumingMemoryBound(to: UInt8.self)
            for index in 0..<count {
                let position = 3 * index
                let raw = UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16
                out[index] = Float(Int32(bitPattern: raw << 8) >> 8) * scale + shift
            }
        }
    }

    /// Time-stamped annotation lists: `+ONSET[\x15DURATION]\x14TEXT\x14...\x14\x00`. The first
    /// TAL of a record with an empty text is its time-keeping annotation.
    static func parseTALs(_ block: UnsafeBufferPointer<UInt8>, path: String, offset: Int) throws -> (recordStart: Double?, events: [Event]) {
        var events: [Event] = []
        var recordStart: Double?
        var position = 0
        var first = true
        while position < block.count {
            if block[position] == 0 { position += 1; continue }
            var end = position
            while end < block.count, block[end] != 0 { end += 1 }
            let tal = Array(block[position..<end])
            let parts = tal.split(separator: 0x14, omittingEmptySubsequences: false)
            let timing = parts[0].split(separator: 0x15, omittingEmptySubsequences: false)
            let onsetText = String(decoding: timing[0], as: UTF8.self)
            guard let sign = onsetText.first, sign == "+" || sign == "-", let onset = Double(onsetText) else {
                throw MyoError.badBytes(file: path, offset: offset + position, expected: "an annotation onset such as +12.5", found: "'\(String(decoding: tal.prefix(20), as: UTF8.self))'")
            }
            let texts = parts.dropFirst().map { String(decoding: $0, as: UTF8.self) }.filter { !$0.isEmpty }
            if first, texts.isEmpty { recordStart = onset }
            if first, recordStart == nil, parts.count >= 2, parts[1].isEmpty { recordStart = onset }
            for text in texts { events.append(Event(timeSeconds: onset, label: text)) }
            first = false
            position = end + 1
        }
        return (recordStart, events)
    }

    private static func numberField(_ reader: ByteReader, _ offset: Int, _ width: Int, _ what: String) throws -> Double {
        let text = try reader.text(offset, width, what)
        guard let value = Double(text), value.isFinite else {
            throw MyoError.badBytes(file: reader.path, offset: offset, expected: "a number for \(what)", found: "'\(text)'")
        }
        return value
    }

    private static func integerField(_ reader: ByteReader, _ offset: Int, _ width: Int, _ what: String, allowNegativeOne: Bool = false) throws -> Int {
        let text = try reader.text(offset, width, what)
        guard let value = Int(text), value >= 0 || (allowNegativeOne && value == -1) else {
            throw MyoError.badBytes(file: reader.path, offset: offset, expected: "a whole number for \(what)", found: "'\(text)'")
        }
        return value
    }
}
