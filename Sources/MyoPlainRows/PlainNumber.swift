/// The plain decimal numbers that make up nearly every cell of a numeric text file (`-0.0123`,
/// `1523.5`, `7`), recognised and converted eight bytes at a time without a loop over characters.
/// Anything else (exponents, a `+` sign, spaces, more than seven digits either side of the point)
/// is not plain, and the caller hands it to `DecimalParser`. Values equal strtod's, and as Floats
/// they equal strtof's.
public enum PlainNumber {
    /// 10^k for k in 0...22, all exact in a Double; allocated once, never freed. (Hot loops take
    /// both tables as arguments: reading a static in a loop checks its one-time initialisation.)
    public static let powersOfTen: UnsafePointer<Double> = table { k in
        var value = 1.0
        for _ in 0..<k { value *= 10 }
        return value
    }

    /// 10^-k for k in 0...22, each the Double nearest to it.
    @usableFromInline static let reciprocalPowersOfTen: UnsafePointer<Double> = table { 1 / powersOfTen[$0] }

    private static func table(_ value: (Int) -> Double) -> UnsafePointer<Double> {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 23)
        for k in 0...22 { (table + k).initialize(to: value(k)) }
        return UnsafePointer(table)
    }

    /// A number written in the low `length` bytes of `word` (first character in the lowest byte),
    /// `length` at most 7: an optional minus sign, then digits with at most one point. Returns the
    /// digits as an integer (below 10^7) and how many of them follow the point; nil if it is not
    /// such a number.
    ///
    /// The minus sign is turned into a leading zero digit rather than shifted out, and the gap the
    /// point leaves is closed with masks made from its lowest set bit: no branch, one variable shift.
    @inlinable @inline(always)
    static func short(_ word: UInt64, length: Int) -> (digits: UInt64, fractionDigits: Int, negative: Bool)? {
        let negative = word & 0xFF == 0x2D
        let minus: UInt64 = negative ? 1 : 0
        let inside: UInt64 = (1 &<< UInt64(truncatingIfNeeded: length &<< 3)) &- 1
        // Digits become 0...9 and a leading minus sign 0; a point becomes 0x1E.
        let values = (word ^ 0x3030_3030_3030_3030 ^ (minus &* 0x1D)) & inside
        let points = firstZeroByte(values ^ 0x1E1E_1E1E_1E1E_1E1E) & inside
        // The bytes before the first point (all of them without one); those after it move down one.
        let before = ((points & (0 &- points)) &>> 7) &- 1
        let packed = (values & before) | ((values &>> 8) & ~before)
        let hasPoint = points != 0
        let digitCount = length &- (hasPoint ? 1 : 0)
        // A byte above 9 (a second point, a sign inside, any other character) sets a high bit.
        let notDigit = ((packed &+ 0x7676_7676_7676_7676) | packed) & 0x8080_8080_8080_8080
        guard notDigit == 0, digitCount &- Int(minus) > 0 else { return nil }
        let fractionDigits = hasPoint ? length &- 1 &- (points.trailingZeroBitCount &>> 3) : 0
        return (eightDigitValue(packed &<< UInt64(truncatingIfNeeded: (8 &- digitCount) &<< 3)), fractionDigits, negative)
    }

    /// 10^(p - 8) for a cell whose point (or, without one, whose end) is at byte p, each the
    /// Double nearest to it, indexed by 8p + 7 (the bit that marks that byte); for `quad`.
    @usableFromInline static let pointScales: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 64)
        for index in 0..<64 { (table + index).initialize(to: index % 8 == 7 ? reciprocalPowersOfTen[8 - index / 8] : 0) }
        return UnsafePointer(table)
    }()

    /// Four cells at once, one in each lane (the vector unit does the work, while the integer
    /// units find the cells): the rules and the Floats of `short` followed by `float`. `words`
    /// holds the eight bytes at each cell's start, `ends` firstZeroByte's marks of each cell's
    /// terminator, which must lie within the eight bytes. A lane whose cell is not such a number
    /// sets a high bit in `bad` and gives no meaningful value.
    ///
    /// The digits, the point's gap closed, are read as eight digits (first in the lowest byte)
    /// with 16-, 32- and 64-bit multiply-adds: that is digits x 10^(8 - digitCount), which times
    /// 10^(p - 8) (p: the point's byte, or the cell's length) is digits / 10^fractionDigits. The
    /// Double product is within 2^-52 of that quotient, as in `float`, so its Float is strtof's.
    /// Four lanes fill one AVX2 register, or two SSE2 registers where AVX2 is missing.
    @inlinable @inline(always)
    static func quad(_ words: SIMD4<UInt64>, ends: SIMD4<UInt64>, scales: UnsafePointer<Double>,
                     bad: inout SIMD4<UInt64>) -> SIMD4<Float> {
        typealias Lanes = SIMD4<UInt64>
        let endBit = ends & (Lanes.zero &- ends)
        let inside = (endBit &>> 7) &- 1
        let text = (words ^ Lanes(repeating: 0x3030_3030_3030_3030)) & inside
        // 0xFF when the first byte is a minus sign (0x2D ^ 0x30), else 0: x - 1 reaches bit 8
        // only from x = 0. The sign becomes a leading zero digit.
        let minus = ((((text & Lanes(repeating: 0xFF)) ^ Lanes(repeating: 0x1D)) &- 1) &>> 8) & Lanes(repeating: 0xFF)
        let values = text & ~minus
        let pointBytes = values ^ Lanes(repeating: 0x1E1E_1E1E_1E1E_1E1E)
        let points = (pointBytes &- Lanes(repeating: 0x0101_0101_0101_0101)) & ~pointBytes & Lanes(repeating: 0x8080_8080_8080_8080) & inside
        let before = ((points & (Lanes.zero &- points)) &>> 7) &- 1
        let packed = (values & before) | ((values &>> 8) & ~before)
        let high = Lanes(repeating: 0x8080_8080_8080_8080), above9 = Lanes(repeating: 0x7676_7676_7676_7676)
        let notDigit = ((packed &+ above9) | packed) & high
        // Real digits (the sign and the point are not): none at all makes (0 - 1) >> 63 = 1.
        let digitBytes = ~((text &+ above9) | text) & inside & high
        bad |= notDigit | ((digitBytes &- 1) &>> 63)
        let bytes = unsafeBitCast(packed, to: SIMD16<UInt16>.self)
        let twos = (bytes & SIMD16(repeating: 0x00FF)) &* SIMD16(repeating: 10) &+ (bytes &>> 8)
        let weighted = unsafeBitCast(twos &* SIMD16<UInt16>(100, 1, 100, 1, 100, 1, 100, 1, 100, 1, 100, 1, 100, 1, 100, 1),
                                     to: SIMD8<UInt32>.self)
        let fours = unsafeBitCast((weighted & SIMD8(repeating: 0xFFFF)) &+ (weighted &>> 16), to: Lanes.self)
        let eight = (fours & Lanes(repeating: 0xFFFF_FFFF)) &* Lanes(repeating: 10_000) &+ (fours &>> 32)
        // Below 2^52, so exact through the bit pattern.
        let exact = unsafeBitCast(eight | Lanes(repeating: 0x4330_0000_0000_0000), to: SIMD4<Double>.self)
            - SIMD4(repeating: 4_503_599_627_370_496.0)
        let at = points | endBit
        let magnitude = exact * SIMD4(scales[at[0].trailingZeroBitCount], scales[at[1].trailingZeroBitCount],
                                      scales[at[2].trailingZeroBitCount], scales[at[3].trailingZeroBitCount])
        return SIMD4<Float>(unsafeBitCast(unsafeBitCast(magnitude, to: Lanes.self) | (minus &<< 63), to: SIMD4<Double>.self))
    }

    /// digits / 10^fractionDigits as the Float nearest to it (strtof's value), for digits below
    /// 10^7, with one multiplication. The Double product with the rounded reciprocal is within
    /// 2^-52 (relative) of the quotient, and a quotient of a 7-digit integer by 10^k is never within
    /// 2^-48 of a point half-way between two Floats (such a point has 25 significant bits, so the
    /// distance is an integer over 10^k x 2^q, at least 1 / (10^7 x 2^25) relative), nor on one: so
    /// rounding the product to Float rounds the quotient correctly.
    @inlinable @inline(always)
    static func float(digits: UInt64, fractionDigits: Int, negative: Bool, reciprocals: UnsafePointer<Double>) -> Float {
        let magnitude = Double(digits) * reciprocals[fractionDigits]
        // A select, not a branch: half the numbers of a signal are negative, at random.
        return Float(negative ? -magnitude : magnitude)
    }

    /// A plain number starting at `position` of up to 7 digits before and 7 after the point, read
    /// with two eight-byte loads, not within 24 bytes of `limit` (the end of the buffer). Its value
    /// is exact in one division by a power of ten, so it equals strtod's. On success `position`
    /// moves past it; the caller checks what follows.
    @inlinable @inline(always)
    static func long(_ base: UnsafePointer<UInt8>, _ position: inout Int, limit: Int, powersOfTen: UnsafePointer<Double>) -> Double? {
        var index = position
        guard index + 24 <= limit else { return nil }
        let negative = base[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let integer = eightDigits(base + index)
        guard integer.count < 8 else { return nil }
        index += integer.count
        var mantissa = Double(integer.value)
        var scale = 0
        if base[index] == UInt8(ascii: ".") {
            let fraction = eightDigits(base + index + 1)
            guard fraction.count < 8 else { return nil }
            scale = fraction.count
            mantissa = mantissa * powersOfTen[scale] + Double(fraction.value) // exact: below 10^14
            index += 1 + fraction.count
        }
        guard integer.count + scale > 0, base[index] | 0x20 != UInt8(ascii: "e") else { return nil }
        position = index
        let magnitude = mantissa / powersOfTen[scale]
        return negative ? -magnitude : magnitude
    }

    /// How many of the eight bytes at `pointer` are decimal digits before the first non-digit,
    /// and the value of those digits.
    @inlinable @inline(always)
    static func eightDigits(_ pointer: UnsafePointer<UInt8>) -> (count: Int, value: UInt64) {
        let word = UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
        let digits = word ^ 0x3030_3030_3030_3030
        let nonDigit = (digits & 0xF0F0_F0F0_F0F0_F0F0) | ((digits &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0)
        let count = nonDigit.trailingZeroBitCount >> 3
        guard count > 0 else { return (0, 0) }
        // Keep the leading `count` digits, moved up so that the bytes below become leading zeros.
        return (count, eightDigitValue(digits &<< UInt64(64 - 8 * count)))
    }

    /// The value of eight digit bytes (0...9 each, the most significant in the lowest byte): one
    /// multiply-add per halving, as in Lemire's SWAR conversion.
    @inlinable @inline(always)
    static func eightDigitValue(_ digits: UInt64) -> UInt64 {
        var value = (digits &* 10) &+ (digits &>> 8)
        value = (((value & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064)
            &+ (((value &>> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001)) &>> 32
        return value & 0xFFFF_FFFF
    }

    /// The high bit of the first (lowest) zero byte of `word`, and possibly of later bytes too:
    /// only the lowest set bit means anything (a borrow can run on past the first zero byte, never
    /// before it). Three operations, where an exact mask takes six.
    @inlinable @inline(always)
    static func firstZeroByte(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }
}
