import Foundation
import MyoCore
import MyoFormats
import MyoTestSupport
import Testing

/// One CSV per Delsys export layout (Trigno Discover 1.4.2, 1.5.0, 1.6.4 basic, with link devices
/// and EMG only, 1.7.0, EMGworks), written by Reference/delsys_layouts.py with closed-form samples
/// after the structure of public exports; expected.json holds each channel's name, unit, rate,
/// count and three values. Tolerances: values within 5e-8 of the unit (the files hold 7 decimals,
/// float32 keeps 7 significant digits below 1); rates from a rate row or a Trigno multiple of
/// 1000/27 Hz within 1e-9 Hz; rates inferred from EMGworks' 10-digit time columns within 1e-3 Hz.
@Suite struct DelsysLayoutTests {
    static let folder = TestEnvironment.repositoryRoot + "/Tests/MyoFormatsTests/Reference/fixtures/delsys"

    struct Expected: Decodable {
        let name: String, unit: String, rate: Double, count: Int, first: Double, last: Double, index: Int, at: Double
    }

    static let expected: [String: [Expected]] = {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))) ?? Data()
        return (try? JSONDecoder().decode([String: [Expected]].self, from: data)) ?? [:]
    }()

    static func load(_ file: String) throws -> (Recording, [String]) {
        let result = try RecordingLoader.load(path: folder + "/" + file, name: "d")
        guard case .recording(let recording) = result.object else { throw MyoError.file(path: file, reason: "did not load as a recording") }
        return (recording, result.warnings)
    }

    @Test(arguments: ["discover-1.4.2.csv", "discover-1.5.0.csv", "discover-1.6.4-basic.csv", "discover-1.6.4-link.csv",
                      "discover-1.6.4-emg.csv", "discover-1.7.0.csv", "emgworks.csv"])
    func everyLayoutLoadsEveryChannel(file: String) throws {
        let expected = try #require(Self.expected[file], "expected.json has no entry for \(file)")
        let (recording, _) = try Self.load(file)
        #expect(recording.channels.map(\.name) == expected.map(\.name))
        for (channel, want) in zip(recording.channels, expected) {
            #expect(channel.unit == (want.unit == "G" ? "g" : want.unit), "\(file) \(want.name)")
            let rateTolerance = file == "emgworks.csv" ? 1e-3 : 1e-9
            #expect(abs(channel.sampleRateHz - want.rate) < rateTolerance, "\(file) \(want.name): \(channel.sampleRateHz) Hz, expected \(want.rate) Hz")
            #expect(channel.samples.count == want.count, "\(file) \(want.name)")
            guard channel.samples.count == want.count else { continue }
            for (index, value) in [(0, want.first), (want.count - 1, want.last), (want.index, want.at)] {
                #expect(abs(Double(channel.samples[index]) - value) < 5e-8, "\(file) \(want.name)[\(index)] = \(channel.samples[index]), expected \(value)")
            }
        }
    }

    @Test func wholeHertzRatesAreReadAsTheTrignoRatesTheyRound() throws {
        let (recording, warnings) = try Self.load("discover-1.4.2.csv")
        #expect(recording.channels[0].sampleRateHz == 34_000.0 / 27 && recording.channels[1].sampleRateHz == 4_000.0 / 27)
        #expect(warnings.contains { $0.contains("read 1259 Hz as 1259.2593 Hz, 148 Hz as 148.1481 Hz") })
        #expect(warnings.contains { $0.hasSuffix("8 channels have no unit (Trigno Discover 1.4 writes none; later versions write EMG in mV, ACC in g, GYRO in deg/s); state them before measuring: units \"d.*: EMG*\" mV; units \"d.*: ACC*\" g") })
    }

    @Test func linkDeviceChannelsWithoutARateAreNamedAndLeftOut() throws {
        let (recording, warnings) = try Self.load("discover-1.6.4-link.csv")
        #expect(recording.channels.count == 2)
        #expect(warnings == ["\(Self.folder)/discover-1.6.4-link.csv: left out 3 channels without a fixed rate ('-1 Hz', Trigno link devices): VO2 Master: Resp. Rate, VO2 Master: Ambient Pressure, HR Strap: Heart Rate"])
        let (emgOnly, emgWarnings) = try Self.load("discover-1.6.4-emg.csv")
        #expect(emgOnly.channels.allSatisfy { $0.unit == "mV" } && emgWarnings.count == 1 && emgWarnings[0].contains("left out 2 channels"))
    }

    @Test func theLayoutsWithUnitsNeedNoWarning() throws {
        for file in ["discover-1.5.0.csv", "discover-1.6.4-basic.csv", "discover-1.7.0.csv"] {
            #expect(try Self.load(file).1 == [], "\(file)")
        }
        #expect(try Self.load("emgworks.csv").1.contains { $0.hasSuffix("3 channels have no unit (EMGworks writes none; its EMG is in volts unless set otherwise); state them before measuring: units \"d.*: EMG*\" V; units \"d.*: ACC*\" g") })
    }
}
