#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import MyoCore
import MyoFiles
import MyoFormats

/// `batch`: one script over many recordings, each in its own `myoshell` process, the named tables
/// of every run merged into one tidy table per name (docs/COHORTS.md).
///
/// Layout of the output folder: `runs/ID/` per recording (ID: the recording's path relative to the
/// pattern's fixed prefix, '/' as '__'), holding `tables/NAME.json` (each named table the script
/// left in the workspace), `log.txt` (the run's output) and `inputs.sha256` (what the run was
/// made from); `NAME.csv` and `NAME.json` merged at the top; `batch.json` the summary.
public struct Batch {
    public var script: String
    public var pattern: String
    public var output: String
    public var jobs: Int
    public var extra: [String: String] = [:]
    /// More patterns whose matches join the pattern's (IDs relative to the pattern's fixed prefix).
    public var morePatterns: [String] = []
    /// Parameters named in the path by the user (`names='{subject}/{session}/*.csv'`): each
    /// `{NAME}` matches one path component or part of one; they join (and win over) the BIDS ones.
    public var namePattern: String?
    /// A progress database each run keeps its tables' measures in (keep=yes), one session per
    /// recording: subject from ${subject}, date from ${session} written as a date.
    public var keepDatabase: String?

    public init(script: String, pattern: String, output: String, jobs: Int, extra: [String: String] = [:], morePatterns: [String] = []) {
        self.script = script
        self.pattern = pattern
        self.output = output
        self.jobs = jobs
        self.extra = extra
        self.morePatterns = morePatterns
    }

    /// One recording of the batch: its path, the parameters its path gives and its run folder.
    public struct Item {
        public var path: String
        public var parameters: [(String, String)]
        public var id: String
    }

    public struct Outcome {
        public var item: Item
        /// nil: ran and succeeded; "unchanged": skipped; otherwise the error.
        public var failure: String?
        public var skipped: Bool
    }

    /// BIDS entities of a path (`sub-01`, `ses-02`, `task-lift`, `acq-x`, `run-3`, `recording-bipolar`
    /// in its folders and file name): subject, session, task, acquisition, run, recording_label (BIDS
    /// EMG's recording entity; `recording` is the path). Later occurrences win (the file name's).
    public static func entities(of path: String) -> [(String, String)] {
        let keys = [("sub", "subject"), ("ses", "session"), ("task", "task"), ("acq", "acquisition"), ("run", "run"), ("recording", "recording_label")]
        var found: [String: String] = [:]
        for part in path.split(separator: "/") {
            let stem = part.split(separator: ".").first.map(String.init) ?? String(part)
            for piece in stem.split(separator: "_") {
                for (key, name) in keys where piece.hasPrefix(key + "-") && piece.count > key.count + 1 {
                    found[name] = String(piece.dropFirst(key.count + 1))
                }
            }
        }
        return keys.compactMap { key in found[key.1].map { (key.1, $0) } }
    }

    /// The recordings the pattern matches, sorted, with their parameters and run folders.
    public func items() throws -> [Item] {
        let paths = Array(Set(([pattern] + morePatterns).flatMap(FileSystem.glob))).filter { !FileSystem.isFolder($0) }.sorted()
        guard !paths.isEmpty else { throw MyoError.other("batch: no file matches \(pattern)") }
        let fixed = pattern.prefix { !"*?[".contains($0) }
        let base = fixed.contains("/") ? String(fixed[...fixed.lastIndex(of: "/")!]) : ""
        return paths.map { path in
            let relative = path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
            let absolute = FileSystem.absolutePath(path) ?? path
            let name = (relative.split(separator: "/").last.map(String.init) ?? relative).split(separator: ".").first.map(String.init) ?? relative
            var parameters = [("recording", absolute), ("name", name)] + Self.entities(of: relative)
            // A BIDS session's date, when its scans.tsv states the acquisition time.
            if let date = BIDSDataset.scanDate(of: absolute) { parameters.append(("date", date)) }
            if let named = namePattern.flatMap({ Self.named(relative, pattern: $0) }) {
                for (key, value) in named {
                    if let index = parameters.firstIndex(where: { $0.0 == key }) { parameters[index].1 = value } else { parameters.append((key, value)) }
                }
            }
            parameters += extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return Item(path: absolute, parameters: parameters, id: relative.replacingOccurrences(of: "/", with: "__"))
        }
    }

    /// What a run is made from: the script with its includes and this recording's parameters
    /// substituted, MyoShell's version, and the SHA-256 of the recording's bytes (and its
    /// sidecars'). A file's hash is reused from the run folder's `files.cache` while its size and
    /// modification time (to the nanosecond) are unchanged, so a re-run reads no recording twice.
    func fingerprint(_ item: Item) throws -> (hash: String, cache: String) {
        var hash = SHA256()
        let script = try Script(path: self.script, parameters: Dictionary(item.parameters, uniquingKeysWith: { _, last in last }))
        for line in script.lines { hash.update(Array((line.text + "\n").utf8)) }
        hash.update(Array("myoshell \(myoShellVersion)\n".utf8))
        if let keepDatabase { hash.update(Array("keep \(keepDatabase)\n".utf8)) }
        let cachePath = runFolder(item) + "/files.cache"
        var cache: [String: (String, String)] = [:]   // path -> (size and time, hash)
        for line in (FileSystem.readText(cachePath) ?? "").split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            if parts.count == 3 { cache[parts[2]] = (parts[0], parts[1]) }
        }
        var fresh: [String] = []
        let files = ([item.path] + Sidecar.files(of: item.path) + BIDSDataset.sidecars(of: item.path)).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for path in files where FileSystem.exists(path) {
            var info = stat()
            guard stat(path, &info) == 0 else { throw MyoError.file(path: path, reason: "cannot be read") }
            let stamp = "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            let fileHash: String
            if let (cachedStamp, cachedHash) = cache[path], cachedStamp == stamp {
                fileHash = cachedHash
            } else {
                fileHash = try SHA256.ofFile(path)
            }
            fresh.append("\(stamp) \(fileHash) \(path)")
            hash.update(Array("\(path) \(fileHash)\n".utf8))
        }
        return (hash.finalize(), fresh.joined(separator: "\n") + "\n")
    }

    /// The `{NAME}` parts of `pattern` in `path` (the pattern matches the path's end: `*` any
    /// characters but '/', `?` one); nil when the path does not fit the pattern.
    static func named(_ path: String, pattern: String) -> [(String, String)]? {
        var regex = "(?:^|/)", names: [String] = []
        var rest = Substring(pattern)
        while let c = rest.first {
            if c == "{", let close = rest.firstIndex(of: "}") {
                names.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                regex += "([^/]+?)"
                rest = rest[rest.index(after: close)...]
                continue
            }
            switch c {
            case "*": regex += "[^/]*"
            case "?": regex += "[^/]"
            default: regex += NSRegularExpression.escapedPattern(for: String(c))
            }
            rest = rest.dropFirst()
        }
        guard let expression = try? NSRegularExpression(pattern: regex + "$"),
              let match = expression.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) else { return nil }
        return names.enumerated().compactMap { index, name in
            Range(match.range(at: index + 1), in: path).map { (name, String(path[$0])) }
        }
    }

    /// Items whose BIDS entities (at least one) equal another's: index -> the other's ID.
    static func clashes(_ items: [Item]) -> [Int: String] {
        let keys = Set(["subject", "session", "task", "acquisition", "run", "recording_label"])
        var seen: [String: Int] = [:], result: [Int: String] = [:]
        for (index, item) in items.enumerated() {
            let entities = item.parameters.filter { keys.contains($0.0) }
            guard !entities.isEmpty else { continue }
            let key = entities.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            if let first = seen[key] { result[index] = items[first].id; if result[first] == nil { result[first] = item.id } } else { seen[key] = index }
        }
        return result
    }

    /// `20261102` or `2026-11-02` (a BIDS session label that is a date) as `2026-11-02`; nil otherwise.
    static func sessionDate(_ label: String) -> String? {
        let digits = label.filter(\.isNumber)
        guard digits.count == 8, label.allSatisfy({ $0.isNumber || $0 == "-" }) else { return nil }
        let d = Array(digits)
        return "\(String(d[0..<4]))-\(String(d[4..<6]))-\(String(d[6..<8]))"
    }

    /// Merges what the runs in the output folder hold, running nothing (the last step of a
    /// workflow whose engine ran the recordings): a recording without a tables folder is failed.
    public func mergeOnly() throws -> (outcomes: [Outcome], merged: [String]) {
        let outcomes = try items().map { item in
            FileSystem.isFolder(runFolder(item) + "/tables") ? Outcome(item: item, failure: nil, skipped: false)
                : Outcome(item: item, failure: "no tables in \(runFolder(item)) (the run did not finish)", skipped: false)
        }
        let merged = try merge(outcomes.filter { $0.failure == nil })
        try writeSummary(outcomes, merged: merged)
        return (outcomes, merged)
    }

    /// A Snakemake workflow doing what `run` does: FOLDER/Snakefile and FOLDER/config.json with
    /// every recording's ID, path and parameters; rule `recording` runs one (the same command line
    /// as `run`'s processes), rule `merge` calls `myoshell batch ... step=merge`, so the merged
    /// tables are the same bytes as `batch`'s.
    public func writeWorkflow(to folder: String, executable: String) throws -> [String] {
        let items = try items()
        try FileSystem.createFolders(folder)
        let recordings = JSONValue.object(items.map { item in
            (item.id, .object([("path", .string(item.path)), ("parameters", .object(item.parameters.map { ($0.0, .string($0.1)) }))]))
        })
        let config = JSONValue.object([("myoshell", .string(executable)), ("script", .string(script)), ("pattern", .string(pattern)),
                                       ("results", .string(output)), ("recordings", recordings)])
        try AtomicFile.write(config.serialized() + "\n", to: folder + "/config.json")
        try AtomicFile.write(Self.snakefile, to: folder + "/Snakefile")
        try FileSystem.createFolders(folder + "/profiles/slurm")
        try AtomicFile.write(Self.slurmProfile, to: folder + "/profiles/slurm/config.yaml")
        return [folder + "/Snakefile", folder + "/config.json", folder + "/profiles/slurm/config.yaml"]
    }

    /// A Snakemake profile for a Slurm cluster (snakemake-executor-plugin-slurm): one job per
    /// recording, the merge on the cluster too. The partition and account are the site's.
    static let slurmProfile = """
    # Snakemake profile for Slurm (pip install snakemake-executor-plugin-slurm), written by
    # `myoshell cohort workflow`. Run from a login node:
    #   snakemake -s workflow/Snakefile --profile workflow/profiles/slurm
    # Set slurm_partition (and slurm_account when the site needs one) below; myoshell must be at the
    # path config.json names on every node (a shared file system), or edit "myoshell" there.
    executor: slurm
    jobs: 200
    latency-wait: 60
    retries: 1
    default-resources:
      slurm_partition: "CHANGE-ME"
      runtime: 30
      mem_mb: 4000
      cpus_per_task: 1

    """

    static let snakefile = """
    # Written by `myoshell cohort workflow` (docs/COHORTS.md): one job per recording, then the merge.
    # Run: snakemake -s THIS_FILE --cores 2 (or --executor slurm --jobs 200, unchanged).
    import shlex
    from pathlib import Path

    configfile: str(Path(workflow.snakefile).parent / "config.json")

    MYOSHELL = config["myoshell"]
    SCRIPT = config["script"]
    RESULTS = config["results"]
    RECORDINGS = config["recordings"]


    rule all:
        input:
            RESULTS + "/batch.json",


    rule recording:
        input:
            recording=lambda w: RECORDINGS[w.id]["path"],
            script=SCRIPT,
        output:
            directory(RESULTS + "/runs/{id}/tables"),
        log:
            RESULTS + "/runs/{id}/log.txt",
        params:
            words=lambda w: " ".join(shlex.quote(f"{k}={v}") for k, v in RECORDINGS[w.id]["parameters"].items()),
        shell:
            "{MYOSHELL:q} {input.script:q} {params.words} --results {output:q} > {log:q} 2>&1"


    rule merge:
        input:
            expand(RESULTS + "/runs/{id}/tables", id=list(RECORDINGS)),
        output:
            RESULTS + "/batch.json",
        params:
            pattern=config["pattern"],
        shell:
            "{MYOSHELL:q} batch {SCRIPT:q} over={params.pattern:q} to {RESULTS:q} step=merge"

    """

    public func run(executable: String, progress: ((Int, Int, Int) -> Void)? = nil) throws -> (outcomes: [Outcome], merged: [String]) {
        let items = try items()
        try FileSystem.createFolders(output + "/runs")
        let outcomes = Locked<[Outcome?]>(Array(repeating: nil, count: items.count))
        // Two recordings with the same BIDS entities would give rows nobody can tell apart: both fail.
        let clashes = Self.clashes(items)
        for (index, other) in clashes { outcomes.withLock { $0[index] = Outcome(item: items[index], failure: "maps to the same subject, session, task, acquisition, run and recording entity as \(other); rename one (run-2) or leave it out", skipped: false) } }
        let next = Locked(0), done = Locked((0, 0))
        let batch = self
        let workers = max(1, min(jobs, items.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while !Cancellation.isRequested {
                let index = next.withLock { value -> Int in defer { value += 1 }; return value }
                guard index < items.count else { return }
                if clashes[index] != nil { continue }
                let outcome = batch.runOne(items[index], executable: executable)
                outcomes.withLock { $0[index] = outcome }
                let (finished, failed) = done.withLock { value -> (Int, Int) in
                    value.0 += 1
                    if outcome.failure != nil { value.1 += 1 }
                    return value
                }
                progress?(finished, failed, items.count)
            }
        }
        try Cancellation.check()
        let results = outcomes.withLock { $0.compactMap { $0 } }
        let merged = try merge(results.filter { $0.failure == nil })
        try writeSummary(results, merged: merged)
        return (results, merged)
    }

    func runFolder(_ item: Item) -> String { output + "/runs/" + item.id }

    /// Runs `executable` with `arguments`, stdin from /dev/null, stdout and stderr into `log`, and
    /// waits: its exit status, or minus the signal that stopped it. posix_spawn and waitpid, not
    /// Foundation's Process, whose wait polls a run loop (a tenth of a second a run in this machine's
    /// measurements, more than the child itself takes to start).
    static func spawn(_ executable: String, _ arguments: [String], log: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw MyoError.file(path: executable, reason: "cannot be started (\(String(cString: strerror(result))))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 { guard errno == EINTR else { throw MyoError.other("waiting for \(executable) failed (\(String(cString: strerror(errno))))") } }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : -signal
    }

    func runOne(_ item: Item, executable: String) -> Outcome {
        let folder = runFolder(item)
        do {
            let (fingerprint, fileCache) = try self.fingerprint(item)
            if FileSystem.readText(folder + "/inputs.sha256") == fingerprint + "\n", FileSystem.isFolder(folder + "/tables") {
                return Outcome(item: item, failure: nil, skipped: true)
            }
            // A stale run's files go before the new run starts (a run that then fails leaves none).
            if FileSystem.exists(folder) { try FileManager.default.removeItem(atPath: folder) }
            try FileSystem.createFolders(folder)
            var arguments = [script] + item.parameters.map { "\($0.0)=\($0.1)" } + ["--results", folder + "/tables.partial"]
            if let keepDatabase {
                let values = Dictionary(item.parameters, uniquingKeysWith: { _, last in last })
                guard let subject = values["subject"], let date = values["date"] ?? values["session"].flatMap(Self.sessionDate) else {
                    return Outcome(item: item, failure: "keep=yes needs the subject (sub-LABEL) and the session's date (acq_time in the session's scans.tsv, or ses-YYYYMMDD or ses-YYYY-MM-DD in the path)", skipped: false)
                }
                arguments += ["--keep-into", keepDatabase, "--keep-subject", subject, "--keep-date", date]
            }
            let status = try Self.spawn(executable, arguments, log: folder + "/log.txt")
            guard status == 0 else {
                let text = FileSystem.readText(folder + "/log.txt") ?? ""
                let last = text.split(separator: "\n").last.map(String.init) ?? "no output"
                return Outcome(item: item, failure: status > 0 ? last : "stopped by signal \(-status)", skipped: false)
            }
            guard rename(folder + "/tables.partial", folder + "/tables") == 0 else { return Outcome(item: item, failure: "the run wrote no tables folder", skipped: false) }
            try AtomicFile.write(fingerprint + "\n", to: folder + "/inputs.sha256")
            try AtomicFile.write(fileCache, to: folder + "/files.cache")
            return Outcome(item: item, failure: nil, skipped: false)
        } catch {
            return Outcome(item: item, failure: "\(error)", skipped: false)
        }
    }

    /// Every table name of the successful runs merged: the item's parameters (but `recording`'s
    /// folder) as the first columns, then the table's own; runs in the order of their paths.
    func merge(_ outcomes: [Outcome]) throws -> [String] {
        var byName: [String: [(Item, ResultTable)]] = [:]
        for outcome in outcomes.sorted(by: { $0.item.path < $1.item.path }) {
            let folder = runFolder(outcome.item) + "/tables"
            for file in FileSystem.entries(of: folder).filter({ $0.hasSuffix(".json") }).sorted() {
                guard case .table(let table) = try RecordingLoader.load(path: folder + "/" + file, name: "t").object else { continue }
                byName[String(file.dropLast(5)), default: []].append((outcome.item, table))
            }
        }
        var written: [String] = []
        for name in byName.keys.sorted() {
            let runs = byName[name]!
            let tables = runs.map { item, table in
                let values = item.parameters.filter { $0.0 != "recording" }
                return ResultTable(title: name, columns: values.map { TableColumn($0.0) } + table.columns,
                                   rows: table.rows.map { values.map { TableCell.text($0.1) } + $0 })
            }
            let merged = Self.union(tables, title: "\(name) over \(runs.count) recordings (batch \(script))")
            try CSVWriter.write(merged, to: output + "/" + name + ".csv")
            try JSONExport.write(merged, to: output + "/" + name + ".json")
            written.append(name)
        }
        return written
    }

    /// Tables stacked on the union of their columns (in order of first appearance; a column is its
    /// name and unit), cells a table lacks left missing: recordings with and without a session, or
    /// results in different units, still make one tidy table.
    static func union(_ tables: [ResultTable], title: String) -> ResultTable {
        var columns: [TableColumn] = []
        for table in tables { for column in table.columns where !columns.contains(column) { columns.append(column) } }
        var rows: [[TableCell]] = []
        for table in tables {
            let positions = table.columns.map { column in columns.firstIndex(of: column)! }
            for row in table.rows {
                var cells = [TableCell](repeating: .missing, count: columns.count)
                for (index, cell) in zip(positions, row) { cells[index] = cell }
                rows.append(cells)
            }
        }
        return ResultTable(title: title, columns: columns, rows: rows)
    }

    func writeSummary(_ outcomes: [Outcome], merged: [String]) throws {
        let runs = JSONValue.array(outcomes.sorted { $0.item.path < $1.item.path }.map { outcome in
            .object([("recording", .string(outcome.item.path)), ("status", .string(outcome.failure != nil ? "failed" : outcome.skipped ? "unchanged" : "ran")),
                     ("error", outcome.failure.map(JSONValue.string) ?? .null)])
        })
        let summary = JSONValue.object([("script", .string(script)), ("pattern", .string(pattern)), ("myoshell", .string(myoShellVersion)),
                                        ("tables", .array(merged.map(JSONValue.string))), ("runs", runs)])
        try AtomicFile.write(summary.serialized() + "\n", to: output + "/batch.json")
        // The failures as a table of their own (empty but for its header when all succeeded).
        let failed = outcomes.filter { $0.failure != nil }.sorted { $0.item.path < $1.item.path }
        try CSVWriter.write(ResultTable(title: "failures", columns: [TableColumn("recording"), TableColumn("error")],
                                        rows: failed.map { [.text($0.item.path), .text($0.failure!)] }), to: output + "/failures.csv")
        // The warnings of the runs (a sidecar that contradicts its file, a channel without a unit),
        // one row each, from the runs' logs.
        var warnings: [[TableCell]] = []
        for outcome in outcomes.sorted(by: { $0.item.path < $1.item.path }) where outcome.failure == nil {
            for line in (FileSystem.readText(runFolder(outcome.item) + "/log.txt") ?? "").split(separator: "\n") where line.hasPrefix("warning: ") {
                warnings.append([.text(outcome.item.path), .text(String(line.dropFirst("warning: ".count)))])
            }
        }
        try CSVWriter.write(ResultTable(title: "warnings", columns: [TableColumn("recording"), TableColumn("warning")], rows: warnings), to: output + "/warnings.csv")
    }
}
