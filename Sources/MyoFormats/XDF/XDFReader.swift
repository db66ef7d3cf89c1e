import MyoCore

/// Reads XDF files (the format of LabRecorder and the Lab Streaming Layer, XDF 1.0): every
/// regular numeric stream becomes channels at its nominal rate (labels and units from the stream's
/// desc/channels/channel metadata), string streams (markers) become events, and each stream's
/// clock offsets (a least-squares line through them, as pyxdf's synchronize_clocks) put all
/// timestamps on the recorder's clock. The recording starts at the earliest first sample of its
/// numeric streams. A file cut short inside a chunk (a recorder that was killed) is read up to
/// that chunk, with a warning.
public enum XDFReader {
    public static func looksLikeXDF(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 4 && Array(bytes.prefix(4)) == Array("XDF:".utf8)
    }

    enum Format: String {
        case float32, double64, int8, int16, int32, int64, string
        var size: Int { [.float32: 4, .double64: 8, .int8: 1, .int16: 2, .int32: 4, .int64: 8, .string: 0][self] ?? 0 }
    }

    struct Stream {
        var name: String
        var type: String
        var channels: [(label: String, unit: String)]
        var rate: Double
        var format: Format
        var values: [[Float]]
        var strings: [String] = []
        var stamps: [Double] = []
        var offsets: [(time: Double, value: Double)] = []
    }

    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        let reader = ByteReader(bytes, path: path)
        guard looksLikeXDF(bytes) else { throw MyoError.badBytes(file: path, offset: 0, expected: "the XDF magic 'XDF:'", found: "'\(try reader.text(0, min(4, bytes.count), "magic"))'") }
        var streams: [UInt32: Stream] = [:], order: [UInt32] = []
        var warnings: [String] = []
        var offset = 4
        func varlen(_ at: inout Int, _ what: String) throws -> Int {
            let width = try reader.uint8(at, "the byte count of \(what)")
            at += 1
            switch width {
            case 1: defer { at += 1 }; return Int(try reader.uint8(at, what))
            case 4: defer { at += 4 }; return Int(try reader.uint32(at, what))
            case 8:
                let value = try reader.uint64(at, what)
                at += 8
                guard value < UInt64(Int.max) else { throw MyoError.badBytes(file: path, offset: at - 8, expected: what, found: "\(value)") }
                return Int(value)
            default: throw MyoError.badBytes(file: path, offset: at - 1, expected: "a length of 1, 4 or 8 bytes for \(what)", found: "\(width)")
            }
        }
        chunks: while offset < bytes.count {
            var at = offset
            let length: Int
            do { length = try varlen(&at, "a chunk length") } catch {
                warnings.append("\(path) ends inside a chunk header at byte \(offset) (a recording cut short?); read what came before")
                break
            }
            guard length >= 2, at <= bytes.count, length <= bytes.count - at else {
                if at + length > bytes.count {
                    warnings.append("\(path) ends inside a chunk at byte \(offset) (\(length) bytes announced, \(bytes.count - at) there; a recording cut short?); read what came before")
                    break
                }
                throw MyoError.badBytes(file: path, offset: offset, expected: "a chunk of at least 2 bytes (its tag)", found: "a length of \(length)")
            }
            let end = at + length
            let tag = try reader.uint16(at, "a chunk tag")
            var content = at + 2
            defer { offset = end }
            switch tag {
            case 2, 3, 4, 6:
                guard end - content >= 4 else {
                    throw MyoError.badBytes(file: path, offset: offset, expected: "a chunk with tag \(tag) that holds a 4-byte stream id", found: "\(length) bytes in all")
                }
                let id = try reader.uint32(content, "a stream id")
                content += 4
                if tag == 4 { try reader.require(content, 16, "a clock offset"); guard end - content >= 16 else { throw MyoError.badBytes(file: path, offset: content, expected: "16 bytes of a clock offset in its chunk", found: "\(end - content)") } }
                switch tag {
                case 2:
                    let xml = String(decoding: UnsafeBufferPointer(rebasing: bytes[content..<end]), as: UTF8.self)
                    guard let info = XMLNode.parse(xml), info.name == "info" else {
                        throw MyoError.badBytes(file: path, offset: content, expected: "a stream header <info> document", found: "'\(xml.prefix(40))'")
                    }
                    let count = Int(info.value("channel_count") ?? "") ?? 0
                    guard count > 0, count <= 100_000 else { throw MyoError.badBytes(file: path, offset: content, expected: "a channel_count from 1 to 100000", found: "'\(info.value("channel_count") ?? "none")'") }
                    let rate = Double(info.value("nominal_srate") ?? "") ?? 0
                    guard rate.isFinite, rate >= 0, rate <= 1e7 else { throw MyoError.badBytes(file: path, offset: content, expected: "a nominal_srate from 0 to 10 MHz", found: "'\(info.value("nominal_srate") ?? "")'") }
                    guard let format = Format(rawValue: info.value("channel_format") ?? "") else {
                        throw MyoError.badBytes(file: path, offset: content, expected: "a channel_format (float32, double64, int8, int16, int32, int64, string)", found: "'\(info.value("channel_format") ?? "none")'")
                    }
                    let name = info.value("name") ?? "stream\(id)"
                    var channels = info.child("desc")?.child("channels")?.all("channel").map { (label: $0.value("label") ?? "", unit: $0.value("unit") ?? "") } ?? []
                    channels = Array(channels.prefix(count))
                    while channels.count < count { channels.append((label: "", unit: "")) }
                    for k in channels.indices where channels[k].label.isEmpty { channels[k].label = "\(name)_\(k + 1)" }
                    if streams[id] == nil { order.append(id) }
                    streams[id] = Stream(name: name, type: info.value("type") ?? "", channels: channels, rate: rate, format: format,
                                         values: format == .string ? [] : Array(repeating: [], count: count))
                case 3:
                    guard var stream = streams[id] else { throw MyoError.badBytes(file: path, offset: content - 4, expected: "samples of a stream whose header came before", found: "stream id \(id)") }
                    let count = try varlen(&content, "a sample count")
                    guard count <= end - content else { throw MyoError.badBytes(file: path, offset: content, expected: "at most one sample a byte", found: "\(count) samples in \(end - content) bytes") }
                    let width = stream.channels.count
                    for _ in 0..<count {
                        guard content < end else { throw MyoError.badBytes(file: path, offset: content, expected: "\(count) samples inside their chunk", found: "the chunk's end") }
                        let stampBytes = try reader.uint8(content, "a timestamp byte count")
                        content += 1
                        if stampBytes == 8 {
                            guard content + 8 <= end else { throw MyoError.badBytes(file: path, offset: content, expected: "an 8-byte timestamp inside its chunk", found: "the chunk's end") }
                            let stamp = try reader.double(content, "a timestamp")
                            // LSL clocks count seconds since boot: anything beyond a million years is damage.
                            guard stamp.isFinite, abs(stamp) < 3e13 else { throw MyoError.badBytes(file: path, offset: content, expected: "a timestamp in seconds", found: "\(stamp)") }
                            stream.stamps.append(stamp)
                            content += 8
                        } else if stampBytes == 0 {
                            stream.stamps.append((stream.stamps.last ?? 0) + (stream.rate > 0 ? 1 / stream.rate : 0))
                        } else {
                            throw MyoError.badBytes(file: path, offset: content - 1, expected: "a timestamp of 0 or 8 bytes", found: "\(stampBytes)")
                        }
                        if stream.format == .string {
                            var words: [String] = []
                            for _ in 0..<width {
                                let size = try varlen(&content, "a string length")
                                try reader.require(content, size, "a string")
                                guard content + size <= end else { throw MyoError.badBytes(file: path, offset: content, expected: "a string inside its chunk", found: "\(size) bytes") }
                                words.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[content..<(content + size)]), as: UTF8.self))
                                content += size
                            }
                            stream.strings.append(words.joined(separator: " "))
                        } else {
                            let size = stream.format.size
                            try reader.require(content, size * width, "a sample")
                            guard content + size * width <= end else { throw MyoError.badBytes(file: path, offset: content, expected: "a sample inside its chunk", found: "the chunk's end") }
                            for c in 0..<width {
                                stream.values[c].append(try value(reader, content + c * size, stream.format))
                            }
                            content += size * width
                        }
                    }
                    streams[id] = stream
                case 4:
                    let time = try reader.double(content, "a clock offset's time"), value = try reader.double(content + 8, "a clock offset")
                    if time.isFinite, value.isFinite, abs(time) < 3e13, abs(value) < 3e13 { streams[id]?.offsets.append((time, value)) }
                default: break   // footer: counts and first/last stamps, which the samples give anyway
                }
            case 1, 5: break   // file header, boundary
            default: continue chunks
            }
        }
        return LoadResult(object: .recording(try recording(streams: order.compactMap { streams[$0] }, request: request, provenance: provenance, warnings: &warnings)), warnings: warnings)
    }

    static func value(_ reader: ByteReader, _ at: Int, _ format: Format) throws -> Float {
        switch format {
        case .float32: return Float(bitPattern: try reader.uint32(at, "a float32 sample"))
        case .double64: return Float(try reader.double(at, "a double64 sample"))
        case .int8: return Float(try reader.int8(at, "an int8 sample"))
        case .int16: return Float(try reader.int16(at, "an int16 sample"))
        case .int32: return Float(try reader.int32(at, "an int32 sample"))
        case .int64: return Float(Int64(bitPattern: try reader.uint64(at, "an int64 sample")))
        case .string: return .nan
        }
    }

    /// The least-squares line through a stream's clock offsets, as a function of its own time.
    static func correction(_ offsets: [(time: Double, value: Double)]) -> (Double) -> Double {
        guard let first = offsets.first else { return { _ in 0 } }
        guard offsets.count > 1 else { return { _ in first.value } }
        let n = Double(offsets.count)
        let mt = offsets.map(\.time).reduce(0, +) / n, mv = offsets.map(\.value).reduce(0, +) / n
        let stt = offsets.map { ($0.time - mt) * ($0.time - mt) }.reduce(0, +)
        guard stt > 0 else { return { _ in mv } }
        let slope = offsets.map { ($0.time - mt) * ($0.value - mv) }.reduce(0, +) / stt
        return { t in mv + slope * (t - mt) }
    }

    static func recording(streams: [Stream], request: ReadRequest, provenance: Provenance, warnings: inout [String]) throws -> Recording {
        let regular = streams.filter { $0.format != .string && $0.rate > 0 && !$0.stamps.isEmpty }
        for stream in streams where stream.format != .string && stream.rate == 0 {
            warnings.append("stream \(stream.name) is irregular (no nominal rate) and numeric; it was left out (export it from the recorder as a regular stream)")
        }
        guard !regular.isEmpty else {
            throw MyoError.other("\(request.displayPath) holds no regular numeric stream with samples (streams: \(streams.map { "\($0.name) (\($0.format.rawValue), \(NumberFormat.quantity($0.rate, "Hz")))" }.joined(separator: ", ")))")
        }
        let starts = regular.map { $0.stamps[0] + correction($0.offsets)($0.stamps[0]) }
        let origin = starts.min() ?? 0
        var labels = Set<String>(), duplicates = Set<String>()
        for stream in regular { for channel in stream.channels where !labels.insert(channel.label).inserted { duplicates.insert(channel.label) } }
        var channels: [Channel] = []
        for (stream, start) in zip(regular, starts) {
            let n = stream.stamps.count
            if n > 1 {
                let span = stream.stamps[n - 1] - stream.stamps[0]
                let expected = (span * stream.rate).rounded() + 1
                if abs(expected - Double(n)) > 1 {
                    warnings.append("stream \(stream.name): its timestamps span \(NumberFormat.significant(expected, digits: 12)) samples at \(NumberFormat.quantity(stream.rate, "Hz")) but it holds \(n) (gaps, or a rate other than the nominal); samples are placed at the nominal rate from the first")
                } else if span > 0 {
                    let effective = Double(n - 1) / span
                    if abs(effective / stream.rate - 1) > 0.001 {
                        warnings.append("stream \(stream.name) ran at \(NumberFormat.significant(effective, digits: 6)) Hz by its timestamps, not its nominal \(NumberFormat.quantity(stream.rate, "Hz"))")
                    }
                }
            }
            for (c, channel) in stream.channels.enumerated() {
                let name = duplicates.contains(channel.label) ? "\(stream.name)_\(channel.label)" : channel.label
                channels.append(Channel(name: name, unit: channel.unit, sampleRateHz: stream.rate, startTimeSeconds: start - origin, samples: stream.values[c]))
            }
        }
        var events: [Event] = []
        for stream in streams where stream.format == .string {
            let correct = correction(stream.offsets)
            for (stamp, text) in zip(stream.stamps, stream.strings) { events.append(Event(timeSeconds: stamp + correct(stamp) - origin, label: text)) }
        }
        events.sort { $0.timeSeconds < $1.timeSeconds }
        var recording = Recording(name: request.name, channels: channels, events: events, provenance: provenance)
        recording.provenance.sourceNotes.append("XDF streams " + streams.map { "\($0.name) (\($0.type.isEmpty ? $0.format.rawValue : $0.type), \($0.stamps.count) samples\($0.offsets.isEmpty ? "" : ", \($0.offsets.count) clock offsets"))" }.joined(separator: ", "))
        return recording
    }
}
