import MyoAnalysis
import MyoCore
import MyoPluginAPI
import MyoSignal

/// `screen REC exercise=NAME [emg=ENV] [templates=DIR] [to FILE]`: per-repetition pass/flag.
enum ScreenCommand {
    enum PlotKind: String, CaseIterable { case angle, muscles }
    static let recordingArgument = Argument.recording("recording", help: "a recording with the exercise's IMU")
    static let exercise = Argument.requiredText("exercise", help: "template id (see exercises)")
    static let emg = Argument<String?>.recording("emg", help: "envelopes (%MVC) of the muscles the criteria name")
    static let templates = Argument<String?>.path("templates", extensions: [], help: "a folder of extra templates (overriding built-ins by id)")
    static let plotKind = Argument.choice("plot", default: PlotKind.angle, help: "with 'to FILE': the angle with verdicts, or each repetition's target-muscle bars")
    static let mount = SharedArguments.mount.help("sensor axes (default: the mount the recording's sidecar states, else the template's)")
    static let spec = CommandSpec(
        name: "screen", abstract: "Screen an exercise against its template: each repetition passes or is flagged, with the reasons",
        discussion: """
        The template (exercise=, a JSON file; built-in ones: bridge, bird-dog, dead-bug, side-plank, plank, rdl, \
        single-leg-hinge, prone-extension, wall-sit, flexion-extension; your own in ~/.myoshell/templates, \
        $MYOSHELL_TEMPLATES or templates=DIR override them by id; exercises lists them) gives the movement \
        signal and the criteria. The recording's IMU gives the angle (the template's mount unless mount= is \
        given, the tilt arguments otherwise). mode excursion: repetitions as in reps (the template's start=, \
        end=, hold=); mode hold: stretches of at least min_hold where the angle stays within tolerance of the \
        target, each one repetition whose hold is where the angle stays within max(1, tolerance / 10) deg of \
        the stretch's median (the way in and out of the band is its going and return). Criteria per repetition and phase, on the envelopes of emg= (normalise \
        them when a criterion is in %MVC): min-mean / max-mean (each muscle's mean), max-ratio (mean of the \
        numerator muscles / mean of the denominator muscles), symmetry (|SI| of a pair), stable-angle (range of \
        the angle), min-rom. A criterion that cannot be assessed (a missing channel, another unit, no emg=) says \
        why and does not flag; a repetition passes only when every criterion was assessed (else it is \
        incomplete). Per repetition also its ROM (as in reps: the angle's range from the rest before it to its \
        end) and pass (100 % or 0 %, empty when incomplete): keep keeps the pass rate and the mean ROM. \
        'to FILE' draws the angle with each repetition's boundaries and verdict (plot=angle), or each repetition's mean \
        of every target muscle during the hold as bars (plot=muscles).
        """,
        arguments: [
            recordingArgument, exercise, emg, templates, plotKind,
            TiltSettings.method, mount, TiltSettings.gain, TiltSettings.tau, TiltSettings.calibrate, TiltSettings.sensor,
        ],
        measures: [
            MeasureSpec(column: "pass", better: .higher, summary: "share of the assessed repetitions that passed (incomplete ones left out)"),
            MeasureSpec(column: "ROM", better: .higher, summary: "mean range of the movement angle over a repetition"),
        ],
        acceptsOutputName: true,
        destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
        examples: ["screen bridge exercise=bridge emg=bridge_mvc", "screen fr exercise=flexion-extension emg=fr_mvc to fr.png"],
        references: RepsCommand.spec.references)

    /// One repetition or hold, in samples of the angle.
    struct Bout { var start: Int; var holdStart: Int; var holdEnd: Int; var end: Int }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let recording = try invocation.context.recording(named: invocation[recordingArgument])
        let id = try invocation[exercise]
        let templates = try ExerciseTemplate.all(extra: invocation[templates])
        guard let (template, templatePath) = templates[id] else {
            throw MyoError.unknownName(kind: "exercise template", name: id, suggestion: Suggestion.closest(to: id, in: templates.keys.sorted()))
        }
        guard let templateMount = SensorAxes(template.movement.mount) else {
            throw MyoError.invalidValue(argument: "mount", value: template.movement.mount, expected: "in template \(id): " + SensorAxes.expected)
        }
        let settings = try TiltSettings.from(invocation, recording: recording, fallback: (templateMount, "template \(id)"))
        let sensor = try TiltSettings.sensor(invocation, in: recording)
        let (sagittal, frontal, words) = try settings.angles(sensor)
        let fs = sensor.sampleRateHz, t0 = sensor.accelerometer.values.first!.startTimeSeconds
        func time(_ i: Int) -> Double { t0 + Double(i) / fs }
        let frontalSignal = (template.movement.signal ?? template.movement.plane) == "frontal"
        let angle = frontalSignal ? frontal : sagittal
        let bouts = try Self.bouts(template, angle: angle, fs: fs)
        let envelopes = try invocation[emg].map { try invocation.context.recording(named: $0) }

        var rows: [[TableCell]] = []
        var flagged: [String] = []
        var unassessed: [String] = []
        var markers: [Event] = []
        for (index, bout) in bouts.enumerated() {
            var reasons: [String] = []
            var missing: [String] = []
            for criterion in template.criteria {
                let ranges: [(Int, Int)]
                switch criterion.phase {
                case "going": ranges = [(bout.start, bout.holdStart)]
                case "return": ranges = [(bout.holdEnd, bout.end)]
                case "all": ranges = [(bout.start, bout.end)]
                default: ranges = [(bout.holdStart, bout.holdEnd)]
                }
                let (from, to) = (time(ranges[0].0), time(ranges[0].1))
                let signal = criterion.signal == "frontal" ? frontal : (criterion.signal == "sagittal" ? sagittal : angle)
                switch evaluate(criterion, from: from, to: to, angle: Array(signal[ranges[0].0..<max(ranges[0].0, ranges[0].1)]),
                                restAngle: Array(angle[(index == 0 ? 0 : bouts[index - 1].end)..<bout.end]), envelopes: envelopes) {
                case .pass: break
                case .flag(let reason): reasons.append(reason)
                case .unassessed(let reason):
                    missing.append(reason)
                    if !unassessed.contains(reason) { unassessed.append(reason) }
                }
            }
            // A repetition passes only when every criterion was assessed and none flagged it.
            let verdict = !reasons.isEmpty ? "flag" : (missing.isEmpty ? "pass" : "incomplete")
            if !reasons.isEmpty { flagged.append("rep \(index + 1): " + reasons.joined(separator: "; ")) }
            let explanation = reasons + missing.map { "not assessed: \($0)" }
            // ROM as reps measures it: the range of the angle from the rest before the repetition
            // (since the previous one ended) to its end. pass: 100 or 0 % when every criterion was
            // assessed, left empty when incomplete, so the kept mean is the pass rate.
            let restStart = min(index == 0 ? 0 : bouts[index - 1].end, angle.count), span = angle[restStart..<min(angle.count, max(restStart, bout.end))]
            let rom: TableCell = span.isEmpty ? .missing : .number((span.max() ?? 0) - (span.min() ?? 0))
            rows.append([.integer(index + 1), .number(time(bout.start)), .number(time(bout.end)), rom, .text(verdict),
                         verdict == "incomplete" ? .missing : .number(verdict == "pass" ? 100 : 0),
                         .text(explanation.isEmpty ? "-" : explanation.joined(separator: "; "))])
            markers += [Event(timeSeconds: time(bout.start), label: "rep \(index + 1) \(verdict)"), Event(timeSeconds: time(bout.end), label: "")]
        }
        func count(_ verdict: String) -> Int { rows.filter { if case .text(verdict) = $0[4] { return true } else { return false } }.count }
        let passed = count("pass"), incomplete = count("incomplete")
        var summary = "\(template.name): \(bouts.count) \(template.movement.mode == "hold" ? "hold" : "repetition")\(bouts.count == 1 ? "" : "s"), \(passed) pass, \(count("flag")) flagged"
        if incomplete > 0 { summary += ", \(incomplete) incomplete" }
        if !flagged.isEmpty { summary += " (" + flagged.joined(separator: "; ") + ")" }
        if !unassessed.isEmpty { summary += "; not assessed: " + unassessed.joined(separator: "; ") }
        let notes = ["template \(template.id) from \(templatePath.split(separator: "/").suffix(2).joined(separator: "/"))", "angle: \(frontalSignal ? "frontal" : "sagittal") inclination of \(sensor.label) by \(words)"]
            + unassessed.map { "not assessed: \($0)" } + template.criteria.map { "\(describe($0)) - source: \($0.source)" }
        var outputs: [CommandOutput] = MountCheck.findings(sensor, mount: settings.mount, sagittal: sagittal, label: "\(recording.name) \(sensor.label)").map(CommandOutput.warning)
        outputs += [.message(summary),
                                        .table(ResultTable(title: "screen \(template.id) on \(recording.name)",
                                                           columns: [TableColumn("#"), TableColumn("on", unit: "s"), TableColumn("off", unit: "s"), TableColumn("ROM", unit: "deg"), TableColumn("verdict"),
                                                                     TableColumn("pass", unit: "%"), TableColumn("reasons")],
                                                           rows: rows, notes: notes))]
        if let path = invocation.destination, try invocation[plotKind] == .muscles {
            guard let envelopes else { throw MyoError.missingArgument(command: "screen", name: "emg= (the muscle bars need envelopes)", usage: spec.usage) }
            let muscles = template.targets.compactMap { name in envelopes.channels.first { $0.name == name } }
            var request = PlotRequest(title: "\(template.name): target muscles during each hold", series: [], outputPath: path)
            request.bars = BarChart(categories: bouts.indices.map { "rep \($0 + 1) \(rows[$0][4].formatted)" },
                                    groups: muscles.map { muscle in
                                        BarChart.Group(label: muscle.name, values: bouts.map { bout in
                                            let samples = muscle.samples[muscle.sampleRange(fromSeconds: time(bout.holdStart), toSeconds: time(bout.holdEnd))]
                                            return samples.isEmpty ? .nan : samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count)
                                        })
                                    }, yLabel: muscles.first.map { "mean during hold (\($0.unit))" } ?? "")
            outputs.append(.plot(request))
        } else if let path = invocation.destination {
            let channel = PlotSeries(label: "\(frontalSignal ? "frontal" : "sagittal") angle", unit: "deg", sampleRateHz: fs, startTimeSeconds: t0, samples: angle.map(Float.init))
            outputs.append(.plot(PlotRequest(title: "\(template.name): \(passed) of \(bouts.count) pass", series: [channel], markers: markers, outputPath: path)))
        }
        return outputs
    }

    static func bouts(_ template: ExerciseTemplate, angle: [Double], fs: Double) throws -> [Bout] {
        let movement = template.movement
        if movement.mode == "hold" {
            let target = movement.target ?? 90, tolerance = movement.tolerance ?? 20
            let minimum = Quantity.parse(movement.min_hold ?? "5s")?.canonicalValue ?? 5
            var bouts: [Bout] = []
            var start: Int?
            for i in 0...angle.count {
                let inside = i < angle.count && abs(angle[i] - target) <= tolerance
                if inside, start == nil { start = i }
                if !inside, let s = start {
                    if Double(i - s) / fs >= minimum {
                        // The hold proper: where the angle stays within max(1, tolerance / 10) deg of
                        // the stretch's median (the way in and out of the band is going and return).
                        let median = Array(angle[s..<i]).sorted()[(i - s) / 2]
                        let near = (s..<i).filter { abs(angle[$0] - median) <= max(1, tolerance / 10) }
                        bouts.append(Bout(start: s, holdStart: near.first ?? s, holdEnd: (near.last ?? (i - 1)) + 1, end: i))
                    }
                    start = nil
                }
            }
            return bouts
        }
        let signal = MovementSignal(name: "angle", unit: "deg", sampleRateHz: fs, startTimeSeconds: 0, values: angle, origin: "")
        let start = try signal.level(movement.start ?? "30%", argument: "start"), end = try signal.level(movement.end ?? "15%", argument: "end")
        let minPeak = try signal.level("10%", argument: "min-peak") - signal.level("0%", argument: "min-peak")
        let hold = Quantity.parse(movement.hold ?? "90%")?.value ?? 90
        return RepetitionFinder.find(angle, startLevel: start, endLevel: end, holdFraction: hold / 100, minSamples: Int(0.5 * fs), maxSamples: Int(60 * fs), minPeak: minPeak)
            .repetitions.map { Bout(start: $0.start, holdStart: $0.holdStart, holdEnd: $0.holdEnd, end: $0.end) }
    }

    enum Outcome { case pass, flag(String), unassessed(String) }

    /// A muscle's mean over a phase, or why it cannot be had.
    enum Mean { case success(Double), failure(String) }

    static func describe(_ c: ExerciseTemplate.Criterion) -> String {
        let unit = c.unit.isEmpty ? "" : " " + c.unit
        switch c.check {
        case "min-mean": return "\((c.muscles ?? []).joined(separator: ", ")) at least \(NumberFormat.significant(c.value, digits: 4))\(unit) during \(c.phase)"
        case "max-mean": return "\((c.muscles ?? []).joined(separator: ", ")) at most \(NumberFormat.significant(c.value, digits: 4))\(unit) during \(c.phase)"
        case "max-ratio": return "\((c.numerator ?? []).joined(separator: "+")) / \((c.denominator ?? []).joined(separator: "+")) at most \(NumberFormat.significant(c.value, digits: 4)) during \(c.phase)"
        case "symmetry": return "\(c.left ?? "?")/\(c.right ?? "?") |SI| at most \(NumberFormat.significant(c.value, digits: 4)) % during \(c.phase)"
        case "stable-angle": return "angle range at most \(NumberFormat.significant(c.value, digits: 4)) deg during \(c.phase)"
        default: return "ROM at least \(NumberFormat.significant(c.value, digits: 4)) deg"
        }
    }

    static func evaluate(_ c: ExerciseTemplate.Criterion, from: Double, to: Double, angle: [Double], restAngle: [Double], envelopes: Recording?) -> Outcome {
        let phase = c.phase == "all" ? "the repetition" : "\(c.phase)"
        func mean(_ muscle: String) -> Mean {
            guard let envelopes else { return .failure("\(describe(c)) (no emg= envelopes)") }
            guard let channel = envelopes.channels.first(where: { $0.name == muscle }) else { return .failure("\(describe(c)) (\(envelopes.name) has no \(muscle))") }
            // Amplitude criteria need the envelopes in their unit; SI is a ratio of like units.
            guard c.unit.isEmpty || c.check == "symmetry" || channel.unit == c.unit else { return .failure("\(describe(c)) (\(muscle) is in \(channel.unit), the criterion in \(c.unit): normalize first)") }
            let samples = channel.samples[channel.sampleRange(fromSeconds: from, toSeconds: to)]
            guard !samples.isEmpty else { return .failure("\(describe(c)) (no samples of \(muscle) in the \(phase))") }
            return .success(samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count))
        }
        func value(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 1) }
        switch c.check {
        case "min-mean", "max-mean":
            var reasons: [String] = []
            for muscle in c.muscles ?? [] {
                switch mean(muscle) {
                case .failure(let why): return .unassessed(why)
                case .success(let m):
                    if c.check == "min-mean", m < c.value { reasons.append("\(muscle) \(value(m)) \(c.unit), below \(value(c.value)) \(c.unit) during \(phase)") }
                    if c.check == "max-mean", m > c.value { reasons.append("\(muscle) \(value(m)) \(c.unit), above \(value(c.value)) \(c.unit) during \(phase)") }
                }
            }
            return reasons.isEmpty ? .pass : .flag(reasons.joined(separator: "; "))
        case "max-ratio":
            var sums = [0.0, 0.0]
            for (k, group) in [c.numerator ?? [], c.denominator ?? []].enumerated() {
                for muscle in group {
                    switch mean(muscle) {
                    case .failure(let why): return .unassessed(why)
                    case .success(let m): sums[k] += m / Double(group.count)
                    }
                }
            }
            guard sums[1] > 0 else { return .unassessed("\(describe(c)) (the denominator is 0)") }
            let ratio = sums[0] / sums[1]
            return ratio > c.value ? .flag("\((c.numerator ?? []).joined(separator: "+"))/\((c.denominator ?? []).joined(separator: "+")) ratio \(NumberFormat.fixed(ratio, decimals: 2)), above \(NumberFormat.significant(c.value, digits: 4)) during \(phase)") : .pass
        case "symmetry":
            guard let l = c.left, let r = c.right else { return .unassessed("\(describe(c)) (the template names no pair)") }
            switch (mean(l), mean(r)) {
            case (.success(let a), .success(let b)):
                guard a + b > 0 else { return .unassessed("\(describe(c)) (both sides silent)") }
                let si = (b - a) / (0.5 * (a + b)) * 100
                return abs(si) > c.value ? .flag("\(l)/\(r) SI \(value(si)) %, beyond +-\(value(c.value)) % during \(phase)") : .pass
            case (.failure(let why), _), (_, .failure(let why)): return .unassessed(why)
            }
        case "stable-angle":
            guard let low = angle.min(), let high = angle.max() else { return .unassessed("\(describe(c)) (an empty \(phase))") }
            return high - low > c.value ? .flag("angle moved \(value(high - low)) deg, more than \(value(c.value)) deg during \(phase)") : .pass
        default:
            guard let low = restAngle.min(), let high = restAngle.max() else { return .unassessed("\(describe(c)) (an empty repetition)") }
            return high - low < c.value ? .flag("ROM \(value(high - low)) deg, below \(value(c.value)) deg") : .pass
        }
    }
}

/// `exercises [templates=DIR]`: the templates available, with their criteria.
enum ExercisesCommand {
    static let spec = CommandSpec(
        name: "exercises", abstract: "List the exercise templates screen can use, with their criteria and sources",
        arguments: [ScreenCommand.templates],
        examples: ["exercises", "exercises templates=my-templates"])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let templates = try ExerciseTemplate.all(extra: invocation[ScreenCommand.templates])
        let rows: [[TableCell]] = templates.keys.sorted().map { id in
            let (t, path) = templates[id]!
            return [.text(id), .text(t.name), .text(t.movement.mode), .text(t.targets.joined(separator: " ")),
                    .text(t.criteria.map(ScreenCommand.describe).joined(separator: "; ")), .text(path.split(separator: "/").suffix(2).joined(separator: "/"))]
        }
        return [.table(ResultTable(title: "exercise templates", columns: [TableColumn("id"), TableColumn("exercise"), TableColumn("mode"), TableColumn("targets"),
                                                                         TableColumn("criteria"), TableColumn("file")], rows: rows))]
    }
}
