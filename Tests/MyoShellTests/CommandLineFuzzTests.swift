import Foundation
import MyoCore
import MyoSignal
import MyoTestSupport
import Testing

/// Command lines generated from the command specs (`commands --json`): right and wrong values,
/// units, selections, quoting, long tokens and control characters, each run by the real
/// executable against a workspace with recordings and a table loaded. No line may crash the
/// shell, hang past the time limit, or end other than with status 0, or status 1 and a sentence.
@Suite struct CommandLineFuzzTests {
    /// Lines per run: enough to reach every command and argument many times (about 50 s on 2
    /// cores); the first 600 under a sanitizer, where each process starts ten times slower.
    static let lineCount = TestEnvironment.sanitizerOptions.keys.contains { $0 != "SWIFT_BACKTRACE" } ? 600 : 2400
    static let timeLimit = 20.0

    struct Spec: Decodable {
        struct Argument: Decodable {
            let name, type: String
            let positional, required: Bool
            let choices: [String]
        }
        let name: String
        let arguments: [Argument]
        let accepts_output_name: Bool
    }

    /// The simulator's SplitMix64 source: the same lines on every machine.
    struct Generator {
        var random: RandomSource
        init(state: UInt64) { random = RandomSource(seed: state) }
        mutating func next() -> UInt64 { random.nextUInt64() }
        mutating func pick<T>(_ options: [T]) -> T { options[Int(next() % UInt64(options.count))] }
        mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    }

    /// True while `path` is still a device (a line given /dev/null as a file must not replace it).
    static func isCharacterDevice(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR
    }

    static let numbers = ["0", "1", "2.5", "-1", "1e300", "-1e300", "1e-300", "nan", "inf", "-0", "3", "12", "100", "99999999999999999999", "0x10", "1,5"]
    static let timeUnits = ["s", "ms", "min", "h", "", "Hz", "%", "deg"]
    static let frequencyUnits = ["Hz", "kHz", "", "s", "%"]
    static let oddTokens = ["", "''", "\"", "'unterminated", String(repeating: "x", count: 5000), "a\u{1B}[31mb", "tab\there", "cr\rlf",
                            "..", "*", "r.*", "r.", ".ES_L", "r..ES_L", "ünïcødé", "$(rm -rf /)", "${x}", ";", "as", "to"]

    static func value(for argument: Spec.Argument, _ random: inout Generator) -> String {
        if random.chance(8) { return random.pick(oddTokens) }
        let type = argument.type
        if !argument.choices.isEmpty { return random.chance(85) ? random.pick(argument.choices) : random.pick(["", "other", argument.choices[0].uppercased()]) }
        switch type {
        case "<signals>": return random.pick(["r", "r.ES_L", "r.ES_*", "r.ES_L r.ES_R", "b.GM_*", "b", "e", "r.missing", "t", "missing", "r.*", "b.ACC_X"])
        case "<recording>": return random.pick(["r", "b", "e", "t", "missing", "r.ES_L"])
        case "<name>": return random.pick(["new1", "r", "t", "1bad", "a-b", "x.y"])
        case "<time>": return random.pick(numbers) + random.pick(timeUnits)
        case "<frequency>": return random.pick(numbers) + random.pick(frequencyUnits)
        case "<ratio>": return random.pick(numbers) + random.pick(["%", "", "%MVC", "s"])
        case "<angle>": return random.pick(numbers) + random.pick(["deg", "", "rad", "%"])
        case "<integer>", "<number>": return random.pick(numbers)
        case "<time>..<time>": return random.pick(numbers) + random.pick(timeUnits) + ".." + random.pick(numbers) + random.pick(timeUnits)
        case "<frequency>..<frequency>": return random.pick(numbers) + "Hz.." + random.pick(numbers) + random.pick(frequencyUnits)
        case "<text>": return random.pick(["all", "events", "ES", "GM", "bridge", "+Z+X+Y", "-X+Y+Z", "50Hz", "off", "auto", "t", "0s..2s", "ES_L:ES_R", "x"])
        default:
            if type.hasPrefix("<path") { return random.pick(["out.csv", "out.json", "out.edf", "out.png", "out.svg", "out.myo", "sub/out.csv", "../escape.csv", "r.csv", "missing.myo", "/dev/null", "."]) }
            return random.pick(numbers)
        }
    }

    static func line(_ specs: [Spec], _ random: inout Generator) -> String {
        let spec = random.pick(specs)
        var words = [spec.name]
        for argument in spec.arguments {
            guard argument.required || random.chance(35) else { continue }
            if random.chance(4) { continue }   // a required argument left out
            let value = Self.value(for: argument, &random)
            words.append(argument.positional ? value : "\(argument.name)=\(value)")
        }
        if random.chance(5) { words.append("\(random.pick(["bogus", "from", "fs"]))=\(random.pick(numbers))") }
        if spec.accepts_output_name, random.chance(30) { words += ["as", random.pick(["out1", "r", "t", "9x"])] }
        if random.chance(10) { words.append("to " + random.pick(["out.csv", "out.png", "r.csv", "sub/../r.csv"])) }
        return words.joined(separator: " ")
    }

    @Test(.enabled(if: TestEnvironment.hasExecutable)) func generatedLinesEndWithAStatusAndASentence() throws {
        // streams, stream and live run in real time for as long as they are asked (up to their
        // limits, or Ctrl-C): a long run is their job, not a hang. MyoStreamTests test them.
        let realTime: Set<String> = ["streams", "stream", "live"]
        let specs = try JSONDecoder().decode([String: [Spec]].self, from: Data(try runMyoShell(["-c", "commands --json"]).stdout.utf8))["commands"]!
            .filter { !realTime.contains($0.name) }
        #expect(specs.count > 40)
        let folder = TestEnvironment.temporaryFolder()
        let sample = TestEnvironment.repositoryRoot + "/sample-data"
        let prepare = try runMyoShell(["-c", "load \(sample)/reaction.csv as r; crop r from=3s to=6s as r; export r to r.csv; "
                                       + "load \(sample)/bridge-set.csv as b; crop b from=2s to=8s as b; export b to b.csv"], in: folder)
        try #require(prepare.status == 0, "\(prepare.stderr)")
        let setup = "load r.csv; load b.csv; envelope r as e; stats r as t; "
        var random = Generator(state: 20)
        let lines = (0..<Self.lineCount).map { _ in Self.line(specs, &random) }
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for index in stride(from: worker, to: lines.count, by: 2) {
                let line = lines[index]
                guard let result = try? runProgram(TestEnvironment.myoshell, ["-c", setup + line], in: folder, timeLimit: Self.timeLimit) else { continue }
                let problem: String? =
                    result.timedOut ? "ran past \(Int(Self.timeLimit)) s"
                    : result.signalled ? "ended by a signal (\(result.status))"
                    : ![0, 1].contains(result.status) ? "exited \(result.status)"
                    : result.status == 1 && !result.stderr.contains("error") && !result.stderr.contains("-c:1:") ? "exited 1 without a message"
                    : result.stderr.contains("Fatal error") || result.stderr.contains("Swift/") ? "printed a runtime error"
                    : !Self.isCharacterDevice("/dev/null") ? "replaced /dev/null with a file (a write that should have been refused)"
                    : nil
                if let problem { failures.withLock { $0.append("line \(index): \(problem): \(line.debugDescription.prefix(300)) -> \(result.stderr.suffix(300))") } }
            }
        }
        let found = failures.withLock { $0 }
        #expect(found.isEmpty, "\(found.count) of \(lines.count) lines:\n\(found.prefix(20).joined(separator: "\n"))")
    }
}
