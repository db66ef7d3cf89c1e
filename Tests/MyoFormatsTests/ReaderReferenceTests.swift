import Foundation
import MyoCore
import MyoFormats
import MyoTestSupport
import Testing

/// C3D, WFDB and EDF/BDF readers against the formats' own Python readers (ezc3d 1.7.2,
/// wfdb 4.3.1, pyedflib 0.1.42): Reference/readers_reference.py wrote readers_reference.json.
///
/// Tolerance: every probed sample and each channel's mean within 1e-5 of the channel's largest
/// magnitude (MyoShell stores Float32, about 6e-8 relative; the references are float64), rates to
/// 1e-9 relative, event times to 1 us.
@Suite struct ReaderReferenceTests {
    static let referenceFolder = TestEnvironment.repositoryRoot + "/Tests/MyoFormatsTests/Reference"

    static func reference() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: referenceFolder + "/readers_reference.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: [String: Any]]
    }

    func check(_ path: String, _ expected: [String: Any], fs: Double? = nil) throws {
        guard case .recording(let recording) = try RecordingLoader.load(path: path, name: "r", sampleRateHz: fs).object else {
            Issue.record("\(path) did not load as a recording"); return
        }
        let channels = expected["channels"] as! [[String: Any]]
        #expect(recording.channels.count == channels.count, "\(path): channel count")
        for (channel, reference) in zip(recording.channels, channels) {
            let where_ = "\(path) \(reference["name"] as! String)"
            // An unlabelled analog channel is named analogN (its 1-based position) by MyoShell.
            let name = reference["name"] as! String
            let position = recording.channels.firstIndex { $0.name == channel.name }! + 1
            #expect(channel.name == (name.isEmpty ? "analog\(position)" : name), "\(where_): name")
            let unit = reference["unit"] as! String
            // Units are read through the spelling table (mv -> mV, Volt -> V); the others as the file gives them.
            #expect(channel.unit == (UnitDefinition.normalizedSymbol(unit) ?? unit), "\(where_): unit \(channel.unit) vs \(unit)")
            let rate = reference["rate"] as! Double
            #expect(abs(channel.sampleRateHz - rate) <= 1e-9 * rate, "\(where_): rate \(channel.sampleRateHz) vs \(rate)")
            #expect(channel.samples.count == reference["count"] as! Int, "\(where_): sample count")
            let tolerance = max(reference["scale"] as! Double, 1e-12) * 1e-5
            for (index, value) in zip(reference["indices"] as! [Int], reference["values"] as! [Double]) where index < channel.samples.count {
                #expect(abs(Double(channel.samples[index]) - value) <= tolerance, "\(where_)[\(index)]: \(channel.samples[index]) vs \(value)")
            }
            let finite = channel.samples.filter(\.isFinite).map(Double.init)
            let mean = finite.isEmpty ? 0 : finite.reduce(0, +) / Double(finite.count)
            #expect(abs(mean - (reference["mean"] as! Double)) <= tolerance, "\(where_): mean \(mean) vs \(reference["mean"]!)")
        }
        let times = (expected["event_times"] as! [Double])
        #expect(recording.events.count == times.count, "\(path): event count")
        for (event, time) in zip(recording.events, times) { #expect(abs(event.timeSeconds - time) <= 1e-6, "\(path): event at \(event.timeSeconds) vs \(time)") }
        if let labels = expected["event_labels"] as? [String] { #expect(recording.events.map(\.label) == labels) }
    }

    @Test(.enabled(if: TestEnvironment.hasSharedData)) func c3dFilesMatchEzc3d() throws {
        for (file, expected) in try Self.reference()["c3d"]! {
            try check(TestEnvironment.sharedData + "/" + file, expected as! [String: Any])
        }
    }

    @Test(.enabled(if: TestEnvironment.hasSharedData)) func wfdbRecordsMatchWfdbPython() throws {
        for (file, expected) in try Self.reference()["wfdb"]! {
            try check(TestEnvironment.sharedData + "/" + file, expected as! [String: Any])
            // The same record named by its signal file and by its bare record name.
            try check(TestEnvironment.sharedData + "/" + file.replacingOccurrences(of: ".hea", with: ".dat"), expected as! [String: Any])
            try check(TestEnvironment.sharedData + "/" + file.replacingOccurrences(of: ".hea", with: ""), expected as! [String: Any])
        }
    }

    @Test func edfAndBdfFixturesMatchPyedflib() throws {
        for (file, expected) in try Self.reference()["edf"]! {
            try check(Self.referenceFolder + "/" + file, expected as! [String: Any])
        }
    }
}

/// WFDB skew: each signal's frame t is stored at frame t + skew. Reference: wfdb-python 4.3.1 on a
/// fixture written by Reference/wfdb_skew_reference.py (values are multiples of 1/200 mV;
/// tolerance 1e-6 mV, float32 storage). For a skewed signal's last `skew` frames wfdb-python
/// returns NaN or 0 even though the file holds them (B: 3 NaN; C: 3 zeros, then 3 NaN); MyoShell
/// reads them from the file, so those samples are compared with the closed form the script wrote.
@Suite struct WFDBSkewTests {
    @Test func skewMatchesWfdbPython() throws {
        let reference = TestEnvironment.repositoryRoot + "/Tests/MyoFormatsTests/Reference"
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reference + "/wfdb_skew_reference.json"))) as! [String: [Any]]
        guard case .recording(let recording) = try RecordingLoader.load(path: reference + "/fixtures/skewed.hea", name: "s").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["A", "B", "C"])
        for channel in recording.channels {
            let values = try #require(expected[channel.name]).map { ($0 as? NSNumber)?.doubleValue }
            #expect(channel.samples.count == values.count, "\(channel.name)")
            // The closed form: stored value at file sample k, over the 200/mV gain; skews in samples.
            let (skew, base, step) = ["A": (0, 0.0, 2.0), "B": (3, 1000.0, 3.0), "C": (6, -500.0, 5.0)][channel.name]!
            #expect(values.prefix(values.count - skew).allSatisfy { $0 != nil })
            for (index, (a, b)) in zip(channel.samples, values).enumerated() {
                let truth = index < values.count - skew ? b! : (base + step * Double(index + skew)) / 200
                #expect(abs(Double(a) - truth) < 1e-6, "\(channel.name)[\(index)]: \(a) vs \(truth)")
            }
        }
        #expect(recording.provenance.lines.contains("  read: B skewed by 3 frames in skewed.dat: its samples start that much later in the file (applied)"))
    }
}
