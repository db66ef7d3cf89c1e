import MyoCore

/// Checks of a time column that must step uniformly, shared by the readers that keep the times.
enum TimeColumn {
    /// Where a time column first breaks, in words a user can act on.
    struct Break {
        /// Row of the first time that does not fit.
        var row: Int
        var expected: String
        var found: String
    }

    /// The first row whose time does not fit uniform steps, or nil when every row fits. The step
    /// is taken from the first rows (up to 1024 steps), so a sample missing far into the file does
    /// not skew it; a row is a break when its step differs from it by more than half a step (a gap,
    /// a repeated or merged line), or when the times drift from the straight line from the first
    /// row by more than a quarter step (a wrong rate). Times printed with fewer decimals than the
    /// step needs pass, since rounding moves a time by less than half its last digit.
    static func firstBreak(_ times: [Double], factor: Double = 1) -> Break? {
        guard times.count >= 3 else { return nil }
        let span = min(times.count - 1, 1024)
        let period = (times[span] - times[0]) / Double(span)
        guard period > 0 else { return nil }
        func s(_ x: Double) -> String { NumberFormat.significant(x * factor, digits: 8) }
        for row in 1..<times.count {
            let step = times[row] - times[row - 1]
            if abs(step - period) > 0.5 * period {
                return Break(row: row, expected: "a time of about \(s(times[row - 1] + period)) s (one step of \(s(period)) s after \(s(times[row - 1])) s)",
                             found: "\(s(times[row])) s, a step of \(s(step)) s (\(step > period ? "samples missing" : "a repeated or extra sample"); give fs= to use the sample index instead)")
            }
        }
        for row in 1..<times.count where abs(times[row] - (times[0] + Double(row) * period)) > 0.25 * period {
            return Break(row: row, expected: "a time of about \(s(times[0] + Double(row) * period)) s (uniform steps of \(s(period)) s from \(s(times[0])) s)",
                         found: "\(s(times[row])) s (the times drift from uniform steps; give fs= to use the sample index instead)")
        }
        return nil
    }
}
