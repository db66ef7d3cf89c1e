#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MyoCore

/// liblsl's C API (Lab Streaming Layer), loaded at run time with dlopen so MyoShell builds and
/// runs without it. Looked for in `$MYOSHELL_LIBLSL`, then by the dynamic linker's own search
/// (LD_LIBRARY_PATH, /usr/lib, /usr/local/lib), then in the `pylsl` Python package, whose wheel
/// ships `pylsl/lib/liblsl.so`. Only the functions MyoShell calls are bound.
public final class LSLLibrary: @unchecked Sendable {
    public let path: String
    /// The library's version as it reports it: 118 for 1.18.
    public let version: Int

    typealias CString = UnsafePointer<CChar>
    let createStreamInfo: @convention(c) (CString, CString, Int32, Double, Int32, CString) -> OpaquePointer?
    let destroyStreamInfo: @convention(c) (OpaquePointer?) -> Void
    let getName: @convention(c) (OpaquePointer?) -> CString?
    let getType: @convention(c) (OpaquePointer?) -> CString?
    let getChannelCount: @convention(c) (OpaquePointer?) -> Int32
    let getNominalRate: @convention(c) (OpaquePointer?) -> Double
    let getChannelFormat: @convention(c) (OpaquePointer?) -> Int32
    let getSourceID: @convention(c) (OpaquePointer?) -> CString?
    let getHostname: @convention(c) (OpaquePointer?) -> CString?
    let getDesc: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let appendChild: @convention(c) (OpaquePointer?, CString) -> OpaquePointer?
    let appendChildValue: @convention(c) (OpaquePointer?, CString, CString) -> OpaquePointer?
    let child: @convention(c) (OpaquePointer?, CString) -> OpaquePointer?
    let nextSiblingNamed: @convention(c) (OpaquePointer?, CString) -> OpaquePointer?
    let childValueNamed: @convention(c) (OpaquePointer?, CString) -> CString?
    let isEmpty: @convention(c) (OpaquePointer?) -> Int32
    let createOutlet: @convention(c) (OpaquePointer?, Int32, Int32) -> OpaquePointer?
    let destroyOutlet: @convention(c) (OpaquePointer?) -> Void
    let pushChunkWithTimestamps: @convention(c) (OpaquePointer?, UnsafePointer<Float>, UInt, UnsafePointer<Double>, Int32) -> Int32
    let haveConsumers: @convention(c) (OpaquePointer?) -> Int32
    let resolveAll: @convention(c) (UnsafeMutablePointer<OpaquePointer?>, UInt32, Double) -> Int32
    let createInlet: @convention(c) (OpaquePointer?, Int32, Int32, Int32) -> OpaquePointer?
    let destroyInlet: @convention(c) (OpaquePointer?) -> Void
    let getFullInfo: @convention(c) (OpaquePointer?, Double, UnsafeMutablePointer<Int32>) -> OpaquePointer?
    let openStream: @convention(c) (OpaquePointer?, Double, UnsafeMutablePointer<Int32>) -> Void
    let timeCorrection: @convention(c) (OpaquePointer?, Double, UnsafeMutablePointer<Int32>) -> Double
    let pullChunk: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Double>, UInt, UInt, Double, UnsafeMutablePointer<Int32>) -> UInt
    let pullStrings: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, UnsafeMutablePointer<Double>, UInt, UInt, Double, UnsafeMutablePointer<Int32>) -> UInt
    let destroyString: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void
    let localClock: @convention(c) () -> Double

    /// liblsl's `cf_float32` and `cf_string`.
    static let float32Format: Int32 = 1, stringFormat: Int32 = 3
    /// liblsl's error codes (lsl_error_code_t).
    static let timeoutError: Int32 = -1, lostError: Int32 = -2

    private init(path: String, handle: UnsafeMutableRawPointer) throws {
        func bind<T>(_ name: String, as type: T.Type = T.self) throws -> T {
            guard let symbol = dlsym(handle, name) else {
                throw MyoError.file(path: path, reason: "is not a usable liblsl: it has no \(name) (MyoShell needs liblsl 1.13 or later)")
            }
            return unsafeBitCast(symbol, to: T.self)
        }
        self.path = path
        // Errors only on stderr: liblsl logs every connection at INFO otherwise (config in memory, not on disk).
        if let symbol = dlsym(handle, "lsl_set_config_content") {
            let setConfig = unsafeBitCast(symbol, to: (@convention(c) (CString) -> Void).self)
            setConfig("[log]\nlevel = -2\n")
        }
        let libraryVersion: @convention(c) () -> Int32 = try bind("lsl_library_version")
        version = Int(libraryVersion())
        createStreamInfo = try bind("lsl_create_streaminfo")
        destroyStreamInfo = try bind("lsl_destroy_streaminfo")
        getName = try bind("lsl_get_name")
        getType = try bind("lsl_get_type")
        getChannelCount = try bind("lsl_get_channel_count")
        getNominalRate = try bind("lsl_get_nominal_srate")
        getChannelFormat = try bind("lsl_get_channel_format")
        getSourceID = try bind("lsl_get_source_id")
        getHostname = try bind("lsl_get_hostname")
        getDesc = try bind("lsl_get_desc")
        appendChild = try bind("lsl_append_child")
        appendChildValue = try bind("lsl_append_child_value")
        child = try bind("lsl_child")
        nextSiblingNamed = try bind("lsl_next_sibling_n")
        childValueNamed = try bind("lsl_child_value_n")
        isEmpty = try bind("lsl_empty")
        createOutlet = try bind("lsl_create_outlet")
        destroyOutlet = try bind("lsl_destroy_outlet")
        pushChunkWithTimestamps = try bind("lsl_push_chunk_ftnp")
        haveConsumers = try bind("lsl_have_consumers")
        resolveAll = try bind("lsl_resolve_all")
        createInlet = try bind("lsl_create_inlet")
        destroyInlet = try bind("lsl_destroy_inlet")
        getFullInfo = try bind("lsl_get_fullinfo")
        openStream = try bind("lsl_open_stream")
        timeCorrection = try bind("lsl_time_correction")
        pullChunk = try bind("lsl_pull_chunk_f")
        pullStrings = try bind("lsl_pull_chunk_str")
        destroyString = try bind("lsl_destroy_string")
        localClock = try bind("lsl_local_clock")
    }

    /// What to do when liblsl cannot be had: the one sentence every stream command gives.
    public static let howToGetIt = "install it with 'python3 -m pip install pylsl' (its wheel ships liblsl.so) or set MYOSHELL_LIBLSL to the path of liblsl.so"

    private static let shared = Locked<(attempted: Bool, library: LSLLibrary?, failure: String)>((false, nil, ""))

    /// The library, loaded once a process; a sentence saying where it was looked for otherwise.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LSLLibrary {
        let state = shared.withLock { state -> (LSLLibrary?, String) in
            if !state.attempted {
                state.attempted = true
                do { state.library = try open(environment: environment) } catch { state.failure = "\(error)" }
            }
            return (state.library, state.failure)
        }
        if let library = state.0 { return library }
        throw MyoError.other(state.1)
    }

    private static func open(environment: [String: String]) throws -> LSLLibrary {
        var tried: [String] = []
        var candidates: [String] = []
        if let explicit = environment["MYOSHELL_LIBLSL"], !explicit.isEmpty {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw MyoError.file(path: explicit, reason: "does not exist (MYOSHELL_LIBLSL); \(howToGetIt)")
            }
            candidates.append(explicit)
        }
        candidates += ["liblsl.so", "liblsl.so.2"]
        if let folder = pylslFolder() { candidates += [folder + "/lib/liblsl.so", folder + "/lib/liblsl.so.2"] }
        for candidate in candidates {
            tried.append(candidate)
            guard let handle = dlopen(candidate, RTLD_NOW | RTLD_LOCAL) else { continue }
            return try LSLLibrary(path: resolvedPath(handle) ?? candidate, handle: handle)
        }
        throw MyoError.other("liblsl (Lab Streaming Layer) was not found (looked for \(tried.joined(separator: ", "))): \(howToGetIt); every other command works without it")
    }

    /// Where the pylsl package lives, asked of python3 without importing it (importing would
    /// load its own copy of liblsl); nil when python3 or pylsl is missing.
    private static func pylslFolder() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import importlib.util, os; s = importlib.util.find_spec('pylsl'); print(os.path.dirname(s.origin) if s and s.origin else '')"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let folder = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !folder.isEmpty ? folder : nil
    }

    /// The file the dynamic linker actually opened, for `streams` to say which liblsl is in use.
    private static func resolvedPath(_ handle: UnsafeMutableRawPointer) -> String? {
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return nil }
        return maps.split(separator: "\n").lazy.compactMap { line in line.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init) }
            .first { $0.hasPrefix("/") && $0.split(separator: "/").last?.hasPrefix("liblsl") == true }
    }

    /// Seconds on liblsl's clock (the clock every LSL timestamp uses).
    public func now() -> Double { localClock() }
}
