import MyoCore

/// Renders plot requests. The shell holds one; tests use a recording fake.
public protocol Plotter: AnyObject {
    /// Draws `request` on `target`. Returns text to print for terminal plots, else nil.
    func render(_ request: PlotRequest, target: PlotTarget) throws -> String?
}

/// Finds programs on `PATH`.
public enum ExecutableSearch {
    public static func find(_ program: String, path: String? = nil) -> String? {
        let search = path ?? (getenvString("PATH") ?? "/usr/bin:/bin")
        for folder in search.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

func getenvString(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}

#if canImport(Glibc)
import Glibc
#endif
