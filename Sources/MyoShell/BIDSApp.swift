import Foundation
import MyoCore
import MyoFiles
import MyoFormats

/// The BIDS App convention (Gorgolewski et al. 2017): `myoshell bids-app BIDS_DIR OUTPUT_DIR
/// participant|group [--participant-label 01 02] script=analysis.myo`. The participant level runs
/// the script over each named participant's EMG recordings (`sub-L/[ses-*/]emg/*_emg.*`) as `batch`
/// does, into OUTPUT_DIR/sub-L/; the group level merges every participant's merged tables into
/// OUTPUT_DIR/group/. OUTPUT_DIR gets a derivatives `dataset_description.json`. So a Slurm array, a
/// Kubernetes indexed job or Snakemake can each run one participant by label.
public enum BIDSApp {
    public static func run(bidsFolder: String, outputFolder: String, level: String, labels: [String], script: String?, jobs: Int,
                           output: OutputSink) throws {
        let executable = Builtins.executablePath()
        guard FileSystem.isFolder(bidsFolder) else { throw MyoError.file(path: bidsFolder, reason: "is not a folder (the BIDS dataset's root)") }
        try FileSystem.createFolders(outputFolder)
        try writeDescription(outputFolder, source: bidsFolder)
        switch level {
        case "participant":
            guard let script else { throw MyoError.other("bids-app participant needs script=FILE.myo (the analysis run for each recording)") }
            let all = FileSystem.entries(of: bidsFolder).filter { $0.hasPrefix("sub-") && FileSystem.isFolder(bidsFolder + "/" + $0) }.map { String($0.dropFirst(4)) }.sorted()
            let chosen = labels.isEmpty ? all : labels.map { $0.hasPrefix("sub-") ? String($0.dropFirst(4)) : $0 }
            for label in chosen where !all.contains(label) {
                throw MyoError.other("bids-app: \(bidsFolder) has no participant sub-\(label) (it has \(all.map { "sub-" + $0 }.joined(separator: ", ")))")
            }
            var failures: [String] = []
            for label in chosen {
                let root = "\(bidsFolder)/sub-\(label)"
                // BIDS EMG data files are EDF or BDF; the sidecars beside them share the stem.
                let batch = Batch(script: FileSystem.absolutePath(script) ?? script, pattern: root + "/ses-*/emg/*_emg.edf", output: "\(outputFolder)/sub-\(label)", jobs: jobs,
                                  morePatterns: [root + "/ses-*/emg/*_emg.bdf", root + "/emg/*_emg.edf", root + "/emg/*_emg.bdf"])
                let items = (try? batch.items()) ?? []
                guard !items.isEmpty else { output.writeError("bids-app: sub-\(label) has no EMG recordings (sub-\(label)/[ses-*/]emg/*_emg.edf or .bdf)\n"); continue }
                let (outcomes, merged) = try batch.run(executable: executable)
                let failed = outcomes.filter { $0.failure != nil }
                failures += failed.map { "sub-\(label): \($0.item.id): \($0.failure!)" }
                output.write("sub-\(label): \(outcomes.count) recordings, \(outcomes.filter { $0.failure == nil && !$0.skipped }.count) ran, \(outcomes.filter(\.skipped).count) unchanged, \(failed.count) failed; tables \(merged.joined(separator: ", "))\n")
            }
            guard failures.isEmpty else { throw MyoError.other("bids-app: \(failures.count) recording\(failures.count == 1 ? "" : "s") failed: " + failures.prefix(3).joined(separator: "; ")) }
        case "group":
            let participants = FileSystem.entries(of: outputFolder).filter { $0.hasPrefix("sub-") && FileSystem.isFolder(outputFolder + "/" + $0) }.sorted()
            guard !participants.isEmpty else { throw MyoError.other("bids-app group: \(outputFolder) has no participant results yet (run the participant level first)") }
            var byName: [String: [ResultTable]] = [:]
            for participant in participants {
                for file in FileSystem.entries(of: outputFolder + "/" + participant).filter({ $0.hasSuffix(".json") && $0 != "batch.json" }).sorted() {
                    if case .table(let table) = try RecordingLoader.load(path: "\(outputFolder)/\(participant)/\(file)", name: "t").object {
                        byName[String(file.dropLast(5)), default: []].append(table)
                    }
                }
            }
            try FileSystem.createFolders(outputFolder + "/group")
            for name in byName.keys.sorted() {
                let merged = Batch.union(byName[name]!, title: "\(name) over \(byName[name]!.count) participants")
                try CSVWriter.write(merged, to: "\(outputFolder)/group/\(name).csv")
                try JSONExport.write(merged, to: "\(outputFolder)/group/\(name).json")
            }
            output.write("group: \(participants.count) participants; tables \(byName.keys.sorted().joined(separator: ", ")) in \(outputFolder)/group\n")
        default:
            throw MyoError.invalidValue(argument: "analysis level", value: level, expected: "participant or group")
        }
    }

    /// Kubernetes manifests that run the participant level as an Indexed Job (one pod per
    /// participant: the pod's JOB_COMPLETION_INDEX picks its label) and the group level as a Job
    /// to apply once the first has completed. Every pod runs `image` with the persistent volume
    /// claim `claim` mounted at `mount` as its working folder, so the dataset, the script and the
    /// output are given as they are here, relative to that folder. Returns the files written.
    public static func writeKubernetesJobs(bidsFolder: String, outputFolder: String, labels: [String], script: String, to path: String,
                                           image: String, claim: String, mount: String) throws -> [String] {
        for relative in [bidsFolder, outputFolder, script] where relative.hasPrefix("/") || relative.split(separator: "/").contains("..") {
            throw MyoError.invalidValue(argument: "kubernetes", value: relative, expected: "paths inside this folder (the volume's root, mounted at \(mount) in every pod), without / or .. at the start")
        }
        let all = FileSystem.entries(of: bidsFolder).filter { $0.hasPrefix("sub-") && FileSystem.isFolder(bidsFolder + "/" + $0) }.map { String($0.dropFirst(4)) }.sorted()
        let chosen = labels.isEmpty ? all : labels.map { $0.hasPrefix("sub-") ? String($0.dropFirst(4)) : $0 }
        guard !chosen.isEmpty else { throw MyoError.other("bids-app: \(bidsFolder) has no participants (sub-*) to run") }
        for label in chosen where !all.contains(label) || !label.allSatisfy({ $0.isLetter || $0.isNumber }) {
            throw MyoError.other("bids-app: \(bidsFolder) has no participant sub-\(label) (it has \(all.map { "sub-" + $0 }.joined(separator: ", ")))")
        }
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        func job(name: String, indexed: Bool, command: String) -> String {
            var lines = ["# Written by `myoshell bids-app ... kubernetes=...` (docs/COHORTS.md). Apply with: kubectl apply -f THIS_FILE",
                         "apiVersion: batch/v1", "kind: Job", "metadata:", "  name: \(name)", "spec:"]
            if indexed { lines += ["  completionMode: Indexed", "  completions: \(chosen.count)", "  parallelism: \(min(chosen.count, 10))"] }
            lines += ["  backoffLimit: \(indexed ? chosen.count : 1)", "  template:", "    spec:", "      restartPolicy: Never", "      containers:",
                      "        - name: myoshell", "          image: \(image)", "          workingDir: \(mount)", "          command: [\"/bin/bash\", \"-c\"]",
                      "          args:", "            - \(jsonString(command))",
                      "          resources:", "            requests: {cpu: \"1\", memory: 2Gi}", "            limits: {memory: 4Gi}",
                      "          volumeMounts:", "            - {name: data, mountPath: \(mount)}",
                      "      volumes:", "        - name: data", "          persistentVolumeClaim: {claimName: \(claim)}", ""]
            return lines.joined(separator: "\n")
        }
        let participant = "labels=(\(chosen.joined(separator: " "))); exec myoshell bids-app \(quoted(bidsFolder)) \(quoted(outputFolder)) participant "
            + "--participant-label \"${labels[$JOB_COMPLETION_INDEX]}\" script=\(quoted(script)) jobs=1"
        let group = "exec myoshell bids-app \(quoted(bidsFolder)) \(quoted(outputFolder)) group"
        let groupPath = (path.hasSuffix(".yaml") ? String(path.dropLast(5)) : path) + "-group.yaml"
        try AtomicFile.write(job(name: "myoshell-participants", indexed: true, command: participant), to: path)
        try AtomicFile.write(job(name: "myoshell-group", indexed: false, command: group), to: groupPath)
        return [path, groupPath]
    }

    /// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
    private static func jsonString(_ text: String) -> String { JSONValue.string(text).serialized() }

    /// A derivatives dataset_description.json (BIDS: DatasetType derivative, GeneratedBy).
    static func writeDescription(_ folder: String, source: String) throws {
        let path = folder + "/dataset_description.json"
        guard !FileSystem.exists(path) else { return }
        let json = JSONValue.object([("Name", .string("MyoShell results")), ("BIDSVersion", .string("1.11.0")), ("DatasetType", .string("derivative")),
                                     ("GeneratedBy", .array([.object([("Name", .string("MyoShell")), ("Version", .string(myoShellVersion))])])),
                                     ("SourceDatasets", .array([.object([("URL", .string("file://" + (FileSystem.absolutePath(source) ?? source)))])]))])
        try AtomicFile.write(json.serialized() + "\n", to: path)
    }
}
