import Foundation
import MyoTestSupport
import Testing

/// Every file of ../shared/data, loaded as a new user would and graded by `quality`: files whose
/// units the file states get verdicts straight away; files without them get verdicts once the
/// units are stated (units) or the ADC counts converted (scale); files that are not recordings are
/// refused with one sentence naming the format. A file added to ../shared/data without an entry
/// here fails the test, so the list stays complete.
@Suite struct SharedDataQualityTests {
    /// How each file is loaded and fixed: extra load arguments, then commands before quality, or
    /// the start of the refusal expected. BITalino's EMG transfer function for BioSPPy's 12-bit
    /// counts (PROVENANCE.md): mV = (ADC / 4096 - 0.5) x 3.3 / 1009 x 1000.
    static let plan: [String: (load: String, fix: String, refusal: String?)] = [
        "biosppy-emg-txt/emg.txt": ("", "scale r.EMG gain=0.000798504 offset=2048 unit=mV", nil),
        "biosppy-emg-txt/emg_1.txt": ("", "scale r.EMG gain=0.000798504 offset=2048 unit=mV", nil),
        "c3dorg-emg-samples/sample00_cometa_emg_acc.c3d": ("", "", nil),
        "c3dorg-emg-samples/sample00_ist_gait_with_emg.c3d": ("", "", nil),
        "c3dorg-emg-samples/sample06_newwalk.c3d": ("", "", nil),
        "c3dorg-emg-samples/sample23_vicon_analysis.c3d": ("", "", nil),
        "c3dorg-emg-samples/sample30_biogesta_emgwl.c3d": ("", "", nil),
        "c3dorg-emg-samples/sample32_vicon_zerowire_CORRUPT_EMG.c3d": ("", "", nil),
        "c3dorg-emg-samples/sample35_mega_isokinetic_emg_angle_torque.c3d": ("", "", nil),
        "ezc3d-shoulder-c3d/markers_analogs.c3d": ("", "", nil),
        "physionet-emgdb/emg_healthy.dat": ("", "", nil),
        "physionet-emgdb/emg_healthy.hea": ("", "", nil),
        "physionet-emgdb/emg_healthy.txt": ("", "units r.column2 mV", nil),
        "physionet-emgdb/emg_myopathy.dat": ("", "", nil),
        "physionet-emgdb/emg_myopathy.hea": ("", "", nil),
        "physionet-emgdb/emg_myopathy.txt": ("fs=4000Hz", "units r.column2 mV", nil),
        "physionet-emgdb/emg_neuropathy.dat": ("", "", nil),
        "physionet-emgdb/emg_neuropathy.hea": ("", "", nil),
        "physionet-emgdb/emg_neuropathy.txt": ("fs=4000Hz", "units r.column2 mV", nil),
        "plux-opensignals-fatigue/emg_1000_hz_16_bits_solo.txt": ("", "", nil),
        "plux-opensignals-fatigue/emg_bursts.h5": ("", "", "expected a known format"),
        "plux-opensignals-fatigue/emg_bursts_derived.csv": ("", "", nil),
        "plux-opensignals-fatigue/emg_bursts_info.json": ("", "", "expected a MyoShell JSON export"),
        "plux-opensignals-fatigue/emg_fatigue.h5": ("", "", "expected a known format"),
        "plux-opensignals-fatigue/emg_fatigue_derived.csv": ("", "", nil),
        "plux-opensignals-fatigue/emg_fatigue_info.json": ("", "", "expected a MyoShell JSON export"),
        "santuz-gait-emg/ID0012_TW_01_cycles_derived.csv": ("", "", "is a table, not a recording"),
        "santuz-gait-emg/ID0012_TW_01_raw_emg_derived.csv": ("unit=uV", "", nil),
        "santuz-gait-emg/RAW_DATA.RData": ("", "", "expected a known format"),
        "uci-lower-limb-emg/1Amar.txt": ("fs=1000Hz", "", nil),
        "uci-lower-limb-emg/1Apie.txt": ("fs=1000Hz", "", nil),
        "uci-lower-limb-emg/1Asen.txt": ("fs=1000Hz", "", nil),
        "uci-lower-limb-emg/1Nmar.txt": ("", "", nil),
        "uci-lower-limb-emg/1Npie.txt": ("", "", nil),
        "uci-lower-limb-emg/1Nsen.txt": ("", "", nil),
        "uci-lower-limb-emg/BDSEMG_eng.txt": ("", "", "expected rows of numbers"),
    ]

    static var files: [String] {
        guard let walker = FileManager.default.enumerator(atPath: TestEnvironment.sharedData) else { return [] }
        return walker.compactMap { $0 as? String }.filter { !$0.hasSuffix("PROVENANCE.md") && !$0.hasPrefix(".") }
            .filter { var folder: ObjCBool = false; return FileManager.default.fileExists(atPath: TestEnvironment.sharedData + "/" + $0, isDirectory: &folder) && !folder.boolValue }
            .sorted()
    }

    @Test(.enabled(if: TestEnvironment.hasSharedData)) func everyFileIsPlanned() {
        let missing = Self.files.filter { Self.plan[$0] == nil }
        #expect(missing.isEmpty, "files of ../shared/data without a plan: \(missing)")
    }

    @Test(.enabled(if: TestEnvironment.hasSharedData), arguments: plan.keys.sorted())
    func qualityGivesVerdicts(_ file: String) throws {
        let entry = Self.plan[file]!
        let path = TestEnvironment.sharedData + "/" + file
        try #require(FileManager.default.fileExists(atPath: path), "\(file) is planned but missing from ../shared/data")
        let script = "set output json; load \(path) as r \(entry.load)" + (entry.fix.isEmpty ? "" : "; " + entry.fix) + "; quality r"
        let out = try runMyoShell(["-c", script])
        if let refusal = entry.refusal {
            #expect(out.status == 1 && out.stderr.contains(refusal), "\(file): \(out.stderr)")
            #expect(out.stderr.split(separator: "\n").filter { $0.hasPrefix("-c:1: ") }.count == 1, "\(file): one sentence, got \(out.stderr)")
            return
        }
        #expect(out.status == 0, "\(file): \(out.stderr)")
        let table = try #require(printedTables(out).first { ($0["title"] as! String).hasPrefix("quality of r") }, "\(file)")
        let rows = table["rows"] as! [[Any]]
        #expect(!rows.isEmpty && rows.allSatisfy { ["ok", "warn", "bad"].contains($0[12] as? String ?? "") }, "\(file): \(rows.map { $0[12] })")
    }
}
