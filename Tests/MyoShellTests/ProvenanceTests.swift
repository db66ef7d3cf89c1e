import Foundation
import MyoFormats
import MyoShell
import MyoTestSupport
import Testing

/// `why` and the SHA-256 behind it.
@Suite struct ProvenanceTests {
    /// FIPS 180-4 / NIST example vectors, including a message that spans two blocks and a long one.
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    @Test(arguments: vectors)
    func sha256MatchesTheStandardVectors(_ message: String, _ digest: String) {
        var hash = SHA256()
        // Fed in uneven pieces, so the buffering between updates is exercised too.
        let bytes = Array(message.utf8)
        var start = 0, step = 1
        while start < bytes.count {
            let end = min(bytes.count, start + step)
            hash.update(Array(bytes[start..<end]))
            start = end
            step = step * 3 + 1
        }
        #expect(hash.finalize() == digest)
    }

    /// `why` on a derived envelope and on a corrected onsets table: the input as named, its size
    /// and SHA-256 (the same as coreutils' sha256sum), then every step with origin and parameters.
    @Test func whyExplainsDerivedRecordingsAndTables() throws {
        let out = try runMyoShell(["-c", "load sample-data/reaction.csv as r; envelope r.ES_L; onsets r.ES_L preset=solnik baseline=0s..3s as on; onsets adjust on 2 +5ms; why r_env; why on"])
        #expect(out.status == 0, "\(out.stderr)")
        let hash = try SHA256.ofFile(TestEnvironment.repositoryRoot + "/sample-data/reaction.csv")
        #expect(out.stdout.contains("""
        r_env: recording, 1 channel x 25.0 s @ 2000 Hz (ES_L, mV)
        made with MyoShell 0.1.0
        input: sample-data/reaction.csv (1856857 bytes, SHA-256 \(hash))
        steps:
          1. load (myoshell 0.1.0): path=sample-data/reaction.csv, markers=no, store=auto
          2. envelope (myoshell.envelope 1.0.0): signals=r.ES_L, method=linear, band=20Hz..450Hz, order=2, notch=off, q=30, harmonics=1, cutoff=6Hz, lowpass-order=2, winter=off, window=100ms, align=centred
        """), "\(out.stdout)")
        #expect(out.stdout.contains("  3. onsets (myoshell.envelope 1.0.0): signals=r.ES_L, preset=solnik, baseline=0s..3s\n  4. onsets adjust (myoshell.envelope 1.0.0): name=on, index=2, shift=+5ms, edge=on"))
        if let sha256sum = ["/usr/bin/sha256sum", "/bin/sha256sum"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sha256sum)
            process.arguments = [TestEnvironment.repositoryRoot + "/sample-data/reaction.csv"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(text.hasPrefix(hash))
        }
        let missing = try runMyoShell(["-c", "why nothing"])
        #expect(missing.stderr.contains("nothing"), "\(missing.stderr)")
    }

    /// A file changed after it was loaded is hashed as it is now, and the line says so.
    @Test func whyNoticesAChangedInput() throws {
        let folder = TestEnvironment.temporaryFolder()
        let path = folder + "/a.csv"
        try "time (s),ES_L (mV)\n0,1\n0.001,2\n0.002,3\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (session, output, _) = makeTestSession(loadPlugins: false)
        try session.execute("load \(path) as a")
        try session.execute("why a")
        #expect(output.text.contains("input: \(path) (39 bytes, SHA-256 "), "\(output.text)")
        #expect(!output.text.contains("the file changed"))
        try "time (s),ES_L (mV)\n0,1\n0.001,2\n0.002,4\n0.003,5\n".write(toFile: path, atomically: true, encoding: .utf8)
        try session.execute("why a")
        #expect(output.text.contains("; the file changed after it was loaded, so this hash is of the current file"))
    }

    /// methods: the input with its hash, one sentence per step with every parameter, references.
    @Test func methodsParagraphNamesEveryStepAndReference() throws {
        let folder = TestEnvironment.temporaryFolder()
        let root = TestEnvironment.repositoryRoot
        let out = try runMyoShell(["-c", "load \(root)/sample-data/reaction.csv as r; envelope r.ES_L; methods r_env; methods r_env to m.md"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("Step `envelope` (amplitude envelope: band-pass, rectify, then linear low-pass, moving RMS or TKEO) was run by myoshell.envelope 1.0.0 with signals = r.ES_L, method = linear, band = 20Hz..450Hz, order = 2"))
        #expect(out.stdout.contains("\nReferences\n1. Butterworth S (1930)"))
        #expect(out.stdout.contains("wrote m.md (methods of r_env)"))
        let file = try String(contentsOfFile: folder + "/m.md", encoding: .utf8)
        #expect(file.hasPrefix("The recording was read from \(root)/sample-data/reaction.csv (1856857 bytes, SHA-256 "))
    }

    /// set audit FILE: one tab-separated line per command line (UTC time, version, origins, outcome,
    /// the line, the SHA-256 of files it names), appended; set audit off stops it.
    @Test func auditLogAppendsEveryCommand() throws {
        let folder = TestEnvironment.temporaryFolder()
        let data = TestEnvironment.repositoryRoot + "/sample-data/mvc.csv"
        let (session, _, _) = makeTestSession()
        try session.execute("set audit \(folder)/audit.log")
        try session.execute("load \(data) as m")
        #expect(throws: (any Error).self) { try session.execute("stats m.NOPE") }
        try session.execute("envelope m.GM_L")
        try session.execute("set audit off")
        try session.execute("ls")
        let lines = try String(contentsOfFile: folder + "/audit.log", encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { $0.count == 6 && $0[0].hasSuffix("Z") && $0[1] == "myoshell 0.1.0" })
        let hash = try SHA256.ofFile(data)
        #expect(lines[1][3] == "ok" && lines[1][4] == "load \(data) as m" && lines[1][5] == "\(data) sha256:\(hash)")
        #expect(lines[2][3] == "failed" && lines[2][2] == "myoshell.stats 1.0.0")
        #expect(lines[3][2] == "myoshell.envelope 1.0.0")
        #expect(lines[4][4] == "set audit off")
    }
}
