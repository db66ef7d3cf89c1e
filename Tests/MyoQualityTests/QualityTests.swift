import Foundation
import MyoCore
import MyoFormats
import MyoSignal
import MyoQuality
import MyoSpectrum
import MyoTestSupport
import Testing

/// Signal quality: each defect injected at a known level into a clean simulated channel is
/// measured at that level (and absent from the clean one); verdicts, the load line, and the flag
/// and refusal of results on bad channels; real recordings with known defects.
@Suite struct QualityTests {
    static let fs = 2000.0

    /// `samples` at `fs` as a CSV with a time column: `header` names the other columns, and
    /// `after` (the cells of any further columns, with their commas) ends every row.
    static func writeCSV(_ samples: [Double], header: String, after: String = "", to path: String) throws {
        var csv = "time (s),\(header)\n"
        for (i, v) in samples.enumerated() { csv += "\(Double(i) / fs),\(NumberFormat.significant(v, digits: 8))\(after)\n" }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
    }
    static let seconds = 20.0

    /// A clean channel in mV (see SyntheticEMG.cleanBursts).
    static let clean = SyntheticEMG.cleanBursts

    static func measure(_ x: [Double], rest: (Double, Double)? = nil) throws -> ChannelQuality {
        try QualityMeter.measure(x.map(Float.init), sampleRateHz: fs, rest: rest, mainsHz: nil)
    }

    @Test func cleanChannelShowsNoDefect() throws {
        let q = try Self.measure(Self.clean)
        // The rest's white noise within 20-450 Hz: 4 uV x sqrt(430 / 1000) = 2.6 uV.
        #expect(abs(q.noiseRMS - 0.004 * (430.0 / 1000).squareRoot()) < 0.0004, "\(q.noiseRMS)")
        #expect(q.snrDB > 30 && q.mainsShare < 1 && q.clippedShare == 0 && q.flatShare == 0 && !q.allZero)
        #expect(q.lowFrequencyShare < 5 && q.heartRatePerMinute == 0 && q.ecgShare == 0)
        #expect(q.medianHz > 60 && q.medianHz < 160)
    }

    /// 50 Hz hum with the power of the EMG bursts: half the band power is mains.
    @Test func mainsIsMeasured() throws {
        let burstPower = Self.clean.reduce(0) { $0 + $1 * $1 } / Double(Self.clean.count)
        let amplitude = (2 * burstPower).squareRoot()
        let q = try Self.measure(Self.clean.enumerated().map { $0.element + amplitude * sin(2 * Double.pi * 50 * Double($0.offset) / Self.fs) })
        #expect(q.mainsHz == 50 && abs(q.mainsShare - 50) < 5, "\(q.mainsShare)")
    }

    /// Weak mains (4 uV amplitude, as in the sample data, beside 4 uV RMS of white rest noise) is
    /// found at the frequency that is there: the sEMG spectrum rises from 50 to 60 Hz, so comparing
    /// raw power at the two picked 60 Hz on 50 Hz data. A clean channel gets "none found".
    @Test func mainsDetectionFindsTheFrequencyPresent() throws {
        func hum(_ hz: Double) -> [Double] {
            Self.clean.enumerated().map { $0.element + 0.004 * sin(2 * Double.pi * hz * Double($0.offset) / Self.fs + 0.3) }
        }
        let fifty = try Self.measure(hum(50)), sixty = try Self.measure(hum(60)), none = try Self.measure(Self.clean)
        #expect(fifty.mainsHz == 50 && fifty.mainsFinding.hasPrefix("50 Hz ("), "\(fifty.mainsFinding)")
        #expect(sixty.mainsHz == 60 && sixty.mainsFinding.hasPrefix("60 Hz ("), "\(sixty.mainsFinding)")
        #expect(none.mainsHz == nil && none.mainsFinding.hasPrefix("none found"), "\(none.mainsFinding)")
        // The old rule (more raw power within 1 Hz of 50 than of 60 Hz) fails on this signal.
        let settings = SpectralSettings(sampleRateHz: Self.fs, windowSamples: Int(Self.fs), stepSamples: Int(Self.fs) / 2, bandHz: (20, 450))
        let (f, psd, _) = SlidingSpectrum.averagePSD(hum(50).map(Float.init)[...], settings: settings)
        let near = { (hz: Double) in zip(f, psd).filter { abs($0.0 - hz) <= 1 }.reduce(0) { $0 + $1.1 } }
        #expect(near(60) > near(50))
        // A given frequency is used as given and said so.
        let given = try QualityMeter.measure(hum(50).map(Float.init), sampleRateHz: Self.fs, rest: nil, mainsHz: 60)
        #expect(given.mainsHz == 60 && given.mainsFinding == "60 Hz (given)")
    }

    /// The threshold: five SDs of an averaged periodogram bin, never below 3 dB.
    @Test func mainsThresholdFollowsTheAveraging() {
        #expect(abs(MainsDetector.threshold(windows: 3) - (1 + 5 / 3.0.squareRoot())) < 1e-12)
        #expect(MainsDetector.threshold(windows: 400) == 2)
    }

    static func mainsLines(_ script: String) throws -> [String] {
        let out = try runMyoShell(["-c", "set output json; " + script])
        #expect(out.status == 0, "\(out.stderr)")
        let table = try #require(printedTables(out).first)
        let columns = (table["columns"] as! [[String: Any]]).map { $0["name"] as! String }
        let line = try #require(columns.firstIndex(of: "mains line"))
        return (table["rows"] as! [[Any]]).map { $0[line] as? String ?? "" }
    }

    /// sorensen.csv has 50 Hz mains of 4 uV by construction (sample-data/README.md): every channel says so.
    @Test func mainsOnSampleRecording() throws {
        let lines = try Self.mainsLines("load sample-data/sorensen.csv as s; quality s")
        #expect(lines.count == 4 && lines.allSatisfy { $0.hasPrefix("50 Hz (") }, "\(lines)")
    }

    /// Real recordings: the PLUX one shows no mains line; the Cometa C3D has 60 and 180 Hz lines
    /// 9-15 dB above their neighbours (numpy periodograms of its quiet seconds).
    @Test(.enabled(if: TestEnvironment.hasSharedData)) func mainsOnRealRecordings() throws {
        let plux = try Self.mainsLines("load ../shared/data/plux-opensignals-fatigue/emg_1000_hz_16_bits_solo.txt as p; quality p")
        #expect(plux.count == 1 && plux[0].hasPrefix("none found"), "\(plux)")
        let cometa = try Self.mainsLines("load ../shared/data/c3dorg-emg-samples/sample00_cometa_emg_acc.c3d as c; quality c")
        #expect(cometa.count == 6 && cometa.allSatisfy { $0.hasPrefix("60 Hz (") }, "\(cometa)")
    }

    /// Clipping at +-0.35 mV: the share equals the samples beyond the rails.
    @Test func clippingIsCounted() throws {
        let rail = 0.35
        let beyond = Self.clean.filter { abs($0) >= rail }.count
        let q = try Self.measure(Self.clean.map { min(rail, max(-rail, $0)) })
        #expect(abs(q.clippedShare - 100 * Double(beyond) / Double(Self.clean.count)) < 1e-9 && q.clippedShare > 0.5)
    }

    /// A disconnected stretch of 2 s (constant value) is 10 % of 20 s; all zeros is its own verdict.
    @Test func flatLineAndAllZero() throws {
        var x = Self.clean
        for i in Int(10 * Self.fs)..<Int(12 * Self.fs) { x[i] = 0.123 }
        let q = try Self.measure(x)
        #expect(abs(q.flatShare - 10) < 0.01, "\(q.flatShare)")
        #expect(try Self.measure([Double](repeating: 0, count: Self.clean.count)).allZero)
    }

    /// A 1 mV, 1 Hz sway (motion artefact) puts most of the power below 20 Hz.
    @Test func motionArtefact() throws {
        let q = try Self.measure(Self.clean.enumerated().map { $0.element + 1.0 * sin(2 * Double.pi * 1 * Double($0.offset) / Self.fs) })
        #expect(q.lowFrequencyShare > 60, "\(q.lowFrequencyShare)")
    }

    /// QRS-like spikes (1 mV, 10 ms wide) at 72 per minute over EMG bursts of 0.3 mV RMS half the
    /// time: the rhythm is found within 2 per minute and the ECG share (about a third of the power
    /// around the beats) is well above the 10 % warning level.
    @Test func ecgIsFoundAndMeasured() throws {
        var x = Self.clean
        let period = 60.0 / 72
        var beat = 0.4
        while beat < Self.seconds - 0.1 {
            let center = Int(beat * Self.fs)
            for k in -40...40 where center + k >= 0 && center + k < x.count {
                let t = Double(k) / Self.fs
                x[center + k] += 1.0 * exp(-0.5 * pow(t / 0.005, 2)) * (1 - pow(t / 0.005, 2))
            }
            beat += period
        }
        let q = try Self.measure(x)
        #expect(abs(q.heartRatePerMinute - 72) < 2, "\(q.heartRatePerMinute)")
        #expect(q.ecgShare > 25, "\(q.ecgShare)")
    }

    static let withECG: [Double] = {
        var x = clean
        var beat = 0.4
        while beat < seconds - 0.1 {
            let center = Int(beat * fs)
            for k in -40...40 where center + k >= 0 && center + k < x.count {
                let t = Double(k) / fs
                x[center + k] += 1.0 * exp(-0.5 * pow(t / 0.005, 2)) * (1 - pow(t / 0.005, 2))
            }
            beat += 60.0 / 72
        }
        return x
    }()

    /// Template subtraction removes the simulated ECG: its share falls from above 25 % to below
    /// 5 % (or the rhythm is no longer found); the 30 Hz high-pass lowers it too.
    @Test func ecgRemovalShowsItsEffect() throws {
        let folder = TestEnvironment.temporaryFolder()
        try Self.writeCSV(Self.withECG, header: "ES_L (mV)", to: folder + "/e.csv")
        let out = try runMyoShell(["-c", "set output json; load e.csv; deecg e as t; deecg e method=highpass as h; quality t"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let messages = out.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"type\":\"message\"") && $0.contains("ECG share") }.map(String.init)
        #expect(messages.count == 2)
        func shares(_ line: String) -> [Double] {
            line.components(separatedBy: "ECG share ").dropFirst().flatMap { $0.split(separator: " ").prefix(1) }.compactMap { Double($0) }
        }
        let template = shares(messages[0])
        #expect(template.first.map { $0 > 25 } == true, "\(messages[0])")
        #expect(messages[0].contains("beats subtracted") && (template.count == 1 || template[1] < 5), "\(messages[0])")
        let highpass = shares(messages[1])
        #expect(highpass.count == 1 || highpass[1] < highpass[0], "\(messages[1])")
    }

    /// A given rest segment is used as given.
    @Test func restSegmentCanBeGiven() throws {
        let q = try Self.measure(Self.clean, rest: (3, 4))
        #expect(q.restSeconds == (3, 4) && q.noiseRMS > 0.1)
    }

    /// Through the shell: verdicts, the bad channel marked on the recording, a flag on results,
    /// refusal under set quality strict, and the one line load prints for a constant channel.
    @Test func verdictsFlagsAndStrictMode() throws {
        let folder = TestEnvironment.temporaryFolder()
        try Self.writeCSV(Self.clean, header: "GOOD (mV),ZERO (mV)", after: ",0", to: folder + "/q.csv")
        let out = try runMyoShell(["-c", "load q.csv; quality q; stats q.ZERO"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("warning: q.csv: 1 bad channel (graded bad; results on them are flagged): ZERO constant at 0 mV: no signal"), "\(out.stderr)")
        #expect(out.stdout.contains("quality of q: 1 ok, 0 warn, 1 bad"))
        #expect(out.stdout.contains("bad          2  all samples are zero"))
        #expect(out.stderr.contains("warning: results include channels graded bad: q.ZERO (quality: all samples are zero)"))
        let strict = try runMyoShell(["-c", "load q.csv; set quality strict; stats q.GOOD; stats q.ZERO"], in: folder)
        #expect(strict.status == 1 && strict.stderr.contains("refusing q.ZERO (graded bad: constant at 0 mV: no signal) under set quality strict"), "\(strict.stderr)")
        #expect(strict.stdout.contains("stats1: stats of q.GOOD"))
    }

    @Test(.enabled(if: TestEnvironment.hasSharedData, "../shared/data is absent"))
    func realRecordingsWithKnownDefects() throws {
        let data = TestEnvironment.sharedData
        // The PLUX fatigue recording has 38 samples at the ADC rails (PROVENANCE.md).
        let plux = try runMyoShell(["-c", "load \(data)/plux-opensignals-fatigue/emg_fatigue_derived.csv as p; quality p"])
        #expect(plux.stdout.contains("clipped samples 0.0299 % above 0.01 %"), "\(plux.stdout)")
        // The corrupt c3d.org sample: its EMG 8 sits at its rails; load grades it bad in one line.
        let corrupt = try runMyoShell(["-c", "load \(data)/c3dorg-emg-samples/sample32_vicon_zerowire_CORRUPT_EMG.c3d as c"])
        #expect(corrupt.stderr.contains("bad channel") && corrupt.stderr.contains("EMG 8 sits at its extremes"), "\(corrupt.stderr)")
        // The ezc3d shoulder file's unused EMG inputs are all zero: one load line names them.
        let shoulder = try runMyoShell(["-c", "load \(data)/ezc3d-shoulder-c3d/markers_analogs.c3d as z; quality z"])
        #expect(shoulder.stderr.contains("19 bad channels (graded bad; results on them are flagged): Sensor 12.EMG12 constant at 0 V: no signal"), "\(shoulder.stderr)")
        #expect(shoulder.stdout.contains("all samples are zero"))
    }

    /// The flagged stretches: a 2 s flat run and clipped samples are found where they were made.
    @Test func flaggedSegmentsAreWhereTheDefectsAre() {
        var x = Self.clean.map(Float.init)
        for i in Int(10 * Self.fs)..<Int(12 * Self.fs) { x[i] = 0.123 }
        x[Int(15 * Self.fs)] = 2; x[Int(15.5 * Self.fs)] = 2; x[Int(16 * Self.fs)] = 2
        let segments = QualityMeter.flaggedSegments(x, sampleRateHz: Self.fs)
        #expect(segments.contains { $0.1 == "flat" && $0.0 == Int(10 * Self.fs)..<Int(12 * Self.fs) })
        #expect(segments.filter { $0.1 == "clipped" }.count == 3)
        #expect(!segments.contains { $0.1 == "motion" })
    }

    @Test(.enabled(if: TestEnvironment.hasGnuplot, "gnuplot is not installed"))
    func qualityPlotsShadeAndMark() throws {
        let folder = TestEnvironment.temporaryFolder()
        var x = Self.clean
        for i in Int(10 * Self.fs)..<Int(12 * Self.fs) { x[i] = 0.123 }
        try Self.writeCSV(x, header: "ES_L (mV)", to: folder + "/f.csv")
        let out = try runMyoShell(["-c", "load f.csv; plot-quality f.ES_L to raw.svg; plot-quality f.ES_L view=psd mains=50Hz to psd.svg"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let raw = try String(contentsOfFile: folder + "/raw.gp", encoding: .utf8)
        #expect(raw.contains("set object 1 rect from 10, graph 0 to 12, graph 1 fc rgb '#f4b6b6' fs solid 0.5 noborder behind\nset label 'flat' at 10, graph 0.96 noenhanced"), "\(raw)")
        let psd = try String(contentsOfFile: folder + "/psd.gp", encoding: .utf8)
        #expect(psd.contains("set xlabel 'frequency (Hz)'") && psd.contains("set label '450 Hz'") && psd.contains("set arrow from 50, graph 0"))
    }

    /// Side bending: the left muscles work in the first half, the right ones in the second. With
    /// the multifidus labels swapped, quality hints at the swap; with correct labels it does not.
    @Test func leftRightSwapHint() throws {
        let folder = TestEnvironment.temporaryFolder()
        let n = Self.clean.count
        func side(_ left: Bool, _ offset: Int) -> [Double] {
            (0..<n).map { i in
                let firstHalf = i < n / 2
                return Self.clean[(i + offset) % n] * ((firstHalf == left) ? 1 : 0.05) + 0.001
            }
        }
        let esL = side(true, 0), esR = side(false, 1000), mfL = side(true, 2000), mfR = side(false, 3000)
        for (name, columns) in [("right", [esL, esR, mfL, mfR]), ("swapped", [esL, esR, mfR, mfL])] {
            var csv = "time (s),ES_L (mV),ES_R (mV),MF_L (mV),MF_R (mV)\n"
            for i in 0..<n { csv += "\(Double(i) / Self.fs)," + columns.map { NumberFormat.significant($0[i], digits: 7) }.joined(separator: ",") + "\n" }
            try csv.write(toFile: folder + "/\(name).csv", atomically: true, encoding: .utf8)
        }
        let right = try runMyoShell(["-c", "load right.csv; quality right"], in: folder)
        #expect(right.status == 0 && !right.stdout.contains("swap hint"), "\(right.stdout)")
        let swapped = try runMyoShell(["-c", "load swapped.csv; quality swapped"], in: folder)
        #expect(swapped.stdout.contains("swap hint: ES_L moves with MF_R"), "\(swapped.stdout)")
        #expect(swapped.stdout.contains("the left/right electrodes or labels of ES or MF may be swapped"))
    }

    /// An ECG reference channel times the check: its beats give the rate and the share on ES_L.
    @Test func ecgReferenceChannel() throws {
        let folder = TestEnvironment.temporaryFolder()
        var csv = "time (s),ES_L (mV),ECG (mV)\n"
        for i in 0..<Self.clean.count {
            let ecg = Self.withECG[i] - Self.clean[i]
            csv += "\(Double(i) / Self.fs),\(NumberFormat.significant(Self.withECG[i], digits: 8)),\(NumberFormat.significant(ecg, digits: 8))\n"
        }
        try csv.write(toFile: folder + "/r.csv", atomically: true, encoding: .utf8)
        let out = try runMyoShell(["-c", "set output json; load r.csv; quality r ecg=ECG"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(printedTables(out).first)["rows"] as! [[Any]]
        let es = try #require(rows.first { ($0[0] as? String) == "ES_L" })
        #expect(abs((es[10] as! Double) - 72) < 2 && (es[11] as! Double) > 25, "\(es)")
        let bad = try runMyoShell(["-c", "load r.csv; quality r ecg=EKG"], in: folder)
        #expect(bad.stderr.contains("ecg=EKG is not valid: expected a channel of r (ES_L, ECG)"), "\(bad.stderr)")
    }
}

/// The checks every load runs (LoadScreen), on channels built with a known share of samples at
/// their extremes: the 5 % rail limit either side, NaN gaps ignored, extremes that first appear in
/// the last few samples (after the eight-lane pass), and constant channels.
@Suite struct LoadScreenTests {
    /// `count` samples of a ramp strictly inside (-1, 1), with `atRails` of them at exactly -1 or +1.
    static func channel(_ name: String, count: Int, atRails: Int, railsAtEnd: Bool = false, gaps: Bool = false) -> Channel {
        var samples = (0..<count).map { Float(sin(Double($0) * 0.37)) * 0.9 }
        let railed = railsAtEnd ? Array((count - atRails)..<count) : stride(from: 3, to: count, by: count / max(atRails, 1)).prefix(atRails).map { $0 }
        precondition(railed.count == atRails)
        for (k, index) in railed.enumerated() { samples[index] = k.isMultiple(of: 2) ? 1 : -1 }
        if gaps { for index in stride(from: 1, to: count, by: 97) where !railed.contains(index) { samples[index] = .nan } }
        return Channel(name: name, unit: "mV", sampleRateHz: 1000, samples: samples)
    }

    static func bad(_ channels: [Channel]) -> [String: String] {
        let recording = Recording(name: "r", channels: channels, provenance: Provenance())
        return Dictionary(uniqueKeysWithValues: LoadScreen.badChannels(of: recording))
    }

    @Test func railShareIsCountedExactly() {
        // 1003 samples (not a multiple of eight lanes): 51 at the rails is 5.08 %, 50 is 4.99 %.
        let found = Self.bad([
            Self.channel("EMG_OVER", count: 1003, atRails: 51),
            Self.channel("EMG_UNDER", count: 1003, atRails: 50),
            Self.channel("EMG_GAPS", count: 2005, atRails: 101, gaps: true),
            Self.channel("EMG_TAIL", count: 1003, atRails: 4, railsAtEnd: true),
            Self.channel("EMG_TAIL_OVER", count: 1007, atRails: 7, railsAtEnd: true),
        ])
        #expect(found["EMG_OVER"]?.contains("in 5.1% of its samples: saturated or corrupt") == true, "\(found)")
        #expect(found["EMG_UNDER"] == nil)
        #expect(found["EMG_GAPS"]?.contains("(-1 / 1 mV) in 5.0% of its samples") == true, "\(found)")
        #expect(found["EMG_TAIL"] == nil && found["EMG_TAIL_OVER"] == nil)
    }

    @Test func railsInTheTailAreCounted() {
        // 1003 samples: the last three are past the eight-lane pass. 49 rail samples earlier plus
        // 2 in the tail is 5.08 %; 48 plus 2 is 4.99 %.
        func channel(_ name: String, earlier: Int) -> Channel {
            var channel = Self.channel(name, count: 1003, atRails: earlier)
            channel.samples[1001] = 1
            channel.samples[1002] = -1
            return channel
        }
        let found = Self.bad([channel("EMG_IN", earlier: 49), channel("EMG_OUT", earlier: 48)])
        #expect(found["EMG_IN"]?.contains("in 5.1% of its samples") == true, "\(found)")
        #expect(found["EMG_OUT"] == nil, "\(found)")
    }

    @Test func constantChannelsAreNamed() {
        let found = Self.bad([
            Channel(name: "EMG_FLAT", unit: "mV", sampleRateHz: 1000, samples: [Float](repeating: 0.25, count: 1001)),
            Channel(name: "EMG_FLAT_GAPS", unit: "mV", sampleRateHz: 1000, samples: (0..<9).map { $0 == 4 ? .nan : -2 }),
            Channel(name: "EMG_EMPTY_OF_VALUES", unit: "mV", sampleRateHz: 1000, samples: [Float](repeating: .nan, count: 20)),
        ])
        #expect(found["EMG_FLAT"] == "constant at 0.25 mV: no signal")
        #expect(found["EMG_FLAT_GAPS"] == "constant at -2 mV: no signal")
        #expect(found["EMG_EMPTY_OF_VALUES"] == nil)
    }
}
