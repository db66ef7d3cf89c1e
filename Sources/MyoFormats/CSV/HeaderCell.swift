import MyoCore

/// A column header split into name and unit: `ES_L (mV)`, `ES_L[mV]`, `emg_mV`, `time_s`.
struct HeaderCell: Equatable {
    var name: String
    var unit: String

    init(name: String, unit: String) {
        self.name = name
        self.unit = unit
    }

    /// Parses a header cell. A bracketed unit wins; otherwise a suffix after the last `_` counts
    /// as a unit only when it is a known unit symbol (so `ES_L` keeps its name and has no unit).
    init(parsing raw: String) {
        var text = raw.trimmingCharacters(in: [" ", "\t"])
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = String(text.dropFirst().dropLast()) }
        for (open, close) in [("(", ")"), ("[", "]")] {
            if text.hasSuffix(close), let openIndex = text.lastIndex(of: Character(open)) {
                let unit = text[text.index(after: openIndex)..<text.index(before: text.endIndex)]
                let name = text[..<openIndex].trimmingCharacters(in: [" ", "\t"])
                if !name.isEmpty {
                    self.init(name: name, unit: String(unit).trimmingCharacters(in: [" "]))
                    return
                }
            }
        }
        // Noraxon writes "RT RECTUS FEM.,uV" in one quoted cell.
        if let comma = text.lastIndex(of: ","), UnitDefinition.named(String(text[text.index(after: comma)...]).trimmingCharacters(in: [" "])) != nil {
            self.init(name: text[..<comma].trimmingCharacters(in: [" "]), unit: String(text[text.index(after: comma)...]).trimmingCharacters(in: [" "]))
            return
        }
        if let underscore = text.lastIndex(of: "_") {
            let suffix = String(text[text.index(after: underscore)...])
            if UnitDefinition.named(suffix) != nil {
                self.init(name: text, unit: suffix)
                return
            }
        }
        self.init(name: text, unit: "")
    }

    /// Words that name a time column (compared in lower case, after the unit is split off).
    static let timeNames: Set<String> = ["time", "t", "time_s", "time_ms", "times", "timestamp", "seconds", "sec", "elapsed time"]

    /// The factor from this column's values to seconds when it is a time column, else nil.
    var timeFactorToSeconds: Double? {
        guard HeaderCell.timeNames.contains(name.lowercased()) else { return nil }
        if let unit = UnitDefinition.named(unit) { return unit.dimension == .time ? unit.factorToCanonical : nil }
        return name.lowercased() == "time_ms" ? 1e-3 : 1
    }
}

extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> String { String(self).trimmingCharacters(in: set) }
}
