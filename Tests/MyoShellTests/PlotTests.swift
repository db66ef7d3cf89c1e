import Foundation
import MyoCore
import MyoPlot
import MyoTestSupport
import Testing

@Suite struct PlotTests {
    static let request = PlotRequest(
        title: "bridge.ES_L",
        series: [PlotSeries(label: "bridge.ES_L", unit: "mV", sampleRateHz: 10, startTimeSeconds: 0, samples: [0, 1, 2, 3, 4])],
        fromSeconds: nil, toSeconds: nil, markers: [Event(timeSeconds: 0.2, label: "go")], outputPath: "out/es_l.png")

    @Test func writesTheExactScript() {
        let script = GnuplotScript(request: Self.request, target: .file(path: "out/es_l.png"), dataFileName: "es_l.dat", outputFileName: "es_l.png")
        #expect(script.text == """
        set terminal pngcairo size 1200,600 noenhanced font 'sans,10'
        set output 'es_l.png'
        set title 'bridge.ES_L' noenhanced
        set key noenhanced
        set xlabel 'time (s)'
        set ylabel 'mV'
        set grid
        set xrange [0:0.5]
        set arrow from 0.2, graph 0 to 0.2, graph 1 nohead dashtype 2
        set label 'go' at 0.2, graph 1.02 noenhanced
        plot 'es_l.dat' binary record=(5) skip=0 format='%float32%float32' endian=little using 1:2 with lines title 'bridge.ES_L'

        """)
        #expect(script.data.count == 5 * 2 * 4)
    }

    /// A heat map (spectrogram) is a binary float32 array at the start of the data file; series
    /// drawn over it follow it, and its colour bar and frequency axis are labelled.
    @Test func heatMapIsABinaryImageUnderTheSeries() {
        var request = PlotRequest(title: "s", series: [PlotSeries(label: "MDF", unit: "Hz", sampleRateHz: 2, startTimeSeconds: 0.5, samples: [1, 2])],
                                  outputPath: "s.svg")
        request.heatMap = HeatMap(columns: 2, rows: 3, xStart: 0.5, xStep: 0.5, yStart: 0, yStep: 1, values: [0, 1, 2, 3, 4, 5], label: "PSD (dB re 1 mV^2/Hz)")
        request.yLabel = "frequency (Hz)"
        let script = GnuplotScript(request: request, target: .file(path: "s.svg"), dataFileName: "s.dat", outputFileName: "s.svg")
        #expect(script.text.contains("set ylabel 'frequency (Hz)'\n"))
        #expect(script.text.contains("set cblabel 'PSD (dB re 1 mV^2/Hz)'\nset yrange [-0.5:2.5]\n"))
        #expect(script.text.contains("plot 's.dat' binary array=(2,3) dx=0.5 dy=1 origin=(0.5,0) format='%float32' endian=little with image notitle, \\\n     's.dat' binary record=(2) skip=24 "))
        #expect(script.data.count == 6 * 4 + 2 * 2 * 4)
    }

    /// Series on the right-hand axis (%MVC over mV) get their own label and `axes x1y2`.
    @Test func rightAxisSeries() {
        let request = PlotRequest(title: "t", series: [PlotSeries(label: "raw", unit: "mV", sampleRateHz: 1, startTimeSeconds: 0, samples: [1, 2]),
                                                       PlotSeries(label: "env", unit: "%MVC", sampleRateHz: 1, startTimeSeconds: 0, samples: [3, 4], rightAxis: true)])
        let text = GnuplotScript(request: request, target: .file(path: "t.png"), dataFileName: "t.dat", outputFileName: "t.png").text
        #expect(text.contains("set ylabel 'mV'\nset y2label '%MVC'\nset ytics nomirror\nset y2tics\n"))
        #expect(text.contains("using 1:2 axes x1y2 with lines title 'env'"))
    }

    @Test func namesAreEscapedAndRunNothing() {
        let hostile = "a'b\\c `rm -rf /` system(\"touch x\")\n"
        #expect(GnuplotScript.quoted(hostile) == "'a''b\\c `rm -rf /` system(\"touch x\")'")
    }

    @Test func decimationKeepsPeaksAndBoundsPoints() {
        var samples = [Float](repeating: 0, count: 1_000_000)
        samples[123_457] = 9
        samples[654_321] = -7
        let points = MinMaxDecimator.decimate(samples, range: 0..<samples.count, sampleRateHz: 2000, startTimeSeconds: 0, columns: 500)
        #expect(points.count <= 4 * 500)
        let values = stride(from: 1, to: points.count, by: 2).map { points[$0] }
        #expect(values.max() == 9)
        #expect(values.min() == -7)
    }

    @Test(.enabled(if: TestEnvironment.hasGnuplot, "gnuplot is not installed"))
    func rendersARealPNGWithScriptAndData() throws {
        let folder = TestEnvironment.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/fig", withIntermediateDirectories: true)
        let plotter = try #require(GnuplotPlotter())
        var request = Self.request
        request.outputPath = folder + "/fig/es_l.png"
        _ = try plotter.render(request, target: .file(path: folder + "/fig/es_l.png"))
        let png = try #require(FileManager.default.contents(atPath: folder + "/fig/es_l.png"))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let script = try String(contentsOfFile: folder + "/fig/es_l.gp", encoding: .utf8)
        #expect(script.contains("set output 'es_l.png'"))
        #expect(FileManager.default.fileExists(atPath: folder + "/fig/es_l.dat"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder + "/fig").filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test(.enabled(if: TestEnvironment.hasGnuplot, "gnuplot is not installed"))
    func drawsTextPlotsInTheTerminal() throws {
        let plotter = try #require(GnuplotPlotter())
        let text = try plotter.render(Self.request, target: .terminal(columns: 60, rows: 15))
        let lines = try #require(text).split(separator: "\n")
        #expect(lines.count >= 10)
        #expect(lines.allSatisfy { $0.count <= 60 })
        #expect(text!.contains("bridge.ES_L"))
    }
}

/// In JSON mode every stdout line parses as JSON, terminal plots included (one object each).
@Suite struct JSONOutputTests {
    @Test(.enabled(if: TestEnvironment.hasGnuplot)) func everyLineIsJSON() throws {
        let out = try runMyoShell(["--json", "-c", "load sample-data/mvc.csv; plot mvc.GM_L to=1s; stats mvc.GM_L; plot-quality mvc.GM_L view=psd"], environment: ["DISPLAY": ""])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count >= 4)
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line.prefix(80))") }
        #expect(lines.filter { $0.hasPrefix("{\"type\":\"plot\"") }.count == 2)
    }

}

/// Channels of two units get one y-axis each; three units are refused with the units named.
@Suite struct PlotAxesTests {
    @Test(.enabled(if: TestEnvironment.hasGnuplot)) func oneAxisPerUnit() throws {
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "load \(TestEnvironment.repositoryRoot)/sample-data/bridge-set.csv as b; plot b.GM_L b.ACC_X to two.svg"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let script = try String(contentsOfFile: folder + "/two.gp", encoding: .utf8)
        #expect(script.contains("set ylabel 'mV'") && script.contains("set y2label 'g'") && script.contains("axes x1y2 with lines title 'b.ACC_X'"), "\(script)")
        let three = try runMyoShell(["-c", "load \(TestEnvironment.repositoryRoot)/sample-data/bridge-set.csv as b; plot b.GM_L b.ACC_X b.GYR_Y"], in: folder)
        #expect(three.status == 1 && three.stderr.contains("expected channels of at most two units, one per y-axis (these are in mV, g, deg/s): plot them separately"), "\(three.stderr)")
    }

    /// plot-envelope draws every envelope after (above) every raw trace, and onset labels are
    /// given once per kind, merged when they would overlap.
    @Test(.enabled(if: TestEnvironment.hasGnuplot)) func envelopesAboveRawAndLabelsApart() throws {
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "load \(TestEnvironment.repositoryRoot)/sample-data/reaction.csv as r; envelope r; onsets r preset=solnik baseline=0s..3s as on; plot-envelope r.ES_L r.ES_R env=r_env onsets=on to pe.svg"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let script = try String(contentsOfFile: folder + "/pe.gp", encoding: .utf8)
        let titles = script.components(separatedBy: "with lines title '").dropFirst().map { $0.prefix { $0 != "'" } }
        #expect(titles == ["|r.ES_L|", "|r.ES_R|", "r_env.ES_L", "r_env.ES_R"], "\(titles)")
        #expect(script.contains("'ES_L on / ES_R on'") && script.components(separatedBy: "'ES_L on").count == 2, "\(script.prefix(800))")
    }
}
