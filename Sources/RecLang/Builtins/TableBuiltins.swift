import Foundation
import RecCore

/// Tables: building, slicing, sorting, filtering, grouping, joining, writing. Thin bindings onto
/// RecCore's `Table`.
enum TableBuiltins {
    static func table(_ a: Arguments, _ name: String) throws -> Table {
        let v = try a.any(name)
        switch v {
        case .native(let o as TableObject): return o.table
        case .native(let o as DatasetObject): return o.data.asTable()
        default: throw a.typeError(name, expected: "a Table", got: v)
        }
    }

    static func wrap(_ t: Table) -> Value { .native(TableObject(t)) }

    /// A list of column names from a String or a List of Strings.
    static func names(_ a: Arguments, _ name: String) throws -> [String] {
        let v = try a.any(name)
        if case .string(let s) = v { return [s] }
        return try a.strings(name)
    }

    static func cells(_ values: [Value], _ a: Arguments, column: String) throws -> [TableValue] {
        try values.map { v in
            guard let c = TableObject.cell(v) else {
                throw a.error("column '\(column)': \(v.aTypeName) cannot be a table cell (numbers, strings, booleans and nil can)", kind: .type)
            }
            return c
        }
    }

    /// Builds a table from a map of columns, or from a list of maps or records (one per row).
    static func build(_ v: Value, _ a: Arguments) throws -> Table {
        switch v {
        case .native(let o as TableObject): return o.table
        case .native(let o as DatasetObject): return o.data.asTable()
        case .map(let m):
            var pairs: [(String, Column)] = []
            for i in 0..<m.count {
                guard case .string(let name) = m.keys[i] else { throw a.error("table(): column names must be Strings", kind: .type) }
                let items = try CollectionBuiltins.items(m.values[i], a, name)
                pairs.append((name, try Column(values: try cells(items, a, column: name), type: nil, name: name)))
            }
            return try Table(pairs)
        case .list(let l):
            var records: [[(String, TableValue)]] = []
            records.reserveCapacity(l.items.count)
            for (i, row) in l.items.enumerated() {
                switch row {
                case .map(let m):
                    var r: [(String, TableValue)] = []
                    for j in 0..<m.count {
                        guard case .string(let name) = m.keys[j] else { throw a.error("table(): row \(i) has a non-String key", kind: .type) }
                        r.append((name, try cells([m.values[j]], a, column: name)[0]))
                    }
                    records.append(r)
                case .record(let rec):
                    records.append(try zip(rec.names, rec.values).map { ($0.0, try cells([$0.1], a, column: $0.0)[0]) })
                default:
                    throw a.error("table(): row \(i) is \(row.aTypeName); rows must be maps or records", kind: .type)
                }
            }
            return try Table(records: records)
        default:
            throw a.typeError("source", expected: "a Map of columns, a List of rows, a Dataset or a Table", got: v)
        }
    }

    static func register(into r: BuiltinRegistry) {
        let cat = "Tables"
        r.register([
            BuiltinSpec("table", [.required("source")], returns: "Table", category: cat,
                        doc: """
                        Makes a table from a map of columns (table(["user": ["a", "b"], "n": [3, 5]])), a list of rows (maps or records), or a dataset (its interactions as columns user, item, value, timestamp, event, channel).
                        """) { a in wrap(try build(try a.any("source"), a)) },
            BuiltinSpec("head", [.required("table", "Table"), .optional("n", "Int", default: .int(5), range: 0...Int.max)], returns: "Table", category: cat,
                        doc: "The first n rows.") { a in wrap(try table(a, "table").head(max(0, try a.int("n")))) },
            BuiltinSpec("tail", [.required("table", "Table"), .optional("n", "Int", default: .int(5), range: 0...Int.max)], returns: "Table", category: cat,
                        doc: "The last n rows.") { a in wrap(try table(a, "table").tail(max(0, try a.int("n")))) },
            BuiltinSpec("select", [.required("table", "Table"), .required("columns")], returns: "Table", category: cat,
                        doc: "The named columns, in the order given: select(t, [\"user\", \"score\"]).") { a in
                wrap(try table(a, "table").select(try names(a, "columns")))
            },
            BuiltinSpec("sort_by", [.required("table", "Table"), .required("columns"), .optional("descending", "Bool", default: .bool(false))],
                        returns: "Table", category: cat,
                        doc: "Rows sorted by one column or several (stable; nil and nan last). sort_by(t, \"score\", descending: true).") { a in
                let desc = try a.bool("descending")
                return wrap(try table(a, "table").sorted(by: try names(a, "columns").map { SortKey($0, ascending: !desc) }))
            },
            BuiltinSpec("filter_rows", [.required("table", "Table"), .required("keep", "Function")], returns: "Table", category: cat,
                        doc: "The rows for which keep(row) is true; the row is a map from column name to value. `filter(t, f)` calls this for tables.") { a in
                let t = try table(a, "table"), keep = try a.function("keep")
                let obj = TableObject(t)
                var mask = [Bool](repeating: false, count: t.rowCount)
                for i in 0..<t.rowCount {
                    let r = try a.call(keep, [obj.rowMap(i)])
                    guard case .bool(let b) = r else { throw a.error("filter_rows(): keep must return a Bool, got \(r.typeName)", kind: .type) }
                    mask[i] = b
                }
                return wrap(try t.filter(mask: mask))
            },
            BuiltinSpec("summarize", [.required("table", "Table"), .optional("by"), .required("aggregates", "Map")], returns: "Table", category: cat,
                        doc: """
                        Groups rows by the `by` columns and computes one row per group. Each aggregate maps an output name to "count", or to "fn(column)" with fn one of count, sum, mean, min, max, std, first, n_unique.
                        Example: summarize(t, by: "gender", aggregates: ["users": "n_unique(user)", "avg": "mean(rating)"])
                        """) { a in
                let t = try table(a, "table")
                let keys = a.has("by") ? try names(a, "by") : []
                let m = try a.map("aggregates")
                var aggs: [Aggregate] = []
                for i in 0..<m.count {
                    guard case .string(let out) = m.keys[i], case .string(let spec) = m.values[i] else {
                        throw a.error("summarize(): aggregates map output names to Strings like \"mean(rating)\"", kind: .type)
                    }
                    aggs.append(try aggregate(spec, as: out, a))
                }
                return wrap(try t.groupBy(keys, aggs))
            },
            BuiltinSpec("read_table", [.required("path", "String"), .optional("sep", "String", default: .string("auto")),
                                      .optional("header", "Bool"), .optional("columns", "List"),
                                      .optional("encoding", "String", default: .string("utf-8"))], returns: "Table", category: cat,
                        doc: """
                        Reads a CSV/TSV file (gzip accepted) into a table: quoted fields may hold separators and line breaks; column types
                        are inferred (Int, Float, String); an empty field is nil. sep: "auto" guesses tab, comma, ; or |.
                        header: whether the first line names the columns (default true, or false when columns: is given); without names the
                        columns are column1, column2 …. columns: names the columns of a headerless file, or with header: true replaces the
                        header's names; every line must have that many fields. encoding: "utf-8" (default) or "latin-1" (also "latin1",
                        "iso-8859-1"). Warns when a first line taken as the header holds numbers (it is probably data) and when there are no
                        data rows. For item catalogues, user profiles (see with_attributes) or another system's recommendations.
                        Example: read_table("ml-100k/u.user", sep: "|", columns: ["user", "age", "gender", "occupation", "zip"])
                        """) { a in
                let headerGiven = try DataBuiltins.header(a)
                let o = CSVReadOptions(separator: try a.string("sep"), header: headerGiven, columns: try DataBuiltins.columnNames(a),
                                       encoding: try DataBuiltins.encoding(a))
                let (t, report) = try DataBuiltins.rethrow(a) { try Table.readDelimitedReporting(try a.path("path"), options: o) }
                DataBuiltins.reportLoad(report, a, headerGiven: headerGiven != nil)
                return wrap(t)
            },
            BuiltinSpec("merge", [.required("left", "Table"), .required("right", "Table"), .required("on"),
                                 .optional("kind", "String", default: .string("inner")), .optional("suffix", "String", default: .string("_right"))],
                        returns: "Table", category: cat,
                        doc: "Joins two tables on key columns (like SQL JOIN or pandas merge); kind is \"inner\" or \"left\". Clashing right-hand column names get `suffix`.") { a in
                guard let kind = JoinKind(rawValue: try a.string("kind")) else { throw a.error("merge(): kind must be \"inner\" or \"left\"") }
                return wrap(try table(a, "left").join(try table(a, "right"), on: try names(a, "on"), kind: kind, suffix: try a.string("suffix")))
            },
            BuiltinSpec("add_column", [.required("table", "Table"), .required("name", "String"), .required("values")], returns: "Table", category: cat,
                        doc: "A copy with a new (or replaced) column: `values` is a list, or a function of the row map.") { a in
                let t = try table(a, "table"), name = try a.string("name"), v = try a.any("values")
                var items: [Value]
                switch v {
                case .closure, .builtin:
                    let obj = TableObject(t)
                    items = try (0..<t.rowCount).map { try a.call(v, [obj.rowMap($0)]) }
                default:
                    items = try CollectionBuiltins.items(v, a, "values")
                }
                guard items.count == t.rowCount else { throw a.error("add_column(): \(items.count) values for \(t.rowCount) rows") }
                let column = try Column(values: try cells(items, a, column: name), type: nil, name: name)
                return wrap(t.hasColumn(name) ? try t.setting(name, column) : try t.adding(name, column))
            },
            BuiltinSpec("rename", [.required("table", "Table"), .required("from", "String"), .required("to", "String")], returns: "Table", category: cat,
                        doc: "A copy with column `from` renamed to `to`.") { a in
                wrap(try table(a, "table").renamed(try a.string("from"), to: try a.string("to")))
            },
            BuiltinSpec("concat", [.required("tables", "List")], returns: "Table", category: cat,
                        doc: "Stacks tables with the same columns vertically.") { a in
                let ts = try a.list("tables").items.map { v -> Table in
                    guard case .native(let o as TableObject) = v else { throw a.typeError("tables", expected: "a List of Tables", got: v) }
                    return o.table
                }
                return wrap(try Table.concat(ts))
            },
            BuiltinSpec("to_csv", [.required("table", "Table"), .optional("path", "String"), .optional("sep", "String", default: .string(","))],
                        returns: "String", category: cat,
                        doc: "The table as CSV text; with `path`, written to that file (and the path returned).") { a in
                let sep = try a.string("sep")
                guard sep.count == 1, let ch = sep.first else { throw a.error("to_csv(): sep must be one character") }
                let text = try table(a, "table").csv(CSVWriteOptions(delimiter: ch))
                guard a.has("path") else { return .string(text) }
                let path = try a.path("path", writing: true)
                do { try text.write(toFile: path, atomically: true, encoding: .utf8) }
                catch { throw a.error("to_csv(): cannot write \(path): \(error.localizedDescription)", kind: .io) }
                return .string(path)
            },
        ])
    }

    /// Parses "count" or "fn(column)".
    static func aggregate(_ spec: String, as name: String, _ a: Arguments) throws -> Aggregate {
        let s = spec.replacingOccurrences(of: " ", with: "")
        if s == "count" || s == "count()" { return .count(as: name) }
        guard let open = s.firstIndex(of: "("), s.hasSuffix(")") else {
            throw a.error("summarize(): cannot read aggregate \"\(spec)\"; write \"count\" or \"fn(column)\"")
        }
        let fnName = String(s[..<open]), column = String(s[s.index(after: open)..<s.index(before: s.endIndex)])
        let known = AggregateFunction.allCases.map(\.rawValue)
        guard let f = AggregateFunction(rawValue: fnName) else {
            throw a.error("summarize(): unknown aggregate '\(fnName)' (known: \(known.joined(separator: ", ")))")
        }
        return Aggregate(f, column.isEmpty ? nil : column, as: name)
    }
}
