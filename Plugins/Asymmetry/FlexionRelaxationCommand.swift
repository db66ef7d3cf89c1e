import MyoAnalysis
import MyoCore
import MyoPluginAPI
import MyoSignal

/// `frr REC [flexion= full= extension=] [sensor=] [mount=+X+Z+Y] [epoch=1s]`: flexion-relaxation ratios.
enum FlexionRelaxationCommand {
    static let recordingArgument = Argument.recording("recording", help: "a recording with EMG (and a trunk accelerometer, unless phases are given)")
    static let flexion = Argument<(Double, Double)?>.range("flexion", .time, help: "the flexion phase (with full= and extension=)")
    static let full = Argument<(Double, Double)?>.range("full", .time, help: "the full-flexion phase")
    static let reExtension = Argument<(Double, Double)?>.range("extension", .time, help: "the re-extension phase")
    static let sensor = Argument<String?>.text("sensor", help: "the trunk IMU (the prefix of its channel names), when there are several")
    static let epoch = Argument.quantity("epoch", .time, default: "1s", help: "RMS epoch length")
    static let spec = CommandSpec(
        name: "frr", abstract: "Flexion-relaxation: FRR and ERR per channel and cycle, phases from the trunk IMU or given",
        discussion: """
        Phases: given as flexion=, full= and extension= time ranges (one cycle), or found from the trunk \
        IMU (the sagittal inclination as tilt computes it by default, mount=, smoothed over 0.5 s): with lo and hi the \
        5th and 95th percentiles of the inclination, a cycle is a stretch above lo + 10 % of (hi - lo); flexion \
        runs from its start to the first sample above lo + 90 %, full flexion until the last such sample, \
        re-extension from there to the cycle's end (the 10 % and 90 % levels are conventions). Per EMG \
        channel (raw EMG) and cycle, the RMS about the mean of consecutive epochs of epoch= within each phase: \
        FRR = the largest flexion-phase epoch RMS / the mean full-flexion epoch RMS (Watson et al. 1997), ERR = \
        the largest re-extension epoch RMS / the same denominator. A phase shorter than one epoch uses one \
        epoch of its own length. Ratios well above 1 mean the muscle relaxed at full flexion; loss of the \
        phenomenon (ratios near 1) is common in low back pain.
        """,
        arguments: [
            recordingArgument, flexion, full, reExtension, sensor, SharedArguments.mount, epoch,
        ],
        measures: [MeasureSpec(column: "FRR", rowKeys: ["channel"], better: .higher, summary: "flexion-relaxation ratio of each channel (mean over cycles)"),
                   MeasureSpec(column: "ERR", rowKeys: ["channel"], better: .higher, summary: "extension-relaxation ratio of each channel (mean over cycles)")],
        acceptsOutputName: true,
        examples: ["frr flexion-relaxation", "frr s01 flexion=5s..9s full=9s..12s extension=12s..16s epoch=500ms"],
        references: ["Watson PJ, Booker CK, Main CJ, Chen ACN (1997) Surface electromyography in the identification of chronic low back pain patients: the development of the flexion relaxation ratio. Clin Biomech 12:165-171. doi:10.1016/S0268-0033(97)00065-X"])

    typealias Cycle = FlexionRelaxation.Cycle

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        let recording = try invocation.context.recording(named: invocation[recordingArgument])
        let emg = recording.channels.filter { $0.kind == .emg }
        guard !emg.isEmpty else { throw MyoError.noEMGChannels(recording) }
        let (cycles, how) = try phases(invocation, recording)
        let epoch = try invocation[epoch]
        var rows: [[TableCell]] = []
        for channel in emg {
            for (index, cycle) in cycles.enumerated() {
                guard let a = FlexionRelaxation.amplitudes(channel, cycle, epoch: epoch) else { continue }
                rows.append([.text(channel.name), .integer(index + 1), .number(a.flexion), .number(a.full), .number(a.reExtension),
                             a.full > 0 ? .number(a.flexion / a.full) : .missing, a.full > 0 ? .number(a.reExtension / a.full) : .missing])
            }
        }
        let unit = emg[0].unit
        let phaseNotes = cycles.enumerated().map { index, c in
            "cycle \(index + 1): flexion \(range(c.flexion)), full \(range(c.full)), re-extension \(range(c.reExtension))"
        }
        let table = ResultTable(title: "flexion-relaxation (\(how); \(NumberFormat.quantity(epoch, "s")) epochs)",
                                columns: [TableColumn("channel"), TableColumn("cycle"), TableColumn("flexion max RMS", unit: unit), TableColumn("full flexion RMS", unit: unit),
                                          TableColumn("re-extension max RMS", unit: unit), TableColumn("FRR"), TableColumn("ERR")],
                                rows: rows, notes: phaseNotes)
        return [.table(table)]
    }

    static func range(_ r: (Double, Double)) -> String { "\(NumberFormat.fixed(r.0, decimals: 2))-\(NumberFormat.fixed(r.1, decimals: 2)) s" }

    static func phases(_ invocation: Invocation, _ recording: Recording) throws -> ([Cycle], String) {
        let given = [try invocation[flexion], try invocation[full], try invocation[reExtension]]
        if given.contains(where: { $0 != nil }) {
            guard let flexion = given[0], let full = given[1], let reExtension = given[2] else {
                throw MyoError.invalidValue(argument: given[0] == nil ? "flexion" : (given[1] == nil ? "full" : "extension"), value: "missing",
                                            expected: "all three of flexion=, full= and extension= when phases are given")
            }
            return ([Cycle(flexion: flexion, full: full, reExtension: reExtension)], "phases given")
        }
        let mount = SensorMount(try invocation.mount(of: recording).axes)
        // Unsmoothed, as flexion-relaxation (the movement plugin) finds its cycles: one cycle, one FRR.
        guard let (angle, sensor, words) = try TrunkInclination.sagittal(of: recording, sensor: invocation[sensor], mount: mount, smoothingSeconds: 0) else {
            throw MyoError.other("\(recording.name) has no trunk IMU: give flexion=, full= and extension=")
        }
        guard angle.count > 10 else { throw MyoError.other("\(sensor.label) is too short to find flexion cycles") }
        let (cycles, lo, hi) = FlexionRelaxation.cycles(angle: angle, sampleRateHz: sensor.sampleRateHz, startTime: sensor.accelerometer.values.first!.startTimeSeconds)
        guard !cycles.isEmpty else {
            throw MyoError.other("no flexion cycle found in the \(words) (\(NumberFormat.fixed(lo, decimals: 1))-\(NumberFormat.fixed(hi, decimals: 1)) deg): give flexion=, full= and extension=")
        }
        return (cycles, "phases from the \(words): \(NumberFormat.fixed(lo, decimals: 1)) to \(NumberFormat.fixed(hi, decimals: 1)) deg")
    }
}
