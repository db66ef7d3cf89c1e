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
}
