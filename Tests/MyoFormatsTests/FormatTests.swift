import Foundation
import MyoCore
import MyoFormats
import MyoQuality
import MyoTestSupport
import Testing

/// Writes bytes to a fresh temporary file and loads it.
func loadBytes(_ bytes: [UInt8], name: String, fs: Double? = nil, format: RecordingFormat? = nil, markers: Bool = false) throws -> LoadResult {
    let path = TestEnvironment.temporaryFolder() + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return try RecordingLoader.load(path: path, name: "rec", format: format, sampleRateHz: fs, includeMarkers: markers)
}

func loadRecording(_ bytes: [UInt8], name: String, fs: Double? = nil, markers: Bool = false) throws -> Recording {
    guard case .recording(let recording) = try loadBytes(bytes, name: name, fs: fs, markers: markers).object else { throw MyoError.other("not a recording") }
    return recording
}

/// The error sentence with the temporary folder removed.
func loadError(_ bytes: [UInt8], name: String, fs: Double? = nil) -> String {
    do { _ = try loadBytes(bytes, name: name, fs: fs); return "no error" } catch {
        return "\(error)".replacingOccurrences(of: #"/[^ ]*/(?=[^/ ]+\b)"#, with: "", options: .regularExpression)
    }
}

@Suite struct C3DFormatTests {
    static let analogs = [
        C3DBuilder.Analog(label: "ES_L", unit: "uV", scale: 0.5, offset: 10, raw: (0..<200).map { Int16($0 * 3 - 300) }),
        C3DBuilder.Analog(label: "ES_R", unit: "uV", scale: 2, offset: -4, raw: (0..<200).map { Int16(1000 - $0 * 7) }),
    ]

    @Test(arguments: [C3DBuilder.Processor.intel, .dec, .mips], [false, true])
    func everyProcessorAndStorageReadsTheSameValues(processor: C3DBuilder.Processor, float: Bool) throws {
        let bytes = C3DBuilder.make(processor: processor, float: float, analogs: Self.analogs, genScale: 1.5)
        let recording = try loadRecording(bytes, name: "t.c3d", markers: true)
        #expect(recording.channels.map(\.name) == ["ES_L", "ES_R", "M1_X", "M1_Y", "M1_Z", "M2_X", "M2_Y", "M2_Z"])
        #expect(recording.channels[0].sampleRateHz == 1000)      // 100 Hz x 10 analog samples per frame
        #expect(recording.channels[2].sampleRateHz == 100)
        #expect(recording.channels[0].unit == "uV")
        #expect(recording.channels[2].unit == "mm")
        for (channel, analog) in zip(recording.channels, Self.analogs) {
            let expected = analog.raw.map { Float((Double($0) - Double(analog.offset)) * Double(analog.scale) * 1.5) }
            #expect(channel.samples == expected)
        }
        #expect(recording.channels[2].samples[7] == 7)      // marker x = frame number
        #expect(recording.events.map(\.label) == ["Left Foot Strike", "Right Foot Off"])
        #expect(zip(recording.events.map(\.timeSeconds), [0.05, 0.125]).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func markersAreSkippedUnlessAsked() throws {
        let recording = try loadRecording(C3DBuilder.make(processor: .intel, float: false, analogs: Self.analogs), name: "t.c3d")
        #expect(recording.channels.map(\.name) == ["ES_L", "ES_R"])
    }

    @Test func truncatedAndMalformedFilesGiveOneSentence() {
        let good = C3DBuilder.make(processor: .intel, float: false, analogs: Self.analogs)
        #expect(loadError(Array(good.prefix(3 * 512 + 8)), name: "tiny.c3d") == "tiny.c3d at byte 1544: expected 20 frames of 56 bytes from byte 1536, found no complete frame (the file is truncated)")
        var badProcessor = good
        badProcessor[512 + 3] = 99
        #expect(loadError(badProcessor, name: "p.c3d") == "p.c3d at byte 0: expected a known format (csv, c3d, edf, bdf, wfdb, xdf, opensignals, biosppy, biometrics, delsys, noraxon, shimmer, json, text), found an unrecognised file; name the format with format=")
        var badType = good
        let used = (512..<1536).first { Array(good[$0..<$0 + 4]) == Array("USED".utf8) }!
        badType[used + 4 + 2] = 7       // POINT:USED's type byte, after the name and the offset word
        #expect(loadError(badType, name: "t.c3d") == "t.c3d at byte \(used + 6): expected a parameter type of -1, 1, 2 or 4 for USED, found 7")
    }

    @Test func truncatedDataLoadsCompleteFramesWithAWarning() throws {
        let good = C3DBuilder.make(processor: .intel, float: false, analogs: Self.analogs)
        let frameSize = (2 * 4 + 2 * 10) * 2
        let result = try loadBytes(Array(good.prefix(3 * 512 + 5 * frameSize + 3)), name: "cut.c3d")
        guard case .recording(let recording) = result.object else { Issue.record("not a recording"); return }
        #expect(recording.channels[0].samples.count == 50)
        #expect(result.warnings.contains { $0.hasSuffix("cut.c3d is truncated: the header announces 20 frames but only 5 are complete; the first 5 were loaded") })
    }

    /// The reader keeps the corrupt channel as it is; the load screen the shell runs flags it.
    @Test(.enabled(if: TestEnvironment.hasSharedData)) func corruptSampleIsFlagged() throws {
        let path = TestEnvironment.sharedData + "/c3dorg-emg-samples/sample32_vicon_zerowire_CORRUPT_EMG.c3d"
        guard case .recording(var recording) = try RecordingLoader.load(path: path, name: "bad").object else { Issue.record("not a recording"); return }
        let warning = LoadScreen.apply(to: &recording, path: path)
        #expect(warning.map { $0.contains("EMG 8 sits at its extremes") && $0.contains("saturated or corrupt") } == true, "\(warning ?? "no warning")")
        #expect(recording.badChannels["EMG 8"] != nil)
    }
}

@Suite struct WFDBFormatTests {
    /// Two signals, the second at twice the frame rate, in each format.
    @Test(arguments: [16, 24, 32, 80, 212])
    func formatsDecodeWithGainBaselineAndSamplesPerFrame(format: Int) throws {
        let folder = TestEnvironment.temporaryFolder()
        let frames = 50
        let range = format == 80 ? 100 : format == 212 ? 2000 : 30000
        let a = (0..<frames).map { ($0 * 37) % (2 * range) - range }
        let b = (0..<2 * frames).map { range - ($0 * 53) % (2 * range) }
        var interleaved: [Int] = []
        for frame in 0..<frames { interleaved += [a[frame], b[2 * frame], b[2 * frame + 1]] }
        try Data(WFDBBuilder.encode(interleaved, format: format)).write(to: URL(fileURLWithPath: folder + "/r.dat"))
        let header = """
        r 2 500 \(frames)
        r.dat \(format) 200(10)/mV 12 0 \(a[0]) 0 0 ES_L
        r.dat \(format)x2 1000/uV 12 0 \(b[0]) 0 0 ES R
        # a comment
        """
        try header.write(toFile: folder + "/r.hea", atomically: true, encoding: .utf8)
        guard case .recording(let recording) = try RecordingLoader.load(path: folder + "/r", name: "r").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["ES_L", "ES R"])
        #expect(recording.channels.map(\.unit) == ["mV", "uV"])
        #expect(recording.channels.map(\.sampleRateHz) == [500, 1000])
        #expect(recording.channels[0].samples == a.map { Float((Double($0) - 10) / 200) })
        #expect(recording.channels[1].samples == b.map { Float(Double($0) / 1000) })
    }

    @Test func errorsNameTheLineOrByte() throws {
        let folder = TestEnvironment.temporaryFolder()
        try Data(WFDBBuilder.encode([1, 2, 3], format: 16)).write(to: URL(fileURLWithPath: folder + "/r.dat"))
        func failure(_ header: String) -> String {
            try? header.write(toFile: folder + "/r.hea", atomically: true, encoding: .utf8)
            do { _ = try RecordingLoader.load(path: folder + "/r.hea", name: "r"); return "no error" } catch {
                return "\(error)".replacingOccurrences(of: folder + "/", with: "")
            }
        }
        #expect(failure("r 1 500 10\nr.dat 16 200 12 0 0 0 0 X\n") == "r.dat at byte 6: expected 10 frames of 1 samples in format 16 (20 bytes after byte 0), found only 6 bytes (the file is truncated)")
        #expect(failure("r 1 500 3\nr.dat 99 200 12 0 0 0 0 X\n") == "r.hea:2, column 2: expected a signal format (8, 16, 24, 32, 61, 80, 160, 212), found '99'")
        #expect(failure("r/2 1 500 3\n") == "r.hea:1: expected a single-segment record, found a multi-segment record 'r/2' (load its segments one by one)")
        #expect(failure("r 2 500 3\nr.dat 16 200 12 0 0 0 0 X\n") == "r.hea:3: expected 2 signal lines, found 1")
        #expect(failure("r 1 0 3\nr.dat 16 200 12 0 0 0 0 X\n") == "r.hea:1, column 3: expected a positive sampling frequency, found '0'")
        #expect(failure("r 1 500 3\nr.dat 16 200 12 0 1 99 0 X\n").hasPrefix("no error"))
    }
}

@Suite struct EDFFormatTests {
    static func channels() -> [Channel] {
        [
            Channel(name: "ES_L", unit: "mV", sampleRateHz: 2000, samples: (0..<8000).map { Float(1.2 * sin(Double($0) * 0.07)) }),
            Channel(name: "ES_R", unit: "uV", sampleRateHz: 2000, samples: (0..<8000).map { Float(300 * cos(Double($0) * 0.011) + 40) }),
            Channel(name: "ACC_X", unit: "g", sampleRateHz: 100, samples: (0..<400).map { Float(0.5 * sin(Double($0) * 0.1)) }),
        ]
    }

    @Test func roundTripKeepsNamesRatesEventsAndValuesWithinHalfAStep() throws {
        let path = TestEnvironment.temporaryFolder() + "/out.edf"
        let events = [Event(timeSeconds: 0.5, label: "hold start"), Event(timeSeconds: 3.25, label: "hold end")]
        let warnings = try EDFWriter.write(Self.channels(), events: events, to: path)
        #expect(warnings.isEmpty)
        guard case .recording(let back) = try RecordingLoader.load(path: path, name: "back").object else { Issue.record("not a recording"); return }
        #expect(back.channels.map(\.name) == ["ES_L", "ES_R", "ACC_X"])
        #expect(back.channels.map(\.unit) == ["mV", "uV", "g"])
        #expect(back.channels.map(\.sampleRateHz) == [2000, 2000, 100])
        #expect(back.events == events)
        for (original, read) in zip(Self.channels(), back.channels) {
            let low = Double(original.samples.min()!), high = Double(original.samples.max()!)
            let halfStep = (high - low) / 65535 / 2 * 1.01 + 1e-6 * max(abs(low), abs(high))
            #expect(read.samples.count == original.samples.count)
            let worst = zip(original.samples, read.samples).map { abs(Double($0) - Double($1)) }.max()!
            #expect(worst <= halfStep, "\(original.name): worst error \(worst) > \(halfStep)")
        }
    }

    @Test func ratesWithoutACommonRecordAreRefused() {
        let odd = [Channel(name: "EMG", unit: "mV", sampleRateHz: 1259.2593, samples: [1, 2, 3])]
        #expect(throws: MyoError.self) { try EDFWriter.write(odd, events: [], to: TestEnvironment.temporaryFolder() + "/x.edf") }
    }

    static func edfFile(duration: String = "1", records: String = "2", headerBytes: String = "768", reserved: String = "EDF+C", annotations: [String]? = nil, dataRecords: Int = 2,
                        label: String = "EMG", transducer: String = "") -> [UInt8] {
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: n - s.utf8.count) }
        var header = pad("0", 8) + pad("X X X X", 80) + pad("Startdate X", 80) + "01.01.8500.00.00" + pad(headerBytes, 8) + pad(reserved, 44)
        header += pad(records, 8) + pad(duration, 8) + pad("2", 4)
        header += pad(label, 16) + pad("EDF Annotations", 16) + pad(transducer, 80) + pad("", 80) + pad("mV", 8) + pad("", 8)
        header += pad("-1", 8) + pad("-1", 8) + pad("1", 8) + pad("1", 8) + pad("-32768", 8) + pad("-32768", 8) + pad("32767", 8) + pad("32767", 8)
        header += pad("", 160) + pad("4", 8) + pad("8", 8) + pad("", 64)
        var bytes = Array(header.utf8)
        for record in 0..<dataRecords {
            bytes += [0, 0, 0xFF, 0x7F, 0, 0x80, 0, 0]
            let tal = annotations?[record] ?? "+\(record)\u{14}\u{14}\u{0}"
            bytes += Array(tal.utf8) + [UInt8](repeating: 0, count: 16 - tal.utf8.count)
        }
        return bytes
    }

    @Test func scalingAnnotationsAndRates() throws {
        let recording = try loadRecording(Self.edfFile(annotations: ["+0\u{14}\u{14}\u{0}+0.5\u{14}go\u{14}\u{0}", "+1\u{14}\u{14}\u{0}"]), name: "s.edf")
        #expect(recording.channels[0].sampleRateHz == 4)
        #expect(recording.channels[0].samples.prefix(4) == [Float(1.0 / 65535), 1, -1, Float(1.0 / 65535)])
        #expect(recording.events == [Event(timeSeconds: 0.5, label: "go")])
    }

    /// The transducer type decides what a signal is when it says so: an ECG lead in mV is not EMG,
    /// whatever its label; without one the unit and label decide as before.
    @Test func transducerTypeDecidesTheKind() throws {
        #expect(try loadRecording(Self.edfFile(), name: "a.edf").channels[0].kind == .emg)
        #expect(try loadRecording(Self.edfFile(label: "Lead II", transducer: "ECG electrode"), name: "b.edf").channels[0].kind == .other)
        #expect(try loadRecording(Self.edfFile(label: "Chin", transducer: "AgAgCl EMG electrode"), name: "c.edf").channels[0].kind == .emg)
        #expect(try loadRecording(Self.edfFile(label: "EEG C3", transducer: "AgAgCl electrode"), name: "d.edf").channels[0].kind == .other)
    }

    @Test func malformedEDFGivesOneSentence() {
        #expect(loadError(Array(Self.edfFile().dropLast(10)), name: "t.edf") == "t.edf at byte 806: expected 2 data records of 24 bytes (816 bytes in all), found a file of 806 bytes (it is truncated)")
        #expect(loadError(Self.edfFile(headerBytes: "700"), name: "h.edf") == "h.edf at byte 184: expected a header of 256 x (1 + 2 signals) = 768 bytes, found 700")
        #expect(loadError(Self.edfFile(duration: "abc"), name: "d.edf") == "d.edf at byte 244: expected a number for the data record duration, found 'abc'")
        #expect(loadError(Self.edfFile(duration: "0"), name: "z.edf") == "z.edf at byte 244: expected a positive data record duration in s, found 0")
        let gap = Self.edfFile(reserved: "EDF+D", annotations: ["+0\u{14}\u{14}\u{0}", "+5\u{14}\u{14}\u{0}"])
        #expect(loadError(gap, name: "g.edf") == "g.edf at byte 792: expected contiguous data records (EDF+D is loaded only when it has no gaps), found record 2 starting at 5 s instead of 1 s")
        #expect(loadError(Self.edfFile(reserved: "EDF+D"), name: "c.edf") == "no error")
    }
}

@Suite struct VendorTextTests {
    func write(_ text: String, _ name: String) throws -> String {
        let path = TestEnvironment.temporaryFolder() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A headerless time-value text with one sample missing at line 15001 of 20000: the error
    /// names that line (the mean step over the whole file once put it near line 350) and calls
    /// the step a step and the time a time.
    @Test func irregularTimeNamesTheLineWhereItBreaks() throws {
        var text = ""
        for i in 0..<20000 where i != 15000 { text += "\(NumberFormat.significant(Double(i) * 0.00025, digits: 6)) \(i % 5)\n" }
        let path = try write(text, "gap.txt")
        #expect(throws: MyoError.badLine(file: path, line: 15001, column: "1", expected: "a time of about 3.75 s (one step of 0.00025 s after 3.74975 s)",
                                         found: "3.75025 s, a step of 0.0005 s (samples missing; give fs= to use the sample index instead)")) {
            try RecordingLoader.load(path: path, name: "g")
        }
    }

    @Test(.enabled(if: TestEnvironment.hasSharedData)) func physioNetTextBreaksWhereASampleIsMissing() throws {
        let path = TestEnvironment.sharedData + "/physionet-emgdb/emg_myopathy.txt"
        do { _ = try RecordingLoader.load(path: path, name: "m"); Issue.record("loaded") } catch let error as MyoError {
            // numpy: the first step of the time column other than 0.25 ms is from 5.51075 to 5.51125 s, at line 22044.
            #expect(error.description.hasPrefix(path + ":22044, column 1: expected a time of about 5.511 s"), "\(error)")
        }
    }

    /// A Shimmer Consensys export (Consensys "Export" as CSV, tab-separated: sep= line, names,
    /// CAL/RAW, units): 512 Hz from the Unix timestamps in ms, calibrated columns only, names
    /// without the Shimmer_XXXX_ prefix and _CAL suffix, m/(s^2) read as m/s^2.
    @Test func shimmerConsensysExport() throws {
        var text = "\"sep=\t\"\nShimmer_8A7E_Timestamp_Unix_CAL\tShimmer_8A7E_EMG_CH1_24BIT_CAL\tShimmer_8A7E_EMG_CH1_24BIT_RAW\tShimmer_8A7E_Accel_LN_X_CAL\n"
        text += "CAL\tCAL\tRAW\tCAL\nms\tmV\tno units\tm/(s^2)\n"
        for row in 0..<1024 { text += "\(1_700_000_000_000 + Double(row) * 1000 / 512)\t\(Double(row % 10) * 0.01)\t\(row)\t9.81\n" }
        guard case .recording(let recording) = try RecordingLoader.load(path: try write(text, "shimmer.csv"), name: "s").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["EMG_CH1_24BIT", "Accel_LN_X"])
        #expect(recording.channels.map(\.unit) == ["mV", "m/s^2"] && recording.channels.map(\.kind) == [.emg, .acceleration])
        #expect(abs(recording.channels[0].sampleRateHz - 512) < 1e-6 && recording.channels[0].samples.count == 1024)
        #expect(abs(Double(recording.channels[0].samples[3]) - 0.03) < 1e-7)
    }

    /// BioSPPy text that declares its units keeps them (it was labelled adu).
    @Test func bioSPPyDeclaredUnits() throws {
        let text = "# Simple Text Format\n# Sampling Rate (Hz):= 100.00\n# Resolution:= 16\n# Labels:= ACC_X EMG\n# Units:= m/s^2 mV\n"
            + (0..<50).map { "\(9.81 + Double($0) * 0.01)\t\(Double($0) * 0.001)" }.joined(separator: "\n") + "\n"
        guard case .recording(let recording) = try RecordingLoader.load(path: try write(text, "bio.txt"), name: "b").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.unit) == ["m/s^2", "mV"])
        #expect(recording.channels.map(\.kind) == [.acceleration, .emg])
    }

    /// A BITalino OpenSignals export: nSeq, the digital ports I1 I2 O1 O2, then the analog A1 A2;
    /// only the analog channels (the header's labels) are signals.
    @Test func openSignalsDigitalPortsAreNotChannels() throws {
        var text = """
        # OpenSignals Text File Format
        # {"98:D3:31:B2:11:2A": {"sensor": ["EMG", "ACC"], "device name": "98:D3:31:B2:11:2A", "column": ["nSeq", "I1", "I2", "O1", "O2", "A1", "A2"], "sync interval": 2, "time": "10:00:00.000", "comments": "", "device connection": "BTH98:D3:31:B2:11:2A", "channels": [1, 2], "date": "2026-1-1", "mode": 0, "digital IO": [0, 0, 1, 1], "firmware version": 52, "device": "bitalino_rev", "position": 0, "sampling rate": 1000, "label": ["A1", "A2"], "resolution": [4, 1, 1, 1, 1, 10, 10], "special": [{}, {}]}}
        # EndOfHeader

        """
        for row in 0..<3000 { text += "\(row % 16)\t1\t1\t0\t0\t\(512 + (row % 7) - 3)\t\(500 + row % 3)\n" }
        guard case .recording(let recording) = try RecordingLoader.load(path: try write(text, "bitalino.txt"), name: "o").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["A1", "A2"])
        #expect(recording.channels.map(\.unit) == ["mV", "adu"])
        // A1 is EMG at 10 bits (the resolution of its column, not of nSeq): 512 counts is 0 mV,
        // one count 3.3 V / 1024 / 1009 = 3.19 uV.
        let a1 = recording.channels[0].samples
        #expect(abs(Double(a1[3]) - 0) < 1e-6 && abs(Double(a1[4]) - 3.3 / 1024 / 1009 * 1000) < 1e-6, "\(a1.prefix(5))")
    }

    /// Voltage channels that are not EMG, by their EDF+ signal-type prefix or device name.
    @Test func otherBiopotentialsAreNotEMG() {
        for name in ["EEG Fpz-Cz", "ECG", "EKG II", "EOG left", "Resp chest", "ECG_1"] { #expect(ChannelKind.classify(name: name, unit: "uV") == .other, "\(name)") }
        for name in ["ES_L", "EMG Chin", "ECGX_muscle", "Eccentric_VL", "EEGs"] { #expect(ChannelKind.classify(name: name, unit: "mV") == .emg, "\(name)") }
    }

    /// EMGworks-style export with a `Label: ... Sampling frequency: ... Unit: ...` preamble, as
    /// the public Trigno sample of the emgio project has it (Mini sensors, EMG in V at 1259.259 Hz,
    /// ACC in g and GYRO in degree/s at 148.1481 Hz, quoted labels, a time column before each
    /// channel, and fewer points than the preamble declares because the file was cut): the
    /// preamble gives the units and exact rates, and the cut is reported.
    @Test func delsysEMGworksPreambleGivesUnitsAndRates() throws {
        var text = ""
        for (label, rate, unit) in [("Mini sensor 10: EMG 10", "1.259259e+003", "V"), ("Mini sensor 10: ACC.X 10", "1.481481e+002", "g"), ("Mini sensor 10: GYRO.X 10", "1.481481e+002", "\u{B0}/s")] {
            text += "Label: \(label) Sampling frequency: \(rate) Number of points: 81141 start: 0.000000e+000 Unit: \(unit) Domain Unit: s\n"
        }
        text += "Start Trigger Method: None\nStop Trigger Method: None\n\n"
        text += "X[s],\"Mini sensor 10: EMG 10\",X[s],\"Mini sensor 10: ACC.X 10\",X[s],\"Mini sensor 10: GYRO.X 10\"\n"
        for k in 0..<40 {
            let emg = "\(Double(k) / 1259.259),\(1e-4 * Double(k % 7))"
            let imu = k < 5 ? ",\(Double(k) / 148.1481),\(0.1 * Double(k)),\(Double(k) / 148.1481),\(2.5 * Double(k))" : ",,,,"
            text += emg + imu + "\n"
        }
        let path = try write(text, "emgworks.csv")
        let result = try RecordingLoader.load(path: path, name: "w")
        guard case .recording(let recording) = result.object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.unit) == ["V", "g", "deg/s"])
        #expect(recording.channels.map(\.kind) == [.emg, .acceleration, .angularVelocity])
        #expect(recording.channels.map(\.sampleRateHz) == [1259.259, 148.1481, 148.1481])
        #expect(recording.channels.map(\.samples.count) == [40, 5, 5])
        #expect(result.warnings.first == "\(path): Mini sensor 10: EMG 10 holds 40 of the 81141 points its preamble declares (an export cut short?)", "\(result.warnings)")
    }

    /// Trigno Discover export without time columns (as some software versions write it): sensor
    /// row, sensor-mode row, channel row `EMG 1 (mV)`, a rate row (`1925.9259 Hz`), then data;
    /// the accelerometer's column ends earlier (its lower rate).
    @Test func delsysTrignoDiscoverWithoutTimeColumns() throws {
        var text = """
        Application:,Trigno Discover (2.0.1.1)
        Date/Time:,02/03/2026 09:00:00

        Trigno Avanti Sensor 1 (81231),,Trigno Avanti Sensor 2 (81232)
        sensor mode: EMG plus ACC,,sensor mode: EMG
        EMG 1 (mV),ACC X (G),EMG 1 (mV)
        1925.9259 Hz,148.1481 Hz,1925.9259 Hz

        """
        for row in 0..<26 { text += "\(Double(row) * 0.01),\(row < 2 ? "\(0.5 * Double(row + 1))" : ""),\(-Double(row) * 0.02)\n" }
        let path = try write(text, "discover-notime.csv")
        guard case .recording(let recording) = try RecordingLoader.load(path: path, name: "d").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["Trigno Avanti Sensor 1: EMG 1", "Trigno Avanti Sensor 1: ACC X", "Trigno Avanti Sensor 2: EMG 1"])
        #expect(recording.channels.map(\.unit) == ["mV", "g", "mV"])
        #expect(recording.channels.map(\.sampleRateHz) == [1925.9259, 148.1481, 1925.9259])
        #expect(recording.channels.map(\.samples.count) == [26, 2, 26] && recording.channels[2].samples[3] == -0.06)
    }

    /// Layout of a Trigno Discover export (Delsys Trigno Discover user guide, "Exporting data to
    /// CSV": a preamble of application, date and collection length, a row of sensor names, a row of
    /// sensor modes, the channel row with a "Time Series (s)" column before each channel, a row of
    /// sampling rates and a row of sample periods).
    @Test func delsysTrignoDiscoverExport() throws {
        var text = """
        Application:,Trigno Discover (2.1.0.7)
        Date/Time:,01/01/2026 10:00:00
        Collection Length (seconds):,0.008

        Avanti Sensor 1 (75923),,,,Avanti Sensor 2 (75924),
        sensor mode: 65,,,,sensor mode: 40,
        EMG 1 Time Series (s),EMG 1 (mV),ACC X Time Series (s),ACC X (G),EMG 1 Time Series (s),EMG 1 (mV)
        ,1000 Hz,,250 Hz,,1000 Hz
        ,0.001 s,,0.004 s,,0.001 s

        """
        for row in 0..<8 {
            let t = Double(row) * 0.001
            let acc = row < 2 ? "\(Double(row) * 0.004),\(0.25 * Double(row + 1))" : ","
            text += "\(t),\(Double(row) * 0.1),\(acc),\(t),\(-Double(row))\n"
        }
        guard case .recording(let recording) = try RecordingLoader.load(path: try write(text, "trigno.csv"), name: "t").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["Avanti Sensor 1: EMG 1", "Avanti Sensor 1: ACC X", "Avanti Sensor 2: EMG 1"])
        #expect(recording.channels.map(\.unit) == ["mV", "g", "mV"])
        #expect(recording.channels.map(\.sampleRateHz) == [1000, 250, 1000])
        #expect(recording.channels[1].samples == [0.25, 0.5])
        #expect(recording.channels[2].samples.last == -7)
        #expect(recording.channels[1].kind == .acceleration)
    }

    /// Layout of an EMGworks / Trigno converter export: X[s] before every channel, "LABEL: CHANNEL".
    @Test func delsysEMGworksExportInfersRatesFromTimeColumns() throws {
        let text = "X[s],R ERECTOR SPINAE: EMG 1,X[s],R ERECTOR SPINAE: ACC X 1\n0,0.1,0,1\n0.0005,0.2,0.00675,2\n0.001,0.3,,\n"
        guard case .recording(let recording) = try RecordingLoader.load(path: try write(text, "emgworks.csv"), name: "t").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["R ERECTOR SPINAE: EMG 1", "R ERECTOR SPINAE: ACC X 1"])
        #expect(recording.channels[0].sampleRateHz == 2000)
        #expect(abs(recording.channels[1].sampleRateHz - 148.148148) < 1e-4)
    }

    /// A Noraxon myoRESEARCH 4.x CSV export: a preamble of record and type rows, semicolons,
    /// decimal commas, and text in the Activity column, whose changes become events.
    @Test func noraxonMyoResearchExport() throws {
        var text = "Record;Trial 1 (myoRESEARCH 4.0)\nType;EMG\ntime;LT LUMBAR ES. (uV);RT LUMBAR ES. (uV);Activity\n"
        for row in 0..<4000 {
            let activity = row < 2000 ? "Standing" : "Lifting"
            text += "\(String(Double(row) * 0.0005).replacingOccurrences(of: ".", with: ","));\(row % 7),5;-\(row % 3),25;\(activity)\n"
        }
        let path = try write(text, "myoresearch.csv")
        guard case .recording(let recording) = try RecordingLoader.load(path: path, name: "n").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["LT LUMBAR ES.", "RT LUMBAR ES."] && recording.channels.map(\.unit) == ["uV", "uV"])
        #expect(abs(recording.channels[0].sampleRateHz - 2000) < 1e-6 && recording.channels[0].samples.count == 4000)
        #expect(recording.channels[0].samples[3] == 3.5 && recording.channels[1].samples[2] == -2.25)
        #expect(recording.events.map(\.label) == ["activity: Standing", "activity: Lifting"] && abs(recording.events[1].timeSeconds - 1) < 1e-9)
    }

    /// Layout of a Noraxon MR3 CSV export (MR3 "Export > CSV": a line with the record name, then
    /// `time,Activity,Marker,` and one `NAME (unit)` column per sensor).
    @Test func noraxonMR3Export() throws {
        let text = "Noraxon MR3 export: trial 1\ntime,Activity,Marker,LT LUMBAR ES (uV),RT LUMBAR ES (uV)\n0,0,0,10,12\n0.0005,0,1,11,13\n0.001,0,1,12,14\n0.0015,0,0,13,15\n"
        guard case .recording(let recording) = try RecordingLoader.load(path: try write(text, "noraxon.csv"), name: "n").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["LT LUMBAR ES", "RT LUMBAR ES"])
        #expect(recording.channels.map(\.unit) == ["uV", "uV"])
        #expect(recording.channels[0].sampleRateHz == 2000)
        #expect(recording.events == [Event(timeSeconds: 0.0005, label: "marker")])
    }

    @Test func biometricsJunkLinesAreCountedAndRateIsRequired() throws {
        let header = "File Name: x.log\r\nChannel 1: 'RF', 3 values, engineering units: mV, no filters.\r\nChannel 2: 'FX', 3 values, engineering units: deg, no filters.\r\n\r\n"
        let path = try write(header + "0.1\t5\r\n0.2\t6V\r\n0.3\t7\r\n", "bio.txt")
        #expect(throws: MyoError.self) { try RecordingLoader.load(path: path, name: "b") }
        let result = try RecordingLoader.load(path: path, name: "b", sampleRateHz: 1000)
        guard case .recording(let recording) = result.object else { Issue.record("not a recording"); return }
        #expect(recording.channels[1].samples == [5, 6, 7])
        #expect(result.warnings == ["\(path): 1 line with junk after a value (the leading number was kept), first at line 6"])
    }

    @Test func openSignalsConvertsEMGWithThePluxTransferFunction() throws {
        let header = "# OpenSignals Text File Format. Version 1\n# {\"00:07\": {\"sensor\": [\"EMG\"], \"device\": \"biosignalsplux\", \"column\": [\"nSeq\", \"DI\", \"A1\"], \"sampling rate\": 1000, \"label\": [\"A1\"], \"resolution\": [16]}}\n# EndOfHeader\n"
        guard case .recording(let recording) = try RecordingLoader.load(path: try write(header + "0\t0\t32768\n1\t0\t65536\n", "os.txt"), name: "o").object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["A1"])
        #expect(recording.channels[0].unit == "mV")
        #expect(recording.channels[0].samples == [0, 1.5])   // (x / 2^16 - 0.5) x 3 V / 1000 x 1000
    }

    @Test(.enabled(if: TestEnvironment.hasSharedData)) func everySharedRecordingLoads() throws {
        let data = TestEnvironment.sharedData
        let needsRate: [String: Double] = ["1Amar.txt": 1000, "1Apie.txt": 1000, "1Asen.txt": 1000,
                                           "emg_myopathy.txt": 4000, "emg_neuropathy.txt": 4000]
        let notRecordings: Set<String> = ["PROVENANCE.md", "BDSEMG_eng.txt", "emg_bursts_info.json", "emg_fatigue_info.json",
                                          "emg_bursts.h5", "emg_fatigue.h5", "RAW_DATA.RData", "ID0012_TW_01_cycles_derived.csv"]
        for folder in try FileManager.default.contentsOfDirectory(atPath: data).sorted() {
            for file in try FileManager.default.contentsOfDirectory(atPath: data + "/" + folder).sorted() where !notRecordings.contains(file) {
                let result = try RecordingLoader.load(path: "\(data)/\(folder)/\(file)", name: "r", sampleRateHz: needsRate[file])
                guard case .recording(let recording) = result.object else { Issue.record("\(file) is not a recording"); continue }
                #expect(!recording.channels.isEmpty && recording.channels.allSatisfy { !$0.samples.isEmpty }, "\(file)")
            }
        }
        // The Biometrics "A" dialect states no rate: one sentence asks for fs=.
        #expect(throws: MyoError.self) { try RecordingLoader.load(path: data + "/uci-lower-limb-emg/1Amar.txt", name: "r") }
        // HDF5 and R data are refused with one sentence.
        #expect(throws: MyoError.self) { try RecordingLoader.load(path: data + "/plux-opensignals-fatigue/emg_fatigue.h5", name: "r") }
    }
}

@Suite struct LoadProgressTests {
    /// Loads `text` as a CSV file and returns every fraction its progress reported.
    static func fractions(loading text: String) throws -> [Double] {
        let path = TestEnvironment.temporaryFolder() + "/progress.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let seen = Locked<[Double]>([])
        _ = try RecordingLoader.load(path: path, name: "p", progress: LoadProgress { value in seen.withLock { $0.append(value) } })
        return seen.withLock { $0 }
    }

    /// The CSV reader reports its byte position every 65536 rows: at row 65536 the fraction is
    /// that row's byte offset over the file size.
    @Test func csvReaderReportsItsBytePosition() throws {
        var text = "time,A\n"
        var offsetOfRow65536 = 0
        for row in 0..<70000 {
            if row == 65536 { offsetOfRow65536 = text.utf8.count }
            text += "\(Double(row) / 1000),\(row % 7)\n"
        }
        let fractions = try Self.fractions(loading: text)
        #expect(fractions.contains(Double(offsetOfRow65536) / Double(text.utf8.count)))
        #expect(fractions.last == 1)
    }

    /// A file large enough to be parsed in several chunks at once: the fraction never goes back
    /// and ends at the whole file.
    @Test func chunksReportOneGrowingTotal() throws {
        let text = ParallelCSVTests.bigCSV(rows: 400_000).text
        #expect(text.utf8.count > 6 << 20) // three chunks or more (2 MB each at least)
        let fractions = try Self.fractions(loading: text)
        #expect(fractions.count > 4)
        #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 < $1 })
        #expect(fractions.last == 1)
    }
}
