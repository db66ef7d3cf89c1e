import Foundation
import MyoCore
import MyoFormats
import MyoSignal
import MyoSimulator
import MyoTestSupport
import Testing

@Suite struct SimulatorTests {
    /// sample-data/ holds exactly what `simulate` writes for the seeds in sample-data/README.md.
    static let sampleData: [(Scenario, UInt64, String)] = [
        (.bridgeSet, 1, "bridge-set.csv"), (.sorensen, 2, "sorensen.csv"), (.flexionRelaxation, 3, "flexion-relaxation.csv"),
        (.mvc, 4, "mvc.csv"), (.team, 5, "team"), (.reaction, 6, "reaction.csv"),
    ]

    @Test(arguments: sampleData)
    func regeneratesSampleDataByteForByte(_ scenario: Scenario, _ seed: UInt64, _ name: String) throws {
        let folder = TestEnvironment.temporaryFolder()
        let written = try Simulator.write(scenario, seed: seed, durationSeconds: nil, to: folder + "/" + name)
        #expect(!written.isEmpty)
        for path in written {
            let relative = String(path.dropFirst(folder.count + 1))
            let committed = TestEnvironment.repositoryRoot + "/sample-data/" + relative
            #expect(FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: committed), "\(relative) differs from sample-data")
        }
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let a = Simulator.simulate(.mvc, seed: 11, durationSeconds: 6)[0].recording.channels[0].samples
        let b = Simulator.simulate(.mvc, seed: 11, durationSeconds: 6)[0].recording.channels[0].samples
        let c = Simulator.simulate(.mvc, seed: 12, durationSeconds: 6)[0].recording.channels[0].samples
        #expect(a == b)
        #expect(a != c)
    }

    /// The hold's RMS equals activation x gain within the sampling error of a 2 s window
    /// (4000 samples of a band-limited process: a few per cent), and rest is near the noise floor.
    @Test func amplitudeFollowsTheActivationModel() {
        let recording = Simulator.simulate(.mvc, seed: 3, durationSeconds: 10)[0].recording
        let gm = recording.channels[0]
        let hold = DescriptiveStatistics(gm.samples[gm.sampleRange(fromSeconds: 3, toSeconds: 5)])
        #expect(abs(hold.rms - 0.6) < 0.6 * 0.06)
        let rest = DescriptiveStatistics(gm.samples[gm.sampleRange(fromSeconds: 7, toSeconds: 10)])
        #expect(rest.rms < 0.03)
    }

    /// The model's median frequency scales with the spectral scale (fatigue compression).
    @Test func spectralScaleLowersTheMedianFrequency() {
        let fresh = EMGModel.spectrum(scale: 1, sampleRateHz: 2000)
        let tired = EMGModel.spectrum(scale: 0.75, sampleRateHz: 2000)
        #expect(fresh.medianHz > 70 && fresh.medianHz < 130)
        #expect(abs(tired.medianHz / fresh.medianHz - 0.75) < 0.05)
    }

    @Test func bridgeSetTruthMatchesItsDesign() throws {
        let file = Simulator.simulate(.bridgeSet, seed: 1)[0]
        let text = file.truth.serialized()
        #expect(text.contains("\"gm_symmetry_index_percent\":-22.222222"))
        #expect(file.recording.summary == "6 channels x 40.0 s @ 2000 Hz (GM_L GM_R ES_L ES_R BF_L BF_R, mV), 3 IMU channels @ 100 Hz")
    }
}
