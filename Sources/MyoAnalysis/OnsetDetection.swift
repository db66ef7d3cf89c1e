import MyoCore
import MyoSignal

/// A period of muscle activity: first active sample and first inactive sample after it
/// (nil when the signal ends while active).
public struct ActivePeriod: Sendable, Equatable {
    public var on: Int
    public var off: Int?
    public init(on: Int, off: Int?) {
        self.on = on
        self.off = off
    }
}

/// The EMG onset detectors. Each turns a signal into a per-sample test (active or not) from
/// statistics of a baseline segment, then applies the same duration rule (`periods`).
/// Every parameter is explicit; `OnsetPreset` holds the documented parameter sets.
public enum OnsetMethod: String, CaseIterable, Sendable {
    /// The input as given (usually an envelope) against mean + k SD of its baseline.
    case threshold
    /// Hodges and Bui (1996): band-pass, rectify, low-pass, moving average; mean + k SD.
    case hodgesBui = "hodges-bui"
    /// Bonato, D'Alessio and Knaflitz (1998): double threshold on the whitened power of sample
    /// pairs, g = (x[2j]^2 + x[2j+1]^2) / sigma^2; active when at least r of the last m pairs exceed zeta.
    case bonato
    /// Solnik et al. (2010): band-pass, Teager-Kaiser energy, rectify, low-pass; mean + k SD.
    case solnik
}

/// Parameters of one detection. Only those the method uses need values; `missing` names the rest.
public struct OnsetParameters: Sendable, Equatable {
    public var method: OnsetMethod
    /// Baseline segment, in samples of the channel.
    public var baseline: Range<Int>
    public var k: Double?
    public var minOnSamples: Int?
    public var minOffSamples: Int?
    /// Conditioning band-pass (Hz) of hodges-bui, bonato and solnik.
    public var band: (Double, Double)?
    /// Conditioning low-pass (Hz) of hodges-bui and solnik.
    public var cutoffHz: Double?
    /// Moving-average window of hodges-bui, in samples.
    public var windowSamples: Int?
    /// Bonato: threshold on g, window of m pairs, and how many of them must exceed.
    public var zeta: Double?
    public var m: Int?
    public var r: Int?

    public init(method: OnsetMethod, baseline: Range<Int>) {
        self.method = method
        self.baseline = baseline
    }

    public static func == (a: OnsetParameters, b: OnsetParameters) -> Bool {
        a.method == b.method && a.baseline == b.baseline && a.k == b.k && a.minOnSamples == b.minOnSamples && a.minOffSamples == b.minOffSamples
            && a.band?.0 == b.band?.0 && a.band?.1 == b.band?.1 && a.cutoffHz == b.cutoffHz && a.windowSamples == b.windowSamples
            && a.zeta == b.zeta && a.m == b.m && a.r == b.r
    }

    /// The names (as typed on the command line) of the parameters this method needs.
    public static func names(for method: OnsetMethod) -> [String] {
        switch method {
        case .threshold: return ["k", "min-on", "min-off"]
        case .hodgesBui: return ["band", "cutoff", "window", "k", "min-on", "min-off"]
        case .solnik: return ["band", "cutoff", "k", "min-on", "min-off"]
        case .bonato: return ["band", "zeta", "m", "r", "min-on", "min-off"]
        }
    }
}

/// What a detection found on one channel, with the numbers behind its threshold.
public struct OnsetDetection: Sendable {
    public var periods: [ActivePeriod]
    /// The test function the threshold was applied to (for plots), one value per sample.
    public var testFunction: [Double]
    /// The threshold on the test function.
    public var threshold: Double
    public var baselineMean: Double
    public var baselineSD: Double
}

public enum OnsetDetector {
    /// Conditioning filters (band-pass and low-pass) are zero-phase Butterworth of this design order.
    public static let conditioningOrder = 2

    /// Runs the detector on one channel sampled at `sampleRateHz`.
    public static func detect(_ samples: [Float], sampleRateHz fs: Double, parameters p: OnsetParameters) throws -> OnsetDetection {
        precondition(!p.baseline.isEmpty && p.baseline.upperBound <= samples.count)
        let input = samples.map(Double.init)
        switch p.method {
        case .threshold:
            return try meanPlusK(input, p)
        case .hodgesBui:
            var conditioned = try condition(input, fs: fs, p: p, teager: false)
            conditioned = MovingMean.centred(conditioned, window: p.windowSamples!)
            return try meanPlusK(conditioned, p)
        case .solnik:
            return try meanPlusK(try condition(input, fs: fs, p: p, teager: true), p)
        case .bonato:
            return try bonato(input, fs: fs, p: p)
        }
    }

    /// Band-pass, optional Teager-Kaiser energy, rectification and low-pass, all zero-phase.
    static func condition(_ input: [Double], fs: Double, p: OnsetParameters, teager: Bool) throws -> [Double] {
        let (low, high) = p.band!
        var steps: [SignalStep] = [.zeroPhase(try Butterworth.design(order: conditioningOrder, band: .bandPass(low, high), sampleRateHz: fs))]
        if teager { steps.append(.teagerKaiser) }
        steps.append(.rectify)
        steps.append(.zeroPhase(try Butterworth.design(order: conditioningOrder, band: .lowPass(p.cutoffHz!), sampleRateHz: fs)))
        return try checkedChain(SignalChain(steps), input)
    }

    static func checkedChain(_ chain: SignalChain, _ input: [Double]) throws -> [Double] {
        guard input.count >= chain.minimumLength else {
            throw MyoError.other("the channel has \(input.count) samples; the conditioning filters need more than \(chain.padding)")
        }
        return chain.apply(input)
    }

    /// Mean and sample standard deviation (n - 1) of a segment.
    public static func meanAndSD(_ x: ArraySlice<Double>) -> (Double, Double) {
        let mean = x.reduce(0, +) / Double(x.count)
        guard x.count > 1 else { return (mean, 0) }
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
        return (mean, variance.squareRoot())
    }

    static func meanPlusK(_ tf: [Double], _ p: OnsetParameters) throws -> OnsetDetection {
        let (mean, sd) = meanAndSD(tf[p.baseline])
        guard sd > 0 else { throw MyoError.other("the baseline is flat (standard deviation 0): choose a segment that holds resting noise") }
        let threshold = mean + p.k! * sd
        let periods = Self.periods(tf.map { $0 >= threshold }, minOn: p.minOnSamples!, minOff: p.minOffSamples!)
        return OnsetDetection(periods: periods, testFunction: tf, threshold: threshold, baselineMean: mean, baselineSD: sd)
    }

    static func bonato(_ input: [Double], fs: Double, p: OnsetParameters) throws -> OnsetDetection {
        let (low, high) = p.band!
        let x = try checkedChain(SignalChain([.zeroPhase(try Butterworth.design(order: conditioningOrder, band: .bandPass(low, high), sampleRateHz: fs))]), input)
        let (mean, sd) = meanAndSD(x[p.baseline])
        guard sd > 0 else { throw MyoError.other("the baseline is flat (standard deviation 0): choose a segment that holds resting noise") }
        let variance = sd * sd
        let pairs = x.count / 2
        let m = p.m!, r = p.r!, zeta = p.zeta!
        var exceeds = [Bool](repeating: false, count: pairs)
        var tf = [Double](repeating: 0, count: x.count)
        for j in 0..<pairs {
            let a = x[2 * j] - mean, b = x[2 * j + 1] - mean
            let g = (a * a + b * b) / variance
            exceeds[j] = g > zeta
            tf[2 * j] = g
            tf[2 * j + 1] = g
        }
        if x.count % 2 == 1, pairs > 0 { tf[x.count - 1] = tf[x.count - 2] }
        // A pair is active when at least r of the m pairs ending at it exceed zeta.
        var active = [Bool](repeating: false, count: x.count)
        var count = 0
        for j in 0..<pairs {
            if exceeds[j] { count += 1 }
            if j >= m, exceeds[j - m] { count -= 1 }
            let on = count >= r
            active[2 * j] = on
            active[2 * j + 1] = on
        }
        let periods = Self.periods(active, minOn: p.minOnSamples!, minOff: p.minOffSamples!)
        return OnsetDetection(periods: periods, testFunction: tf, threshold: zeta, baselineMean: mean, baselineSD: sd)
    }

    /// The duration rule shared by every method: activity begins at the first sample of a run of
    /// at least `minOn` active samples, and ends at the first sample of a run of at least
    /// `minOff` inactive samples. A run shorter than the minimum changes nothing.
    public static func periods(_ active: [Bool], minOn: Int, minOff: Int) -> [ActivePeriod] {
        var result: [ActivePeriod] = []
        var inActivity = false
        var runStart = 0, runLength = 0
        for (index, value) in active.enumerated() {
            // Count the run that would change the state.
            if value != inActivity {
                if runLength == 0 { runStart = index }
                runLength += 1
                if runLength >= max(1, inActivity ? minOff : minOn) {
                    if inActivity { result[result.count - 1].off = runStart } else { result.append(ActivePeriod(on: runStart, off: nil)) }
                    inActivity.toggle()
                    runLength = 0
                }
            } else {
                runLength = 0
            }
        }
        return result
    }
}
