#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MyoCore
import MyoFiles
import MyoProgress

/// The progress database of a session: opened on first use at the default path, or the one
/// `db open PATH` names.
extension Session {
    /// `$MYOSHELL_DB`, else `$XDG_DATA_HOME/myoshell/progress.sqlite`, else
    /// `~/.local/share/myoshell/progress.sqlite`.
    public static func defaultDatabasePath(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["MYOSHELL_DB"], !path.isEmpty { return path }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/myoshell/progress.sqlite" }
        return (environment["HOME"] ?? ".") + "/.local/share/myoshell/progress.sqlite"
    }

    /// The open store, opening the default one when none is.
    public func progressStore() throws -> ProgressStore {
        if let store = openStore { return store }
        let store = try SQLiteProgressStore(path: databasePath ?? Self.defaultDatabasePath())
        openStore = store
        return store
    }

    /// The non-response rules, read once per session.
    public func nonResponseRules() throws -> FlagRules {
        if let rules = flagRules { return rules }
        let rules = try FlagRules.load()
        flagRules = rules
        return rules
    }

    /// The reliability table, read once per session.
    public func reliabilityTable() throws -> ReliabilityTable {
        if let table = reliability { return table }
        let table = try ReliabilityTable.load()
        reliability = table
        return table
    }
}
