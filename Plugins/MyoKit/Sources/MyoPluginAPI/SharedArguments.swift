import MyoCore

/// `mains=auto` (look for it in the data) or a given frequency.
public enum MainsSetting: Sendable, Equatable {
    case auto
    case frequency(Double)

    /// The given frequency, nil for auto.
    public var givenHz: Double? {
        if case .frequency(let hz) = self { return hz }
        return nil
    }
}

extension Argument where Value == MainsSetting {
    /// `auto` or a frequency with its unit.
    public static func mains(_ name: String, default value: String = "auto", help: String) -> Argument {
        present(ArgumentSpec(name, type: .wordOrQuantity(["auto"], .frequency), help: help, default: value, minimum: 1)) { bound in
            switch bound {
            case .word: return .auto
            case .quantity(let hz, _): return .frequency(hz)
            default: return nil
            }
        }
    }
}

/// Arguments many commands share, declared once so their names, types, limits and help agree.
/// A command may reword the help with `.help("...")`.
public enum SharedArguments {
    /// Start of the analysed time window; absent: the start of each channel.
    public static let from = Argument<Double?>.quantity("from", .time, help: "start of the time window (default: the start of each channel)")
    /// End of the analysed time window; absent: the end of each channel.
    public static let to = Argument<Double?>.quantity("to", .time, help: "end of the time window (default: the end of each channel)")
    /// `from` and `to`, in this order, with the rule that `from` lies before `to`.
    public static let timeWindow: [any ArgumentDeclaration] = [from, to]
    public static let timeWindowOrder = ArgumentConstraint.ordered("from", "to")

    /// The mount when neither mount= nor the recording says: a trunk sensor worn upright, X up.
    public static let conventionalMount = "+X+Z+Y"
    /// How an IMU is worn (see `help tilt` for the convention); `invocation.mount(of:)` resolves it.
    public static let mount = Argument<SensorAxes>.axes("mount", default: conventionalMount, help: "")
        .withoutDefault(help: "sensor axes along the trunk (up), forward and to the side, with signs (see help tilt); default: the mount the recording's sidecar states, else \(conventionalMount)")
    /// The mains frequency for quality checks: found in the data, or given.
    public static let mains = Argument<MainsSetting>.mains("mains", help: "auto (found in the data), or the mains frequency (50Hz, 60Hz)")
    /// A mains notch filter: off, or its frequency.
    public static let notch = Argument<Double?>.offOrQuantity("notch", .frequency, minimum: 1, help: "mains notch: off, or the mains frequency (50Hz, 60Hz; iirnotch, zero-phase)")
}

extension Invocation {
    /// The IMU mount of a command declaring `SharedArguments.mount`: mount= when given, else the
    /// one the recording states (a sidecar file read by load), else `fallback` (a template's) or
    /// the convention +X+Z+Y; with a few words saying where it came from.
    public func mount(of recording: Recording, fallback: (SensorAxes, String)? = nil) throws -> (axes: SensorAxes, source: String) {
        if let given = try self[SharedArguments.mount] { return (given, "mount=") }
        if let stated = recording.metadata["mount"], let axes = SensorAxes(stated) {
            return (axes, "stated by \(recording.metadata["mount.source"] ?? "the recording")")
        }
        if let fallback { return fallback }
        return (SensorAxes(SharedArguments.conventionalMount)!, "the convention (no mount= and none stated by the recording)")
    }

    /// The `from` and `to` of a command declaring `SharedArguments.timeWindow`.
    public var timeWindow: (from: Double?, to: Double?) {
        get throws { (try self[SharedArguments.from], try self[SharedArguments.to]) }
    }
}
