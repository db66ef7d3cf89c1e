import MyoCore
import MyoFormats
import MyoPluginAPI

extension Builtins {
    /// `report FILE.md|.html [tables=...] [figures=...] [methods=...]`
    static func reportCommand(_ session: Session) -> PluginCommand {
        let tablesArgument = Argument.list("tables", of: .objectName, help: "tables to include, comma-separated (default: all)")
        let figuresArgument = Argument.list("figures", of: .path(extensions: ["png", "svg"]), help: "picture files to include, comma-separated")
        let methodsArgument = Argument.list("methods", of: .objectName, help: "objects whose methods paragraph to include, comma-separated")
        let title = Argument.text("title", default: "MyoShell report", help: "the report's title")
        return
        PluginCommand(spec: CommandSpec(
            name: "report", abstract: "Write a report (Markdown, or self-contained HTML) of chosen tables, figures and methods",
            discussion: """
            Collects the tables named by tables= (comma-separated; default: every table of the session, by name), \
            the picture files named by figures= (PNG or SVG, as written by plot ... to FILE) and the methods \
            paragraphs of the objects named by methods= (see methods). Markdown links the figures by the paths \
            given; HTML embeds them (base64 data URIs), so the one file can be sent to a physiotherapist or a \
            coach. Numbers print as in the shell (6 significant digits) with units in the headers; no date or \
            machine details, so the same session writes the same report. Written atomically.
            """,
            arguments: [tablesArgument, figuresArgument, methodsArgument, title],
            destination: DestinationSpec(extensions: ["md", "html"], required: true, help: "the report file"),
            examples: ["report to session.md", "report tables=gm,team figures=fig/lr.png methods=gm title=\"Bridge set\" to bridge.html"])) { [unowned session] invocation in
            let workspace = session.workspace
            let tableNames = try invocation[tablesArgument] ?? workspace.tables.keys.sorted()
            let tables = try tableNames.map { name -> (String, ResultTable) in (name, try workspace.table(named: name)) }
            var figures: [(String, [UInt8])] = []
            for path in try invocation[figuresArgument] ?? [] {
                guard let lower = path.split(separator: ".").last?.lowercased(), lower == "png" || lower == "svg" else {
                    throw MyoError.invalidValue(argument: "figures", value: path, expected: "PNG or SVG files")
                }
                let file = try MappedFile(path: path)
                figures.append((path, withExtendedLifetime(file) { Array(file.bytes) }))
            }
            let methods = try (invocation[methodsArgument] ?? []).map { name -> (String, String) in
                guard let provenance = workspace.recordings[name]?.provenance ?? workspace.tables[name]?.provenance else {
                    throw MyoError.unknownName(kind: "object", name: name, suggestion: Suggestion.closest(to: name, in: workspace.names))
                }
                return (name, Builtins.methods(provenance, registry: session.registry))
            }
            let path = try invocation.requiredDestination
            let title = try invocation[title]
            let text = path.lowercased().hasSuffix(".html")
                ? ReportWriter.html(title: title, tables: tables, figures: figures, methods: methods)
                : ReportWriter.markdown(title: title, tables: tables, figures: figures.map(\.0), methods: methods)
            try AtomicFile.write(text, to: path)
            return [.message("wrote \(path) (\(tables.count) table\(tables.count == 1 ? "" : "s"), \(figures.count) figure\(figures.count == 1 ? "" : "s"), \(methods.count) methods paragraph\(methods.count == 1 ? "" : "s"))")]
        }
    }
}

/// Report text: Markdown, or XHTML with embedded images.
enum ReportWriter {
    static func header(_ column: TableColumn) -> String { column.unit.isEmpty ? column.name : "\(column.name) [\(column.unit)]" }

    static func markdown(title: String, tables: [(String, ResultTable)], figures: [String], methods: [(String, String)], figuresAfter: Int? = nil) -> String {
        var out = "# \(title)\n\nMade with MyoShell \(myoShellVersion).\n"
        func figureSection() {
            guard !figures.isEmpty else { return }
            out += "\n## Figures\n"
            for path in figures { out += "\n![\(path)](\(path))\n" }
        }
        for (index, (name, table)) in tables.enumerated() {
            if index == figuresAfter { figureSection() }
            out += "\n## \(name): \(table.title)\n\n| " + table.columns.map { header($0).replacingBars() }.joined(separator: " | ") + " |\n"
            out += "|" + table.columns.map { _ in " --- |" }.joined() + "\n"
            for row in table.rows { out += "| " + row.map { $0.formatted.replacingBars() }.joined(separator: " | ") + " |\n" }
            for note in table.notes { out += "\n_\(note)_\n" }
        }
        if figuresAfter.map({ $0 >= tables.count }) ?? true { figureSection() }
        for (name, text) in methods { out += "\n## Methods: \(name)\n\n\(text)" }
        return out
    }

    static func html(title: String, tables: [(String, ResultTable)], figures: [(String, [UInt8])], methods: [(String, String)], figuresAfter: Int? = nil) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head><meta charset=\"utf-8\"/><title>\(escape(title))</title>\n"
        out += "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;text-align:right}th{background:#eee}img{max-width:100%}</style>\n</head>\n<body>\n"
        out += "<h1>\(escape(title))</h1>\n<p>Made with MyoShell \(myoShellVersion).</p>\n"
        func figureSection() {
            if !figures.isEmpty { out += "<h2>Figures</h2>\n" }
            for (path, bytes) in figures {
                let type = path.lowercased().hasSuffix(".svg") ? "image/svg+xml" : "image/png"
                out += "<figure><img src=\"data:\(type);base64,\(Base64.encode(bytes))\" alt=\"\(escape(path))\"/><figcaption>\(escape(path))</figcaption></figure>\n"
            }
        }
        for (index, (name, table)) in tables.enumerated() {
            if index == figuresAfter { figureSection() }
            out += "<h2 id=\"\(escape(name))\">\(escape(name)): \(escape(table.title))</h2>\n<table>\n<thead><tr>" + table.columns.map { "<th>\(escape(header($0)))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for row in table.rows { out += "<tr>" + row.map { "<td>\(escape($0.formatted))</td>" }.joined() + "</tr>\n" }
            out += "</tbody>\n</table>\n"
            for note in table.notes { out += "<p><em>\(escape(note))</em></p>\n" }
        }
        if figuresAfter.map({ $0 >= tables.count }) ?? true { figureSection() }
        for (name, text) in methods {
            out += "<h2>Methods: \(escape(name))</h2>\n" + text.split(separator: "\n\n", omittingEmptySubsequences: true).map { "<p>\(escape(String($0)).replacingNewlines())</p>" }.joined(separator: "\n") + "\n"
        }
        return out + "</body>\n</html>\n"
    }

    static func escape(_ text: String) -> String { text.markupEscaped }
}

/// RFC 4648 base64, for images embedded in HTML reports.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="), UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    fileprivate func replacingBars() -> String { String(map { $0 == "|" ? "/" : $0 }) }
    fileprivate func replacingNewlines() -> String { split(separator: "\n").joined(separator: "<br/>") }
}
