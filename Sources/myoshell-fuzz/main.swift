// myoshell-fuzz TARGET [libFuzzer options and corpus folders]   (built by scripts/fuzz)
// myoshell-fuzz TARGET FILE|FOLDER...                            (any build: replays inputs)
#if canImport(Glibc)
import Glibc
#endif
import MyoFormats
import MyoFuzzTargets

let arguments = CommandLine.arguments
if arguments.count == 2, arguments[1] == "--list" {
    for target in FuzzTarget.all { print("\(target.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(target.summary)") }
    exit(0)
}
guard arguments.count >= 2, let target = FuzzTarget.named(arguments[1]) else {
    let names = FuzzTarget.all.map { "  \($0.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \($0.summary)" }
    fputs("usage: myoshell-fuzz TARGET [FILE|FOLDER|libFuzzer option]...\ntargets:\n" + names.joined(separator: "\n") + "\n", stderr)
    exit(2)
}

/// The executable's folder holds the plugin libraries; the repository's sample-data is found
/// from $MYOSHELL_SAMPLE_DATA or by walking up from the executable.
let executable = FileSystem.absolutePath("/proc/self/exe") ?? arguments[0]
let productsFolder = String(executable[..<(executable.lastIndex(of: "/") ?? executable.endIndex)])
var sampleData = getenv("MYOSHELL_SAMPLE_DATA").map { String(cString: $0) } ?? ""
if sampleData.isEmpty {
    var folder = productsFolder
    while !folder.isEmpty, !FileSystem.isFolder(folder + "/sample-data") {
        folder = String(folder[..<(folder.lastIndex(of: "/") ?? folder.startIndex)])
    }
    sampleData = folder + "/sample-data"
}

nonisolated(unsafe) var harness: FuzzHarness!
do {
    harness = try FuzzHarness(target: target, pluginFolder: productsFolder, sampleData: sampleData)
} catch {
    fputs("myoshell-fuzz: \(error)\n", stderr)
    exit(2)
}
harness.verbose = getenv("MYOSHELL_FUZZ_VERBOSE").map { String(cString: $0) == "1" } ?? false

#if MYOSHELL_LIBFUZZER
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

var driverArguments: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
var driverCount = CInt(driverArguments.count - 1)
let status = driverArguments.withUnsafeMutableBufferPointer { buffer -> CInt in
    var pointer = buffer.baseAddress!
    return LLVMFuzzerRunDriver(&driverCount, &pointer) { data, size in
        harness.run(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
        return 0
    }
}
harness.remove()
exit(status)
#else
var files: [String] = []
for path in arguments.dropFirst(2) {
    if FileSystem.isFolder(path) {
        files += FileSystem.entries(of: path).sorted().map { path + "/" + $0 }.filter { !FileSystem.isFolder($0) }
    } else {
        files.append(path)
    }
}
for file in files {
    let bytes = try MappedFile(path: file)
    harness.run(bytes.bytes)
    print("ok \(file)")
}
harness.remove()
#endif
