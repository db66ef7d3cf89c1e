import MyoCore

/// Text exports of PLUX OpenSignals, BioSPPy, Biometrics DataLOG, and headerless numeric text.
enum VendorTextReaders {
    static func headerLines(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 16) -> [String] {
        var lines: [String] = []
        var start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        while lines.count < limit, start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 10, bytes[end] != 13 { end += 1 }
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
            start = end + 1
            if end < bytes.count, bytes[end] == 13, start < bytes.count, bytes[start] == 10 { start += 1 }
        }
        return lines
    }

    // MARK: OpenSignals

    /// `# OpenSignals Text File Format`, a `# {JSON}` header per device, `# EndOfHeader`, then
    /// tab-separated columns (nSeq, DI, then the analog channels in ADC counts). EMG sensor
    /// columns are converted to mV with PLUX's published EMG transfer function,
    /// EMG(mV) = (ADC / 2^n - 0.5) x VCC / G x 1000 (biosignalsplux: VCC 3 V, G 1000;
    /// BITalino: VCC 3.3 V, G 1009); other sensors stay in ADC counts (unit `adu`).
    static func readOpenSignals(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        let lines = headerLines(bytes, limit: 8)
        guard let jsonLine = lines.firstIndex(where: { $0.hasPrefix("# {") }) else {
            throw MyoError.badLine(file: path, line: 2, column: nil, expected: "a JSON header line '# {...}'", found: "none in the first lines")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(String(lines[jsonLine].dropFirst(2))) } catch {
            throw MyoError.badLine(file: path, line: jsonLine + 1, column: nil, expected: "a valid JSON header", found: "\(error)")
        }
        guard case .object(let devices) = json, let (_, device) = devices.first, case .object = device else {
            throw MyoError.badLine(file: path, line: jsonLine + 1, column: nil, expected: "a JSON object keyed by device", found: "another JSON value")
        }
        guard let rate = device["sampling rate"]?.number, rate > 0 else {
            throw MyoError.badLine(file: path, line: jsonLine + 1, column: "sampling rate", expected: "a positive sampling rate", found: device["sampling rate"].map { "\($0)" } ?? "none")
        }
        let columnNames = device["column"]?.array?.compactMap(\.string) ?? []
        let labels = device["label"]?.array?.compactMap(\.string) ?? []
        let sensors = device["sensor"]?.array?.compactMap(\.string) ?? []
        let resolutions = device["resolution"]?.array?.compactMap(\.number) ?? []
        let deviceName = (device["device"]?.string ?? "").lowercased()
        var scanner = LineScanner(bytes: bytes)
        let table = try NumericText(bytes, scanner: &scanner, columnCount: columnNames.isEmpty ? nil : columnNames.count, path: path, progress: request.progress)
        var channels: [Channel] = []
        for (index, values) in table.columns.enumerated() {
            let name = index < columnNames.count ? columnNames[index] : "column\(index + 1)"
            // Only the analog channels (the header's labels) are signals: the sequence number and
            // the digital inputs and outputs (DI, DO; BITalino's I1 I2 O1 O2) are not.
            if labels.isEmpty ? (name == "nSeq" || name.hasPrefix("DI") || name.hasPrefix("DO") || isDigitalPort(name)) : !labels.contains(name) { continue }
            let analogIndex = labels.firstIndex(of: name) ?? (index - (columnNames.count - labels.count))
            let sensor = analogIndex >= 0 && analogIndex < sensors.count ? sensors[analogIndex].uppercased() : ""
            // biosignalsplux lists a resolution per analog channel; BITalino one per column (nSeq 4 bits, ports 1 bit).
            let resolutionIndex = resolutions.count == columnNames.count && labels.count != columnNames.count ? index : analogIndex
            let bits = resolutionIndex >= 0 && resolutionIndex < resolutions.count ? resolutions[resolutionIndex] : 0
            if sensor == "EMG", bits > 0 {
                let (vcc, gain) = deviceName.contains("bitalino") ? (3.3, 1009.0) : (3.0, 1000.0)
                let full = pow2(bits)
                channels.append(try fileChannel(path, name: name, unit: "mV", sampleRateHz: rate, samples: values.map { Float(($0 / full - 0.5) * vcc / gain * 1000) }))
            } else {
                channels.append(try fileChannel(path, name: name, unit: "adu", sampleRateHz: rate, samples: values.map(Float.init)))
            }
        }
        guard !channels.isEmpty else {
            throw MyoError.badLine(file: path, line: jsonLine + 1, column: "column", expected: "at least one analog channel", found: "only \(columnNames.joined(separator: ", "))")
        }
        return LoadResult(object: .recording(Recording(name: request.name, channels: channels, provenance: provenance)), warnings: table.warning(path: path).map { [$0] } ?? [])
    }

    /// BITalino's digital ports: I1, I2 (inputs), O1, O2 (outputs).
    static func isDigitalPort(_ name: String) -> Bool {
        name.count == 2 && (name.first == "I" || name.first == "O") && name.last!.isNumber
    }

    private static func pow2(_ bits: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(bits) { value *= 2 }
        return value
    }

    // MARK: BioSPPy

    /// `# Simple Text Format` with `# Sampling Rate (Hz):= 1000.00`, `# Resolution:= 12` and
    /// `# Labels:= EMG ...` header lines, then one column per label, in the units a `# Units:= ...`
    /// line declares (one per label), else raw ADC counts (unit `adu`).
    static func readBioSPPy(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        let lines = headerLines(bytes, limit: 12)
        var rate = request.sampleRateHz
        var labels: [String] = [], units: [String] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("#") {
            guard let separator = line.firstRange(of: ":=") else { continue }
            let key = line[line.index(after: line.startIndex)..<separator.lowerBound].trimmingCharacters(in: [" "]).lowercased()
            let value = line[separator.upperBound...].trimmingCharacters(in: [" ", "\t"])
            if key.hasPrefix("sampling rate"), rate == nil {
                guard let parsed = Double(value), parsed > 0 else {
                    throw MyoError.badLine(file: path, line: index + 1, column: nil, expected: "a positive sampling rate in Hz", found: "'\(value)'")
                }
                rate = parsed
            }
            if key == "labels" { labels = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
            if key == "units" { units = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
        }
        guard let fs = rate else {
            throw MyoError.badLine(file: path, line: 1, column: nil, expected: "a '# Sampling Rate (Hz):= ...' header line (or give fs=)", found: "none")
        }
        var scanner = LineScanner(bytes: bytes)
        let table = try NumericText(bytes, scanner: &scanner, columnCount: labels.isEmpty ? nil : labels.count, path: path, progress: request.progress)
        let channels = try table.columns.enumerated().map { index, values in
            try fileChannel(path, name: index < labels.count ? labels[index] : "column\(index + 1)", unit: index < units.count ? units[index] : "adu", sampleRateHz: fs, samples: values.map(Float.init))
        }
        return LoadResult(object: .recording(Recording(name: request.name, channels: channels, provenance: provenance)), warnings: table.warning(path: path).map { [$0] } ?? [])
    }

    // MARK: Biometrics DataLOG

    /// `File Name: X.log`, then `Channel N: 'LABEL', COUNT values, engineering units: UNIT, ...`
    /// lines, a blank line and tab-separated columns. The sample rate comes from a
    /// "... to R samples per second" note when present, otherwise from fs=.
    static func readBiometrics(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        let lines = headerLines(bytes, limit: 40)
        var labels: [String] = [], units: [String] = [], counts: [Int] = [], resampled: [Bool] = []
        var rate: Double?
        var headerEnd = 0
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("File Name:") { headerEnd = index + 1; continue }
            guard line.hasPrefix("Channel") else { if !labels.isEmpty { break } else { continue } }
            headerEnd = index + 1
            let quoteParts = line.split(separator: "'", omittingEmptySubsequences: false)
            guard quoteParts.count >= 3 else {
                throw MyoError.badLine(file: path, line: index + 1, column: nil, expected: "Channel N: 'LABEL', COUNT values, engineering units: UNIT", found: "'\(line)'")
            }
            labels.append(String(quoteParts[1]))
            let rest = quoteParts[2...].joined(separator: "'")
            counts.append(Int(rest.split(separator: ",").first.map { $0.trimmingCharacters(in: [" "]).split(separator: " ").first.map(String.init) ?? "" } ?? "") ?? 0)
            if let unitRange = rest.firstRange(of: "engineering units:") {
                units.append(rest[unitRange.upperBound...].split(separator: ",").first.map { $0.trimmingCharacters(in: [" "]) } ?? "")
            } else {
                units.append("")
            }
            resampled.append(rest.contains("extrapolated"))
            if let perSecond = rest.firstRange(of: " samples per second") {
                let words = rest[..<perSecond.lowerBound].split(separator: " ")
                if let last = words.last, let value = Double(last), value > 0 { rate = value }
            }
        }
        guard !labels.isEmpty else {
            throw MyoError.badLine(file: path, line: 2, column: nil, expected: "Biometrics 'Channel N: ...' header lines", found: "none")
        }
        if let given = request.sampleRateHz { rate = given }
        guard let fs = rate else {
            throw MyoError.badLine(file: path, line: 2, column: nil,
                                   expected: "a sample rate in the header ('... samples per second'); this DataLOG export does not state one, so give fs= (DataLOG MWX8 files are usually 1000Hz)",
                                   found: "none")
        }
        var scanner = LineScanner(bytes: bytes)
        for _ in 0..<headerEnd { _ = scanner.nextRawLine() }
        let table = try NumericText(bytes, scanner: &scanner, columnCount: labels.count, path: path, tabSeparated: true, progress: request.progress)
        var warnings = table.warning(path: path).map { [$0] } ?? []
        for (index, column) in table.columns.enumerated() where counts[index] > 0 && !resampled[index] && counts[index] != column.count {
            warnings.append("\(path): the header announces \(counts[index]) values of \(labels[index]) but \(column.count) were read")
        }
        let channels = try table.columns.enumerated().map { index, values in
            try fileChannel(path, name: labels[index], unit: units[index], sampleRateHz: fs, samples: values.map(Float.init))
        }
        return LoadResult(object: .recording(Recording(name: request.name, channels: channels, provenance: provenance)), warnings: warnings)
    }

    // MARK: Headerless numeric text

    /// Columns of numbers with no header (for example PhysioNet's `time value` text exports).
    /// A first column that increases is a time column: the rate comes from fs= or from its
    /// uniform step; the other columns are named column2, column3, ...
    static func readPlain(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        var scanner = LineScanner(bytes: bytes)
        let table = try NumericText(bytes, scanner: &scanner, columnCount: nil, path: path, progress: request.progress)
        var warnings = table.warning(path: path).map { [$0] } ?? []
        let first = table.columns[0]
        let increasing = table.columns.count > 1 && first.count > 1 && zip(first, first.dropFirst()).allSatisfy { $0 < $1 }
        var fs = request.sampleRateHz
        if fs == nil, increasing {
            if let broken = TimeColumn.firstBreak(first) {
                throw MyoError.badLine(file: path, line: table.rowLines.line(of: broken.row), column: "1", expected: broken.expected, found: broken.found)
            }
            fs = Double(first.count - 1) / (first[first.count - 1] - first[0])
        }
        guard let rate = fs else {
            throw MyoError.badLine(file: path, line: 1, column: nil, expected: "a time column or fs= (this text has no header naming a rate)", found: "\(table.columns.count) columns of numbers")
        }
        if increasing, request.sampleRateHz != nil { warnings.append("\(path): column 1 taken as time and ignored; the rate is fs=\(NumberFormat.quantity(rate, "Hz"))") }
        let start = increasing && request.sampleRateHz == nil ? first[0] : 0
        let channels = try table.columns.enumerated().compactMap { index, values -> Channel? in
            if increasing, index == 0 { return nil }
            return try fileChannel(path, name: "column\(index + 1)", unit: "", sampleRateHz: rate, startTimeSeconds: start, samples: values.map(Float.init))
        }
        return LoadResult(object: .recording(Recording(name: request.name, channels: channels, provenance: provenance)), warnings: warnings)
    }
}
