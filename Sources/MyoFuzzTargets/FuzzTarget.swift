#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFormats

/// One fuzz target: what it feeds the bytes to, and the file name and `load` arguments it uses.
///
/// Every target runs the real command pipeline of a fresh session (tokenizer, binder, registry,
/// readers, commands), so a crash found here is a crash a user can reach. The same targets run
/// under libFuzzer (`scripts/fuzz`, build with `-DMYOSHELL_LIBFUZZER`) and in the test suite,
/// which replays every seed and every kept crash input without the fuzzer.
public struct FuzzTarget: Sendable {
    public enum Kind: Sendable {
        /// The bytes are a recording file: loaded with `load FILE <arguments> as r`, then measured.
        case recording(file: String, arguments: String)
        /// The bytes are a WFDB signal file `sig.dat`; the first byte picks the header beside it.
        case wfdbSignal
        /// The bytes are a montage file applied to a loaded recording.
        case montage
        /// The bytes are an exercise template in a templates folder.
        case template
        /// The bytes are one command line, run against a workspace with recordings loaded.
        case commandLine
    }

    public var name: String
    public var summary: String
    public var kind: Kind
    /// Environment set before the first input (the CSV kernel choice is made once per process).
    public var environment: [String: String] = [:]
    /// The folder of Tests/Fuzz/Seeds whose files seed this target (a target of the same input
    /// shares another's seeds).
    public var seeds: String { name == "csv-portable" ? "csv" : name }

    /// Every target, in the order `scripts/fuzz` runs them.
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "csv", summary: "CSV with the fast path of this processor (AVX2 where it has it)", kind: .recording(file: "input.csv", arguments: "format=csv")),
        FuzzTarget(name: "csv-portable", summary: "CSV with the portable fast path", kind: .recording(file: "input.csv", arguments: "format=csv"),
                   environment: ["MYOSHELL_CSV_KERNEL": "portable"]),
        FuzzTarget(name: "c3d", summary: "C3D (header, parameter section, analog and point data)", kind: .recording(file: "input.c3d", arguments: "format=c3d markers=yes")),
        FuzzTarget(name: "edf", summary: "EDF / EDF+ with annotations", kind: .recording(file: "input.edf", arguments: "format=edf")),
        FuzzTarget(name: "bdf", summary: "BDF / BDF+", kind: .recording(file: "input.bdf", arguments: "format=bdf")),
        FuzzTarget(name: "wfdb-header", summary: "WFDB header (signal files of every format beside it)", kind: .recording(file: "input.hea", arguments: "format=wfdb")),
        FuzzTarget(name: "wfdb-signal", summary: "WFDB signal file, in the format the first byte picks", kind: .wfdbSignal),
        FuzzTarget(name: "xdf", summary: "XDF (LabRecorder, live): chunks, stream header XML, samples of every format, markers", kind: .recording(file: "input.xdf", arguments: "format=xdf")),
        FuzzTarget(name: "opensignals", summary: "PLUX OpenSignals text", kind: .recording(file: "input.txt", arguments: "format=opensignals")),
        FuzzTarget(name: "biosppy", summary: "BioSPPy text", kind: .recording(file: "input.txt", arguments: "format=biosppy")),
        FuzzTarget(name: "biometrics", summary: "Biometrics DataLOG text", kind: .recording(file: "input.txt", arguments: "format=biometrics")),
        FuzzTarget(name: "delsys", summary: "Delsys Trigno CSV", kind: .recording(file: "input.csv", arguments: "format=delsys")),
        FuzzTarget(name: "noraxon", summary: "Noraxon MR3 CSV", kind: .recording(file: "input.csv", arguments: "format=noraxon")),
        FuzzTarget(name: "shimmer", summary: "Shimmer Consensys CSV", kind: .recording(file: "input.csv", arguments: "format=shimmer")),
        FuzzTarget(name: "json", summary: "MyoShell's JSON export", kind: .recording(file: "input.json", arguments: "format=json")),
        FuzzTarget(name: "text", summary: "headerless numeric text with fs=", kind: .recording(file: "input.txt", arguments: "format=text fs=1000Hz")),
        FuzzTarget(name: "detect", summary: "any file, format found from its content", kind: .recording(file: "input.dat", arguments: "")),
        FuzzTarget(name: "montage", summary: "montage files (arrows, YAML, CSV)", kind: .montage),
        FuzzTarget(name: "template", summary: "exercise templates (JSON)", kind: .template),
        FuzzTarget(name: "command", summary: "command lines: tokenizer, parser, argument binder and every command", kind: .commandLine),
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
