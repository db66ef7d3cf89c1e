import Foundation
import MyoCore
import MyoPlot
import MyoProgress
import MyoShell
import MyoTestSupport
import Testing

/// plot-progress: one panel a measure, the band of no detectable change around the baseline, the
/// sessions on a date axis; and the picture gnuplot draws from it.
@Suite struct PlotProgressTests {
    @Test func panelsBandsAndDates() throws {
        let (path, _) = try FlagTests.database()
        let (session, _, plotter) = closedFormSession()
        try session.execute("db open \(path); plot-progress W1 measures=endurance,pain to w1.png")
        let (request, target) = try #require(plotter.requests.last)
        #expect(target == .file(path: "w1.png"))
        let trend = try #require(request.trend)
        #expect(trend.panels.map(\.yLabel) == ["endurance (s)", "pain"])
        // endurance 90 -> 70 -> 40 s, baseline 90 s +- the MDC95 of 38 s; pain 3 -> 6 -> 7 +- 2 points.
        let endurance = trend.panels[0]
        #expect(endurance.lines[0].points.map(\.y) == [90, 70, 40] && endurance.lines[0].points.map(\.x) == [0, 7, 14])
        #expect(endurance.band.map { ($0.low, $0.high) } ?? (0, 0) == (52, 128))
        #expect(endurance.lines[0].label == "endurance, higher is better")
        #expect(trend.panels[1].band.map { ($0.low, $0.high) } ?? (0, 0) == (1, 5))
        #expect(trend.xTicks.map(\.label) == [0, 1, 2].map { FlagTests.day($0).description })
        let script = GnuplotScript(request: request, target: target, dataFileName: "w1.dat", outputFileName: "w1.png").text
        #expect(script.contains("set multiplot layout 2,1 title 'progress of W1'"))
        #expect(script.contains("set object 1 rect from graph 0, first 52 to graph 1, first 128"))
        #expect(script.contains("$trend_0_0 << EOD\n0 90\n7 70\n14 40\nEOD"))
        #expect(script.hasSuffix("unset multiplot\n"))
        #expect(errorText(session, "plot-progress W1 measures=endurance,strength") == "no measure of W1 named 'strength'")
    }

    @Test(.enabled(if: TestEnvironment.hasExecutable && TestEnvironment.hasGnuplot, "myoshell or gnuplot is missing"))
    func gnuplotDrawsThePicture() throws {
        let (path, _) = try FlagTests.database()
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "plot-progress R1 to r1.png"], in: folder, environment: ["MYOSHELL_DB": path])
        #expect(out.status == 0, "\(out.stderr)")
        let png = try #require(FileManager.default.contents(atPath: folder + "/r1.png"))
        #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // R1 has endurance, odi and pain (all judged): three panels.
        #expect(try String(contentsOfFile: folder + "/r1.gp", encoding: .utf8).contains("set multiplot layout 3,1"))
    }

    /// The coach's view: one line per athlete of the group, the +-15 % band for a symmetry index.
    @Test func teamProgressDrawsOneLineAnAthlete() throws {
        let path = TestEnvironment.temporaryFolder() + "/squad.sqlite"
        let store = try SQLiteProgressStore(path: path)
        let courses: [(String, String, [Double])] = [("A1", "squad", [20, 14, 9]), ("A2", "squad", [-5, -8, -18]), ("A3", "squad", [3, 2]), ("B1", "other", [30])]
        for (id, group, values) in courses {
            try store.addSubject(SubjectRecord(id: id, group: group))
            for (week, value) in values.enumerated() {
                _ = try store.keep(KeptResult(tableName: "a", command: "asymmetry", origin: "test", sourcePath: nil, sourceSHA256: nil, provenance: ["\(id) \(week)"],
                                              measures: [KeptMeasure(name: "GM.SI", column: "SI", row: "GM", unit: "%", better: .towardsZero, value: value, rows: 1)]),
                                   subject: id, date: FlagTests.day(week), baseline: false)
            }
        }
        let (session, output, plotter) = closedFormSession()
        try session.execute("db open \(path); team-progress group=squad measure=GM.SI to squad.png")
        let trend = try #require(plotter.requests.last?.0.trend)
        #expect(trend.panels.count == 1 && trend.panels[0].lines.map(\.label) == ["A1", "A2", "A3"])
        #expect(trend.panels[0].lines[1].points.map(\.y) == [-5, -8, -18])
        #expect(trend.panels[0].band.map { ($0.low, $0.high) } ?? (0, 0) == (-15, 15))
        // A1 came back inside the band, A2 left it, A3 stayed inside.
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("A1 ") && $0.hasSuffix(" yes") } && lines.contains { $0.hasPrefix("A2 ") && $0.hasSuffix(" no") } && lines.contains { $0.hasPrefix("A3 ") && $0.hasSuffix(" yes") }, "\(output.text)")
        #expect(errorText(session, "team-progress group=squat measure=GM.SI") == "no group named 'squat'; did you mean 'squad'?")
        #expect(errorText(session, "team-progress group=squad measure=GM.Si") == "no measure kept for group squad named 'GM.Si'; did you mean 'GM.SI'?")
    }
}
