#if canImport(Glibc)
import Glibc
#endif

/// How much memory a command may still ask for, so an allocation sized from input (a header's
/// claim, `fs=1e9Hz`) is refused with a sentence before it is made, instead of ending the
/// process with "failed to allocate" and losing the workspace.
public enum MemoryBudget {
    /// Samples up to this many bytes (512 MiB, about 70 min of 16 channels at 2 kHz as Float32)
    /// are kept in memory; larger recordings stay in their EDF/BDF file and larger results go to
    /// scratch files, so the commands that stream hold a day in well under 1.5 GB.
    public static let keptInMemoryUpTo = Double(512 << 20)

    /// Bytes that can still be allocated: the memory the kernel reports as available
    /// (MemAvailable in /proc/meminfo), and no more than the address-space limit (ulimit -v)
    /// leaves beside what is already mapped.
    public static func availableBytes() -> Double {
        var available = meminfoBytes("MemAvailable:") ?? Double.greatestFiniteMagnitude
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            let mapped = statusBytes("VmSize:") ?? 0
            available = min(available, max(0, Double(limit.rlim_cur) - mapped))
        }
        return available
    }

    /// Throws when `count` values of `bytesPerValue` bytes (a count worked out in Double, so it
    /// can be any size) would not fit in what is available; `what` names the allocation.
    public static func check(values count: Double, bytesPerValue: Int, for what: String,
                             hint: String = "ask for fewer samples (a lower rate or a shorter span)") throws {
        let bytes = count * Double(bytesPerValue)
        guard count.isFinite, count >= 0 else { throw MyoError.other("\(what) would need \(NumberFormat.significant(count)) values, which is not a size") }
        let available = availableBytes()
        guard bytes <= available, count < Double(Int.max / 16) else {
            throw MyoError.other("\(what) would need \(describe(bytes)), more than the \(describe(available)) of memory available; \(hint)")
        }
    }

    /// Asks the kernel for 2 MiB pages for the whole 2 MiB pages inside `buffer` (Linux), so filling
    /// a large buffer costs a few hundred page faults instead of a hundred thousand. A hint: without
    /// transparent huge pages nothing changes.
    public static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        let huge = 2 << 20
        guard let base = buffer.baseAddress, buffer.count >= 2 * huge else { return }
        let address = UInt(bitPattern: base)
        let lower = (address + UInt(huge) - 1) / UInt(huge) * UInt(huge)
        let upper = (address + UInt(buffer.count)) / UInt(huge) * UInt(huge)
        if upper > lower { madvise(UnsafeMutableRawPointer(bitPattern: lower), Int(upper - lower), MADV_HUGEPAGE) }
        #endif
    }

    /// `12.5 GB`, `300 MB`, `4 kB` (decimal units, as `free -h --si` and the OS installers show).
    public static func describe(_ bytes: Double) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes, index = 0
        while value >= 1000, index < units.count - 1 { value /= 1000; index += 1 }
        return index == 0 ? "\(Int(value)) bytes" : "\(NumberFormat.significant(value, digits: 3)) \(units[index])"
    }

    private static func meminfoBytes(_ key: String) -> Double? { kilobytes(key, in: "/proc/meminfo") }
    private static func statusBytes(_ key: String) -> Double? { kilobytes(key, in: "/proc/self/status") }

    /// A `KEY:   123 kB` line of a /proc file, in bytes.
    private static func kilobytes(_ key: String, in path: String) -> Double? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix(key) else { continue }
            // /proc/meminfo pads with spaces, /proc/self/status with a tab and spaces.
            let number = text.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Double($0) }
            return number.map { $0 * 1024 }
        }
        return nil
    }
}
