import MyoCore
import MyoPluginAPI
import Testing

@Suite struct UnitTests {
    static let good: [(String, ValueType, Double)] = [
        ("250ms", .quantity(.time), 0.25),
        ("1s", .quantity(.time), 1),
        ("2min", .quantity(.time), 120),
        ("20Hz", .quantity(.frequency), 20),
        ("1.5kHz", .quantity(.frequency), 1500),
        ("1e3Hz", .quantity(.frequency), 1000),
        ("50%", .quantity(.ratio), 50),
        ("500uV", .quantity(.voltage), 0.5),
        ("2V", .quantity(.voltage), 2000),
        ("-3mV", .quantity(.voltage), -3),
        ("9.80665m/s^2", .quantity(.acceleration), 1),
        ("180deg", .quantity(.angle), 180),
    ]

    @Test(arguments: good)
    func parsesQuantities(_ text: String, _ type: ValueType, _ expected: Double) throws {
        let value = try ValueParser.parse(text, for: ArgumentSpec("x", type: type, help: ""))
        guard case .quantity(let parsed, _) = value else { Issue.record("not a quantity"); return }
        #expect(abs(parsed - expected) <= 1e-12 * max(1, abs(expected)))
    }

    static let errors: [(String, ValueType, String)] = [
        ("100", .quantity(.time), "window=100 needs a unit of time (s, ms, us, min, h), for example window=100ms"),
        ("20Hz", .quantity(.time), "window=20Hz is not a time; use one of s, ms, us, min, h, for example window=100ms"),
        ("abc", .quantity(.time), "window=abc is not valid: expected a number with a unit such as 100ms"),
        ("10furlongs", .quantity(.time), "window=10furlongs is not valid: expected a number with a unit such as 100ms"),
        ("20..450Hz", .quantityRange(.frequency), "window=20 needs a unit of frequency (Hz, kHz), for example window=20Hz"),
        ("450Hz..20Hz", .quantityRange(.frequency), "window=450Hz..20Hz is not valid: expected the lower end before the upper end"),
        ("20Hz", .quantityRange(.frequency), "window=20Hz is not valid: expected a range such as 20Hz..20Hz"),
        ("x", .integer, "window=x is not valid: expected a whole number"),
        ("maybe", .flag, "window=maybe is not one of on, off"),
        ("cubic", .choice(["linear", "rms"]), "window=cubic is not one of linear, rms"),
    ]

    @Test(arguments: errors)
    func reportsErrors(_ text: String, _ type: ValueType, _ message: String) {
        do {
            _ = try ValueParser.parse(text, for: ArgumentSpec("window", type: type, help: ""))
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func limitsAreChecked() {
        let argument = ArgumentSpec("window", type: .quantity(.time), help: "", minimum: 0.01, maximum: 10)
        #expect(throws: MyoError.outOfRange(argument: "window", value: "5ms", limit: "the smallest allowed is 0.01 s")) { try ValueParser.parse("5ms", for: argument) }
        #expect(throws: MyoError.outOfRange(argument: "window", value: "1min", limit: "the largest allowed is 10 s")) { try ValueParser.parse("1min", for: argument) }
    }

    @Test func numberFormattingIsFixed() {
        #expect(NumberFormat.significant(2000, digits: 7) == "2000")
        #expect(NumberFormat.significant(0.000012345, digits: 3) == "1.23e-05")
        #expect(NumberFormat.significant(.nan) == "nan")
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(39.99, decimals: 1) == "40.0")
    }

    @Test func nyquistMessageNamesFsAndHalf() {
        let error = MyoError.aboveNyquist(what: "cutoff", hz: 620, channel: "ES_L", sampleRateHz: 1000)
        #expect(error.description == "cutoff 620 Hz is at or above the Nyquist frequency of ES_L (fs = 1000 Hz, fs/2 = 500 Hz)")
    }

    @Test func specValidatorRejectsMalformedSpecs() {
        let spec = CommandSpec(name: "bad", abstract: "x", arguments: [
            Argument.untyped(ArgumentSpec("a", type: .quantity(.time), help: "", default: "100")),
            Argument.untyped(ArgumentSpec("a", type: .integer, help: "")),
            Argument.untyped(ArgumentSpec("b", positional: true, type: .text, help: "", repeating: true)),
            Argument.untyped(ArgumentSpec("c", positional: true, type: .text, help: "")),
        ])
        #expect(spec.problems() == [
            "bad: default of 'a' is invalid: a=100 needs a unit of time (s, ms, us, min, h), for example a=100ms",
            "bad: argument 'a' is declared twice",
            "bad: only the last positional argument may repeat",
        ])
    }
}
