import Foundation
import MyoPlot
import MyoTestSupport
import Testing

/// The clinician's summary: flags first, then trajectories, then every session with its provenance,
/// then the methods; opened in a real browser (headless Chromium), which must show the flag section.
@Suite struct ReportProgressTests {
    static var chromium: String? { ExecutableSearch.find("chromium") ?? ExecutableSearch.find("chromium-browser") }

    func writeReport() throws -> (folder: String, html: String, markdown: String) {
        let (database, _) = try FlagTests.database()
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "report-progress W1 to w1.html; report-progress W1 to w1.md"], in: folder, environment: ["MYOSHELL_DB": database])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("wrote w1.html: 2 open flags, 2 trajectories, 3 sessions"), "\(out.stdout)")
        return (folder, try String(contentsOfFile: folder + "/w1.html", encoding: .utf8), try String(contentsOfFile: folder + "/w1.md", encoding: .utf8))
    }

    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func flagsComeFirstThenTrajectoriesThenSessionsAndMethods() throws {
        let (_, html, markdown) = try writeReport()
        let order = ["id=\"flags\"", "id=\"progress\"", "id=\"sessions\"", "<h2>Methods: progress</h2>"].map { html.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 }.sorted() == order.compactMap { $0 }, "sections out of order")
        #expect(html.contains("outcome-worse") && html.contains("endurance-falling") && html.contains("never names a diagnosis"))
        // Every session's values with their provenance: W1's endurance came from sorensen (test), table t.
        #expect(html.contains("<td>endurance</td><td>40</td><td>s</td><td>sorensen (test), table t</td>"))
        #expect(markdown.hasPrefix("# Progress of W1\n") && markdown.contains("## flags: 2 open flags"))
        if TestEnvironment.hasGnuplot {
            #expect(html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo"))
            #expect(markdown.contains("![w1-progress.png](w1-progress.png)"))
        }
    }

    /// Headless Chromium from Debian's packages (scripts/test installs it) renders the page: the
    /// DOM it builds holds the flag section with both flags, and its screenshot is a real picture.
    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"),
          .enabled(if: chromium != nil, "chromium is not installed (scripts/test installs it as root)"))
    func aBrowserShowsTheFlagSection() throws {
        let (folder, _, _) = try writeReport()
        let browser = try #require(Self.chromium)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + folder + "/profile"]
        let dom = try runProgram(browser, flags + ["--dump-dom", "file://" + folder + "/w1.html"], in: folder, timeLimit: 120)
        #expect(dom.status == 0, "\(dom.stderr)")
        #expect(dom.stdout.contains("id=\"flags\">flags: 2 open flags</h2>") && dom.stdout.contains("outcome-worse"), "\(dom.stdout.prefix(400))")
        let shot = try runProgram(browser, flags + ["--window-size=1200,900", "--screenshot=" + folder + "/shot.png", "file://" + folder + "/w1.html"], in: folder, timeLimit: 120)
        #expect(shot.status == 0, "\(shot.stderr)")
        let png = try #require(FileManager.default.contents(atPath: folder + "/shot.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "\(png.count) bytes")
    }
}
