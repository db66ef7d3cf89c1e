import Foundation
import MyoCore
import MyoFiles
import MyoFormats
import MyoPluginAPI
import MyoProgress

/// A subject's sessions written for other systems: a FHIR R4 Bundle of Observations for a health
/// record, and a long table (one row per value) that pandas and R read directly.
enum ProgressExport {
    /// Where MyoShell's own codes live (measures without a LOINC code we are sure of).
    static let codeSystem = "urn:myoshell:measure"
    static let subjectSystem = "urn:myoshell:subject"

    /// LOINC codes used, only where the code is certain: the 0-10 numeric pain rating.
    static let loinc: [String: (code: String, display: String)] = [
        "pain": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
    ]

    /// A UCUM code for a MyoShell unit: most are already UCUM; g (gravity) is [g]; none is 1.
    static func ucum(_ unit: String) -> String {
        switch unit {
        case "": return "1"
        case "g": return "[g]"
        case "%MVC", "%peak", "% initial": return "%"
        default: return unit
        }
    }

    /// `ES_L.NMF slope` -> `ES_L.NMF-slope`: a FHIR id ([A-Za-z0-9-.]{1,64}).
    static func fhirID(_ parts: [String]) -> String {
        let text = parts.joined(separator: "-")
        let cleaned = String(text.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-") ? c : "-"
        })
        return String(cleaned.prefix(64))
    }

    /// A UUID made from a name (the first 16 bytes of its SHA-256, version and variant bits set as
    /// for a name-based UUID), so the same subject and session always give the same `urn:uuid:`.
    static func uuid(_ name: String) -> String {
        var hash = SHA256()
        hash.update(Array(("myoshell:" + name).utf8))
        var hex = Array(hash.finalize().prefix(32))
        hex[12] = "5"
        hex[16] = ["8", "9", "a", "b"][Int(String(hex[16]), radix: 16).map { $0 & 3 } ?? 0]
        let text = String(hex)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(text[text.index(text.startIndex, offsetBy: range.lowerBound)..<text.index(text.startIndex, offsetBy: range.upperBound)])
        }
        return "urn:uuid:" + parts.joined(separator: "-")
    }

    static func fhirBundle(subject: SubjectRecord, sessions: [SessionRecord], reliability: ReliabilityTable) -> JSONValue {
        var entries: [JSONValue] = [.object([
            ("fullUrl", .string(uuid("Patient/" + subject.id))),
            ("resource", .object([
                ("resourceType", .string("Patient")),
                ("id", .string(fhirID([subject.id]))),
                ("identifier", .array([.object([("system", .string(subjectSystem)), ("value", .string(subject.id))])])),
            ])),
        ])]
        func observation(name: String, title: String, value: Double, unit: String, date: SessionDate, category: String, note: String) -> JSONValue {
            var codings: [JSONValue] = []
            if let code = loinc[name] { codings.append(.object([("system", .string("http://loinc.org")), ("code", .string(code.code)), ("display", .string(code.display))])) }
            codings.append(.object([("system", .string(codeSystem)), ("code", .string(name)), ("display", .string(title))]))
            let id = fhirID([subject.id, date.description, name])
            return .object([
                ("fullUrl", .string(uuid("Observation/" + id))),
                ("resource", .object([
                    ("resourceType", .string("Observation")),
                    ("id", .string(id)),
                    ("status", .string("final")),
                    ("category", .array([.object([("coding", .array([.object([("system", .string("http://terminology.hl7.org/CodeSystem/observation-category")),
                                                                              ("code", .string(category))])]))])])),
                    ("code", .object([("coding", .array(codings)), ("text", .string(title))])),
                    ("subject", .object([("reference", .string(uuid("Patient/" + subject.id)))])),
                    ("effectiveDateTime", .string(date.description)),
                    ("valueQuantity", .object([("value", .number(value)), ("unit", .string(unit.isEmpty ? "score" : unit)),
                                               ("system", .string("http://unitsofmeasure.org")), ("code", .string(ucum(unit)))])),
                    ("note", .array([.object([("text", .string(note))])])),
                ])),
            ])
        }
        for session in sessions {
            let sources = session.sources.sorted { $0.key < $1.key }.map { "\($0.key) (SHA-256 \($0.value))" }.joined(separator: ", ")
            for m in session.measures {
                entries.append(observation(name: m.name, title: "\(m.name) (MyoShell measure \(m.column))", value: m.value, unit: m.unit, date: session.date,
                                           category: "exam", note: "surface EMG / IMU measure kept by MyoShell; better: \(m.better.rawValue); mean of \(m.rows) row\(m.rows == 1 ? "" : "s"); source: \(sources.isEmpty ? "none recorded" : sources)"))
            }
            for o in session.outcomes {
                let title = reliability.outcomes[o.name]?.title ?? o.name
                entries.append(observation(name: o.name, title: title, value: o.value, unit: o.unit, date: session.date, category: "survey",
                                           note: "patient-reported outcome recorded in MyoShell"))
            }
        }
        return .object([("resourceType", .string("Bundle")), ("type", .string("collection")), ("entry", .array(entries))])
    }

    /// One row per value: subject,date,baseline,kind,name,column,row,value,unit,better.
    static func csv(subject: String, sessions: [SessionRecord]) -> String {
        var lines = ["subject,date,baseline,kind,name,column,row,value,unit,better"]
        for s in sessions {
            for m in s.measures {
                lines.append([subject, s.date.description, s.baseline ? "1" : "0", "measure", m.name, m.column, m.row, "\(m.value)", m.unit, m.better.rawValue].map(CSVWriter.quote).joined(separator: ","))
            }
            for o in s.outcomes {
                lines.append([subject, s.date.description, s.baseline ? "1" : "0", "outcome", o.name, o.name, "", "\(o.value)", o.unit, ""].map(CSVWriter.quote).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(subject: SubjectRecord, sessions: [SessionRecord]) -> JSONValue {
        .object([
            ("subject", .string(subject.id)), ("group", .string(subject.group)),
            ("sessions", .array(sessions.map { s in
                .object([("date", .string(s.date.description)), ("baseline", .bool(s.baseline)),
                         ("measures", .array(s.measures.map { .object([("name", .string($0.name)), ("column", .string($0.column)), ("row", .string($0.row)),
                                                                      ("value", .number($0.value)), ("unit", .string($0.unit)), ("better", .string($0.better.rawValue))]) })),
                         ("outcomes", .array(s.outcomes.map { .object([("name", .string($0.name)), ("value", .number($0.value)), ("unit", .string($0.unit))]) })),
                         ("sources", .object(s.sources.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
            })),
        ])
    }
}
