import MyoAnalysis
import MyoCore
import MyoPluginAPI

/// The plugin's entry symbol: hands the host a descriptor when their ABI versions match.
@_cdecl("myoshell_plugin_entry")
public func myoshellPluginEntry(_ hostABI: UInt32, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt32 {
    PluginDescriptor.export(MovementPlugin.descriptor, hostABI: hostABI, into: out)
}

/// IMU trunk motion and repetitions, fused with EMG.
enum MovementPlugin {
    static let id = "myoshell.movement"
    static let version = "0.1.0"

    static func descriptor() -> PluginDescriptor {
        PluginDescriptor(id: id, name: "movement screen", version: version,
                         summary: "trunk inclination from IMUs (accelerometer tilt, complementary, Madgwick); repetitions with phases, ROM, smoothness and EMG per phase",
                         commands: [PluginCommand(spec: TiltCommand.spec, run: TiltCommand.run),
                                    PluginCommand(spec: RepsCommand.spec, run: RepsCommand.run),
                                    PluginCommand(spec: ScreenCommand.spec, run: ScreenCommand.run),
                                    PluginCommand(spec: ExercisesCommand.spec, run: ExercisesCommand.run),
                                    PluginCommand(spec: FlexionRelaxationProtocol.spec, run: FlexionRelaxationProtocol.run),
                                    PluginCommand(spec: ActivitiesCommand.spec, run: ActivitiesCommand.run)])
    }
}
