import Foundation
import MyoCore
import MyoPlot
import MyoShell
import MyoTestSupport
import Testing

/// `plot-day`: the rows, bands, gaps and flags it asks for on a recording whose every part is
/// known, the exact gnuplot text of those parts, and a real picture of a simulated day.
@Suite struct PlotDayTests {
    /// 2.5 h at 10 Hz, both sides at 5 %MVC, dips to 0.1 %MVC for 1 s at 100 s and 0.5 s at
    /// 4000 s; sitting from 0 s, walking from 3000 s, sitting from 5000 s; labelled cable 4100-4200 s.
    static func session() throws -> (Session, RecordingPlotter) {
        let (session, _, plotter) = closedFormSession()
        var samples = [Float](repeating: 5, count: 90_000)
        for i in 1000..<1010 { samples[i] = 0.1 }
        for i in 40_000..<40_005 { samples[i] = 0.1 }
        let events = [Event(timeSeconds: 0, label: "activity: sitting"), Event(timeSeconds: 3000, label: "activity: walking"), Event(timeSeconds: 5000, label: "activity: sitting")]
        var recording = Recording(name: "e", channels: [Channel(name: "ES_L", unit: "%MVC", sampleRateHz: 10, samples: samples),
                                                        Channel(name: "ES_R", unit: "%MVC", sampleRateHz: 10, samples: [Float](repeating: 5, count: 90_000))],
                                  events: events, provenance: Provenance(sourceFile: "memory"))
        recording.labels = [RecordingLabel(from: 4100, to: 4200, name: "cable", author: "TM", note: "")]
        session.workspace.store(recording)
        return (session, plotter)
    }

    @Test func rowsBandsGapsAndFlagsAreTheRecordings() throws {
        let (session, plotter) = try Self.session()
        try session.execute("plot-day e to day.png")
        let day = try #require(plotter.requests.last?.0.day)
        #expect(day.rows == [0, 3600, 7200])
        #expect(day.activities.map { "\($0.from)-\($0.to) \($0.name)" } == ["0.0-3000.0 sitting", "3000.0-5000.0 walking", "5000.0-9000.0 sitting"])
        // The gaps gaps finds (ES_L, the first envelope), to the sample.
        #expect(day.gaps.map { [$0.from, $0.to] } == [[100, 101], [4000, 4000.5]])
        #expect(day.flags.map { "\($0.from)-\($0.to) \($0.name)" } == ["4100.0-4200.0 cable"])
        #expect(day.lines.map(\.label) == ["e.ES_L", "e.ES_R"])
        let times = stride(from: 0, to: day.lines[0].points.count, by: 2).map { day.lines[0].points[$0] }
        let values = Set(stride(from: 1, to: day.lines[0].points.count, by: 2).map { day.lines[0].points[$0] })
        // A constant column is one point, at its first sample: the last row (1800 s) has 1.5 s columns.
        #expect(times.first == 0 && times.last == 8998.5 && values == [5, 0.1], "the 1 s dip survives the reduction to 1200 columns an hour: \(times.prefix(4)) \(times.suffix(4)) \(values)")

        // One hour: rows start on whole hours from the recording's start.
        try session.execute("plot-day e.ES_L from=4000s to=5000s to one.svg")
        #expect(plotter.requests.last?.0.day?.rows == [3600])
    }

    @Test func theGnuplotTextDrawsEachRowInMinutes() throws {
        let (session, plotter) = try Self.session()
        try session.execute("plot-day e to day.png")
        let request = try #require(plotter.requests.last?.0)
        let script = GnuplotScript(request: request, target: .file(path: "day.png"), dataFileName: "day.dat", outputFileName: "day.png")
        #expect(script.terminalLines[0] == "set terminal pngcairo size 1400,420 noenhanced font 'sans,10'", "90 px and 110 px an hour")
        let text = script.text
        #expect(text.contains("set multiplot layout 3,1"))
        // Row 0: sitting 0-50 min, walking 50-60 min; the 1 s gap at 100 s, 1.667-1.683 min.
        #expect(text.contains("set object 1 rect from 0, graph 0 to 50, graph 1 fc rgb '#ccebc5'"))
        #expect(text.contains("set object 2 rect from 50, graph 0 to 60, graph 1 fc rgb '#decbe4'"))
        #expect(text.contains("rect from 1.666666667, graph 0 to 1.683333333, graph 0.07"))
        // Row 1: walking until 5000 s = 23.33 min into the hour, the flag at 4100 s = 8.33 min.
        #expect(text.contains("set object 1 rect from 0, graph 0 to 23.33333333, graph 1 fc rgb '#decbe4'"))
        #expect(text.contains("set label 1 'cable' at 8.333333333, graph 0.86"))
        #expect(text.contains("using (($1-3600)/60):2"))
        // Every point of both lines is in the data, 8 bytes each.
        #expect(script.data.count == request.day!.lines.reduce(0) { $0 + $1.points.count } * 4)
    }

    @Test func badRequestsAreOneSentence() throws {
        let (session, _) = try Self.session()
        #expect(errorText(session, "plot-day e").contains("'to PATH'"))
        session.workspace.store(Recording(name: "w", channels: [Channel(name: "ES_L", unit: "%MVC", sampleRateHz: 1, samples: [Float](repeating: 5, count: 200_000))],
                                          provenance: Provenance(sourceFile: "memory")))
        #expect(errorText(session, "plot-day w to w.png").contains("at most 48 hours in one picture"))
        try session.execute("stats e as s")
        #expect(errorText(session, "plot-day e flags=s to f.png").contains("a table whose first columns are from and to (s)"))
    }

    /// A real picture of a simulated 20 minutes: gnuplot writes a PNG 1400 x 200 pixels.
    @Test(.enabled(if: TestEnvironment.hasExecutable && TestEnvironment.hasGnuplot))
    func aSimulatedDayIsDrawn() throws {
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "simulate day seed=4 duration=20min to d.edf; load d.edf; activities d; envelope d.ES_* as env; plot-day env below=0.012mV to day.png"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: folder + "/day.png"))
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        func word(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        #expect(png.count > 10_000 && word(16) == 1400 && word(20) == 200)
        #expect(out.stdout.contains("EMG gaps of env.ES_L: under 0.012mV for at least 0.2 s"), "\(out.stdout)")
    }
}
