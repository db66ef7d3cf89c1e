#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFiles

/// Writes an EDF+C or BDF+C file while samples arrive (`live ... record to FILE`): whole data
/// records as soon as every signal has filled one, the header's record count rewritten after
/// each, and the file synced to disk at least once a second. So a stop, a lost stream or a killed
/// process leaves a file that loads, missing at most the record being filled (0.1 s when every
/// rate allows it) and what was not yet synced (at most 1 s).
///
/// Unlike exports (temp file, then rename), a recording is written in place: a temp file would
/// vanish with a killed process, and a file that grows record by record is a valid EDF at every
/// step. An existing file is never written over. Physical ranges are fixed before the first
/// sample (from the stream's unit: EDFRecorder.defaultRange); values beyond them are clipped and
/// counted, never wrapped.
public final class EDFRecorder {
    public struct Signal: Sendable {
        public var label: String
        public var unit: String
        public var sampleRateHz: Double
        public var range: (Double, Double)
        public init(label: String, unit: String, sampleRateHz: Double, range: (Double, Double)) {
            (self.label, self.unit, self.sampleRateHz, self.range) = (label, unit, sampleRateHz, range)
        }
    }

    public let path: String
    public let signals: [Signal]
    public let recordDuration: Double
    public let bytesPerSample: Int
    /// Samples of each signal beyond its physical range, written as its limit.
    public private(set) var clipped: [Int]
    public private(set) var recordsWritten = 0
    private let descriptor: Int32
    private let perRecord: [Int]
    private var pending: [[Float]]
    private var annotations: [Event] = []
    /// Bytes of annotations a record holds: 512, rounded down to whole samples of the signal.
    private var annotationBytes: Int { 512 / bytesPerSample * bytesPerSample }
    private var lastSync = 0.0
    private var headerLength: Int

    /// A physical range that holds what a sensor of this unit gives, with the source of the
    /// figure: sEMG at the skin stays within +-10 mV (Merletti and Parker 2004: up to about 5 mV),
    /// accelerometers of wearables +-16 g, gyroscopes +-2000 deg/s (common full-scale settings).
    public static func defaultRange(unit: String) -> (Double, Double) {
        switch unit {
        case "mV": return (-10, 10)
        case "uV", "µV": return (-10_000, 10_000)
        case "V": return (-0.01, 0.01)
        case "g": return (-16, 16)
        case "m/s^2", "m/s2": return (-160, 160)
        case "deg/s", "dps": return (-2000, 2000)
        case "rad/s": return (-35, 35)
        case "deg": return (-360, 360)
        default: return (-100_000, 100_000)
        }
    }

    /// Creates the file (never over an existing one) and writes its header with no records yet.
    public init(path: String, signals: [Signal], bytesPerSample: Int = 2) throws {
        guard !signals.isEmpty else { throw MyoError.other("nothing to record to \(path): no channels") }
        guard bytesPerSample == 2 || bytesPerSample == 3 else { throw MyoError.other("EDF samples have 2 bytes and BDF samples 3") }
        // The shortest record that holds whole samples of every rate, preferring 0.1 s (less lost at a stop).
        guard let duration = EDFWriter.recordDuration(for: signals.map(\.sampleRateHz), candidates: [0.1, 0.2, 0.25, 0.5, 1, 0.05, 2, 5, 10]) else {
            let rates = signals.map { NumberFormat.quantity($0.sampleRateHz, "Hz") }.joined(separator: ", ")
            throw MyoError.other("\(path): EDF needs a whole number of samples of every signal in each data record, and no record of 0.05 s to 10 s fits the rates \(rates)")
        }
        self.path = path
        self.signals = signals
        self.bytesPerSample = bytesPerSample
        recordDuration = duration
        perRecord = signals.map { Int(($0.sampleRateHz * duration).rounded()) }
        pending = signals.map { _ in [] }
        clipped = signals.map { _ in 0 }
        descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MyoError.file(path: path, reason: errno == EEXIST ? "exists; a recording never writes over a file" : "cannot be created (\(String(cString: strerror(errno))))")
        }
        headerLength = 0
        let header = self.header(records: 0)
        headerLength = header.count
        try write(header, at: 0)
    }

    deinit { close(descriptor) }

    private func header(records: Int) -> [UInt8] {
        EDFWriter.headerBytes(EDFLayout(labels: signals.map(\.label), units: signals.map(\.unit), ranges: signals.map(\.range), perRecord: perRecord,
                                        annotationSamples: annotationBytes / bytesPerSample, recordDuration: recordDuration, recordCount: records,
                                        bytesPerSample: bytesPerSample))
    }

    private func write(_ bytes: [UInt8], at offset: Int) throws {
        try FileSystem.write(bytes, to: descriptor, at: offset, path: path, kept: "the records before are kept")
    }

    /// Samples of signal `index`, in order; whole records are written as soon as all signals have one.
    public func append(_ samples: some Collection<Float>, to index: Int) throws {
        pending[index].append(contentsOf: samples)
        try writeFullRecords()
    }

    /// An annotation at `timeSeconds` from the recording's start (a marked event, a gap, a clock offset).
    public func annotate(_ event: Event) { annotations.append(event) }

    /// Seconds recorded so far in whole records.
    public var secondsWritten: Double { Double(recordsWritten) * recordDuration }

    private func writeFullRecords() throws {
        while zip(pending, perRecord).allSatisfy({ $0.count >= $1 }) {
            var block: [UInt8] = []
            block.reserveCapacity(perRecord.reduce(0, +) * bytesPerSample + annotationBytes)
            let (digitalLow, digitalHigh) = bytesPerSample == 3 ? (-8_388_608, 8_388_607) : (EDFWriter.digitalMin, EDFWriter.digitalMax)
            for (index, signal) in signals.enumerated() {
                let (low, high) = signal.range
                let scale = Double(digitalHigh - digitalLow) / (high - low)
                for value in pending[index].prefix(perRecord[index]) {
                    var digital = Double(value).isNaN ? Double(digitalLow) : ((Double(value) - low) * scale).rounded() + Double(digitalLow)
                    if digital < Double(digitalLow) || digital > Double(digitalHigh) {
                        clipped[index] += 1
                        digital = min(max(digital, Double(digitalLow)), Double(digitalHigh))
                    }
                    let bits = UInt32(bitPattern: Int32(digital))
                    block.append(UInt8(bits & 0xFF)); block.append(UInt8((bits >> 8) & 0xFF))
                    if bytesPerSample == 3 { block.append(UInt8((bits >> 16) & 0xFF)) }
                }
                pending[index].removeFirst(perRecord[index])
            }
            // The record's time-keeping TAL, then the annotations that fall in it (as many as fit;
            // the rest move on to the next record, keeping their own times).
            let start = Double(recordsWritten) * recordDuration
            var tal = Array("+\(EDFWriter.timeText(start))\u{14}\u{14}\u{0}".utf8)
            while let event = annotations.first, event.timeSeconds < start + recordDuration {
                let label = event.label.replacingBytes(below: 32, with: " ")
                let entry = Array("+\(EDFWriter.timeText(max(0, event.timeSeconds)))\u{14}\(label.prefix(200))\u{14}\u{0}".utf8)
                guard tal.count + entry.count <= annotationBytes else { break }
                tal += entry
                annotations.removeFirst()
            }
            block += tal + [UInt8](repeating: 0, count: annotationBytes - tal.count)
            try write(block, at: headerLength + recordsWritten * block.count)
            recordsWritten += 1
            try write(Array(EDFWriter.pad(String(recordsWritten), 8).utf8), at: 236)
            let now = Double(time(nil))
            if now - lastSync >= 1 {
                fdatasync(descriptor)
                lastSync = now
            }
        }
    }

    /// Writes what whole records hold, syncs, and says what was left out: the samples of the
    /// unfinished last record and annotations after the last record.
    public func finish() throws -> [String] {
        try writeFullRecords()
        fsync(descriptor)
        var notes: [String] = []
        let left = zip(signals, pending).filter { !$1.isEmpty }.map { "\($0.label) \($1.count)" }
        if !left.isEmpty { notes.append("the last \(NumberFormat.quantity(recordDuration, "s")) record was unfinished and is not in \(path) (samples left: \(left.joined(separator: ", ")))") }
        if !annotations.isEmpty { notes.append("\(annotations.count) annotation\(annotations.count == 1 ? "" : "s") after the last record not written: " + annotations.map(\.label).joined(separator: "; ")) }
        for (signal, count) in zip(signals, clipped) where count > 0 {
            notes.append("\(signal.label): \(count) samples beyond the recorded range \(NumberFormat.significant(signal.range.0))..\(NumberFormat.significant(signal.range.1)) \(signal.unit) were written at its limit")
        }
        return notes
    }
}
