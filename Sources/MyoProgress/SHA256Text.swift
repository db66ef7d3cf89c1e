import MyoFiles

/// SHA-256 over a sequence of strings, each followed by a newline.
struct SHA256Text {
    private var hash = SHA256()
    mutating func add(_ text: String) { hash.update(Array((text + "\n").utf8)) }
    var value: String {
        var copy = hash
        return copy.finalize()
    }
}
