import MyoCore
import MyoFormats
import MyoPluginAPI

extension Builtins {
    /// `run FILE.myo [NAME=VALUE ...]` and `history save FILE.myo`.
    enum FailedCommands: String, CaseIterable { case omit, comment }
    enum RecordAction: String, CaseIterable { case start, stop }

    static func scriptCommands(_ session: Session) -> [PluginCommand] {
        let script = Argument.path("path", extensions: ["myo"], help: "the script")
        let parameters = Argument<String?>.text("parameters", positional: true, repeating: true, help: "NAME=VALUE parameters")
        let written = Argument.path("path", extensions: ["myo"], help: "the script to write")
        let failed = Argument.choice("failed", default: FailedCommands.omit, help: "what to do with commands that failed")
        let action = Argument<RecordAction>.requiredChoice("action", positional: true, help: "start or stop")
        let recorded = Argument<String?>.path("path", extensions: ["myo"], positional: true, help: "the script to write (with start)")
        return [
            PluginCommand(spec: CommandSpec(
                name: "run", abstract: "Run a script of commands in this session, with parameters",
                discussion: """
                Runs FILE.myo's lines here, so what they make stays in the workspace. NAME=VALUE words set \
                parameters the script uses as ${NAME} (an undefined one is an error naming the line); 'include \
                OTHER.myo' inserts another script; paths inside a script are relative to its own folder. The first \
                failing line stops the script: FILE:LINE: message.
                """,
                arguments: [script, parameters],
                examples: ["run demo.myo", "run scripts/demo-bridge.myo subject=03"])) { [unowned session] invocation in
                let words = (try invocation[parameters] ?? "").split(separator: " ").map(String.init)
                let path = try invocation[script]
                // A script that runs itself (directly or through others) would recurse until the
                // stack overflows: refuse it, as include does.
                let key = realPath(path) ?? path
                guard !session.runningScripts.contains(key), session.runningScripts.count < 16 else {
                    throw MyoError.other("run \(path) would run a script inside itself (\((session.runningScripts + [key]).map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: " -> ")))")
                }
                let script: Script
                do {
                    script = try Script(path: path, parameters: try Script.parameters(words))
                } catch let error as ScriptError where error.line == 0 {
                    // A missing script is this command's error, so a calling script prefixes its own FILE:LINE.
                    throw MyoError.file(path: path, reason: "cannot be read as a script (no such file, or not readable)")
                }
                session.runningScripts.append(key)
                defer { session.runningScripts.removeLast() }
                try session.run(script)
                return []
            },
            PluginCommand(spec: CommandSpec(
                name: "history save", abstract: "Write this session's commands as a runnable script",
                discussion: """
                Writes every command entered so far in this session (not history or record commands) to FILE.myo, \
                atomically, one per line, under a comment naming MyoShell's version. Relative paths are rewritten to be \
                relative to FILE.myo's folder, where a script's paths are read from, so the script replays from there. Commands that failed are left out (failed=omit, default) or kept as \
                comments (failed=comment) so the file still runs. No timestamps: the same session writes the same file.
                """,
                arguments: [written, failed],
                examples: ["history save session.myo", "history save lesson.myo failed=comment"])) { [unowned session] invocation in
                let path = try invocation[written]
                let keepFailed = try invocation[failed] == .comment
                var lines = ["# MyoShell \(myoShellVersion) session, written by history save"]
                let here = ScriptPaths.workingFolder(), there = ScriptPaths.folder(ofScript: path)
                for entry in session.sessionHistory {
                    // Saving and recording are not part of the analysis the script replays.
                    let first = entry.line.split(separator: " ").first.map(String.init) ?? ""
                    if first == "record" || first == "history" { continue }
                    let line = ScriptPaths.rebase(entry.line, from: here, to: there, registry: session.registry)
                    if entry.succeeded { lines.append(line) } else if keepFailed { lines.append("# failed: " + line) }
                }
                try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: path)
                return [.message("wrote \(path) (\(lines.count - 1) command\(lines.count == 2 ? "" : "s"))")]
            },
            PluginCommand(spec: CommandSpec(
                name: "record", abstract: "Record the commands from now on, outputs as comments: record start FILE.myo, record stop",
                discussion: """
                record start FILE.myo begins a script of the commands entered after it, each followed by its output as \
                '# ' comment lines (failed commands become '# failed: ...' with the error), so the file runs as a script \
                and shows what each command printed. The file is rewritten atomically after every command; record stop \
                ends the recording.
                """,
                arguments: [action, recorded],
                examples: ["record start lesson.myo", "record stop"])) { [unowned session] invocation in
                if try invocation[action] == .stop {
                    guard let recorder = session.recorder else { throw MyoError.other("nothing is being recorded; record start FILE.myo begins") }
                    session.recorder = nil
                    return [.message("stopped recording \(recorder.path)")]
                }
                guard let path = try invocation[recorded] else {
                    throw MyoError.missingArgument(command: "record start", name: "PATH", usage: "record start FILE.myo")
                }
                if let current = session.recorder { throw MyoError.other("already recording \(current.path); record stop first") }
                let recorder = ScriptRecorder(path: path)
                try recorder.write()
                session.recorder = recorder
                return [.message("recording to \(path) (record stop ends it)")]
            },
        ]
    }
}
