import MyoCore

/// What a stream says about itself: name, content type, channels (label, unit, type, from the
/// `desc/channels/channel` metadata that XDF and most LSL apps use), nominal rate, source id, host.
public struct StreamDescription: Sendable, Equatable {
    public struct ChannelInfo: Sendable, Equatable {
        public var label: String
        public var unit: String
        public var type: String
        public init(label: String, unit: String, type: String) { (self.label, self.unit, self.type) = (label, unit, type) }
    }

    public var name: String
    public var type: String
    public var channels: [ChannelInfo]
    /// Samples per second; 0 for an irregular stream (markers).
    public var nominalRateHz: Double
    public var sourceID: String
    public var hostname: String
    /// liblsl's channel format code (1 float32, 2 double64, 3 string, ...).
    public var format: Int32

    public init(name: String, type: String, channels: [ChannelInfo], nominalRateHz: Double, sourceID: String, hostname: String = "", format: Int32 = 1) {
        (self.name, self.type, self.channels, self.nominalRateHz, self.sourceID, self.hostname, self.format) = (name, type, channels, nominalRateHz, sourceID, hostname, format)
    }

    /// Reads an info handle: its fields and, when present, its channel metadata.
    init(_ library: LSLLibrary, _ info: OpaquePointer?) {
        func text(_ value: UnsafePointer<CChar>?) -> String { value.map { String(cString: $0) } ?? "" }
        name = text(library.getName(info))
        type = text(library.getType(info))
        nominalRateHz = library.getNominalRate(info)
        sourceID = text(library.getSourceID(info))
        hostname = text(library.getHostname(info))
        format = library.getChannelFormat(info)
        let count = Int(library.getChannelCount(info))
        var channels: [ChannelInfo] = []
        var node = library.child(library.child(library.getDesc(info), "channels"), "channel")
        while channels.count < count, library.isEmpty(node) == 0 {
            channels.append(ChannelInfo(label: text(library.childValueNamed(node, "label")), unit: text(library.childValueNamed(node, "unit")),
                                        type: text(library.childValueNamed(node, "type"))))
            node = library.nextSiblingNamed(node, "channel")
        }
        // Streams without metadata: channels numbered, unit unknown (a `units` can give them later).
        while channels.count < count { channels.append(ChannelInfo(label: "\(name)_\(channels.count + 1)", unit: "", type: type)) }
        for index in channels.indices where channels[index].label.isEmpty { channels[index].label = "\(name)_\(index + 1)" }
        self.channels = channels
    }
}

/// A stream found on the network, ready to be opened.
public final class ResolvedStream: @unchecked Sendable {
    public let description: StreamDescription
    let library: LSLLibrary
    let info: OpaquePointer?

    init(library: LSLLibrary, info: OpaquePointer?) {
        self.library = library
        self.info = info
        description = StreamDescription(library, info)
    }

    deinit { library.destroyStreamInfo(info) }
}

public enum LSL {
    /// Every stream visible within `waitSeconds` (liblsl's resolve_all), sorted by name and type.
    public static func resolve(_ library: LSLLibrary, waitSeconds: Double) -> [ResolvedStream] {
        var buffer = [OpaquePointer?](repeating: nil, count: 256)
        let found = Int(library.resolveAll(&buffer, UInt32(buffer.count), waitSeconds))
        return buffer.prefix(max(0, found)).map { ResolvedStream(library: library, info: $0) }
            .sorted { ($0.description.name, $0.description.type, $0.description.sourceID) < ($1.description.name, $1.description.type, $1.description.sourceID) }
    }
}

/// An LSL outlet of float32 samples with the stream's channel metadata.
public final class LSLOutlet: @unchecked Sendable {
    let library: LSLLibrary
    let outlet: OpaquePointer
    public let description: StreamDescription

    /// Makes the outlet visible; `chunkSamples` is how many samples liblsl sends together.
    public init(_ library: LSLLibrary, description: StreamDescription, chunkSamples: Int) throws {
        self.library = library
        self.description = description
        guard let info = library.createStreamInfo(description.name, description.type, Int32(description.channels.count), description.nominalRateHz,
                                                  LSLLibrary.float32Format, description.sourceID) else {
            throw MyoError.other("liblsl could not describe the stream \(description.name)")
        }
        defer { library.destroyStreamInfo(info) }
        let desc = library.getDesc(info)
        let channels = library.appendChild(desc, "channels")
        for channel in description.channels {
            let node = library.appendChild(channels, "channel")
            _ = library.appendChildValue(node, "label", channel.label)
            _ = library.appendChildValue(node, "unit", channel.unit)
            _ = library.appendChildValue(node, "type", channel.type)
        }
        _ = library.appendChildValue(desc, "manufacturer", "MyoShell")
        // Buffer 60 s for late consumers (max_buffered is in seconds for a regular stream).
        guard let outlet = library.createOutlet(info, Int32(max(1, chunkSamples)), 60) else {
            throw MyoError.other("liblsl could not open an outlet for \(description.name)")
        }
        self.outlet = outlet
    }

    deinit { library.destroyOutlet(outlet) }

    /// Pushes `count` samples (channel-interleaved values) with one LSL timestamp each.
    public func push(_ interleaved: [Float], timestamps: [Double]) {
        guard !timestamps.isEmpty else { return }
        interleaved.withUnsafeBufferPointer { values in
            timestamps.withUnsafeBufferPointer { stamps in
                _ = library.pushChunkWithTimestamps(outlet, values.baseAddress!, UInt(values.count), stamps.baseAddress!, 1)
            }
        }
    }

    public var hasConsumers: Bool { library.haveConsumers(outlet) != 0 }
}

/// An LSL inlet pulling float32 chunks, with the clock offset to the sender.
public final class LSLInlet: @unchecked Sendable {
    let library: LSLLibrary
    let inlet: OpaquePointer
    /// The full description (with channel metadata) fetched when the inlet opened.
    public let description: StreamDescription
    private var values: [Float]
    private var stamps: [Double]

    /// Opens an inlet on `stream`, waiting up to `timeoutSeconds` for its full description.
    public init(_ stream: ResolvedStream, bufferSeconds: Int = 30, timeoutSeconds: Double = 5) throws {
        library = stream.library
        guard let inlet = library.createInlet(stream.info, Int32(bufferSeconds), 0, 1) else {
            throw MyoError.other("liblsl could not open an inlet on \(stream.description.name)")
        }
        self.inlet = inlet
        var error: Int32 = 0
        let full = library.getFullInfo(inlet, timeoutSeconds, &error)
        if error != 0 || full == nil {
            library.destroyInlet(inlet)
            throw MyoError.other("the stream \(stream.description.name) did not answer within \(NumberFormat.quantity(timeoutSeconds, "s")) (liblsl error \(error))")
        }
        description = StreamDescription(library, full)
        library.destroyStreamInfo(full)
        self.timeoutSeconds = timeoutSeconds
        let width = max(1, description.channels.count)
        let capacity = max(1024, Int(description.nominalRateHz))
        values = Array(repeating: 0, count: capacity * width)
        stamps = Array(repeating: 0, count: capacity)
    }

    deinit { library.destroyInlet(inlet) }

    private let timeoutSeconds: Double

    /// Starts the data flowing (it also starts at the first pull): after the clock correction is
    /// measured, so a fast sender cannot fill the inlet's buffer while the receiver is busy.
    public func open() {
        var error: Int32 = 0
        library.openStream(inlet, timeoutSeconds, &error)
    }

    public enum PullError: Error { case lost }

    /// Everything waiting now (up to the buffer), interleaved, with the sender's timestamps;
    /// throws `.lost` when the stream is gone.
    public func pull() throws -> (values: ArraySlice<Float>, timestamps: ArraySlice<Double>) {
        var error: Int32 = 0
        let width = max(1, description.channels.count)
        let count = values.withUnsafeMutableBufferPointer { v in
            stamps.withUnsafeMutableBufferPointer { t in
                Int(library.pullChunk(inlet, v.baseAddress!, t.baseAddress!, UInt(v.count), UInt(t.count), 0, &error))
            }
        }
        if error == LSLLibrary.lostError { throw PullError.lost }
        let samples = count / width
        return (values[0..<(samples * width)], stamps[0..<samples])
    }

    /// Everything waiting now of a string stream (markers): one text a sample (channels joined
    /// by a space), with the sender's timestamps.
    public func pullStrings() throws -> [(text: String, timestamp: Double)] {
        var error: Int32 = 0
        let width = max(1, description.channels.count)
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: 256 * width)
        var times = [Double](repeating: 0, count: 256)
        let count = Int(library.pullStrings(inlet, &pointers, &times, UInt(pointers.count), UInt(times.count), 0, &error))
        if error == LSLLibrary.lostError { throw PullError.lost }
        var result: [(text: String, timestamp: Double)] = []
        for k in 0..<(count / width) {
            let words = (0..<width).map { c in pointers[k * width + c].map { String(cString: $0) } ?? "" }
            result.append((words.joined(separator: " "), times[k]))
        }
        for pointer in pointers.prefix(count) { library.destroyString(pointer) }
        return result
    }

    public var isStrings: Bool { description.format == LSLLibrary.stringFormat }

    /// The offset to add to the sender's timestamps to put them on this machine's LSL clock.
    public func timeCorrection(timeoutSeconds: Double) -> Double? {
        var error: Int32 = 0
        let offset = library.timeCorrection(inlet, timeoutSeconds, &error)
        return error == 0 ? offset : nil
    }
}
