import MyoCore
import MyoPluginAPI
import MyoSimulator

extension Builtins {
    static func simulateCommand(_ session: Session) -> PluginCommand {
        let scenarioArgument = Argument<Scenario>.requiredChoice("scenario", positional: true, help: "what to simulate")
        let seed = Argument.requiredInteger("seed", minimum: 0, help: "random seed")
        let duration = Argument<Double?>.quantity("duration", .time, minimum: 5, maximum: 86_400, help: "length of the recording (per athlete for team)")
        return
        PluginCommand(spec: CommandSpec(
            name: "simulate", abstract: "Write a realistic synthetic recording with its ground truth",
            discussion: "Scenarios:\n" + Scenario.allCases.map { "  \($0.rawValue): \($0.summary) (default \(Int($0.defaultDurationSeconds)) s)" }.joined(separator: "\n")
                + "\nThe same seed gives the same files, byte for byte. The ground truth goes to NAME.truth.json beside the CSV; for team, PATH is a folder.",
            arguments: [scenarioArgument, seed, duration],
            destination: DestinationSpec(extensions: [], required: true, help: "CSV file to write (a folder for team)"),
            examples: ["simulate bridge-set seed=1 to sample-data/bridge-set.csv", "simulate team seed=7 to team"])) { invocation in
            let scenario = try invocation[scenarioArgument]
            let path = try invocation.requiredDestination
            if scenario != .team, !path.lowercased().hasSuffix(".csv") {
                throw MyoError.invalidValue(argument: "to", value: path, expected: "a file ending in .csv")
            }
            let written = try Simulator.write(scenario, seed: UInt64(try invocation[seed]), durationSeconds: try invocation[duration], to: path)
            return [.message("wrote " + written.joined(separator: ", "))]
        }
    }
}
