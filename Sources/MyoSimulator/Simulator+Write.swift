import MyoCore
import MyoSignal
import MyoFormats

extension Simulator {
    /// Simulates `scenario` and writes it: a CSV file at `path` (for `team`, a folder with one CSV
    /// per athlete) and each file's ground truth as `NAME.truth.json` beside it. Returns the paths.
    public static func write(_ scenario: Scenario, seed: UInt64, durationSeconds: Double?, to path: String) throws -> [String] {
        let files = simulate(scenario, seed: seed, durationSeconds: durationSeconds)
        var written: [String] = []
        // The team's folder is the output the user named: it is made (its parent must exist).
        if scenario == .team, !FileSystem.exists(path) {
            try AtomicFile.createParentFolders(of: path)
            try FileSystem.createFolders(path)
        }
        for file in files {
            let csvPath = scenario == .team ? path + "/" + file.fileName : path
            let stem = csvPath.hasSuffix(".csv") ? String(csvPath.dropLast(4)) : csvPath
            try CSVWriter.write(file.recording.channels, to: csvPath)
            let truth = JSONValue.object([("seed", .integer(Int(seed))), ("truth", file.truth)])
            try AtomicFile.write(truth.serialized() + "\n", to: stem + ".truth.json")
            written += [csvPath, stem + ".truth.json"]
        }
        return written
    }
}
