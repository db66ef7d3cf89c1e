#if canImport(Glibc)
import Glibc
#endif
import MyoPlainRows

/// A fast parser for decimal numbers in text files (`-12.345`, `1e-3`, `+7`).
///
/// Up to 19 significant digits are accumulated in an integer and scaled by an exact power of
/// ten, which is correctly rounded whenever mantissa and power are both exact in a Double
/// (up to 2^53 and 10^22); anything else falls back to `strtod`, so results always equal strtod's.
public enum DecimalParser {
    /// Parses bytes[start..<end] completely as one number; nil if it is not one.
    @inline(__always)
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var index = start
        guard index < end else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 } else if bytes[index] == UInt8(ascii: "+") { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var sawDigit = false
        while index < end, bytes[index] &- 48 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 48); if mantissa != 0 { digits += 1 } } else { scale += 1 }
            index += 1; sawDigit = true
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, bytes[index] &- 48 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 48); scale -= 1; if mantissa != 0 { digits += 1 } }
                index += 1; sawDigit = true
            }
        }
        guard sawDigit else { return nil }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "-") { exponentNegative = true; index += 1 } else if index < end, bytes[index] == UInt8(ascii: "+") { index += 1 }
            var exponent = 0
            var sawExponentDigit = false
            while index < end, bytes[index] &- 48 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[index] &- 48) }
                index += 1; sawExponentDigit = true
            }
            guard sawExponentDigit else { return nil }
            scale += exponentNegative ? -exponent : exponent
        }
        guard index == end else { return nil }
        if mantissa < (1 << 53), scale >= -22, scale <= 22 {
            let powersOfTen = PlainNumber.powersOfTen
            let value = scale < 0 ? Double(mantissa) / powersOfTen[-scale] : Double(mantissa) * powersOfTen[scale]
            return negative ? -value : value
        }
        return slowParse(bytes, start, end)
    }

    private static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var text = [CChar](repeating: 0, count: end - start + 1)
        for i in start..<end { text[i - start] = CChar(bitPattern: bytes[i]) }
        return text.withUnsafeBufferPointer { buffer -> Double? in
            var endPointer: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &endPointer)
            guard let endPointer, endPointer - UnsafeMutablePointer(mutating: buffer.baseAddress!) == end - start else { return nil }
            return value
        }
    }
}
