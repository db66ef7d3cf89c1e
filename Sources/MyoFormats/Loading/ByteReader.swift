import MyoCore

/// Byte order of multi-byte numbers in a binary file.
public enum ByteOrder: Sendable {
    case little, big
}

/// Bounds-checked reads of little- or big-endian numbers from a byte buffer. Every read past the
/// end throws one sentence naming the file, the offset and what was being read.
struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let path: String
    var order: ByteOrder = .little

    init(_ bytes: UnsafeBufferPointer<UInt8>, path: String, order: ByteOrder = .little) {
        self.bytes = bytes
        self.path = path
        self.order = order
    }

    var count: Int { bytes.count }

    func require(_ offset: Int, _ length: Int, _ what: String) throws {
        guard offset >= 0, length >= 0, offset + length <= bytes.count else {
            throw MyoError.badBytes(file: path, offset: min(max(offset, 0), bytes.count), expected: "\(length) bytes of \(what)",
                                    found: "the end of the file (\(bytes.count) bytes; the file is truncated)")
        }
    }

    func uint8(_ offset: Int, _ what: String) throws -> UInt8 {
        try require(offset, 1, what)
        return bytes[offset]
    }

    func int8(_ offset: Int, _ what: String) throws -> Int8 { Int8(bitPattern: try uint8(offset, what)) }

    func uint16(_ offset: Int, _ what: String) throws -> UInt16 {
        try require(offset, 2, what)
        let a = UInt16(bytes[offset]), b = UInt16(bytes[offset + 1])
        return order == .little ? a | b << 8 : a << 8 | b
    }

    func int16(_ offset: Int, _ what: String) throws -> Int16 { Int16(bitPattern: try uint16(offset, what)) }

    func uint32(_ offset: Int, _ what: String) throws -> UInt32 {
        try require(offset, 4, what)
        var value: UInt32 = 0
        for index in 0..<4 {
            let byte = UInt32(bytes[offset + (order == .little ? 3 - index : index)])
            value = value << 8 | byte
        }
        return value
    }

    func int32(_ offset: Int, _ what: String) throws -> Int32 { Int32(bitPattern: try uint32(offset, what)) }

    func uint64(_ offset: Int, _ what: String) throws -> UInt64 {
        let low = UInt64(try uint32(offset + (order == .little ? 0 : 4), what)), high = UInt64(try uint32(offset + (order == .little ? 4 : 0), what))
        return high << 32 | low
    }

    func double(_ offset: Int, _ what: String) throws -> Double { Double(bitPattern: try uint64(offset, what)) }

    /// ASCII text, with trailing spaces and NULs removed; bytes that are not UTF-8 are replaced.
    func text(_ offset: Int, _ length: Int, _ what: String) throws -> String {
        try require(offset, length, what)
        var end = offset + length
        while end > offset, bytes[end - 1] == 32 || bytes[end - 1] == 0 { end -= 1 }
        var start = offset
        while start < end, bytes[start] == 32 { start += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}
