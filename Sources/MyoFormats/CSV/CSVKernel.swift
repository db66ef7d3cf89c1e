#if canImport(Glibc)
import Glibc
#endif
import CCPU

/// The build of the CSV fast path (PlainRowReader) a load uses. Both give the same values, bit
/// for bit; the AVX2 build converts four cells per instruction where the portable one takes two.
public enum CSVKernel: Sendable, CaseIterable {
    /// Built for the processor baseline: runs everywhere.
    case portable
    /// Built for Haswell (x86-64 with AVX2, BMI2, FMA): only where the processor has them.
    case avx2

    /// AVX2 where this processor has it, else portable; `MYOSHELL_CSV_KERNEL=portable` in the
    /// environment asks for portable (to compare the two, as scripts/bench does).
    public static let best: CSVKernel =
        available.contains(.avx2) && getenv("MYOSHELL_CSV_KERNEL").map({ String(cString: $0) }) != "portable" ? .avx2 : .portable

    /// The builds this processor can run.
    public static let available: [CSVKernel] = ccpu_has_haswell_features() != 0 ? [.portable, .avx2] : [.portable]
}
