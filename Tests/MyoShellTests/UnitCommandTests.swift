import Foundation
import MyoCore
import MyoSignal
import MyoTestSupport
import Testing

/// Units for files that give none: `load unit=`, `units`, `scale`, the spellings real files use,
/// and the fix named in every "no EMG channels" refusal.
@Suite struct UnitCommandTests {
    /// 6 s at 1 kHz: two EMG-like columns and an accelerometer column, no units in the header.
    static func unitlessCSV() throws -> String {
        let folder = TestEnvironment.temporaryFolder()
        var random = RandomSource(seed: 9)
        var csv = "time,ES_L,ES_R,ACC_X\n"
        for i in 0..<6000 {
            let on = (i / 1000) % 2 == 1
            csv += "\(Double(i) / 1000),\((on ? 0.3 : 0.005) * random.nextGaussian()),\((on ? 0.25 : 0.005) * random.nextGaussian()),\(1 + 0.01 * random.nextGaussian())\n"
        }
        try csv.write(toFile: folder + "/n.csv", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func refusalNamesTheFix() throws {
        let folder = try Self.unitlessCSV()
        let out = try runMyoShell(["-c", "load n.csv; quality n"], in: folder)
        #expect(out.status == 1)
        #expect(out.stderr.contains("n has no EMG channels (channels in a voltage unit); these have no known unit: ES_L (no unit), ES_R (no unit), ACC_X (no unit). State the unit with 'units n.ES_L mV' (or load the file with unit=mV), or convert ADC counts with 'scale n.ES_L gain=... unit=mV'"), "\(out.stderr)")
    }

    /// unit= on load gives the unit to the unit-less non-IMU channels; quality then grades them.
    @Test func loadWithUnit() throws {
        let folder = try Self.unitlessCSV()
        let out = try runMyoShell(["-c", "set output json; load n.csv unit=mV; quality n"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("n: 2 channels without a unit read in mV"))
        let table = try #require(printedTables(out).first)
        #expect((table["rows"] as! [[Any]]).map { $0[0] as! String } == ["ES_L", "ES_R"])
        let bad = try runMyoShell(["-c", "load n.csv unit=mvolt"], in: folder)
        #expect(bad.status == 1 && bad.stderr.contains("unit=mvolt is not valid: expected a unit (s, ms"), "\(bad.stderr)")
    }

    /// units states a unit without changing a value; scale converts: (raw - offset) x gain.
    @Test func unitsAndScale() throws {
        let folder = try Self.unitlessCSV()
        let out = try runMyoShell(["-c", "set output json; load n.csv; units n.ES_* uv; scale n.ACC_X gain=9.80665 offset=1 unit=m/s²; stats n"], in: folder)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try #require(printedTables(out).first)["rows"] as! [[Any]]
        let units = rows.map { $0[1] as? String ?? "" }
        #expect(units == ["uV", "uV", "m/s^2"], "\(rows)")
        let plain = try runMyoShell(["-c", "set output json; load n.csv; units n.ES_* uV; stats n"], in: folder)
        let before = try #require(printedTables(plain).first)["rows"] as! [[Any]]
        // Columns: channel, unit, fs, from, to, n, mean, rms, sd. units kept ES_L's values; scale
        // moved ACC_X's mean from about 1 to about 0 and multiplied its SD by 9.80665.
        #expect((rows[0][6] as! Double) == (before[0][6] as! Double) && (rows[0][8] as! Double) == (before[0][8] as! Double))
        #expect(abs(before[2][6] as! Double - 1) < 0.01 && abs(rows[2][6] as! Double) < 0.1, "\(rows[2])")
        #expect(abs((rows[2][8] as! Double) / (before[2][8] as! Double) - 9.80665) < 1e-4)
        let warned = try runMyoShell(["-c", "load n.csv unit=mV; units n.ES_L uV"], in: folder)
        #expect(warned.stderr.contains("n.ES_L was in mV; its values are now read as uV, not converted (convert with scale)"), "\(warned.stderr)")
        let zero = try runMyoShell(["-c", "load n.csv; scale n.ES_L gain=0 unit=mV"], in: folder)
        #expect(zero.status == 1 && zero.stderr.contains("gain=0.0 is not valid: expected a finite number other than 0"), "\(zero.stderr)")
    }

    @Test(arguments: [("mv", "mV"), ("µV", "uV"), ("μV", "uV"), ("microvolts", "uV"), ("m/s²", "m/s^2"), ("deg/sec", "deg/s"), ("mV", "mV")])
    func spellingsOfRealFiles(_ spelling: String, _ symbol: String) {
        #expect(UnitDefinition.normalizedSymbol(spelling) == symbol)
    }

    @Test func unknownSpellingsStay() {
        #expect(UnitDefinition.normalizedSymbol("adu") == nil && UnitDefinition.normalizedSymbol("") == nil)
    }
}
