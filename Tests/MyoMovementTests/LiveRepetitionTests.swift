import MyoAnalysis
import MyoSignal
import Testing

/// The live counter follows the rules of `reps`: pushed sample by sample it gives what
/// RepetitionFinder gives on the whole signal, on repetitions, noise near the levels, too short,
/// too low and too long ones.
@Suite struct LiveRepetitionTests {
    static func signal(seed: UInt64) -> [Double] {
        var random = RandomSource(seed: seed)
        var x: [Double] = []
        for rep in 0..<12 {
            let rest = 50 + Int(random.nextUniform() * 80), rise = 20 + Int(random.nextUniform() * 60)
            let hold = rep == 5 ? 900 : 10 + Int(random.nextUniform() * 80)   // rep 5: longer than max
            let peak = rep == 3 ? 12.0 : 20 + 20 * random.nextUniform()      // rep 3: below min peak
            for _ in 0..<rest { x.append(2 * random.nextUniform()) }
            x += (0..<rise).map { peak * Double($0) / Double(rise) }
            for _ in 0..<hold { x.append(peak + 3 * (random.nextUniform() - 0.5)) }
            for k in 0..<rise {
                let falling: Double = peak * (1 - Double(k) / Double(rise))
                x.append(falling + 1.5 * random.nextUniform())
            }
        }
        return x + [0, 0, 0] + (0..<30).map { Double($0) }   // one still open at the end
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64]) func pushingGivesTheFindersRepetitions(seed: UInt64) {
        let x = Self.signal(seed: seed)
        let (start, end, minSamples, maxSamples, minPeak) = (15.0, 8.0, 40, 600, 5.0)
        let offline = RepetitionFinder.find(x, startLevel: start, endLevel: end, holdFraction: 0.9, minSamples: minSamples, maxSamples: maxSamples, minPeak: minPeak)
        var counter = LiveRepetitionCounter(startLevel: start, endLevel: end, holdFraction: 0.9, minSamples: minSamples, maxSamples: maxSamples, minPeak: minPeak)
        let live = x.compactMap { counter.push($0) }
        #expect(live == offline.repetitions)
        // The finder drops the repetition still open at the end; the counter still has it in progress.
        #expect(counter.inProgress && counter.dropped + 1 == offline.dropped, "dropped \(counter.dropped) vs \(offline.dropped)")
        #expect(offline.repetitions.count >= 8)
    }
}
