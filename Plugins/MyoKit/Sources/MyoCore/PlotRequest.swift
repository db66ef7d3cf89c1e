/// One line on a plot: a uniformly sampled series with its label and unit.
public struct PlotSeries: Sendable {
    public var label: String
    public var unit: String
    public var sampleRateHz: Double
    public var startTimeSeconds: Double
    public var samples: [Float]
    /// Drawn against the right-hand y axis (a second unit, such as %MVC over mV).
    public var rightAxis: Bool
    /// (time s, value) pairs already reduced to each column's minimum and maximum, for a channel
    /// whose samples stay in a file; when set, `samples` is empty and these are drawn.
    public var points: [Float]?

    public init(label: String, unit: String, sampleRateHz: Double, startTimeSeconds: Double, samples: [Float], rightAxis: Bool = false) {
        self.label = label
        self.unit = unit
        self.sampleRateHz = sampleRateHz
        self.startTimeSeconds = startTimeSeconds
        self.samples = samples
        self.rightAxis = rightAxis
    }

    public init(channel: Channel, label: String, rightAxis: Bool = false) {
        self.init(label: label, unit: channel.unit, sampleRateHz: channel.sampleRateHz,
                  startTimeSeconds: channel.startTimeSeconds, samples: channel.samples, rightAxis: rightAxis)
    }

    /// The series of a file-backed channel between two times, reduced while it is read, block
    /// by block, to the minimum and maximum of each of `columns` equal spans (in time order), so
    /// a day is drawn without holding it: peaks survive as they do on screen.
    public init(streaming channel: Channel, label: String, rightAxis: Bool = false, fromSeconds: Double?, toSeconds: Double?, columns: Int = 2000) throws {
        self.init(label: label, unit: channel.unit, sampleRateHz: channel.sampleRateHz, startTimeSeconds: channel.startTimeSeconds, samples: [], rightAxis: rightAxis)
        let range = channel.sampleRange(fromSeconds: fromSeconds, toSeconds: toSeconds)
        let count = range.count
        var points: [Float] = []
        func time(_ index: Int) -> Float { Float(channel.startTimeSeconds + Double(index) / channel.sampleRateHz) }
        func upper(_ column: Int) -> Int { range.lowerBound + count * (column + 1) / columns }
        var column = 0, end = upper(0)
        var low = (index: -1, value: Float.infinity), high = (index: -1, value: -Float.infinity)
        func emit() {
            guard low.index >= 0 || high.index >= 0 else { return }
            let pair = [low, high].filter { $0.index >= 0 }.sorted { $0.index < $1.index }
            for point in pair.count == 2 && pair[0].index == pair[1].index ? [pair[0]] : pair { points += [time(point.index), point.value] }
            low = (-1, .infinity); high = (-1, -.infinity)
        }
        try channel.forEachBlock(in: range, blockSize: 1 << 18) { start, block in
            for offset in 0..<block.count {
                let index = start + offset, value = block[offset]
                while index >= end, column < columns - 1 { emit(); column += 1; end = upper(column) }
                if value < low.value { low = (index, value) }
                if value > high.value { high = (index, value) }
            }
        }
        emit()
        self.points = points
    }
}

/// A grid of values drawn as a colour image (a spectrogram): `values` row by row, row 0 at the
/// bottom (yStart), column 0 at the left (xStart).
public struct HeatMap: Sendable {
    public var columns: Int
    public var rows: Int
    public var xStart: Double
    public var xStep: Double
    public var yStart: Double
    public var yStep: Double
    public var values: [Float]
    /// The colour bar's label, with its unit.
    public var label: String

    public init(columns: Int, rows: Int, xStart: Double, xStep: Double, yStart: Double, yStep: Double, values: [Float], label: String) {
        self.columns = columns
        self.rows = rows
        self.xStart = xStart
        self.xStep = xStep
        self.yStart = yStart
        self.yStep = yStep
        self.values = values
        self.label = label
    }
}

/// Grouped bars: one cluster per category, one bar per group in each (L and R per athlete),
/// with optional dashed horizontal lines (a flag band) and error bars.
public struct BarChart: Sendable {
    public struct Group: Sendable {
        public var label: String
        public var values: [Double]
        /// Optional (low, high) per category, drawn as error bars.
        public var intervals: [(Double, Double)]?
        public init(label: String, values: [Double], intervals: [(Double, Double)]? = nil) {
            self.label = label
            self.values = values
            self.intervals = intervals
        }
    }

    public var categories: [String]
    public var groups: [Group]
    /// The y axis label with its unit.
    public var yLabel: String
    public var lines: [(value: Double, label: String)]

    public init(categories: [String], groups: [Group], yLabel: String, lines: [(value: Double, label: String)] = []) {
        self.categories = categories
        self.groups = groups
        self.yLabel = yLabel
        self.lines = lines
    }
}

/// Values at irregular points (sessions over weeks), one panel per quantity, each line drawn with
/// its points and, optionally, a band (the measurement-error band around a baseline).
public struct TrendChart: Sendable {
    public struct Line: Sendable {
        public var label: String
        public var points: [(x: Double, y: Double)]
        public init(label: String, points: [(x: Double, y: Double)]) {
            self.label = label
            self.points = points
        }
    }

    public struct Panel: Sendable {
        /// The y axis label with its unit, and which way is better.
        public var yLabel: String
        public var lines: [Line]
        /// A horizontal band, drawn shaded behind the lines, with its label.
        public var band: (low: Double, high: Double, label: String)?
        public init(yLabel: String, lines: [Line], band: (low: Double, high: Double, label: String)? = nil) {
            self.yLabel = yLabel
            self.lines = lines
            self.band = band
        }
    }

    public var panels: [Panel]
    public var xLabel: String
    /// Labelled ticks on the x axis (session dates).
    public var xTicks: [(x: Double, label: String)]

    public init(panels: [Panel], xLabel: String, xTicks: [(x: Double, label: String)] = []) {
        self.panels = panels
        self.xLabel = xLabel
        self.xTicks = xTicks
    }
}

/// A long recording drawn one row per hour (x: minutes into the hour): activities as coloured
/// bands behind the envelopes, EMG gaps as a strip along the bottom, flags (labels, atypical
/// windows) as a strip along the top with their names. Times are seconds from the recording's
/// time origin, as everywhere else.
public struct DayChart: Sendable {
    /// A stretch of time with a name: an activity's bout, a gap (no name), a flag.
    public typealias Stretch = (from: Double, to: Double, name: String)
    /// A line's interleaved (time s, value) pairs, already reduced for drawing (min/max per column).
    public typealias Line = (label: String, points: [Float])

    /// Start of each row (s); each row spans `rowSeconds`.
    public var rows: [Double]
    public var rowSeconds: Double
    public var activities: [Stretch]
    public var lines: [Line]
    public var gaps: [Stretch]
    public var flags: [Stretch]
    public var yLabel: String

    public init(rows: [Double], rowSeconds: Double = 3600, activities: [Stretch], lines: [Line], gaps: [Stretch], flags: [Stretch], yLabel: String) {
        self.rows = rows
        self.rowSeconds = rowSeconds
        self.activities = activities
        self.lines = lines
        self.gaps = gaps
        self.flags = flags
        self.yLabel = yLabel
    }
}

/// What a command wants drawn: time series over a time window, with optional event markers.
/// The shell's plot adapter decides how (terminal, window or file).
public struct PlotRequest: Sendable {
    public var title: String
    public var series: [PlotSeries]
    /// Visible time window in s; nil means the extent of the series.
    public var fromSeconds: Double?
    public var toSeconds: Double?
    public var markers: [Event]
    /// A file to write (.png, .svg, .pdf), as the user named it; nil draws on screen.
    public var outputPath: String?
    /// The horizontal axis: time by default; a spectrum's series are sampled in frequency
    /// (`sampleRateHz` then means points per Hz, `startTimeSeconds` the first frequency).
    public var xLabel: String
    /// A colour image under the series (its y axis replaces the series' units).
    public var heatMap: HeatMap?
    /// The y axis label when a heat map is drawn (e.g. `frequency (Hz)`).
    public var yLabel: String?
    /// Bars instead of time series (series, markers and the time window are then ignored).
    public var bars: BarChart?
    /// Stretches of the x axis shaded behind the series (flagged segments), with a label each.
    public var shaded: [(from: Double, to: Double, label: String)] = []
    /// Panels of values at irregular points instead of time series (series, markers and the
    /// time window are then ignored).
    public var trend: TrendChart?
    /// Rows of hours instead of one time axis (series, markers and the time window are then ignored).
    public var day: DayChart?

    public init(title: String, series: [PlotSeries], fromSeconds: Double? = nil, toSeconds: Double? = nil,
                markers: [Event] = [], outputPath: String? = nil, xLabel: String = "time (s)") {
        self.title = title
        self.series = series
        self.fromSeconds = fromSeconds
        self.toSeconds = toSeconds
        self.markers = markers
        self.outputPath = outputPath
        self.xLabel = xLabel
    }
}
