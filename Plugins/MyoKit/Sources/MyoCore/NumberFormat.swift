#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fixed, locale-free number formatting, so results are byte-identical on every machine.
public enum NumberFormat {
    /// `value` with `digits` significant digits in C's `%g` style (exponent only for very large
    /// or very small magnitudes). NaN prints as `nan`, infinities as `inf` and `-inf`.
    public static func significant(_ value: Double, digits: Int = 5) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return "0" }
        return cFormat("%.\(max(1, digits))g", value)
    }

    /// `value` with exactly `decimals` digits after the point (`%.Nf`); `-0.000` prints as `0.000`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let text = cFormat("%.\(max(0, decimals))f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// A quantity for messages: the number with up to 6 significant digits and its unit, e.g. `2000 Hz`.
    public static func quantity(_ value: Double, _ unit: String) -> String {
        unit.isEmpty ? significant(value, digits: 6) : "\(significant(value, digits: 6)) \(unit)"
    }

    private static func cFormat(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        return String(cString: buffer)
    }
}
