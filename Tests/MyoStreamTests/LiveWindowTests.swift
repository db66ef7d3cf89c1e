import Foundation
import MyoCore
import MyoPlot
import MyoStream
import MyoTestSupport
import Testing

/// view=window: refused in one sentence without a display or a window-capable gnuplot; its redraw
/// script is drawn by the real gnuplot (on its text terminal here) with a bar a channel.
@Suite struct LiveWindowTests {
    static func model() -> LiveModel {
        LiveModel(elapsed: 2.5,
                  bars: [LiveModel.Bar(name: "ES_L", value: 32, unit: "%MVC", inTarget: true, secondsInTarget: 1.2),
                         LiveModel.Bar(name: "ES_R", value: 12, unit: "%MVC", inTarget: false, secondsInTarget: 0)],
                  balance: [], health: [], target: (20, 40), events: 0, delayMs: 38.5, cue: false)
    }

    @Test func windowsNeedADisplayAndAWindowTerminal() {
        guard case .failure(let noDisplay) = LiveWindow.windowTerminal(environment: [:]) else { Issue.record("no display accepted"); return }
        #expect("\(noDisplay)".contains("view=window needs a display"))
        let terminals = (try? runProgram("/usr/bin/env", ["gnuplot", "-e", "set terminal"]).stdout + runProgram("/usr/bin/env", ["gnuplot", "-e", "set terminal"]).stderr) ?? ""
        if !terminals.contains(" qt ") && !terminals.contains(" x11 ") && !terminals.contains(" wxt ") {
            guard case .failure(let noWindow) = LiveWindow.windowTerminal(environment: ["DISPLAY": ":0"]) else { Issue.record("gnuplot-nox accepted"); return }
            #expect("\(noWindow)".contains("install gnuplot-qt"))
        }
    }

    @Test(.enabled(if: TestEnvironment.hasGnuplot, "gnuplot is missing")) func theRedrawScriptDrawsABarAChannel() throws {
        let script = LiveWindow.script(Self.model())
        #expect(script.contains("set arrow 1 from graph 0, first 20 ") && script.contains("\"ES_L\" 32\n") && script.hasSuffix("e\n"))
        let out = try runProgram("/usr/bin/env", ["gnuplot"], input: "set terminal dumb 60 20\n" + script)
        #expect(out.status == 0 && out.stderr.isEmpty, "\(out.stderr)")
        #expect(out.stdout.contains("ES_L") && out.stdout.contains("ES_R") && out.stdout.contains("MyoShell live, t 2.5 s"), "\(out.stdout)")
    }
}

/// Without liblsl the stream commands say where it was looked for and how to get it; everything
/// else still works in the same session.
@Suite struct MissingLiblslTests {
    @Test(.enabled(if: TestEnvironment.hasExecutable)) func theStreamCommandsSayHowToGetLiblsl() throws {
        let out = try runMyoShell(["-c", "streams"], environment: ["MYOSHELL_LIBLSL": "/nonexistent/liblsl.so"])
        #expect(out.status == 1 && out.stderr.contains("/nonexistent/liblsl.so: does not exist (MYOSHELL_LIBLSL); install it with 'python3 -m pip install pylsl'"), "\(out.stderr)")
        let other = try runMyoShell(["-c", "load sample-data/reaction.csv as r; stats r.ES_L"], environment: ["MYOSHELL_LIBLSL": "/nonexistent/liblsl.so"])
        #expect(other.status == 0)
    }
}
