import MyoCore

/// What a reader needs besides the bytes: how to name things and what the user asked for.
public struct ReadRequest: Sendable {
    /// The path shown in messages and provenance, as the user typed it.
    public var displayPath: String
    /// The workspace name the recording will have.
    public var name: String
    /// `fs=`: the sample rate for formats that do not carry one.
    public var sampleRateHz: Double?
    /// `markers=yes`: also load motion-capture marker trajectories (C3D).
    public var includeMarkers: Bool
    /// Set when the bytes are a memory map: drops byte ranges a reader is done with, so an
    /// hour-long file does not stay resident beside the samples decoded from it.
    public var releasePages: (@Sendable (Range<Int>) -> Void)?
    /// Where to report how far the reader has got (nil: nobody is watching).
    public var progress: LoadProgress?

    public init(displayPath: String, name: String, sampleRateHz: Double? = nil, includeMarkers: Bool = false,
                releasePages: (@Sendable (Range<Int>) -> Void)? = nil, progress: LoadProgress? = nil) {
        self.displayPath = displayPath
        self.name = name
        self.sampleRateHz = sampleRateHz
        self.includeMarkers = includeMarkers
        self.releasePages = releasePages
        self.progress = progress
    }

    /// The folder part of the path (`.` when none), for files a header refers to.
    public var folder: String {
        guard let slash = displayPath.lastIndex(of: "/") else { return "." }
        return displayPath[..<slash].isEmpty ? "/" : String(displayPath[..<slash])
    }

    /// A path relative to the file's folder.
    public func sibling(_ file: String) -> String {
        file.hasPrefix("/") ? file : (folder == "." ? file : folder + "/" + file)
    }

    /// `name`, or `name_2`, `name_3`, ... when a channel already has it (files may repeat labels).
    static func uniqueName(_ name: String, among channels: [Channel]) -> String {
        var candidate = name
        var index = 2
        while channels.contains(where: { $0.name == candidate }) { candidate = "\(name)_\(index)"; index += 1 }
        return candidate
    }
}
