import MyoSignal

/// Synthetic EMG shared by the quality and asymmetry tests.
public enum SyntheticEMG {
    public static let sampleRateHz = 2000.0
    public static let seconds = 20.0

    /// A clean channel in mV at 2 kHz for 20 s: 2 s of rest (4 uV RMS noise), then bursts of
    /// band-limited (40-250 Hz) noise of 0.3 mV RMS, 1.5 s on, 1.5 s off. Seeded, so the same
    /// every run.
    public static let cleanBursts: [Double] = {
        let fs = sampleRateHz
        var random = RandomSource(seed: 42)
        let n = Int(seconds * fs)
        let noise = (0..<n).map { _ in random.nextGaussian() }
        let shaped = SignalChain([.zeroPhase(try! Butterworth.design(order: 4, band: .bandPass(40, 250), sampleRateHz: fs))]).apply(noise)
        let rms = (shaped.reduce(0) { $0 + $1 * $1 } / Double(n)).squareRoot()
        return (0..<n).map { i in
            let t = Double(i) / fs
            let on = t >= 2 && (t - 2).truncatingRemainder(dividingBy: 3) < 1.5
            return (on ? 0.3 : 0) * shaped[i] / rms + 0.004 * random.nextGaussian()
        }
    }()
}
