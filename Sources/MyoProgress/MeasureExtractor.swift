import MyoCore
import MyoPluginAPI

/// The measures of a result table, as its command declares them: for each declared column the
/// table has, one value per row name (the text of the row-key columns), the mean of the rows that
/// share it. A measure the table does not hold is skipped; NaN and missing cells are left out.
public enum MeasureExtractor {
    public static func measures(of table: ResultTable, declared: [MeasureSpec]) -> [KeptMeasure] {
        var kept: [KeptMeasure] = []
        for spec in declared {
            guard let column = table.columns.firstIndex(where: { $0.name == spec.column }) else { continue }
            let keys = spec.rowKeys.compactMap { key in table.columns.firstIndex { $0.name == key } }
            guard keys.count == spec.rowKeys.count else { continue }
            var order: [String] = []
            var sums: [String: (Double, Int)] = [:]
            for row in table.rows where row.indices.contains(column) {
                let value: Double
                switch row[column] {
                case .number(let v) where v.isFinite: value = v
                case .integer(let v): value = Double(v)
                default: continue
                }
                let label = keys.map { row.indices.contains($0) ? row[$0].formatted : "-" }.joined(separator: ".")
                if sums[label] == nil { order.append(label) }
                let (sum, count) = sums[label] ?? (0, 0)
                sums[label] = (sum + value, count + 1)
            }
            for label in order {
                guard let (sum, count) = sums[label] else { continue }
                kept.append(KeptMeasure(name: label.isEmpty ? spec.column : "\(label).\(spec.column)", column: spec.column, row: label,
                                        unit: table.columns[column].unit, better: spec.better, value: sum / Double(count), rows: count))
            }
        }
        return kept
    }
}
