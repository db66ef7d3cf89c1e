/// The XML of XDF stream headers and footers, read into a small tree: element names, text and
/// children (attributes, comments, processing instructions and CDATA are skipped; the five
/// predefined entities and numeric character references are decoded). Enough for the
/// `<info>` documents LSL writes, and never a trap on anything else.
struct XMLNode: Sendable {
    var name: String
    var text = ""
    var children: [XMLNode] = []

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    func value(_ name: String) -> String? { child(name)?.text.trimmingWhitespace }

    /// Parses `text`; nil when it holds no element.
    static func parse(_ text: String) -> XMLNode? {
        var stack: [XMLNode] = [XMLNode(name: "")]
        let bytes = Array(text.utf8)
        var i = 0
        func decode(_ raw: ArraySlice<UInt8>) -> String {
            var out = "", k = raw.startIndex
            while k < raw.endIndex {
                if raw[k] == UInt8(ascii: "&"), let semicolon = raw[k...].prefix(12).firstIndex(of: UInt8(ascii: ";")) {
                    let entity = String(decoding: raw[(k + 1)..<semicolon], as: UTF8.self)
                    let table = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]
                    if let replacement = table[entity] { out += replacement; k = semicolon + 1; continue }
                    if entity.hasPrefix("#") {
                        let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : UInt32(entity.dropFirst())
                        if let number, let scalar = Unicode.Scalar(number) { out.unicodeScalars.append(scalar); k = semicolon + 1; continue }
                    }
                }
                let next = raw[k...].firstIndex(of: UInt8(ascii: "&")).map { $0 == k ? k + 1 : $0 } ?? raw.endIndex
                out += String(decoding: raw[k..<next], as: UTF8.self)
                k = next
            }
            return out
        }
        while i < bytes.count {
            if bytes[i] != UInt8(ascii: "<") {
                let end = bytes[i...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
                stack[stack.count - 1].text += decode(bytes[i..<end])
                i = end
                continue
            }
            guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else { break }
            let inner = bytes[(i + 1)..<close]
            i = close + 1
            guard let first = inner.first else { continue }
            if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") { continue }
            if first == UInt8(ascii: "/") {
                guard stack.count > 1 else { continue }
                let done = stack.removeLast()
                stack[stack.count - 1].children.append(done)
                continue
            }
            let selfClosing = inner.last == UInt8(ascii: "/")
            let nameEnd = inner.firstIndex { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 || $0 == UInt8(ascii: "/") } ?? inner.endIndex
            let node = XMLNode(name: String(decoding: inner[inner.startIndex..<nameEnd], as: UTF8.self))
            if selfClosing { stack[stack.count - 1].children.append(node) } else { stack.append(node) }
        }
        while stack.count > 1 { let done = stack.removeLast(); stack[stack.count - 1].children.append(done) }
        return stack[0].children.first
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
