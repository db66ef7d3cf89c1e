/// What a channel measures, derived from its unit and name; decides how `info` groups channels.
public enum ChannelKind: String, Sendable {
    case emg, acceleration, angularVelocity = "angular velocity", angle, other

    /// True for inertial channels (accelerometer, gyroscope).
    public var isIMU: Bool { self == .acceleration || self == .angularVelocity }

    /// Voltages that are not EMG, by the signal-type prefix EDF+ labels use ("EEG Fpz-Cz", "ECG",
    /// "EOG left") and the names devices give them: EEG, ECG/EKG, EOG, respiration.
    public static func isOtherBiopotential(_ name: String) -> Bool {
        let upper = name.uppercased()
        return ["EEG", "ECG", "EKG", "EOG", "RESP"].contains { prefix in
            guard upper.hasPrefix(prefix) else { return false }
            let rest = upper.dropFirst(prefix.count)
            return rest.first.map { !$0.isLetter } ?? true
        }
    }

    /// Classifies a channel: by its unit's dimension first, then by name for unit-less channels
    /// (`ACC_X`, `acc_x`, `Accel X`, `GYR_Y`, `Gyro Y`, ...).
    public static func classify(name: String, unit: String) -> ChannelKind {
        switch UnitDefinition.named(unit)?.dimension {
        case .voltage?: return isOtherBiopotential(name) ? .other : .emg
        case .acceleration?: return .acceleration
        case .angularVelocity?: return .angularVelocity
        case .angle?: return .angle
        default: break
        }
        let lower = name.lowercased()
        if lower.hasPrefix("acc") { return .acceleration }
        if lower.hasPrefix("gyr") { return .angularVelocity }
        return .other
    }
}

/// One uniformly sampled signal: name, unit, sample rate, start time and Float32 samples.
///
/// The sample rate is always known: a channel cannot be made without one (readers that find
/// none refuse the file). Samples are contiguous, one array per channel.
public struct Channel: Sendable {
    public var name: String
    /// Unit symbol as found in the source (`mV`, `g`, `deg/s`), or "" when the source gives none.
    public var unit: String
    public var sampleRateHz: Double
    /// Time of the first sample, in s, on the recording's time base.
    public var startTimeSeconds: Double
    public var samples: [Float]
    /// What the source file says the channel measures (an EDF transducer type such as "ECG
    /// electrode"); when set it overrides the classification by unit and name.
    public var declaredKind: ChannelKind?

    public init(name: String, unit: String, sampleRateHz: Double, startTimeSeconds: Double = 0, samples: [Float]) {
        precondition(sampleRateHz > 0 && sampleRateHz.isFinite, "a channel needs a positive sample rate")
        self.name = name
        self.unit = unit
        self.sampleRateHz = sampleRateHz
        self.startTimeSeconds = startTimeSeconds
        self.samples = samples
    }

    public var kind: ChannelKind { declaredKind ?? ChannelKind.classify(name: name, unit: unit) }
    public var durationSeconds: Double { Double(samples.count) / sampleRateHz }
    public var endTimeSeconds: Double { startTimeSeconds + durationSeconds }

    /// Indices of the samples whose time t satisfies from <= t < to (times in s, clamped).
    public func sampleRange(fromSeconds: Double?, toSeconds: Double?) -> Range<Int> {
        // Clamped in floating point first, so infinite times select to the ends instead of trapping.
        func index(_ seconds: Double) -> Int {
            let position = ((seconds - startTimeSeconds) * sampleRateHz).rounded(.up)
            return position.isNaN ? 0 : Int(min(max(position, -1), Double(samples.count) + 1))
        }
        let first = fromSeconds.map(index) ?? 0
        let last = toSeconds.map(index) ?? samples.count
        let lower = min(max(first, 0), samples.count)
        let upper = min(max(last, lower), samples.count)
        return lower..<upper
    }
}
