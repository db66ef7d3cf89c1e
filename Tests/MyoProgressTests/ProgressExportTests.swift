import Foundation
import MyoProgress
import MyoTestSupport
import Testing

/// The subject export, read back by independent implementations: fhir.resources validates the FHIR
/// R4 Bundle, Python's csv module reads the long table; and the same database writes the same bytes.
@Suite struct ProgressExportTests {
    static func database() throws -> String {
        let (path, _) = try FlagTests.database()
        return path
    }

    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"),
          .enabled(if: TestEnvironment.hasPythonModule("fhir.resources"), "fhir.resources is not installed (scripts/test installs it)"))
    func theFHIRBundleValidates() throws {
        let database = try Self.database()
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "export-progress W1 to w1.fhir.json; export-progress W1 to again.fhir.json"], in: folder, environment: ["MYOSHELL_DB": database])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("wrote 6 values of W1 from 3 sessions to w1.fhir.json"))
        let script = TestEnvironment.repositoryRoot + "/Tests/MyoProgressTests/Reference/validate_fhir.py"
        let check = try runProgram("/usr/bin/env", ["python3", script, folder + "/w1.fhir.json"])
        #expect(check.status == 0 && check.stdout == "valid: 1 Patient, 6 Observation\n", "\(check.stdout)\(check.stderr)")
        let text = try String(contentsOfFile: folder + "/w1.fhir.json", encoding: .utf8)
        #expect(text == (try String(contentsOfFile: folder + "/again.fhir.json", encoding: .utf8)))
        // pain carries its LOINC code; every value its UCUM code; endurance 40 s on the third week.
        #expect(text.contains("\"system\":\"http://loinc.org\",\"code\":\"72514-3\""))
        #expect(text.contains("\"effectiveDateTime\":\"\(FlagTests.day(2))\",\"valueQuantity\":{\"value\":40,\"unit\":\"s\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"s\"}"))
        // A broken bundle is caught by the validator (the check can fail): valueQuantity.value as text.
        try text.replacingOccurrences(of: "{\"value\":40,", with: "{\"value\":\"forty\",").write(toFile: folder + "/bad.fhir.json", atomically: true, encoding: .utf8)
        #expect(try runProgram("/usr/bin/env", ["python3", script, folder + "/bad.fhir.json"]).status == 1)
    }

    @Test(.enabled(if: TestEnvironment.hasExecutable, "myoshell is not built"))
    func theLongTableReadsBackExactly() throws {
        let database = try Self.database()
        let folder = TestEnvironment.temporaryFolder()
        let out = try runMyoShell(["-c", "export-progress A1 to a1.csv; export-progress A1 to a1.json"], in: folder, environment: ["MYOSHELL_DB": database])
        #expect(out.status == 0, "\(out.stderr)")
        let read = try runProgram("/usr/bin/env", ["python3", "-c", """
            import csv, sys
            rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
            print(len(rows), sum(float(r["value"]) for r in rows if r["column"] == "SI"), sorted({r["kind"] for r in rows}))
            """, folder + "/a1.csv"])
        #expect(read.stdout == "5 56.0 ['measure']\n", "\(read.stdout)\(read.stderr)")
        let json = try String(contentsOfFile: folder + "/a1.json", encoding: .utf8)
        #expect(json.hasPrefix("{\"subject\":\"A1\",\"group\":\"test\",\"sessions\":[{\"date\":\"\(FlagTests.day(0))\",\"baseline\":false,\"measures\":[{\"name\":\"endurance\""))
        let unknown = try runMyoShell(["-c", "export-progress A2 to a2.csv"], in: folder, environment: ["MYOSHELL_DB": database])
        #expect(unknown.status == 1 && unknown.stderr.contains("no subject named 'A2'; did you mean 'A1'?"))
    }
}
