import Foundation
import MyoTestSupport
import Testing

/// `myoshell batch`: a script over a BIDS-style study in parallel processes, tables merged with
/// the path's entities as columns, unchanged recordings skipped, a failing one reported without
/// stopping the others.
@Suite struct BatchTests {
    /// A study of `subjects` x 2 sessions (sub-01, sub-02, ...), the sample recordings in turn.
    static func study(subjects: Int = 2) throws -> String {
        let folder = TestEnvironment.temporaryFolder()
        let root = TestEnvironment.repositoryRoot + "/sample-data/"
        for (subject, source) in (1...subjects).map({ (String(format: "%02d", $0), $0 % 2 == 1 ? "bridge-set.csv" : "sorensen.csv") }) {
            for session in ["1", "2"] {
                let dir = "\(folder)/study/sub-\(subject)/ses-\(session)/emg"
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: root + source, toPath: "\(dir)/sub-\(subject)_ses-\(session)_task-hold_emg.csv")
            }
        }
        try "load ${recording} as r\nstats r.ES_* as stats\n".write(toFile: folder + "/analysis.myo", atomically: true, encoding: .utf8)
        return folder
    }

    static func batch(_ folder: String) throws -> ProcessResult {
        try runMyoShell(["batch", "analysis.myo", "over=study/sub-*/ses-*/emg/*_emg.csv", "to", "results", "jobs=2"], in: folder)
    }

    @Test func mergesEveryRecordingsTablesWithTheirEntities() throws {
        let folder = try Self.study()
        let result = try Self.batch(folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("4 recordings: 4 ran, 0 unchanged, 0 failed; merged stats into results"))
        let merged = try String(contentsOfFile: folder + "/results/stats.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(merged[0].hasPrefix("name,subject,session,task,channel,"))
        #expect(merged.count == 1 + 4 * 2, "\(merged.count) lines")
        #expect(merged[1].hasPrefix("sub-01_ses-1_task-hold_emg,01,1,hold,r.ES_L,") && merged[5].hasPrefix("sub-02_ses-1_task-hold_emg,02,1,hold,r.ES_L,"))
        // The rows are the script's own, run alone on that recording.
        let alone = try runMyoShell(["-c", "load study/sub-02/ses-1/emg/sub-02_ses-1_task-hold_emg.csv as r; stats r.ES_* as stats; export stats to alone.csv"], in: folder)
        #expect(alone.status == 0)
        let single = try String(contentsOfFile: folder + "/alone.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let own = try String(contentsOfFile: folder + "/results/runs/sub-02__ses-1__emg__sub-02_ses-1_task-hold_emg.csv/tables/stats.json", encoding: .utf8)
        #expect(own.contains("\"r.ES_L\""))
        let mergedCells = merged[5].split(separator: ",").dropFirst(4).map { Double($0) ?? .nan }
        let singleCells = single[1].split(separator: ",").dropFirst(1).map { Double($0) ?? .nan }
        #expect(mergedCells.dropFirst().count == singleCells.count)
        for (a, b) in zip(mergedCells.dropFirst(), singleCells) { #expect(abs(a - b) <= 1e-6 * max(1, abs(b)), "\(a) vs \(b)") }
        // One at a time (jobs=1, a sequential loop) merges the same bytes as two at a time.
        let sequential = try runMyoShell(["batch", "analysis.myo", "over=study/sub-*/ses-*/emg/*_emg.csv", "to", "one-by-one", "jobs=1"], in: folder)
        #expect(sequential.status == 0)
        #expect(FileManager.default.contents(atPath: folder + "/one-by-one/stats.csv") == FileManager.default.contents(atPath: folder + "/results/stats.csv"))
    }

    /// names= names parameters in paths that are not BIDS: {NAME} parts of the path's end.
    @Test func namesFromAPatternTheUserGives() throws {
        let folder = TestEnvironment.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/data/P07/week3", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestEnvironment.repositoryRoot + "/sample-data/mvc.csv", toPath: folder + "/data/P07/week3/trial_mvc.csv")
        try "load ${recording} as r\nstats r.GM_* as s\n".write(toFile: folder + "/d.myo", atomically: true, encoding: .utf8)
        // A sidecar that contradicts the file: the run goes on with the sidecar's word, and the
        // warning is collected in warnings.csv.
        try "name\ttype\tunits\nGM_L\tEMG\tuV\n".write(toFile: folder + "/data/P07/week3/trial_channels.tsv", atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(atPath: folder + "/data/P07/week3/trial_mvc.csv", toPath: folder + "/data/P07/week3/trial_emg.csv")
        let result = try runMyoShell(["batch", "d.myo", "over=data/*/*/*.csv", "names={subject}/{session}/trial_{task}.csv", "to", "out"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let warnings = try String(contentsOfFile: folder + "/out/warnings.csv", encoding: .utf8)
        #expect(warnings.contains("GM_L is in uV there and mV in trial_emg.csv: the sidecar's unit is used"), "\(warnings)")
        let lines = try String(contentsOfFile: folder + "/out/s.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines[0].hasPrefix("name,subject,session,task,channel,") && lines[1].hasPrefix("trial_emg,P07,week3,emg,r.GM_L,"), "\(lines)")
    }

    @Test func rerunsOnlyWhatChangedAndReportsFailuresWithoutStopping() throws {
        let folder = try Self.study()
        #expect(try Self.batch(folder).status == 0)
        // One recording's bytes change, one new file is not a recording.
        let changed = folder + "/study/sub-01/ses-2/emg/sub-01_ses-2_task-hold_emg.csv"
        try FileManager.default.removeItem(atPath: changed)
        try FileManager.default.copyItem(atPath: TestEnvironment.repositoryRoot + "/sample-data/flexion-relaxation.csv", toPath: changed)
        try "not a recording\n".write(toFile: folder + "/study/sub-02/ses-2/emg/sub-02_ses-3_task-hold_emg.csv", atomically: true, encoding: .utf8)
        let second = try Self.batch(folder)
        #expect(second.status == 1)
        #expect(second.stderr.contains("batch: 5 recordings: 1 ran, 3 unchanged, 1 failed; merged stats into results; sub-02__ses-2__emg__sub-02_ses-3_task-hold_emg.csv: "), "\(second.stderr)")
        #expect(second.stderr.contains("expected data rows after the header, found none"))
        let summary = try String(contentsOfFile: folder + "/results/batch.json", encoding: .utf8)
        #expect(summary.contains("\"status\":\"failed\"") && summary.contains("\"status\":\"unchanged\"") && summary.contains("\"status\":\"ran\""))
        let merged = try String(contentsOfFile: folder + "/results/stats.csv", encoding: .utf8).split(separator: "\n")
        #expect(merged.count == 1 + 4 * 2)
    }

    static let snakemake: String? = ["/usr/local/bin/snakemake", "/usr/bin/snakemake"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? (try? runProgram("/bin/sh", ["-c", "command -v snakemake"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0.isEmpty ? nil : $0 }

    /// The workflow `cohort workflow` writes, run by a real Snakemake (pip install snakemake), merges
    /// the same bytes as `batch`, and a second Snakemake run has nothing to do.
    @Test(.enabled(if: snakemake != nil, "snakemake is not installed (pip install snakemake)"))
    func snakemakeWorkflowMergesTheSameBytesAsBatch() throws {
        let folder = try Self.study(subjects: 12)
        #expect(try Self.batch(folder).status == 0)
        let written = try runMyoShell(["-c", "cohort workflow analysis.myo over='study/sub-*/ses-*/emg/*_emg.csv' to workflow results=by-snakemake"], in: folder)
        #expect(written.status == 0 && written.stdout.contains("for 24 recordings"), "\(written.stderr)")
        let run = try runProgram(Self.snakemake!, ["-s", "workflow/Snakefile", "--cores", "2"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["stats.csv", "stats.json"] {
            #expect(FileManager.default.contents(atPath: folder + "/results/" + name) == FileManager.default.contents(atPath: folder + "/by-snakemake/" + name), "\(name) differs")
        }
        let again = try runProgram(Self.snakemake!, ["-s", "workflow/Snakefile", "--cores", "2"], in: folder)
        #expect(again.status == 0 && (again.stdout + again.stderr).contains("Nothing to be done"), "\(again.stdout)\(again.stderr)")
        // One input touched: one recording job reruns, then the merge.
        let touched = folder + "/study/sub-02/ses-1/emg/sub-02_ses-1_task-hold_emg.csv"
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: touched)
        let rerun = try runProgram(Self.snakemake!, ["-s", "workflow/Snakefile", "--cores", "2"], in: folder)
        let stats = (rerun.stdout + rerun.stderr).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(stats.contains(["recording", "1"]) && stats.contains(["merge", "1"]), "\(rerun.stdout)\(rerun.stderr)")
        // The Slurm profile is one Snakemake accepts (a dry run, when the Slurm executor plugin is installed).
        let profile = try String(contentsOfFile: folder + "/workflow/profiles/slurm/config.yaml", encoding: .utf8)
        #expect(profile.contains("executor: slurm") && profile.contains("slurm_partition"))
        if (try? runProgram("/usr/bin/env", ["python3", "-c", "import snakemake_executor_plugin_slurm"]).status) == 0 {
            let dry = try runProgram(Self.snakemake!, ["-s", "workflow/Snakefile", "--profile", "workflow/profiles/slurm", "-n", "--forceall"], in: folder)
            #expect(dry.status == 0 && (dry.stdout + dry.stderr).contains("This was a dry-run"), "\(dry.stdout)\(dry.stderr)")
        }
    }

    /// A BIDS dataset `ds` of two participants (sub-01 with a session, sub-02 without) and the
    /// script `a.myo` (stats of the ES channels), in a new folder.
    static func twoParticipantDataset() throws -> String {
        let folder = TestEnvironment.temporaryFolder()
        let made = try runMyoShell(["-c", "load sample-data/bridge-set.csv as b; export b to \(folder)/ds bids=yes subject=01 session=1 task=bridge; "
                                   + "load sample-data/sorensen.csv as s; export s to \(folder)/ds bids=yes subject=02 task=hold"])
        #expect(made.status == 0, "\(made.stderr)")
        try "load ${recording} as r\nstats r.ES_* as stats\n".write(toFile: folder + "/a.myo", atomically: true, encoding: .utf8)
        return folder
    }

    /// The BIDS App convention: participant level per label (then all), group level merging every
    /// participant's tables, a derivatives dataset_description.json.
    @Test func bidsAppRunsParticipantsThenTheGroup() throws {
        let folder = try Self.twoParticipantDataset()
        let one = try runMyoShell(["bids-app", "ds", "out", "participant", "--participant-label", "01", "script=a.myo"], in: folder)
        #expect(one.status == 0 && one.stdout.contains("sub-01: 1 recordings, 1 ran"), "\(one.stdout)\(one.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/sub-02"))
        let all = try runMyoShell(["bids-app", "ds", "out", "participant", "script=a.myo"], in: folder)
        #expect(all.stdout.contains("sub-01: 1 recordings, 0 ran, 1 unchanged") && all.stdout.contains("sub-02: 1 recordings, 1 ran"), "\(all.stdout)")
        let group = try runMyoShell(["bids-app", "ds", "out", "group"], in: folder)
        #expect(group.status == 0)
        let lines = try String(contentsOfFile: folder + "/out/group/stats.csv", encoding: .utf8).split(separator: "\n")
        // Two ES channels a participant; sub-02 has no session: its cell is empty.
        #expect(lines.count == 1 + 4 && lines[0].hasPrefix("name,subject,session,task,channel,"))
        #expect(lines[3].hasPrefix("sub-02_task-hold_emg,02,,hold,r.ES_L,"), "\(lines[3])")
        let description = try String(contentsOfFile: folder + "/out/dataset_description.json", encoding: .utf8)
        #expect(description.contains("\"DatasetType\":\"derivative\""))
        let missing = try runMyoShell(["bids-app", "ds", "out", "participant", "--participant-label", "07", "script=a.myo"], in: folder)
        #expect(missing.status == 1 && missing.stderr.contains("has no participant sub-07 (it has sub-01, sub-02)"))
    }

    /// bids-app kubernetes=: an Indexed Job (one pod per participant, its label picked by the
    /// pod's JOB_COMPLETION_INDEX) and the group's Job, parsed as YAML (PyYAML) and checked; the
    /// command a pod runs is then run here as the pod would (index 1, the volume's root as the
    /// working folder, myoshell on the PATH), and the group command after it.
    @Test(.enabled(if: TestEnvironment.hasPythonModule("yaml"), "skipped: needs PyYAML (Snakemake, installed by scripts/test, brings it)"))
    func bidsAppWritesKubernetesJobsWhosePodCommandsRun() throws {
        let folder = try Self.twoParticipantDataset()
        let written = try runMyoShell(["bids-app", "ds", "out", "participant", "script=a.myo", "kubernetes=job.yaml", "image=registry.example/myoshell:0.1.0", "claim=study"], in: folder)
        #expect(written.status == 0 && written.stdout.contains("wrote job.yaml, job-group.yaml"), "\(written.stdout)\(written.stderr)")
        let check = """
        import json, sys, yaml
        out = []
        for name in ["job.yaml", "job-group.yaml"]:
            job = yaml.safe_load(open(name))
            pod = job["spec"]["template"]["spec"]
            c = pod["containers"][0]
            out.append({"kind": job["kind"], "mode": job["spec"].get("completionMode"), "completions": job["spec"].get("completions"),
                        "image": c["image"], "dir": c["workingDir"], "claim": pod["volumes"][0]["persistentVolumeClaim"]["claimName"],
                        "mount": c["volumeMounts"][0]["mountPath"], "command": c["command"] + c["args"]})
        json.dump(out, sys.stdout)
        """
        let parsed = try runProgram("/usr/bin/env", ["python3", "-c", check], in: folder)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let jobs = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String: Any]])
        #expect(jobs[0]["kind"] as? String == "Job" && jobs[0]["mode"] as? String == "Indexed" && jobs[0]["completions"] as? Int == 2)
        #expect(jobs[0]["image"] as? String == "registry.example/myoshell:0.1.0" && jobs[0]["claim"] as? String == "study" && jobs[0]["dir"] as? String == "/data" && jobs[0]["mount"] as? String == "/data")
        let command = try #require(jobs[0]["command"] as? [String]), group = try #require(jobs[1]["command"] as? [String])
        let bin = URL(fileURLWithPath: TestEnvironment.myoshell).deletingLastPathComponent().path
        let environment = ["PATH": bin + ":/usr/bin:/bin", "JOB_COMPLETION_INDEX": "1"]
        let pod = try runProgram(command[0], Array(command.dropFirst()), in: folder, environment: environment)
        #expect(pod.status == 0 && pod.stdout.contains("sub-02: 1 recordings, 1 ran"), "\(pod.stdout)\(pod.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/sub-01"))
        let pod0 = try runProgram(command[0], Array(command.dropFirst()), in: folder, environment: environment.merging(["JOB_COMPLETION_INDEX": "0"]) { $1 })
        #expect(pod0.status == 0 && pod0.stdout.contains("sub-01: 1 recordings, 1 ran"), "\(pod0.stdout)\(pod0.stderr)")
        let merged = try runProgram(group[0], Array(group.dropFirst()), in: folder, environment: environment)
        #expect(merged.status == 0 && merged.stdout.contains("group: 2 participants"), "\(merged.stdout)\(merged.stderr)")
        let outside = try runMyoShell(["bids-app", "/tmp/ds", "out", "participant", "script=a.myo", "kubernetes=job.yaml"], in: folder)
        #expect(outside.status == 1 && outside.stderr.contains("paths inside this folder"), "\(outside.stderr)")
    }

    /// keep=yes: each run keeps its measures in the progress database, one session per recording,
    /// dated by its session label; a study whose sessions are not dates gets one sentence.
    @Test func keepPutsEachRecordingInTheProgressDatabase() throws {
        let folder = TestEnvironment.temporaryFolder()
        for session in ["20261101", "20261108"] {
            let dir = "\(folder)/study/sub-P01/ses-\(session)/emg"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: TestEnvironment.repositoryRoot + "/sample-data/sorensen.csv", toPath: "\(dir)/sub-P01_ses-\(session)_task-hold_emg.csv")
        }
        try "load ${recording} as r\nsorensen r as sor\n".write(toFile: folder + "/k.myo", atomically: true, encoding: .utf8)
        let run = try runMyoShell(["batch", "k.myo", "over=study/sub-*/ses-*/emg/*_emg.csv", "to", "results", "keep=yes", "db=clinic.sqlite"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let progress = try runMyoShell(["-c", "db open clinic.sqlite; progress P01"], in: folder)
        #expect(progress.stdout.contains("1 subject, 2 sessions, 2 kept results"), "\(progress.stdout)")
        #expect(progress.stdout.contains("sessions: 2026-11-01, 2026-11-08"))
        let undated = try Self.study()
        let refused = try runMyoShell(["batch", "analysis.myo", "over=study/sub-*/ses-*/emg/*_emg.csv", "to", "results", "keep=yes", "db=clinic.sqlite"], in: undated)
        #expect(refused.status == 1 && refused.stderr.contains("keep=yes needs the subject (sub-LABEL) and the session's date (acq_time in the session's scans.tsv, or ses-YYYYMMDD or ses-YYYY-MM-DD in the path)"), "\(refused.stderr)")
        // Sessions labelled 1 and 2 are dated by their scans.tsv (acq_time), which the merged
        // tables then carry as `date`; a changed scans.tsv re-runs its recording.
        for subject in ["01", "02"] {
            for (session, day) in [("1", "2026-10-05"), ("2", "2026-11-09")] {
                try "filename\tacq_time\nemg/sub-\(subject)_ses-\(session)_task-hold_emg.csv\t\(day)T09:30:00\n"
                    .write(toFile: "\(undated)/study/sub-\(subject)/ses-\(session)/sub-\(subject)_ses-\(session)_scans.tsv", atomically: true, encoding: .utf8)
            }
        }
        try "load ${recording} as r\nstats r.ES_* as stats\nquality r as q\n".write(toFile: undated + "/q.myo", atomically: true, encoding: .utf8)
        let dated = try runMyoShell(["batch", "q.myo", "over=study/sub-*/ses-*/emg/*_emg.csv", "to", "results", "keep=yes", "db=clinic.sqlite"], in: undated)
        #expect(dated.status == 0, "\(dated.stderr)")
        let sessions = try runMyoShell(["-c", "db open clinic.sqlite; progress 02"], in: undated)
        #expect(sessions.stdout.contains("sessions: 2026-10-05, 2026-11-09"), "\(sessions.stdout)")
        #expect(try String(contentsOfFile: undated + "/results/stats.csv", encoding: .utf8).hasPrefix("name,subject,session,task,date,channel,"))
        try "filename\tacq_time\nemg/sub-01_ses-1_task-hold_emg.csv\t2026-10-06T09:30:00\n".write(toFile: "\(undated)/study/sub-01/ses-1/sub-01_ses-1_scans.tsv", atomically: true, encoding: .utf8)
        let again = try runMyoShell(["batch", "q.myo", "over=study/sub-*/ses-*/emg/*_emg.csv", "to", "results", "keep=yes", "db=clinic.sqlite"], in: undated)
        #expect(again.stdout.contains("4 recordings: 1 ran, 3 unchanged, 0 failed"), "\(again.stdout)")
    }

    /// Two recordings with the same entities both fail with a sentence naming the other, in the
    /// failures table; a pattern that matches nothing is one sentence.
    @Test func clashesAndEmptyPatternsAreSentences() throws {
        let folder = TestEnvironment.temporaryFolder()
        for place in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: "\(folder)/\(place)/sub-01", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: TestEnvironment.repositoryRoot + "/sample-data/mvc.csv", toPath: "\(folder)/\(place)/sub-01/sub-01_task-x_emg.csv")
        }
        try FileManager.default.copyItem(atPath: TestEnvironment.repositoryRoot + "/sample-data/mvc.csv", toPath: "\(folder)/a/sub-01/sub-01_task-y_emg.csv")
        try "load ${recording} as r\nstats r as s\n".write(toFile: folder + "/d.myo", atomically: true, encoding: .utf8)
        let result = try runMyoShell(["batch", "d.myo", "over=*/sub-*/*_emg.csv", "to", "results"], in: folder)
        #expect(result.status == 1 && result.stderr.contains("3 recordings: 1 ran, 0 unchanged, 2 failed"), "\(result.stderr)")
        let failures = try String(contentsOfFile: folder + "/results/failures.csv", encoding: .utf8).split(separator: "\n")
        #expect(failures.count == 3 && failures[1].contains("maps to the same subject, session, task, acquisition, run and recording entity as b__sub-01__sub-01_task-x_emg.csv"))
        let empty = try runMyoShell(["batch", "d.myo", "over=nothing/*.edf", "to", "results"], in: folder)
        #expect(empty.stderr.contains("batch: no file matches nothing/*.edf"))
    }

    /// BIDS EMG's recording entity (one task recorded by a bipolar and a high-density montage, as
    /// bids-examples' emg_ConcurrentIndependentUnits holds) tells two recordings apart: both run,
    /// and the merged table has a recording_label column. Written as the issue writes it:
    /// `batch SCRIPT over 'PATTERN' to DIR` (the keyword form of over=).
    @Test func theRecordingEntityTellsMontagesApart() throws {
        let folder = TestEnvironment.temporaryFolder()
        try FileManager.default.createDirectory(atPath: "\(folder)/study/sub-01/emg", withIntermediateDirectories: true)
        for montage in ["bipolar", "highDensity"] {
            try FileManager.default.copyItem(atPath: TestEnvironment.repositoryRoot + "/sample-data/mvc.csv",
                                             toPath: "\(folder)/study/sub-01/emg/sub-01_task-jumping_recording-\(montage)_emg.csv")
        }
        try "load ${recording} as r\nstats r.ES_L as s\n".write(toFile: folder + "/d.myo", atomically: true, encoding: .utf8)
        let result = try runMyoShell(["batch", "d.myo", "over", "study/sub-*/emg/*_emg.csv", "to", "results"], in: folder)
        #expect(result.status == 0 && result.stdout.contains("2 recordings: 2 ran, 0 unchanged, 0 failed"), "\(result.stdout)\(result.stderr)")
        let merged = try String(contentsOfFile: folder + "/results/s.csv", encoding: .utf8).split(separator: "\n")
        #expect(merged.count == 3 && merged[0].hasPrefix("name,subject,task,recording_label,channel,"), "\(merged)")
        #expect(merged[1].contains(",01,jumping,bipolar,") && merged[2].contains(",01,jumping,highDensity,"), "\(merged)")
        // The keyword form takes an option once: over given twice is refused as before.
        let twice = try runMyoShell(["batch", "d.myo", "over=study/*", "over", "study/*", "to", "results"], in: folder)
        #expect(twice.status == 1 && twice.stderr.contains("batch does not take 'over'"), "\(twice.stderr)")
    }
}
