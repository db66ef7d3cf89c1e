// swift-tools-version:6.1
// MyoKit: the modules whose types cross the host/plugin boundary (see docs/ARCHITECTURE.md).
// It is one dynamic library, so the host, every plugin and the tests share a single copy of its
// type metadata and global state.
import PackageDescription

let package = Package(
    name: "MyoKit",
    products: [
        .library(name: "MyoKit", type: .dynamic, targets: ["MyoCore", "MyoPluginAPI"]),
    ],
    targets: [
        .target(name: "MyoCore"),
        .target(name: "MyoPluginAPI", dependencies: ["MyoCore"]),
    ],
    swiftLanguageModes: [.v5]
)
