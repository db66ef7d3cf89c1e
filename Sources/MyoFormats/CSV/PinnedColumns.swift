#if canImport(Glibc)
import Glibc
#endif
import MyoCore

/// Helpers for readers that decode into many columns at once, in parallel.
enum PinnedColumns {
    /// A column of `count` samples left uninitialised, for a reader that writes every element.
    /// Large columns ask the kernel for 2 MiB pages, so filling an hour-long channel costs a few
    /// hundred page faults instead of a hundred thousand.
    static func uninitializedColumn(count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            MemoryBudget.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
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
