/// Centred moving mean over `window` samples; near the ends the window holds the samples that
/// exist. Running sums, O(n).
public enum MovingMean {
    public static func centred(_ x: [Double], window: Int) -> [Double] {
        guard window > 1, !x.isEmpty else { return x }
        var prefix = [Double](repeating: 0, count: x.count + 1)
        for i in x.indices { prefix[i + 1] = prefix[i] + x[i] }
        let before = (window - 1) / 2, after = window - 1 - before
        return x.indices.map { i in
            let a = max(0, i - before), b = min(x.count, i + after + 1)
            return (prefix[b] - prefix[a]) / Double(b - a)
        }
    }
}
