import MyoPluginAPI

/// One subject's kept numbers as series over its sessions: what trajectories are judged from.
/// Made from the sessions a store reads (`init(subject:sessions:)`), or read straight from the
/// store as numbers (`ProgressStore.mapSeries`), which is how `flags` reads every subject.
public struct SubjectSeries: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var name: String
        /// The measure's column (`NMF slope` of `ES_L.NMF slope`), or the outcome's name.
        public var column: String
        public var unit: String
        public var better: MeasureSpec.Better
        /// One value a session (aligned with `dates`): the mean of the values kept that day, in
        /// the order they were kept; nil when the session has none.
        public var values: [Double?]

        public init(name: String, column: String, unit: String, better: MeasureSpec.Better, values: [Double?]) {
            (self.name, self.column, self.unit, self.better, self.values) = (name, column, unit, better, values)
        }
    }

    public var subject: String
    /// The sessions' dates, oldest first, and which are baseline sessions.
    public var dates: [SessionDate]
    public var baseline: [Bool]
    /// Measures in the order first kept; outcomes by name.
    public var measures: [Series]
    public var outcomes: [Series]

    public init(subject: String, dates: [SessionDate], baseline: [Bool], measures: [Series], outcomes: [Series]) {
        (self.subject, self.dates, self.baseline, self.measures, self.outcomes) = (subject, dates, baseline, measures, outcomes)
    }

    public init(subject: String, sessions: [SessionRecord]) {
        self.subject = subject
        dates = sessions.map(\.date)
        baseline = sessions.map(\.baseline)
        var measureIndex: [String: Int] = [:], measures: [Series] = []
        var sums: [[Double]] = [], counts: [[Int]] = []
        for (k, session) in sessions.enumerated() {
            for m in session.measures {
                let index = measureIndex[m.name] ?? {
                    measureIndex[m.name] = measures.count
                    measures.append(Series(name: m.name, column: m.column, unit: m.unit, better: m.better, values: []))
                    sums.append(Array(repeating: 0, count: sessions.count)); counts.append(Array(repeating: 0, count: sessions.count))
                    return measures.count - 1
                }()
                sums[index][k] += m.value
                counts[index][k] += 1
            }
        }
        for index in measures.indices {
            measures[index].values = zip(sums[index], counts[index]).map { $1 == 0 ? nil : $0 / Double($1) }
        }
        self.measures = measures
        let names = Array(Set(sessions.flatMap { $0.outcomes.map(\.name) })).sorted()
        outcomes = names.map { name in
            let unit = sessions.lazy.flatMap(\.outcomes).first { $0.name == name }?.unit ?? ""
            return Series(name: name, column: name, unit: unit, better: .none,
                          values: sessions.map { session in session.outcomes.first { $0.name == name }?.value })
        }
    }

    /// The points of a series: the sessions that have a value.
    public func points(_ series: Series) -> [(date: SessionDate, value: Double, baseline: Bool)] {
        series.values.indices.compactMap { k in series.values[k].map { (dates[k], $0, baseline[k]) } }
    }
}
