#if canImport(Glibc)
import Glibc
#endif

/// Helpers for readers that decode into many columns at once, in parallel.
enum PinnedColumns {
    /// A column of `count` samples left uninitialised, for a reader that writes every element.
    ///
    /// With `hugePages`, a large column asks the kernel for 2 MiB pages, so filling an hour-long
    /// channel costs a few hundred page faults instead of a hundred thousand: right for a reader
    /// whose decoding is as fast as memory (EDF: 0.11 s against 0.22 s with 4 KiB pages, medians
    /// of 10). A reader that spends far longer per sample (CSV) gains little from it, and on a VM
    /// whose host takes back free memory, 2 MiB pages are slow to fault at random: a CSV load took
    /// 0.50-1.16 s with them (median 0.74) and 0.57-0.67 s without (median 0.59), 12 rounds each.
    static func uninitializedColumn(count: Int, hugePages: Bool) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if hugePages { adviseHugePages(UnsafeMutableRawBufferPointer(buffer)) }
            initialized = count
        }
    }

    private static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        let huge = 2 << 20
        guard let base = buffer.baseAddress, buffer.count >= 2 * huge else { return }
        let address = UInt(bitPattern: base)
        let lower = (address + UInt(huge) - 1) / UInt(huge) * UInt(huge)
        let upper = (address + UInt(buffer.count)) / UInt(huge) * UInt(huge)
        if upper > lower { madvise(UnsafeMutableRawPointer(bitPattern: lower), Int(upper - lower), MADV_HUGEPAGE) }
        #endif
    }

    /// Lets parallel workers write into `columns` through raw pointers: each array is moved out,
    /// pinned for the duration of `body`, and moved back. Workers must write disjoint elements.
    static func withPointers(to columns: inout [[Float]], _ body: (UnsafeBufferPointer<UnsafeMutablePointer<Float>?>) -> Void) {
        var pointers = [UnsafeMutablePointer<Float>?](repeating: nil, count: columns.count)
        func pin(_ index: Int) {
            guard index < columns.count else {
                pointers.withUnsafeBufferPointer { body($0) }
                return
            }
            var column = columns[index]
            columns[index] = []
            column.withUnsafeMutableBufferPointer { buffer in
                pointers[index] = buffer.baseAddress
                pin(index + 1)
            }
            columns[index] = column
        }
        pin(0)
    }

    /// Releases the whole 4 KiB pages inside `range` (and the file's partial last page when the
    /// range reaches the end), never a page shared with bytes outside it.
    static func releaseWholePages(_ range: Range<Int>, fileSize: Int, _ releasePages: (Range<Int>) -> Void) {
        let page = 4096
        let lower = (range.lowerBound + page - 1) / page * page
        let upper = range.upperBound == fileSize ? range.upperBound : range.upperBound / page * page
        if upper > lower { releasePages(lower..<upper) }
    }
}
