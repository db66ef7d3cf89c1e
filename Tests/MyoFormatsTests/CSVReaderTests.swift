import Foundation
import MyoCore
import MyoFormats
import MyoTestSupport
import Testing

/// Loads CSV text written to a temporary file.
func loadCSV(_ text: String, fs: Double? = nil, name: String = "bad.csv") throws -> LoadResult {
    let folder = TestEnvironment.temporaryFolder()
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return try RecordingLoader.load(path: path, name: "rec", sampleRateHz: fs)
}

/// Reads `text` as a CSV named `name` with the given build of the fast path.
func readCSV(_ text: String, fs: Double? = nil, name: String = "bad.csv", kernel: CSVKernel) throws -> LoadResult {
    var reader = CSVReader(displayPath: name, sampleRateHz: fs)
    reader.kernel = kernel
    return try Array(text.utf8).withUnsafeBufferPointer { try reader.read($0, name: "rec", provenance: Provenance(sourceFile: name)) }
}

func message(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch { return "\(error)".replacingOccurrences(of: #"^.*/bad\.csv"#, with: "bad.csv", options: .regularExpression) }
}

@Suite struct CSVReaderTests {
    @Test func readsUnitsRateAndMultiRateColumns() throws {
        let text = "\u{FEFF}# a comment\ntime (s),ES_L (mV),ES_R[uV],ACC_X (g)\n0.000,1,2,0.5\n0.001,3,4,\n0.002,5,6,0.7\n0.003,7,8,\n"
        guard case .recording(let recording) = try loadCSV(text).object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == ["ES_L", "ES_R", "ACC_X"])
        #expect(recording.channels.map(\.unit) == ["mV", "uV", "g"])
        #expect(recording.channels.map(\.sampleRateHz) == [1000, 1000, 500])
        #expect(recording.channels[2].samples == [0.5, 0.7])
        #expect(recording.summary == "2 channels x 0.0 s @ 1000 Hz (ES_L [mV] ES_R [uV]), 1 IMU channel @ 500 Hz")
    }

    @Test func semicolonsTabsAndDecimalCommas() throws {
        guard case .recording(let a) = try loadCSV("t;A\n0;1,5\n0,5;2,5\n").object else { Issue.record("not a recording"); return }
        #expect(a.channels[0].samples == [1.5, 2.5])
        #expect(a.channels[0].sampleRateHz == 2)
        guard case .recording(let b) = try loadCSV("time_ms\tA\n0\t1\n2\t2\n").object else { Issue.record("not a recording"); return }
        #expect(b.channels[0].sampleRateHz == 500)
    }

    @Test func fsWithoutTimeColumnAndTableFallback() throws {
        guard case .recording(let a) = try loadCSV("A,B\n1,2\n3,4\n", fs: 2000).object else { Issue.record("not a recording"); return }
        #expect(a.channels[1].samples == [2, 4])
        #expect(a.channels[0].sampleRateHz == 2000)
        let result = try loadCSV("V1,V2\n1.5,2\n3,4\n")
        guard case .table(let table) = result.object else { Issue.record("not a table"); return }
        #expect(table.rows.count == 2)
        #expect(result.warnings.count == 1)
    }

    static let malformed: [(String, String)] = [
        ("time,A\n0,1\n0.001,x\n", "bad.csv:3, column A: expected a number, found 'x'"),
        ("time,A\n0,1\n0.001\n", "bad.csv:3: expected 2 cells as in the header, found 1"),
        ("time,A\n0,1\n0.001,1,2\n", "bad.csv:3: expected 2 cells as in the header, found 3"),
        ("time,A\n0,1\n0.002,1\n0.001,1\n", "bad.csv:4, column time: expected a time after 0.002, found 0.001 (time must increase)"),
        ("time,A\n0,1\n0.001,1\n0.0025,1\n0.003,1\n", "bad.csv:4, column time: expected a time of about 0.002 (uniform steps of 0.001 s from the first row), found 0.0025 (irregular time; resample it first or give fs=)"),
        ("time,A\n0,1\n", "bad.csv:2, column time: expected at least two rows to infer the sample rate (or give fs=), found one row"),
        ("time,A\n", "bad.csv:1: expected data rows after the header, found none"),
        ("# nothing\n", "bad.csv:1: expected a header row, found no rows"),
        ("time,A,B\n0,1,2\n0.001,1,\n0.002,1,3\n0.003,1,4\n", "bad.csv:5, column B: expected an empty cell (this column is filled every 2 rows), found a value"),
        ("time,A,B\n0,1,\n0.001,1,2\n", "bad.csv:2, column B: expected a value in the first row, found an empty cell"),
        ("time,A\n0,1\n,1\n", "bad.csv:3, column time: expected a time value, found an empty cell"),
        ("time,A\n0,nan\n0.001,1\n", "bad.csv:2, column A: expected a number, found 'nan'"),
        // Cells that look almost plain, in a group of the fast path and alone (rows follow them:
        // the fast path leaves the last bytes of a file to the general one).
        ("time,A,B\n0,1,2\n0.001,-,2\n0.002,1,2\n0.003,1,2\n0.004,1,2\n", "bad.csv:3, column A: expected a number, found '-'"),
        ("time,A,B\n0,1,2\n0.001,1,.\n0.002,1,2\n0.003,1,2\n0.004,1,2\n", "bad.csv:3, column B: expected a number, found '.'"),
        ("time,A,B\n0,1,2\n0.001,-.,2\n0.002,1,2\n0.003,1,2\n0.004,1,2\n", "bad.csv:3, column A: expected a number, found '-.'"),
        ("time,A,B\n0,1,2\n0.001,1,1.2.3\n0.002,1,2\n0.003,1,2\n0.004,1,2\n", "bad.csv:3, column B: expected a number, found '1.2.3'"),
        ("time,A,B,C\n0,1,2,3\n0.001,1,2,4-5\n0.002,1,2,3\n0.003,1,2,3\n0.004,1,2,3\n", "bad.csv:3, column C: expected a number, found '4-5'"),
        ("time,,B\n0,1,2\n", "bad.csv:1, column 2: expected a column name, found an empty header cell"),
        ("time\n0\n0.001\n", "bad.csv:1: expected at least one signal column besides time, found only a time column"),
    ]

    @Test(arguments: malformed)
    func malformedFilesGiveOneSentence(_ text: String, _ expected: String) {
        #expect(message { _ = try loadCSV(text) } == expected)
    }

    /// A quoted header cell holding more of another delimiter than the file's own does not decide
    /// the delimiter (plain counts did): the one
    /// whose count (outside quotes) agrees between the header and the rows does.
    @Test(arguments: [(",", "\"a; b; c; d (mV)\""), (";", "\"a, b, c, d (mV)\""), ("\t", "\"a; b; c, d, e (mV)\"")])
    func quotedHeaderCellsKeepTheDelimiter(_ delimiter: String, _ cell: String) throws {
        let text = ["time (s)", cell, "B (mV)"].joined(separator: delimiter) + "\n"
            + (0..<4).map { ["\(Double($0) / 1000)", "\($0)", "\(2 * $0)"].joined(separator: delimiter) }.joined(separator: "\n") + "\n"
        guard case .recording(let recording) = try readCSV(text, kernel: .portable).object else { Issue.record("not a recording"); return }
        #expect(recording.channels.map(\.name) == [String(cell.dropFirst().dropLast().dropLast(5)), "B"], "\(recording.channels.map(\.name))")
        #expect(recording.channels[1].samples == [0, 2, 4, 6])
    }

    /// A CSV without a time base is a table: numbers, text and empty cells as such.
    @Test func tablesKeepTextCells() throws {
        guard case .table(let table) = try readCSV("channel,n,mean (mV)\nr.ES_L,4000,0.25\n\"a, b\",12,\n", kernel: .portable).object else { Issue.record("not a table"); return }
        #expect(table.rows == [[.text("r.ES_L"), .integer(4000), .number(0.25)], [.text("a, b"), .integer(12), .missing]])
        #expect(table.columns.map(\.unit) == ["", "", "mV"])
    }

    @Test func unknownAndMissingFiles() {
        #expect(message { _ = try RecordingLoader.load(path: "/nonexistent/x.csv", name: "x") } == "/nonexistent/x.csv: cannot open (No such file or directory)")
        let folder = TestEnvironment.temporaryFolder()
        _ = FileManager.default.createFile(atPath: folder + "/blob.bin", contents: Data([0, 1, 2, 3, 0, 9]))
        _ = FileManager.default.createFile(atPath: folder + "/empty.csv", contents: Data())
        #expect(message { _ = try RecordingLoader.load(path: folder + "/blob.bin", name: "x") }?.hasSuffix("blob.bin at byte 0: expected a known format (csv, c3d, edf, bdf, wfdb, xdf, opensignals, biosppy, biometrics, delsys, noraxon, shimmer, json, text), found an unrecognised file; name the format with format=") == true)
        #expect(message { _ = try RecordingLoader.load(path: folder + "/empty.csv", name: "x") }?.hasSuffix("empty.csv at byte 0: expected a recording, found an empty file") == true)
    }

    @Test func decimalParserMatchesStrtod() {
        let samples = ["0", "-0.5", "1e-3", "123456789.123456789", "3.14159265358979323846", "+7", "1E+22", "4.9e-324", "0.000000000000000000001", "99999999999999999999"]
        for text in samples {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { DecimalParser.parse($0, 0, $0.count) }
            #expect(parsed == strtod(text, nil), "\(text)")
        }
        for text in ["", "-", ".", "1e", "1.2.3", "abc", "1e5x"] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { DecimalParser.parse($0, 0, $0.count) } == nil, "\(text)")
        }
    }

    /// `count` plain numbers of random shapes (fixed seed): sign, 0-9 digits before and 0-8 after
    /// the point, with and without the point.
    static func plainNumberTexts(_ count: Int) -> [String] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(next(10))) }) }
        var texts: [String] = []
        for _ in 0..<count {
            let integer = digits(next(10)), fraction = digits(next(9))
            let point = next(4) > 0
            var text = (next(2) == 0 ? "-" : "") + integer + (point ? "." + fraction : "")
            if integer.isEmpty && (!point || fraction.isEmpty) { text += "7" }
            texts.append(text)
        }
        return texts
    }

    /// Every build of the fast path (CSVKernel), every group size of its rows (cells go in fours,
    /// the rest of a row in a group of three or two or alone) and the general path (a space
    /// before each cell) give strtof's Float for every shape of number, with LF and CR LF rows.
    @Test(arguments: CSVKernel.available)
    func everyNumberShapeMatchesStrtof(_ kernel: CSVKernel) throws {
        let texts = Self.plainNumberTexts(30_240)
        let expected = texts.map { strtof($0, nil) }
        func load(_ width: Int, _ separator: String, _ pad: String) throws -> [[Float]] {
            var csv = (0..<width).map { "C\($0) (mV)" }.joined(separator: ",") + "\n"
            for index in stride(from: 0, to: texts.count, by: width) {
                csv += (0..<width).map { pad + texts[index + $0] }.joined(separator: ",") + separator
            }
            guard case .recording(let recording) = try readCSV(csv, fs: 1000, kernel: kernel).object else { return [] }
            return recording.channels.map(\.samples)
        }
        let layouts = [2, 3, 4, 5, 6, 7, 8, 9].flatMap { [($0, "\n", ""), ($0, "\r\n", "")] } + [(3, "\n", " ")]
        for (width, separator, pad) in layouts {
            let columns = try load(width, separator, pad)
            #expect(columns.count == width)
            guard columns.count == width else { continue }
            let loaded = (0..<texts.count).map { columns[$0 % width][$0 / width] }
            let wrong = zip(texts, zip(loaded, expected)).filter { $1.0.bitPattern != $1.1.bitPattern }
            #expect(wrong.count == 0, "\(kernel), \(width) columns: \(wrong.prefix(5))")
        }
    }

    /// The fast path reads a row as the data columns before the time column, the time column and
    /// the data columns after it: wherever the time column is (first, inside, last) and however
    /// many data columns lie either side (none, an odd or an even number), with either build of
    /// the fast path, every value is strtof's and the rate comes from the time column.
    @Test(arguments: CSVKernel.available, [(2, 0), (5, 0), (4, 1), (6, 2), (5, 3), (4, 3), (2, 1), (17, 0), (12, 6), (10, 9)])
    func timeColumnAnywhereInTheRow(_ kernel: CSVKernel, _ layout: (width: Int, timeIndex: Int)) throws {
        let (width, timeIndex) = layout
        let rows = 2_000
        let texts = Self.plainNumberTexts(rows * (width - 1))
        var csv = (0..<width).map { $0 == timeIndex ? "time (s)" : "C\($0) (mV)" }.joined(separator: ",") + "\n"
        for row in 0..<rows {
            var cells = Array(texts[(row * (width - 1))..<((row + 1) * (width - 1))])
            // From 999.500 s to 1001.499 s: time cells of seven characters, then eight.
            cells.insert(String(format: "%.3f", 999.5 + Double(row) / 1000), at: timeIndex)
            csv += cells.joined(separator: ",") + "\n"
        }
        guard case .recording(let recording) = try readCSV(csv, kernel: kernel).object else { Issue.record("not a recording"); return }
        #expect(recording.channels.count == width - 1)
        #expect(recording.channels.allSatisfy { $0.sampleRateHz == 1000 })
        for (index, channel) in recording.channels.enumerated() {
            let wrong = (0..<rows).filter { channel.samples[$0].bitPattern != strtof(texts[$0 * (width - 1) + index], nil).bitPattern }
            #expect(wrong.isEmpty, "\(kernel), \(width) columns, time at \(timeIndex), channel \(index): rows \(wrong.prefix(5))")
        }
    }

    /// Every CSV under ../shared/data loads: as a recording when it has a time column, else as a table.
    @Test(.enabled(if: TestEnvironment.hasSharedData, "../shared/data is absent"))
    func readsEveryCSVInSharedData() throws {
        let enumerator = FileManager.default.enumerator(atPath: TestEnvironment.sharedData)!
        var loaded = 0
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".csv") else { continue }
            let result = try RecordingLoader.load(path: TestEnvironment.sharedData + "/" + relative, name: "x")
            loaded += 1
            switch result.object {
            case .recording(let recording): #expect(recording.channels.allSatisfy { !$0.samples.isEmpty && $0.sampleRateHz > 0 })
            case .table(let table): #expect(relative.contains("cycles"), "\(relative) loaded as a table"); #expect(table.rows.count == 6)
            }
        }
        #expect(loaded == 4)
    }

    @Test(.enabled(if: TestEnvironment.hasSharedData, "../shared/data is absent"))
    func sharedFatigueRecordingHasItsDocumentedShape() throws {
        let result = try RecordingLoader.load(path: TestEnvironment.sharedData + "/plux-opensignals-fatigue/emg_fatigue_derived.csv", name: "f")
        guard case .recording(let recording) = result.object else { Issue.record("not a recording"); return }
        // PROVENANCE.md: 1000 Hz, 126 900 samples, 12-bit ADC counts, emg_mV in mV.
        #expect(recording.channels.map(\.name) == ["adc", "emg_mV"])
        #expect(recording.channels[1].unit == "mV")
        #expect(recording.channels[0].sampleRateHz == 1000)
        #expect(recording.channels[0].samples.count == 126_900)
        #expect(recording.channels[0].samples.first == 2068)
        #expect(recording.channels[0].samples.max()! <= 4095)
    }
}

/// Files over 4 MB are parsed in parallel chunks with an eight-bytes-at-a-time number parser;
/// these check that values, line numbers and time checks come out as in a one-pass parse.
@Suite struct ParallelCSVTests {
    /// Cells in every shape the fast and the general paths see, cycling over the rows.
    static let cellShapes = ["-0.0031", "12345678.5", "0.000000000000000000001", "1e-3", "+7", " 3 ", "\"4.25\"", "9999999", "1234567.1234567", "-.5", "7.", "1E+22"]

    static func bigCSV(rows: Int, comment: Int? = nil, edit: ((Int, inout String) -> Void)? = nil) -> (text: String, expected: [Float]) {
        var text = "time (s),A,B\n"
        var expected: [Float] = []
        text.reserveCapacity(rows * 40)
        for row in 0..<rows {
            if row == comment { text += "# a comment in the middle\n\n" }
            let shape = cellShapes[row % cellShapes.count]
            var line = String(format: "%.4f", Double(row) / 2000) + "," + shape + "," + String(row % 1000) + "\n"
            edit?(row, &line)
            text += line
            expected.append(Float(strtod(shape.trimmingCharacters(in: [" ", "\""]), nil)))
        }
        return (text, expected)
    }

    @Test(arguments: CSVKernel.available)
    func valuesMatchStrtodAcrossChunks(_ kernel: CSVKernel) throws {
        let (text, expected) = Self.bigCSV(rows: 250_000, comment: 150_000)
        #expect(text.utf8.count > 4 << 20)
        guard case .recording(let recording) = try readCSV(text, name: "big.csv", kernel: kernel).object else { Issue.record("not a recording"); return }
        #expect(recording.channels[0].sampleRateHz == 2000)
        #expect(recording.channels[0].samples == expected)
        #expect(recording.channels[1].samples[249_999] == 999)
    }

    /// With either build of the fast path, and with rows of plain numbers only (read in batches)
    /// or mixed with rows the general path reads.
    @Test(arguments: CSVKernel.available, [true, false])
    func errorsInTheSecondChunkNameTheirLine(_ kernel: CSVKernel, _ mixed: Bool) {
        func big(comment: Int? = nil, edit: @escaping (Int, inout String) -> Void) -> String {
            Self.bigCSV(rows: 250_000, comment: comment) { row, line in
                if !mixed { line = String(format: "%.4f", Double(row) / 2000) + ",-0.25,\(row % 1000)\n" }
                edit(row, &line)
            }.text
        }
        // Row r sits on line r + 2 before the comment (two lines) at row 150000, r + 4 after it.
        let bad = big(comment: 150_000) { row, line in if row == 180_000 { line = "90.0000,x,1\n" } }
        #expect(message { _ = try readCSV(bad, kernel: kernel) } == "bad.csv:180004, column A: expected a number, found 'x'")
        let irregular = big { row, line in if row == 190_000 { line = "95.0003,1,1\n" } }
        #expect(message { _ = try readCSV(irregular, kernel: kernel) } == "bad.csv:190002, column time: expected a time of about 95 (uniform steps of 0.0005 s from the first row), found 95.0003 (irregular time; resample it first or give fs=)")
        let backwards = big { row, line in if row == 100_000 { line = "49.9990,1,1\n" } }
        #expect(message { _ = try readCSV(backwards, kernel: kernel) }?.hasPrefix("bad.csv:100002, column time: expected a time after") == true)
    }
}
