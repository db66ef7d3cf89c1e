import MyoAnalysis
import MyoCore
import MyoPluginAPI
import MyoSignal

/// `flexion-relaxation REC [epoch=1s] [silence=2] [tilt arguments]`: the protocol end to end.
enum FlexionRelaxationProtocol {
    static let recordingArgument = Argument.recording("recording", help: "a standing flexion-extension recording with EMG and a trunk IMU")
    static let epoch = Argument.quantity("epoch", .time, default: "1s", help: "RMS epoch for FRR and ERR")
    static let silence = Argument.number("silence", default: "2", minimum: 1, maximum: 100, help: "silence level as a multiple of the full-flexion RMS")
    static let spec = CommandSpec(
        name: "flexion-relaxation", abstract: "Flexion-relaxation protocol: IMU phases, FRR/ERR per side, silence on/off angles and flexion ROM",
        discussion: """
        Phases from the trunk IMU's sagittal inclination (tilt's arguments; Madgwick by default): cycles as frr \
        finds them (above 10 % of the 5th-95th percentile span, full flexion above 90 %), i.e. standing, flexing, \
        full flexion and re-extending. Per EMG channel and cycle: FRR and ERR as in frr (Watson et al. 1997: the \
        largest flexion or re-extension epoch RMS over the mean full-flexion epoch RMS, epoch=), flexion ROM (the \
        largest angle of the cycle minus the lowest since the previous one; Neblett et al. 2003 found ROM the \
        strongest single measure, so it is reported beside the ratios), and the myoelectric silence: where the \
        250 ms moving RMS falls to silence= times the full-flexion RMS (2 by default, a convention) and stays there \
        for at least 0.5 s (silence begins; its angle on the way down), and where it next rises above that level \
        for at least 0.25 s (silence ends; its angle on the way up). The phenomenon counts as present when FRR is \
        at least 2 (a convention; patients with low back pain often show ratios near 1).
        """,
        arguments: [
            recordingArgument, epoch, silence,
        ] + TiltSettings.arguments,
        measures: [MeasureSpec(column: "FRR", rowKeys: ["channel"], better: .higher, summary: "flexion-relaxation ratio of each channel (mean over cycles)"),
                   MeasureSpec(column: "flexion ROM", rowKeys: ["channel"], better: .higher, summary: "trunk flexion range of motion")],
        acceptsOutputName: true,
        examples: ["flexion-relaxation fr", "flexion-relaxation trunk calibrate=0s..2s epoch=500ms"],
        references: [
            "Watson PJ, Booker CK, Main CJ, Chen ACN (1997) Surface electromyography in the identification of chronic low back pain patients: the development of the flexion relaxation ratio. Clin Biomech 12:165-171. doi:10.1016/S0268-0033(97)00065-X",
            "Neblett R, Mayer TG, Gatchel RJ, Keeley J, Proctor T, Anagnostis C (2003) Quantifying the lumbar flexion-relaxation phenomenon: theory, normative data, and clinical applications. Spine 28:1435-1446. doi:10.1097/01.BRS.0000067085.46840.5A",
        ])

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let recording = try invocation.context.recording(named: invocation[recordingArgument])
        let emg = recording.channels.filter { $0.kind == .emg }
        guard !emg.isEmpty else { throw MyoError.noEMGChannels(recording) }
        let settings = try TiltSettings.from(invocation, recording: recording)
        let sensor = try TiltSettings.sensor(invocation, in: recording)
        let (angle, _, words) = try settings.angles(sensor)
        let fs = sensor.sampleRateHz, t0 = sensor.accelerometer.values.first!.startTimeSeconds
        let (cycles, lo, hi) = FlexionRelaxation.cycles(angle: angle, sampleRateHz: fs, startTime: t0)
        guard !cycles.isEmpty else {
            throw MyoError.other("no flexion cycle found in the sagittal inclination (\(NumberFormat.fixed(lo, decimals: 1))-\(NumberFormat.fixed(hi, decimals: 1)) deg)")
        }
        func angleAt(_ t: Double) -> Double {
            let position = (t - t0) * fs
            let i = max(0, min(angle.count - 2, Int(position)))
            return angle[i] + (angle[i + 1] - angle[i]) * min(1, max(0, position - Double(i)))
        }
        let epoch = try invocation[epoch]
        let factor = try invocation[silence]
        var rows: [[TableCell]] = []
        for channel in emg {
            let moving = movingRMS(channel, window: 0.25)
            var previousEnd = t0
            for (index, cycle) in cycles.enumerated() {
                let restStart = index == 0 ? t0 : previousEnd
                previousEnd = cycle.reExtension.1
                let stretch = angle[max(0, Int((restStart - t0) * fs))..<min(angle.count, Int((cycle.reExtension.1 - t0) * fs))]
                let rom = (stretch.max() ?? .nan) - (stretch.min() ?? .nan)
                guard let a = FlexionRelaxation.amplitudes(channel, cycle, epoch: epoch) else { continue }
                let frr = a.full > 0 ? a.flexion / a.full : .nan, err = a.full > 0 ? a.reExtension / a.full : .nan
                let level = factor * a.full
                let silence = silenceTimes(moving, channel: channel, from: cycle.flexion.0, through: cycle.reExtension.1, fullEnd: cycle.full.1, level: level)
                rows.append([.text(channel.name), .integer(index + 1), .number(rom), frr.isNaN ? .missing : .number(frr), err.isNaN ? .missing : .number(err),
                             .text(frr >= 2 ? "present" : "absent"),
                             silence.map { .number(angleAt($0.0)) } ?? .missing, silence.map { .number(angleAt($0.1)) } ?? .missing,
                             silence.map { .number($0.0) } ?? .missing, silence.map { .number($0.1) } ?? .missing])
            }
        }
        let notes = ["angle: \(words)"] + cycles.enumerated().map { index, c in
            "cycle \(index + 1): standing until \(NumberFormat.fixed(c.flexion.0, decimals: 2)) s, flexing to \(NumberFormat.fixed(c.full.0, decimals: 2)) s, full flexion to \(NumberFormat.fixed(c.full.1, decimals: 2)) s, re-extending to \(NumberFormat.fixed(c.reExtension.1, decimals: 2)) s"
        }
        return [.table(ResultTable(title: "flexion-relaxation of \(recording.name) (\(NumberFormat.quantity(epoch, "s")) epochs, silence below \(NumberFormat.significant(factor, digits: 3)) x full-flexion RMS)",
                                   columns: [TableColumn("channel"), TableColumn("cycle"), TableColumn("flexion ROM", unit: "deg"), TableColumn("FRR"), TableColumn("ERR"),
                                             TableColumn("FR"), TableColumn("silence from", unit: "deg"), TableColumn("silence to", unit: "deg"),
                                             TableColumn("silence begins", unit: "s"), TableColumn("silence ends", unit: "s")],
                                   rows: rows, notes: notes))]
    }

    /// Centred moving RMS (about the local mean) over `window` s, one value per sample.
    static func movingRMS(_ channel: Channel, window: Double) -> [Double] {
        let w = max(2, Int((window * channel.sampleRateHz).rounded()))
        let x = channel.samples.map(Double.init)
        var s1 = [Double](repeating: 0, count: x.count + 1), s2 = s1
        for i in x.indices { s1[i + 1] = s1[i] + x[i]; s2[i + 1] = s2[i] + x[i] * x[i] }
        return x.indices.map { i in
            let a = max(0, i - w / 2), b = min(x.count, i + w / 2 + 1)
            let n = Double(b - a), mean = (s1[b] - s1[a]) / n
            return max(0, (s2[b] - s2[a]) / n - mean * mean).squareRoot()
        }
    }

    /// The silence inside [from, through]: begins where the moving RMS falls to `level` and stays
    /// there at least 0.5 s (before `fullEnd`); ends where it next stays above `level` for 0.25 s.
    static func silenceTimes(_ moving: [Double], channel: Channel, from: Double, through: Double, fullEnd: Double, level: Double) -> (Double, Double)? {
        let fs = channel.sampleRateHz
        func index(_ t: Double) -> Int { max(0, min(moving.count, Int(((t - channel.startTimeSeconds) * fs).rounded()))) }
        let start = index(from), end = index(through), lastBegin = index(fullEnd)
        let quiet = Int(0.5 * fs), loud = Int(0.25 * fs)
        var begin: Int?
        var run = 0
        for i in start..<end {
            run = moving[i] <= level ? run + 1 : 0
            if run >= quiet { begin = i - run + 1; break }
        }
        guard let begin, begin <= lastBegin else { return nil }
        run = 0
        for i in begin..<end {
            run = moving[i] > level ? run + 1 : 0
            if run >= loud {
                let t = { (j: Int) in channel.startTimeSeconds + Double(j) / fs }
                return (t(begin), t(i - run + 1))
            }
        }
        return nil
    }
}
