#if canImport(Glibc)
import Glibc
#endif
import MyoCore
import MyoFiles
import MyoPlot
import MyoPluginAPI
import MyoProgress

/// Progress over time: the subject database, keeping results and outcomes, and the verdicts on
/// each measure's change (docs/PROGRESS.md).
extension Builtins {
    enum DatabaseAction: String, CaseIterable { case status, open, check, backup }

    static let subjectID = Argument.requiredText("subject", positional: true, help: "a pseudonymous subject id (letters, digits, - and _; never a name)")
    static let sessionDate = Argument.requiredText("date", help: "the session's day, YYYY-MM-DD (not in the future)")
    static let baselineFlag = Argument.flag("baseline", default: false, help: "mark the session as a baseline session (with three or more, the subject's own variability sets the threshold)")

    /// A subject id as typed: refused unless it is a short code, so a name is less likely to slip in.
    static func checkedSubject(_ id: String) throws -> String {
        let allowed = id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        guard !id.isEmpty, id.count <= 32, allowed, !id.contains(" ") else {
            throw MyoError.invalidValue(argument: "subject", value: id, expected: "a pseudonymous id of at most 32 ASCII letters, digits, - and _ (P03, athlete-7)")
        }
        return id
    }

    /// `date=` as a day that is not in the future.
    static func checkedDate(_ text: String) throws -> SessionDate {
        guard let date = SessionDate(text) else { throw MyoError.invalidValue(argument: "date", value: text, expected: "a day written YYYY-MM-DD, such as 2026-11-02") }
        let today = SessionDate.today(secondsSince1970: Int(time(nil)))
        guard date <= today else { throw MyoError.outOfRange(argument: "date", value: text, limit: "a session cannot be after today (\(today))") }
        return date
    }

    static func progressCommands(_ session: Session) -> [PluginCommand] {
        let action = Argument.choice("action", default: DatabaseAction.status, positional: true, help: "status, open PATH, check, or backup PATH")
        let databasePath = Argument<String?>.path("path", extensions: ["sqlite", "db"], positional: true, help: "the database to open, or the backup to write")
        let group = Argument.text("group", default: "", help: "the subject's group (LBP, squad)")
        let note = Argument.text("note", default: "", help: "a note about the subject (no names)")
        let kept = Argument.object("table", help: "a result table (with NAME_2, NAME_3 ... of the same command)")
        let pain = Argument<Double?>.number("pain", minimum: 0, maximum: 10, help: "pain intensity, numeric rating scale 0-10")
        let odi = Argument<Double?>.quantity("odi", .ratio, minimum: 0, maximum: 100, help: "Oswestry Disability Index, 0-100 %")
        let rmdq = Argument<Int?>.integer("rmdq", minimum: 0, maximum: 24, help: "Roland-Morris Disability Questionnaire, 0-24")
        let psfs = Argument<Double?>.number("psfs", minimum: 0, maximum: 10, help: "Patient-Specific Functional Scale, mean of the activities, 0-10")
        let flagged = Argument<String?>.text("subject", positional: true, help: "one subject (default: every subject)")
        let exportedSubject = subjectID.help("the subject whose sessions to write")
        let plotted = subjectID.help("the subject whose trajectories to draw")
        let reported = subjectID.help("the subject to summarise")
        let team = Argument.requiredText("group", help: "the group whose subjects to draw (as given to subject add)")
        let teamMeasure = Argument.requiredText("measure", help: "the measure, as progress names it (GM.SI, endurance)")
        let teamBand = Argument.quantity("band", .ratio, default: "15%", minimum: 0, maximum: 100, help: "the +- band drawn for a measure whose better is towards zero (|SI| 15 %: a convention)")
        let shownMeasures = Argument.list("measures", help: "measures and outcomes to draw, comma-separated (default: up to 4 not of poor reliability, those with a threshold first)")
        return [
            PluginCommand(spec: CommandSpec(
                name: "db", abstract: "The progress database: which is open, its size and subjects; open another, check it, back it up",
                discussion: """
                One SQLite file (WAL mode, foreign keys on, a versioned schema), created owner-only at $MYOSHELL_DB, \
                else $XDG_DATA_HOME/myoshell/progress.sqlite, else ~/.local/share/myoshell/progress.sqlite, when first \
                used. db open PATH uses (or creates) another for the rest of the session. db check runs SQLite's \
                integrity and foreign-key checks. db open :memory: uses a database that lasts the session (demos, \
                classes; nothing is written). db backup PATH writes a consistent copy with SQLite's online backup \
                while the database stays in use (never over an existing file). Samples are never stored: only measures \
                with units, the source file's path and SHA-256, and the whole provenance.
                """,
                arguments: [action, databasePath],
                examples: ["db", "db open clinic.sqlite", "db check", "db backup clinic-2026-12-04.sqlite"])) { [unowned session] invocation in
                switch try invocation[action] {
                case .open:
                    guard let path = try invocation[databasePath] else { throw MyoError.missingArgument(command: "db open", name: "PATH", usage: "db open PATH") }
                    let store = try SQLiteProgressStore(path: path)
                    session.openStore = store
                    return [.message("opened \(path): " + summaryLine(try store.summary()))]
                case .check:
                    let store = try session.progressStore()
                    let problems = try store.integrityCheck()
                    guard problems.isEmpty else { throw MyoError.other("\(store.location) failed its check: " + problems.prefix(5).joined(separator: "; ")) }
                    return [.message("\(store.location): integrity and foreign keys ok")]
                case .backup:
                    guard let path = try invocation[databasePath] else { throw MyoError.missingArgument(command: "db backup", name: "PATH", usage: "db backup PATH") }
                    let store = try session.progressStore()
                    try store.backup(to: path)
                    return [.message("backed up \(store.location) to \(path)")]
                case .status:
                    let store = try session.progressStore()
                    let summary = try store.summary()
                    let rows: [[TableCell]] = try store.subjects().map { subject in
                        let sessions = try store.sessions(of: subject.id)
                        return [.text(subject.id), .text(subject.group), .integer(sessions.count),
                                sessions.first.map { .text($0.date.description) } ?? .missing, sessions.last.map { .text($0.date.description) } ?? .missing,
                                .text(subject.note)]
                    }
                    return [.message("\(summary.location): " + summaryLine(summary)),
                            .table(ResultTable(title: "subjects", columns: [TableColumn("subject"), TableColumn("group"), TableColumn("sessions"),
                                                                           TableColumn("first"), TableColumn("latest"), TableColumn("note")], rows: rows))]
                }
            },
            PluginCommand(spec: CommandSpec(
                name: "subject add", abstract: "Add a subject to the progress database",
                discussion: "The id is a pseudonym (P03, athlete-7): MyoShell stores no names. Adding the same subject again with the same group and note changes nothing; with others it is refused.",
                arguments: [subjectID, group, note],
                examples: ["subject add P03 group=LBP note=\"12-week programme\""])) { [unowned session] invocation in
                let id = try checkedSubject(invocation[subjectID])
                try session.progressStore().addSubject(SubjectRecord(id: id, group: try invocation[group], note: try invocation[note]))
                return [.message("subject \(id) is in \(try session.progressStore().location)")]
            },
            PluginCommand(spec: CommandSpec(
                name: "keep", abstract: "Keep a result table's measures in a subject's session, with units and provenance",
                discussion: """
                Keeps the measures that the command which made TABLE declares (help COMMAND lists them; a plugin \
                declares its own), from TABLE and its siblings NAME_2, NAME_3 ... made by the same step: per row \
                name (a channel, a pair) the mean of its rows. Stored with them: the source file's path and its \
                SHA-256 now, and the whole provenance. Refused when the source file changed since it was loaded. \
                Keeping the same result again changes nothing. The session of that date is made when missing.
                """,
                arguments: [kept, subjectID.withPositional(false), sessionDate, baselineFlag],
                examples: ["keep sor1 subject=P03 date=2026-11-02", "keep frr1 subject=P03 date=2026-11-02 baseline=on"])) { [unowned session] invocation in
                let name = try invocation[kept]
                let subject = try checkedSubject(invocation[subjectID.withPositional(false)])
                let date = try checkedDate(invocation[sessionDate])
                let result = try keptResult(name, session: session)
                let outcome = try session.progressStore().keep(result, subject: subject, date: date, baseline: try invocation[baselineFlag])
                switch outcome {
                case .alreadyKept: return [.message("\(name) is already kept in \(subject)'s session of \(date); nothing changed")]
                case .kept(let count):
                    return [.message("kept \(count) measure\(count == 1 ? "" : "s") of \(name) in \(subject)'s session of \(date): " + result.measures.map(\.name).joined(separator: ", "))]
                }
            },
            PluginCommand(spec: CommandSpec(
                name: "outcome", abstract: "Record patient-reported outcomes in a subject's session",
                discussion: """
                pain = numeric rating scale 0-10, odi = Oswestry Disability Index 0-100 %, rmdq = Roland-Morris 0-24, \
                psfs = Patient-Specific Functional Scale 0-10 (mean of the activities). A value recorded for a session \
                is never overwritten: a different one is refused. Minimal clinically important differences: \
                docs/PROGRESS.md (Ostelo et al. 2008; Stratford et al. 1995).
                """,
                arguments: [subjectID, sessionDate, pain, odi, rmdq, psfs, baselineFlag],
                examples: ["outcome P03 date=2026-11-02 pain=6 odi=34% psfs=4.5"],
                references: ["Ostelo RWJG, Deyo RA, Stratford P et al. (2008) Interpreting change scores for pain and functional status in low back pain: towards international consensus regarding minimal important change. Spine 33:90-94. doi:10.1097/BRS.0b013e31815e3a10"])) { [unowned session] invocation in
                let subject = try checkedSubject(invocation[subjectID])
                let date = try checkedDate(invocation[sessionDate])
                var values: [OutcomeValue] = []
                if let v = try invocation[pain] { values.append(OutcomeValue(name: "pain", value: v, unit: "")) }
                if let v = try invocation[odi] { values.append(OutcomeValue(name: "odi", value: v, unit: "%")) }
                if let v = try invocation[rmdq] { values.append(OutcomeValue(name: "rmdq", value: Double(v), unit: "")) }
                if let v = try invocation[psfs] { values.append(OutcomeValue(name: "psfs", value: v, unit: "")) }
                guard !values.isEmpty else { throw MyoError.missingArgument(command: "outcome", name: "one of pain=, odi=, rmdq=, psfs=", usage: "outcome SUBJECT date=DAY pain=N") }
                try session.progressStore().record(values, subject: subject, date: date, baseline: try invocation[baselineFlag])
                return [.message("recorded \(values.map { "\($0.name)=\(NumberFormat.significant($0.value))\($0.unit)" }.joined(separator: " ")) for \(subject) on \(date)")]
            },
            PluginCommand(spec: CommandSpec(
                name: "progress", abstract: "Per measure and outcome: baseline, latest, change, the change that counts, and a verdict",
                discussion: """
                Baseline: the mean of the sessions marked baseline=on, or else the first session. Latest: the last \
                session after the baseline. The change counts when it exceeds the threshold: with three or more \
                baseline sessions the subject's own MDC95 = 1.96 x sqrt(2) x SD of them; else the measure's published \
                MDC95 (1.96 x sqrt(2) x SEM) or, for outcomes, the MCID in points or in % of baseline (reliability.yaml, \
                each value with its source). Verdicts: improved or worse (by the measure's better direction), no \
                detectable change, changed (no direction), not judged (no threshold known), baseline only. Measures \
                of poor reliability are marked, and no flag rests on them alone. A verdict supports a clinician; it \
                is not a diagnosis.
                """,
                arguments: [subjectID],
                acceptsOutputName: true,
                examples: ["progress P03"])) { [unowned session] invocation in
                let subject = try checkedSubject(invocation[subjectID])
                let sessions = try session.progressStore().sessions(of: subject)
                guard !sessions.isEmpty else { throw MyoError.other("\(subject) has no sessions yet: keep a result or record an outcome first") }
                let trajectories = ProgressAnalysis.trajectories(sessions, reliability: try session.reliabilityTable())
                return [.table(progressTable(subject, sessions, trajectories))]
            },
            PluginCommand(spec: CommandSpec(
                name: "export-progress", abstract: "Write a subject's sessions as a FHIR R4 Bundle, or as one CSV/JSON row per value",
                discussion: """
                FILE.fhir.json: a FHIR R4 Bundle (type collection) of a pseudonymous Patient (identifier only) and one                 Observation per kept measure and outcome: status final, category exam (measures) or survey (outcomes),                 effectiveDateTime the session's day, valueQuantity with its UCUM code, code from LOINC where one is                 certain (the 0-10 pain rating, 72514-3) and MyoShell's own code system (urn:myoshell:measure) always,                 and a note with the source files and their SHA-256. FILE.csv: one row per value (subject, date,                 baseline, kind, name, column, row, value, unit, better), as pandas.read_csv and R's read.csv read it.                 FILE.json: the sessions as nested objects. Written atomically; the same database writes the same bytes.
                """,
                arguments: [exportedSubject],
                destination: DestinationSpec(extensions: ["json", "csv"], required: true, help: "FILE.fhir.json, FILE.csv or FILE.json"),
                examples: ["export-progress P03 to p03.fhir.json", "export-progress P03 to p03.csv"])) { [unowned session] invocation in
                let id = try checkedSubject(invocation[exportedSubject])
                let path = try invocation.requiredDestination
                let store = try session.progressStore()
                guard let subject = try store.subject(id) else {
                    throw MyoError.unknownName(kind: "subject", name: id, suggestion: Suggestion.closest(to: id, in: try store.subjects().map(\.id)))
                }
                let sessions = try store.sessions(of: id)
                let lower = path.lowercased()
                let text: String
                if lower.hasSuffix(".fhir.json") {
                    text = ProgressExport.fhirBundle(subject: subject, sessions: sessions, reliability: try session.reliabilityTable()).serialized() + "\n"
                } else if lower.hasSuffix(".csv") {
                    text = ProgressExport.csv(subject: id, sessions: sessions)
                } else {
                    text = ProgressExport.json(subject: subject, sessions: sessions).serialized() + "\n"
                }
                try AtomicFile.write(text, to: path)
                let values = sessions.reduce(0) { $0 + $1.measures.count + $1.outcomes.count }
                return [.message("wrote \(values) value\(values == 1 ? "" : "s") of \(id) from \(sessions.count) session\(sessions.count == 1 ? "" : "s") to \(path)")]
            },
            PluginCommand(spec: CommandSpec(
                name: "plot-progress", abstract: "Each measure and outcome against the session date, with its no-detectable-change band",
                discussion: """
                One panel a measure or outcome (measures= chooses them by name, as progress lists them), stacked with \
                one date axis: the values of each session, and shaded the band around the baseline within which a \
                change is not detectable (baseline +- the threshold progress uses: the subject's own MDC95 with three \
                baseline sessions, else the published MDC95 or MCID). The y label says which way is better. Without \
                'to FILE' the plot goes to the screen as plot's do.
                """,
                arguments: [plotted, shownMeasures],
                destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
                examples: ["plot-progress P03", "plot-progress P03 measures=endurance,pain,odi to p03.png"])) { [unowned session] invocation in
                let subject = try checkedSubject(invocation[plotted])
                let sessions = try session.progressStore().sessions(of: subject)
                guard let first = sessions.first else { throw MyoError.other("\(subject) has no sessions yet: keep a result or record an outcome first") }
                let trajectories = ProgressAnalysis.trajectories(sessions, reliability: try session.reliabilityTable())
                let request = try progressPlot(subject, first: first, sessions: sessions, trajectories: trajectories,
                                               measures: try invocation[shownMeasures], output: invocation.destination)
                return [.plot(request)]
            },
            PluginCommand(spec: CommandSpec(
                name: "team-progress", abstract: "A coach's view: one measure of every subject of a group over the season, one line each",
                discussion: """
                Every subject of group= with the measure: its value at each session (the mean when a session holds it \
                twice), one line per subject over the session dates, and, for a measure whose better is towards zero \
                (a symmetry index), the band +-band= (15 % by convention) shaded. The table gives per subject the \
                sessions, first and latest values, the change, and whether the latest is inside the band. Without \
                'to FILE' the plot goes to the screen as plot's do.
                """,
                arguments: [team, teamMeasure, teamBand],
                acceptsOutputName: true,
                destination: DestinationSpec(extensions: ["png", "svg", "pdf"], required: false, help: "picture file to write"),
                examples: ["team-progress group=squad measure=GM.SI to squad.png"])) { [unowned session] invocation in
                let store = try session.progressStore()
                let group = try invocation[team], name = try invocation[teamMeasure], band = try invocation[teamBand]
                let all = try store.subjects()
                let members = all.filter { $0.group == group }
                guard !members.isEmpty else {
                    let groups = Array(Set(all.map(\.group))).sorted()
                    throw MyoError.unknownName(kind: "group", name: group, suggestion: Suggestion.closest(to: group, in: groups))
                }
                var lines: [(subject: String, points: [(date: SessionDate, value: Double)])] = []
                var known = Set<String>()
                var unit = "", better = MeasureSpec.Better.none
                for member in members {
                    let points = try store.sessions(of: member.id).compactMap { s -> (date: SessionDate, value: Double)? in
                        s.measures.forEach { known.insert($0.name) }
                        let values = s.measures.filter { $0.name == name }
                        if let first = values.first { unit = first.unit; better = first.better }
                        return values.isEmpty ? nil : (s.date, values.map(\.value).reduce(0, +) / Double(values.count))
                    }
                    if !points.isEmpty { lines.append((member.id, points)) }
                }
                guard !lines.isEmpty else {
                    throw MyoError.unknownName(kind: "measure kept for group \(group)", name: name, suggestion: Suggestion.closest(to: name, in: known.sorted()))
                }
                let towardsZero = better == .towardsZero
                let rows: [[TableCell]] = lines.map { line in
                    let first = line.points[0].value, latest = line.points[line.points.count - 1].value
                    return [.text(line.subject), .integer(line.points.count), .number(first), .number(latest), .number(latest - first),
                            towardsZero ? .text(abs(latest) <= band ? "yes" : "no") : .missing]
                }
                let dates = Array(Set(lines.flatMap { $0.points.map(\.date) })).sorted()
                let origin = dates[0].daysSince1970
                // At most eight labelled dates, evenly spread, so they stay readable over a season.
                let step = max(1, (dates.count + 7) / 8)
                let ticks = stride(from: 0, to: dates.count, by: step).map { (Double(dates[$0].daysSince1970 - origin), dates[$0].description) }
                var request = PlotRequest(title: "\(name) of group \(group)", series: [], outputPath: invocation.destination, xLabel: "session date")
                request.trend = TrendChart(panels: [TrendChart.Panel(
                    yLabel: name + (unit.isEmpty ? "" : " (\(unit))"),
                    lines: lines.map { line in TrendChart.Line(label: line.subject, points: line.points.map { (Double($0.date.daysSince1970 - origin), $0.value) }) },
                    band: towardsZero ? (low: -band, high: band, label: "+-\(NumberFormat.significant(band))\(unit.isEmpty ? "" : " " + unit) (a convention)") : nil)],
                    xLabel: "session date (days since \(dates[0]))", xTicks: ticks)
                let table = ResultTable(title: "\(name) of group \(group)",
                                        columns: [TableColumn("subject"), TableColumn("sessions"), TableColumn("first", unit: unit), TableColumn("latest", unit: unit),
                                                  TableColumn("change", unit: unit), TableColumn("within band")],
                                        rows: rows, notes: towardsZero ? ["band: |\(name)| <= \(NumberFormat.significant(band)) \(unit), a convention, not a clinical threshold"] : [])
                return [.table(table), .plot(request)]
            },
            PluginCommand(spec: CommandSpec(
                name: "report-progress", abstract: "A clinician's one-page summary of a subject: flags, trajectories, every session with its provenance, methods",
                discussion: """
                FILE.html: one self-contained page (the figure embedded as base64), FILE.md: Markdown with the figure \
                beside it. In order: the subject's open flags, the trajectories (the plot-progress picture, when \
                gnuplot is present, and the progress table), a table of every session's values with where each came \
                from (command, plugin and version, table, source file and SHA-256), and the methods paragraph (how \
                baselines, thresholds, verdicts and flags are made, with the sources of the thresholds). No date or \
                machine details: the same database writes the same report. Written atomically.
                """,
                arguments: [reported],
                destination: DestinationSpec(extensions: ["html", "md"], required: true, help: "the report file"),
                examples: ["report-progress P03 to p03.html", "report-progress P03 to p03.md"])) { [unowned session] invocation in
                let subject = try checkedSubject(invocation[reported])
                let path = try invocation.requiredDestination
                let store = try session.progressStore()
                let sessions = try store.sessions(of: subject)
                guard let first = sessions.first else { throw MyoError.other("\(subject) has no sessions yet: keep a result or record an outcome first") }
                let reliability = try session.reliabilityTable(), rules = try session.nonResponseRules()
                let trajectories = ProgressAnalysis.trajectories(sessions, reliability: reliability)
                let flags = FlagEvaluator.flags(subject: subject, dates: sessions.map(\.date), trajectories: trajectories, rules: rules)
                var figures: [(String, [UInt8])] = []
                var notes: [String] = []
                let stem = path.lowercased().hasSuffix(".html") ? String(path.dropLast(5)) : String(path.dropLast(3))
                let picture = stem + "-progress.png"
                if let plotter = session.plotter, ExecutableSearch.find("gnuplot") != nil {
                    let request = try progressPlot(subject, first: first, sessions: sessions, trajectories: trajectories, measures: nil, output: picture)
                    _ = try plotter.render(request, target: .file(path: picture))
                    let file = try MappedFile(path: picture)
                    figures.append((picture, withExtendedLifetime(file) { Array(file.bytes) }))
                } else {
                    notes.append("no figure: gnuplot is not installed")
                }
                var sessionRows: [[TableCell]] = []
                for s in sessions {
                    for m in s.measures { sessionRows.append([.text(s.date.description), .text(s.baseline ? "yes" : ""), .text(m.name), .number(m.value), .text(m.unit), .text(m.origin)]) }
                    for o in s.outcomes { sessionRows.append([.text(s.date.description), .text(s.baseline ? "yes" : ""), .text(o.name), .number(o.value), .text(o.unit), .text("outcome recorded in MyoShell")]) }
                }
                let sessionsTable = ResultTable(title: "every session's values and where they came from",
                                                columns: [TableColumn("date"), TableColumn("baseline"), TableColumn("measure"), TableColumn("value"), TableColumn("unit"), TableColumn("provenance")],
                                                rows: sessionRows, notes: notes)
                var sources: [String] = []
                for t in trajectories where !sources.contains(t.thresholdSource) { sources.append(t.thresholdSource) }
                let methods = """
                    Measures were kept from MyoShell \(myoShellVersion) result tables as the commands that made them declare \
                    (per channel or pair, the mean of its rows), with the source file's SHA-256 and the whole provenance; \
                    outcomes were entered as reported. For each measure the baseline is the mean of the sessions marked \
                    baseline, or else the first session, and the latest value is the last session after it. A change \
                    counts when it exceeds the threshold: with three or more baseline sessions the subject's own MDC95 \
                    (1.96 x sqrt(2) x SD of those sessions), otherwise the measure's published MDC95 or, for outcomes, \
                    the minimal clinically important difference in points or in % of baseline. Thresholds used: \
                    \(sources.joined(separator: "; ")). Measures of poor test-retest reliability are marked and take no \
                    part in the non-response rules (\(rules.rules.map(\.id).joined(separator: ", "))). Verdicts and \
                    flags support a clinician's review; they never name a diagnosis.
                    """
                let tables: [(String, ResultTable)] = [("flags", flagsTable(flags, subjects: 1, rules: rules)),
                                                       ("progress", progressTable(subject, sessions, trajectories)),
                                                       ("sessions", sessionsTable)]
                let title = "Progress of \(subject)"
                let text = path.lowercased().hasSuffix(".html")
                    ? ReportWriter.html(title: title, tables: tables, figures: figures, methods: [("progress", methods)], figuresAfter: 1)
                    : ReportWriter.markdown(title: title, tables: tables, figures: figures.map(\.0), methods: [("progress", methods)], figuresAfter: 1)
                try AtomicFile.write(text, to: path)
                return [.message("wrote \(path): \(flags.count) open flag\(flags.count == 1 ? "" : "s"), \(trajectories.count) trajectories, \(sessions.count) sessions\(figures.isEmpty ? "" : ", figure " + picture)")]
            },
            PluginCommand(spec: CommandSpec(
                name: "flags", abstract: "Open non-response flags of every subject (or one), most severe first, with the rule that fired",
                discussion: """
                Rules are data (flags.yaml, beside the executable; your own in $XDG_CONFIG_HOME/myoshell/flags.yaml or                 $MYOSHELL_FLAGS replaces rules by id): no improvement beyond the threshold in any primary measure after                 4 sessions or 6 weeks; pain or disability worse beyond the MCID at 2 consecutive sessions; |SI| above                 15 % and growing over 3 sessions; endurance falling beyond the MDC. Each flag names its rule, the                 sessions and values that fired it and the thresholds (as progress judges them), and suggests a review.                 Measures of poor reliability never fire a rule. A flag supports a clinician; it never names a diagnosis.
                """,
                arguments: [flagged],
                acceptsOutputName: true,
                examples: ["flags", "flags P03"])) { [unowned session] invocation in
                let store = try session.progressStore()
                let subjects = try invocation[flagged].map { [try checkedSubject($0)] } ?? store.subjects().map(\.id)
                let reliability = try session.reliabilityTable(), rules = try session.nonResponseRules()
                var flags = try store.mapSeries(of: subjects) { series in
                    FlagEvaluator.flags(subject: series.subject, dates: series.dates, trajectories: ProgressAnalysis.trajectories(series, reliability: reliability), rules: rules)
                }.flatMap { $0 }
                flags.sort { ($0.severity, $1.subject, $1.rule) > ($1.severity, $0.subject, $0.rule) }
                return [.table(flagsTable(flags, subjects: subjects.count, rules: rules))]
            },
        ]
    }

    /// The plot-progress picture: one panel a measure (the named ones, or up to four), bands and dates.
    static func progressPlot(_ subject: String, first: SessionRecord, sessions: [SessionRecord], trajectories: [Trajectory],
                             measures: [String]?, output: String?) throws -> PlotRequest {
        var chosen: [Trajectory]
        if let names = measures {
            chosen = try names.map { name in
                guard let t = trajectories.first(where: { $0.name == name }) else {
                    throw MyoError.unknownName(kind: "measure of \(subject)", name: name, suggestion: Suggestion.closest(to: name, in: trajectories.map(\.name)))
                }
                return t
            }
        } else {
            // Judged ones first (they have a band), then the rest; four panels fit one picture.
            let usable = trajectories.filter { $0.caution == nil }
            chosen = Array((usable.filter { $0.threshold != nil } + usable.filter { $0.threshold == nil }).prefix(4))
        }
        guard !chosen.isEmpty else { throw MyoError.other("\(subject) has no measure to draw; name some with measures=") }
        let origin = first.date.daysSince1970
        let panels = chosen.map { t -> TrendChart.Panel in
            let direction = t.better == .none ? "" : ", \(t.better.rawValue) is better"
            let band = t.threshold.map { (low: t.baseline - $0, high: t.baseline + $0, label: "no detectable change: baseline \(NumberFormat.significant(t.baseline, digits: 4)) +- \(NumberFormat.significant($0, digits: 3))\(t.unit.isEmpty ? "" : " " + t.unit)") }
            return TrendChart.Panel(yLabel: t.name + (t.unit.isEmpty ? "" : " (\(t.unit))"),
                                    lines: [TrendChart.Line(label: t.name + direction + (t.caution == nil ? "" : " (poor reliability)"), points: t.points.map { (Double($0.date.daysSince1970 - origin), $0.value) })],
                                    band: band)
        }
        var request = PlotRequest(title: "progress of \(subject)", series: [], outputPath: output, xLabel: "session date")
        request.trend = TrendChart(panels: panels, xLabel: "session date (days since \(first.date))",
                                   xTicks: sessions.map { (Double($0.date.daysSince1970 - origin), $0.date.description) })
        return request
    }

    /// The flags table of `flags` and of the progress report.
    static func flagsTable(_ flags: [Flag], subjects: Int, rules: FlagRules) -> ResultTable {
        let rows: [[TableCell]] = flags.map { [.text($0.subject), .integer($0.severity), .text($0.rule), .text($0.title), .text($0.evidence), .text($0.suggest)] }
        let notes = ["\(subjects) subject\(subjects == 1 ? "" : "s") checked against \(rules.rules.count) rules (\(rules.files.map { $0.split(separator: "/").suffix(2).joined(separator: "/") }.joined(separator: ", ")))",
                     "a flag supports a clinician's review; it never names a diagnosis"]
        return ResultTable(title: flags.isEmpty ? "no open flags" : "\(flags.count) open flag\(flags.count == 1 ? "" : "s")",
                           columns: [TableColumn("subject"), TableColumn("severity"), TableColumn("rule"), TableColumn("what"), TableColumn("evidence"), TableColumn("suggestion")],
                           rows: rows, notes: notes)
    }

    static func summaryLine(_ s: StoreSummary) -> String {
        "schema \(s.schema); \(s.subjects) subject\(s.subjects == 1 ? "" : "s"), \(s.sessions) session\(s.sessions == 1 ? "" : "s"), \(s.results) kept result\(s.results == 1 ? "" : "s"), \(s.measures) measures, \(s.outcomes) outcomes; \(NumberFormat.significant(Double(s.bytes) / 1024, digits: 3)) KiB"
    }

    /// TABLE and its siblings' declared measures, with the source and provenance.
    static func keptResult(_ name: String, session: Session) throws -> KeptResult {
        let table = try session.workspace.table(named: name)
        guard let step = table.provenance.steps.last else { throw MyoError.other("\(name) has no provenance, so the command that made it is unknown; nothing was kept") }
        guard let command = session.registry.commands[step.command] else {
            throw MyoError.other("\(name) was made by \(step.command), which is not loaded now; load its plugin to keep it")
        }
        let declared = command.spec.measures
        guard !declared.isEmpty else {
            throw MyoError.other("\(step.command) declares no keepable measures, so \(name) cannot be kept (commands that do: \(session.registry.names.filter { !(session.registry.commands[$0]?.spec.measures.isEmpty ?? true) }.joined(separator: ", ")))")
        }
        var tables = [table]
        for index in 2...99 {
            guard let sibling = session.workspace.tables["\(name)_\(index)"], sibling.provenance.steps.last == step else { break }
            tables.append(sibling)
        }
        var measures: [KeptMeasure] = []
        for t in tables {
            for m in MeasureExtractor.measures(of: t, declared: declared) where !measures.contains(where: { $0.name == m.name }) { measures.append(m) }
        }
        guard !measures.isEmpty else {
            throw MyoError.other("\(name) holds none of the measures \(step.command) declares (\(declared.map(\.column).joined(separator: ", "))); nothing was kept")
        }
        var path: String?, hash: String?
        if let source = table.provenance.sourceLocation ?? table.provenance.sourceFile {
            path = source
            if let size = table.provenance.sourceSize, let modified = table.provenance.sourceModified,
               let now = FileSystem.sizeAndModification(source), now != (size, modified) {
                throw MyoError.other("\(source) changed since it was loaded (size or time differs); load it again and redo the analysis before keeping \(name)")
            }
            hash = FileSystem.exists(source) ? try SHA256.ofFile(source) : nil
        }
        return KeptResult(tableName: name, command: step.command, origin: step.origin, sourcePath: path, sourceSHA256: hash,
                          provenance: table.provenance.lines, measures: measures)
    }

    static func progressTable(_ subject: String, _ sessions: [SessionRecord], _ trajectories: [Trajectory]) -> ResultTable {
        let rows: [[TableCell]] = trajectories.map { t in
            [.text(t.name), .integer(t.points.count), .number(t.baseline), .number(t.latest), .number(t.change),
             t.threshold.map { .number($0) } ?? .missing, .text(t.unit), .text(t.verdict.rawValue + (t.caution == nil ? "" : " (poor reliability)"))]
        }
        var notes: [String] = []
        let marked = sessions.filter(\.baseline).map(\.date.description)
        notes.append(marked.isEmpty ? "baseline: the first session (\(sessions[0].date)); mark baseline sessions with baseline=on" : "baseline sessions: " + marked.joined(separator: ", "))
        notes.append("sessions: " + sessions.map(\.date.description).joined(separator: ", "))
        var sources: [String] = []
        for t in trajectories where !sources.contains(t.thresholdSource) { sources.append(t.thresholdSource) }
        notes += sources.map { "threshold: " + $0 }
        for caution in trajectories.compactMap(\.caution) where !notes.contains(caution) { notes.append(caution) }
        // Results whose source file is not what it was when kept: reported, never mixed silently.
        var seen = Set<String>()
        for session in sessions {
            for (path, hash) in session.sources.sorted(by: { $0.key < $1.key }) where seen.insert(path).inserted && !hash.isEmpty {
                if FileSystem.exists(path), let now = try? SHA256.ofFile(path), now != hash {
                    notes.append("\(path) changed since its results were kept (SHA-256 differs); the kept numbers are from the earlier file")
                }
            }
        }
        notes.append("a verdict supports a clinician's judgement; it is not a diagnosis")
        return ResultTable(title: "progress of \(subject)",
                           columns: [TableColumn("measure"), TableColumn("sessions"), TableColumn("baseline"), TableColumn("latest"), TableColumn("change"),
                                     TableColumn("threshold"), TableColumn("unit"), TableColumn("verdict")],
                           rows: rows, notes: notes)
    }
}
