/// A number with a unit as typed by a user: `250ms`, `20Hz`, `50%`.
public struct Quantity: Sendable, Equatable {
    public let value: Double
    public let unit: UnitDefinition?

    public init(value: Double, unit: UnitDefinition?) {
        self.value = value
        self.unit = unit
    }

    /// The value converted to the canonical unit of its dimension, or nil when it has no unit.
    public var canonicalValue: Double? { unit.map { value * $0.factorToCanonical } }

    /// Parses `text` as a number optionally followed by a unit symbol.
    /// Returns nil when the text does not start with a number or the suffix is no known unit.
    /// `5s..20s` as (5, 20) in s: two times with units, the first before the second; nil otherwise.
    public static func timeRange(_ text: String) -> (Double, Double)? {
        let parts = text.split(separator: "..", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return nil }
        let times = parts.map { parse($0).flatMap { $0.unit?.dimension == .time ? $0.canonicalValue : nil } }
        guard let from = times[0], let to = times[1], from < to else { return nil }
        return (from, to)
    }

    public static func parse(_ text: String) -> Quantity? {
        let (number, rest) = splitNumber(text)
        guard let number else { return nil }
        if rest.isEmpty { return Quantity(value: number, unit: nil) }
        guard let unit = UnitDefinition.named(rest) else { return nil }
        return Quantity(value: number, unit: unit)
    }

    /// Splits a leading decimal number (sign, digits, point, exponent) from the rest of the text.
    public static func splitNumber(_ text: String) -> (Double?, String) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func isDigit(_ i: Int) -> Bool { i < scalars.count && ("0"..."9").contains(scalars[i]) }
        if index < scalars.count, scalars[index] == "-" || scalars[index] == "+" { index += 1 }
        var sawDigit = false
        while isDigit(index) { index += 1; sawDigit = true }
        if index < scalars.count, scalars[index] == "." {
            index += 1
            while isDigit(index) { index += 1; sawDigit = true }
        }
        guard sawDigit else { return (nil, text) }
        // An exponent only when digits follow: "1e3Hz" is 1000 Hz, "2e" is not a number.
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var probe = index + 1
            if probe < scalars.count, scalars[probe] == "-" || scalars[probe] == "+" { probe += 1 }
            if isDigit(probe) {
                index = probe
                while isDigit(index) { index += 1 }
            }
        }
        let numberText = String(String.UnicodeScalarView(scalars[0..<index]))
        let rest = String(String.UnicodeScalarView(scalars[index...]))
        return (Double(numberText), rest)
    }
}
