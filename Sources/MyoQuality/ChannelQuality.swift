#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoSignal
import MyoSpectrum

/// The measurements behind a channel's quality grade. Amplitudes in the channel's unit, shares
/// in % of power, frequencies in Hz.
public struct ChannelQuality: Sendable {
    /// RMS of the 20-450 Hz band-passed signal in the rest segment.
    public var noiseRMS: Double
    /// Where the rest segment was (given, or the quietest 1 s window) in s from the channel's start.
    public var restSeconds: (Double, Double)
    /// 20 log10(active RMS / rest RMS), active = the 95th percentile of 1 s window RMS.
    public var snrDB: Double
    /// The mains frequency looked at: given, or the one `MainsDetector` found; nil when neither
    /// 50 nor 60 Hz stands out.
    public var mainsHz: Double?
    /// How it was chosen: "50 Hz (given)", "50 Hz (23 dB above neighbours)" or "none found (...)".
    public var mainsFinding: String
    /// Power within 1 Hz of the mains frequency and its multiples above the level of the bins
    /// 2-5 Hz around them, in % of the 20-450 Hz band power (when none was found: the larger of
    /// the two candidates' shares, an upper bound of what mains could contribute).
    public var mainsShare: Double
    /// Samples at the channel's minimum or maximum value, in % (when either occurs at least 3 times).
    public var clippedShare: Double
    /// Samples in runs of one value lasting at least 100 ms, in %.
    public var flatShare: Double
    public var allZero: Bool
    /// Power below 20 Hz in % of the power from 0 Hz to the band's top.
    public var lowFrequencyShare: Double
    /// Median frequency of the 20-450 Hz band (mains bins left out).
    public var medianHz: Double
    /// Heartbeats found on the channel (per minute) and the share of the band-passed signal's
    /// power that their average waveform explains, in %; 0 when no regular rhythm is found.
    public var heartRatePerMinute: Double
    public var ecgShare: Double
}

/// Signal-quality measurements of one EMG channel.
public enum QualityMeter {
    /// Measures `samples` at `fs`. `rest` (s from the first sample) is used when given.
    /// With `referenceBeats` (sample indices of R peaks found on an ECG reference at the same rate),
    /// the ECG share is measured around those beats instead of beats found on the channel.
    /// With mains=auto (`mainsHz` nil), `mainsFinding` is what `MainsDetector` found on the whole
    /// recording; without it the channel is searched alone.
    public static func measure(_ samples: [Float], sampleRateHz fs: Double, rest: (Double, Double)?, mainsHz: Double?,
                               mainsFinding: MainsDetector.Finding? = nil, referenceBeats: [Int]? = nil) throws -> ChannelQuality {
        let count = samples.count
        let top = min(450, 0.45 * fs)
        // Flat and clipped samples, on the raw values.
        var low = Float.infinity, high = -Float.infinity
        for v in samples where v.isFinite { low = min(low, v); high = max(high, v) }
        var atLow = 0, atHigh = 0, flat = 0, run = 1
        let minimumRun = max(2, Int((0.1 * fs).rounded()))
        for i in 0..<count {
            if samples[i] == low { atLow += 1 }
            if samples[i] == high { atHigh += 1 }
            if i > 0 {
                if samples[i] == samples[i - 1] { run += 1 } else {
                    if run >= minimumRun { flat += run }
                    run = 1
                }
            }
        }
        if run >= minimumRun { flat += run }
        let clipped = (atLow >= 3 ? atLow : 0) + (atHigh >= 3 && high != low ? atHigh : 0)
        let allZero = low == 0 && high == 0
        // Band-passed copy for amplitudes and the ECG template.
        let chain = SignalChain([.zeroPhase(try Butterworth.design(order: 2, band: .bandPass(20, top), sampleRateHz: fs))])
        guard count >= chain.minimumLength, count >= Int(2 * fs) else {
            throw MyoError.other("the channel has \(count) samples; quality checks need at least 2 s")
        }
        let filtered = chain.apply(samples.map(Double.init))
        let window = Int(fs.rounded())
        var windowRMS: [(Int, Double)] = []
        var start = 0
        while start + window <= count {
            let rms = (filtered[start..<(start + window)].reduce(0) { $0 + $1 * $1 } / Double(window)).squareRoot()
            windowRMS.append((start, rms))
            start += window
        }
        var restRange: Range<Int>
        if let rest {
            let a = max(0, Int((rest.0 * fs).rounded())), b = min(count, Int((rest.1 * fs).rounded()))
            guard b - a >= 2 else { throw MyoError.outOfRange(argument: "rest", value: "\(NumberFormat.quantity(rest.0, "s"))..\(NumberFormat.quantity(rest.1, "s"))", limit: "a stretch of the channel") }
            restRange = a..<b
        } else {
            let quiet = windowRMS.filter { $0.1 > 0 }.min { $0.1 < $1.1 } ?? windowRMS[0]
            restRange = quiet.0..<(quiet.0 + window)
        }
        let noise = (filtered[restRange].reduce(0) { $0 + $1 * $1 } / Double(restRange.count)).squareRoot()
        let sortedRMS = windowRMS.map(\.1).sorted()
        let active = Bootstrap.percentile(sortedRMS, 95)
        let snr = noise > 0 && active > 0 ? 20 * log10(active / noise) : (active > 0 ? .infinity : 0)
        // Averaged PSD (1 s Hann windows, 50 % overlap).
        let settings = SpectralSettings(sampleRateHz: fs, windowSamples: window, stepSamples: window / 2, bandHz: (20, top))
        let (frequencies, psd, _) = SlidingSpectrum.averagePSD(samples[...], settings: settings)
        func sum(_ predicate: (Double) -> Bool) -> Double { zip(frequencies, psd).reduce(0) { predicate($1.0) ? $0 + $1.1 : $0 } }
        let finding = mainsFinding ?? MainsDetector.detect([MainsDetector.quietSpectrum(samples, sampleRateHz: fs)])
        let mains = mainsHz ?? finding.hz
        let bandPower = sum { $0 >= 20 && $0 <= top }
        // Mains: the power in the bins within 1 Hz of each multiple, above what the neighbouring
        // bins (2 to 5 Hz away on both sides) would put there.
        func mainsPower(_ base: Double) -> Double {
            stride(from: base, through: top, by: base).reduce(0.0) { total, multiple in
                multiple >= 20 ? total + MainsDetector.line(at: multiple, frequencies: frequencies, psd: psd).excess : total
            }
        }
        let mainsPower = mains.map(mainsPower) ?? MainsDetector.candidatesHz.map(mainsPower).max()!
        let mainsFinding = mainsHz.map { "\(NumberFormat.quantity($0, "Hz")) (given)" } ?? finding.description
        let totalPower = sum { $0 <= top }
        let lowPower = sum { $0 < 20 }
        var median = Double.nan
        var settingsWithoutMains = settings
        settingsWithoutMains.mainsHz = mains
        median = PSDEstimator(settings: settingsWithoutMains).features(psd).medianHz
        var (rate, share) = ecg(filtered, detection: try qrsBand(samples, fs: fs), fs: fs)
        if let beats = referenceBeats, beats.count >= 2 {
            rate = 60 / (Double(beats.last! - beats.first!) / Double(beats.count - 1) / fs)
            share = Self.share(filtered, peaks: beats.filter { $0 < filtered.count }, fs: fs)
        }
        return ChannelQuality(noiseRMS: noise, restSeconds: (Double(restRange.lowerBound) / fs, Double(restRange.upperBound) / fs), snrDB: snr,
                              mainsHz: mains, mainsFinding: mainsFinding, mainsShare: bandPower > 0 ? 100 * mainsPower / bandPower : 0,
                              clippedShare: 100 * Double(clipped) / Double(count), flatShare: 100 * Double(flat) / Double(count), allZero: allZero,
                              lowFrequencyShare: totalPower > 0 ? 100 * lowPower / totalPower : 0, medianHz: median,
                              heartRatePerMinute: rate, ecgShare: share)
    }

    /// Heartbeats by their QRS energy: the 5-30 Hz band (where the QRS complex is and sEMG is
    /// weak) squared and averaged over 50 ms, peaks above its median + 4 x (its 90th percentile -
    /// median), at least 300 ms apart; a
    /// rhythm counts when there are at least 10 beats at 30-210 per minute whose RR intervals vary
    /// by less than 25 % (coefficient of variation). Share = 1 - var(signal - aligned average beat)
    /// / var(signal) over the beats' windows (-100 to +200 ms), in %.
    /// Beats (sample indices of QRS energy peaks) when they form a regular rhythm, else empty.
    public static func beats(_ samples: [Float], sampleRateHz fs: Double) throws -> [Int] {
        rhythm(try qrsBand(samples, fs: fs), fs: fs).0
    }

    /// The 5-30 Hz band, where the QRS complex is and sEMG is weak: what beats are found in.
    static func qrsBand(_ samples: [Float], fs: Double) throws -> [Double] {
        try SignalChain([.zeroPhase(Butterworth.design(order: 2, band: .bandPass(5, min(30, 0.45 * fs)), sampleRateHz: fs))]).apply(samples.map(Double.init))
    }

    /// ECG template subtraction: the average waveform of the raw signal from 100 ms before to
    /// 200 ms after each beat, subtracted at every beat. Returns the cleaned samples and the beats.
    public static func subtractECG(_ samples: [Float], sampleRateHz fs: Double) throws -> ([Float], [Int]) {
        let peaks = try beats(samples, sampleRateHz: fs)
        let before = Int(0.1 * fs), after = Int(0.2 * fs)
        let usable = peaks.filter { $0 - before >= 0 && $0 + after < samples.count }
        guard !usable.isEmpty else { return (samples, []) }
        var template = [Double](repeating: 0, count: before + after)
        for p in usable { for k in 0..<(before + after) { template[k] += Double(samples[p - before + k]) / Double(usable.count) } }
        var cleaned = samples
        for p in usable { for k in 0..<(before + after) { cleaned[p - before + k] -= Float(template[k]) } }
        return (cleaned, usable)
    }

    /// The detector: peaks of the 50 ms energy of `d` and whether they form a rhythm.
    static func rhythm(_ d: [Double], fs: Double) -> ([Int], Double) {
        let w = max(1, Int((0.05 * fs).rounded()))
        var prefix = [Double](repeating: 0, count: d.count + 1)
        for i in d.indices { prefix[i + 1] = prefix[i] + d[i] * d[i] }
        let energy = d.indices.map { i -> Double in
            let a = max(0, i - w / 2), b = min(d.count, i + w / 2 + 1)
            return (prefix[b] - prefix[a]) / Double(b - a)
        }
        let sorted = energy.sorted()
        let median = Bootstrap.percentile(sorted, 50), p90 = Bootstrap.percentile(sorted, 90)
        let threshold = median + 4 * (p90 - median)
        var peaks: [Int] = []
        let refractory = Int(0.3 * fs)
        var i = 1
        while i < energy.count - 1 {
            if energy[i] > threshold, energy[i] >= energy[i - 1], energy[i] >= energy[i + 1] {
                let end = min(energy.count, i + refractory)
                let top = (i..<end).max { energy[$0] < energy[$1] } ?? i
                peaks.append(top)
                i = top + refractory
            } else {
                i += 1
            }
        }
        guard peaks.count >= 10 else { return ([], 0) }
        let intervals = zip(peaks.dropFirst(), peaks).map { Double($0 - $1) / fs }
        let meanRR = intervals.reduce(0, +) / Double(intervals.count)
        let sd = (intervals.reduce(0) { $0 + ($1 - meanRR) * ($1 - meanRR) } / Double(intervals.count)).squareRoot()
        let rate = 60 / meanRR
        guard rate >= 30, rate <= 210, sd / meanRR < 0.25 else { return ([], 0) }
        return (peaks, rate)
    }

    static func ecg(_ x: [Double], detection d: [Double], fs: Double) -> (Double, Double) {
        let (peaks, rate) = rhythm(d, fs: fs)
        guard !peaks.isEmpty else { return (0, 0) }
        return (rate, share(x, peaks: peaks, fs: fs))
    }

    /// The share of the power of `x` around the beats that their average waveform explains, in %.
    static func share(_ x: [Double], peaks: [Int], fs: Double) -> Double {
        let before = Int(0.1 * fs), after = Int(0.2 * fs)
        let beats = peaks.filter { $0 - before >= 0 && $0 + after < x.count }
        guard !beats.isEmpty else { return 0 }
        var template = [Double](repeating: 0, count: before + after)
        for p in beats { for k in 0..<(before + after) { template[k] += x[p - before + k] / Double(beats.count) } }
        var signalPower = 0.0, residualPower = 0.0
        for p in beats {
            for k in 0..<(before + after) {
                let v = x[p - before + k]
                signalPower += v * v
                residualPower += (v - template[k]) * (v - template[k])
            }
        }
        return signalPower > 0 ? max(0, 100 * (1 - residualPower / signalPower)) : 0
    }

    /// Stretches a reader should look at, in samples: flat runs (>= 100 ms), clipped runs (samples at
    /// a rail that occurs at least 3 times, widened by 10 ms), and 1 s windows with more than 60 % of
    /// their power below 20 Hz (motion). Overlapping stretches of one kind are merged.
    public static func flaggedSegments(_ samples: [Float], sampleRateHz fs: Double) -> [(Range<Int>, String)] {
        var result: [(Range<Int>, String)] = []
        func add(_ range: Range<Int>, _ label: String) {
            if let last = result.last, last.1 == label, last.0.upperBound >= range.lowerBound {
                result[result.count - 1].0 = last.0.lowerBound..<max(last.0.upperBound, range.upperBound)
            } else {
                result.append((range, label))
            }
        }
        let minimumRun = max(2, Int((0.1 * fs).rounded()))
        var start = 0
        for i in 1...samples.count {
            if i == samples.count || samples[i] != samples[start] {
                if i - start >= minimumRun { add(start..<i, "flat") }
                start = i
            }
        }
        var low = Float.infinity, high = -Float.infinity
        for v in samples where v.isFinite { low = min(low, v); high = max(high, v) }
        let atLow = samples.filter { $0 == low }.count, atHigh = samples.filter { $0 == high }.count
        let pad = Int(0.01 * fs)
        for (i, v) in samples.enumerated() where (v == low && atLow >= 3) || (v == high && atHigh >= 3 && high != low) {
            add(max(0, i - pad)..<min(samples.count, i + pad + 1), "clipped")
        }
        let window = Int(fs.rounded())
        if window >= 8, samples.count >= window {
            let settings = SpectralSettings(sampleRateHz: fs, windowSamples: window, stepSamples: window, bandHz: (0, min(450, 0.45 * fs)))
            let (frequencies, power) = SlidingSpectrum.spectrogram(samples[...], settings: settings)
            for (w, psd) in power.enumerated() {
                let total = zip(frequencies, psd).reduce(0) { $1.0 <= settings.bandHz.high ? $0 + $1.1 : $0 }
                let lowPower = zip(frequencies, psd).reduce(0) { $1.0 < 20 ? $0 + $1.1 : $0 }
                if total > 0, lowPower / total > 0.6 { add((w * window)..<((w + 1) * window), "motion") }
            }
        }
        return result.sorted { $0.0.lowerBound < $1.0.lowerBound }
    }
}
