// swift-tools-version:6.1
// MyoShell: an interactive analysis shell for surface EMG and IMU recordings.
// Layers (docs/ARCHITECTURE.md): MyoKit (model + plugin contract, one shared dynamic library)
// <- MyoSignal, MyoFormats, MyoPlot, MyoSimulator <- MyoShell <- myoshell (wiring only);
// MyoFormats's CSV fast path lives in MyoPlainRows, built a second time for AVX2.
// Analysis plugins under Plugins/ are dynamic libraries loaded with dlopen at start-up.
import PackageDescription

let myoKit: Target.Dependency = .product(name: "MyoKit", package: "MyoKit")

// The CSV fast path is compiled a second time for Haswell (AVX2) and chosen at run time.
#if arch(x86_64)
let haswell: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let haswell: [SwiftSetting] = []
#endif

// scripts/fuzz builds in .build-fuzz with the address sanitizer and libFuzzer's coverage flags, and
// names libFuzzer's archive here; the fuzz executable then links it and exports its symbols, so the
// plugins it dlopens (built with the same coverage) report their coverage to it.
let libFuzzer = Context.environment["MYOSHELL_LIBFUZZER"].flatMap { $0.isEmpty ? nil : $0 }
let fuzzSwiftSettings: [SwiftSetting] = libFuzzer == nil ? [] : [.define("MYOSHELL_LIBFUZZER")]
let fuzzLinkerSettings: [LinkerSetting] = libFuzzer.map { [.unsafeFlags(["-Xlinker", $0, "-lstdc++", "-Xlinker", "--export-dynamic"])] } ?? []

let package = Package(
    name: "MyoShell",
    products: [
        .executable(name: "myoshell", targets: ["myoshell"]),
        .library(name: "MyoStats", type: .dynamic, targets: ["MyoStatsPlugin"]),
        .library(name: "MyoEnvelope", type: .dynamic, targets: ["MyoEnvelopePlugin"]),
        .library(name: "MyoFatigue", type: .dynamic, targets: ["MyoFatiguePlugin"]),
        .library(name: "MyoAsymmetry", type: .dynamic, targets: ["MyoAsymmetryPlugin"]),
        .library(name: "MyoMovement", type: .dynamic, targets: ["MyoMovementPlugin"]),
        .library(name: "MyoQuality", type: .dynamic, targets: ["MyoQualityPlugin"]),
    ],
    dependencies: [
        .package(path: "Plugins/MyoKit"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries, by module map only (pkg-config would bring flags SwiftPM refuses).
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW"),
        // gnuplot-iostream behind an extern "C" API; no C++ exception crosses into Swift.
        .target(
            name: "CGnuplot",
            path: "Sources/CGnuplot",
            linkerSettings: [.linkedLibrary("boost_iostreams"), .linkedLibrary("boost_filesystem"), .linkedLibrary("stdc++")]
        ),
        .target(name: "MyoSignal", dependencies: [myoKit, "MyoFiles", "MyoLanes", "MyoLanesAVX2", "CCPU"]),
        // Domain analyses on top of signal processing: onsets, repetitions, trunk inclination,
        // flexion-relaxation, IMU recognition (MyoSignal keeps no domain words).
        .target(name: "MyoAnalysis", dependencies: [myoKit, "MyoSignal"]),
        // Spectra with FFTW3 (plans cached per length; planning serialised, execution parallel).
        .target(name: "MyoSpectrum", dependencies: [myoKit, "MyoSignal", "CFFTW"]),
        // Signal quality in one place: the in-depth grading (noise, SNR, mains, ECG, spectrum) and
        // the screen every load runs (constant and railed channels).
        .target(name: "MyoQuality", dependencies: [myoKit, "MyoSignal", "MyoSpectrum"]),
        // Processor features, for choosing the CSV fast path's build at run time.
        .target(name: "CCPU", path: "Sources/CCPU"),
        // Rows of plain numbers (the CSV fast path), inlinable so it can be built twice.
        .target(name: "MyoPlainRows"),
        .target(name: "MyoPlainRowsAVX2", dependencies: ["MyoPlainRows"], swiftSettings: haswell),
        // Second-order sections over four channels at once (SIMD lanes), built twice the same way.
        .target(name: "MyoLanes"),
        .target(name: "MyoLanesAVX2", dependencies: ["MyoLanes"], swiftSettings: haswell),
        // File utilities with no format in them: atomic writes, mapped files, SHA-256, the source guard.
        .target(name: "MyoFiles", dependencies: [myoKit]),
        .target(name: "MyoFormats", dependencies: [myoKit, "MyoFiles", "MyoPlainRows", "MyoPlainRowsAVX2", "CCPU"]),
        .target(name: "MyoPlot", dependencies: [myoKit, "MyoFormats", "CGnuplot"]),
        .target(name: "MyoSimulator", dependencies: [myoKit, "MyoFormats", "MyoSignal"]),
        // Progress over time: the subject database (SQLite through GRDB), measures kept from
        // result tables, outcomes, minimal detectable changes and verdicts (docs/PROGRESS.md).
        .target(name: "MyoProgress", dependencies: [myoKit, "MyoFiles", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Yams", package: "Yams")],
                resources: [.copy("Reliability")]),
        // Live streams over Lab Streaming Layer (liblsl loaded at run time), causal processing of
        // what arrives, recording to EDF/BDF as it arrives, the live view (docs/LIVE.md).
        .target(name: "MyoStream", dependencies: [myoKit, "MyoSignal", "MyoAnalysis", "MyoFormats"]),
        .target(name: "MyoShell", dependencies: [myoKit, "MyoFormats", "MyoSignal", "MyoQuality", "MyoPlot", "MyoSimulator", "MyoProgress", "MyoStream", "CReadline"]),
        .executableTarget(name: "myoshell", dependencies: ["MyoShell", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Fuzzing (scripts/fuzz): every reader and the command line through a fresh session; the
        // executable replays inputs in any build and runs libFuzzer when built with -DMYOSHELL_LIBFUZZER.
        .target(name: "MyoFuzzTargets", dependencies: [myoKit, "MyoShell", "MyoFormats", "MyoPlot", "MyoSignal"]),
        .executableTarget(name: "myoshell-fuzz", dependencies: ["MyoFuzzTargets", "MyoFormats"],
                          swiftSettings: fuzzSwiftSettings, linkerSettings: fuzzLinkerSettings),

        // Analysis plugins: each a .dynamic product, depending on the contract and MyoSignal only.
        .target(name: "MyoStatsPlugin", dependencies: [myoKit, "MyoSignal"], path: "Plugins/Stats"),
        .target(name: "MyoEnvelopePlugin", dependencies: [myoKit, "MyoSignal", "MyoAnalysis"], path: "Plugins/Envelope"),
        .target(name: "MyoFatiguePlugin", dependencies: [myoKit, "MyoSignal", "MyoAnalysis", "MyoSpectrum"], path: "Plugins/Fatigue"),
        .target(name: "MyoAsymmetryPlugin", dependencies: [myoKit, "MyoSignal", "MyoAnalysis", "MyoSpectrum", "MyoQuality"], path: "Plugins/Asymmetry"),
        .target(name: "MyoQualityPlugin", dependencies: [myoKit, "MyoSignal", "MyoSpectrum", "MyoQuality"], path: "Plugins/Quality"),
        .target(name: "MyoMovementPlugin", dependencies: [myoKit, "MyoSignal", "MyoAnalysis", "MyoSpectrum"], path: "Plugins/Movement", resources: [.copy("Templates")]),

        // Tests.
        .target(name: "MyoTestSupport", dependencies: ["MyoShell", "MyoSignal", myoKit], path: "Tests/MyoTestSupport"),
        // One test target per module (as swift-nio does), so a change runs its own tests first:
        // swift test --filter MyoFormatsTests. Reference values and the scripts that made them sit
        // beside the tests that use them.
        .testTarget(name: "MyoKitTests", dependencies: [myoKit]),
        .testTarget(name: "MyoSignalTests", dependencies: ["MyoSignal", "MyoTestSupport", myoKit], exclude: ["Reference"]),
        .testTarget(name: "MyoFormatsTests", dependencies: ["MyoFormats", "MyoQuality", "MyoTestSupport", myoKit], exclude: ["Reference"]),
        .testTarget(name: "MyoEnvelopeTests", dependencies: ["MyoSignal", "MyoAnalysis", "MyoFormats", "MyoTestSupport", myoKit], exclude: ["Reference"]),
        .testTarget(name: "MyoFatigueTests", dependencies: ["MyoSignal", "MyoSpectrum", "MyoTestSupport", myoKit], exclude: ["Reference"]),
        .testTarget(name: "MyoAsymmetryTests", dependencies: ["MyoSignal", "MyoAnalysis", "MyoTestSupport", myoKit]),
        .testTarget(name: "MyoMovementTests", dependencies: ["MyoSignal", "MyoAnalysis", "MyoSpectrum", "MyoSimulator", "MyoTestSupport", myoKit], exclude: ["Reference"]),
        .testTarget(name: "MyoQualityTests", dependencies: ["MyoSignal", "MyoSpectrum", "MyoQuality", "MyoFormats", "MyoTestSupport", myoKit]),
        .testTarget(name: "MyoStreamTests", dependencies: ["MyoStream", "MyoSignal", "MyoFormats", "MyoPlot", "MyoShell", "MyoTestSupport", myoKit], exclude: ["Reference"]),
        .testTarget(name: "MyoProgressTests", dependencies: ["MyoProgress", "MyoShell", "MyoTestSupport", myoKit], exclude: ["Reference"]),
        .testTarget(name: "MyoShellTests", dependencies: ["MyoShell", "MyoSignal", "MyoFormats", "MyoPlot", "MyoSimulator", "MyoTestSupport", "MyoFuzzTargets", myoKit],
                    exclude: ["Transcripts", "Help"]),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)
