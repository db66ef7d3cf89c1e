#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFiles
import MyoPluginAPI

extension Builtins {
    /// The running myoshell executable, for the batch's child processes.
    static func executablePath() -> String { FileSystem.executablePath() ?? CommandLine.arguments[0] }

    static func batchCommand(_ session: Session) -> PluginCommand {
        let script = Argument.path("script", extensions: ["myo"], help: "the analysis script, run once per recording")
        let over = Argument.requiredText("over", help: "a glob pattern of recordings (quote it), e.g. 'study/sub-*/ses-*/emg/*_emg.edf'")
        let jobs = Argument.integer("jobs", default: "2", minimum: 1, maximum: 256, help: "recordings run at once, each in its own process")
        let step = Argument.choice("step", default: BatchStep.all, help: "all: run and merge; merge: only merge the runs already in DIR (a workflow's last step)")
        let names = Argument<String?>.text("names", help: "parameters named in the path, as '{subject}/{session}/*_{task}.csv' (quote it)")
        let keep = Argument.choice("keep", default: KeepChoice.no, help: "also keep each run's measures in the progress database (db=), one session per recording")
        let database = Argument<String?>.text("db", help: "the progress database for keep=yes (made when missing)")
        return PluginCommand(spec: CommandSpec(
            name: "batch", abstract: "Run a script over every recording a pattern matches, in parallel processes, and merge the tables",
            discussion: """
            Each matching recording runs SCRIPT in its own myoshell process, jobs= at a time, with the parameters \
            ${recording} (its absolute path), ${name} (its file name without extension) and the BIDS entities its \
            path holds: ${subject} (sub-), ${session} (ses-), ${task} (task-), ${acquisition} (acq-), ${run} (run-), \
            ${recording_label} (recording-, as BIDS EMG's recording-bipolar); \
            names='{subject}/{session}/*_{task}.csv' names others from the path's end ({NAME} matches within a \
            folder or file name, * anything but /). \
            Every named table the script leaves in the workspace is kept (DIR/runs/ID/tables/NAME.json) and merged \
            with the other recordings' into DIR/NAME.csv and DIR/NAME.json: the parameters (all but the path) as \
            the first columns, one row per row of each run, recordings in path order. A recording that fails is \
            reported with its last line of output (DIR/runs/ID/log.txt) and does not stop the others; the command \
            fails when any recording failed. Running again skips every recording whose script (with its includes \
            and parameters), recording bytes (and sidecars) and MyoShell version are unchanged (SHA-256 in \
            DIR/runs/ID/inputs.sha256); DIR/batch.json says which ran, which were unchanged and which failed. From \
            the system shell: myoshell batch SCRIPT over=PATTERN to DIR [jobs=N]. step=merge runs nothing and merges \
            the runs DIR already holds (the last step of the Snakemake workflow cohort workflow writes). keep=yes \
            db=FILE also keeps each run's measures (of the tables whose commands declare them, as keep does) in \
            the progress database, one session per recording: the subject from sub-, the date from a session \
            label that is a date (ses-20261102). See docs/COHORTS.md.
            """,
            arguments: [script, over, names, jobs, step, keep, database],
            destination: DestinationSpec(extensions: [], required: true, help: "the results folder"),
            examples: ["batch analysis.myo over='study/sub-*/ses-*/emg/*_emg.edf' to results jobs=2"])) { invocation in
            let folder = try invocation.requiredDestination
            let scriptPath = try invocation[script]
            var batch = Batch(script: FileSystem.absolutePath(scriptPath) ?? scriptPath, pattern: try invocation[over], output: folder, jobs: try invocation[jobs])
            batch.namePattern = try invocation[names]
            if try invocation[keep] == .yes {
                guard let path = try invocation[database] else { throw MyoError.other("keep=yes needs db=FILE.sqlite: the progress database the runs keep their measures in") }
                batch.keepDatabase = path.hasPrefix("/") ? path : (FileSystem.workingFolder() ?? ".") + "/" + path
            }
            let bar = ProgressBar.isAvailable ? ProgressBar(label: "batch") : nil
            defer { bar?.finish() }
            let (outcomes, merged) = try invocation[step] == .merge ? try batch.mergeOnly()
                : try batch.run(executable: executablePath()) { finished, _, total in bar?.update(Double(finished) / Double(total)) }
            let ran = outcomes.filter { $0.failure == nil && !$0.skipped }.count, unchanged = outcomes.filter(\.skipped).count
            let failed = outcomes.filter { $0.failure != nil }
            let table = ResultTable(title: "batch \(scriptPath) over \(outcomes.count) recordings",
                                    columns: [TableColumn("recording"), TableColumn("status"), TableColumn("error")],
                                    rows: outcomes.map { [.text($0.item.id), .text($0.failure != nil ? "failed" : $0.skipped ? "unchanged" : "ran"), $0.failure.map(TableCell.text) ?? .missing] })
            let summary = "\(outcomes.count) recordings: \(ran) ran, \(unchanged) unchanged, \(failed.count) failed; merged \(merged.isEmpty ? "no tables" : merged.joined(separator: ", ")) into \(folder)"
            guard failed.isEmpty else {
                throw MyoError.other("batch: " + summary + "; " + failed.prefix(3).map { "\($0.item.id): \($0.failure!)" }.joined(separator: "; ") + (failed.count > 3 ? "; ..." : "") + " (see \(folder)/batch.json)")
            }
            return [.table(table), .message(summary)]
        }
    }

    enum BatchStep: String, CaseIterable { case all, merge }
    enum KeepChoice: String, CaseIterable { case no, yes }

    static func cohortWorkflowCommand(_ session: Session) -> PluginCommand {
        let script = Argument.path("script", extensions: ["myo"], help: "the analysis script, run once per recording")
        let over = Argument.requiredText("over", help: "a glob pattern of recordings (quote it)")
        let results = Argument.text("results", default: "results", help: "the results folder the workflow writes (as batch's to DIR)")
        return PluginCommand(spec: CommandSpec(
            name: "cohort workflow", abstract: "Write a Snakemake workflow that runs a script over every recording a pattern matches and merges the tables",
            discussion: """
            Writes DIR/Snakefile and DIR/config.json (MyoShell's path, the script, the pattern, the results folder, \
            and every recording's ID, path and parameters, as batch finds them). Rule recording runs one recording \
            with the same command line batch uses; rule merge calls myoshell batch ... step=merge, so the merged \
            tables are the same bytes as batch's. Snakemake does the scheduling and the caching: snakemake -s \
            DIR/Snakefile --cores 2 on this machine, --executor slurm --jobs 200 on a cluster (its executor \
            plugins), unchanged. Paths in config.json are absolute; edit "myoshell" there when the cluster's \
            path differs. See docs/COHORTS.md.
            """,
            arguments: [script, over, results],
            destination: DestinationSpec(extensions: [], required: true, help: "the folder to write the workflow to"),
            examples: ["cohort workflow analysis.myo over='study/sub-*/ses-*/emg/*_emg.edf' to workflow"])) { invocation in
            let folder = try invocation.requiredDestination
            let scriptPath = try invocation[script]
            // Absolute paths, so the workflow runs from any folder and on any node of a shared file system.
            let here = (FileSystem.workingFolder() ?? ".") + "/"
            let pattern = try invocation[over], resultsFolder = try invocation[results]
            let batch = Batch(script: FileSystem.absolutePath(scriptPath) ?? scriptPath, pattern: pattern.hasPrefix("/") ? pattern : here + pattern,
                              output: resultsFolder.hasPrefix("/") ? resultsFolder : here + resultsFolder, jobs: 1)
            let written = try batch.writeWorkflow(to: folder, executable: executablePath())
            return [.message("wrote \(written.joined(separator: ", ")) for \(try batch.items().count) recordings; run: snakemake -s \(folder)/Snakefile --cores 2")]
        }
    }
}
