/// A unified diff of two texts by lines (longest common subsequence), with 3 lines of context,
/// for `myoshell --check`.
public enum UnifiedDiff {
    /// Empty when the texts are equal.
    public static func diff(expected: String, actual: String, expectedName: String, actualName: String) -> String {
        let a = lines(expected), b = lines(actual)
        guard a != b else { return "" }
        guard a.count * b.count <= 25_000_000 else {
            let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            return "--- \(expectedName)\n+++ \(actualName)\nthe transcripts differ from line \(first + 1) on (too long for a line-by-line diff)\n"
        }
        // lcs[i][j]: longest common subsequence of a[i...] and b[j...].
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        enum Op { case same(String), removed(String), added(String) }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { ops.append(.same(a[i])); i += 1; j += 1 }
            else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] { ops.append(.removed(a[i])); i += 1 }
            else { ops.append(.added(b[j])); j += 1 }
        }
        var out = "--- \(expectedName)\n+++ \(actualName)\n"
        let changed = ops.indices.filter { if case .same = ops[$0] { return false } else { return true } }
        var k = 0
        while k < changed.count {
            // A hunk: changes closer than 2 x 3 lines of context stay together.
            var last = k
            while last + 1 < changed.count, changed[last + 1] - changed[last] <= 6 { last += 1 }
            let start = max(0, changed[k] - 3), end = min(ops.count, changed[last] + 4)
            var oldStart = 0, newStart = 0
            for op in ops[..<start] {
                switch op { case .same: oldStart += 1; newStart += 1; case .removed: oldStart += 1; case .added: newStart += 1 }
            }
            var oldCount = 0, newCount = 0, body = ""
            for op in ops[start..<end] {
                switch op {
                case .same(let line): oldCount += 1; newCount += 1; body += " \(line)\n"
                case .removed(let line): oldCount += 1; body += "-\(line)\n"
                case .added(let line): newCount += 1; body += "+\(line)\n"
                }
            }
            out += "@@ -\(oldStart + (oldCount > 0 ? 1 : 0)),\(oldCount) +\(newStart + (newCount > 0 ? 1 : 0)),\(newCount) @@\n" + body
            k = last + 1
        }
        return out
    }

    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }
}
