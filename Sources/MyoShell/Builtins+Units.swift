import MyoCore
import MyoPluginAPI

/// Units for files that give none or give ADC counts: `units` states a unit without changing a
/// value, `scale` converts counts to a physical unit. Both replace the recording (or keep the
/// original under `as NAME`) and enter its provenance like every other command.
extension Builtins {
    /// The unit symbols a user may state: every known unit, plus the spellings files use.
    static var unitSymbols: String { UnitDefinition.all.map(\.symbol).joined(separator: ", ") }

    /// A unit as the user wrote it, in MyoShell's spelling, or an error naming the known ones.
    static func statedUnit(_ text: String, argument: String) throws -> String {
        guard let symbol = UnitDefinition.normalizedSymbol(text) else {
            throw MyoError.invalidValue(argument: argument, value: text, expected: "a unit (\(unitSymbols))")
        }
        return symbol
    }

    /// Gives `unit` to the channels of `recording` that have none and are not IMU channels by
    /// name; returns their names.
    static func stateMissingUnits(_ unit: String, in recording: inout Recording) -> [String] {
        var changed: [String] = []
        for index in recording.channels.indices where recording.channels[index].unit.isEmpty && !recording.channels[index].kind.isIMU {
            recording.channels[index].unit = unit
            changed.append(recording.channels[index].name)
        }
        return changed
    }

    static func unitCommands(_ session: Session) -> [PluginCommand] {
        let stated = Argument.signals(repeating: false, help: "channels, e.g. rec.EMG* or rec")
        let statedUnit = Argument.requiredText("unit", positional: true, help: "the unit their values are in (mV, uV, g, deg/s, ...)")
        let converted = Argument.signals(repeating: false, help: "channels to convert")
        let gain = Argument.requiredNumber("gain", help: "one raw unit in the new unit")
        let offset = Argument.number("offset", default: "0", help: "the raw value that means zero")
        let newUnit = Argument.requiredText("unit", help: "the unit after conversion (mV, uV, g, deg/s, ...)")
        return [
            PluginCommand(spec: CommandSpec(
                name: "units", abstract: "State the unit of channels whose file gives none (values unchanged)",
                discussion: """
                Many CSV exports, and some WFDB and vendor files, give no unit (or one MyoShell does not know), so their \
                channels are not recognised as EMG or IMU. units REC.CHANNELS UNIT states the unit; the values are kept \
                as they are, so state the unit the numbers are really in. A channel that had a different known unit is \
                reported (its values now read in the new unit, unscaled). To convert ADC counts use scale. Units: \
                \(unitSymbols); spellings such as mv, uV, µV, microvolts, m/s², deg/sec are accepted.
                """,
                arguments: [
                    stated, statedUnit,
                ],
                acceptsOutputName: true,
                examples: ["units trial.EMG* mV", "units trial.{ACC_X,ACC_Y,ACC_Z} g"])) { [unowned session] invocation in
                let refs = try invocation[stated]
                let unit = try Builtins.statedUnit(invocation[statedUnit], argument: "unit")
                var recording = try session.workspace.recording(named: refs[0].recordingName)
                var outputs: [CommandOutput] = []
                for ref in refs {
                    let old = recording.channels[ref.channelIndex].unit
                    if old != unit, UnitDefinition.named(old) != nil {
                        outputs.append(.warning("\(recording.name).\(ref.channel.name) was in \(old); its values are now read as \(unit), not converted (convert with scale)"))
                    }
                    recording.channels[ref.channelIndex].unit = unit
                }
                recording.name = invocation.outputName ?? recording.name
                let kinds = Set(refs.map { recording.channels[$0.channelIndex].kind.rawValue }).sorted().joined(separator: ", ")
                outputs.append(.message("\(recording.name): \(refs.count) channel\(refs.count == 1 ? "" : "s") in \(unit) (\(kinds))"))
                outputs.append(.recording(recording))
                return outputs
            },
            PluginCommand(spec: CommandSpec(
                name: "scale", abstract: "Convert channels to a physical unit: value = (raw - offset) x gain",
                discussion: """
                For ADC counts (adu) and other raw values: every sample becomes (raw - offset) x gain, in unit=. The gain \
                is the size of one count in the new unit, from the device's transfer function; for example a 16-bit \
                BITalino/PLUX EMG channel (3 V range, gain 1000) gives mV = (ADC - 32768) x 3000 / 65536 / 1000, so \
                gain=4.5776e-5 offset=32768 unit=mV. The conversion enters the recording's provenance.
                """,
                arguments: [
                    converted, gain, offset, newUnit,
                ],
                acceptsOutputName: true,
                examples: ["scale emg.A1 gain=4.5776e-5 offset=32768 unit=mV", "scale trial.EMG* gain=0.001 unit=mV"])) { [unowned session] invocation in
                let refs = try invocation[converted]
                let gain = try invocation[gain], offset = try invocation[offset]
                guard gain.isFinite, gain != 0 else { throw MyoError.invalidValue(argument: "gain", value: "\(gain)", expected: "a finite number other than 0") }
                guard offset.isFinite else { throw MyoError.invalidValue(argument: "offset", value: "\(offset)", expected: "a finite number") }
                let unit = try Builtins.statedUnit(invocation[newUnit], argument: "unit")
                var recording = try session.workspace.recording(named: refs[0].recordingName)
                for ref in refs {
                    var channel = recording.channels[ref.channelIndex]
                    channel.samples = channel.samples.map { Float((Double($0) - offset) * gain) }
                    channel.unit = unit
                    recording.channels[ref.channelIndex] = channel
                }
                recording.name = invocation.outputName ?? recording.name
                return [.message("\(recording.name): \(refs.count) channel\(refs.count == 1 ? "" : "s") scaled to \(unit)"), .recording(recording)]
            },
        ]
    }
}
