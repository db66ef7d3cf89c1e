import Foundation
import MyoFormats
import MyoSignal
import MyoTestSupport
import Testing

/// The live envelope chain: the same output whatever the blocks it arrives in, equal to scipy's
/// sosfilt, with the group delay scipy computes (Reference/causal_reference.py made the values).
@Suite struct CausalChainTests {
    static let fs = 2000.0

    static func signal() -> [Double] {
        (0..<4000).map { n in
            let t = Double(n) / fs
            return sin(2 * .pi * 60 * t) + 0.5 * sin(2 * .pi * 200 * t) + 0.1 * Double((n * 7919) % 101) / 101
        }
    }

    static func chain() throws -> CausalChain {
        CausalChain([.filter(try Butterworth.design(order: 2, band: .bandPass(20, 450), sampleRateHz: fs)), .rectify,
                     .filter(try Butterworth.design(order: 2, band: .lowPass(6), sampleRateHz: fs))])
    }

    struct Reference: Decodable {
        var indices: [Int]
        var envelope: [Double]
        var band_delay_samples_at_centre: Double
        var centre_hz: Double
        var low_delay_samples_at_1hz: Double
        var low_delay_samples_at_0hz: Double
    }

    @Test func blocksOfAnySizeGiveTheWholeSignalsOutputAndScipysSosfilt() throws {
        let x = Self.signal()
        var whole = x
        var one = try Self.chain()
        one.process(&whole)
        for sizes in [[1], [7], [64, 3], [333], [4000]] {
            var chain = try Self.chain()
            var out: [Double] = []
            var position = 0, k = 0
            while position < x.count {
                let n = min(sizes[k % sizes.count], x.count - position)
                var block = Array(x[position..<position + n])
                chain.process(&block)
                out += block
                position += n; k += 1
            }
            #expect(out == whole, "blocks of \(sizes)")
        }
        let path = TestEnvironment.repositoryRoot + "/Tests/MyoStreamTests/Reference/causal_reference.json"
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        for (index, expected) in zip(reference.indices, reference.envelope) {
            // Envelope of a unit-amplitude signal: 1e-9 of it is far below any EMG resolution.
            #expect(abs(whole[index] - expected) <= 1e-9, "sample \(index): \(whole[index]) vs scipy \(expected)")
        }
        let band = try Butterworth.design(order: 2, band: .bandPass(20, 450), sampleRateHz: Self.fs)
        let low = try Butterworth.design(order: 2, band: .lowPass(6), sampleRateHz: Self.fs)
        // Group delays within 1e-6 samples (0.5 ns at 2 kHz) of scipy.signal.group_delay.
        #expect(abs(CausalChain.groupDelaySamples(band, frequencyHz: reference.centre_hz, sampleRateHz: Self.fs) - reference.band_delay_samples_at_centre) < 1e-6)
        #expect(abs(CausalChain.groupDelaySamples(low, frequencyHz: 1, sampleRateHz: Self.fs) - reference.low_delay_samples_at_1hz) < 1e-6)
        // The chain's stated delay: band-pass at its centre plus the low-pass at 0 Hz (38.5 ms here).
        let delay = try Self.chain().delaySeconds(signalHz: reference.centre_hz, sampleRateHz: Self.fs)
        #expect(abs(delay * Self.fs - (reference.band_delay_samples_at_centre + reference.low_delay_samples_at_0hz)) < 1e-6)
    }

    @Test func movingRMSIsTheTrailingWindow() {
        var chain = CausalChain([.movingRMS(samples: 4)])
        var block: [Double] = [3, 4, 0, 0, 0, 0]
        chain.process(&block)
        // Windows: [3], [3,4], [3,4,0], [3,4,0,0], [4,0,0,0], [0,0,0,0].
        let expected = [3, (25.0 / 2).squareRoot(), (25.0 / 3).squareRoot(), 2.5, 2, 0]
        for (a, b) in zip(block, expected) { #expect(abs(a - b) < 1e-12) }
    }
}

/// What a live envelope is worth offline: on a real-shaped Sorensen recording, the causal
/// envelope shifted back by the chain's stated delay against the zero-phase envelope of the same
/// filters. docs/LIVE.md states the difference this test holds.
@Suite struct CausalAgainstZeroPhaseTests {
    @Test func theShiftedCausalEnvelopeFollowsTheZeroPhaseOne() throws {
        let path = TestEnvironment.repositoryRoot + "/sample-data/sorensen.csv"
        guard case .recording(let recording) = try RecordingLoader.load(path: path, name: "s").object else { Issue.record("not a recording"); return }
        let channel = try #require(recording.channels.first { $0.name == "ES_L" })
        let fs = channel.sampleRateHz
        let band = try Butterworth.design(order: 2, band: .bandPass(20, 450), sampleRateHz: fs)
        let low = try Butterworth.design(order: 2, band: .lowPass(6), sampleRateHz: fs)
        var causal = channel.samples.map(Double.init)
        var chain = CausalChain([.filter(band), .rectify, .filter(low)])
        chain.process(&causal)
        let zeroPhase = SignalChain([.zeroPhase(band), .rectify, .zeroPhase(low)]).apply(channel.samples.map(Double.init))
        let delay = chain.delaySeconds(signalHz: (20.0 * 450).squareRoot(), sampleRateHz: fs)
        let shift = Int((delay * fs).rounded())
        // Away from the ends (2 s each side), causal[n + shift] against zeroPhase[n].
        let range = Int(2 * fs)..<(causal.count - shift - Int(2 * fs))
        let diff = range.map { causal[$0 + shift] - zeroPhase[$0] }
        let rmsDiff = (diff.map { $0 * $0 }.reduce(0, +) / Double(diff.count)).squareRoot()
        let rmsLevel = (range.map { zeroPhase[$0] * zeroPhase[$0] }.reduce(0, +) / Double(range.count)).squareRoot()
        let meanRatio = range.map { causal[$0 + shift] }.reduce(0, +) / range.map { zeroPhase[$0] }.reduce(0, +)
        let unshifted = (range.map { (causal[$0] - zeroPhase[$0]) * (causal[$0] - zeroPhase[$0]) }.reduce(0, +) / Double(range.count)).squareRoot()
        // Measured: 5.1 % RMS of the envelope's level, means within 0.8 %; without the shift the
        // difference is larger, so the stated delay is the lag there is.
        #expect(rmsDiff / rmsLevel < 0.08, "RMS difference \(rmsDiff / rmsLevel) of the level")
        #expect(abs(meanRatio - 1) < 0.02, "mean ratio \(meanRatio)")
        #expect(unshifted > rmsDiff)
    }
}
