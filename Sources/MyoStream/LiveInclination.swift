#if canImport(Glibc)
import Glibc
#endif
import MyoAnalysis
import MyoCore
import MyoSignal

/// Repetitions counted live from an IMU stream: the sagittal inclination from the accelerometer
/// (the mount names which sensor axes are longitudinal and anterior, as for `tilt`; an absent
/// axis is taken as 0), smoothed by a causal 2 Hz low-pass (Butterworth order 2), measured from
/// the rest angle of the first second, and counted by `LiveRepetitionCounter`, the rules of
/// `reps` sample by sample, on its distance from rest (either direction counts) with levels in
/// degrees.
struct LiveInclination {
    let axes: (longitudinal: (index: Int?, sign: Double), anterior: (index: Int?, sign: Double))
    let sampleRateHz: Double
    var chain: CausalChain
    var counter: LiveRepetitionCounter
    var reference: Double?
    var restSamples: [Double] = []
    var rest: Double?
    var angle = 0.0
    var counted = 0
    /// Samples before the counter's first (the rest second), to put repetitions on the stream's clock.
    var restCount = 0

    /// nil when the stream has no accelerometer channel named by X, Y or Z.
    init?(channels: [StreamDescription.ChannelInfo], mount: SensorAxes, sampleRateHz: Double, levels: (start: Double, end: Double)) throws {
        func accelerometer(_ axis: Int) -> Int? {
            let letter = ["X", "Y", "Z"][axis]
            return channels.firstIndex { ChannelKind.classify(name: $0.label, unit: $0.unit) == .acceleration && $0.label.uppercased().hasSuffix(letter) }
        }
        let longitudinal = mount.axes[0], anterior = mount.axes[1]
        axes = ((accelerometer(longitudinal.index), longitudinal.sign), (accelerometer(anterior.index), anterior.sign))
        guard axes.longitudinal.index != nil || axes.anterior.index != nil else { return nil }
        self.sampleRateHz = sampleRateHz
        chain = CausalChain([.filter(try Butterworth.design(order: 2, band: .lowPass(min(2, 0.4 * sampleRateHz)), sampleRateHz: sampleRateHz))])
        counter = LiveRepetitionCounter(startLevel: levels.start, endLevel: levels.end, holdFraction: 0.9,
                                        minSamples: Int(0.5 * sampleRateHz), maxSamples: Int(60 * sampleRateHz), minPeak: 0)
    }

    /// One block of the stream's channels; the repetitions that ended in it.
    mutating func take(_ columns: [[Float]]) -> [Repetition] {
        guard let count = columns.first?.count, count > 0 else { return [] }
        func value(_ axis: (index: Int?, sign: Double), _ k: Int) -> Double { axis.index.map { axis.sign * Double(columns[$0][k]) } ?? 0 }
        var block = (0..<count).map { k in atan2(value(axes.anterior, k), value(axes.longitudinal, k)) * 180 / .pi }
        // Filtered from the first angle, so the low-pass starts where the sensor is, not at 0 deg.
        let reference = self.reference ?? block[0]
        self.reference = reference
        for k in block.indices { block[k] -= reference }
        chain.process(&block)
        var ended: [Repetition] = []
        for x in block {
            angle = x
            guard let rest else {
                restSamples.append(x)
                restCount += 1
                if Double(restSamples.count) >= sampleRateHz { self.rest = restSamples.reduce(0, +) / Double(restSamples.count) }
                continue
            }
            if let repetition = counter.push(abs(x - rest)) { ended.append(repetition); counted += 1 }
        }
        return ended
    }

    /// The angle from rest now (deg), once the rest is known.
    var fromRest: Double? { rest.map { angle - $0 } }
}
