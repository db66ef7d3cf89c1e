import Foundation
import MyoCore
import MyoSignal
import MyoTestSupport
import Testing

/// Checks MyoSignal's Butterworth design and zero-phase filtering against scipy
/// (Reference/butterworth_reference.py wrote the expected values; scipy version inside the JSON).
@Suite struct FilterTests {
    struct Reference: Decodable {
        struct Case: Decodable { var btype: String; var order: Int; var edges: [Double]; var sos: [[Double]]; var y: [Double]; var rms: Double }
        struct Notch: Decodable { var f0: Double; var q: Double; var b: [Double]; var a: [Double]; var y: [Double]; var rms: Double }
        var fs: Double; var n: Int; var step: Int; var cases: [Case]; var notch: Notch
    }

    static let reference: Reference = {
        let path = TestEnvironment.repositoryRoot + "/Tests/MyoSignalTests/Reference/butterworth_reference.json"
        return try! JSONDecoder().decode(Reference.self, from: FileManager.default.contents(atPath: path)!)
    }()

    /// The same test signal as the script: three sines and a ramp, 2 s at 1 kHz.
    static let signal: [Double] = (0..<2000).map { i in
        let t = Double(i) / 1000
        return sin(2 * Double.pi * 7 * t) + 0.5 * sin(2 * Double.pi * 60 * t + 0.3) + 0.25 * sin(2 * Double.pi * 300 * t) + 0.1 * (t - 0.5)
    }

    static func band(_ c: Reference.Case) -> FilterBand {
        switch c.btype {
        case "lowpass": return .lowPass(c.edges[0])
        case "highpass": return .highPass(c.edges[0])
        case "bandpass": return .bandPass(c.edges[0], c.edges[1])
        default: return .bandStop(c.edges[0], c.edges[1])
        }
    }

    /// Tolerance: 1e-9 of the output's RMS (the bound), in the signal's own unit.
    @Test(arguments: 0..<13)
    func matchesScipySosfiltfilt(_ index: Int) throws {
        let c = Self.reference.cases[index]
        let sos = try Butterworth.design(order: c.order, band: Self.band(c), sampleRateHz: Self.reference.fs)
        #expect(sos.sections.count == c.sos.count)
        #expect(ZeroPhaseFilter.padLength(sos) == ZeroPhaseFilter.padLength(SecondOrderSections(sections: c.sos)))
        let y = try ZeroPhaseFilter.filter(sos, Self.signal)
        let worst = stride(from: 0, to: y.count, by: Self.reference.step).enumerated().map { abs(y[$0.element] - c.y[$0.offset]) }.max()!
        #expect(worst <= 1e-9 * c.rms, "\(c.btype) order \(c.order): worst difference \(worst)")
    }

    @Test func notchMatchesScipyIirnotchFiltfilt() throws {
        let notch = Self.reference.notch
        let sos = try Butterworth.notch(frequencyHz: notch.f0, quality: notch.q, sampleRateHz: Self.reference.fs)
        for (mine, theirs) in zip(sos.sections[0], notch.b + notch.a) { #expect(abs(mine - theirs) < 1e-15) }
        let y = try ZeroPhaseFilter.filter(sos, Self.signal)
        let worst = stride(from: 0, to: y.count, by: Self.reference.step).enumerated().map { abs(y[$0.element] - notch.y[$0.offset]) }.max()!
        #expect(worst <= 1e-9 * notch.rms)
    }

    /// Closed form: a 100 Hz sine through a zero-phase 20-450 Hz band-pass keeps its amplitude
    /// (|H|^2 at 100 Hz = 1 - 1e-6 for design order 2 at 2 kHz) and its phase.
    @Test func sineKeepsAmplitudeAndPhaseInThePassBand() throws {
        let fs = 2000.0
        let x = (0..<8000).map { sin(2 * Double.pi * 100 * Double($0) / fs) }
        let y = try ZeroPhaseFilter.filter(try Butterworth.design(order: 2, band: .bandPass(20, 450), sampleRateHz: fs), x)
        let middle = 2000..<6000
        #expect(middle.map { abs(y[$0] - x[$0]) }.max()! < 1e-3)
    }

    @Test func cutoffsAreCheckedAgainstNyquist() {
        #expect(throws: MyoError.other("cutoff 600 Hz must lie between 0 Hz and the Nyquist frequency (fs = 1000 Hz, fs/2 = 500 Hz)")) {
            try Butterworth.design(order: 2, band: .bandPass(20, 600), sampleRateHz: 1000)
        }
        #expect(throws: MyoError.outOfRange(argument: "order", value: "0", limit: "the design order must be from 1 to 20")) {
            try Butterworth.design(order: 0, band: .lowPass(6), sampleRateHz: 1000)
        }
    }
}

/// DescriptiveStatistics against the textbook two-pass formulas in Double, on lengths that end
/// inside a four-sample lane and inside a 4096-sample block, and on a large offset where the
/// one-pass sum-of-squares formula loses every digit of the spread.
@Suite struct DescriptiveStatisticsTests {
    static func twoPass(_ samples: [Float]) -> (mean: Double, sd: Double, rms: Double) {
        let values = samples.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let m2 = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let squares = values.reduce(0) { $0 + $1 * $1 }
        return (mean, (m2 / Double(values.count - 1)).squareRoot(), (squares / Double(values.count)).squareRoot())
    }

    @Test(arguments: [(2, 0.0), (4097, 0.0), (10_007, 0.0), (10_007, 10_000.0), (123_457, -3.5)])
    func matchesTwoPassFormulas(_ count: Int, _ offset: Double) {
        // A deterministic signal: a 7 Hz sine at 1 kHz of amplitude 0.5 plus a ramp, on an offset.
        let samples = (0..<count).map { Float(offset + 0.5 * sin(2 * Double.pi * 7 * Double($0) / 1000) + Double($0 % 13) * 1e-3) }
        let stats = DescriptiveStatistics(samples[...])
        let reference = Self.twoPass(samples)
        #expect(stats.count == count)
        #expect(abs(stats.mean - reference.mean) <= 1e-12 * max(1, abs(reference.mean)))
        #expect(abs(stats.standardDeviation - reference.sd) <= 1e-9 * reference.sd)
        #expect(abs(stats.rms - reference.rms) <= 1e-12 * reference.rms)
        #expect(stats.minimum == Double(samples.min()!) && stats.maximum == Double(samples.max()!))
    }

    @Test func nanAndEmptyCases() {
        let withGap: [Float] = [1, 2, .nan, 4, 5, -6]
        let gap = DescriptiveStatistics(withGap[...])
        #expect(gap.mean.isNaN && gap.rms.isNaN && gap.standardDeviation.isNaN)
        #expect(gap.minimum == -6 && gap.maximum == 5)
        let onlyNaN = DescriptiveStatistics([Float.nan, .nan][...])
        #expect(onlyNaN.minimum.isNaN && onlyNaN.maximum.isNaN)
        let empty = DescriptiveStatistics([Float]()[...])
        #expect(empty.count == 0 && empty.mean.isNaN && empty.minimum.isNaN)
        let one = DescriptiveStatistics([Float(3)][...])
        #expect(one.mean == 3 && one.rms == 3 && one.standardDeviation.isNaN && one.peakToPeak == 0)
    }
}
