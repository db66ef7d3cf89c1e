import Foundation
import MyoCore
import MyoFiles
import MyoPluginAPI
import Yams

/// Non-response rules, read from flags.yaml (beside the executable) and the user's own file.
public struct FlagRules: Sendable {
    public struct Rule: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var kind: String
        public var measures: [String]
        public var sessions: Int?
        public var weeks: Double?
        public var limit: Double?
        public var severity: Int
        public var suggest: String
    }

    struct File: Codable { var rules: [Rule] }

    public static let kinds: Set<String> = ["no-improvement", "worse-consecutive", "above-and-growing", "worse"]
    public var rules: [Rule]
    public var files: [String]

    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FlagRules {
        let paths = ReliabilityTable.dataFiles("flags.yaml", override: "MYOSHELL_FLAGS", environment)
        var rules: [Rule] = []
        for path in paths {
            guard let text = FileSystem.readText(path) else { throw MyoError.file(path: path, reason: "cannot be read") }
            let file: File
            do { file = try YAMLDecoder().decode(File.self, from: text) } catch {
                throw MyoError.file(path: path, reason: "is not a flag rule file (\(error)); see docs/PROGRESS.md for its form")
            }
            for rule in file.rules {
                guard kinds.contains(rule.kind) else {
                    throw MyoError.file(path: path, reason: "rule \(rule.id) has kind '\(rule.kind)'; the kinds are \(kinds.sorted().joined(separator: ", "))")
                }
                if let index = rules.firstIndex(where: { $0.id == rule.id }) { rules[index] = rule } else { rules.append(rule) }
            }
        }
        guard !rules.isEmpty else { throw MyoError.other("no flag rules were found (flags.yaml beside the executable, or $MYOSHELL_FLAGS); reinstall MyoShell") }
        return FlagRules(rules: rules, files: paths)
    }
}

/// A rule that fired for a subject: what, on which sessions and values, against which threshold.
public struct Flag: Sendable, Equatable {
    public var subject: String
    public var rule: String
    public var title: String
    public var severity: Int
    /// The measures, sessions and values that fired it, with the thresholds.
    public var evidence: String
    public var suggest: String
}

public enum FlagEvaluator {
    /// The flags of one subject's trajectories; `dates` are its sessions' days, oldest first.
    /// Trajectories of poor reliability take no part.
    public static func flags(subject: String, dates: [SessionDate], trajectories: [Trajectory], rules: FlagRules) -> [Flag] {
        var flags: [Flag] = []
        let usable = trajectories.filter { $0.caution == nil }
        for rule in rules.rules {
            let matching = usable.filter { rule.measures.contains($0.column) }
            func flag(_ evidence: String) { flags.append(Flag(subject: subject, rule: rule.id, title: rule.title, severity: rule.severity, evidence: evidence, suggest: rule.suggest)) }
            func value(_ v: Double, _ t: Trajectory) -> String { NumberFormat.significant(v, digits: 4) + (t.unit.isEmpty ? "" : " " + t.unit) }
            switch rule.kind {
            case "no-improvement":
                guard let first = dates.first, let last = dates.last else { continue }
                let weeks = Double(last.daysSince1970 - first.daysSince1970) / 7
                let due = (rule.sessions.map { dates.count >= $0 } ?? false) || (rule.weeks.map { weeks >= $0 } ?? false)
                let judged = matching.filter { $0.threshold != nil && $0.verdict != .baselineOnly }
                guard due, !judged.isEmpty, !judged.contains(where: { $0.verdict == .improved }) else { continue }
                flag("after \(dates.count) sessions over \(NumberFormat.significant(weeks, digits: 3)) weeks (rule: \(rule.sessions.map { "\($0) sessions" } ?? "")\(rule.sessions != nil && rule.weeks != nil ? " or " : "")\(rule.weeks.map { "\(NumberFormat.significant($0)) weeks" } ?? "")), none improved: "
                     + judged.map { "\($0.name) \(value($0.baseline, $0)) -> \(value($0.latest, $0)) (\($0.verdict.rawValue), threshold \(value($0.threshold ?? 0, $0)))" }.joined(separator: "; "))
            case "worse-consecutive":
                let n = rule.sessions ?? 2
                for t in matching {
                    guard let threshold = t.threshold else { continue }
                    guard let firstDate = t.points.first?.date else { continue }
                    let lastBaseline = t.points.filter(\.baseline).map(\.date).max() ?? firstDate
                    let recent = Array(t.points.filter { $0.date > lastBaseline && !$0.baseline }.suffix(n))
                    guard recent.count == n, recent.allSatisfy({ isWorse($0.value, than: t.baseline, by: threshold, t.better) }) else { continue }
                    flag("\(t.name) worse than baseline \(value(t.baseline, t)) beyond \(value(threshold, t)) at \(n) consecutive sessions: "
                         + recent.map { "\($0.date) \(value($0.value, t))" }.joined(separator: ", "))
                }
            case "above-and-growing":
                let n = rule.sessions ?? 3, limit = rule.limit ?? 0
                for t in matching {
                    let recent = Array(t.points.suffix(n))
                    guard recent.count == n, recent.allSatisfy({ abs($0.value) > limit }),
                          zip(recent, recent.dropFirst()).allSatisfy({ abs($1.value) > abs($0.value) }) else { continue }
                    flag("|\(t.name)| above \(value(limit, t)) and growing over the last \(n) sessions: " + recent.map { "\($0.date) \(value($0.value, t))" }.joined(separator: ", "))
                }
            default:   // worse
                for t in matching where t.verdict == .worse {
                    flag("\(t.name) \(value(t.baseline, t)) -> \(value(t.latest, t)) (\(t.points.first.map { "\($0.date)" } ?? "") to \(t.points.last.map { "\($0.date)" } ?? "")), worse beyond the threshold of \(value(t.threshold ?? 0, t))")
                }
            }
        }
        return flags
    }

    static func isWorse(_ value: Double, than baseline: Double, by threshold: Double, _ better: MeasureSpec.Better) -> Bool {
        switch better {
        case .higher: return baseline - value > threshold
        case .lower: return value - baseline > threshold
        case .towardsZero: return abs(value) - abs(baseline) > threshold
        case .none: return false
        }
    }
}
