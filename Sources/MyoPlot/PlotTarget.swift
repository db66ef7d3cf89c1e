import MyoCore

/// Where a plot goes.
public enum PlotTarget: Equatable, Sendable {
    /// Text drawn with gnuplot's dumb terminal, printed inline; size in character cells.
    case terminal(columns: Int, rows: Int)
    /// A gnuplot window (needs a display and a gnuplot build with a window terminal).
    case window
    /// A picture file: `.png`, `.svg` or `.pdf`.
    case file(path: String)

    /// A picture (window or file) rather than text: grids help there, not in text.
    var isPicture: Bool {
        if case .terminal = self { return false }
        return true
    }

    /// Pixel columns available, which bounds how many points are worth sending.
    var pixelColumns: Int {
        switch self {
        case .terminal(let columns, _): return max(columns - 12, 10)
        case .window, .file: return 1200
        }
    }
}

/// The file types `plot ... to FILE` can write.
public enum PlotFileType: String, CaseIterable, Sendable {
    case png, svg, pdf

    public init?(path: String) {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }

    /// gnuplot's terminal line for a picture 1400 pixels wide (11 in for PDF) and `heightPixels` high.
    func terminal(heightPixels: Int) -> String {
        switch self {
        case .png: return "set terminal pngcairo size 1400,\(heightPixels) noenhanced font 'sans,10'"
        case .svg: return "set terminal svg size 1400,\(heightPixels) noenhanced font 'sans,10'"
        case .pdf: return "set terminal pdfcairo size 11in,\(NumberFormat.significant(Double(heightPixels) / 127, digits: 3))in noenhanced font 'sans,10'"
        }
    }

    /// gnuplot's terminal line for this type.
    var terminal: String {
        switch self {
        case .png: return "set terminal pngcairo size 1200,600 noenhanced font 'sans,10'"
        case .svg: return "set terminal svg size 1200,600 noenhanced font 'sans,10'"
        case .pdf: return "set terminal pdfcairo size 10in,5in noenhanced font 'sans,10'"
        }
    }
}
