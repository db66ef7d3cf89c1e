#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoSpectrum

/// Finds the mains frequency actually present in a recording: 50 Hz (Europe, Asia, Africa,
/// Australia) or 60 Hz (the Americas, parts of Japan), or neither.
///
/// Mains is looked for where muscle activity hides it least: in each channel the quietest quarter
/// of its 1 s windows (at least 3), their Hann periodograms averaged, normalised by the channel's
/// 20-450 Hz power and averaged over the channels. A line's prominence is the power in the bins
/// within 1 Hz of it over what the bins 2-5 Hz away on both sides (their median level, times the
/// line's bin count) would put there; its prominence, the bin nearest the line over that median
/// level. A candidate stands out when its fundamental or a harmonic up
/// to the band's top reaches the threshold; harmonics the two candidates share (300 Hz, 600 Hz)
/// are left out. The threshold is five standard deviations of an averaged periodogram bin
/// (relative SD 1/sqrt(K) over K windows), and never below 3 dB: 1 + 5/sqrt(K), at least 2, as a
/// power ratio (5.9 dB for 3 windows, 3 dB from 100). When both stand out, the one whose lines
/// carry more power above their neighbours wins. Comparing raw power at 50 and 60 Hz is wrong:
/// the sEMG spectrum itself rises from 50 to 60 Hz, so that picks 60 Hz on clean 50 Hz data.
public enum MainsDetector {
    public static let candidatesHz = [50.0, 60.0]

    /// One channel's averaged quiet periodogram on 1 Hz bins (0 Hz up), normalised to unit band power.
    public struct Spectrum: Sendable {
        public var binHz: Double
        public var psd: [Double]
        public var windows: Int
        public var topHz: Double
    }

    /// The minimum prominence, as a power ratio, for lines averaged over `windows` periodograms.
    public static func threshold(windows: Int) -> Double { max(2, 1 + 5 / Double(max(1, windows)).squareRoot()) }

    /// The quiet spectrum of one channel (nil when it is shorter than 1 s or silent).
    public static func quietSpectrum(_ samples: [Float], sampleRateHz fs: Double) -> Spectrum? {
        let window = Int(fs.rounded())
        guard window >= 8, samples.count >= window else { return nil }
        let top = min(450, 0.45 * fs)
        let settings = SpectralSettings(sampleRateHz: fs, windowSamples: window, stepSamples: window, bandHz: (20, top))
        var periodograms: [(power: Double, psd: [Double])] = []
        var start = 0
        while start + window <= samples.count {
            let psd = SlidingSpectrum.averagePSD(samples[start..<(start + window)], settings: settings).psd
            let band = zip(psd.indices, psd).reduce(0.0) { total, bin in
                let f = Double(bin.0) * settings.binWidthHz
                return f >= 20 && f <= top ? total + bin.1 : total
            }
            periodograms.append((band, psd))
            start += window
        }
        let quiet = periodograms.filter { $0.power > 0 }.sorted { $0.power < $1.power }.prefix(max(3, periodograms.count / 4))
        guard !quiet.isEmpty else { return nil }
        var average = [Double](repeating: 0, count: quiet[quiet.startIndex].psd.count)
        for one in quiet { for k in average.indices { average[k] += one.psd[k] } }
        let band = zip(average.indices, average).reduce(0.0) { total, bin in
            let f = Double(bin.0) * settings.binWidthHz
            return f >= 20 && f <= top ? total + bin.1 : total
        }
        guard band > 0 else { return nil }
        return Spectrum(binHz: settings.binWidthHz, psd: average.map { $0 / band }, windows: quiet.count, topHz: top)
    }

    /// The finding over several channels' quiet spectra (those on other bin grids than the first are left out).
    public static func detect(_ spectra: [Spectrum?]) -> Finding {
        let usable = spectra.compactMap { $0 }
        guard let first = usable.first else { return Finding(hz: nil, candidates: [], threshold: 2) }
        let same = usable.filter { $0.binHz == first.binHz }
        let length = same.map(\.psd.count).min()!
        var psd = [Double](repeating: 0, count: length)
        for one in same { for k in 0..<length { psd[k] += one.psd[k] / Double(same.count) } }
        let frequencies = (0..<length).map { Double($0) * first.binHz }
        return detect(frequencies: frequencies, psd: psd, topHz: same.map(\.topHz).min()!, windows: same.reduce(0) { $0 + $1.windows })
    }
    public struct Line: Sendable, Equatable {
        public var hz: Double
        /// The strongest prominence among the candidate's lines, in dB.
        public var prominenceDB: Double
        /// The power of all its lines above their neighbours, in PSD units x bins.
        public var excessPower: Double
    }

    public struct Finding: Sendable, Equatable {
        /// The frequency found, or nil when neither candidate stands out.
        public var hz: Double?
        /// What each candidate measured, in the order of `candidatesHz`.
        public var candidates: [Line]
        /// The prominence a line needed, as a power ratio.
        public var threshold: Double

        /// "50 Hz (line 23 dB above its neighbours)" or "none found (50 Hz 1 dB, 60 Hz 0 dB)".
        public var description: String {
            func db(_ x: Double) -> String { x.isFinite ? NumberFormat.fixed(x, decimals: 1) + " dB" : "-" }
            if let hz, let line = candidates.first(where: { $0.hz == hz }) {
                return "\(Int(hz)) Hz (\(db(line.prominenceDB)) above neighbours)"
            }
            if candidates.isEmpty { return "none found (no quiet 1 s window)" }
            return "none found (" + candidates.map { "\(Int($0.hz)) Hz \(db($0.prominenceDB))" }.joined(separator: ", ")
                + "; \(db(10 * log10(threshold))) needed)"
        }
    }

    /// Power within 1 Hz of `hz` above the level of the bins 2-5 Hz away (their median, times the
    /// line's bin count), and the line's prominence in dB: the bin nearest `hz` over that median
    /// level (one bin, where a Hann window puts 2/3 of a line's power, is twice as sensitive as
    /// the three around it).
    public static func line(at hz: Double, frequencies: [Double], psd: [Double]) -> (excess: Double, prominenceDB: Double) {
        var inside = 0.0, width = 0, centre = 0.0, nearest = Double.infinity
        var around: [Double] = []
        for (f, p) in zip(frequencies, psd) {
            let distance = abs(f - hz)
            if distance <= 1 {
                inside += p; width += 1
                if distance < nearest { nearest = distance; centre = p }
            } else if distance >= 2, distance <= 5 { around.append(p) }
        }
        guard width > 0, !around.isEmpty else { return (0, -.infinity) }
        around.sort()
        let median = around[around.count / 2]
        let excess = max(0, inside - median * Double(width))
        if median <= 0 { return (excess, centre > 0 ? .infinity : -.infinity) }
        return (excess, centre > 0 ? 10 * log10(centre / median) : -.infinity)
    }

    /// Looks at each candidate's fundamental and harmonics from 20 Hz to `topHz`.
    public static func detect(frequencies: [Double], psd: [Double], topHz: Double, windows: Int) -> Finding {
        let lines = candidatesHz.map { base -> Line in
            let others = candidatesHz.filter { $0 != base }
            var best = -Double.infinity, excess = 0.0
            var multiple = base
            while multiple <= topHz - 5 {
                let shared = others.contains { other in abs((multiple / other).rounded() * other - multiple) < 2 }
                if multiple >= 20, !shared {
                    let (e, db) = line(at: multiple, frequencies: frequencies, psd: psd)
                    best = max(best, db)
                    excess += e
                }
                multiple += base
            }
            return Line(hz: base, prominenceDB: best, excessPower: excess)
        }
        let ratio = threshold(windows: windows)
        let standing = lines.filter { $0.prominenceDB >= 10 * log10(ratio) }
        let winner = standing.max { $0.excessPower < $1.excessPower }
        return Finding(hz: winner?.hz, candidates: lines, threshold: ratio)
    }
}
