import Foundation
import MyoCore
import MyoPluginAPI

/// One measure or outcome of a subject over sessions, with the verdict on its change.
public struct Trajectory: Sendable {
    public enum Verdict: String, Sendable {
        case improved
        case worse
        case noDetectableChange = "no detectable change"
        /// Beyond the threshold, for a measure without a better direction.
        case changed
        /// No threshold is known: neither an MDC nor three baseline sessions.
        case notJudged = "not judged"
        /// Only baseline sessions so far.
        case baselineOnly = "baseline only"
    }

    public var name: String
    /// The measure's column (`NMF slope` of `ES_L.NMF slope`) or the outcome's name: what rules
    /// and reliability entries name.
    public var column: String
    public var unit: String
    public var better: MeasureSpec.Better
    public var points: [(date: SessionDate, value: Double, baseline: Bool)]
    public var baseline: Double
    public var baselineSessions: Int
    public var latest: Double
    public var change: Double
    /// The change that counts, in the measure's unit, and where it comes from.
    public var threshold: Double?
    public var thresholdSource: String
    public var verdict: Verdict
    /// Set for measures graded poor: said beside the verdict, and no flag rests on it alone.
    public var caution: String?

    /// Builds the trajectory of `points` (oldest first). Baseline: the sessions marked baseline,
    /// or else the first. Threshold: with three or more baseline sessions, the subject's own
    /// MDC95 = 1.96 x sqrt(2) x SD of those sessions; else `published` (an MDC or an MCID).
    public static func judge(name: String, column: String? = nil, unit: String, better: MeasureSpec.Better, points: [(date: SessionDate, value: Double, baseline: Bool)],
                             published: (value: Double, source: String)?, caution: String?) -> Trajectory? {
        guard let first = points.first else { return nil }
        var baselinePoints = points.filter(\.baseline)
        if baselinePoints.isEmpty { baselinePoints = [first] }
        let lastBaselineDate = baselinePoints.map(\.date).max() ?? first.date
        let baselineValues = baselinePoints.map(\.value)
        let baseline = baselineValues.reduce(0, +) / Double(baselineValues.count)
        let followUp = points.filter { !$0.baseline && $0.date > lastBaselineDate }
        let latest = followUp.last?.value ?? points.last?.value ?? baseline
        let change = latest - baseline
        var threshold: Double?
        var source = ""
        if baselineValues.count >= 3 {
            let sd = (baselineValues.map { ($0 - baseline) * ($0 - baseline) }.reduce(0, +) / Double(baselineValues.count - 1)).squareRoot()
            threshold = 1.96 * 2.0.squareRoot() * sd
            source = "own baseline variability (\(baselineValues.count) sessions, SD \(NumberFormat.significant(sd, digits: 3)) \(unit))"
        } else if let published {
            threshold = published.value
            source = published.source
        } else {
            source = "no MDC known and fewer than 3 baseline sessions"
        }
        let verdict: Verdict
        if followUp.isEmpty {
            verdict = .baselineOnly
        } else if let threshold {
            if abs(change) <= threshold {
                verdict = .noDetectableChange
            } else {
                switch better {
                case .higher: verdict = change > 0 ? .improved : .worse
                case .lower: verdict = change < 0 ? .improved : .worse
                case .towardsZero: verdict = abs(latest) < abs(baseline) ? .improved : .worse
                case .none: verdict = .changed
                }
            }
        } else {
            verdict = .notJudged
        }
        return Trajectory(name: name, column: column ?? name, unit: unit, better: better, points: points, baseline: baseline, baselineSessions: baselineValues.count,
                          latest: latest, change: change, threshold: threshold, thresholdSource: source, verdict: verdict, caution: caution)
    }
}

/// A subject's trajectories: every kept measure and every outcome, judged.
public enum ProgressAnalysis {
    public static func trajectories(_ sessions: [SessionRecord], reliability: ReliabilityTable) -> [Trajectory] {
        trajectories(SubjectSeries(subject: "", sessions: sessions), reliability: reliability)
    }

    public static func trajectories(_ series: SubjectSeries, reliability: ReliabilityTable) -> [Trajectory] {
        var result: [Trajectory] = []
        for measure in series.measures {
            let entry = reliability.measures[measure.column]
            let published = entry.flatMap { e in e.mdc.map { ($0, "MDC95 \(NumberFormat.significant($0, digits: 3)) \(measure.unit): \(e.source)") } }
            let caution = entry.flatMap { $0.isPoor ? "\(measure.column): poor test-retest reliability (\($0.source)); no flag rests on it alone" : nil }
            if let trajectory = Trajectory.judge(name: measure.name, column: measure.column, unit: measure.unit, better: measure.better,
                                                 points: series.points(measure), published: published, caution: caution) {
                result.append(trajectory)
            }
        }
        for outcome in series.outcomes {
            let name = outcome.name, unit = outcome.unit
            let definition = reliability.outcomes[name]
            var published: (Double, String)?
            if let definition {
                // The MCID in points, or in % of the baseline when that is larger (Ostelo et al. 2008: either counts).
                published = (definition.mcid, "MCID \(NumberFormat.significant(definition.mcid))\(unit.isEmpty ? " points" : " " + unit)\(definition.mcid_percent.map { " or \(NumberFormat.significant($0)) % of baseline" } ?? ""): \(definition.source)")
            }
            guard var trajectory = Trajectory.judge(name: name, unit: unit, better: definition?.direction ?? .none, points: series.points(outcome), published: published, caution: nil) else { continue }
            if let percent = definition?.mcid_percent, trajectory.baselineSessions < 3, trajectory.baseline != 0,
               trajectory.verdict == .noDetectableChange, abs(trajectory.change) >= percent / 100 * abs(trajectory.baseline) {
                let better = trajectory.better
                trajectory.verdict = (better == .lower) == (trajectory.change < 0) ? .improved : .worse
                trajectory.thresholdSource += " (reached as \(NumberFormat.significant(100 * abs(trajectory.change / trajectory.baseline), digits: 3)) % of baseline)"
            }
            result.append(trajectory)
        }
        return result
    }
}
