import MyoPlainRows

/// PlainRowReader.readRows compiled for processors with AVX2 (Package.swift builds this module for
/// Haswell on x86-64), where one register holds the four lanes of PlainNumber.quad. Call it only
/// when `CPUFeatures.hasHaswellFeatures` says so: on an older processor it stops the program
/// with an illegal instruction. Nothing else belongs in this module, so that no code compiled
/// for Haswell can be shared with the rest of the program.
public func readPlainRowsAVX2(_ reader: PlainRowReader, from start: Int, end: Int, row: Int, count: Int,
                              into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>,
                              times: UnsafeMutablePointer<Double>) -> (position: Int, rows: Int) {
    reader.readRows(from: start, end: end, row: row, count: count, into: pointers, times: times)
}
