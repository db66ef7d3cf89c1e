#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats
import MyoSignal

/// The fixed files the targets put beside an input, made the same way on every run.
enum FuzzFixtures {
    static var temporaryFolder: String {
        getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// `sig.dat`: 8 KiB of SplitMix64 bytes (seed 1), which decode as samples in every format.
    static func writeSignalFile(to path: String) throws {
        var random = RandomSource(seed: 1)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8192)
        while bytes.count < 8192 {
            let z = random.nextUInt64()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: z >> UInt64(shift))) }
        }
        try AtomicFile.write(bytes, to: path)
    }

    /// Headers for the wfdb-signal target, one per signal format and layout; each reads `input-sig.dat`.
    static let wfdbHeaders: [String] = {
        var headers: [String] = []
        for format in [16, 212, 80, 8, 24, 32, 61, 160] {
            headers.append("input 1 1000 0\ninput-sig.dat \(format) 200/mV 12 0 0 0 0 EMG\n")
            headers.append("input 2 500\ninput-sig.dat \(format) 1000(5)/uV 16 0 -3 0 0 ES_L\ninput-sig.dat \(format) 1000/uV 16 0 7 0 0 ES_R\n")
            headers.append("input 3 2000 100\ninput-sig.dat \(format)x2 100/mV 16 0 0 0 0 A\ninput-sig.dat \(format) 100/mV 16 0 0 0 0 B\ninput-sig.dat \(format)+4 0/mV 16 0 0 0 0 C\n")
        }
        headers.append("input 2 1000 64\ninput-sig.dat 16:3+6 200/mV 16 0 0 0 0 A\ninput-sig.dat 16:1 200/mV 16 0 0 0 0 B\n")
        return headers
    }()

    /// The `"id"` of a template's JSON text, if it has a plain one.
    static func templateID(in text: String) -> String? {
        guard let key = text.firstRange(of: "\"id\"") else { return nil }
        let rest = text[key.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\n" || $0 == "\t" }
        guard rest.first == "\"" else { return nil }
        let value = rest.dropFirst().prefix { $0 != "\"" && $0 != "\\" }
        return value.isEmpty || value.count > 64 ? nil : String(value)
    }
}
