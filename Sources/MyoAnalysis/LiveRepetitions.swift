/// Repetitions found as the signal arrives, with the rules of `RepetitionFinder` (the hysteresis
/// of `reps`): a repetition starts where the signal last left `endLevel` before rising above
/// `startLevel`, ends when it falls below `endLevel`, and is kept when its length, its peak's height
/// above the start level and its phases are within limits; its hold is found the same way once it
/// has ended. Pushing a signal sample by sample gives the repetitions `RepetitionFinder.find`
/// gives on the whole signal (tested), except one still open at the end; it keeps at most
/// `maxSamples` samples.
public struct LiveRepetitionCounter: Sendable {
    public let startLevel: Double, endLevel: Double, holdFraction: Double
    public let minSamples: Int, maxSamples: Int, minPeak: Double
    public private(set) var dropped = 0
    /// A repetition has risen above the start level and not yet ended.
    public var inProgress: Bool { rising }
    /// Samples since the signal last was at or below the end level (the repetition in progress).
    private var pending: [Double] = []
    private var pendingStart = 0
    private var rising = false
    private var discarding = false, discardRose = false
    private var index = 0

    public init(startLevel: Double, endLevel: Double, holdFraction: Double = 0.9, minSamples: Int, maxSamples: Int, minPeak: Double) {
        (self.startLevel, self.endLevel, self.holdFraction) = (startLevel, min(endLevel, startLevel), holdFraction)
        (self.minSamples, self.maxSamples, self.minPeak) = (minSamples, maxSamples, minPeak)
    }

    /// The next sample; a repetition that has just ended (indices from the first sample pushed).
    public mutating func push(_ x: Double) -> Repetition? {
        defer { index += 1 }
        if discarding {
            // A stretch above the end level longer than any repetition: dropped once if it rises
            // above the start level, skipped until it ends as the finder would end it.
            if !discardRose, x > startLevel { discardRose = true; dropped += 1 }
            if discardRose ? x < endLevel : x <= endLevel { discarding = false; discardRose = false; pending.removeAll(keepingCapacity: true) }
            return nil
        }
        if !rising {
            // Before the rise, a repetition starts after the last sample at or below the end level.
            guard x > endLevel else { pending.removeAll(keepingCapacity: true); return nil }
            if pending.isEmpty { pendingStart = index }
            pending.append(x)
            if x > startLevel { rising = true }
        } else if x < endLevel {
            defer { pending.removeAll(keepingCapacity: true); rising = false }
            return finish(end: index)
        } else {
            pending.append(x)
        }
        if pending.count > maxSamples {
            if rising { dropped += 1 }
            (discarding, discardRose) = (true, rising)
            pending.removeAll(keepingCapacity: true)
            rising = false
        }
        return nil
    }

    private mutating func finish(end: Int) -> Repetition? {
        let x = pending, start = pendingStart
        guard let peakOffset = x.indices.max(by: { x[$0] < x[$1] }) else { return nil }
        let height = x[peakOffset] - startLevel
        guard x.count >= minSamples, x.count <= maxSamples, height >= minPeak else { dropped += 1; return nil }
        let hold = startLevel + holdFraction * (x[peakOffset] - startLevel)
        var holdStart = peakOffset, holdEnd = peakOffset
        while holdStart > 0, x[holdStart - 1] >= hold { holdStart -= 1 }
        while holdEnd + 1 < x.count, x[holdEnd + 1] >= hold { holdEnd += 1 }
        return Repetition(start: start, holdStart: start + holdStart, holdEnd: start + holdEnd + 1, end: end, peak: start + peakOffset)
    }
}
