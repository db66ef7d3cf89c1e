import Foundation

/// Builds small binary files for reader tests: C3D in each processor type and storage, and
/// WFDB records in each signal format. The layouts follow the C3D User Guide (c3d.org) and
/// PhysioNet's WFDB "signal" and "header" specifications.
public enum C3DBuilder {
    public enum Processor: UInt8 { case intel = 84, dec = 85, mips = 86 }

    public struct Analog {
        public var label: String, unit: String, scale: Float, offset: Int16, raw: [Int16]
        public init(label: String, unit: String, scale: Float, offset: Int16, raw: [Int16]) {
            (self.label, self.unit, self.scale, self.offset, self.raw) = (label, unit, scale, offset, raw)
        }
    }

    /// One file: `analogPerFrame` samples per frame per channel, 2 markers, and 2 events.
    public static func make(processor: Processor, float storage: Bool, pointRate: Float = 100, analogPerFrame: Int = 10,
                     frames: Int = 20, analogs: [Analog], genScale: Float = 1) -> [UInt8] {
        var out = Writer(processor: processor)
        // Header block (512 bytes).
        out.bytes = [2, 0x50]
        out.u16(2)                                  // points
        out.u16(UInt16(analogs.count * analogPerFrame))
        out.u16(1); out.u16(UInt16(frames))         // first, last frame
        out.u16(0)                                  // max gap
        out.f32(storage ? -0.1 : 0.1)               // scale (negative: float storage)
        out.u16(4)                                  // data start block (after 2 parameter blocks)
        out.u16(UInt16(analogPerFrame))
        out.f32(pointRate)
        out.pad(to: 512)
        // Parameter section: 2 blocks.
        let parameterStart = out.bytes.count
        out.bytes += [1, 80, 2, processor.rawValue]
        out.group(1, "POINT"); out.group(2, "ANALOG"); out.group(3, "EVENT")
        out.int16Parameter(1, "USED", [2])
        out.floatParameter(1, "SCALE", [storage ? -0.1 : 0.1])
        out.floatParameter(1, "RATE", [pointRate])
        out.textParameter(1, "LABELS", ["M1", "M2"])
        out.textParameter(1, "UNITS", ["mm"])
        out.int16Parameter(2, "USED", [Int16(analogs.count)])
        out.textParameter(2, "LABELS", analogs.map(\.label))
        out.textParameter(2, "UNITS", analogs.map(\.unit))
        out.floatParameter(2, "SCALE", analogs.map(\.scale))
        out.int16Parameter(2, "OFFSET", analogs.map(\.offset))
        out.floatParameter(2, "GEN_SCALE", [genScale])
        out.floatParameter(2, "RATE", [pointRate * Float(analogPerFrame)])
        out.int16Parameter(3, "USED", [2])
        out.floatParameter(3, "TIMES", [0, 0.05, 0, 0.125], dimensions: [2, 2])
        out.textParameter(3, "LABELS", ["Foot Strike", "Foot Off"])
        out.textParameter(3, "CONTEXTS", ["Left", "Right"])
        out.bytes += [0, 0]
        out.pad(to: parameterStart + 2 * 512)
        // Data: per frame 2 markers (x, y, z, residual), then analog samples.
        for frame in 0..<frames {
            for marker in 0..<2 {
                let xyz: [Float] = [Float(frame), Float(marker), 1]
                for value in xyz { storage ? out.f32(value) : out.i16(Int16(value / 0.1)) }
                storage ? out.f32(0) : out.i16(0)
            }
            for sub in 0..<analogPerFrame {
                for analog in analogs {
                    let raw = analog.raw[frame * analogPerFrame + sub]
                    storage ? out.f32(Float(raw)) : out.i16(raw)
                }
            }
        }
        out.pad(to: (out.bytes.count + 511) / 512 * 512)
        return out.bytes
    }

    struct Writer {
        let processor: Processor
        var bytes: [UInt8] = []

        mutating func u16(_ value: UInt16) {
            bytes += processor == .mips ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
        }
        mutating func i16(_ value: Int16) { u16(UInt16(bitPattern: value)) }
        mutating func f32(_ value: Float) {
            var bits = value.bitPattern
            if processor == .dec {
                bits = (value * 4).bitPattern
                bits = bits << 16 | bits >> 16
            }
            let little = [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)]
            bytes += processor == .mips ? little.reversed() : little
        }
        mutating func pad(to count: Int) { bytes += [UInt8](repeating: 0, count: max(count - bytes.count, 0)) }

        mutating func group(_ id: Int8, _ name: String) {
            bytes += [UInt8(name.utf8.count), UInt8(bitPattern: -id)] + Array(name.utf8)
            u16(3); bytes.append(0)
        }

        private mutating func parameter(_ group: Int8, _ name: String, type: Int8, dimensions: [Int], data: [UInt8]) {
            bytes += [UInt8(name.utf8.count), UInt8(bitPattern: group)] + Array(name.utf8)
            let size = 2 + 1 + 1 + dimensions.count + data.count + 1
            u16(UInt16(size))
            bytes += [UInt8(bitPattern: type), UInt8(dimensions.count)] + dimensions.map(UInt8.init) + data + [0]
        }

        mutating func int16Parameter(_ group: Int8, _ name: String, _ values: [Int16]) {
            var data = Writer(processor: processor)
            for value in values { data.i16(value) }
            parameter(group, name, type: 2, dimensions: values.count == 1 ? [] : [values.count], data: data.bytes)
        }

        mutating func floatParameter(_ group: Int8, _ name: String, _ values: [Float], dimensions: [Int]? = nil) {
            var data = Writer(processor: processor)
            for value in values { data.f32(value) }
            parameter(group, name, type: 4, dimensions: dimensions ?? (values.count == 1 ? [] : [values.count]), data: data.bytes)
        }

        mutating func textParameter(_ group: Int8, _ name: String, _ values: [String]) {
            let width = values.map(\.utf8.count).max() ?? 1
            let data = values.flatMap { Array($0.utf8) + [UInt8](repeating: 32, count: width - $0.utf8.count) }
            parameter(group, name, type: -1, dimensions: [width, values.count], data: data)
        }
    }
}

public enum WFDBBuilder {
    /// Encodes digital samples (frame-interleaved) in a WFDB signal format.
    public static func encode(_ values: [Int], format: Int) -> [UInt8] {
        var out: [UInt8] = []
        switch format {
        case 16: for v in values { let u = UInt16(bitPattern: Int16(v)); out += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        case 24: for v in values { let u = UInt32(bitPattern: Int32(v)); out += [UInt8(u & 0xFF), UInt8(u >> 8 & 0xFF), UInt8(u >> 16 & 0xFF)] }
        case 32: for v in values { let u = UInt32(bitPattern: Int32(v)); out += [UInt8(u & 0xFF), UInt8(u >> 8 & 0xFF), UInt8(u >> 16 & 0xFF), UInt8(u >> 24)] }
        case 80: for v in values { out.append(UInt8(v + 128)) }
        case 212:
            var index = 0
            while index < values.count {
                let a = values[index] & 0xFFF
                let b = index + 1 < values.count ? values[index + 1] & 0xFFF : 0
                out += [UInt8(a & 0xFF), UInt8((a >> 8) | ((b >> 8) << 4)), UInt8(b & 0xFF)]
                index += 2
            }
        default: fatalError("format \(format)")
        }
        return out
    }
}
