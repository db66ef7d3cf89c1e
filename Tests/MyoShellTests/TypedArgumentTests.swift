import MyoCore
import MyoPluginAPI
import MyoShell
import MyoTestSupport
import Testing

/// The plugin contract's typed arguments: each value type parses what it should and refuses the
/// rest in one sentence, keys read back the declared Swift type, constraints hold before a handler
/// runs, and completion offers what the types allow.
@Suite struct TypedArgumentTests {
    func parse(_ text: String, _ type: ValueType, minimum: Double? = nil, maximum: Double? = nil) throws -> ArgumentValue {
        try ValueParser.parse(text, for: ArgumentSpec("x", type: type, help: "", minimum: minimum, maximum: maximum))
    }

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func offOrAFrequency() throws {
        let type = ValueType.wordOrQuantity(["off"], .frequency)
        guard case .word("off") = try parse("off", type) else { Issue.record("off is a word"); return }
        guard case .quantity(let hz, _) = try parse("0.05kHz", type) else { Issue.record("0.05kHz is a quantity"); return }
        #expect(hz == 50)
        #expect(message { try parse("50", type) } == "x=50 needs a unit of frequency (Hz, kHz), for example x=20Hz")
        #expect(message { try parse("50mV", type) }.contains("x=50mV"))
        #expect(message { try parse("fifty", type) } == "x=fifty is not valid: expected off, or a frequency with its unit such as 20Hz")
        #expect(message { try parse("0.5Hz", type, minimum: 1) } == "x=0.5Hz is out of range: the smallest allowed is 1 Hz")
    }

    @Test func sensorAxes() throws {
        guard case .axes(let axes, _) = try parse("-x+Z+Y", .axes) else { Issue.record("an axes value"); return }
        #expect(axes.axes.map(\.index) == [0, 2, 1] && axes.axes.map(\.sign) == [-1, 1, 1])
        #expect(axes.description == "-X+Z+Y")
        for bad in ["XXY", "+X+Z", "+X+Z+Y+X", "+X+Q+Y"] {
            #expect(message { try parse(bad, .axes) } == "x=\(bad) is not valid: expected \(SensorAxes.expected)")
        }
    }

    @Test func listsParseEachItemByItsType() throws {
        guard case .list(let items, _) = try parse("ES_L:ES_R,GM_L:GM_R", .list(.text)) else { Issue.record("a list"); return }
        #expect(items.map(\.display) == ["ES_L:ES_R", "GM_L:GM_R"])
        guard case .list(let times, _) = try parse("1s,250ms", .list(.quantity(.time))) else { Issue.record("a list of times"); return }
        #expect(times.map { if case .quantity(let v, _) = $0 { v } else { .nan } } == [1, 0.25])
        #expect(message { try parse("a,,b", .list(.text)) } == "x=a,,b is not valid: expected <text> items separated by commas, none empty")
        #expect(message { try parse("1s,2", .list(.quantity(.time))) }.contains("x=2 needs a unit of time"))
    }

    @Test func levelsAreSharesOrValuesWithUnits() throws {
        guard case .level(.fraction(let share), _) = try parse("20%", .level) else { Issue.record("a share"); return }
        #expect(abs(share - 0.2) < 1e-15)
        guard case .level(.value(let value, let unit), _) = try parse("15deg", .level) else { Issue.record("a value"); return }
        #expect(value == 15 && unit == "deg")
        #expect(message { try parse("20", .level) }.contains("expected a percentage of the signal's range (20%) or a value with the signal's unit (15deg)"))
        #expect(message { try parse("150%", .level, minimum: 0, maximum: 100) } == "x=150% is out of range: the largest allowed is 100 %")
    }

    @Test func settingsComeFromTheirTable() throws {
        let type = ValueType.setting(Settings.definitions)
        guard case .setting(let key, let value) = try parse("plot terminal dumb", type) else { Issue.record("a setting"); return }
        #expect(key == "plot terminal" && value == "dumb")
        #expect(message { try parse("plot terminal colour", type) }.contains("plot terminal=colour"))
        #expect(message { try parse("outptu json", type) }.contains("did you mean 'output'"))
    }

    enum Colour: String, CaseIterable { case red, green }

    /// Keys read back their declared type; an optional key reads nil when absent; reading a key
    /// the command's spec does not declare is one sentence, not a trap.
    @Test func keysReadTheirDeclaredType() throws {
        let (session, output, _) = closedFormSession()
        let colour = Argument.choice("colour", default: Colour.green, help: "a colour")
        let window = Argument.quantity("window", .time, default: "100ms", help: "a window")
        let limit = Argument<Double?>.quantity("limit", .frequency, help: "a limit")
        let mount = SharedArguments.mount
        let undeclared = Argument.integer("undeclared", default: "1", help: "not in the spec")
        let spec = CommandSpec(name: "probe", abstract: "probe", arguments: [colour, window, limit, mount])
        try session.registry.register(PluginCommand(spec: spec) { invocation in
            let words = [try invocation[colour].rawValue, "\(try invocation[window])", "\(try invocation[limit].map { "\($0)" } ?? "none")", try invocation[mount]?.description ?? "unstated"]
            return [.message(words.joined(separator: " "))]
        }, origin: "test")
        try session.execute("probe; probe colour=red window=2s limit=1kHz mount=+Z+X-Y")
        #expect(output.text.hasSuffix("green 0.1 none unstated\nred 2.0 1000.0 +Z+X-Y\n"), "\(output.text)")
        try session.registry.register(PluginCommand(spec: CommandSpec(name: "wrong", abstract: "reads a key it does not declare")) { invocation in
            [.message("\(try invocation[undeclared])")]
        }, origin: "test")
        #expect(errorText(session, "wrong").contains("internal error: wrong read the argument 'undeclared'"))
    }

    /// Constraints are checked by the binder, for every command that declares them, and the spec
    /// validator refuses a constraint that names no argument.
    @Test func constraintsHoldBeforeTheHandlerRuns() throws {
        let (session, _, _) = closedFormSession()
        #expect(errorText(session, "stats r.SIN_L from=2s to=1s") == "to=1 s is not valid: expected a time after from=2 s")
        #expect(errorText(session, "plot r.SIN_L from=2s to=2s") == "to=2 s is not valid: expected a time after from=2 s")
        #expect(errorText(session, "stats r.SIN_L from=1s to=2s") == "no error")
        let spec = CommandSpec(name: "bad", abstract: "x", arguments: [SharedArguments.from], constraints: [SharedArguments.timeWindowOrder])
        #expect(spec.problems() == ["bad: a constraint names 'to', which is no argument"])
    }

    /// Every registered command's spec is valid, and every argument a plugin or the shell declares
    /// has a type other than free text where a value type exists for it.
    @Test func noCommandParsesAValueTypeFromText() throws {
        let (session, _, _) = closedFormSession()
        let typedNames: Set<String> = ["mains", "notch", "exclude-mains", "mount", "pairs", "tables", "figures", "methods", "start", "end", "min-peak", "from", "to", "setting"]
        for name in session.registry.names {
            let spec = try #require(session.registry.commands[name]).spec
            #expect(spec.problems().isEmpty, "\(name): \(spec.problems())")
            for argument in spec.arguments where typedNames.contains(argument.name) {
                #expect(argument.type != .text, "\(name) declares \(argument.name)= as free text")
            }
        }
    }

    @Test func completionOffersWhatTheTypesAllow() throws {
        let (session, _, _) = closedFormSession()
        let completer = Completer(session: session)
        #expect(completer.candidates(lineBeforeCursor: "quality r mains=") == ["mains=auto", "mains=50Hz", "mains=60Hz"])
        #expect(completer.candidates(lineBeforeCursor: "envelope r notch=o") == ["notch=off"])
        #expect(completer.candidates(lineBeforeCursor: "tilt r mount=+Z") == ["mount=+Z+X+Y"])
        #expect(completer.candidates(lineBeforeCursor: "help sta") == ["stats"])
        #expect(completer.candidates(lineBeforeCursor: "set ") == ["audit", "output", "plot", "quality", "timing"])
        #expect(completer.candidates(lineBeforeCursor: "set plot ") == ["terminal"])
        #expect(completer.candidates(lineBeforeCursor: "set quality s") == ["strict"])
    }
}
