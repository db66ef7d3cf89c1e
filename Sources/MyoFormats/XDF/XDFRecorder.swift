#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFiles

/// Writes an XDF 1.0 file while streams arrive, as LabRecorder does: the file header, a stream
/// header per stream (with its channels' labels, units and types), then samples chunks with every
/// sample's own timestamp as received, clock offset chunks (collection time on the sender's
/// clock, and the offset), and footers at the end. Each chunk is written whole as it comes and the
/// file synced once a second, so a killed process leaves a file that pyxdf and `load` read up to
/// its last chunk. Never written over an existing file.
public final class XDFRecorder {
    public struct Stream: Sendable {
        public var name: String
        public var type: String
        public var channels: [(label: String, unit: String, type: String)]
        public var rateHz: Double
        /// true: one string a sample (markers); false: float32 channels.
        public var strings: Bool
        public var sourceID: String
        public init(name: String, type: String, channels: [(label: String, unit: String, type: String)], rateHz: Double, strings: Bool, sourceID: String) {
            (self.name, self.type, self.channels, self.rateHz, self.strings, self.sourceID) = (name, type, channels, rateHz, strings, sourceID)
        }
    }

    public let path: String
    public let streams: [Stream]
    private let descriptor: Int32
    private var offset = 0
    private var first: [Double?], last: [Double?], counts: [Int]
    private var lastSync = 0

    public init(path: String, streams: [Stream]) throws {
        self.path = path
        self.streams = streams
        first = streams.map { _ in nil }; last = streams.map { _ in nil }; counts = streams.map { _ in 0 }
        descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MyoError.file(path: path, reason: errno == EEXIST ? "exists; a recording never writes over a file" : "cannot be created (\(String(cString: strerror(errno))))")
        }
        try write(Array("XDF:".utf8))
        try chunk(1, Array("<?xml version=\"1.0\"?><info><version>1.0</version></info>".utf8))
        for (index, stream) in streams.enumerated() {
            var xml = "<?xml version=\"1.0\"?><info><name>\(stream.name.markupEscaped)</name><type>\(stream.type.markupEscaped)</type>"
            xml += "<channel_count>\(stream.strings ? 1 : stream.channels.count)</channel_count><nominal_srate>\(NumberFormat.significant(stream.rateHz, digits: 17))</nominal_srate>"
            xml += "<channel_format>\(stream.strings ? "string" : "float32")</channel_format><source_id>\(stream.sourceID.markupEscaped)</source_id>"
            xml += "<desc><channels>" + stream.channels.map { "<channel><label>\($0.label.markupEscaped)</label><unit>\($0.unit.markupEscaped)</unit><type>\($0.type.markupEscaped)</type></channel>" }.joined()
            xml += "</channels><acquisition><manufacturer>MyoShell</manufacturer></acquisition></desc></info>"
            try chunk(2, id(index) + Array(xml.utf8))
        }
    }

    deinit { close(descriptor) }

    private func id(_ index: Int) -> [UInt8] { le(UInt32(index + 1)) }
    private func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    private func write(_ bytes: [UInt8]) throws {
        try FileSystem.write(bytes, to: descriptor, at: offset, path: path, kept: "the chunks before are kept")
        offset += bytes.count
    }

    /// [NumLengthBytes][Length][Tag][Content], the length counting the tag and the content.
    private func chunk(_ tag: UInt16, _ content: [UInt8]) throws {
        let length = content.count + 2
        let header: [UInt8] = length < 256 ? [1, UInt8(length)] : (length <= Int(UInt32.max) ? [4] + le(UInt32(length)) : [8] + le(UInt64(length)))
        try write(header + le(tag) + content)
        let now = time(nil)
        if now != lastSync { fdatasync(descriptor); lastSync = now }
    }

    /// Samples of a float32 stream, channel-interleaved, each with its timestamp.
    public func append(_ interleaved: ArraySlice<Float>, timestamps: ArraySlice<Double>, to index: Int) throws {
        guard !timestamps.isEmpty else { return }
        let width = streams[index].channels.count
        var content = id(index) + [4] + le(UInt32(timestamps.count))
        content.reserveCapacity(content.count + timestamps.count * (9 + 4 * width))
        var k = interleaved.startIndex
        for stamp in timestamps {
            content += [8] + le(stamp.bitPattern)
            for _ in 0..<width { content += le(interleaved[k].bitPattern); k += 1 }
        }
        try chunk(3, content)
        note(timestamps, index)
    }

    /// Strings of a marker stream, each with its timestamp.
    public func append(strings: [String], timestamps: [Double], to index: Int) throws {
        guard !timestamps.isEmpty else { return }
        var content = id(index) + [4] + le(UInt32(timestamps.count))
        for (stamp, text) in zip(timestamps, strings) {
            let bytes = Array(text.utf8)
            content += [8] + le(stamp.bitPattern) + [4] + le(UInt32(bytes.count)) + bytes
        }
        try chunk(3, content)
        note(timestamps[...], index)
    }

    private func note(_ timestamps: ArraySlice<Double>, _ index: Int) {
        if first[index] == nil { first[index] = timestamps.first }
        last[index] = timestamps.last
        counts[index] += timestamps.count
    }

    /// A clock offset measured at `collectionTime` (the sender's clock): add `offset` to its stamps.
    public func clockOffset(collectionTime: Double, offset value: Double, to index: Int) throws {
        try chunk(4, id(index) + le(collectionTime.bitPattern) + le(value.bitPattern))
    }

    /// Footers (first and last timestamps, sample counts), then a final sync.
    public func finish() throws {
        for index in streams.indices {
            let xml = "<?xml version=\"1.0\"?><info><first_timestamp>\(NumberFormat.significant(first[index] ?? 0, digits: 17))</first_timestamp>"
                + "<last_timestamp>\(NumberFormat.significant(last[index] ?? 0, digits: 17))</last_timestamp><sample_count>\(counts[index])</sample_count></info>"
            try chunk(6, id(index) + Array(xml.utf8))
        }
        fsync(descriptor)
    }
}
