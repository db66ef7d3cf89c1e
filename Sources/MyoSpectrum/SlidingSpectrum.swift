#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import MyoCore

/// The taper applied to each segment before its transform.
public enum Taper: String, CaseIterable, Sendable {
    /// Periodic Hann, w[n] = 0.5 - 0.5 cos(2 pi n / N) (scipy.signal.get_window('hann', N)).
    case hann
    /// Periodic Hamming, w[n] = 0.54 - 0.46 cos(2 pi n / N).
    case hamming
    case rectangular

    public func weights(_ count: Int) -> [Double] {
        (0..<count).map { n in
            let phase = 2 * Double.pi * Double(n) / Double(count)
            switch self {
            case .hann: return 0.5 - 0.5 * cos(phase)
            case .hamming: return 0.54 - 0.46 * cos(phase)
            case .rectangular: return 1
            }
        }
    }
}

/// How each analysis window's power spectral density is estimated.
public enum PSDMethod: Sendable, Equatable {
    /// One tapered transform of the whole window.
    case periodogram
    /// Welch: tapered segments of `segmentSamples` with 50 % overlap inside the window, averaged.
    case welch(segmentSamples: Int)
}

/// Parameters of a sliding spectral analysis, in samples and Hz.
public struct SpectralSettings: Sendable {
    public var sampleRateHz: Double
    public var windowSamples: Int
    public var stepSamples: Int
    public var taper: Taper
    public var psd: PSDMethod
    /// Inclusive band over which features are computed.
    public var bandHz: (low: Double, high: Double)
    /// Mains frequency whose multiples (bins within 1 Hz of k f0) are left out of the band.
    public var mainsHz: Double?

    public init(sampleRateHz: Double, windowSamples: Int, stepSamples: Int, taper: Taper = .hann, psd: PSDMethod = .periodogram,
                bandHz: (low: Double, high: Double) = (20, 450), mainsHz: Double? = nil) {
        self.sampleRateHz = sampleRateHz
        self.windowSamples = windowSamples
        self.stepSamples = stepSamples
        self.taper = taper
        self.psd = psd
        self.bandHz = bandHz
        self.mainsHz = mainsHz
    }

    /// Points of each transform: the window, or Welch's segment.
    public var transformLength: Int {
        if case .welch(let segment) = psd { return segment }
        return windowSamples
    }

    public var binWidthHz: Double { sampleRateHz / Double(transformLength) }

    /// Whole windows that fit in `count` samples.
    public func windowCount(_ count: Int) -> Int { count < windowSamples ? 0 : (count - windowSamples) / stepSamples + 1 }

    /// Indices of the one-sided bins inside the band and outside the mains exclusions.
    public var bandBins: [Int] {
        let df = binWidthHz
        return (0...(transformLength / 2)).filter { k in
            let f = Double(k) * df
            guard f >= bandHz.low, f <= bandHz.high else { return false }
            if let mains = mainsHz {
                let multiple = (f / mains).rounded()
                if multiple >= 1, abs(f - multiple * mains) <= 1 { return false }
            }
            return true
        }
    }
}

/// What one window's spectrum says. Frequencies in Hz; power in unit^2 (PSD summed over the
/// band's bins times the bin width); rms in the signal's unit.
public struct WindowFeatures: Sendable, Equatable {
    /// Time of the window's centre, from the first sample of the analysed samples.
    public var centreSeconds: Double
    /// Mean frequency, sum f P / sum P over the band.
    public var meanHz: Double
    /// Median frequency, interpolated inside the bin where the cumulative power reaches half
    /// (each bin's power spread evenly over [f - df/2, f + df/2]).
    public var medianHz: Double
    public var peakHz: Double
    public var totalPower: Double
    /// Root mean square of the window after removing its mean (time domain).
    public var rms: Double
    /// Dimitrov's spectral index FInsm5 = M(-1) / M(5), M(k) = sum f^k P df over the band.
    public var fInsm5: Double
    /// Spectral moments M(k) = sum f^k P df over the band for k = -1, 1, 2, 5 (M(0) is totalPower),
    /// in unit^2 Hz^k.
    public var momentMinus1 = 0.0, moment1 = 0.0, moment2 = 0.0, moment5 = 0.0
}

/// Sliding-window spectra of one channel: PSD per window (scipy.signal.spectrogram's definition:
/// constant detrend, taper, one-sided density scaled by 1 / (fs sum w^2)) and its features.
public enum SlidingSpectrum {
    /// Features of every whole window of `samples`, windows starting every `stepSamples`.
    public static func features(_ samples: ArraySlice<Float>, settings: SpectralSettings) -> [WindowFeatures] {
        let estimator = PSDEstimator(settings: settings)
        let count = settings.windowCount(samples.count)
        var result: [WindowFeatures] = []
        result.reserveCapacity(count)
        let base = samples.startIndex
        for w in 0..<count {
            let start = base + w * settings.stepSamples
            let window = samples[start..<(start + settings.windowSamples)]
            let (psd, rms) = estimator.psd(window)
            var features = estimator.features(psd)
            features.rms = rms
            features.centreSeconds = (Double(w * settings.stepSamples) + Double(settings.windowSamples) / 2) / settings.sampleRateHz
            result.append(features)
        }
        return result
    }

    /// A NaN or infinite sample met while reading a channel (its index in the channel).
    public struct NonFiniteSample: Error {
        public var index: Int
        public var value: Float
    }

    /// Features of every whole window of samples `range` of `channel`, read a run of windows at
    /// a time (from memory or the channel's file), so a day needs memory for a run, not the day.
    /// The same numbers as `features(_:settings:)` on the samples in memory; a non-finite sample
    /// throws `NonFiniteSample`.
    public static func features(_ channel: Channel, range: Range<Int>, settings: SpectralSettings, windowsPerRun: Int = 512) throws -> [WindowFeatures] {
        let count = settings.windowCount(range.count)
        var result: [WindowFeatures] = []
        result.reserveCapacity(count)
        var checkedUpTo = range.lowerBound
        for first in stride(from: 0, to: count, by: windowsPerRun) {
            try Cancellation.check()
            let last = min(first + windowsPerRun, count)
            let lower = range.lowerBound + first * settings.stepSamples
            let upper = range.lowerBound + (last - 1) * settings.stepSamples + settings.windowSamples
            let samples = try channel.samples(in: lower..<upper)
            // Only the samples not checked by an earlier run (runs overlap when windows do).
            if let index = firstNonFinite(samples[max(0, checkedUpTo - lower)...]) {
                throw NonFiniteSample(index: lower + index, value: samples[index])
            }
            checkedUpTo = upper
            var part = features(samples[...], settings: settings)
            let shift = Double(first * settings.stepSamples) / settings.sampleRateHz
            for i in part.indices { part[i].centreSeconds += shift }
            result += part
        }
        return result
    }

    /// The index of the first NaN or infinite sample, which would poison every window it is in.
    public static func firstNonFinite(_ samples: ArraySlice<Float>) -> Int? {
        samples.firstIndex { !$0.isFinite }
    }

    /// Features of several channels at one rate, channels in parallel.
    public static func features(channels: [ArraySlice<Float>], settings: SpectralSettings) -> [[WindowFeatures]] {
        var results = [[WindowFeatures]](repeating: [], count: channels.count)
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: channels.count) { index in
                if Cancellation.isRequested { return }
                out[index] = features(channels[index], settings: settings)
            }
        }
        return results
    }

    /// The mean of the whole windows' PSDs (Welch's estimate over the span), the bins'
    /// frequencies and how many windows were averaged.
    public static func averagePSD(_ samples: ArraySlice<Float>, settings: SpectralSettings) -> (frequenciesHz: [Double], psd: [Double], windows: Int) {
        let estimator = PSDEstimator(settings: settings)
        let count = settings.windowCount(samples.count)
        var average = [Double](repeating: 0, count: settings.transformLength / 2 + 1)
        for w in 0..<count {
            let start = samples.startIndex + w * settings.stepSamples
            let (psd, _) = estimator.psd(samples[start..<(start + settings.windowSamples)])
            for k in average.indices { average[k] += psd[k] / Double(count) }
        }
        return ((0...(settings.transformLength / 2)).map { Double($0) * settings.binWidthHz }, average, count)
    }

    /// The PSD of every whole window (for spectrograms), frequencies of the one-sided bins.
    public static func spectrogram(_ samples: ArraySlice<Float>, settings: SpectralSettings) -> (frequenciesHz: [Double], power: [[Double]]) {
        let estimator = PSDEstimator(settings: settings)
        let count = settings.windowCount(samples.count)
        var power: [[Double]] = []
        power.reserveCapacity(count)
        for w in 0..<count {
            let start = samples.startIndex + w * settings.stepSamples
            power.append(estimator.psd(samples[start..<(start + settings.windowSamples)]).0)
        }
        return ((0...(settings.transformLength / 2)).map { Double($0) * settings.binWidthHz }, power)
    }
}

/// One worker's PSD machinery: taper, FFT buffers and the band's bins.
public final class PSDEstimator {
    public let settings: SpectralSettings
    let taper: [Double]
    let scale: Double
    let workspace: FFTWorkspace
    let bins: [Int]
    var power: [Double]

    public init(settings: SpectralSettings) {
        self.settings = settings
        let n = settings.transformLength
        taper = settings.taper.weights(n)
        scale = 1 / (settings.sampleRateHz * taper.reduce(0) { $0 + $1 * $1 })
        workspace = FFTWorkspace(length: n)
        bins = settings.bandBins
        power = [Double](repeating: 0, count: n / 2 + 1)
    }

    /// The one-sided PSD (unit^2/Hz) of one analysis window, and the window's RMS about its mean.
    public func psd(_ window: ArraySlice<Float>) -> ([Double], Double) {
        let n = settings.transformLength
        var psd = [Double](repeating: 0, count: n / 2 + 1)
        var mean = 0.0
        for value in window { mean += Double(value) }
        mean /= Double(window.count)
        var sumSquares = 0.0
        for value in window { let d = Double(value) - mean; sumSquares += d * d }
        let segments: [Int]
        switch settings.psd {
        case .periodogram: segments = [window.startIndex]
        case .welch(let length):
            let step = max(1, length / 2)
            segments = Array(stride(from: window.startIndex, through: window.endIndex - length, by: step))
        }
        for start in segments {
            // Constant detrend per transformed segment, as scipy.
            var segmentMean = 0.0
            for i in 0..<n { segmentMean += Double(window[start + i]) }
            segmentMean /= Double(n)
            for i in 0..<n { workspace.input[i] = (Double(window[start + i]) - segmentMean) * taper[i] }
            power.withUnsafeMutableBufferPointer { workspace.powerSpectrum(into: $0.baseAddress!) }
            for k in 0...(n / 2) {
                // One-sided: double every bin but DC and (for even n) Nyquist.
                let twice = k != 0 && !(n % 2 == 0 && k == n / 2)
                psd[k] += power[k] * scale * (twice ? 2 : 1)
            }
        }
        let share = 1 / Double(segments.count)
        for k in psd.indices { psd[k] *= share }
        return (psd, (sumSquares / Double(window.count)).squareRoot())
    }

    /// MNF, interpolated MDF, peak, band power and FInsm5 of one PSD.
    public func features(_ psd: [Double]) -> WindowFeatures {
        let df = settings.binWidthHz
        var total = 0.0, weighted = 0.0, peak = 0.0, peakHz = Double.nan
        var mMinus1 = 0.0, m2 = 0.0, m5 = 0.0
        for k in bins {
            let f = Double(k) * df, p = psd[k]
            total += p
            weighted += f * p
            if p > peak { peak = p; peakHz = f }
            if f > 0 {
                mMinus1 += p / f
                let f2 = f * f
                m2 += p * f2
                m5 += p * f2 * f2 * f
            }
        }
        var median = Double.nan
        if total > 0 {
            let half = total / 2
            var cumulative = 0.0
            for k in bins {
                let p = psd[k]
                if cumulative + p >= half, p > 0 {
                    median = Double(k) * df - df / 2 + df * (half - cumulative) / p
                    break
                }
                cumulative += p
            }
        }
        return WindowFeatures(centreSeconds: 0, meanHz: total > 0 ? weighted / total : .nan, medianHz: median, peakHz: peakHz,
                              totalPower: total * df, rms: 0, fInsm5: m5 > 0 ? mMinus1 / m5 : .nan,
                              momentMinus1: mMinus1 * df, moment1: weighted * df, moment2: m2 * df, moment5: m5 * df)
    }
}
