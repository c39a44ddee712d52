import Foundation
import XCTest
import RecLang

/// The behaviour-data builtins exercised through the language: loaders and their error
/// messages, the synthetic generator, `describe`, tables, preparation, splits and workspaces.
/// Every test runs Rec source in a fresh session (prelude loaded) on small files it writes to a
/// temporary directory; the MovieLens tests use `../shared/data/ml-100k` when it exists.
final class DataBindingTests: RecDataTestCase {

    /// Runs a program; returns its exit status, or nil when it cannot be started.
    private func runProcess(_ executable: String, _ arguments: [String]) -> Int32? {
        guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Gzips `file` with /bin/gzip (keeping the original) and returns the `.gz` path.
    private func gzip(_ file: String) throws -> String {
        let gz = ["/bin/gzip", "/usr/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let gz, runProcess(gz, ["-k", "-f", file]) == 0 else { throw XCTSkip("gzip is not available") }
        return file + ".gz"
    }

    /// Runs a Python 3 program (used to create SQLite files with Python's sqlite3).
    private func python(_ code: String) throws {
        guard runProcess("/usr/bin/env", ["python3", "-c", code]) == 0 else { throw XCTSkip("python3 with sqlite3 is not available") }
    }

    /// A small event log with duplicates, events, channels and timestamps.
    private func eventLog() throws -> String {
        try write("events.csv", """
            user,item,rating,timestamp,event,channel
            u1,i1,3,100,view,app
            u1,i1,5,200,view,web
            u1,i1,4,150,cart,app
            u2,i2,2,300,view,store
            u2,i1,5,50,purchase,web

            """)
    }

    // MARK: - load: delimited files

    func testLoadCSVWithHeader() throws {
        let p = try write("ratings.csv", "user,item,rating,timestamp\nu1,i1,4,100\nu1,i2,3.5,200\nu2,i1,5,300\n")
        assertPrints(#"""
            let d = load("\#(p)")
            print(count(d), d.users, d.items, d.has_values, d.has_timestamps)
            print(d[0])
            print(d[-1]["value"], d[-1]["timestamp"], type(d))
            print(to_csv(table(d)))
            """#, """
            3 2 2 true true
            ["user": "u1", "item": "i1", "value": 4.0, "timestamp": 100]
            5.0 300 Dataset
            user,item,value,timestamp
            u1,i1,4.0,100
            u1,i2,3.5,200
            u2,i1,5.0,300


            """)
    }

    func testLoadTSVWithoutHeaderNamingColumns() throws {
        let p = try write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n")
        assertPrints(#"""
            let d = load("\#(p)", sep: "\t", header: false, columns: ["user", "item", "rating", "timestamp"])
            print(count(d), d.users, d.items)
            print(d[2])
            # Without options: the separator is guessed and a headerless file is read as user, item, rating, timestamp.
            print(to_csv(table(load("\#(p)"))) == to_csv(table(d)))
            """#, """
            3 2 3
            ["user": 196, "item": 377, "value": 1.0, "timestamp": 878887116]
            true

            """)
    }

    func testLoadMapsFieldsByColumnName() throws {
        let p = try write("named.csv", "who;what;how_much;note\nann;book;4.5;x\nbob;pen;2;y\n")
        assertPrints(#"""
            let d = load("\#(p)", user: "who", item: "what", rating: "how_much")
            print(to_csv(table(d)))
            """#, "user,item,value\nann,book,4.5\nbob,pen,2.0\n\n")
        assertFails(#"load("\#(p)", header: true, user: "nobody")"#, ["\(p):", "no column named 'nobody' for user", "\"who\""])
    }

    func testLoadMapsFieldsByPosition() throws {
        let p = try write("pos.txt", "x|ann|book|4\ny|bob|pen|2\n")
        assertPrints(#"""
            let d = load("\#(p)", sep: "|", header: false, user: 1, item: 2, rating: 3)
            print(to_csv(table(d)))
            # "_" in columns: marks a column to ignore.
            let e = load("\#(p)", sep: "|", header: false, columns: ["_", "user", "item", "rating"])
            print(to_csv(table(e)) == to_csv(table(d)))
            """#, "user,item,value\nann,book,4.0\nbob,pen,2.0\n\ntrue\n")
        assertFails(#"load("\#(p)", sep: "|", header: false, user: 1, item: 9)"#, ["\(p):", "item column position 9 is out of range"])
    }

    func testLoadQuotedFieldsAndCRLF() throws {
        let p = try write("quoted.csv", "user,item,rating\r\n\"a,b\",i1,4\r\n\"q\"\"x\",i2,3\r\n")
        assertPrints(#"""
            let t = table(load("\#(p)"))
            print(t["user"], t["item"], t["value"])
            """#, #"["a,b", "q\"x"] ["i1", "i2"] [4.0, 3.0]"# + "\n")
    }

    func testLoadGzip() throws {
        let p = try write("log.csv", "user,item,rating,timestamp\nu1,i1,4,100\nu2,i2,3,200\nu3,i1,5,300\n")
        let gz = try gzip(p)
        XCTAssertTrue(FileManager.default.fileExists(atPath: gz))
        assertPrints(#"""
            let plain = load("\#(p)")
            let packed = load("\#(gz)")
            print(count(packed), to_csv(table(packed)) == to_csv(table(plain)))
            """#, "3 true\n")
    }

    func testLoadLatin1Encoding() throws {
        let p = try write("latin1.csv", bytes: Array("user,item,rating\nJos".utf8) + [0xE9] + Array(",i1,4\n".utf8))
        assertPrints(#"print(table(load("\#(p)", encoding: "latin1"))["user"])"#, "[\"José\"]\n")
        assertFails(#"load("\#(p)", encoding: "cp1252")"#, ["load(): encoding must be \"utf-8\" or \"latin-1\"", "iso-8859-1", "got \"cp1252\""])
    }

    // MARK: - load: bad input

    /// Runs `call` on line 2 of a chunk and checks the Rec error: positioned at the call, with a
    /// message carrying each fragment (the file, the line, the reason, the offending text).
    private func assertLoadError(_ call: String, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        guard let e = assertFails("let before = 1\n" + call + "\n", fragments, file: file, line: line) else { return }
        XCTAssertEqual(e.location.line, 2, "the error points at the load call", file: file, line: line)
        XCTAssertTrue(e.headline.hasPrefix("t.rec:2:"), e.headline, file: file, line: line)
    }

    func testWrongFieldCountNamesFileLineAndText() throws {
        let p = try write("short.csv", "user,item,rating,timestamp\nu1,i1,4,100\nu2,i2\nu3,i3,5,300\n")
        assertLoadError(#"load("\#(p)")"#, ["\(p):3:", "expected 4 fields, found 2", "u2,i2"])
    }

    func testUnparsableNumberNamesFileLineAndText() throws {
        let p = try write("nan.csv", "user,item,rating\nu1,i1,4\nu2,i2,4\nu3,i3,abc\n")
        assertLoadError(#"load("\#(p)")"#, ["\(p):4:", "unparsable number 'abc' in column 'rating'", "u3,i3,abc"])
    }

    func testUnterminatedQuoteNamesFileLineAndText() throws {
        let p = try write("quote.csv", "user,item,rating\nu1,i1,4\nu4,\"i4,5\nu5,i5,3\n")
        assertLoadError(#"load("\#(p)")"#, ["\(p):3:", "unterminated quoted field", "u4,\"i4,5"])
    }

    func testInvalidUTF8NamesFileLineAndText() throws {
        let p = try write("utf8.csv", bytes: Array("user,item,rating\nu1,i1,4\nu5,caf".utf8) + [0xFF, 0xFE] + Array(",3\n".utf8))
        assertLoadError(#"load("\#(p)")"#, ["\(p):3:", "invalid UTF-8", "u5,caf"])
    }

    /// A malformed first line in a file read with `header: false` (and no `columns:`) must be
    /// reported like any other malformed line, with its line number and text.
    func testMalformedFirstLineWithoutHeaderIsReportedAtLine1() throws {
        let quote = try write("firstquote.csv", "u1,\"i1\nu2,i2\n")
        assertLoadError(#"load("\#(quote)", header: false)"#, ["\(quote):1:", "unterminated quoted field", "u1,\"i1"])
        let utf = try write("firstutf8.csv", bytes: Array("u1,caf".utf8) + [0xFF] + Array("\nu2,i2\n".utf8))
        assertLoadError(#"load("\#(utf)", header: false)"#, ["\(utf):1:", "invalid UTF-8", "u1,caf"])
    }

    func testEmptyFile() throws {
        let p = try write("empty.csv", "")
        assertLoadError(#"load("\#(p)")"#, ["\(p): file is empty"])
        let blank = try write("blank.csv", "\n  \n\n")
        assertLoadError(#"load("\#(blank)")"#, ["\(blank): file has no data (only blank lines)"])
    }

    func testMissingFile() throws {
        let p = path("nowhere.csv")
        assertLoadError(#"load("\#(p)")"#, ["\(p): no such file"])
        assertLoadError(#"load("\#(dir.path)")"#, ["\(dir.path): is a directory, not a file"])
    }

    func testBinaryFile() throws {
        let p = try write("binary.csv", bytes: [0x75, 0x31, 0x2C, 0x00, 0x01, 0x02, 0x0A])
        assertLoadError(#"load("\#(p)")"#, ["\(p): binary file (NUL byte at offset 3)"])
    }

    func testBadOptionsAreRecErrors() throws {
        let p = try write("ok.csv", "user,item\na,b\n")
        assertFails(#"load("\#(p)", on_error: "ignore")"#, ["load(): on_error must be \"fail\" or \"skip\", got \"ignore\""])
        assertFails(#"load("\#(p)", header: "yes")"#, ["'header' must be a Bool"])
        assertFails(#"load("\#(p)", user: 1.5)"#, ["'user' must be a column name or position"])
    }

    func testSkipWarnsWithCountAndFirstLines() throws {
        let p = try write("mixed.csv", "user,item,rating\nu1,i1,4\nu2,i2\nu3,i3,5\nu4,i4,abc\nu5,i5,2\n")
        let o = ok(#"""
            let d = load("\#(p)", on_error: "skip")
            print(count(d), d.users)
            """#)
        XCTAssertEqual(o.printed, "3 3\n")
        XCTAssertEqual(o.warnings, ["""
            \(p): skipped 2 malformed lines of 6
              line 3: expected 3 fields, found 2: u2,i2
              line 5: unparsable number 'abc' in column 'rating': u4,i4,abc
            """])
        // The warning points at the load call.
        XCTAssertTrue(o.transcript.hasPrefix("t.rec:1:"), o.transcript)
    }

    func testSkipWarningListsAtMostFiveLines() throws {
        var text = "user,item,rating\n"
        for i in 1...7 { text += "u\(i),i\(i)\n" }
        text += "u9,i9,1\n"
        let p = try write("many.csv", text)
        let o = ok(#"print(count(load("\#(p)", on_error: "skip")))"#)
        XCTAssertEqual(o.printed, "1\n")
        XCTAssertEqual(o.warnings.count, 1)
        let w = o.warnings.first ?? ""
        XCTAssertTrue(w.hasPrefix("\(p): skipped 7 malformed lines of 9\n  line 2: expected 3 fields, found 2: u1,i1\n"), w)
        XCTAssertTrue(w.contains("line 6:"), w)
        XCTAssertFalse(w.contains("line 7:"), w)
        XCTAssertTrue(w.hasSuffix("\n  …"), w)
    }

    func testCleanLoadHasNoWarning() throws {
        let p = try write("clean.csv", "user,item\na,b\n")
        XCTAssertEqual(ok(#"load("\#(p)", on_error: "skip")"#).warnings, [])
    }

    // MARK: - load_jsonl

    func testLoadJSONLines() throws {
        let p = try write("events.jsonl", """
            {"user": "a", "item": "x", "rating": 4, "timestamp": 100, "event": "view", "ctx": {"channel": "app"}}
            {"user": "b", "item": 7, "timestamp": "2024-01-02T00:00:00Z", "event": "cart", "ctx": {"channel": "web"}}

            """)
        assertPrints(#"""
            let d = load_jsonl("\#(p)", channel: "ctx.channel")
            print(count(d), d.events, d.channels)
            print(d[0])
            print(d[1])
            print(load_jsonl("\#(p)").channels)
            """#, """
            2 ["view", "cart"] ["app", "web"]
            ["user": "a", "item": "x", "value": 4.0, "timestamp": 100, "event": "view", "channel": "app"]
            ["user": "b", "item": "7", "value": 1.0, "timestamp": 1704153600, "event": "cart", "channel": "web"]
            []

            """)
    }

    func testLoadJSONLinesErrors() throws {
        let p = try write("bad.jsonl", "{\"user\": \"a\", \"item\": \"x\"}\n{\"user\": \"b\", \"item\": \n[1, 2]\n{\"user\": \"c\", \"item\": \"z\"}\n")
        assertLoadError(#"load_jsonl("\#(p)")"#, ["\(p):2:", "invalid JSON", "{\"user\": \"b\", \"item\":"])
        let o = ok(#"print(count(load_jsonl("\#(p)", on_error: "skip")))"#)
        XCTAssertEqual(o.printed, "2\n")
        XCTAssertEqual(o.warnings.count, 1)
        let w = o.warnings.first ?? ""
        XCTAssertTrue(w.hasPrefix("\(p): skipped 2 malformed lines of 4"), w)
        XCTAssertTrue(w.contains("line 3: expected a JSON object"), w)
        let missing = try write("nouser.jsonl", "{\"who\": \"a\", \"item\": \"x\"}\n")
        // The advice names load_jsonl's own parameter, not the Swift API's `mapping`.
        assertLoadError(#"load_jsonl("\#(missing)")"#,
                        ["\(missing):1: no user field found (keys: item, who); name its key with user: (a dotted path for a nested one)"])
        assertLoadError(#"load_jsonl("\#(path("none.jsonl"))")"#, ["none.jsonl: no such file"])
    }

    // MARK: - SQLite files

    private func makeSQLite() throws -> String {
        let p = path("ext.db")
        try python("""
            import sqlite3
            c = sqlite3.connect(\(p.debugDescription))
            c.execute("create table ratings (user TEXT, item TEXT, rating REAL, liked BOOLEAN)")
            c.executemany("insert into ratings values (?, ?, ?, ?)",
                          [("O'Brien", "i1", 4.5, 1), ("ann", "i2", 3, 0), ("bob", "i1", None, 1)])
            c.commit()
            """)
        return p
    }

    func testSQLiteTable() throws {
        let p = try makeSQLite()
        assertPrints(#"""
            let t = sqlite_table("\#(p)", "ratings")
            print(count(t), t.columns)
            print(t.schema)
            print(t["user"], t["rating"], t["liked"])
            """#, """
            3 ["user", "item", "rating", "liked"]
            [(name: "user", type: "string"), (name: "item", type: "string"), (name: "rating", type: "double"), (name: "liked", type: "bool")]
            ["O'Brien", "ann", "bob"] [4.5, 3.0, nil] [true, false, true]

            """)
        assertFails(#"sqlite_table("\#(p)", "nope")"#, ["no table or view named \"nope\"", "it has: ratings"])
    }

    func testSQLiteQueryBindsParameters() throws {
        let p = try makeSQLite()
        assertPrints(#"""
            let t = sqlite_query("\#(p)", "select user, rating from ratings where user = ?", ["O'Brien"])
            print(count(t), t[0])
            # A parameter is a value, never SQL: this matches nothing.
            print(count(sqlite_query("\#(p)", "select * from ratings where user = ?", ["x' or '1'='1"])))
            print(sqlite_query("\#(p)", "select count(*) as n from ratings where item = ? and rating > ?", ["i1", 4])["n"])
            """#, """
            1 ["user": "O'Brien", "rating": 4.5]
            0
            [1]

            """)
        assertFails(#"sqlite_query("\#(p)", "delete from ratings")"#, ["only read-only statements"])
        assertPrints(#"print(count(sqlite_table("\#(p)", "ratings")))"#, "3\n")
        assertFails(#"sqlite_query("\#(p)", "select ?", [[1]])"#, ["a List cannot be a query parameter"])
    }

    // MARK: - synthetic and describe

    func testSyntheticIsDeterministic() {
        assertPrints("""
            let a = to_csv(table(synthetic(users: 60, items: 30, seed: 5)))
            let b = to_csv(table(synthetic(users: 60, items: 30, seed: 5)))
            let c = to_csv(table(synthetic(users: 60, items: 30, seed: 6)))
            print(a == b, a == c, count(split(a, "\\n")) > 100)
            let d1 = synthetic(users: 60, items: 30, seed: 5)
            let d2 = synthetic(users: 60, items: 30, seed: 5)
            print(to_csv(d1.user_attributes) == to_csv(d2.user_attributes), to_csv(d1.item_attributes) == to_csv(d2.item_attributes))
            """, "true false true\ntrue true\n")
    }

    func testSyntheticShape() {
        assertPrints("""
            for seed in [1, 2, 3] {
              let d = synthetic(users: 200, items: 80, seed: seed)
              let n = [:]
              for r in summarize(table(d), by: "event", aggregates: ["n": "count"]) { n[r["event"]] = r["n"] }
              assert(n["view"] > 5 * n["cart"], "views >> carts: \\(n)")
              assert(n["cart"] > 1.3 * n["purchase"], "carts >> purchases: \\(n)")
              assert(n["purchase"] > 0, "some purchases: \\(n)")
              # Planted bias: rural users are much less active than the others.
              let per_user = merge(summarize(table(d), by: "user", aggregates: ["n": "count"]), d.user_attributes, on: "user")
              let rural = filter(per_user, { r in r["region"] == "rural" })["n"]
              let others = filter(per_user, { r in r["region"] != "rural" })["n"]
              assert(mean(rural) < 0.6 * mean(others), "rural users are less active")
            }
            let d = synthetic(users: 50, items: 20)
            print(sorted(d.events))
            print(sorted(d.channels))
            print(d.user_attributes.columns, d.item_attributes.columns)
            print(d.users, d.items <= 20, d.has_values, d.has_timestamps)
            """, """
            ["cart", "click", "purchase", "rating", "search", "view"]
            ["app", "store", "web"]
            ["user", "gender", "age_band", "region"] ["item", "category", "provider", "provider_size", "price"]
            50 true true true

            """)
        assertFails("synthetic(users: 0)", ["synthetic(): argument 'users' must be between 1 and 10000000, got 0"])
        assertFails("synthetic(drift: 1.5)", ["synthetic(): argument 'drift' must be between 0 and 1, got 1.5"])
        assertFails("synthetic(drift: -0.1)", ["synthetic(): argument 'drift' must be between 0 and 1, got -0.1"])
    }

    func testDescribeShowsEverySection() {
        let o = ok("""
            let d = synthetic(users: 80, items: 40, seed: 2)
            let r = describe(d)
            print(r == nil)
            describe(d, by: "region", items_by: ["provider_size"])
            """)
        XCTAssertEqual(o.printed, "true\n")
        XCTAssertEqual(o.displayed.count, 2)
        let full = o.displayed.first ?? ""
        for section in ["interactions  ", "users              80  (80 with interactions)", "items  ", "user-item pairs", "density",
                        "values: mean", "value distribution:", "events:", "  view ", "  cart ", "  purchase ",
                        "channels:", "  app ", "time span: 2024-01-01 to 2024-02-", "interactions per user: mean",
                        "interactions per item: mean", "long tail: top 1% of items hold", "Gini",
                        "users by gender:", "users by age_band:", "users by region:", "  rural ",
                        "interactions by item category:", "interactions by item provider:",
                        "interactions by item provider_size:"] {
            XCTAssertTrue(full.contains(section), "describe lacks \(section.debugDescription):\n\(full)")
        }
        let chosen = o.displayed.last ?? ""
        XCTAssertTrue(chosen.contains("users by region:"), chosen)
        XCTAssertFalse(chosen.contains("users by gender:"), chosen)
        XCTAssertTrue(chosen.contains("interactions by item provider_size:"), chosen)
        XCTAssertFalse(chosen.contains("interactions by item category:"), chosen)
        assertFails(#"describe(synthetic(users: 5, items: 5), by: "nosuch")"#, ["no user attribute 'nosuch'", "gender, age_band, region"])
    }

    func testDatasetMembers() throws {
        let p = try eventLog()
        assertPrints(#"""
            let d = load("\#(p)")
            print(d.count, d.users, d.items, d.events, d.channels, d.has_values, d.has_timestamps)
            print(d.density, d.user_attributes, d[4])
            print(d)
            """#, """
            5 2 2 ["view", "cart", "purchase"] ["app", "web", "store"] true true
            0.75 nil ["user": "u2", "item": "i1", "value": 5.0, "timestamp": 50, "event": "purchase", "channel": "web"]
            Dataset(5 interactions · 2 users · 2 items · events: view, cart, purchase · channels: app, web, store · with values · with timestamps)

            """)
        assertFails(#"load("\#(p)")[5]"#, ["interaction 5 out of range (count is 5)"])
    }

    // MARK: - Tables

    private let people = #"table(["user": ["a", "b", "c", "d"], "n": [3, 5, 4, 5], "x": [1.5, 2.0, nil, 4.0]])"#

    func testTableFromColumnsIndexingAndIteration() {
        assertPrints("""
            let t = \(people)
            print(type(t), count(t), t.count, t.columns)
            print(t.schema)
            print(t["n"], t.user)
            print(t[0])
            print(t[-1])
            let s = t[1..<3]
            print(type(s), count(s), s["user"], t[1...2]["user"])
            var total = 0
            for row in t { total += row["n"] }
            print(total)
            """, """
            Table 4 4 ["user", "n", "x"]
            [(name: "user", type: "string"), (name: "n", type: "int"), (name: "x", type: "double")]
            [3, 5, 4, 5] ["a", "b", "c", "d"]
            ["user": "a", "n": 3, "x": 1.5]
            ["user": "d", "n": 5, "x": 4.0]
            Table 2 ["b", "c"] ["b", "c"]
            17

            """)
        assertFails("\(people)[\"nosuch\"]", ["unknown column \"nosuch\" (columns: user, n, x)"])
        assertFails("\(people)[4]", ["row 4 out of range (the table has 4 rows)"])
        assertFails("\(people)[2..<9]", ["rows 2..<9 out of range (the table has 4 rows)"])
        assertFails(#"table(["a": [1, 2], "b": [1]])"#, ["length mismatch"])
        assertFails(#"table(["a": [[1]]])"#, ["a List cannot be a table cell"])
    }

    func testTableFromRows() {
        assertPrints("""
            let t = table([["user": "a", "age": 30], (user: "b", age: 41.5), ["user": "c", "city": "Oslo"]])
            print(t.columns, t.schema[1].type)
            print(t["age"], t["city"])
            print(count(table([])), table(table(["z": [1]]))["z"])
            """, """
            ["user", "age", "city"] double
            [30.0, 41.5, nil] [nil, nil, "Oslo"]
            0 [1]

            """)
        assertFails("table([1, 2])", ["row 0 is an Int; rows must be maps or records"])
    }

    func testHeadTailSelect() {
        assertPrints("""
            let t = \(people)
            print(head(t, n: 2)["user"], head(t)["user"], tail(t, n: 1)["user"], count(head(t, n: 0)))
            let s = select(t, ["n", "user"])
            print(s.columns, s[0], select(t, "x").columns)
            """, """
            ["a", "b"] ["a", "b", "c", "d"] ["d"] 0
            ["n", "user"] ["n": 3, "user": "a"] ["x"]

            """)
        assertFails("select(\(people), [\"user\", \"age\"])", ["select(): unknown column \"age\""])
    }

    func testSortByIsStableAndDescending() {
        assertPrints("""
            let t = \(people)
            print(sort_by(t, "n")["user"])
            print(sort_by(t, "n", descending: true)["user"])
            print(sort_by(t, "x", descending: true)["x"])
            print(sort_by(t, ["n", "user"], descending: true)["user"])
            let u = table(["k": [2, 1, 2, 1, 2], "id": [0, 1, 2, 3, 4]])
            print(sort_by(u, "k")["id"], sort_by(u, "k", descending: true)["id"])
            """, """
            ["a", "c", "b", "d"]
            ["b", "d", "c", "a"]
            [4.0, 2.0, 1.5, nil]
            ["d", "b", "c", "a"]
            [1, 3, 0, 2, 4] [0, 2, 4, 1, 3]

            """)
    }

    func testFilterOnTablesUsesFilterRows() {
        assertPrints("""
            let t = \(people)
            let big = filter(t, { r in r["n"] > 3 })
            print(type(big), big["user"])
            print(filter_rows(t, { r in r["x"] == nil })["user"])
            print(filter(t) { r in r["user"] == "zz" }.count)
            print(filter([1, 2, 3], { x in x > 1 }))
            """, """
            Table ["b", "c", "d"]
            ["c"]
            0
            [2, 3]

            """)
        assertFails("filter(\(people), { r in r[\"n\"] })", ["filter_rows(): keep must return a Bool, got Int"])
    }

    func testSummarizeComputesByHand() {
        // Group a: x = 1, 2, 6 → sum 9, mean 3, sample std √((4 + 1 + 9) / 2) = √7.
        // Group b: x = 10 and one nil → count(x) 1, mean 10, std nil (fewer than two values).
        assertPrints("""
            let t = table(["g": ["a", "a", "b", "a", "b"], "x": [1, 2, 10, 6, nil], "w": ["p", "q", "p", "p", "r"]])
            let s = summarize(t, by: "g", aggregates: ["rows": "count", "xs": "count(x)", "sum": "sum(x)", "mean": "mean(x)",
                                                      "std": "std(x)", "lo": "min(x)", "hi": "max(x)", "first": "first(w)",
                                                      "kinds": "n_unique(w)"])
            print(s.columns)
            print(s[0])
            print(s[1])
            print(s["std"][0] == sqrt(7))
            let all = summarize(t, aggregates: ["n": "count", "m": "mean(x)"])
            print(count(all), all[0])
            """, """
            ["g", "rows", "xs", "sum", "mean", "std", "lo", "hi", "first", "kinds"]
            ["g": "a", "rows": 3, "xs": 3, "sum": 9, "mean": 3.0, "std": 2.6457513110645907, "lo": 1, "hi": 6, "first": "p", "kinds": 2]
            ["g": "b", "rows": 2, "xs": 1, "sum": 10, "mean": 10.0, "std": nil, "lo": 10, "hi": 10, "first": "p", "kinds": 2]
            true
            1 ["n": 5, "m": 4.75]

            """)
        assertFails(#"summarize(table(["a": [1]]), aggregates: ["m": "median(a)"])"#, ["unknown aggregate 'median'"])
        assertFails(#"summarize(table(["a": [1]]), aggregates: ["m": "mean(b)"])"#, ["unknown column \"b\""])
    }

    func testMergeInnerAndLeft() {
        assertPrints("""
            let t = \(people)
            let u = table([["user": "a", "n": 30], ["user": "b", "n": 40], ["user": "b", "n": 41], ["user": "z", "n": 50]])
            let inner = merge(t, u, on: "user")
            print(inner.columns, inner["user"], inner["n_right"])
            let left = merge(t, u, on: "user", kind: "left", suffix: "_u")
            print(left.columns, left["user"], left["n_u"])
            """, """
            ["user", "n", "x", "n_right"] ["a", "b", "b"] [30, 40, 41]
            ["user", "n", "x", "n_u"] ["a", "b", "b", "c", "d"] [30, 40, 41, nil, nil]

            """)
        assertFails("merge(\(people), \(people), on: \"user\", kind: \"outer\")", ["merge(): kind must be \"inner\" or \"left\""])
    }

    func testAddColumnRenameConcat() {
        assertPrints("""
            let t = \(people)
            print(add_column(t, "tag", ["p", "q", "r", "s"])["tag"])
            print(add_column(t, "twice", { r in r["n"] * 2 })["twice"])
            print(add_column(t, "n", { r in r["n"] + 1 }).columns, add_column(t, "n", { r in r["n"] + 1 })["n"])
            let r = rename(t, "n", "visits")
            print(r.columns, t.columns)
            let c = concat([t, head(t, n: 1)])
            print(count(c), c["user"])
            """, """
            ["p", "q", "r", "s"]
            [6, 10, 8, 10]
            ["user", "n", "x"] [4, 6, 5, 6]
            ["user", "visits", "x"] ["user", "n", "x"]
            5 ["a", "b", "c", "d", "a"]

            """)
        assertFails("add_column(\(people), \"b\", [1])", ["add_column(): 1 values for 4 rows"])
        assertFails("rename(\(people), \"n\", \"x\")", ["duplicate column name \"x\""])
        assertFails(#"concat([table(["a": [1]]), table(["b": [1]])])"#, ["cannot concatenate: table 2 has columns [b], expected [a]"])
    }

    func testToCSV() throws {
        let out = path("out.csv")
        let o = ok(#"""
            let t = table(["name": ["plain", "a,b", "say \"hi\"", ""], "n": [1, nil, 3, 4], "ok": [true, false, nil, true]])
            print(to_csv(t))
            print(to_csv(select(t, ["n", "ok"]), sep: "\t"))
            print(to_csv(t, "\#(out)"))
            """#)
        XCTAssertEqual(o.printed, #"""
            name,n,ok
            plain,1,true
            "a,b",,false
            "say ""hi""",3,
            "",4,true

            n\#tok
            1\#ttrue
            \#tfalse
            3\#t
            4\#ttrue

            \#(out)

            """#)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), #"""
            name,n,ok
            plain,1,true
            "a,b",,false
            "say ""hi""",3,
            "",4,true

            """#)
        assertFails(#"to_csv(table(["a": [1]]), sep: ";;")"#, ["to_csv(): sep must be one character"])
    }

    // MARK: - Preparation

    func testDedupe() throws {
        let p = try eventLog()
        assertPrints(#"""
            let d = load("\#(p)")
            let last = table(dedupe(d))
            print(count(last), last["timestamp"])
            print(table(dedupe(d, keep: "first"))["timestamp"])
            print(table(dedupe(d, by: "user_item_event"))["timestamp"])
            """#, """
            3 [200, 300, 50]
            [100, 300, 50]
            [200, 150, 300, 50]

            """)
        assertFails(#"dedupe(load("\#(p)"), by: "item")"#, ["dedupe(): by must be \"user_item\" or \"user_item_event\""])
    }

    func testFilterEventsChannelsAndTime() throws {
        let p = try eventLog()
        assertPrints(#"""
            let d = load("\#(p)")
            print(table(filter_events(d, "view"))["timestamp"], count(filter_events(d, ["view", "cart"])))
            print(table(filter_channels(d, ["web", "store"]))["timestamp"])
            print(table(filter_time(d, from: 100, to: 200))["timestamp"])
            print(count(filter_time(d, from: 150)), count(filter_time(d, to: 100)))
            """#, """
            [100, 200, 300] 4
            [200, 300, 50]
            [100, 150]
            3 1

            """)
        assertFails(#"filter_events(load("\#(p)"), "buy")"#, ["unknown event type 'buy' (known: view, cart, purchase)"])
        assertFails(#"filter_channels(load("\#(p)"), "tv")"#, ["unknown channel 'tv'"])
        let plain = try write("plain.csv", "user,item\na,b\n")
        assertFails(#"filter_time(load("\#(plain)"), from: 1)"#, ["needs timestamps"])
        assertFails(#"filter_events(load("\#(plain)"), "view")"#, ["no event column"])
    }

    func testKcoreInvariant() {
        assertPrints("""
            let d = synthetic(users: 150, items: 80, seed: 4)
            for k in [2, 5, 10] {
              let c = kcore(d, k)
              let t = table(c)
              let per_user = summarize(t, by: "user", aggregates: ["n": "count"])["n"]
              let per_item = summarize(t, by: "item", aggregates: ["n": "count"])["n"]
              assert(count(c) > 0, "the \\(k)-core is not empty")
              assert(min(per_user) >= k and min(per_item) >= k, "every user and item has at least \\(k) rows")
              assert(count(c) <= count(d))
            }
            let c = kcore(d, 3, item_k: 20)
            let t = table(c)
            print(min(summarize(t, by: "user", aggregates: ["n": "count"])["n"]) >= 3,
                  min(summarize(t, by: "item", aggregates: ["n": "count"])["n"]) >= 20)
            """, "true true\n")
    }

    func testWeightEvents() throws {
        let p = try eventLog()
        assertPrints(#"""
            let d = load("\#(p)")
            let w = table(weight_events(d, ["view": 1, "cart": 3]))
            print(w["event"], w["value"])
            print(table(weight_events(d, ["view": 1, "cart": 3], default: 0.5))["value"])
            """#, """
            ["view", "view", "cart", "view"] [1.0, 1.0, 3.0, 1.0]
            [1.0, 1.0, 3.0, 1.0, 0.5]

            """)
        assertFails(#"weight_events(load("\#(p)"), ["like": 2])"#, ["unknown event type 'like'"])
        assertFails(#"weight_events(load("\#(p)"), ["view": "a lot"])"#, ["weights map event names to numbers"])
    }

    func testBinarize() throws {
        let p = try eventLog()
        assertPrints(#"""
            let d = load("\#(p)")
            let b = table(binarize(d, 4))
            print(b["timestamp"], b["value"])
            print(table(binarize(d, 4, drop: false))["value"])
            """#, """
            [200, 150, 50] [1.0, 1.0, 1.0]
            [0.0, 1.0, 1.0, 0.0, 1.0]

            """)
    }

    func testSampleUsersIsReproducible() {
        assertPrints("""
            let d = synthetic(users: 100, items: 40, seed: 8)
            let a = sample_users(d, n: 10, seed: 5)
            let b = sample_users(d, n: 10, seed: 5)
            let c = sample_users(d, n: 10, seed: 6)
            print(count(unique(table(a)["user"])), to_csv(table(a)) == to_csv(table(b)), to_csv(table(a)) == to_csv(table(c)))
            let f = sample_users(d, fraction: 0.25, seed: 1)
            print(count(unique(table(f)["user"])))
            # Every interaction of a sampled user is kept.
            let u = table(a)[0]["user"]
            print(count(filter(table(a), { r in r["user"] == u })) == count(filter(table(d), { r in r["user"] == u })))
            """, "10 true false\n25\ntrue\n")
        assertFails("sample_users(synthetic(users: 5, items: 5))", ["sample_users(): give n: or a fraction: between 0 and 1"])
    }

    // MARK: - Splits

    /// Train, test and all rows of a split of `data` as CSV lines, checking that train and test
    /// do not overlap and together are the data.
    private func checkPartition(_ setup: String, _ split: String, file: StaticString = #filePath, line: UInt = #line) -> (train: [String], test: [String]) {
        let o = ok(setup + "\n[to_csv(table(\(split).train)), to_csv(table(\(split).test)), to_csv(table(data))]", file: file, line: line)
        let parts = strings(o.value, file: file, line: line)
        guard parts.count == 3 else { return ([], []) }
        let train = csvRows(parts[0]), test = csvRows(parts[1]), all = csvRows(parts[2])
        XCTAssertEqual(Set(all).count, all.count, "the test data has unique rows", file: file, line: line)
        XCTAssertTrue(Set(train).isDisjoint(with: test), "train and test overlap", file: file, line: line)
        XCTAssertEqual((train + test).sorted(), all.sorted(), "train + test is the data", file: file, line: line)
        return (train, test)
    }

    /// Synthetic data with one row per user, item and event (so CSV rows are unique).
    private let splitData = #"let data = dedupe(synthetic(users: 120, items: 60, seed: 11), by: "user_item_event")"#

    func testHoldout() {
        let (train, test) = checkPartition(splitData, "holdout(data, test: 0.25, seed: 3)")
        let share = Double(test.count) / Double(train.count + test.count)
        XCTAssertEqual(share, 0.25, accuracy: 0.005)
        assertPrints(splitData + """

            let a = holdout(data, test: 0.25, seed: 3)
            let b = holdout(data, test: 0.25, seed: 3)
            let c = holdout(data, test: 0.25, seed: 4)
            print(to_csv(table(a.test)) == to_csv(table(b.test)), to_csv(table(a.test)) == to_csv(table(c.test)))
            print(type(a), type(a.train), a.train.users <= data.users, a.train.users + a.test.users >= data.users)
            """, "true false\nSplit Dataset true true\n")
        assertFails(splitData + "\nholdout(data, test: 1.5)", ["fraction must be between 0 and 1"])
    }

    func testTemporalSplit() {
        let (train, test) = checkPartition(splitData, "temporal_split(data, test: 0.2)")
        XCTAssertEqual(Double(test.count) / Double(train.count + test.count), 0.2, accuracy: 0.005)
        assertPrints(splitData + """

            for s in [temporal_split(data, test: 0.2), temporal_split(data, cutoff: 1705000000)] {
              let last_train = max(table(s.train)["timestamp"])
              let first_test = min(table(s.test)["timestamp"])
              assert(last_train <= first_test, "training ends before testing starts")
            }
            print(min(table(temporal_split(data, cutoff: 1705000000).test)["timestamp"]) >= 1705000000)
            """, "true\n")
    }

    func testUserTemporalSplit() {
        _ = checkPartition(splitData, "user_temporal_split(data, last: 2)")
        _ = checkPartition(splitData, "user_temporal_split(data, fraction: 0.3)")
        assertPrints(splitData + """

            let s = user_temporal_split(data, last: 2)
            let tr = summarize(table(s.train), by: "user", aggregates: ["n": "count", "last": "max(timestamp)"])
            let te = summarize(table(s.test), by: "user", aggregates: ["n": "count", "first": "min(timestamp)"])
            let both = merge(tr, te, on: "user", kind: "left")
            for r in both {
              if r["n_right"] == nil { assert(r["n"] == 1, "only users with one row have no test rows") }
              else {
                assert(r["n_right"] == min(2, r["n"] + r["n_right"] - 1), "each user's last two rows, keeping one in training")
                assert(r["last"] <= r["first"], "per user, training comes before testing")
              }
            }
            print(count(te) == s.report.test_users, s.report.unseen_users)
            """, "true 0\n")
        assertFails(splitData + "\nuser_temporal_split(data)", ["give last: n or fraction: f"])
    }

    func testLeaveOneOut() {
        _ = checkPartition(splitData, "leave_one_out(data)")
        assertPrints(splitData + """

            let s = leave_one_out(data)
            let per_user = summarize(table(data), by: "user", aggregates: ["n": "count"])
            let eligible = count(filter(per_user, { r in r["n"] >= 2 }))
            let te = summarize(table(s.test), by: "user", aggregates: ["n": "count"])
            print(count(s.test) == eligible, max(te["n"]), s.report.test_users == eligible)
            """, "true 1 true\n")
    }

    func testKfold() {
        for f in 0..<3 { _ = checkPartition(splitData, "kfold(data, k: 3, seed: 2)[\(f)]") }
        let o = ok(splitData + """

            let folds = kfold(data, k: 3, seed: 2)
            let by_user = kfold(data, k: 4, by: "user", seed: 2)
            [type(folds), count(folds), count(by_user)] + map(folds, { s in to_csv(table(s.test)) }) + map(by_user, { s in to_csv(table(s.test)) })
            """)
        guard case .list(let l)? = o.value, l.items.count == 10 else { return XCTFail("unexpected \(String(describing: o.value))") }
        XCTAssertEqual(l.items[0].str, "List")
        XCTAssertEqual(l.items[1].str, "3")
        XCTAssertEqual(l.items[2].str, "4")
        let tests = l.items[3...].map { csvRows($0.str) }
        let interactionFolds = tests[0..<3], userFolds = tests[3...]
        let total = interactionFolds.map(\.count).reduce(0, +)
        // Interaction folds: every row is tested exactly once, in folds of equal size (±1).
        XCTAssertEqual(Set(interactionFolds.joined()).count, total)
        XCTAssertLessThanOrEqual(interactionFolds.map(\.count).max()! - interactionFolds.map(\.count).min()!, 1)
        // User folds: disjoint test sets.
        XCTAssertEqual(Set(userFolds.joined()).count, userFolds.map(\.count).reduce(0, +))
        assertFails(splitData + "\nkfold(data, k: 1)", ["kfold(): argument 'k' must be between 2 and 1000, got 1"])
        assertFails(splitData + "\nkfold(data, by: \"item\")", ["kfold(): by must be \"interaction\" or \"user\""])
    }

    func testSplitReportAndUnseenUserWarning() throws {
        let p = try write("cold.csv", "user,item,rating,timestamp\na,x,1,100\na,y,1,150\nb,x,1,200\na,x,1,300\nc,z,1,400\n")
        let o = ok(#"""
            let d = load("\#(p)")
            let s = temporal_split(d, cutoff: 250)
            print(s.report)
            print(s)
            """#)
        XCTAssertEqual(o.printed, """
            (train_rows: 3, test_rows: 2, test_users: 2, test_items: 2, unseen_users: 1, unseen_items: 1, test_rows_with_unseen_user: 1, test_rows_with_unseen_item: 1)
            Split(train 3 rows, test 2 rows (2 users, 2 items); unseen in training: 1 users (1 test rows), 1 items (1 test rows))

            """)
        XCTAssertEqual(o.warnings, ["temporal_split(): 1 test user(s) and 1 test item(s) never appear in training (1 and 1 test rows); they are kept — see split.report"])
        XCTAssertTrue(o.transcript.hasPrefix("t.rec:2:"), o.transcript)
        XCTAssertEqual(ok(#"temporal_split(load("\#(p)"), cutoff: 175)"#).warnings.count, 1)
        // No cold-start rows, but nothing to test on: that is said instead.
        XCTAssertEqual(ok(#"temporal_split(load("\#(p)"), cutoff: 1000)"#).warnings,
                       ["temporal_split(): the test set is empty (all 5 rows went to training)"])
    }

    /// A log loaded from a file gets attributes from side files, and they work wherever
    /// attributes do (describe, evaluate by:, popularity by:, content_based).
    func testReadTableAndWithAttributes() throws {
        let log = try write("log.csv", "user,item\n1,10\n1,20\n2,10\n3,30\n3,10\n4,30\n5,20\n5,20\n")
        let users = try write("users.csv", "id,region\n1,north\n2,south\n3,north\n4,south\n5,north\n")
        let items = try write("items.tsv", "item\tcategory\n10\tlamps\n20\ttables\n30\tlamps\n")
        assertPrints(#"""
            let d = with_attributes(load("\#(log)"), users: read_table("\#(users)"), user_key: "id", items: read_table("\#(items)"))
            print(d.user_attributes.columns, d.item_attributes["category"])
            print(recommend(fit(popularity(by: "region"), d), 2, k: 1)["item"], recommend(fit(popularity(), d), 2, k: 1)["item"])
            print(recommend(fit(content_based(attributes: ["category"]), d), 1, k: 1)["item"])
            """#, "[\"user\", \"region\"] [\"lamps\", \"tables\", \"lamps\"]\n[30] [20]\n[30]\n")
        assertFails(#"with_attributes(load("\#(log)"), users: read_table("\#(users)"))"#, ["has no 'user' column", "user_key:"])
        assertFails(#"with_attributes(load("\#(log)"))"#, ["give users:, items: or both"])
    }

    func testTrainTestAlignsSeparatelyLoadedFiles() throws {
        let train = try write("base.tsv", "1\t10\t5\t1\n2\t10\t3\t2\n2\t20\t4\t3\n")
        let test = try write("test.tsv", "2\t30\t5\t4\n3\t10\t1\t5\n")
        assertPrints(#"""
            let s = train_test(load("\#(train)"), load("\#(test)"))
            print(s.report.unseen_users, s.report.unseen_items, s.train.users, s.test.users)
            print(table(s.test)["user"], table(s.test)["item"])
            """#, "1 1 2 2\n[2, 3] [30, 10]\n")   // integer IDs give integer columns
    }

    // MARK: - Workspace

    func testSaveAndRestoreRoundTrips() {
        let w = path("work.recdb")
        assertPrints(#"""
            print(workspace("\#(w)"))
            let t = table(["a": [1, nil, 3], "b": ["x", "", nil], "c": [true, false, nil], "d": [1.5, float("nan"), -0.0]])
            save("t", t)
            let t2 = restore("t")
            print(type(t2), to_csv(t2) == to_csv(t), t2.schema == t.schema)
            let d = synthetic(users: 20, items: 10, seed: 9)
            save("d", d)
            let d2 = restore("d")
            print(type(d2), to_csv(table(d2)) == to_csv(table(d)), str(d2) == str(d),
                  to_csv(d2.user_attributes) == to_csv(d.user_attributes), to_csv(d2.item_attributes) == to_csv(d.item_attributes))
            let s = user_temporal_split(d, last: 1)
            save("s", s)
            let s2 = restore("s")
            print(type(s2), s2.report == s.report, to_csv(table(s2.train)) == to_csv(table(s.train)),
                  to_csv(table(s2.test)) == to_csv(table(s.test)))
            let v = [1, [2.5, "x", nil, true], ["k": (a: nil, b: [1...3, 0..<2]), 7: "seven"], "héllo \u{1F600}"]
            save("v", v)
            print(restore("v") == v, restore("v"))
            save("v", 42)
            print(restore("v"))
            """#, """
            \(w)
            Table true true
            Dataset true true true true
            Split true true true
            true [1, [2.5, "x", nil, true], ["k": (a: nil, b: [1...3, 0..<2]), 7: "seven"], "héllo 😀"]
            42

            """)
        // A second session sees what the first saved.
        assertPrints(#"""
            workspace("\#(w)")
            print(restore("v"), count(restore("t")), type(restore("s")))
            """#, "42 3 Split\n")
    }

    func testSavedAndSQL() {
        let w = path("query.recdb")
        assertPrints(#"""
            workspace("\#(w)")
            let d = synthetic(users: 20, items: 10, seed: 1)
            save("data", d)
            save("split", holdout(d, seed: 1))
            save("folds_first", kfold(d, k: 2)[0])
            save("table", table(["a": [1]]))
            save("params", ["k": 10])
            let s = saved()
            print(s.columns, s["name"], s["kind"])
            print(sql("select name from saved where kind = ? order by name", ["split"])["name"])
            print(sql("select count(*) as n from saved where name like ? and size > ?", ["%", 0])["n"])
            print(sql("select kind, count(*) as n from objects group by kind order by kind")["kind"])
            print(sql("select count(*) as n from experiments")["n"], experiments().columns)
            print(sql("select ? as a, ? as b, ? as c", [nil, 2.5, "it's"])[0])
            """#, """
            ["name", "kind", "size", "saved_at"] ["data", "folds_first", "params", "split", "table"] ["dataset", "split", "value", "split", "table"]
            ["folds_first", "split"]
            [5]
            ["dataset", "split", "table", "value"]
            [0] ["id", "created_at", "script", "dataset_fingerprint", "split_seed", "model", "parameters", "metrics"]
            ["a": nil, "b": 2.5, "c": "it's"]

            """)
    }

    func testSQLIsReadOnly() {
        let w = path("ro.recdb")
        let setup = #"workspace("\#(w)"); save("x", 1)"# + "\n"
        assertFails(setup + #"sql("delete from objects")"#, ["sql():", "only read-only statements"])
        assertFails(setup + #"sql("drop view saved")"#, ["only read-only statements"])
        assertFails(setup + #"sql("select 1; delete from objects")"#, ["only one statement is allowed"])
        assertFails(setup + #"sql("select * from nope")"#, ["no such table: nope"])
        assertPrints(#"workspace("\#(w)"); print(restore("x"), count(saved()))"#, "1 1\n")
    }

    func testWorkspaceErrors() throws {
        assertFails(#"save("x", 1)"#, ["save(): no workspace is open", "--workspace FILE"])
        assertFails(#"restore("x")"#, ["restore(): no workspace is open"])
        assertFails("saved()", ["saved(): no workspace is open"])
        assertFails(#"sql("select 1")"#, ["sql(): no workspace is open"])
        let w = path("err.recdb")
        assertFails(#"workspace("\#(w)"); restore("nope")"#, ["restore():", "nothing saved as \"nope\"", w])
        assertFails(#"workspace("\#(w)"); save("", 1)"#, ["non-empty name"])
        assertFails(#"workspace("\#(w)"); save("f", [1, print])"#, ["a Function cannot be saved inside a list, map or record"])
        assertFails(#"workspace("\#(w)"); let l = [1]; l.append(l); save("l", l)"#, ["nested too deeply (or contains itself)"])
    }

    /// Saving a function itself (not inside a list) should not talk about lists, maps and records.
    func testSavingAFunctionSaysSo() {
        let w = path("fn.recdb")
        guard let e = assertFails(#"workspace("\#(w)"); save("f", print)"#, ["Function cannot be saved"]) else { return }
        XCTAssertFalse(e.message.contains("inside a list"), e.message)
    }

    /// An SQLite file that is not a workspace is refused, and the message points to what works in
    /// Rec (sqlite_table / sqlite_query), not to a Swift type.
    func testWorkspaceRefusesOtherSQLiteFiles() throws {
        let p = try makeSQLite()
        guard let e = assertFails(#"workspace("\#(p)")"#, ["workspace():", "\(p) is an SQLite database but not a Rec workspace", "ratings"]) else { return }
        XCTAssertFalse(e.message.contains("SQLiteFile"), e.message)
        XCTAssertTrue(e.message.contains("sqlite_table") || e.message.contains("sqlite_query"), e.message)
    }

    // MARK: - MovieLens 100K

    func testMovieLens100K() throws {
        let dir = try movieLensDir()
        assertPrints(#"""
            let m = movielens("\#(dir)")
            print(count(m), m.users, m.items, m.has_values, m.has_timestamps)
            print(m.user_attributes.columns)
            print(m.user_attributes[0])
            print(m.item_attributes.columns)
            """#, """
            100000 943 1682 true true
            ["user", "age", "gender", "occupation", "zip"]
            ["user": 1, "age": 24, "gender": "M", "occupation": "technician", "zip": "85711"]
            ["item", "title", "release_date", "imdb_url", "genres"]

            """)
    }

    func testMovieLensSplitU1() throws {
        let dir = try movieLensDir()
        assertPrints(#"""
            let s = movielens_split("\#(dir)", name: "u1")
            print(count(s.train), count(s.test), s.report.train_rows, s.report.test_rows)
            print(s.train.users, s.test.users, s.train.items, s.test.items)
            """#, "80000 20000 80000 20000\n943 459 1650 1410\n")
    }

    func testLoadU1Base() throws {
        let dir = try movieLensDir()
        assertPrints(#"""
            let b = load("\#(dir)/u1.base", sep: "\t", header: false, columns: ["user", "item", "rating", "timestamp"])
            print(count(b), b[0])
            """#, "80000 [\"user\": 1, \"item\": 1, \"value\": 5.0, \"timestamp\": 874965758]\n")
    }
}
