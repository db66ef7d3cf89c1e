/// Physical dimensions that MyoShell knows, each with one canonical unit.
///
/// Canonical units: time in s, frequency in Hz, ratio in %, voltage in mV, acceleration in g,
/// angular velocity in deg/s, angle in deg.
public enum Dimension: String, CaseIterable, Sendable {
    case time, frequency, ratio, voltage, acceleration, angularVelocity = "angular velocity", angle

    /// The canonical unit symbol of this dimension.
    public var canonicalSymbol: String {
        switch self {
        case .time: return "s"
        case .frequency: return "Hz"
        case .ratio: return "%"
        case .voltage: return "mV"
        case .acceleration: return "g"
        case .angularVelocity: return "deg/s"
        case .angle: return "deg"
        }
    }

    /// A short example of a value with a unit, used in error messages ("write it as 100ms").
    public var example: String {
        switch self {
        case .time: return "100ms"
        case .frequency: return "20Hz"
        case .ratio: return "50%"
        case .voltage: return "1mV"
        case .acceleration: return "1g"
        case .angularVelocity: return "30deg/s"
        case .angle: return "10deg"
        }
    }
}

/// A unit symbol with its dimension and the factor that converts it to the canonical unit.
public struct UnitDefinition: Sendable, Equatable {
    public let symbol: String
    public let dimension: Dimension
    /// value in this unit x factor = value in the canonical unit.
    public let factorToCanonical: Double

    /// Every unit symbol accepted in values and headers. 9.80665 m/s^2 = 1 g (standard gravity, CGPM 1901).
    public static let all: [UnitDefinition] = [
        .init(symbol: "s", dimension: .time, factorToCanonical: 1),
        .init(symbol: "ms", dimension: .time, factorToCanonical: 1e-3),
        .init(symbol: "us", dimension: .time, factorToCanonical: 1e-6),
        .init(symbol: "min", dimension: .time, factorToCanonical: 60),
        .init(symbol: "h", dimension: .time, factorToCanonical: 3600),
        .init(symbol: "Hz", dimension: .frequency, factorToCanonical: 1),
        .init(symbol: "kHz", dimension: .frequency, factorToCanonical: 1e3),
        .init(symbol: "%", dimension: .ratio, factorToCanonical: 1),
        .init(symbol: "V", dimension: .voltage, factorToCanonical: 1e3),
        .init(symbol: "mV", dimension: .voltage, factorToCanonical: 1),
        .init(symbol: "uV", dimension: .voltage, factorToCanonical: 1e-3),
        .init(symbol: "µV", dimension: .voltage, factorToCanonical: 1e-3),
        .init(symbol: "g", dimension: .acceleration, factorToCanonical: 1),
        .init(symbol: "m/s^2", dimension: .acceleration, factorToCanonical: 1 / 9.80665),
        .init(symbol: "m/s2", dimension: .acceleration, factorToCanonical: 1 / 9.80665),
        .init(symbol: "deg/s", dimension: .angularVelocity, factorToCanonical: 1),
        .init(symbol: "rad/s", dimension: .angularVelocity, factorToCanonical: 180 / Double.pi),
        .init(symbol: "deg", dimension: .angle, factorToCanonical: 1),
        .init(symbol: "rad", dimension: .angle, factorToCanonical: 180 / Double.pi),
    ]

    /// The definition for a symbol, matched exactly (units are case-sensitive: mV is not MV).
    public static func named(_ symbol: String) -> UnitDefinition? {
        all.first { $0.symbol == symbol }
    }

    /// The symbols of one dimension, for help texts and error messages.
    public static func symbols(of dimension: Dimension) -> [String] {
        all.filter { $0.dimension == dimension }.map(\.symbol)
    }
}

extension UnitDefinition {
    /// Spellings of units that real files use, mapped to MyoShell's symbols (compared without
    /// case and spaces): WFDB headers write `mv`, many exports `uv`, `μV` (Greek mu) or `microV`,
    /// IMU exports `m/s²`, `deg/sec` or `dps`.
    static let spellings: [String: String] = [
        "v": "V", "volt": "V", "volts": "V",
        "mv": "mV", "millivolt": "mV", "millivolts": "mV",
        "uv": "uV", "µv": "uV", "μv": "uV", "microv": "uV", "microvolt": "uV", "microvolts": "uV",
        "g": "g", "gs": "g",
        "m/s^2": "m/s^2", "m/s2": "m/s^2", "m/(s^2)": "m/s^2", "m/s²": "m/s^2", "m/s/s": "m/s^2", "ms^-2": "m/s^2", "ms-2": "m/s^2", "m.s-2": "m/s^2",
        "deg/s": "deg/s", "deg/sec": "deg/s", "dps": "deg/s", "°/s": "deg/s", "degree/s": "deg/s", "degrees/s": "deg/s",
        "rad/s": "rad/s", "rad/sec": "rad/s",
        "deg": "deg", "°": "deg", "degree": "deg", "degrees": "deg", "rad": "rad",
    ]

    /// The MyoShell symbol for a unit as a file spells it, or nil when it is no known unit
    /// (`adu`, ADC counts, stays as it is).
    public static func normalizedSymbol(_ spelling: String) -> String? {
        if named(spelling) != nil { return spelling == "µV" ? "uV" : spelling }
        let key = spelling.lowercased().filter { $0 != " " }
        return spellings[key]
    }
}
