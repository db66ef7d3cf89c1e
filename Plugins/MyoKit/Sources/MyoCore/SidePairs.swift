/// A body side named in a channel name.
public enum BodySide: String, Sendable {
    case left = "L", right = "R"
}

/// Left/right channel pairs found from naming conventions, case-insensitively: a side token
/// between separators (`_`, `-`, `.`, space) as in `ES_L`, `L_ES`, `es-left`, `GM sx`, `ES_dx`;
/// or `Left`/`Right` glued to the start or end of the name (`LeftES`, `ESRight`). Side tokens:
/// l, left, sx (sinistra) and r, right, dx (destra).
public struct SidePairs: Sendable, Equatable {
    public struct Pair: Sendable, Equatable {
        /// The name without its side token (`ES` for `ES_L`/`ES_R`), as written in the left name.
        public var muscle: String
        public var left: String
        public var right: String
        public init(muscle: String, left: String, right: String) {
            self.muscle = muscle
            self.left = left
            self.right = right
        }
    }

    public var pairs: [Pair]
    /// Channels with no partner, in the given order.
    public var unpaired: [String]

    static let leftTokens: Set<String> = ["l", "left", "sx"]
    static let rightTokens: Set<String> = ["r", "right", "dx"]

    /// The side and the rest of the name (`ES` for `ES_L`), or nil when no convention matches.
    public static func side(of name: String) -> (BodySide, String)? {
        var tokens: [String] = []
        var separators: [Character] = []
        var current = ""
        for character in name {
            if "_-. ".contains(character) {
                tokens.append(current)
                separators.append(character)
                current = ""
            } else {
                current.append(character)
            }
        }
        tokens.append(current)
        let sides = tokens.enumerated().compactMap { index, token -> (Int, BodySide)? in
            let lower = token.lowercased()
            if leftTokens.contains(lower) { return (index, .left) }
            if rightTokens.contains(lower) { return (index, .right) }
            return nil
        }
        if sides.count == 1, tokens.count > 1 {
            let (index, side) = sides[0]
            var rest = tokens
            rest.remove(at: index)
            var seps = separators
            seps.remove(at: index == 0 ? 0 : index - 1)
            var joined = rest[0]
            for (token, separator) in zip(rest.dropFirst(), seps) { joined += String(separator) + token }
            return joined.isEmpty ? nil : (side, joined)
        }
        let lower = name.lowercased()
        for (word, side) in [("left", BodySide.left), ("right", .right)] {
            if lower.hasPrefix(word), name.count > word.count { return (side, String(name.dropFirst(word.count))) }
            if lower.hasSuffix(word), name.count > word.count { return (side, String(name.dropLast(word.count))) }
        }
        return nil
    }

    /// Pairs of `names` by convention: a left and a right channel whose rests agree
    /// (case-insensitively). A rest with several lefts or rights pairs none of them.
    public init(names: [String]) {
        var lefts: [String: [String]] = [:], rights: [String: [String]] = [:]
        var rests: [String: String] = [:]
        for name in names {
            guard let (side, rest) = Self.side(of: name) else { continue }
            let key = rest.lowercased()
            if side == .left { lefts[key, default: []].append(name); rests[key] = rests[key] ?? rest } else { rights[key, default: []].append(name) }
        }
        var pairs: [Pair] = []
        var used = Set<String>()
        for name in names {
            guard let (side, rest) = Self.side(of: name), side == .left else { continue }
            let key = rest.lowercased()
            guard let l = lefts[key], let r = rights[key], l.count == 1, r.count == 1, !used.contains(name) else { continue }
            pairs.append(Pair(muscle: rest, left: l[0], right: r[0]))
            used.formUnion([l[0], r[0]])
        }
        self.pairs = pairs
        unpaired = names.filter { !used.contains($0) }
    }

    /// Pairs given as `ES_L:ES_R,GM_L:GM_R`, checked against `names`.
    public init(explicit text: String, names: [String]) throws {
        try self.init(explicit: text.split(separator: ",").map(String.init), names: names)
    }

    /// Pairs given as items `ES_L:ES_R`, checked against `names`.
    public init(explicit items: [String], names: [String]) throws {
        var pairs: [Pair] = []
        for item in items {
            let sides = item.split(separator: ":").map { String($0).trimmingSpaces() }
            guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else {
                throw MyoError.invalidValue(argument: "pairs", value: String(item), expected: "LEFT:RIGHT channel names, comma-separated (ES_L:ES_R,GM_L:GM_R)")
            }
            for side in sides where !names.contains(side) {
                throw MyoError.invalidValue(argument: "pairs", value: side, expected: "a channel of the recording (\(names.joined(separator: ", ")))")
            }
            let muscle = Self.side(of: sides[0])?.1 ?? sides[0] + "/" + sides[1]
            pairs.append(Pair(muscle: muscle, left: sides[0], right: sides[1]))
        }
        self.pairs = pairs
        let used = Set(pairs.flatMap { [$0.left, $0.right] })
        unpaired = names.filter { !used.contains($0) }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
