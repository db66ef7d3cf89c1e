import MyoSignal
/// One repetition of a movement: sample indices of its start, the start and end of its hold
/// (the stretch near its peak) and its end.
public struct Repetition: Sendable, Equatable {
    public var start: Int
    public var holdStart: Int
    public var holdEnd: Int
    public var end: Int
    public var peak: Int
}

/// Repetitions of a movement signal (an angle or an angular velocity) by hysteresis: a
/// repetition starts when the signal rises above `startLevel` and ends when it falls below
/// `endLevel` (endLevel <= startLevel, so noise near one level cannot split a repetition). Its
/// hold is the stretch where the signal stays at or above `holdFraction` of the way from the
/// start level to the repetition's peak; going is before it, return after it. Repetitions
/// shorter than `minSamples`, longer than `maxSamples`, whose peak rises less than `minPeak`
/// above the start level, or with a phase (going, hold, return) outside `phaseSamples`, are
/// dropped and counted.
public enum RepetitionFinder {
    public static func find(_ x: [Double], startLevel: Double, endLevel: Double, holdFraction: Double, minSamples: Int, maxSamples: Int,
                            minPeak: Double, phaseSamples: ClosedRange<Int> = 0...Int.max) -> (repetitions: [Repetition], dropped: Int) {
        var repetitions: [Repetition] = []
        var dropped = 0
        var i = 0
        while i < x.count {
            guard x[i] > startLevel else { i += 1; continue }
            // Walk back to where the signal left the end level, so the going phase is whole.
            var start = i
            while start > 0, x[start - 1] > endLevel { start -= 1 }
            var end = i
            while end < x.count, x[end] >= endLevel { end += 1 }
            i = end
            let range = start..<end
            guard let peak = range.max(by: { x[$0] < x[$1] }) else { continue }
            let height = x[peak] - startLevel
            guard range.count >= minSamples, range.count <= maxSamples, height >= minPeak, end < x.count else {
                dropped += 1
                continue
            }
            let hold = startLevel + holdFraction * (x[peak] - startLevel)
            var holdStart = peak, holdEnd = peak
            while holdStart > start, x[holdStart - 1] >= hold { holdStart -= 1 }
            while holdEnd + 1 < end, x[holdEnd + 1] >= hold { holdEnd += 1 }
            let phases = [holdStart - start, holdEnd + 1 - holdStart, end - holdEnd - 1]
            guard phases.allSatisfy({ phaseSamples.contains($0) }) else {
                dropped += 1
                continue
            }
            repetitions.append(Repetition(start: start, holdStart: holdStart, holdEnd: holdEnd + 1, end: end, peak: peak))
        }
        return (repetitions, dropped)
    }

    /// `values` resampled linearly to `points` equally spaced points from its first to its last sample.
    public static func timeNormalised(_ values: ArraySlice<Double>, points: Int = 101) -> [Double] {
        let v = Array(values)
        guard v.count > 1 else { return [Double](repeating: v.first ?? .nan, count: points) }
        return (0..<points).map { p in
            let position = Double(p) / Double(points - 1) * Double(v.count - 1)
            let below = min(Int(position), v.count - 2)
            return v[below] + (v[below + 1] - v[below]) * (position - Double(below))
        }
    }
}
