import Foundation
import MyoCore
import MyoFormats
import MyoTestSupport
import Testing

/// The recorder `live` writes with: a valid file after every record (a killed process leaves a
/// file that loads), samples within half a quantisation step, each signal at its own rate,
/// annotations where they happened, and never over an existing file.
@Suite struct EDFRecorderTests {
    static func load(_ path: String) throws -> Recording {
        guard case .recording(let recording) = try RecordingLoader.load(path: path, name: "x").object else { throw MyoError.other("not a recording") }
        return recording
    }

    static func emg(_ k: Int) -> Float { Float(0.8 * sin(Double(k) * 0.05) + 0.1 * cos(Double(k) * 0.31)) }
    static func acc(_ k: Int) -> Float { Float(1 + 0.5 * sin(Double(k) * 0.2)) }

    @Test(arguments: [2, 3]) func recordsArriveInAnyChunksAndReadBack(bytesPerSample: Int) throws {
        let path = TestEnvironment.temporaryFolder() + (bytesPerSample == 2 ? "/rec.edf" : "/rec.bdf")
        let recorder = try EDFRecorder(path: path, signals: [
            .init(label: "ES_L", unit: "mV", sampleRateHz: 2000, range: EDFRecorder.defaultRange(unit: "mV")),
            .init(label: "ACC_Z", unit: "g", sampleRateHz: 100, range: EDFRecorder.defaultRange(unit: "g")),
        ], bytesPerSample: bytesPerSample)
        #expect(recorder.recordDuration == 0.1)
        var sentEMG = 0, sentACC = 0
        recorder.annotate(Event(timeSeconds: 0.25, label: "mark 1"))
        // Uneven chunks, the IMU lagging behind the EMG, as two inlets deliver them.
        for chunk in [1, 7, 333, 1000, 59, 600] {
            try recorder.append((sentEMG..<sentEMG + chunk).map(Self.emg), to: 0)
            sentEMG += chunk
            let due = sentEMG / 20 - 3
            if due > sentACC { try recorder.append((sentACC..<due).map(Self.acc), to: 1); sentACC = due }
            // After each chunk the file holds the whole records so far and loads.
            let partial = try Self.load(path)
            #expect(partial.channels[0].samples.count == recorder.recordsWritten * 200)
        }
        let notes = try recorder.finish()
        #expect(notes.count == 1 && notes[0].contains("unfinished"), "\(notes)")
        let back = try Self.load(path)
        #expect(back.channels.map(\.name) == ["ES_L", "ACC_Z"] && back.channels[1].sampleRateHz == 100)
        // 2000 EMG samples and 97 IMU samples sent: 9 whole records of 0.1 s.
        #expect(back.channels[0].samples.count == 1800 && back.channels[1].samples.count == 90)
        // Half a step of 20 mV over 65535 (EDF) or 16777215 (BDF) levels, plus float32 rounding.
        let step = 20.0 / (bytesPerSample == 2 ? 65535 : 16_777_215)
        let worst = back.channels[0].samples.indices.map { abs(Double(back.channels[0].samples[$0]) - Double(Self.emg($0))) }.max() ?? 1
        #expect(worst <= step / 2 + 1e-7, "worst \(worst) mV, step \(step) mV")
        let worstACC = back.channels[1].samples.indices.map { abs(Double(back.channels[1].samples[$0]) - Double(Self.acc($0))) }.max() ?? 1
        #expect(worstACC <= 32.0 / (bytesPerSample == 2 ? 65535 : 16_777_215) / 2 + 1e-6)
        #expect(back.events.contains(Event(timeSeconds: 0.25, label: "mark 1")))
        #expect(throws: MyoError.self) { try EDFRecorder(path: path, signals: [.init(label: "A", unit: "mV", sampleRateHz: 10, range: (-1, 1))]) }
    }

    @Test func valuesBeyondTheRangeAreClippedAndCounted() throws {
        let path = TestEnvironment.temporaryFolder() + "/clip.edf"
        let recorder = try EDFRecorder(path: path, signals: [.init(label: "X", unit: "mV", sampleRateHz: 10, range: (-1, 1))])
        try recorder.append([0, 0.5, 3, -7, 1, 0, 0, 0, 0, 0], to: 0)
        let notes = try recorder.finish()
        #expect(notes == ["X: 2 samples beyond the recorded range -1..1 mV were written at its limit"])
        let back = try Self.load(path)
        #expect(back.channels[0].samples[2] == 1 && back.channels[0].samples[3] == -1)
    }
}
