import Foundation
import MyoCore
import MyoFormats
import MyoSignal
import MyoTestSupport
import Testing

/// The envelope plugin's processing (MyoSignal.SignalChain) against scipy/numpy
/// (Reference/envelope_reference.py wrote the expected values, versions inside the JSON), and the
/// `filter` / `envelope` commands end to end.
@Suite struct EnvelopeTests {
    struct Reference: Decodable {
        struct Case: Decodable { var y: [Double]; var rms: Double }
        struct Input: Decodable { var n: Int; var fs: Double; var cases: [String: Case] }
        var fs: Double; var step: Int; var inputs: [String: Input]
    }

    static let reference: Reference = {
        let path = TestEnvironment.repositoryRoot + "/Tests/MyoEnvelopeTests/Reference/envelope_reference.json"
        return try! JSONDecoder().decode(Reference.self, from: FileManager.default.contents(atPath: path)!)
    }()

    /// The script's closed-form input: 3 s at 2 kHz.
    static let synthetic: [Double] = (0..<6000).map { i in
        let t = Double(i) / 2000
        let pi2 = 2 * Double.pi
        return sin(pi2 * 80 * t) * (1 + 0.5 * sin(pi2 * 0.7 * t)) + 0.4 * sin(pi2 * 50 * t + 0.2) + 0.2 * sin(pi2 * 150 * t)
            + 0.3 * sin(pi2 * 233.3 * t + 1.1) + 0.05 * sin(pi2 * 3 * t)
    }

    /// ES_L of sample-data/bridge-set.csv, first 12000 samples, as MyoShell loads it (Float32).
    static let recorded: [Double] = {
        let result = try! RecordingLoader.load(path: TestEnvironment.repositoryRoot + "/sample-data/bridge-set.csv", name: "b")
        guard case .recording(let recording) = result.object else { return [] }
        return recording.channels.first { $0.name == "ES_L" }!.samples.prefix(12000).map(Double.init)
    }()

    /// A real recording from ../shared/data (PLUX adductor pollicis sEMG, 1 kHz), first 12000
    /// samples as MyoShell loads them; empty when the shared data is absent.
    static let plux: [Double] = {
        let path = TestEnvironment.sharedData + "/plux-opensignals-fatigue/emg_1000_hz_16_bits_solo.txt"
        guard TestEnvironment.hasSharedData, let result = try? RecordingLoader.load(path: path, name: "p"),
              case .recording(let recording) = result.object else { return [] }
        return recording.channels.first { $0.unit == "mV" }!.samples.prefix(12000).map(Double.init)
    }()

    static func chain(_ name: String, fs: Double) throws -> SignalChain {
        func bp(_ order: Int, _ low: Double = 20, _ high: Double = 450) throws -> SignalStep { .zeroPhase(try Butterworth.design(order: order, band: .bandPass(low, high), sampleRateHz: fs)) }
        func lp(_ order: Int) throws -> SignalStep { .zeroPhase(try Butterworth.design(order: order, band: .lowPass(6), sampleRateHz: fs)) }
        func notch(_ f0: Double) throws -> SignalStep { .zeroPhase(try Butterworth.notch(frequencyHz: f0, quality: 30, sampleRateHz: fs)) }
        switch name {
        case "linear_default": return SignalChain([try bp(2), .rectify, try lp(2)])
        case "peers_envelope": return SignalChain([try bp(4), try notch(50), .rectify, try lp(4)])
        case "rms_trailing_250ms": return SignalChain([try bp(2), .movingRMS(samples: Int((0.25 * fs).rounded()), centred: false)])
        case "rms_centred_100ms": return SignalChain([try bp(2), .movingRMS(samples: Int((0.1 * fs).rounded()), centred: true)])
        case "tkeo": return SignalChain([try bp(2), .teagerKaiser, .rectify, try lp(2)])
        case "notch_harmonics_3":
            return SignalChain([try bp(4)] + (try Butterworth.notches(frequencyHz: 50, quality: 30, harmonics: 3, sampleRateHz: fs)).map { .zeroPhase($0) })
        case "highpass_trunk": return SignalChain([try bp(4, 30, 450)])
        default: return SignalChain([.zeroPhase(try Butterworth.design(order: 3, band: .bandStop(45, 55), sampleRateHz: fs))])
        }
    }

    static let caseNames = ["linear_default", "peers_envelope", "rms_trailing_250ms", "rms_centred_100ms", "tkeo", "notch_harmonics_3", "highpass_trunk", "bandstop_3"]

    /// Tolerance: 1e-9 of the output's RMS, in the output's own unit (the bound).
    @Test(arguments: caseNames, ["synthetic", "recorded"])
    func matchesScipy(_ caseName: String, _ inputName: String) throws {
        try compareWithScipy(caseName, inputName)
    }

    /// The PLUX recording from ../shared/data: reported as skipped when that folder is absent.
    @Test(.enabled(if: TestEnvironment.hasSharedData, "../shared/data is absent"), arguments: caseNames)
    func matchesScipyOnPLUX(_ caseName: String) throws {
        try compareWithScipy(caseName, "plux")
    }

    func compareWithScipy(_ caseName: String, _ inputName: String) throws {
        let input = ["synthetic": Self.synthetic, "recorded": Self.recorded, "plux": Self.plux][inputName]!
        try #require(!input.isEmpty, "no samples for \(inputName)")
        let reference = try #require(Self.reference.inputs[inputName])
        #expect(input.count == reference.n)
        let expected = try #require(reference.cases[caseName])
        let output = try Self.chain(caseName, fs: reference.fs).apply(input)
        #expect(output.count == input.count)
        var worst = 0.0
        for (index, value) in expected.y.enumerated() { worst = max(worst, abs(output[index * Self.reference.step] - value)) }
        #expect(worst <= 1e-9 * expected.rms, "\(caseName) on \(inputName): max error \(worst), RMS \(expected.rms)")
    }

    @Test func closedFormAmplitudes() throws {
        let fs = 2000.0
        // A 100 Hz sine of amplitude 2 passes the 20-450 Hz band-pass unchanged (|H|^2 > 0.9999 there),
        // and its moving RMS over whole periods is 2/sqrt(2).
        let sine = (0..<20000).map { 2 * sin(2 * Double.pi * 100 * Double($0) / fs) }
        let passed = SignalChain([.zeroPhase(try Butterworth.design(order: 4, band: .bandPass(20, 450), sampleRateHz: fs))]).apply(sine)
        let middle = passed[5000..<15000]
        #expect(abs(middle.max()! - 2) < 1e-3)
        let rms = SignalChain([.movingRMS(samples: 200, centred: true)]).apply(sine)
        #expect(abs(rms[10000] - 2 / 2.0.squareRoot()) < 1e-12)
        // The linear envelope of a rectified sine settles at the mean of |x| over a period: 2A/pi
        // for a continuous sine, (A/10) cot(pi/20) for 20 samples per period.
        let envelope = SignalChain([.rectify, .zeroPhase(try Butterworth.design(order: 2, band: .lowPass(6), sampleRateHz: fs))]).apply(sine)
        #expect(abs(envelope[10000] - 0.2 / tan(Double.pi / 20)) < 1e-6)
        // Winter's correction for design order 2 and two passes: C = 0.802 (Winter 2009).
        let corrected = Butterworth.winterCorrectedCutoff(6, order: 2, sampleRateHz: 2000)
        #expect(abs(tan(Double.pi * 6 / 2000) / tan(Double.pi * corrected / 2000) - 0.8022) < 1e-4)
    }

    @Test func commandsReportTheirFilters() throws {
        let out = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; envelope b as e; filter b.ES_* notch=50Hz harmonics=3 as f"])
        #expect(out.stdout.contains("e: linear envelope of 6 channels; band-pass 20-450 Hz, Butterworth design order 2 (4 poles), zero-phase forward-backward: effective order 4 per edge; full-wave rectification; low-pass 6 Hz, Butterworth design order 2 (2 poles), zero-phase forward-backward: effective order 4"))
        #expect(out.stderr.contains("warning: skipped 3 channels that are not EMG (ACC_X, ACC_Z, GYR_Y)"))
        #expect(out.stdout.contains("f: band-pass 20-450 Hz, Butterworth design order 4 (8 poles), zero-phase forward-backward: effective order 8 per edge; notch 50 Hz and multiples up to 3 x (iirnotch, Q = 30, zero-phase)"))
    }

    static let badCommands: [(String, String)] = [
        ("filter b band=20Hz..450Hz", "the filter edge 450 Hz is at or above the Nyquist frequency of b.ACC_X (fs = 100 Hz, fs/2 = 50 Hz)"),
        ("filter b.ES_L band=450Hz..20Hz", "band=450Hz..20Hz is not valid: expected the lower end before the upper end"),
        ("filter b.ES_L band=20Hz..450Hz lowpass=6Hz", "expected at most one of band=, highpass=, lowpass=, bandstop= (band= is given too)"),
        ("envelope b.ES_L notch=55", "notch=55 needs a unit of frequency"),
        ("envelope b.ES_L cutoff=1500Hz", "the low-pass cutoff 1500 Hz is at or above the Nyquist frequency of b.ES_L (fs = 2000 Hz, fs/2 = 1000 Hz)"),
        ("envelope b.ES_L b2.ES_L", "expected channels of one recording (run the command once per recording)"),
    ]

    @Test(arguments: badCommands)
    func badCommandsGiveOneSentence(_ command: String, _ expected: String) throws {
        let out = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; load sample-data/bridge-set.csv as b2; \(command)"])
        #expect(out.stderr.contains(expected), "\(out.stderr)")
        #expect(out.status != 0)
    }
}

@Suite struct NormalizationTests {
    /// An "envelope" at 100 Hz: 1 mV for 1 s, then 4 mV for 1 s (MVC trial), and a task at 2 mV.
    @Test func mvcReferenceIsTheLargestWindowMeanAndIsRecorded() throws {
        let folder = TestEnvironment.temporaryFolder()
        var mvc = "time (s),ES_L (mV),ES_R (mV)\n"
        for i in 0..<200 { mvc += "\(Double(i) / 100),\(i < 100 ? 1 : 4),\(i < 150 ? 2 : 1)\n" }
        var task = "time (s),ES_L (mV),ES_R (mV)\n"
        for i in 0..<100 { task += "\(Double(i) / 100),2,1\n" }
        try mvc.write(toFile: folder + "/mvc.csv", atomically: true, encoding: .utf8)
        try task.write(toFile: folder + "/task.csv", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "load mvc.csv as m; load task.csv as t; mvc t from=m window=500ms; normalize t mvc=m window=500ms as n; stats n; info n"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        // ES_L: the best whole 0.5 s window lies in the 4 mV second (first such window: 1.00-1.49 s, centre 1.245 s).
        #expect(out.stdout.contains("ES_L = 4 mV (m, window centred at 1.245 s)"))
        // ES_R: 2 mV for 1.5 s; the first best window starts at 0 s.
        #expect(out.stdout.contains("ES_R = 2 mV (m, window centred at 0.245 s)"))
        #expect(out.stdout.contains("n.ES_L       100         0       1  100           50"))
        #expect(out.stdout.contains("n.ES_R       100         0       1  100           50"))
        #expect(out.stdout.contains("mvc reference (myoshell.envelope 1.0.0): ES_L=4 mV (m at 1.245 s), ES_R=2 mV (m at 0.245 s)"))
        let bad = try runMyoShell(["-c", "load mvc.csv as m; load task.csv as t; normalize t mvc=m peak=t"], in: folder)
        #expect(bad.stderr.contains("expected at most one of mvc=, peak= (mvc= is given too)"))
        let long = try runMyoShell(["-c", "load mvc.csv as m; load task.csv as t; normalize t mvc=m window=5s"], in: folder)
        #expect(long.stderr.contains("window=5 s is out of range") || long.stderr.contains("m.ES_L lasts 2 s"), "\(long.stderr)")
    }
}
