import Foundation
import MyoCore
import MyoSignal
import MyoTestSupport
import Testing

/// The block engine: results that do not depend on the block size, the storage (memory or a
/// scratch file), the lane a channel runs in or the cascade's build (AVX2 or portable), and that
/// equal scipy's whole-signal computation on a signal longer than the blocks.
///
/// Reference: Reference/block_engine_reference.py (scipy 1.17.1) wrote block_engine_reference.json:
/// peers.py's envelope (band-pass 20-450 Hz order 4 sosfiltfilt, 50 Hz notch Q 30 filtfilt, |.|,
/// 6 Hz low-pass order 4 sosfiltfilt) of a closed-form 100,003-sample signal at 2 kHz. Tolerance:
/// 1e-9 of the signal's largest magnitude (double precision throughout).
@Suite struct BlockEngineTests {
    struct Reference: Decodable {
        var fs: Double; var n: Int; var probes: [Int]
        var bandpass: [Double]; var bandpass_sum: Double; var bandpass_max: Double
        var envelope: [Double]; var envelope_sum: Double; var envelope_max: Double
    }

    static let reference: Reference = {
        let path = TestEnvironment.repositoryRoot + "/Tests/MyoSignalTests/Reference/block_engine_reference.json"
        return try! JSONDecoder().decode(Reference.self, from: FileManager.default.contents(atPath: path)!)
    }()

    /// The script's signal, in Double.
    static func signal(_ count: Int, fs: Double = 2000) -> [Double] {
        (0..<count).map { i in
            let n = Double(i)
            return sin(2 * Double.pi * 37 * n / fs) + 0.5 * sin(2 * Double.pi * 311 * n / fs) + 0.3 * sin(2 * Double.pi * 50 * n / fs) + 0.2 * Double((7 * i) % 17) / 17
        }
    }

    static func envelopeChain(_ fs: Double) throws -> SignalChain {
        SignalChain([.zeroPhase(try Butterworth.design(order: 4, band: .bandPass(20, 450), sampleRateHz: fs)),
                     .zeroPhase(try Butterworth.notch(frequencyHz: 50, quality: 30, sampleRateHz: fs)),
                     .rectify,
                     .zeroPhase(try Butterworth.design(order: 4, band: .lowPass(6), sampleRateHz: fs))])
    }

    static func run(_ chain: SignalChain, _ inputs: [[Double]], _ engine: BlockEngine) throws -> [[Double]] {
        let sinks = inputs.map { DoubleCollector(capacity: $0.count) }
        try engine.run(chain, sources: inputs.map(DoubleSamples.init), sinks: sinks)
        return sinks.map(\.samples)
    }

    static let scratch: String = {
        let folder = NSTemporaryDirectory() + "myoshell-block-engine-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }()

    @Test(arguments: [(4096, false), (10007, true), (1 << 15, false), (1 << 15, true)])
    func envelopeEqualsScipyWholeSignal(blockSize: Int, outOfCore: Bool) throws {
        let ref = Self.reference
        let x = Self.signal(ref.n, fs: ref.fs)
        let engine = BlockEngine(blockSize: blockSize, memoryLimitBytes: outOfCore ? 0 : 1 << 30, scratchFolder: Self.scratch)
        let band = try Self.run(SignalChain([.zeroPhase(try Butterworth.design(order: 4, band: .bandPass(20, 450), sampleRateHz: ref.fs))]), [x], engine)[0]
        let envelope = try Self.run(try Self.envelopeChain(ref.fs), [x], engine)[0]
        for (k, index) in ref.probes.enumerated() {
            #expect(abs(band[index] - ref.bandpass[k]) <= 1e-9 * ref.bandpass_max, "band-pass [\(index)] \(band[index]) vs \(ref.bandpass[k])")
            #expect(abs(envelope[index] - ref.envelope[k]) <= 1e-9 * ref.envelope_max, "envelope [\(index)] \(envelope[index]) vs \(ref.envelope[k])")
        }
        #expect(abs(envelope.reduce(0, +) - ref.envelope_sum) <= 1e-9 * abs(ref.envelope_sum))
    }

    /// Every chain step, six channels of a length no block size divides (two lane groups, one
    /// partly filled), blocks from one sample up: equal, bit for bit, to one block in memory.
    @Test func resultsDoNotDependOnBlocksStorageLanesOrBuild() throws {
        let fs = 1000.0
        let base = Self.signal(3001, fs: fs)
        var inputs: [[Double]] = []
        for c in 0..<6 {
            let scale = Double(c + 1), period = c + 3
            inputs.append(base.indices.map { i in base[i] * scale + Double(i % period) * 0.01 })
        }
        let chains = [try Self.envelopeChain(fs),
                      SignalChain([.zeroPhase(try Butterworth.design(order: 2, band: .bandPass(20, 450), sampleRateHz: fs)), .teagerKaiser, .rectify,
                                   .zeroPhase(try Butterworth.design(order: 2, band: .lowPass(6), sampleRateHz: fs))]),
                      SignalChain([.movingRMS(samples: 101, centred: true)]),
                      SignalChain([.zeroPhase(try Butterworth.design(order: 2, band: .highPass(30), sampleRateHz: fs)), .movingRMS(samples: 250, centred: false)])]
        for chain in chains {
            let whole = try Self.run(chain, inputs, BlockEngine(blockSize: 1 << 20))
            for blockSize in [1, 7, 1000, 2999, 4096] {
                for outOfCore in [false, true] {
                    let engine = BlockEngine(blockSize: blockSize, memoryLimitBytes: outOfCore ? 0 : 1 << 30, scratchFolder: Self.scratch)
                    #expect(try Self.run(chain, inputs, engine) == whole, "block \(blockSize), out of core \(outOfCore)")
                }
            }
            #expect(try Self.run(chain, inputs, BlockEngine(avx2: false)) == whole, "portable build")
            for c in inputs.indices { #expect(try Self.run(chain, [inputs[c]], BlockEngine())[0] == whole[c], "channel \(c) alone") }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: Self.scratch).isEmpty, "scratch files left behind")
    }

    /// The whole-signal zero-phase path the commands used before the engine (one channel at a time,
    /// the same operations in the same order) is what the engine computes: equal to scipy in
    /// FilterTests; here the moving RMS against its definition, which has no recursion to share.
    @Test func movingRMSIsItsDefinition() throws {
        let x = Self.signal(5003)
        for (window, centred) in [(1, true), (10, true), (11, true), (250, false), (6000, true)] {
            let y = try Self.run(SignalChain([.movingRMS(samples: window, centred: centred)]), [x], BlockEngine(blockSize: 512))[0]
            let w = min(window, x.count)
            let before = centred ? (w - 1) / 2 : w - 1, after = centred ? w - 1 - before : 0
            for i in stride(from: 0, to: x.count, by: 97) {
                let low = max(0, i - before), high = min(x.count - 1, i + after)
                let expected = (x[low...high].reduce(0) { $0 + $1 * $1 } / Double(high - low + 1)).squareRoot()
                #expect(abs(y[i] - expected) <= 1e-12 * max(1, expected), "window \(window) centred \(centred) at \(i)")
            }
        }
    }

    @Test func aScratchFolderThatCannotHoldFilesIsOneSentence() throws {
        let engine = BlockEngine(memoryLimitBytes: 0, scratchFolder: "/nonexistent/scratch")
        #expect(throws: MyoError.file(path: "/nonexistent/scratch", reason: "cannot make a scratch file there (No such file or directory); set MYOSHELL_SCRATCH to a folder with space")) {
            try Self.run(SignalChain([.rectify]), [[1, -2, 3]], engine)
        }
    }
}
