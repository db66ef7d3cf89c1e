import Foundation
import MyoSignal
import MyoSpectrum
import MyoTestSupport
import Testing

/// The spectral core (MyoSpectrum) against closed-form spectra and against scipy on a real
/// fatigue recording (Reference/fatigue_reference.py), LinearFit's CI against scipy.stats, and
/// the fatigue plugin's commands against the simulator's Biering-Sorensen ground truth.
@Suite struct FatigueTests {
    static let fs = 1000.0

    static func settings(band: (Double, Double) = (20, 450), mains: Double? = nil) -> SpectralSettings {
        SpectralSettings(sampleRateHz: fs, windowSamples: 1000, stepSamples: 500, bandHz: band, mainsHz: mains)
    }

    static func signal(seconds: Double, _ value: (Double) -> Double) -> ArraySlice<Float> {
        ArraySlice((0..<Int(seconds * fs)).map { Float(value(Double($0) / fs)) })
    }

    /// A bin-centred sine through a periodic Hann window puts 1 : 1/4 : 1/4 of its power in its
    /// bin and the two neighbours: MNF = MDF = f0 exactly, band power = A^2/2, RMS = A/sqrt 2.
    @Test func sineHasItsFrequencyAndPower() {
        let features = SlidingSpectrum.features(Self.signal(seconds: 4) { 2 * sin(2 * Double.pi * 100 * $0) }, settings: Self.settings())
        #expect(features.count == 7)
        for w in features {
            #expect(abs(w.meanHz - 100) < 1e-6 && abs(w.medianHz - 100) < 1e-6 && w.peakHz == 100)
            #expect(abs(w.totalPower - 2) < 1e-5)     // A^2 / 2 in unit^2 (Float32 input)
            #expect(abs(w.rms - 2 / 2.0.squareRoot()) < 1e-5)
            // Moments over bins 99, 100, 101 weighted 1/4, 1, 1/4 of A^2/2 / 1.5.
            #expect(abs(w.moment1 - 100 * 2) < 1e-3)
            #expect(abs(w.moment2 - (0.25 * 99 * 99 + 10000 + 0.25 * 101 * 101) / 1.5 * 2) < 1e-1)
            #expect(abs(w.momentMinus1 - (0.25 / 99 + 0.01 + 0.25 / 101) / 1.5 * 2) < 1e-9)
            #expect(abs(w.fInsm5 - w.momentMinus1 / w.moment5) < 1e-12 * w.fInsm5)
        }
        #expect(features.map(\.centreSeconds) == [0.5, 1, 1.5, 2, 2.5, 3, 3.5])
    }

    /// Equal sines at 80 and 120 Hz: MNF = 100 Hz; half the power is reached at the end of bin 81
    /// (0.25 + 1 + 0.25 of 3): MDF = 81.5 Hz with in-bin interpolation (a bin edge would say 81).
    @Test func twoSinesGiveMeanAndInterpolatedMedian() {
        let features = SlidingSpectrum.features(Self.signal(seconds: 2) { sin(2 * Double.pi * 80 * $0) + sin(2 * Double.pi * 120 * $0) }, settings: Self.settings())
        for w in features {
            #expect(abs(w.meanHz - 100) < 1e-5)
            #expect(abs(w.medianHz - 81.5) < 1e-4)
        }
    }

    /// A flat spectrum from 60 to 140 Hz (equal sines on every bin, fixed phases; rectangular taper,
    /// so no bin leaks into its neighbours): MNF = MDF = 100 Hz. Excluding 99-101 Hz as "mains"
    /// keeps MNF at 100 Hz; half of the 78 remaining bins' power is reached at the top of bin 98,
    /// so MDF = 98.5 Hz.
    @Test func bandLimitedNoiseHasItsCentre() {
        var phases = [Double]()
        var state: UInt64 = 12345
        for _ in 60...140 { state = state &* 6364136223846793005 &+ 1442695040888963407; phases.append(Double(state >> 11) / Double(1 << 53) * 2 * Double.pi) }
        let x = Self.signal(seconds: 3) { (t: Double) -> Double in
            var sum = 0.0
            for (offset, frequency) in (60...140).enumerated() {
                let phase: Double = 2 * Double.pi * Double(frequency) * t + phases[offset]
                sum += sin(phase)
            }
            return sum / 9
        }
        for (mains, median) in [(nil, 100.0), (100, 98.5)] as [(Double?, Double)] {
            var settings = Self.settings(mains: mains)
            settings.taper = .rectangular
            for w in SlidingSpectrum.features(x, settings: settings) {
                #expect(abs(w.meanHz - 100) < 1e-3 && abs(w.medianHz - median) < 1e-3, "mains \(mains ?? 0): \(w.meanHz), \(w.medianHz)")
            }
        }
    }

    /// A sine gliding from 120 Hz down at 1 Hz/s (a compression with a known slope): the MDF
    /// trend has slope -1 Hz/s within 0.01 Hz/s and starts at 120 Hz within 0.2 Hz.
    @Test func glidingSineHasItsSlope() throws {
        let x = Self.signal(seconds: 40) { t in sin(2 * Double.pi * (120 * t - 0.5 * t * t)) }
        let features = SlidingSpectrum.features(x, settings: Self.settings())
        let fit = try #require(LinearFit(x: features.map(\.centreSeconds), y: features.map(\.medianHz)))
        #expect(abs(fit.slope + 1) < 0.01, "\(fit.slope)")
        #expect(abs(fit.intercept - 120) < 0.2, "\(fit.intercept)")
        #expect(fit.rSquared > 0.999)
    }

    struct Reference: Decodable {
        struct Trend: Decodable { var slope: Double; var intercept: Double; var r2: Double; var ci_low: Double; var ci_high: Double }
        var n: Int
        var window_centres_s: [Double]
        var mdf_hz: [Double]; var mnf_hz: [Double]; var finsm5: [Double]; var rms_mv: [Double]
        var trends: [String: Trend]
        var t_quantiles_0975: [String: Double]
    }

    static let reference: Reference = try! JSONDecoder().decode(Reference.self, from: FileManager.default.contents(atPath: TestEnvironment.repositoryRoot + "/Tests/MyoFatigueTests/Reference/fatigue_reference.json")!)

    /// Student's t quantiles against scipy.stats.t.ppf(0.975, v), within 1e-9.
    @Test func studentTQuantilesMatchScipy() {
        for (v, expected) in Self.reference.t_quantiles_0975 {
            #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: Double(v)!) - expected) < 1e-9, "v = \(v)")
        }
    }

    /// The real biceps fatigue recording (PLUX, 1 kHz, 126.9 s): every window's MDF and MNF within
    /// 1e-6 Hz of scipy, FInsm5 within 1e-9 relative, RMS within 1e-9 mV; slopes within 1e-9 of
    /// linregress, their CI within 1e-6, R^2 within 1e-9. The MDF falls (CI below 0).
    @Test(.enabled(if: TestEnvironment.hasSharedData, "../shared/data is absent"))
    func realFatigueRecordingMatchesScipy() throws {
        let path = TestEnvironment.sharedData + "/plux-opensignals-fatigue/emg_fatigue_derived.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let values = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst().map { Float(Double($0.split(separator: ",")[2])!) }
        let reference = Self.reference
        #expect(values.count == reference.n)
        let features = SlidingSpectrum.features(ArraySlice(values), settings: Self.settings(mains: 50))
        #expect(features.count == reference.mdf_hz.count)
        for (w, i) in zip(features, features.indices) {
            #expect(abs(w.centreSeconds - reference.window_centres_s[i]) < 1e-12)
            #expect(abs(w.medianHz - reference.mdf_hz[i]) < 1e-6 && abs(w.meanHz - reference.mnf_hz[i]) < 1e-6, "window \(i)")
            #expect(abs(w.fInsm5 / reference.finsm5[i] - 1) < 1e-9 && abs(w.rms - reference.rms_mv[i]) < 1e-9, "window \(i)")
        }
        let t = features.map(\.centreSeconds)
        for (name, series) in [("MDF", features.map(\.medianHz)), ("MNF", features.map(\.meanHz)), ("FInsm5", features.map(\.fInsm5)), ("RMS", features.map(\.rms))] {
            let fit = try #require(LinearFit(x: t, y: series)), expected = try #require(reference.trends[name])
            let scale = max(abs(expected.slope), 1e-300)
            #expect(abs(fit.slope - expected.slope) <= 1e-9 * scale + 1e-12, "\(name) slope")
            #expect(abs(fit.intercept - expected.intercept) <= 1e-9 * abs(expected.intercept), "\(name) intercept")
            #expect(abs(fit.rSquared - expected.r2) < 1e-9, "\(name) R^2")
            #expect(abs(fit.slopeInterval95.low - expected.ci_low) <= 1e-6 * scale && abs(fit.slopeInterval95.high - expected.ci_high) <= 1e-6 * scale, "\(name) CI")
        }
        #expect(reference.trends["MDF"]!.ci_high < 0)
    }

    @Test func nonFiniteSamplesAreFound() {
        #expect(SlidingSpectrum.firstNonFinite([1, 2, .nan, 4][...]) == 2)
        #expect(SlidingSpectrum.firstNonFinite([1, 2, 3][...]) == nil)
    }

    struct Truth: Decodable {
        struct Side: Decodable { var initial_hz: Double; var slope_hz_per_s: Double; var normalised_slope_percent_per_s: Double; var recovery_hz: Double }
        struct Body: Decodable { var hold_start_s: Double; var hold_end_s: Double; var endurance_s: Double; var median_frequency: [String: Side] }
        var truth: Body
    }

    /// The simulated Biering-Sorensen test (sample-data/sorensen.csv): the hold found from the
    /// trunk inclination within 0.5 s of the truth at each end; per side the initial MDF within
    /// 3 Hz, the NMF slope within 0.1 %/s, the recovery MDF within 5 Hz; L declines faster.
    @Test func sorensenMatchesTheSimulatorsTruth() throws {
        let truth = try JSONDecoder().decode(Truth.self, from: FileManager.default.contents(atPath: TestEnvironment.repositoryRoot + "/sample-data/sorensen.truth.json")!).truth
        let out = try runMyoShell(["-c", "load sample-data/sorensen.csv; set output json; sorensen sorensen as bs"])
        #expect(out.status == 0, "\(out.stderr)")
        let message = try #require(out.stdout.split(separator: "\n").first { $0.contains("\"text\":\"sorensen: hold ") })
        let numbers = message.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
        // "hold S s to E s (...); endurance D s"
        #expect(abs(numbers[0] - truth.hold_start_s) <= 0.5 && abs(numbers[1] - truth.hold_end_s) <= 0.5, "\(message)")
        let tables = out.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"type\":\"table\"") }
        let perChannel = try JSONSerialization.jsonObject(with: Data(tables[0].utf8)) as! [String: Any]
        let rows = (perChannel["table"] as! [String: Any])["rows"] as! [[Any]]
        for row in rows {
            let channel = row[0] as! String
            let side = try #require(truth.median_frequency[String(channel.suffix(1))])
            let initial = row[1] as! Double, nmf = row[3] as! Double, recovery = row[7] as! Double
            #expect(abs(initial - side.initial_hz) <= 3, "\(channel) initial \(initial)")
            #expect(abs(nmf - side.normalised_slope_percent_per_s) <= 0.1, "\(channel) NMF \(nmf) vs \(side.normalised_slope_percent_per_s)")
            #expect(abs(recovery - side.recovery_hz) <= 5, "\(channel) recovery \(recovery)")
        }
        #expect(tables[1].contains("\"ES\",") && tables[1].contains("\"L\"]"), "\(tables[1])")
    }

    @Test func badFatigueCommandsSayWhatIsWrong() throws {
        let cases: [(String, String)] = [
            ("fatigue sorensen.ES_L window=100s", "window=100 s is out of range: the analysed span of sorensen.ES_L (90 s)"),
            ("fatigue sorensen.ES_L band=20Hz..600Hz", "the band edge 600 Hz is at or above the Nyquist frequency of sorensen.ES_L (fs = 1000 Hz, fs/2 = 500 Hz)"),
            ("fatigue sorensen.ES_L from=10s to=11.5s", "sorensen.ES_L has 2 windows with a MDF: a regression needs at least 3"),
            ("fatigue sorensen.ES_L window=5ms", "window=0.005 s is out of range: at least 8 samples of sorensen.ES_L"),
            ("fatigue sorensen.ES_L exclude-mains=50", "exclude-mains=50 needs a unit of frequency"),
            ("fatigue sorensen.ES_L psd=welch segment=2s", "segment=2 s is out of range: 8 samples to the window (1 s)"),
            ("sorensen sorensen sensor=Q", "sensor=Q is not valid: expected one of IMU"),
            ("sorensen sorensen tolerance=0.1deg", "is never within 0.1 deg of horizontal for 5 s; give hold=FROM..TO or a larger tolerance="),
            ("spectrum sorensen.ES_L from=10s to=10.5s", "window=1 s is out of range: the analysed span of sorensen.ES_L (0.5 s)"),
        ]
        for (command, message) in cases {
            let out = try runMyoShell(["-c", "load sample-data/sorensen.csv; " + command])
            #expect(out.status != 0, "\(command)")
            #expect(out.stderr.contains(message), "\(command): \(out.stderr)")
        }
    }

    @Test func fatigueKeepsTheSeriesAndJasaFindsFatigue() throws {
        let out = try runMyoShell(["-c", "load sample-data/sorensen.csv; fatigue sorensen.ES_* from=6s to=54s as f; info f_series; jasa sorensen.ES_L from=6s to=54s"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("f_series: 4 channels x 47.5 s @ 2 Hz (ES_L_MDF ES_L_MNF ES_R_MDF ES_R_MNF, Hz)"), "\(out.stdout)")
        #expect(out.stdout.contains("fatigue   both trends significant"))
    }

    @Test(.enabled(if: TestEnvironment.hasGnuplot, "gnuplot is not installed"))
    func fatiguePlotsCarryTheirEquationsAndTheSpectrogram() throws {
        let folder = TestEnvironment.temporaryFolder()
        let root = TestEnvironment.repositoryRoot
        let out = try runMyoShell(["-c", "load \(root)/sample-data/sorensen.csv; plot-fatigue sorensen.ES_L sorensen.ES_R from=6s to=58s to mf.svg; plot-spectrogram sorensen.ES_L to sg.svg; spectrum sorensen.ES_L from=6s to=16s to sp.svg"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let trends = try String(contentsOfFile: folder + "/mf.gp", encoding: .utf8)
        #expect(trends.contains("title 'ES_L: MDF = 110.45 - 0.6016 t Hz (R^2 0.63)'"), "\(trends)")
        #expect(trends.contains("title 'ES_R MDF'"))
        let spectrogram = try String(contentsOfFile: folder + "/sg.gp", encoding: .utf8)
        #expect(spectrogram.contains("binary array=(179,451) dx=0.5 dy=1 origin=(0.5,0) format='%float32' endian=little with image notitle"))
        #expect(spectrogram.contains("set cblabel 'PSD (dB re 1 mV^2/Hz)'"))
        let spectrum = try String(contentsOfFile: folder + "/sp.gp", encoding: .utf8)
        #expect(spectrum.contains("set xlabel 'frequency (Hz)'"))
        // MDF and MNF lie within 2 % of the 0-450 Hz span: their labels share one, so they do not overlap.
        #expect(spectrum.contains("set label 'ES_L MDF 107.9 Hz / ES_L MNF 115.7 Hz'"))
        #expect(FileManager.default.fileExists(atPath: folder + "/sg.svg"))
    }
}

/// FFTW's planner is one structure per process, but each plugin has its own copy of MyoSpectrum:
/// plans made at once from two copies (this test's, and the fatigue plugin's through `spectrum`)
/// must not race. FFTW's own planner lock (fftw_make_planner_thread_safe) serialises them.
@Suite struct FFTPlannerTests {
    @Test func plansFromTwoCopiesAtOnce() throws {
        let (session, _, _) = makeTestSession()
        try #require(session.registry.lookup("spectrum") != nil, "the fatigue plugin is not built")
        let file = TestEnvironment.temporaryFolder() + "/s.csv"
        try session.execute("simulate sorensen seed=2 duration=20s to \(file)")
        try session.execute("load \(file) as s")
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            if worker == 0 {
                // Lengths no other test plans, so each one goes through the planner.
                for length in 3001...3200 { _ = FFTWorkspace(length: length) }
            } else {
                for window in 0..<40 { _ = session.executeReportingErrors("spectrum s.ES_L window=\(1.0 + Double(window) * 0.0115)s") }
            }
        }
        let workspace = FFTWorkspace(length: 3100)
        for k in 0..<3100 { workspace.input[k] = cos(2 * Double.pi * 50 * Double(k) / 3100) }
        var power = [Double](repeating: 0, count: 1551)
        workspace.powerSpectrum(into: &power)
        #expect(power.indices.max { power[$0] < power[$1] } == 50)
    }
}
