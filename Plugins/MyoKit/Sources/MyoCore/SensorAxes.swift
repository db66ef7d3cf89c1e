/// Which of a sensor's axes (with sign) point along the trunk (up when upright), forward
/// (anterior) and to the side (lateral): `+X+Z+Y` is longitudinal +X, anterior +Z, lateral +Y.
/// The value of a `mount=` argument; the orientation code turns it into body coordinates.
public struct SensorAxes: Sendable, Equatable {
    /// Sensor axis index (0 = X, 1 = Y, 2 = Z) and sign for longitudinal, anterior and lateral.
    public let axes: [Axis]

    public struct Axis: Sendable, Equatable {
        public let index: Int
        public let sign: Double
    }

    /// What a mount is, for error messages and help.
    public static let expected = "three different axes with optional signs, longitudinal then anterior then lateral (+X+Z+Y)"

    /// Parses `+X+Z+Y` (signs optional, case ignored): three different axes; nil otherwise.
    public init?(_ text: String) {
        var axes: [Axis] = []
        var sign = 1.0
        for character in text.uppercased() {
            switch character {
            case "+": sign = 1
            case "-": sign = -1
            case "X", "Y", "Z":
                axes.append(Axis(index: character == "X" ? 0 : (character == "Y" ? 1 : 2), sign: sign))
                sign = 1
            default: return nil
            }
        }
        guard axes.count == 3, Set(axes.map(\.index)).count == 3 else { return nil }
        self.axes = axes
    }

    /// `+X+Z+Y`
    public var description: String { axes.map { ($0.sign < 0 ? "-" : "+") + ["X", "Y", "Z"][$0.index] }.joined() }
}

/// A level given as a share of a signal's range (`20%`) or as a value in the signal's own unit
/// (`15deg`, `30deg/s`); which unit fits is known only once the signal is chosen.
public enum Level: Sendable, Equatable {
    /// A share of the range, 0.2 for `20%`.
    case fraction(Double)
    /// A value and the unit symbol it was typed with.
    case value(Double, unit: String)

    /// Parses `20%` or a number with a unit (`15deg`); nil for a bare number or no number.
    public init?(_ text: String) {
        let (number, unit) = Quantity.splitNumber(text)
        guard let number, number.isFinite, !unit.isEmpty else { return nil }
        self = unit == "%" ? .fraction(number / 100) : .value(number, unit: unit)
    }

    public var description: String {
        switch self {
        case .fraction(let share): return NumberFormat.significant(share * 100, digits: 6) + "%"
        case .value(let number, let unit): return NumberFormat.significant(number, digits: 10) + unit
        }
    }
}
