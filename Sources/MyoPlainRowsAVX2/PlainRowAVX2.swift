import MyoPlainRows

/// PlainRowReader.read compiled for processors with AVX2 (Package.swift builds this module for
/// Haswell on x86-64), where one register holds the four lanes of PlainNumber.quad. Call it only
/// when `CPUFeatures.hasHaswellFeatures` says so: on an older processor it stops the program
/// with an illegal instruction. Nothing else belongs in this module, so that no code compiled
/// for Haswell can be shared with the rest of the program.
public func readPlainRowAVX2(_ reader: PlainRowReader, from start: Int, row: Int,
                             into pointers: UnsafeBufferPointer<UnsafeMutablePointer<Float>?>, time: inout Double) -> Int? {
    reader.read(from: start, row: row, into: pointers, time: &time)
}
