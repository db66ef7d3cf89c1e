#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats
import MyoPluginAPI

/// A plugin that loaded, as `plugins` lists it.
public struct LoadedPlugin {
    public var id: String
    public var name: String
    public var version: String
    public var summary: String
    public var file: String
    public var commands: [String]
}

/// A file that could not be loaded as a plugin, with the reason in one sentence.
public struct PluginFailure {
    public var file: String
    public var reason: String
}

public struct PluginCatalog {
    public var loaded: [LoadedPlugin] = []
    public var failed: [PluginFailure] = []
}

/// Finds plugin libraries and loads them with dlopen.
///
/// Search order: the folder of the executable (so `.build/release/` works), each folder of
/// `$MYOSHELL_PLUGIN_PATH` (colon separated), then the user's data folder
/// (`$XDG_DATA_HOME/myoshell/plugins`, default `~/.local/share/myoshell/plugins`). Never the
/// current folder. In the executable's folder only `libMyo*.so` files count (it also holds
/// other libraries); in the plugin folders every `*.so` does. Libraries are never closed.
public enum PluginLoader {
    public static func searchFolders(executableFolder: String?, environment: [String: String]) -> [(folder: String, strict: Bool)] {
        var folders: [(String, Bool)] = []
        if let executableFolder { folders.append((executableFolder, false)) }
        for folder in (environment["MYOSHELL_PLUGIN_PATH"] ?? "").split(separator: ":") where !folder.isEmpty {
            folders.append((String(folder), true))
        }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            folders.append((data + "/myoshell/plugins", true))
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append((home + "/.local/share/myoshell/plugins", true))
        }
        var seen = Set<String>()
        return folders.filter { seen.insert($0.0).inserted }
    }

    /// Warnings for `$MYOSHELL_PLUGIN_PATH` folders that trust wherever the shell is started: a
    /// relative folder (`.`, `plugins`) or the working folder itself. A library there is loaded,
    /// and runs with the user's rights, as soon as someone puts it in the folder being analysed.
    public static func pathWarnings(environment: [String: String], workingFolder: String?) -> [String] {
        (environment["MYOSHELL_PLUGIN_PATH"] ?? "").split(separator: ":").map(String.init).compactMap { folder in
            if !folder.hasPrefix("/") {
                return "warning: MYOSHELL_PLUGIN_PATH names '\(folder)', a folder relative to where myoshell starts, so plugins are loaded from whatever folder you analyse in; name an absolute folder you control"
            }
            if let workingFolder, FileSystem.absolutePath(folder) == FileSystem.absolutePath(workingFolder) {
                return "warning: MYOSHELL_PLUGIN_PATH names the working folder \(folder), so every .so in it is loaded as a plugin; keep plugins in a folder of their own"
            }
            return nil
        }
    }

    /// Candidate plugin files of one folder, sorted by name (so load order is stable).
    public static func candidates(in folder: String, strict: Bool) -> [String] {
        FileSystem.entries(of: folder).filter { name in
            name.hasSuffix(".so") && (strict || (name.hasPrefix("libMyo") && name != "libMyoKit.so"))
        }.sorted().map { folder + "/" + $0 }
    }

    /// Loads every plugin found in `folders` into `session`.
    public static func loadAll(into session: Session, folders: [(folder: String, strict: Bool)]) {
        for (folder, strict) in folders {
            for file in candidates(in: folder, strict: strict) {
                _ = load(file, into: session, requireEntry: strict)
            }
        }
    }

    /// Why `file` may not be trusted, or nil: it, or its folder, is writable by every user, or
    /// owned by someone other than this user or root.
    static func trustProblem(_ file: String) -> String? {
        let folder = file.lastIndex(of: "/").map { String(file[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        for (path, what) in [(file, "the library"), (folder, "its folder \(folder)")] {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if info.st_uid != 0, info.st_uid != getuid() {
                return "not loaded: \(what) belongs to another user (uid \(info.st_uid)); only your own or root's plugins are loaded"
            }
            // A sticky world-writable folder (such as /tmp) still lets others add files beside it.
            // Group-writable is allowed: Debian's user-private groups give every user umask 002.
            if info.st_mode & S_IWOTH != 0 {
                return "not loaded: \(what) is writable by every user (mode \(String(info.st_mode & 0o777, radix: 8))); make it writable by you alone (chmod o-w)"
            }
        }
        return nil
    }

    /// Loads one library. A failure is recorded in the session's catalog (and returned), never fatal.
    /// With `requireEntry` false, a library without the entry symbol is skipped silently.
    @discardableResult
    public static func load(_ file: String, into session: Session, requireEntry: Bool = true) -> Result<LoadedPlugin, MyoError> {
        func fail(_ reason: String) -> Result<LoadedPlugin, MyoError> {
            session.plugins.failed.append(PluginFailure(file: file, reason: reason))
            return .failure(.other("\(file): \(reason)"))
        }
        // dlopen runs a library's constructors before any check: like ssh with keys, a library
        // or folder that others may change is refused before it is opened.
        if let unsafe = trustProblem(file) { return fail(unsafe) }
        guard let handle = dlopen(file, RTLD_NOW | RTLD_LOCAL) else {
            return fail("cannot be opened as a library (\(dlerror().map { String(cString: $0) } ?? "unknown reason"))")
        }
        guard let symbol = dlsym(handle, pluginEntrySymbol) else {
            if !requireEntry { return .failure(.other("\(file): not a plugin")) }
            return fail("not a MyoShell plugin: it exports no \(pluginEntrySymbol) symbol")
        }
        let entry = unsafeBitCast(symbol, to: PluginEntryFunction.self)
        var out: UnsafeMutableRawPointer?
        let abi = entry(pluginABIVersion, &out)
        guard abi == pluginABIVersion else {
            return fail("built for plugin ABI \(abi), but this MyoShell speaks ABI \(pluginABIVersion); rebuild the plugin against this MyoKit")
        }
        guard let out else {
            return fail("its entry point answered ABI \(abi) but gave no plugin descriptor; it must store a retained PluginDescriptor in its second argument")
        }
        let descriptor = Unmanaged<PluginDescriptor>.fromOpaque(out).takeRetainedValue()
        if let other = session.plugins.loaded.first(where: { $0.id == descriptor.id }) {
            return fail("plugin \(descriptor.id) is already loaded from \(other.file)")
        }
        let origin = "\(descriptor.id) \(descriptor.version)"
        // All or nothing: every check passes before the first command is registered, so a plugin
        // that fails one (a clash of a name or alias, with the shell or within itself) adds none.
        var claimed: [String: String] = [:]
        for command in descriptor.commands {
            let problems = command.spec.problems()
            if !problems.isEmpty { return fail("its command spec is invalid: " + problems.joined(separator: "; ")) }
            for name in [command.spec.name] + command.spec.aliases {
                if let existing = session.registry.lookup(name) {
                    return fail("its command '\(name)' is already defined by \(existing.origin); none of its commands were added")
                }
                if let other = claimed[name] {
                    return fail("it defines '\(name)' twice (by \(other) and by \(command.spec.name)); none of its commands were added")
                }
                claimed[name] = command.spec.name
            }
        }
        for command in descriptor.commands {
            do { try session.registry.register(command, origin: origin) } catch { return fail("\(error)") }
        }
        let plugin = LoadedPlugin(id: descriptor.id, name: descriptor.name, version: descriptor.version, summary: descriptor.summary,
                                  file: file, commands: descriptor.commands.map(\.spec.name))
        session.plugins.loaded.append(plugin)
        return .success(plugin)
    }
}
