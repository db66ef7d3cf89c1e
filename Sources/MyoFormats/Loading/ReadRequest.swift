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
    /// `store=file|memory`: whether samples stay in the file, read as commands need them (EDF and
    /// BDF); nil: when their decoded size passes `MemoryBudget.keptInMemoryUpTo`.
    public var samplesStay: Bool?

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

/// Sample rates a file may give, in Hz: positive, finite, and at most 10 MHz (Dimension.frequency's
/// plausible magnitudes; no EMG or IMU amplifier comes near). A header or time column outside is
/// refused by name, before a channel is made.
let plausibleSampleRates: ClosedRange<Double> = 1e-6...1e7

/// A channel read from `path`: its rate and start time are checked where they come from the file.
func fileChannel(_ path: String, name: String, unit: String, sampleRateHz: Double, startTimeSeconds: Double = 0, samples: [Float]) throws -> Channel {
    guard plausibleSampleRates.contains(sampleRateHz) else {
        throw MyoError.file(path: path, reason: "gives \(name) a sample rate of \(NumberFormat.significant(sampleRateHz)) Hz; expected a rate from 1e-06 Hz to 10 MHz (check the header's rate or the time column)")
    }
    guard startTimeSeconds.isFinite, abs(startTimeSeconds) < 1e12 else {
        throw MyoError.file(path: path, reason: "gives \(name) a start time of \(NumberFormat.significant(startTimeSeconds)) s; expected a finite time (check the time column)")
    }
    return Channel(name: name, unit: unit, sampleRateHz: sampleRateHz, startTimeSeconds: startTimeSeconds, samples: samples)
}

/// A channel read from `path` whose samples stay in `store`; its rate is checked as above.
func fileChannel(_ path: String, name: String, unit: String, sampleRateHz: Double, store: any SampleStore, kind: ChannelKind?) throws -> Channel {
    var channel = try fileChannel(path, name: name, unit: unit, sampleRateHz: sampleRateHz, samples: [])
    channel = Channel(name: channel.name, unit: unit, sampleRateHz: sampleRateHz, store: store)
    channel.declaredKind = kind
    return channel
}

/// What to do when a recording's samples do not fit in memory.
let loadMemoryHint = "close other programs, raise the memory limit (ulimit -v), or split the recording into shorter files"
