import MyoCore

/// Reads C3D motion-capture files: analog channels (EMG, accelerometers, force plates) and,
/// on request, marker trajectories.
///
/// - Processor types 84 (Intel), 85 (DEC: little-endian integers, VAX F floats: swapped 16-bit
///   words and IEEE x 4) and
///   86 (MIPS/SGI: big-endian).
/// - Integer or float storage (a negative POINT:SCALE); analog value =
///   (raw - ANALOG:OFFSET) x ANALOG:SCALE x ANALOG:GEN_SCALE, in ANALOG:UNITS.
/// - Analog rate = point rate x analog samples per frame (ANALOG:RATE when given).
/// - Events (EVENT:TIMES, LABELS, CONTEXTS) become recording events, on the same time base
///   as the samples: the first frame is at (first frame - 1) / point rate.
public enum C3DReader {
    enum Processor: UInt8 {
        case intel = 84, dec = 85, mips = 86
        var name: String { self == .intel ? "Intel" : self == .dec ? "DEC" : "MIPS" }
    }

    /// A parameter's raw value: type (-1 char, 1 byte, 2 int16, 4 float), dimensions, bytes.
    struct Parameter {
        var type: Int
        var dimensions: [Int]
        var offset: Int
        /// The number of values: the product of the dimensions, checked against the file when read.
        var count: Int
    }

    static func looksLikeC3D(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 512, bytes[1] == 0x50, bytes[0] >= 2 else { return false }
        let parameterStart = (Int(bytes[0]) - 1) * 512
        return parameterStart + 4 <= bytes.count && Processor(rawValue: bytes[parameterStart + 3]) != nil
    }

    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ request: ReadRequest, provenance: Provenance) throws -> LoadResult {
        let path = request.displayPath
        var reader = ByteReader(bytes, path: path)
        try reader.require(0, 512, "the C3D header block")
        guard bytes[1] == 0x50 else {
            throw MyoError.badBytes(file: path, offset: 1, expected: "the C3D key byte 0x50", found: "0x" + String(bytes[1], radix: 16))
        }
        let parameterStart = (Int(bytes[0]) - 1) * 512
        guard bytes[0] >= 2 else {
            throw MyoError.badBytes(file: path, offset: 0, expected: "a parameter block number of 2 or more", found: "\(bytes[0])")
        }
        let processorByte = try reader.uint8(parameterStart + 3, "the processor type")
        guard let processor = Processor(rawValue: processorByte) else {
            throw MyoError.badBytes(file: path, offset: parameterStart + 3, expected: "a processor type 84 (Intel), 85 (DEC) or 86 (MIPS)", found: "\(processorByte)")
        }
        reader.order = processor == .mips ? .big : .little
        let parameterBlocks = Int(try reader.uint8(parameterStart + 2, "the number of parameter blocks"))
        let parameters = try readParameters(reader, start: parameterStart, blocks: parameterBlocks, processor: processor)

        func float(_ offset: Int, _ what: String) throws -> Float { try readFloat(reader, offset, what, processor: processor) }
        func number(_ group: String, _ name: String) throws -> Double? {
            guard let parameter = parameters["\(group):\(name)"], parameter.count >= 1 else { return nil }
            return try numbers(parameter, reader, processor: processor, what: "\(group):\(name)").first
        }
        func numberList(_ group: String, _ name: String) throws -> [Double] {
            guard let parameter = parameters["\(group):\(name)"] else { return [] }
            return try numbers(parameter, reader, processor: processor, what: "\(group):\(name)")
        }
        func strings(_ group: String, _ name: String) throws -> [String] {
            var result: [String] = []
            for suffix in ["", "2", "3", "4", "5", "6", "7", "8", "9"] {
                guard let parameter = parameters["\(group):\(name)\(suffix)"] else { break }
                result += try texts(parameter, reader)
            }
            return result
        }

        let pointCount = Int(try reader.uint16(2, "the number of points"))
        let analogPerFrameTotal = Int(try reader.uint16(4, "analog samples per frame"))
        let firstFrame = Int(try reader.uint16(6, "the first frame"))
        var lastFrame = Int(try reader.uint16(8, "the last frame"))
        let headerScale = try float(12, "the point scale factor")
        let dataStartBlock = Int(try reader.uint16(16, "the data start block"))
        let analogPerFrameHeader = Int(try reader.uint16(18, "analog samples per frame per channel"))
        var pointRate = Double(try float(20, "the frame rate"))
        if let rate = try number("POINT", "RATE"), rate > 0 { pointRate = rate }
        guard pointRate > 0, pointRate.isFinite else {
            throw MyoError.badBytes(file: path, offset: 20, expected: "a positive frame rate", found: NumberFormat.significant(pointRate))
        }
        // Frame counts above 65535 do not fit the header; POINT:FRAMES or TRIAL:ACTUAL_END_FIELD holds them.
        if let frames = try number("POINT", "FRAMES"), frames > Double(lastFrame - firstFrame + 1) { lastFrame = firstFrame + Int(frames) - 1 }
        let endField = try numberList("TRIAL", "ACTUAL_END_FIELD")
        if endField.count == 2 {
            let end = Int(UInt16(truncatingIfNeeded: Int(endField[0]))) + Int(UInt16(truncatingIfNeeded: Int(endField[1]))) << 16
            if end > lastFrame { lastFrame = end }
        }
        let frameCount = max(lastFrame - firstFrame + 1, 0)
        let pointScale = try number("POINT", "SCALE") ?? Double(headerScale)
        let isFloat = pointScale < 0
        let usedPoints = Int(try number("POINT", "USED") ?? Double(pointCount))
        let analogChannels = Int(try number("ANALOG", "USED") ?? Double(analogPerFrameHeader > 0 ? analogPerFrameTotal / analogPerFrameHeader : 0))
        var analogPerFrame = analogPerFrameHeader
        if analogChannels > 0, analogPerFrame == 0 { analogPerFrame = analogPerFrameTotal / analogChannels }
        var analogRate = pointRate * Double(analogPerFrame)
        if let rate = try number("ANALOG", "RATE"), rate > 0, analogPerFrame > 0 {
            // ANALOG:RATE is authoritative only when it agrees with the frame layout.
            if abs(rate / pointRate - Double(analogPerFrame)) < 1e-3 * Double(analogPerFrame) { analogRate = rate }
        }

        let valueSize = isFloat ? 4 : 2
        let frameSize = (usedPoints * 4 + analogChannels * analogPerFrame) * valueSize
        let dataStart = (max(dataStartBlock, 1) - 1) * 512
        guard dataStartBlock >= 2 else {
            throw MyoError.badBytes(file: path, offset: 16, expected: "a data start block of 2 or more", found: "\(dataStartBlock)")
        }
        var frames = frameCount
        var warnings: [String] = []
        if frameSize > 0 {
            let available = max(bytes.count - dataStart, 0) / frameSize
            if available < frameCount {
                guard available > 0 else {
                    throw MyoError.badBytes(file: path, offset: bytes.count, expected: "\(frameCount) frames of \(frameSize) bytes from byte \(dataStart)", found: "no complete frame (the file is truncated)")
                }
                warnings.append("\(path) is truncated: the header announces \(frameCount) frames but only \(available) are complete; the first \(available) were loaded")
                frames = available
            }
        }

        var channels: [Channel] = []
        let startTime = Double(max(firstFrame, 1) - 1) / pointRate
        if analogChannels > 0, analogPerFrame > 0 {
            let labels = try strings("ANALOG", "LABELS")
            let units = try strings("ANALOG", "UNITS")
            var scales = try numberList("ANALOG", "SCALE")
            var offsets = try numberList("ANALOG", "OFFSET")
            let generalScale = try number("ANALOG", "GEN_SCALE") ?? 1
            let unsigned = (try strings("ANALOG", "FORMAT").first ?? "").uppercased() == "UNSIGNED"
            if scales.count < analogChannels { scales += [Double](repeating: 1, count: analogChannels - scales.count) }
            if offsets.count < analogChannels { offsets += [Double](repeating: 0, count: analogChannels - offsets.count) }
            if unsigned {
                // Offsets are stored as int16 but mean unsigned values above 32767.
                offsets = offsets.map { $0 < 0 ? $0 + 65536 : $0 }
            }
            try MemoryBudget.check(values: Double(frames) * Double(analogPerFrame) * Double(analogChannels), bytesPerValue: 4, for: "loading \(path)", hint: loadMemoryHint)
            var samples = [[Float]](repeating: [Float](repeating: 0, count: frames * analogPerFrame), count: analogChannels)
            let analogOffsetInFrame = usedPoints * 4 * valueSize
            for frame in 0..<frames {
                if frame & 0x3FF == 0 { try Cancellation.check(); request.progress?.reached(frame, of: frames) }
                var position = dataStart + frame * frameSize + analogOffsetInFrame
                for sub in 0..<analogPerFrame {
                    for channel in 0..<analogChannels {
                        let raw: Double
                        if isFloat {
                            raw = Double(try readFloat(reader, position, "an analog sample", processor: processor))
                        } else if unsigned {
                            raw = Double(try reader.uint16(position, "an analog sample"))
                        } else {
                            raw = Double(try reader.int16(position, "an analog sample"))
                        }
                        position += valueSize
                        samples[channel][frame * analogPerFrame + sub] = Float((raw - offsets[channel]) * scales[channel] * generalScale)
                    }
                }
            }
            for channel in 0..<analogChannels {
                let name = channel < labels.count && !labels[channel].isEmpty ? labels[channel] : "analog\(channel + 1)"
                channels.append(try fileChannel(path, name: ReadRequest.uniqueName(name, among: channels), unit: channel < units.count ? units[channel] : "",
                                        sampleRateHz: analogRate, startTimeSeconds: startTime, samples: samples[channel]))
            }
        }
        if request.includeMarkers, usedPoints > 0 {
            let labels = try strings("POINT", "LABELS")
            let unit = try strings("POINT", "UNITS").first ?? ""
            let scale = abs(pointScale)
            var coordinates = [[Float]](repeating: [Float](repeating: .nan, count: frames), count: usedPoints * 3)
            for frame in 0..<frames {
                for point in 0..<usedPoints {
                    let base = dataStart + frame * frameSize + point * 4 * valueSize
                    var xyz = [Double](repeating: 0, count: 3)
                    let residual: Double
                    if isFloat {
                        for axis in 0..<3 { xyz[axis] = Double(try readFloat(reader, base + axis * 4, "a marker coordinate", processor: processor)) }
                        residual = Double(try readFloat(reader, base + 12, "a marker residual", processor: processor))
                    } else {
                        for axis in 0..<3 { xyz[axis] = Double(try reader.int16(base + axis * 2, "a marker coordinate")) * scale }
                        residual = Double(try reader.int16(base + 6, "a marker residual"))
                    }
                    guard residual >= 0 else { continue }   // -1: the marker was not seen in this frame
                    for axis in 0..<3 { coordinates[point * 3 + axis][frame] = Float(xyz[axis]) }
                }
            }
            for point in 0..<usedPoints {
                let label = point < labels.count && !labels[point].isEmpty ? labels[point] : "marker\(point + 1)"
                for (axis, suffix) in ["X", "Y", "Z"].enumerated() {
                    channels.append(try fileChannel(path, name: ReadRequest.uniqueName("\(label)_\(suffix)", among: channels), unit: unit, sampleRateHz: pointRate,
                                            startTimeSeconds: startTime, samples: coordinates[point * 3 + axis]))
                }
            }
        }
        guard !channels.isEmpty else {
            throw MyoError.badBytes(file: path, offset: 0, expected: "analog channels (or markers, with markers=yes)",
                                    found: usedPoints > 0 ? "only \(usedPoints) markers; load them with markers=yes" : "no channels")
        }

        var events: [Event] = []
        let eventTimes = try numberList("EVENT", "TIMES")
        let eventLabels = try strings("EVENT", "LABELS")
        let eventContexts = try strings("EVENT", "CONTEXTS")
        let eventCount = min(Int(try number("EVENT", "USED") ?? Double(eventTimes.count / 2)), eventTimes.count / 2)
        for index in 0..<eventCount {
            let time = eventTimes[2 * index] * 60 + eventTimes[2 * index + 1]
            let label = [index < eventContexts.count ? eventContexts[index] : "", index < eventLabels.count ? eventLabels[index] : "event \(index + 1)"]
                .filter { !$0.isEmpty }.joined(separator: " ")
            events.append(Event(timeSeconds: time, label: label))
        }
        events.sort { ($0.timeSeconds, $0.label) < ($1.timeSeconds, $1.label) }
        return LoadResult(object: .recording(Recording(name: request.name, channels: channels, events: events, provenance: provenance)), warnings: warnings)
    }


    /// Walks the parameter section: groups (negative id) and parameters (positive group id),
    /// keyed `GROUP:NAME` in upper case.
    static func readParameters(_ reader: ByteReader, start: Int, blocks: Int, processor: Processor) throws -> [String: Parameter] {
        let end = min(start + max(blocks, 1) * 512, reader.count)
        var groups: [Int: String] = [:]
        var pending: [(group: Int, name: String, parameter: Parameter)] = []
        var position = start + 4
        while position + 2 <= end {
            let nameLength = Int(abs(Int(try reader.int8(position, "a parameter name length"))))
            if nameLength == 0 { break }
            let id = Int(try reader.int8(position + 1, "a parameter group id"))
            let name = try reader.text(position + 2, nameLength, "a parameter name").uppercased()
            let nextField = position + 2 + nameLength
            let next = Int(try reader.int16(nextField, "the offset to the next parameter"))
            let body = nextField + 2
            if id < 0 {
                groups[-id] = name
            } else if id > 0 {
                let type = Int(try reader.int8(body, "the type of \(name)"))
                guard [-1, 1, 2, 4].contains(type) else {
                    throw MyoError.badBytes(file: reader.path, offset: body, expected: "a parameter type of -1, 1, 2 or 4 for \(name)", found: "\(type)")
                }
                let dimensionCount = Int(try reader.uint8(body + 1, "the dimensions of \(name)"))
                var dimensions: [Int] = []
                for index in 0..<dimensionCount { dimensions.append(Int(try reader.uint8(body + 2 + index, "a dimension of \(name)"))) }
                // Up to 255 dimensions of up to 255: the product can pass any size; it must fit in the file.
                var count = 1
                for dimension in dimensions {
                    let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                    guard !overflow, product * abs(type) <= reader.count else {
                        throw MyoError.badBytes(file: reader.path, offset: body + 1, expected: "dimensions of \(name) whose values fit in the file (\(reader.count) bytes)",
                                                found: dimensions.map(String.init).joined(separator: " x "))
                    }
                    count = product
                }
                let parameter = Parameter(type: type, dimensions: dimensions, offset: body + 2 + dimensionCount, count: count)
                try reader.require(parameter.offset, parameter.count * abs(type), "the value of \(name)")
                pending.append((id, name, parameter))
            }
            if next == 0 { break }
            guard next > 0 else {
                throw MyoError.badBytes(file: reader.path, offset: nextField, expected: "a positive offset to the next parameter after \(name)", found: "\(next)")
            }
            position = nextField + next
        }
        var parameters: [String: Parameter] = [:]
        for (group, name, parameter) in pending {
            guard let groupName = groups[group] else { continue }
            let key = "\(groupName):\(name)"
            if parameters[key] == nil { parameters[key] = parameter }
        }
        return parameters
    }

    static func readFloat(_ reader: ByteReader, _ offset: Int, _ what: String, processor: Processor) throws -> Float {
        let bits = try reader.uint32(offset, what)
        guard processor == .dec else { return Float(bitPattern: bits) }
        // VAX F-floating: 16-bit words in the other order, exponent biased by 2 more than IEEE.
        return Float(bitPattern: bits << 16 | bits >> 16) / 4
    }

    static func numbers(_ parameter: Parameter, _ reader: ByteReader, processor: Processor, what: String) throws -> [Double] {
        var values: [Double] = []
        for index in 0..<parameter.count {
            let offset = parameter.offset + index * abs(parameter.type)
            switch parameter.type {
            case 1: values.append(Double(try reader.uint8(offset, what)))
            case 2: values.append(Double(try reader.int16(offset, what)))
            case 4: values.append(Double(try readFloat(reader, offset, what, processor: processor)))
            default: return []
            }
        }
        return values
    }

    /// A character parameter as strings: dimensions [length, count] (or [length] for one).
    static func texts(_ parameter: Parameter, _ reader: ByteReader) throws -> [String] {
        guard parameter.type == -1 else { return [] }
        guard let length = parameter.dimensions.first, length > 0 else { return [] }
        let count = parameter.count / length
        return try (0..<count).map { index in
            let raw = try reader.text(parameter.offset + index * length, length, "a text parameter")
            // Latin-1 bytes (a degree sign in a unit) are not UTF-8: map them one to one.
            if raw.contains("\u{FFFD}") {
                let start = parameter.offset + index * length
                let bytes = reader.bytes[start..<start + length]
                return String(bytes.map { Character(Unicode.Scalar($0)) }).trimmingCharacters(in: [" ", "\u{0}"])
            }
            return raw
        }
    }
}
