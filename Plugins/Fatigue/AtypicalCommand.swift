import MyoCore
import MyoPluginAPI
import MyoSignal
import MyoSpectrum

/// `atypical REC [window=10s] [limit=3.5] [baseline=FROM..TO]`: windows unlike the subject's own.
enum AtypicalCommand {
    static let recordingArgument = Argument.recording("recording", help: "a recording with EMG channels (an IMU adds motion energy)")
    static let window = Argument.quantity("window", .time, default: "10s", minimum: 0.5, maximum: 600, help: "length of each window")
    static let limit = Argument.number("limit", default: "3.5", minimum: 1, maximum: 100, help: "modified z-score beyond which a feature is atypical")
    static let baseline = Argument<(Double, Double)?>.range("baseline", .time, help: "the stretch whose windows define typical (default: all windows)")
    enum Grouping: String, CaseIterable { case activity, all }
    static let by = Argument.choice("by", default: Grouping.activity, help: "compare each window with windows of the same activity (from activities' events), or with all")
    enum Listed: String, CaseIterable { case atypical, all }
    static let windows = Argument.choice("windows", default: Listed.atypical, help: "list the atypical windows, or every window with every feature and its label (a table for model training)")

    static let spec = CommandSpec(
        name: "atypical", abstract: "Windows unlike the subject's own baseline (RMS, MDF, L/R SI, motion), with the features that make them so",
        discussion: """
        Cuts the recording into windows of window= and measures, in each: every EMG channel's RMS and median \
        frequency (MDF, 20-450 Hz, Hann-tapered periodogram of the window as fatigue computes it), the \
        symmetry index SI = 100 (R - L) / ((R + L) / 2) of each left/right pair's RMS, and, with an accelerometer, \
        the motion energy (SD of the acceleration magnitude, g). Each feature's typical value and spread are \
        the median and the median absolute deviation (MAD) over the baseline= windows (all by default); a \
        window's modified z-score is 0.6745 (x - median) / MAD (Iglewicz and Hoaglin 1993), and a window is \
        atypical when any feature's |z| exceeds limit= (3.5, their recommendation). The table lists the \
        atypical windows, their largest |z| and every feature beyond the limit with its z, for review or \
        label. A feature whose MAD is zero is left out (noted). Robust statistics, so a few atypical windows \
        do not hide themselves by moving the baseline. by=activity (default): when the recording has the \
        'activity: NAME' events of activities, each window is compared with the baseline windows of its own \
        activity (the one at its centre), so a walk is not atypical for being unlike sitting; an activity with \
        fewer than three baseline windows is compared with all of them. windows=all lists every window instead, \
        one row each: from, to, activity, every feature's value (RMS in the channel's unit, MDF in Hz, SI in %, \
        motion in g), the largest |z|, whether it is atypical, and the label, author and note of the recording's \
        label covering the window's centre (label, review): the labelled feature table, ready for model training \
        in Python once exported (export NAME to FILE.csv).
        """,
        arguments: [recordingArgument, window, limit, baseline, by, windows],
        acceptsOutputName: true,
        examples: ["atypical day", "atypical day window=30s baseline=0s..3600s"],
        references: ["Iglewicz B, Hoaglin DC (1993) How to Detect and Handle Outliers. ASQC Quality Press, Milwaukee."])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let recording = try invocation.context.recording(named: invocation[recordingArgument])
        let emg = recording.channels.filter { $0.kind == .emg }
        guard !emg.isEmpty else { throw MyoError.noEMGChannels(recording) }
        let seconds = try invocation[window], z = try invocation[limit]
        let fs = emg[0].sampleRateHz
        let emgSet = emg.filter { $0.sampleRateHz == fs }
        let samples = max(1, Int((seconds * fs).rounded()))
        let length = emgSet.map(\.sampleCount).min()!
        let count = length / samples
        guard count >= 3 else {
            throw MyoError.outOfRange(argument: "window", value: NumberFormat.quantity(seconds, "s"), limit: "a third of \(recording.name)'s EMG (\(NumberFormat.quantity(Double(length) / fs, "s"))): at least three windows are needed")
        }
        // Features: per channel RMS and MDF, per pair SI, motion.
        let settings = SpectralSettings(sampleRateHz: fs, windowSamples: samples, stepSamples: samples, bandHz: (20, min(450, fs / 2 * 0.9)))
        let spectra = SlidingSpectrum.features(channels: emgSet.map { $0.samples[0..<(count * samples)] }, settings: settings)
        var names: [String] = [], values: [[Double]] = []
        for (channel, windows) in zip(emgSet, spectra) {
            names.append("\(channel.name) RMS"); values.append(windows.map(\.rms))
            names.append("\(channel.name) MDF"); values.append(windows.map(\.medianHz))
        }
        let pairs = SidePairs(names: emgSet.map(\.name)).pairs
        for pair in pairs {
            guard let l = emgSet.firstIndex(where: { $0.name == pair.left }), let r = emgSet.firstIndex(where: { $0.name == pair.right }) else { continue }
            names.append("\(pair.muscle) SI")
            values.append((0..<count).map { w in
                let (left, right) = (spectra[l][w].rms, spectra[r][w].rms)
                return left + right > 0 ? 100 * (right - left) / ((left + right) / 2) : 0
            })
        }
        let accelerometer = recording.channels.filter { $0.kind == .acceleration }
        if let first = accelerometer.first {
            let same = accelerometer.filter { $0.sampleRateHz == first.sampleRateHz }
            let per = max(1, Int((seconds * first.sampleRateHz).rounded()))
            let n = same.map(\.sampleCount).min()!
            names.append("motion")
            values.append((0..<count).map { w in
                let range = (w * per)..<min(n, (w + 1) * per)
                guard range.count > 1 else { return 0 }
                let magnitude = range.map { i in same.reduce(0.0) { $0 + Double($1.samples[i]) * Double($1.samples[i]) }.squareRoot() }
                let mean = magnitude.reduce(0, +) / Double(magnitude.count)
                return (magnitude.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(magnitude.count - 1)).squareRoot()
            })
        }
        // The baseline windows: all, or those inside baseline=.
        var base = Array(0..<count)
        if let (from, to) = try invocation[baseline] {
            let start = emgSet[0].startTimeSeconds
            base = base.filter { w in start + Double(w) * seconds >= from - 1e-9 && start + Double(w + 1) * seconds <= to + 1e-9 }
            guard base.count >= 3 else {
                throw MyoError.outOfRange(argument: "baseline", value: "\(NumberFormat.quantity(from, "s"))..\(NumberFormat.quantity(to, "s"))", limit: "at least three whole windows of \(NumberFormat.quantity(seconds, "s"))")
            }
        }
        func median(_ x: [Double]) -> Double { Bootstrap.percentile(x.sorted(), 50) }
        var notes: [String] = []
        // Each window's comparison group: the baseline windows of its activity, or all of them.
        let start = emgSet[0].startTimeSeconds
        let activityEvents = recording.events.filter { $0.label.hasPrefix("activity: ") }.sorted { $0.timeSeconds < $1.timeSeconds }
        var groupOf = [String](repeating: "all", count: count)
        if try invocation[by] == .activity {
            if activityEvents.isEmpty {
                notes.append("no activity events (run activities first to compare each window with its own activity): compared with all windows")
            } else {
                for w in 0..<count {
                    let centre = start + (Double(w) + 0.5) * seconds
                    groupOf[w] = activityEvents.last { $0.timeSeconds <= centre }.map { String($0.label.dropFirst("activity: ".count)) } ?? "all"
                }
            }
        }
        var members: [String: [Int]] = [:]
        for w in base { members[groupOf[w], default: []].append(w) }
        var fallback: Set<String> = []
        for group in Set(groupOf) where (members[group]?.count ?? 0) < 3 && group != "all" { fallback.insert(group) }
        if !fallback.isEmpty { notes.append("fewer than three baseline windows, compared with all windows: \(fallback.sorted().joined(separator: ", "))") }
        var scores = [[Double]](repeating: Array(repeating: 0, count: count), count: names.count)
        var flat: Set<String> = []
        for (f, series) in values.enumerated() {
            var reference: [String: (Double, Double)] = [:]
            for group in Set(groupOf).union(["all"]) {
                let windows = group == "all" || fallback.contains(group) ? base : members[group] ?? base
                let centre = median(windows.map { series[$0] })
                reference[group] = (centre, median(windows.map { abs(series[$0] - centre) }))
            }
            for w in 0..<count {
                let (centre, mad) = reference[fallback.contains(groupOf[w]) ? "all" : groupOf[w]]!
                if mad > 0, mad.isFinite { scores[f][w] = 0.6745 * (series[w] - centre) / mad } else { flat.insert(names[f]) }
            }
        }
        if !flat.isEmpty { notes.append("no spread over a baseline (MAD 0), not scored there: " + flat.sorted().joined(separator: ", ")) }
        if try invocation[windows] == .all {
            let units = names.map { name -> String in
                if name.hasSuffix(" RMS") { return emgSet.first { $0.name + " RMS" == name }?.unit ?? "" }
                return name.hasSuffix(" MDF") ? "Hz" : name.hasSuffix(" SI") ? "%" : "g"
            }
            var rows: [[TableCell]] = []
            var atypicalCount = 0
            for w in 0..<count {
                let from = start + Double(w) * seconds, to = from + seconds
                let largest = names.indices.map { abs(scores[$0][w]) }.max() ?? 0
                if largest > z { atypicalCount += 1 }
                let label = recording.label(at: (from + to) / 2)
                rows.append([.number(from), .number(to), .text(groupOf[w])] + names.indices.map { .number(values[$0][w]) }
                            + [.number((largest * 10).rounded() / 10), .text(largest > z ? "yes" : "no"), .text(label?.name ?? ""), .text(label?.author ?? ""), .text(label?.note ?? "")])
            }
            notes.insert("\(count) windows, \(atypicalCount) atypical; \(names.count) features; labels from \(recording.name)'s labels (label, review) at each window's centre", at: 0)
            let columns = [TableColumn("from", unit: "s"), TableColumn("to", unit: "s"), TableColumn("activity")] + zip(names, units).map { TableColumn($0, unit: $1) }
                + [TableColumn("largest |z|"), TableColumn("atypical"), TableColumn("label"), TableColumn("author"), TableColumn("note")]
            return [.table(ResultTable(title: "windows of \(recording.name) with their features and labels (window \(NumberFormat.quantity(seconds, "s")))", columns: columns, rows: rows, notes: notes))]
        }
        var rows: [[TableCell]] = []
        for w in 0..<count {
            let beyond = names.indices.filter { abs(scores[$0][w]) > z }.sorted { abs(scores[$0][w]) > abs(scores[$1][w]) }
            guard !beyond.isEmpty else { continue }
            let words = beyond.map { "\(names[$0]) \(scores[$0][w] >= 0 ? "+" : "")\(NumberFormat.fixed(scores[$0][w], decimals: 1))" }.joined(separator: ", ")
            rows.append([.number(start + Double(w) * seconds), .number(start + Double(w + 1) * seconds), .text(groupOf[w]), .number((abs(scores[beyond[0]][w]) * 10).rounded() / 10), .text(words)])
        }
        notes.insert("\(rows.count) of \(count) windows atypical; \(names.count) features; baseline: \(base.count == count ? "all windows" : "\(base.count) windows")", at: 0)
        return [.table(ResultTable(title: "atypical windows of \(recording.name) (window \(NumberFormat.quantity(seconds, "s")), |modified z| > \(NumberFormat.significant(z)))",
                                   columns: [TableColumn("from", unit: "s"), TableColumn("to", unit: "s"), TableColumn("compared with"), TableColumn("largest |z|"), TableColumn("features beyond the limit")],
                                   rows: rows, notes: notes))]
    }
}
