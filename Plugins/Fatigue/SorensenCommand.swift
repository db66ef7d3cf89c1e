#if canImport(Glibc)
import Glibc
#endif
import MyoAnalysis
import MyoCore
import MyoPluginAPI
import MyoSignal
import MyoSpectrum

/// `sorensen REC [hold=FROM..TO] [tolerance=10deg] ...`: the Biering-Sorensen test end to end.
enum SorensenCommand {
    static let recordingArgument = Argument.recording("recording", help: "a Biering-Sorensen recording (EMG, optionally a trunk accelerometer)")
    static let hold = Argument<(Double, Double)?>.range("hold", .time, help: "the hold's start and end (instead of finding them)")
    static let sensor = Argument<String?>.text("sensor", help: "the trunk IMU (the prefix of its channel names), when there are several")
    static let tolerance = Argument.quantity("tolerance", .angle, default: "10deg", help: "largest deviation from horizontal (90 deg from vertical) during the hold")
    static let spec = CommandSpec(
        name: "sorensen", abstract: "Biering-Sorensen test: hold, endurance, per-side MDF slope, FInsm5, left/right and recovery",
        discussion: """
        1. The hold: given as hold=FROM..TO, or found from the trunk inclination when the recording has an \
        IMU (the longest stretch, at least 5 s, where the trunk's sagittal inclination from vertical, computed \
        as tilt computes it by default (Madgwick, beta 0.1 rad/s, mount=) and smoothed over 0.5 s, is within \
        tolerance= of 90 deg), or else from EMG activity (each EMG channel's 1 Hz linear envelope divided \
        by its 95th percentile, averaged over channels; the longest stretch of at least 5 s above 0.3). \
        2. Endurance = hold end - hold start. 3. Per EMG channel over the hold, the fatigue analysis (see \
        help fatigue): initial MDF, MDF slope, normalised slope NMF = 100 x slope / initial (%/s), R^2, \
        MNF slope and FInsm5 change. Several measures are reported together because the MDF slope alone does \
        not separate patients from controls in every study (Humphrey et al. 2005). 4. Left/right: for pairs \
        named X_L/X_R, the NMF slopes and their difference. 5. Recovery: if the muscles are active again \
        (EMG rule above, at least 2 s) after a rest of at least 2 s, the mean MDF of that bout's windows in \
        % of the initial MDF.
        """,
        arguments: [recordingArgument, hold, sensor, SharedArguments.mount, tolerance]
            + FatiguePlugin.spectralArguments.filter { $0.spec.name != "from" && $0.spec.name != "to" },
        measures: [
            MeasureSpec(column: "endurance", better: .higher, summary: "Biering-Sorensen hold time"),
            MeasureSpec(column: "NMF slope", rowKeys: ["channel"], better: .higher, summary: "normalised MDF slope of each channel over the hold (less negative: less fatigue)"),
            MeasureSpec(column: "MDF slope", rowKeys: ["channel"], better: .higher, summary: "MDF slope of each channel over the hold"),
        ],
        acceptsOutputName: true,
        examples: ["sorensen sorensen", "sorensen s02 hold=4s..71s exclude-mains=50Hz"],
        references: [
            "Biering-Sorensen F (1984) Physical measurements as risk indicators for low-back trouble over a one-year period. Spine 9:106-119. doi:10.1097/00007632-198403000-00002",
            "Mannion AF, Dolan P (1994) Electromyographic median frequency changes during isometric contraction of the back extensors to fatigue. Spine 19:1223-1229. doi:10.1097/00007632-199406000-00006",
            "Humphrey AR, Nargol AVF, Jones APC, Ratcliffe AA, Greenough CG (2005) The value of electromyography of the lumbar paraspinal muscles in discriminating between chronic-low-back-pain sufferers and normal subjects. Eur Spine J 14:175-184. doi:10.1007/s00586-004-0792-3",
        ] + FatiguePlugin.references)

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let recording = try invocation.context.recording(named: invocation[recordingArgument])
        let emg = recording.channels.filter { $0.kind == .emg }
        guard !emg.isEmpty else { throw MyoError.noEMGChannels(recording) }
        let refs = recording.channels.indices.filter { recording.channels[$0].kind == .emg }
            .map { SignalRef(recordingName: recording.name, channelIndex: $0, channel: recording.channels[$0]) }
        let (holdStart, holdEnd, how) = try findHold(invocation, recording, emg)
        // The fatigue analysis over the hold: from= and to= are the hold's edges.
        let windows = try FatigueCommand.analyse(invocation.replacing(from: holdStart, to: holdEnd), refs)
        var lines = ["\(recording.name): hold \(NumberFormat.fixed(holdStart, decimals: 2)) s to \(NumberFormat.fixed(holdEnd, decimals: 2)) s (\(how)); endurance \(NumberFormat.fixed(holdEnd - holdStart, decimals: 2)) s"]
        let recovery = try recoveryBout(after: holdEnd, emg)
        var rows: [[TableCell]] = []
        var slopes: [String: Double] = [:]
        var descriptions: [String] = []
        let recoveryWindows = try recovery.map { bout in try FatigueCommand.analyse(invocation.replacing(from: bout.0, to: bout.1), refs) }
        for (index, (ref, (features, settings, _))) in zip(refs, windows).enumerated() {
            let description = FatiguePlugin.describe(settings)
            if !descriptions.contains(description) { descriptions.append(description) }
            let trends = try Trend.all(features, unit: ref.channel.unit, ref: ref)
            let mdf = trends[0], mnf = trends[1], finsm5 = trends[2]
            slopes[ref.channel.name] = mdf.normalisedSlope
            var recoveryCells: [TableCell] = [.missing, .missing]
            if let bout = recoveryWindows?[index].0 {
                let values = bout.map(\.medianHz).filter { !$0.isNaN }
                if !values.isEmpty {
                    let mean = values.reduce(0, +) / Double(values.count)
                    recoveryCells = [.number(mean), .number(100 * mean / mdf.initial)]
                }
            }
            rows.append([.text(ref.channel.name), .number(mdf.initial), .number(mdf.fit.slope), .number(mdf.normalisedSlope), .number(mdf.fit.rSquared),
                         .number(mnf.normalisedSlope), .number(finsm5.changePercent)] + recoveryCells)
        }
        if let recovery {
            lines.append("recovery bout \(NumberFormat.fixed(recovery.0, decimals: 2)) s to \(NumberFormat.fixed(recovery.1, decimals: 2)) s after \(NumberFormat.fixed(recovery.0 - holdEnd, decimals: 2)) s of rest")
        } else {
            lines.append("no recovery bout after the hold (no EMG activity of at least 2 s after at least 2 s of rest)")
        }
        let table = ResultTable(
            title: "Biering-Sorensen per channel: " + descriptions.joined(separator: "; "),
            columns: [TableColumn("channel"), TableColumn("initial MDF", unit: "Hz"), TableColumn("MDF slope", unit: "Hz/s"), TableColumn("NMF slope", unit: "%/s"),
                      TableColumn("MDF R^2"), TableColumn("MNF slope", unit: "%/s"), TableColumn("FInsm5 change", unit: "%"),
                      TableColumn("recovery MDF", unit: "Hz"), TableColumn("recovery", unit: "% initial")],
            rows: rows)
        var pairRows: [[TableCell]] = []
        for name in emg.map(\.name) where name.hasSuffix("_L") {
            let muscle = String(name.dropLast(2))
            guard let left = slopes[name], let right = slopes[muscle + "_R"] else { continue }
            let faster = left < right ? "L" : (right < left ? "R" : "neither")
            pairRows.append([.text(muscle), .number(left), .number(right), .number(left - right), .text(faster)])
        }
        let holdTable = ResultTable(title: "Biering-Sorensen hold",
                                    columns: [TableColumn("hold start", unit: "s"), TableColumn("hold end", unit: "s"), TableColumn("endurance", unit: "s"), TableColumn("found")],
                                    rows: [[.number(holdStart), .number(holdEnd), .number(holdEnd - holdStart), .text(how)]])
        var outputs: [CommandOutput] = [.message(lines.joined(separator: "\n")), .table(table)]
        if !pairRows.isEmpty {
            outputs.append(.table(ResultTable(title: "Biering-Sorensen left/right (NMF slopes)",
                                              columns: [TableColumn("muscle"), TableColumn("NMF slope L", unit: "%/s"), TableColumn("NMF slope R", unit: "%/s"),
                                                        TableColumn("L - R", unit: "%/s"), TableColumn("faster MDF decline")],
                                              rows: pairRows)))
        }
        outputs.append(.table(holdTable))
        return outputs
    }

    /// The hold's edges (s) and how they were found.
    static func findHold(_ invocation: Invocation, _ recording: Recording, _ emg: [Channel]) throws -> (Double, Double, String) {
        if let (from, to) = try invocation[hold] { return (from, to, "given") }
        let tolerance = try invocation[tolerance]
        let mount = SensorMount(try invocation.mount(of: recording).axes)
        if let (inclination, sensor, words) = try TrunkInclination.sagittal(of: recording, sensor: invocation[sensor], mount: mount, smoothingSeconds: 0.5) {
            let fs = sensor.sampleRateHz
            let t0 = sensor.accelerometer.values.first!.startTimeSeconds
            if let run = longestRun(inclination.map { abs($0 - 90) <= tolerance }, minimum: Int(5 * fs)) {
                return (t0 + Double(run.lowerBound) / fs, t0 + Double(run.upperBound) / fs, "\(words): within \(NumberFormat.quantity(tolerance, "deg")) of horizontal")
            }
            throw MyoError.other("\(recording.name): the trunk's \(words) is never within \(NumberFormat.quantity(tolerance, "deg")) of horizontal for 5 s; give hold=FROM..TO or a larger tolerance=")
        }
        guard let (start, end) = try activeBouts(emg, minimumSeconds: 5).max(by: { $0.1 - $0.0 < $1.1 - $1.0 }) else {
            throw MyoError.other("\(recording.name): no EMG activity lasting 5 s was found; give hold=FROM..TO")
        }
        return (start, end, "EMG activity above 30 % of its 95th percentile")
    }

    /// The first bout of activity of at least 2 s that starts at least 2 s after `holdEnd`.
    static func recoveryBout(after holdEnd: Double, _ emg: [Channel]) throws -> (Double, Double)? {
        try activeBouts(emg, minimumSeconds: 2).first { $0.0 >= holdEnd + 2 }
    }

    /// Stretches (s) where the mean over channels of envelope / 95th percentile is at least 0.3.
    static func activeBouts(_ emg: [Channel], minimumSeconds: Double) throws -> [(Double, Double)] {
        let rate = emg[0].sampleRateHz
        let same = emg.filter { $0.sampleRateHz == rate && $0.sampleCount == emg[0].sampleCount }
        let chain = SignalChain([.zeroPhase(try Butterworth.design(order: 2, band: .bandPass(20, min(450, rate / 2 * 0.9)), sampleRateHz: rate)), .rectify,
                                 .zeroPhase(try Butterworth.design(order: 2, band: .lowPass(1), sampleRateHz: rate))])
        let envelopes = try chain.apply(toChannels: same.map(\.samples))
        var activity = [Double](repeating: 0, count: same[0].sampleCount)
        for envelope in envelopes {
            let sorted = envelope.sorted()
            let p95 = Double(sorted[Int(0.95 * Double(sorted.count - 1))])
            guard p95 > 0 else { continue }
            for i in activity.indices { activity[i] += Double(envelope[i]) / p95 / Double(envelopes.count) }
        }
        var bouts: [(Double, Double)] = []
        var start: Int?
        let minimum = Int(minimumSeconds * rate)
        for i in 0...activity.count {
            let on = i < activity.count && activity[i] >= 0.3
            if on, start == nil { start = i }
            if !on, let s = start {
                if i - s >= minimum { bouts.append((same[0].startTimeSeconds + Double(s) / rate, same[0].startTimeSeconds + Double(i) / rate)) }
                start = nil
            }
        }
        return bouts
    }

    static func longestRun(_ flags: [Bool], minimum: Int) -> Range<Int>? {
        var best: Range<Int>?
        var start: Int?
        for i in 0...flags.count {
            let on = i < flags.count && flags[i]
            if on, start == nil { start = i }
            if !on, let s = start {
                if i - s >= minimum, (best?.count ?? 0) < i - s { best = s..<i }
                start = nil
            }
        }
        return best
    }
}

extension Invocation {
    /// The same call with from= and to= set (a command analysing a span it found itself).
    /// The invocation as `fatigue` would have it over `from`..`to` (the spectral arguments as given).
    func replacing(from: Double, to: Double) -> Invocation {
        var values = self.values
        values[SharedArguments.from.name] = .quantity(from, text: "\(NumberFormat.significant(from, digits: 9))s")
        values[SharedArguments.to.name] = .quantity(to, text: "\(NumberFormat.significant(to, digits: 9))s")
        return Invocation(spec: FatigueCommand.spec, values: values, outputName: outputName, destination: destination, context: context)
    }
}
