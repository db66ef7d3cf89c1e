import MyoCore
import MyoFiles

/// One EDF/BDF signal whose samples stay in the file: each read decodes just the bytes of the
/// records it spans (digital to physical as the reader does), so a day-long file loads in the
/// time it takes to read its header and is never held whole in memory.
final class EDFSignalStore: SampleStore, @unchecked Sendable {
    let file: ReadOnlyFile
    let count: Int
    private let headerBytes: Int
    private let recordSize: Int
    private let offsetInRecord: Int
    private let perRecord: Int
    private let bytesPerSample: Int
    private let scale: Float
    private let shift: Float

    var origin: String { file.path }

    init(file: ReadOnlyFile, signal: EDFReader.Signal, recordCount: Int, headerBytes: Int, recordSize: Int, bytesPerSample: Int) {
        self.file = file
        count = signal.samplesPerRecord * recordCount
        self.headerBytes = headerBytes
        self.recordSize = recordSize
        offsetInRecord = signal.offsetInRecord
        perRecord = signal.samplesPerRecord
        self.bytesPerSample = bytesPerSample
        (scale, shift) = EDFReader.scaling(signal)
    }

    func read(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= count && buffer.count == range.count)
        guard !range.isEmpty else { return }
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: perRecord * bytesPerSample, alignment: 8)
        defer { raw.deallocate() }
        var position = range.lowerBound
        while position < range.upperBound {
            let record = position / perRecord
            let first = position - record * perRecord
            let last = min(perRecord, range.upperBound - record * perRecord)
            let n = last - first
            try file.read(into: raw.baseAddress!, count: n * bytesPerSample, at: headerBytes + record * recordSize + offsetInRecord + first * bytesPerSample)
            let out = buffer.baseAddress! + (position - range.lowerBound)
            EDFReader.decode(UnsafeRawPointer(raw.baseAddress!), count: n, bytesPerSample: bytesPerSample, scale: scale, shift: shift, into: out)
            position += n
        }
    }
}
