import Foundation
import MyoFuzzTargets
import MyoTestSupport
import Testing

/// Replays every fuzz seed and every kept crash input (Tests/Fuzz) through its target, without
/// the fuzzer, in the real `myoshell-fuzz` executable (its own process and working folder: the
/// command target writes files). Each input must end normally; a crash fixed once stays fixed.
@Suite struct FuzzRegressionTests {
    static let fuzzFolder = TestEnvironment.repositoryRoot + "/Tests/Fuzz"
    static var fuzzExecutable: String { TestEnvironment.productsFolder + "/myoshell-fuzz" }

    /// The committed inputs of `target`: seeds, then crash inputs.
    static func inputs(_ target: String) throws -> [String] {
        try ["Seeds", "Crashes"].flatMap { kind -> [String] in
            let folder = "\(fuzzFolder)/\(kind)/\(kind == "Seeds" ? FuzzTarget.named(target)!.seeds : target)"
            // A target has seeds (c3d's are built below); a crash folder exists once a crash was kept.
            if kind == "Crashes", !FileManager.default.fileExists(atPath: folder) { return [] }
            if kind == "Seeds", target == "c3d" { return [] }
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
        }
    }

    /// Runs `files` through `target`; returns the failure, or nil when every input ended normally.
    static func replay(_ target: String, _ files: [String]) throws -> String? {
        let result = try runProgram(fuzzExecutable, [target] + files, in: TestEnvironment.temporaryFolder(),
                                    environment: ["MYOSHELL_SAMPLE_DATA": TestEnvironment.repositoryRoot + "/sample-data"])
        let finished = result.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count
        if result.status == 0 && finished == files.count { return nil }
        let next = finished < files.count ? files[finished] : "?"
        return "\(target): \(next) ended with status \(result.status) after \(finished) of \(files.count) inputs: \(result.stderr.suffix(2000))"
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func committedInputsEndNormally(target: String) throws {
        var files = try Self.inputs(target)
        if target == "c3d" { files += try Self.builtC3DFiles() }
        #expect(!files.isEmpty, "no seeds in Tests/Fuzz/Seeds/\(target)")
        #expect(try Self.replay(target, files) == nil)
    }

    /// C3D seeds are not committed (the real ones are large and stay in ../shared/data): the
    /// reader tests' builder writes one per processor and storage instead.
    static func builtC3DFiles() throws -> [String] {
        let folder = TestEnvironment.temporaryFolder()
        let analogs = [C3DBuilder.Analog(label: "ES_L", unit: "mV", scale: 0.01, offset: 0, raw: (0..<200).map { Int16($0 % 50 - 25) }),
                       C3DBuilder.Analog(label: "ES_R", unit: "V", scale: 0.001, offset: 3, raw: (0..<200).map { Int16($0 % 7) })]
        return try [C3DBuilder.Processor.intel, .dec, .mips].flatMap { processor in
            try [false, true].map { storage in
                let path = "\(folder)/\(processor)-\(storage ? "float" : "integer").c3d"
                try Data(C3DBuilder.make(processor: processor, float: storage, analogs: analogs)).write(to: URL(fileURLWithPath: path))
                return path
            }
        }
    }

    /// The real C3D files, through the c3d target (the same load, info, stats and quality).
    @Test(.enabled(if: TestEnvironment.hasSharedData)) func sharedC3DFilesEndNormally() throws {
        let folder = TestEnvironment.sharedData + "/c3dorg-emg-samples"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".c3d") }.sorted().map { folder + "/" + $0 }
        #expect(files.count >= 5)
        #expect(try Self.replay("c3d", files) == nil)
    }

    /// The crash folders hold only inputs of known targets (a misnamed folder would be skipped).
    @Test func crashFoldersNameTargets() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.fuzzFolder + "/Crashes")
        for folder in folders where !folder.hasPrefix(".") {
            #expect(FuzzTarget.named(folder) != nil, "Tests/Fuzz/Crashes/\(folder) is not a fuzz target")
        }
    }
}
