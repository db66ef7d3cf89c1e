// swift-tools-version:6.1
// An out-of-tree MyoShell plugin. Build: swift build -c release (in this folder), then copy
// .build/release/libMyoHello.so into ~/.local/share/myoshell/plugins or a folder named in
// $MYOSHELL_PLUGIN_PATH. See docs/PLUGINS.md.
import PackageDescription

let package = Package(
    name: "MyoHello",
    products: [.library(name: "MyoHello", type: .dynamic, targets: ["MyoHello"])],
    dependencies: [.package(path: "../../Plugins/MyoKit")],
    targets: [.target(name: "MyoHello", dependencies: [.product(name: "MyoKit", package: "MyoKit")])],
    swiftLanguageModes: [.v5]
)
