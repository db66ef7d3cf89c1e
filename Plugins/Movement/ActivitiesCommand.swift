#if canImport(Glibc)
import Glibc
#endif
import MyoAnalysis
import MyoCore
import MyoPluginAPI
import MyoSignal

/// `activities REC [epoch=2s] [lying=60deg] [bend=30deg] [lean=10deg] [motion=0.1g] [steps=1.4Hz..2.5Hz]
/// [lift-rate=50deg/s] [load=0.1g] [sensor=PREFIX] [mount=...]`
enum ActivitiesCommand {
    enum Activity: String, CaseIterable { case lying, sitting, standing, walking, bending, lifting }

    static let recordingArgument = Argument.recording("recording", help: "a recording with a trunk IMU (accelerometer; gyroscope optional)")
    static let epoch = Argument.quantity("epoch", .time, default: "2s", minimum: 0.5, maximum: 60, help: "length of each classified epoch")
    static let lying = Argument.quantity("lying", .angle, default: "60deg", minimum: 1, maximum: 90, help: "trunk inclination above which the person lies")
    static let bend = Argument.quantity("bend", .angle, default: "30deg", minimum: 1, maximum: 90, help: "trunk flexion above which the person bends")
    static let lean = Argument.quantity("lean", .angle, default: "10deg", minimum: 0, maximum: 90, help: "trunk inclination above which an upright, still person sits")
    static let motion = Argument.quantity("motion", .acceleration, default: "0.1g", minimum: 0, maximum: 2, help: "SD of the acceleration magnitude above which the person moves")
    static let steps = Argument.range("steps", .frequency, default: "1.4Hz..2.5Hz", minimum: 0.2, maximum: 5, help: "step frequencies of walking")
    static let liftRate = Argument.quantity("lift-rate", .angularVelocity, default: "50deg/s", minimum: 1, maximum: 1000, help: "trunk extension speed of a lift's return")
    static let load = Argument.quantity("load", .acceleration, default: "0.1g", minimum: 0, maximum: 2, help: "acceleration above 1 g during the return that marks a load")

    static let spec = CommandSpec(
        name: "activities", abstract: "What the person was doing, epoch by epoch, from a trunk IMU: lying, sitting, standing, walking, bending, lifting",
        discussion: """
        Each epoch= gets the mean trunk inclination from the accelerometer (the mount's up and forward axes, as \
        tilt method=accel: atan2 of the forward over the up component of gravity), the SD of the acceleration \
        magnitude, and the step frequency (upward crossings of the detrended magnitude through +-0.05 g over the \
        epoch and its neighbours). Lifts are found first: a return of the trunk from beyond bend= to below it at \
        more than lift-rate= (on the inclination smoothed over 0.2 s) with the magnitude more than load= above \
        1 g during the return. Then, in this order: lifting when a lift returns within 3 s of the epoch (half of \
        a lifting cycle); lying when the inclination, forward or backward, exceeds lying= (trunk near \
        horizontal; Lugade et al. 2014 use 60 deg) for at least 10 s (shorter stretches are deep bends); walking when the magnitude's SD reaches motion= and the steps fall in steps= (walking \
        cadence 1.4-2.5 Hz, BenAbdelkader et al. 2002; Bussmann et al. 2001); bending when the flexion exceeds \
        bend= (trunk flexion beyond 30 deg as in Hoogendoorn et al. 2000); sitting when it exceeds lean=; else \
        standing. A trunk sensor alone tells sitting from standing only by the trunk's lean, the weakest rule; \
        a thigh sensor would decide it. Output: the epochs, the bouts (consecutive epochs of one activity), time \
        in each activity; and an event 'activity: NAME' at the start of each bout, on the recording (the \
        previous ones replaced). Validated against simulate day (docs/LONG.md).
        """,
        arguments: [recordingArgument, epoch, lying, bend, lean, motion, steps, liftRate, load, SharedArguments.mount, TiltSettings.sensor],
        acceptsOutputName: true,
        examples: ["activities day", "activities day epoch=4s bend=45deg", "activities shift mount=+Z+X+Y"],
        references: [
            "Lugade V, Fortune E, Morrow M, Kaufman K (2014) Validity of using tri-axial accelerometers to measure human movement - Part I: Posture and movement detection. Med Eng Phys 36:169-176. doi:10.1016/j.medengphy.2013.06.005",
            "Bussmann JBJ, Martens WLJ, Tulen JHM, Schasfoort FC, van den Berg-Emons HJG, Stam HJ (2001) Measuring daily behavior using ambulatory accelerometry: the Activity Monitor. Behav Res Methods Instrum Comput 33:349-356. doi:10.3758/BF03195388",
            "BenAbdelkader C, Cutler R, Davis L (2002) Stride and cadence as a biometric in automatic person identification and verification. Proc IEEE Int Conf Automatic Face Gesture Recognition, 372-377. doi:10.1109/AFGR.2002.1004182",
            "Hoogendoorn WE, Bongers PM, de Vet HCW, Douwes M, Koes BW, Miedema MC, Ariens GAM, Bouter LM (2000) Flexion and rotation of the trunk and lifting at work are risk factors for low back pain. Spine 25:3087-3092. doi:10.1097/00007632-200012010-00018",
        ],
        streams: true)

    /// The shortest stretch beyond lying= that counts as lying.
    static let minimumLyingSeconds = 10.0

    struct Epoch { var start: Double; var end: Double; var inclination: Double; var motion: Double; var cadence: Double; var activity: Activity }

    static func run(_ invocation: Invocation) throws -> [CommandOutput] {
        var recording = try invocation.context.recording(named: invocation[recordingArgument])
        // The inertial channels are read into memory (a day at 100 Hz is 35 MB a channel); EMG channels
        // kept in their file stay there, so a day's activities need no room for its EMG.
        var inertial = recording
        inertial.channels = try recording.channels.map { $0.kind.isIMU ? try $0.materialized() : $0 }
        let sensor = try TiltSettings.sensor(invocation, in: inertial)
        guard sensor.accelerometer.count >= 2 else {
            throw MyoError.other("\(recording.name): activities needs an accelerometer with at least two axes (along the trunk and forward); \(sensor.label) has \(sensor.channelNames.joined(separator: ", "))")
        }
        let (axes, source) = try invocation.mount(of: inertial)
        let mount = SensorMount(axes)
        let fs = sensor.sampleRateHz, n = sensor.count
        let start = sensor.accelerometer.values.first!.startTimeSeconds
        let epochSeconds = try invocation[epoch]
        let perEpoch = max(1, Int((epochSeconds * fs).rounded()))
        guard n >= perEpoch else {
            throw MyoError.outOfRange(argument: "epoch", value: NumberFormat.quantity(epochSeconds, "s"), limit: "the IMU recording (\(NumberFormat.quantity(Double(n) / fs, "s")))")
        }
        let (lyingDeg, bendDeg, leanDeg) = (try invocation[lying], try invocation[bend], try invocation[lean])
        let (motionG, loadG, rate) = (try invocation[motion], try invocation[load], try invocation[liftRate])
        let (stepLow, stepHigh) = try invocation[steps]

        // Inclination (accelerometer tilt) and the acceleration magnitude in g.
        let inclination = InclinationEstimator.angles(sensor, method: .accel, mount: mount, beta: 0, tau: 1).sagittal
        let (acceleration, _) = sensor.vectors()
        let toG = sensor.accelerometer.values.first!.unit.lowercased().hasPrefix("m/s") ? 1 / 9.80665 : 1
        let magnitude = acceleration.map { ($0.x * $0.x + $0.y * $0.y + $0.z * $0.z).squareRoot() * toG }

        // Lifts: returns from beyond bend= to below it faster than lift-rate=, with a load cue.
        let smooth = MovingMean.centred(inclination, window: max(1, Int((0.2 * fs).rounded())))
        var lifts: [Double] = []
        var i = 1
        while i < n {
            if smooth[i - 1] >= bendDeg, smooth[i] < bendDeg {
                // The return's span: from the last sample at or above 80 % of the peak before, to
                // the first below a third of bend= after.
                var top = i - 1
                while top > 0, smooth[top - 1] >= smooth[top] { top -= 1 }
                var bottom = i
                while bottom + 1 < n, smooth[bottom + 1] < smooth[bottom], smooth[bottom] > bendDeg / 3 { bottom += 1 }
                let seconds = Double(max(1, bottom - top)) / fs
                let speed = (smooth[top] - smooth[bottom]) / seconds
                let peakLoad = (magnitude[top...bottom].max() ?? 1) - 1
                if speed >= rate, peakLoad >= loadG { lifts.append(start + Double(i) / fs) }
                i = bottom + 1
            } else {
                i += 1
            }
        }

        var epochs: [Epoch] = []
        let count = n / perEpoch
        for e in 0..<count {
            let range = (e * perEpoch)..<((e + 1) * perEpoch)
            let meanAngle = inclination[range].reduce(0, +) / Double(range.count)
            let m = magnitude[range].reduce(0, +) / Double(range.count)
            let sd = (magnitude[range].reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, range.count - 1))).squareRoot()
            // Steps over the epoch and its neighbours (at least 4 s), upward crossings with hysteresis.
            let half = max(perEpoch, Int(2 * fs)) / 2
            let centre = (range.lowerBound + range.upperBound) / 2
            let window = max(0, centre - half)..<min(n, centre + half)
            let wm = magnitude[window].reduce(0, +) / Double(window.count)
            var crossings = 0, armed = false
            for value in magnitude[window] {
                if value - wm < -0.05 { armed = true } else if armed, value - wm > 0.05 { crossings += 1; armed = false }
            }
            let cadence = Double(crossings) / (Double(window.count) / fs)
            let t0 = start + Double(range.lowerBound) / fs, t1 = start + Double(range.upperBound) / fs
            let activity: Activity
            if lifts.contains(where: { $0 >= t0 - 3 && $0 <= t1 + 3 }) { activity = .lifting }
            else if abs(meanAngle) > lyingDeg { activity = .lying }
            else if sd >= motionG, cadence >= stepLow, cadence <= stepHigh { activity = .walking }
            else if meanAngle > bendDeg { activity = .bending }
            else if meanAngle > leanDeg { activity = .sitting }
            else { activity = .standing }
            epochs.append(Epoch(start: t0, end: t1, inclination: meanAngle, motion: sd, cadence: cadence, activity: activity))
        }

        // Lying lasts: a run of lying epochs shorter than 10 s is a deep bend (the trunk passes the
        // lying threshold when someone bends far forward, but does not stay there).
        var k = 0
        while k < epochs.count {
            guard epochs[k].activity == .lying else { k += 1; continue }
            var end = k
            while end + 1 < epochs.count, epochs[end + 1].activity == .lying { end += 1 }
            if epochs[end].end - epochs[k].start < minimumLyingSeconds { for j in k...end { epochs[j].activity = .bending } }
            k = end + 1
        }

        var bouts: [(start: Double, end: Double, activity: Activity)] = []
        for epoch in epochs {
            if let last = bouts.last, last.activity == epoch.activity { bouts[bouts.count - 1].end = epoch.end } else { bouts.append((epoch.start, epoch.end, epoch.activity)) }
        }
        let total = epochs.reduce(0) { $0 + $1.end - $1.start }
        let name = invocation.outputName ?? "\(recording.name)_activities"
        let settings = "epoch \(NumberFormat.quantity(epochSeconds, "s")); lying > \(NumberFormat.significant(lyingDeg)) deg, bend > \(NumberFormat.significant(bendDeg)) deg, lean > \(NumberFormat.significant(leanDeg)) deg, motion >= \(NumberFormat.significant(motionG)) g, steps \(NumberFormat.significant(stepLow))-\(NumberFormat.significant(stepHigh)) Hz, lift return >= \(NumberFormat.significant(rate)) deg/s with load >= \(NumberFormat.significant(loadG)) g; \(sensor.label) at \(NumberFormat.quantity(fs, "Hz")), mount \(mount.description)" + (source.hasPrefix("stated by") ? " (\(source))" : "")
        let epochTable = ResultTable(title: "\(name): activity per epoch (\(settings))",
            columns: [TableColumn("start", unit: "s"), TableColumn("end", unit: "s"), TableColumn("activity"), TableColumn("inclination", unit: "deg"),
                      TableColumn("motion SD", unit: "g"), TableColumn("steps", unit: "Hz")],
            rows: epochs.map { [.number($0.start), .number($0.end), .text($0.activity.rawValue), .number(($0.inclination * 10).rounded() / 10),
                                .number(($0.motion * 1000).rounded() / 1000), .number(($0.cadence * 100).rounded() / 100)] },
            notes: n % perEpoch == 0 ? [] : ["the last \(NumberFormat.quantity(Double(n % perEpoch) / fs, "s")) (less than an epoch) is not classified"])
        let boutTable = ResultTable(title: "\(name) bouts: \(bouts.count) bouts, \(lifts.count) lift\(lifts.count == 1 ? "" : "s")",
            columns: [TableColumn("start", unit: "s"), TableColumn("end", unit: "s"), TableColumn("duration", unit: "s"), TableColumn("activity")],
            rows: bouts.map { [.number($0.start), .number($0.end), .number($0.end - $0.start), .text($0.activity.rawValue)] })
        let timeTable = ResultTable(title: "\(name): time in each activity",
            columns: [TableColumn("activity"), TableColumn("time", unit: "s"), TableColumn("share", unit: "%"), TableColumn("bouts")],
            rows: Activity.allCases.map { activity in
                let seconds = bouts.filter { $0.activity == activity }.reduce(0) { $0 + $1.end - $1.start }
                return [.text(activity.rawValue), .number(seconds), .number((seconds / total * 1000).rounded() / 10), .integer(bouts.filter { $0.activity == activity }.count)]
            })
        recording.events.removeAll { $0.label.hasPrefix("activity: ") }
        recording.events = (recording.events + bouts.map { Event(timeSeconds: $0.start, label: "activity: \($0.activity.rawValue)") })
            .sorted { ($0.timeSeconds, $0.label) < ($1.timeSeconds, $1.label) }
        return [.table(epochTable), .table(boutTable), .table(timeTable), .recording(recording)]
    }
}
