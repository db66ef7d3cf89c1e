/// The plugin ABI version this build of MyoKit speaks. Bump it whenever a type that crosses the
/// host/plugin boundary (anything in MyoCore or MyoPluginAPI) changes layout or meaning.
public let pluginABIVersion: UInt32 = 4

/// The name of the one symbol every plugin library exports.
public let pluginEntrySymbol = "myoshell_plugin_entry"

/// The C signature of the entry symbol: it receives the host's ABI version and returns the
/// plugin's. Only when they are equal does it store a retained `PluginDescriptor` in `out`,
/// so a host of another ABI never touches a Swift object of a layout it does not know.
public typealias PluginEntryFunction = @convention(c) (UInt32, UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32

/// What a plugin library offers: identity, version and commands.
public final class PluginDescriptor {
    public let abiVersion: UInt32
    /// Stable, unique identifier such as `myoshell.stats`.
    public let id: String
    public let name: String
    /// Semantic version of the plugin, recorded in the provenance of everything it computes.
    public let version: String
    public let summary: String
    public let commands: [PluginCommand]

    public init(id: String, name: String, version: String, summary: String, commands: [PluginCommand]) {
        self.abiVersion = pluginABIVersion
        self.id = id
        self.name = name
        self.version = version
        self.summary = summary
        self.commands = commands
    }

    /// The body of a plugin's entry symbol:
    ///
    ///     @_cdecl("myoshell_plugin_entry")
    ///     public func myoshellPluginEntry(_ host: UInt32, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
    ///         PluginDescriptor.export(makeDescriptor, hostABI: host, into: out)
    ///     }
    public static func export(_ make: () -> PluginDescriptor, hostABI: UInt32, into out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
        out.pointee = nil
        guard hostABI == pluginABIVersion else { return pluginABIVersion }
        out.pointee = Unmanaged.passRetained(make()).toOpaque()
        return pluginABIVersion
    }
}
