import Foundation
import RecCore

/// Getting behaviour data in: delimited files, MovieLens, JSON Lines, SQLite, and the embedded
/// synthetic generator; and describing it. Thin bindings onto RecCore's loaders.
enum DataBuiltins {
    static func dataset(_ a: Arguments, _ name: String) throws -> Interactions {
        let v = try a.any(name)
        guard case .native(let o as DatasetObject) = v else { throw a.typeError(name, expected: "a Dataset", got: v) }
        return o.data
    }

    static func wrap(_ d: Interactions, report: LoadReport? = nil) -> Value { .native(DatasetObject(d, report: report)) }

    /// Turns core errors into Rec errors that keep their `file:line: reason` text; the core's
    /// advice, in Swift terms, becomes advice in this builtin's terms.
    static func rethrow<T>(_ a: Arguments, _ body: () throws -> T) throws -> T {
        do { return try body() }
        catch let e as RecError { throw e }
        catch is Cancelled { throw a.interrupted() }
        catch var e as DataError {
            if let f = e.missingField { e.hint = advice(naming: f, a) }
            throw a.error(e.description, kind: e.kind == .io ? .io : .value)
        }
        catch { throw a.error("\(a.spec.name)(): \(error)") }
    }

    /// How to tell this builtin where field `f` is, if it can be told.
    static func advice(naming f: InteractionField, _ a: Arguments) -> String? {
        let param = f == .value ? "rating" : f.rawValue
        guard a.spec.params.contains(where: { $0.name == param }) else { return nil }
        if a.spec.params.contains(where: { $0.name == "columns" }) {
            return "name it with \(param): (a column name or 0-based position), or name the file's columns with columns: [...]"
        }
        return "name its key with \(param): (a dotted path for a nested one)"
    }

    /// Says how many lines a lenient load skipped, with the first few, as a warning: skipping is
    /// never silent.
    static func reportSkips(_ report: LoadReport, _ a: Arguments) {
        guard report.skippedCount > 0 else { return }
        var msg = "\(report.path): skipped \(report.skippedCount) malformed line\(report.skippedCount == 1 ? "" : "s") of \(report.lines)"
        for s in report.skipped.prefix(5) { msg += "\n  line \(s.line): \(s.reason): \(s.text)" }
        if report.skippedCount > 5 { msg += "\n  …" }
        a.interpreter.warn(msg, at: a.location)
    }

    /// What a read left worth knowing beyond skipped lines: a header line that looks like data
    /// (when the caller did not say `header:`) and a file with no data rows.
    static func reportLoad(_ report: LoadReport, _ a: Arguments, headerGiven: Bool) {
        reportSkips(report, a)
        let name = a.spec.name
        if !headerGiven, let header = report.header, !report.numericHeaderFields.isEmpty {
            let which = report.numericHeaderFields.count == header.count ? "all fields are numbers"
                : report.numericHeaderFields.map { "\"\($0)\"" }.joined(separator: ", ") + (report.numericHeaderFields.count == 1 ? " is a number" : " are numbers")
            a.interpreter.warn("\(name)(): the first line of \(report.path) looks like data, not column names (\(which)); "
                               + "pass header: false or columns: [...], or header: true to keep it as the header", at: a.location)
        }
        if report.rows == 0 {
            let why = report.skippedCount > 0 ? "every line was skipped" : report.header != nil ? "only a header" : "no lines"
            a.interpreter.warn("\(name)(): \(report.path) has no data rows (\(why))", at: a.location)
        }
    }

    /// The `encoding:` argument ("utf-8", "latin-1" and their aliases).
    static func encoding(_ a: Arguments) throws -> TextEncoding {
        let s = try a.string("encoding")
        guard let e = TextEncoding(name: s) else {
            let aliases = TextEncoding.names.map(\.name).filter { $0 != "utf-8" && $0 != "latin-1" }.joined(separator: ", ")
            throw a.error("\(a.spec.name)(): encoding must be \"utf-8\" or \"latin-1\" (or \(aliases)), got \"\(s)\"")
        }
        return e
    }

    /// The `header:` argument when given (nil: the builtin's default applies).
    static func header(_ a: Arguments) throws -> Bool? {
        guard let h = a.value("header") else { return nil }
        guard case .bool(let b) = h else { throw a.typeError("header", expected: "a Bool", got: h) }
        return b
    }

    /// The `columns:` argument when given: names, none empty.
    static func columnNames(_ a: Arguments) throws -> [String]? {
        guard a.has("columns") else { return nil }
        let names = try a.strings("columns")
        guard !names.isEmpty else { throw a.error("\(a.spec.name)(): columns: is empty; name every column of the file") }
        return names
    }

    static func errorPolicy(_ a: Arguments) throws -> ErrorPolicy {
        let s = try a.string("on_error")
        guard let p = ErrorPolicy(rawValue: s) else { throw a.error("\(a.spec.name)(): on_error must be \"fail\" or \"skip\", got \"\(s)\"") }
        return p
    }

    static let fieldParams: [BuiltinParam] = InteractionField.allCases.map { .optional($0.rawValue == "value" ? "rating" : $0.rawValue) }

    static func register(into r: BuiltinRegistry) {
        let cat = "Data"
        r.register([
            BuiltinSpec("load", [.required("path", "String"), .optional("sep", "String", default: .string("auto")),
                                 .optional("header"), .optional("columns", "List")] + fieldParams
                                + [.optional("on_error", "String", default: .string("fail")), .optional("encoding", "String", default: .string("utf-8"))],
                        returns: "Dataset", category: cat,
                        doc: """
                        Loads interactions from a delimited text file (CSV, TSV, any separator; gzip accepted).
                        `sep:` is the separator ("auto" guesses tab, comma, ;, | or ::). `header:` true/false (default: guessed — a first line naming a known column such as userId, or one of `columns:`, is a header). `columns:` names the columns of a file without a header, or renames the header's (as many names as fields). `user:`, `item:`, `rating:`, `timestamp:`, `event:`, `channel:` map fields to column names or 0-based positions (default: recognised names such as userId, movieId, rating). `encoding:` "utf-8" (default) or "latin-1" (also "latin1", "iso-8859-1"). A malformed line stops the load with file:line and the text, unless on_error: "skip", which skips and reports such lines. A file with a header but no data rows gives a warning.
                        Example: load("u1.base", sep: "\\t", header: false, columns: ["user", "item", "rating", "timestamp"])
                        """) { a in
                var o = DelimitedOptions()
                o.separator = try a.string("sep")
                let headerGiven = try header(a)
                if let b = headerGiven { o.header = b ? .present : .absent }
                o.columns = try columnNames(a)
                for field in InteractionField.allCases {
                    let param = field == .value ? "rating" : field.rawValue
                    switch a.value(param) {
                    case nil: break
                    case .string(let s)?: o.mapping[field] = .name(s)
                    case .int(let i)?: o.mapping[field] = .position(i)
                    case let v?: throw a.typeError(param, expected: "a column name or position", got: v)
                    }
                }
                o.onError = try errorPolicy(a)
                o.encoding = try encoding(a)
                let result = try rethrow(a) { try DelimitedReader.load(try a.path("path"), options: o) }
                reportLoad(result.report, a, headerGiven: headerGiven != nil)
                return wrap(result.interactions, report: result.report)
            },
            BuiltinSpec("load_jsonl", [.required("path", "String")] + fieldParams + [.optional("on_error", "String", default: .string("fail"))],
                        returns: "Dataset", category: cat,
                        doc: "Loads a JSON Lines event log (one object per line). Fields map to keys (dotted paths allowed: channel: \"ctx.channel\"); by default recognised key names are used.") { a in
                var o = JSONLinesOptions()
                for field in InteractionField.allCases {
                    let param = field == .value ? "rating" : field.rawValue
                    if let s = try a.optionalString(param) { o.mapping[field] = s }
                }
                o.onError = try errorPolicy(a)
                let result = try rethrow(a) { try JSONLinesReader.load(try a.path("path"), options: o) }
                reportSkips(result.report, a)
                return wrap(result.interactions, report: result.report)
            },
            BuiltinSpec("movielens", [.required("path", "String"), .optional("on_error", "String", default: .string("fail"))],
                        returns: "Dataset", category: cat,
                        doc: "Loads a MovieLens directory (100K, 1M, 10M/20M/25M or latest layout) with its user attributes (age, gender, occupation, zip where present) and item attributes (title, genres).") { a in
                let result = try rethrow(a) { try MovieLens.load(try a.path("path"), onError: try errorPolicy(a)) }
                reportSkips(result.report, a)
                return wrap(result.interactions, report: result.report)
            },
            BuiltinSpec("movielens_split", [.required("path", "String"), .optional("name", "String", default: .string("u1"))],
                        returns: "Split", category: cat,
                        doc: "One of MovieLens-100K's published splits (u1…u5, ua, ub) as a Split whose train and test share one ID space.") { a in
                let s = try rethrow(a) { try MovieLens.loadSplit(try a.path("path"), name: try a.string("name")) }
                PrepareBuiltins.warnIfEmpty(s.report, a)
                return .native(SplitObject(s))
            },
            BuiltinSpec("train_test", [.required("train", "Dataset"), .required("test", "Dataset")], returns: "Split", category: cat,
                        doc: "Puts a separately loaded training set and test set into one ID space (e.g. u1.base and u1.test); the report counts test users and items training never saw.") { a in
                let s = Split.aligning(train: try dataset(a, "train"), test: try dataset(a, "test"))
                PrepareBuiltins.warnIfEmpty(s.report, a)
                return .native(SplitObject(s))
            },
            BuiltinSpec("from_table", [.required("table", "Table"), .optional("user", "String", default: .string("user")),
                                       .optional("item", "String", default: .string("item")), .optional("rating", "String"),
                                       .optional("timestamp", "String"), .optional("event", "String"), .optional("channel", "String")],
                        returns: "Dataset", category: cat,
                        doc: """
                        A Dataset from a table's columns (e.g. a query result): user and item name the ID columns; rating, timestamp,
                        event and channel the optional ones, which default to columns of those names (rating also to "value") when present.
                        A null ID or a non-numeric rating is an error naming the row.
                        """) { a in
                let t = try TableBuiltins.table(a, "table")
                func column(_ param: String, _ fallbacks: [String]) throws -> Column? {
                    if let name = try a.optionalString(param) {
                        guard t.hasColumn(name) else { throw a.error("from_table(): no column '\(name)' (columns: \(t.columnNames.joined(separator: ", ")))") }
                        return try t.column(name)
                    }
                    return try fallbacks.first(where: t.hasColumn).map { try t.column($0) }
                }
                func ids(_ c: Column, _ what: String) throws -> [String] {
                    try (0..<t.rowCount).map { r in
                        guard !c.isNull(r) else { throw a.error("from_table(): row \(r) has no \(what)") }
                        return c[r].description
                    }
                }
                guard let uc = try column("user", []), let ic = try column("item", []) else {
                    throw a.error("from_table(): the table needs user and item columns (it has \(t.columnNames.joined(separator: ", ")))")
                }
                let values = try column("rating", ["rating", "value"]).map { c in
                    try (0..<t.rowCount).map { r -> Double in
                        guard let d = c[r].doubleValue else { throw a.error("from_table(): row \(r) has a rating that is not a number: \(c[r])") }
                        return d
                    }
                }
                let times = try column("timestamp", ["timestamp"]).map { c in
                    try (0..<t.rowCount).map { r -> Int64 in
                        guard case .int(let x) = c[r] else { throw a.error("from_table(): row \(r) has a timestamp that is not an Int: \(c[r])") }
                        return x
                    }
                }
                let events = try column("event", ["event"]).map { try ids($0, "event") }
                let channels = try column("channel", ["channel"]).map { try ids($0, "channel") }
                return wrap(try rethrow(a) {
                    try Interactions(userIDs: try ids(uc, "user"), itemIDs: try ids(ic, "item"), values: values, timestamps: times,
                                     events: events, channels: channels)
                })
            },
            BuiltinSpec("with_attributes", [.required("data", "Dataset"), .optional("users", "Table"), .optional("items", "Table"),
                                            .optional("user_key", "String", default: .string("user")),
                                            .optional("item_key", "String", default: .string("item"))],
                        returns: "Dataset", category: cat,
                        doc: """
                        The dataset with user and/or item attributes taken from tables (e.g. read_table("items.csv")), keyed by their
                        user_key / item_key column; they replace any the data had. IDs match by text, so 7 and "7" are the same user.
                        Example: with_attributes(load("log.csv"), items: read_table("catalogue.csv"), item_key: "sku").
                        """) { a in
                var d = try dataset(a, "data")
                guard a.has("users") || a.has("items") else { throw a.error("with_attributes(): give users:, items: or both") }
                func attributes(_ param: String, _ keyParam: String) throws -> AttributeTable {
                    let t = try TableBuiltins.table(a, param), key = try a.string(keyParam)
                    guard t.hasColumn(key) else {
                        throw a.error("with_attributes(): the \(param) table has no '\(key)' column (columns: \(t.columnNames.joined(separator: ", "))); name it with \(keyParam):")
                    }
                    return try rethrow(a) { try AttributeTable(t, key: key) }
                }
                if a.has("users") { d.userAttributes = try attributes("users", "user_key") }
                if a.has("items") { d.itemAttributes = try attributes("items", "item_key") }
                return wrap(d)
            },
            BuiltinSpec("file_exists", [.required("path", "String")], returns: "Bool", category: cat,
                        doc: "Whether a file or directory exists at `path` (relative paths from the current directory), so a script can skip what needs data that may be absent: if file_exists(\"../shared/data/ml-100k/u.data\") { … }.") { a in
                .bool(FileManager.default.fileExists(atPath: try a.path("path")))
            },
            BuiltinSpec("sqlite_table", [.required("path", "String"), .required("table", "String")], returns: "Table", category: cat,
                        doc: "A whole table of any SQLite database file, opened read-only.") { a in
                TableBuiltins.wrap(try rethrow(a) { try a.interpreter.requireStorage(a.spec.name).readTable(try a.path("path"), try a.string("table")) })
            },
            BuiltinSpec("sqlite_query", [.required("path", "String"), .required("sql", "String"), .optional("params", "List")],
                        returns: "Table", category: cat,
                        doc: "Runs a read-only query on any SQLite database file; `?` placeholders are bound to `params`, never spliced into the text.") { a in
                let params = a.has("params") ? try WorkspaceBuiltins.sqlParams(try a.list("params").items, a) : []
                return TableBuiltins.wrap(try rethrow(a) { try a.interpreter.requireStorage(a.spec.name).query(try a.path("path"), try a.string("sql"), params) })
            },
            BuiltinSpec("synthetic", [.optional("users", "Int", default: .int(1000), range: 1...10_000_000), .optional("items", "Int", default: .int(500), range: 1...10_000_000),
                                      .optional("seed", "Int", default: .int(42), range: BuiltinParam.anyInt), .optional("weeks", "Int", default: .int(6), range: 1...520),
                                      .optional("sessions", "Float", default: .double(6)),
                                      .optional("minority_share", "Float", default: .double(0.12)),
                                      .optional("minority_activity", "Float", default: .double(0.35)),
                                      .optional("drift", "Float", default: .double(0))],
                        returns: "Dataset", category: cat,
                        doc: """
                        A realistic e-commerce behaviour log generated from a seed (the same seed gives the same data): users with gender, age band and region; items with category, provider, price and long-tail popularity; views, clicks, carts, purchases and ratings through app, web and store channels over `weeks` weeks.
                        Planted on purpose, for fairness and exposure analyses to find: a smaller group of users ("rural", `minority_share` of users) with less activity (`minority_activity`) and niche tastes, and a few big providers whose items get more exposure than their share of the catalogue.
                        With `drift` above 0 (up to 1) the shop changes over the weeks: item popularity rises and fades, and a share `drift / 2` of the items arrives after the first week; 0 keeps the catalogue stationary.
                        """) { a in
                let users = try a.int("users"), items = try a.int("items"), weeks = try a.int("weeks")
                let sessions = try a.double("sessions"), share = try a.double("minority_share")
                let activity = try a.double("minority_activity"), drift = try a.double("drift")
                guard sessions > 0 && sessions <= 1_000 else {
                    throw a.error("synthetic(): argument 'sessions' must be between 0 and 1000 (sessions per user), got \(sessions)")
                }
                guard share >= 0 && share <= 1 else {
                    throw a.error("synthetic(): argument 'minority_share' must be between 0 and 1, got \(share)")
                }
                guard activity > 0 && activity <= 100 else {
                    throw a.error("synthetic(): argument 'minority_activity' must be between 0 and 100, got \(activity)")
                }
                guard drift >= 0 && drift <= 1 else {
                    throw a.error("synthetic(): argument 'drift' must be between 0 and 1, got \(drift)")
                }
                let cfg = SyntheticConfig(users: users, items: items, seed: UInt64(bitPattern: Int64(try a.int("seed"))), weeks: weeks,
                                          sessionsPerUser: sessions, minorityShare: share, minorityActivity: activity, drift: drift)
                try MemoryBudget.require(SyntheticGenerator.estimatedBytes(cfg),
                                         for: "synthetic(users: \(users), items: \(items), sessions: \(sessions))")
                return wrap(SyntheticGenerator(cfg).generate())
            },
            BuiltinSpec("describe", [.required("data", "Dataset"), .optional("by"), .optional("items_by")], category: cat,
                        doc: "Shows a summary of a dataset: counts, density, values, events by type and channel, time span, activity, long-tail concentration, and users and interactions per group of each user attribute (or of the attributes named in `by:` / `items_by:`).") { a in
                let d = try dataset(a, "data")
                let by = a.has("by") ? try TableBuiltins.names(a, "by") : nil
                let itemsBy = a.has("items_by") ? try TableBuiltins.names(a, "items_by") : nil
                let summary = try rethrow(a) { try d.describe(userGroups: by, itemGroups: itemsBy) }
                a.interpreter.sink.emit(.display(DisplayData(["text/plain": summary.text.trimmingCharacters(in: .newlines)])))
                return .nil
            },
        ])
    }
}
