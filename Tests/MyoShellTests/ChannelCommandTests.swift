import Foundation
import MyoCore
import MyoFormats
import MyoShell
import MyoSignal
import MyoTestSupport
import Testing

@Suite struct ResamplerTests {
    func sine(_ hz: Double, amplitude: Double, fs: Double, count: Int) -> [Float] {
        (0..<count).map { Float(amplitude * sin(2 * Double.pi * hz * Double($0) / fs)) }
    }

    func amplitude(of x: [Float], hz: Double, fs: Double) -> Double {
        // Projection on sin and cos over whole periods, away from the edges.
        let n = x.count, skip = n / 10
        var s = 0.0, c = 0.0
        for i in skip..<(n - skip) {
            let phase = 2 * Double.pi * hz * Double(i) / fs
            s += Double(x[i]) * sin(phase); c += Double(x[i]) * cos(phase)
        }
        return 2 * (s * s + c * c).squareRoot() / Double(n - 2 * skip)
    }

    /// 2000 -> 1000 Hz: a 50 Hz sine keeps its amplitude (within 0.1%); a 700 Hz one, which
    /// would alias to 300 Hz, is attenuated by more than 56 dB.
    @Test func downsamplingKeepsThePassbandAndRemovesAliases() throws {
        let fs = 2000.0
        let low = try Resampler.resample(sine(50, amplitude: 1, fs: fs, count: 8000), fromHz: fs, toHz: 1000)
        #expect(low.count == 4000)
        #expect(abs(amplitude(of: low, hz: 50, fs: 1000) - 1) < 1e-3)
        let high = try Resampler.resample(sine(700, amplitude: 1, fs: fs, count: 8000), fromHz: fs, toHz: 1000)
        #expect(amplitude(of: high, hz: 300, fs: 1000) < pow(10, -56.0 / 20))
    }

    /// 100 -> 148.148 Hz (a Delsys IMU rate): a 3 Hz sine is interpolated within 0.1% of its
    /// amplitude at every interior sample.
    @Test func upsamplingByANonIntegerRatioInterpolatesExactly() throws {
        let up = try Resampler.resample(sine(3, amplitude: 2, fs: 100, count: 1000), fromHz: 100, toHz: 148.148148)
        let expected = sine(3, amplitude: 2, fs: 148.148148, count: up.count)
        let worst = zip(up, expected).dropFirst(30).dropLast(30).map { abs(Double($0) - Double($1)) }.max()!
        #expect(worst < 2e-3)
    }
}

@Suite struct ChannelCommandTests {
    @Test func cropSelectRenameAlignAndMontage() throws {
        let (session, output, _) = closedFormSession()
        var withEvents = try session.recording(named: "r")
        withEvents.events = [Event(timeSeconds: 0.5, label: "a"), Event(timeSeconds: 2.5, label: "b")]
        session.workspace.store(withEvents)
        try session.execute("crop r from=1s to=2s as c")
        let c = try session.recording(named: "c")
        #expect(c.channels.map(\.samples.count) == [1000, 1000, 100])
        #expect(c.channels[0].startTimeSeconds == 1)
        #expect(c.channels[0].samples[0] == session.workspace.recordings["r"]!.channels[0].samples[1000])
        #expect(c.events.isEmpty)
        try session.execute("crop r from=0s to=1s as early")
        #expect(try session.recording(named: "early").events.map(\.label) == ["a"])
        try session.execute("select r.{SIN_L,ACC_X} as s")
        #expect(try session.recording(named: "s").channels.map(\.name) == ["SIN_L", "ACC_X"])
        try session.execute("rename r.DC_R BASE_R")
        #expect(try session.recording(named: "r").channels.map(\.name) == ["SIN_L", "BASE_R", "ACC_X"])
        #expect(errorText(session, "rename r.SIN_L ACC_X") == "r already has a channel named ACC_X")
        try session.execute("align r as a")
        let a = try session.recording(named: "a")
        #expect(a.channels.map(\.sampleRateHz) == [1000, 1000, 1000])
        #expect(a.channels.map(\.samples.count) == [4000, 4000, 4000])
        #expect(a.channels[2].samples[2000] == 1)       // the constant ACC_X, interpolated
        #expect(errorText(session, "crop r from=5s to=6s") == "from=5 s is out of range: r has no samples between 5 s and 6 s")
        #expect(errorText(session, "crop r from=2s to=1s") == "to=1 s is not valid: expected a time after from=2 s")

        let folder = TestEnvironment.temporaryFolder()
        try "sensor,muscle,side\nSIN_L,ES,left\nEMG7,GM,R\n".write(toFile: folder + "/m.csv", atomically: true, encoding: .utf8)
        try session.execute("montage r \(folder)/m.csv")
        #expect(try session.recording(named: "r").channels.map(\.name) == ["ES_L", "BASE_R", "ACC_X"])
        #expect(output.errors.contains("warning: the montage names sensors r does not have: EMG7"))
    }

    @Test func montageFormatsAndErrors() throws {
        let arrows = try Montage.parse("EMG1 -> ES_L\n# comment\nEMG2 -> ES_R\n", path: "m.txt")
        let yaml = try Montage.parse("---\nEMG1: ES_L\nEMG2: {muscle: ES, side: R}\n", path: "m.yaml")
        let csv = try Montage.parse("sensor,name\nEMG1,ES_L\nEMG2,ES_R\n", path: "m.csv")
        #expect(arrows == yaml && yaml == csv)
        #expect(arrows.mapping.map(\.name) == ["ES_L", "ES_R"])
        func failure(_ text: String) -> String { do { _ = try Montage.parse(text, path: "m"); return "no error" } catch { return "\(error)" } }
        #expect(failure("EMG1 -> ES_L\nEMG2 -> ES_L\n") == "m: two sensors are mapped to ES_L (the second is EMG2); each name must be unique")
        #expect(failure("EMG1: {muscle: ES, side: up}\n") == "m:1: expected a side L, R, left or right, found 'EMG1: {muscle: ES, side: up}'")
        #expect(failure("just words\n") == "m:1: expected a mapping such as 'EMG1 -> ES_L', 'EMG1: ES_L' or a CSV row, found 'just words'")
        #expect(failure("# nothing\n") == "m:1: expected at least one mapping such as 'EMG1 -> ES_L', found none")
    }
}
