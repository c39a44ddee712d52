import Foundation
import XCTest
import RecLang

/// Reading real-world files (headerless, pipe-separated, Latin-1) with read_table and load,
/// the warnings for a header that looks like data, a file without data rows and an empty split,
/// and grouping by numeric attributes: `bins:`, `cut` and the natural order of groups.
final class DataOptionsBindingTests: RecDataTestCase {

    /// u.user's shape: pipe-separated, no header, numbers in the first line.
    private func usersFile() throws -> String {
        try write("users.psv", "1|24|M|technician|85711\n2|53|F|other|94043\n3|23|M|writer|32067\n")
    }

    // MARK: - read_table: header, columns

    func testHeaderlessFileWarnsThatTheFirstLineLooksLikeData() throws {
        let p = try usersFile()
        let o = ok(#"let t = read_table("\#(p)"); print(t.columns, count(t))"#)
        XCTAssertEqual(o.printed, "[\"1\", \"24\", \"M\", \"technician\", \"85711\"] 2\n")
        XCTAssertEqual(o.warnings, [#"read_table(): the first line of \#(p) looks like data, not column names ("1", "24", "85711" are numbers); pass header: false or columns: [...], or header: true to keep it as the header"#])
        // Every field a number: said so.
        let nums = try write("nums.csv", "1,2\n3,4\n")
        XCTAssertEqual(ok(#"read_table("\#(nums)")"#).warnings,
                       [#"read_table(): the first line of \#(nums) looks like data, not column names (all fields are numbers); pass header: false or columns: [...], or header: true to keep it as the header"#])
        // Saying header: true (or false) is a decision: no warning.
        XCTAssertEqual(ok(#"read_table("\#(p)", header: true)"#).warnings, [])
        XCTAssertEqual(ok(#"print(read_table("\#(p)", header: false).columns)"#).printed,
                       "[\"column1\", \"column2\", \"column3\", \"column4\", \"column5\"]\n")
        // A real header holds no numbers.
        let real = try write("real.csv", "user,age\n1,24\n")
        XCTAssertEqual(ok(#"read_table("\#(real)")"#).warnings, [])
    }

    func testColumnsNameAHeaderlessFile() throws {
        let p = try usersFile()
        let o = ok(#"""
            let t = read_table("\#(p)", sep: "|", columns: ["user", "age", "gender", "occupation", "zip"])
            print(t.columns, count(t), t["age"], t.schema[1].type, t[0]["occupation"])
            """#)
        XCTAssertEqual(o.printed, "[\"user\", \"age\", \"gender\", \"occupation\", \"zip\"] 3 [24, 53, 23] int technician\n")
        XCTAssertEqual(o.warnings, [])
        // The separator is guessed as well.
        XCTAssertEqual(ok(#"print(count(read_table("\#(p)", columns: ["user", "age", "gender", "occupation", "zip"])))"#).printed, "3\n")
    }

    func testColumnsRenameTheHeaderWithHeaderTrue() throws {
        let p = try write("h.csv", "id,years\n1,24\n2,53\n")
        assertPrints(#"let t = read_table("\#(p)", header: true, columns: ["user", "age"]); print(t.columns, t["age"])"#,
                     "[\"user\", \"age\"] [24, 53]\n")
        assertFails(#"read_table("\#(p)", header: true, columns: ["user"])"#,
                    ["\(p):1: the header has 2 fields but columns: gives 1 names", "id,years"])
    }

    func testWrongNumberOfColumnNamesNamesFileAndLine() throws {
        let p = try usersFile()
        assertFails(#"read_table("\#(p)", columns: ["user", "age"])"#,
                    ["\(p):1: expected 2 fields (user, age), found 5", "1|24|M|technician|85711"])
        // A later short line is reported at its own line.
        let short = try write("short.psv", "1|24|M\n2|53\n")
        assertFails(#"read_table("\#(short)", columns: ["user", "age", "gender"])"#,
                    ["\(short):2: expected 3 fields (user, age, gender), found 2", "2|53"])
        assertFails(#"read_table("\#(p)", columns: [])"#, ["read_table(): columns: is empty"])
        assertFails(#"read_table("\#(p)", columns: ["a", "b", "a", "c", "d"])"#, ["columns: names \"a\" twice"])
    }

    // MARK: - Encodings

    /// A Latin-1 file written byte by byte: é is 0xE9, ü is 0xFC.
    private func latin1File() throws -> String {
        try write("people.psv", bytes: Array("1|Jos".utf8) + [0xE9] + Array("|10\n2|M".utf8) + [0xFC] + Array("ller|20\n".utf8))
    }

    func testLatin1FileFailsAsUTF8WithWhereAndWhatToDo() throws {
        let p = try latin1File()
        // 0xE9 is the 6th byte of line 1, offset 5 of the file.
        assertFails(#"read_table("\#(p)", header: false)"#,
                    ["\(p):1: invalid UTF-8 at byte 6 of the line (0xE9, file offset 5)", #"pass encoding: "latin-1""#])
    }

    func testLatin1DecodesToUnicodeUnderEveryName() throws {
        let p = try latin1File()
        for name in ["latin-1", "latin1", "ISO-8859-1", "iso8859-1"] {
            let o = ok(#"let t = read_table("\#(p)", columns: ["id", "name", "n"], encoding: "\#(name)"); print(t["name"], count(t["name"][1]))"#)
            XCTAssertEqual(o.printed, "[\"José\", \"Müller\"] 6\n", name)
        }
        assertFails(#"read_table("\#(p)", encoding: "cp1252")"#, [#"read_table(): encoding must be "utf-8" or "latin-1""#, "got \"cp1252\""])
    }

    func testUTF8ByteOrderMarkIsSkipped() throws {
        let p = try write("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("name,n\nZoë,1\n".utf8))
        for enc in ["utf-8", "utf-8-sig", "UTF8"] {
            assertPrints(#"let t = read_table("\#(p)", encoding: "\#(enc)"); print(t.columns, t["name"])"#, "[\"name\", \"n\"] [\"Zoë\"]\n")
        }
    }

    func testLoadReadsLatin1AndColumns() throws {
        let p = try write("log.psv", bytes: Array("u1|caf".utf8) + [0xE9] + Array("|4\nu2|na".utf8) + [0xEF] + Array("ve|5\n".utf8))
        assertPrints(#"""
            let d = load("\#(p)", columns: ["user", "item", "rating"], encoding: "latin-1")
            print(table(d)["item"], table(d)["value"])
            """#, "[\"café\", \"naïve\"] [4.0, 5.0]\n")
        assertFails(#"load("\#(p)", columns: ["user", "item", "rating"])"#, ["\(p):1: invalid UTF-8 at byte 7 of the line (0xE9", "latin-1"])
        assertFails(#"load("\#(p)", columns: ["user", "item"], encoding: "latin-1")"#, ["\(p):1: expected 2 fields (user, item), found 3"])
    }

    func testLoadColumnsRenameTheHeader() throws {
        let p = try write("r.csv", "a,b,c\n1,10,4\n2,20,5\n")
        assertPrints(#"let d = load("\#(p)", header: true, columns: ["user", "item", "rating"]); print(table(d)["item"], table(d)["value"])"#,
                     "[10, 20] [4.0, 5.0]\n")
        assertFails(#"load("\#(p)", header: true, columns: ["user", "item"])"#, ["\(p):1: the header has 3 fields but columns: gives 2 names"])
    }

    // MARK: - No data

    func testHeaderOnlyFileWarnsNoDataRows() throws {
        let p = try write("h.csv", "user,item,rating\n")
        let t = ok(#"print(count(read_table("\#(p)")))"#)
        XCTAssertEqual(t.printed, "0\n")
        XCTAssertEqual(t.warnings, ["read_table(): \(p) has no data rows (only a header)"])
        let d = ok(#"print(count(load("\#(p)")))"#)
        XCTAssertEqual(d.printed, "0\n")
        XCTAssertEqual(d.warnings, ["load(): \(p) has no data rows (only a header)"])
        // Every line skipped: also no data rows.
        let bad = try write("bad.csv", "user,item,rating\nu1,i1,x\n")
        XCTAssertTrue(ok(#"load("\#(bad)", on_error: "skip")"#).warnings.contains("load(): \(bad) has no data rows (every line was skipped)"))
    }

    func testEmptySplitsWarn() throws {
        let one = try write("one.csv", "user,item,rating,timestamp\nu1,i1,4,100\nu2,i2,5,200\n")
        XCTAssertEqual(ok(#"holdout(load("\#(one)"), test: 0.1)"#).warnings,
                       ["holdout(): the test set is empty (all 2 rows went to training)"])
        // (Its test users are all unseen in training, which is said as well.)
        XCTAssertEqual(ok(#"temporal_split(load("\#(one)"), cutoff: 50)"#).warnings.first,
                       "temporal_split(): the training set is empty (all 2 rows went to test)")
        // One row per user: nobody can hold one out.
        XCTAssertEqual(ok(#"leave_one_out(load("\#(one)"))"#).warnings, ["leave_one_out(): the test set is empty (all 2 rows went to training)"])
        XCTAssertEqual(ok(#"user_temporal_split(load("\#(one)"), last: 1)"#).warnings,
                       ["user_temporal_split(): the test set is empty (all 2 rows went to training)"])
        let header = try write("h.csv", "user,item,rating,timestamp\n")
        XCTAssertTrue(ok(#"train_test(load("\#(one)"), load("\#(header)"))"#).warnings
                        .contains("train_test(): the test set is empty (all 2 rows went to training)"))
        // A split with both sides is quiet.
        XCTAssertEqual(ok(#"temporal_split(load("\#(one)"), cutoff: 150)"#).warnings.filter { $0.contains("empty") }, [])
    }

    // MARK: - cut

    func testCutLists() throws {
        assertPrints(#"""
            print(cut([3, 18, 24, 25, 49, 50, 70, nil], [18, 25, 35, 50]))
            print(cut([0.2, 0.5, 1.7, 2.0], bins: [0.5, 1.0, 2.0]))
            print(cut([1, 2, 3], [2]), cut([-7, -5, -1, 0], [-5, 0]), cut([4, 5], [4, 5, 10]))
            """#, """
            ["<18", "18-24", "18-24", "25-34", "35-49", "50+", "50+", nil]
            ["<0.5", "[0.5, 1.0)", "[1.0, 2.0)", "≥2.0"]
            ["<2", "2+", "2+"] ["<-5", "-5 to -1", "-5 to -1", "0+"] ["4", "5-9"]

            """)
        assertFails(#"cut([1, "a"], [2])"#, ["cut(): item 1 is a String; only numbers (and nil) can be cut"])
        assertFails(#"cut([1, 2], [5, 3])"#, ["bins: edges must be ascending, without repeats", "3.0 follows 5.0"])
        assertFails(#"cut([1, 2], [])"#, ["bins: is empty"])
        assertFails(#"cut([1, 2])"#, ["cut(): give the edges"])
    }

    func testCutTablesAndDatasets() throws {
        let p = try usersFile()
        let log = try write("log.csv", "user,item\n1,10\n2,10\n3,20\n")
        assertPrints(#"""
            let t = read_table("\#(p)", columns: ["user", "age", "gender", "occupation", "zip"])
            print(cut(t, "age", bins: [25, 50])["age_band"], cut(t, "age", bins: [25, 50], name: "band").columns)
            let d = cut(with_attributes(load("\#(log)"), users: t), "age", bins: [25, 50], name: "band")
            print(d.user_attributes["band"])
            """#, """
            ["<25", "50+", "<25"] ["user", "age", "gender", "occupation", "zip", "band"]
            ["<25", "50+", "<25"]

            """)
        assertFails(#"cut(read_table("\#(p)", columns: ["user", "age", "gender", "occupation", "zip"]), "gender", bins: [1])"#,
                    ["column \"gender\" (bins: cuts numbers)"])
        assertFails(#"cut(with_attributes(load("\#(log)"), users: read_table("\#(p)", columns: ["user", "age", "gender", "occupation", "zip"])), "height", bins: [1])"#,
                    ["no user or item attribute 'height'", "user attributes: age, gender, occupation, zip"])
        assertFails(#"cut(load("\#(log)"), "age")"#, ["cut(): give bins:"])
    }

    // MARK: - Grouping by numeric attributes

    /// Seven users aged 15, 20, 24, 30, 40 and 60 (user 7 has no age). Trained popularity
    /// recommends item 12 to users 1–3 (the only item they have not seen) and 11 to users 4–7;
    /// only user 5's test item (12) is missed, so hit_rate@1 is 1 in every age band but 35-49.
    private func agesFixture() throws -> String {
        let train = try write("train.tsv", "1\t10\n2\t10\n3\t10\n4\t10\n5\t10\n6\t10\n7\t10\n1\t11\n2\t11\n3\t11\n7\t12\n")
        let test = try write("test.tsv", "1\t12\n2\t12\n3\t12\n4\t11\n5\t12\n6\t11\n7\t11\n")
        let users = try write("ages.psv", "1|15\n2|20\n3|24\n4|30\n5|40\n6|60\n")
        return #"""
            let ages = read_table("\#(users)", columns: ["user", "age"])
            let s = train_test(with_attributes(load("\#(train)", columns: ["user", "item"]), users: ages),
                               load("\#(test)", columns: ["user", "item"]))
            let m = fit(popularity(), s.train)
            """#
    }

    func testEvaluateByBinsGivesRangesInOrder() throws {
        let o = ok(try agesFixture() + "\n" + #"""
            let e = evaluate(m, s, by: "age", bins: [18, 25, 35, 50], metrics: ["hit_rate@1"])
            print(e["age"])
            print(e["users"])
            print(e["hit_rate@1"])
            """#)
        XCTAssertEqual(o.printed, """
            ["all", "<18", "18-24", "25-34", "35-49", "50+", "(missing)", "max-min", "min/max"]
            [7, 1, 2, 1, 1, 1, 1, nil, nil]
            [0.8571428571428571, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0]

            """)
        XCTAssertEqual(o.warnings, [])
        // Activity counts can be cut too: users 1-3 and 7 have 2 training rows, 4-6 one.
        assertPrints(try agesFixture() + "\n" + #"print(evaluate(m, s, by: "activity", bins: [2], metrics: ["hit_rate@1"])["activity"])"#,
                     "[\"all\", \"<2\", \"2+\", \"max-min\", \"min/max\"]\n")
        assertFails(try agesFixture() + "\n" + #"evaluate(m, s, bins: [2])"#, ["evaluate(): bins: cuts the attribute named by by:; give by: too"])
        assertFails(#"""
            let d = with_attributes(load("\#(try write("l.csv", "user,item\n1,10\n2,20\n"))"), users: table(["user": [1, 2], "g": ["a", "b"]]))
            evaluate(fit(popularity(), d), d, by: "g", bins: [1])
            """#, ["bins: needs a numeric attribute, and 'g' holds text (string)"])
    }

    func testGroupsSortNaturally() throws {
        let o = ok(try agesFixture() + "\n" + #"""
            let names = read_table("\#(try write("names.csv", "user,shop\n1,shop 10\n2,shop 9\n3,shop 2\n4,shop 10\n5,shop 9\n6,shop 2\n"))")
            let t = train_test(with_attributes(s.train, users: names), s.test)
            print(evaluate(m, t, by: "shop", metrics: ["hit_rate@1"])["shop"])
            print(evaluate(m, s, by: "age", metrics: ["hit_rate@1"])["age"])
            """#)
        XCTAssertEqual(o.printed, """
            ["all", "shop 2", "shop 9", "shop 10", "(missing)", "max-min", "min/max"]
            ["all", "15", "20", "24", "30", "40", "60", "(missing)", "max-min", "min/max"]

            """)
    }

    /// describe lists the ranges of a cut attribute in order too (text sorting would put "<18" last).
    func testDescribeListsRangesInOrder() throws {
        let o = ok(try agesFixture() + "\n" + #"describe(cut(s.train, "age", bins: [18, 25, 35, 50]), by: "age_band")"#)
        let text = o.displayed.joined()
        let at = ["<18", "18-24", "25-34", "35-49", "50+", "(missing)"].map { label in
            text.range(of: "\n  " + label + " ")?.lowerBound
        }
        XCTAssertFalse(at.contains(nil), text)
        XCTAssertEqual(at.compactMap { $0 }, at.compactMap { $0 }.sorted(), text)
    }

    func testManyGroupsOfANumericAttributeWarn() throws {
        let n = 25
        let log = try write("many.csv", "user,item\n" + (1...n).map { "\($0),\($0 % 3)" }.joined(separator: "\n") + "\n")
        let ages = try write("many-ages.csv", "user,age\n" + (1...n).map { "\($0),\(20 + $0)" }.joined(separator: "\n") + "\n")
        let setup = #"let d = with_attributes(load("\#(log)"), users: read_table("\#(ages)")); let m = fit(popularity(), d)"#
        XCTAssertEqual(ok(setup + "\n" + #"evaluate(m, d, by: "age", metrics: ["hit_rate@1"])"#).warnings,
                       ["evaluate(): 'age' is numeric with 25 distinct values, so each value is a group; pass bins: (e.g. bins: [18, 25, 35, 50]) to group ranges"])
        XCTAssertEqual(ok(setup + "\n" + #"evaluate(m, d, by: "age", bins: [30, 40], metrics: ["hit_rate@1"])"#).warnings, [])
    }

    func testExposureByBinsOfAnItemAttribute() throws {
        let log = try write("log.csv", "user,item\n1,a\n1,b\n2,a\n2,c\n3,d\n")
        let items = try write("items.csv", "item,price\na,5\nb,15\nc,120\nd,40\n")
        assertPrints(#"""
            let d = with_attributes(load("\#(log)"), items: read_table("\#(items)"))
            let e = exposure(fit(popularity(), d), by: "price", bins: [10, 100], k: 1)
            print(e["price"], e["items"])
            """#, "[\"<10\", \"10-99\", \"100+\"] [1, 2, 1]\n")
    }

    func testPopularityByBins() throws {
        let o = ok(try agesFixture() + "\n" + #"""
            let p = fit(popularity(by: "age", bins: [25]), s.train)
            print(explain(p, 1, 12).parts["part"], explain(p, 4, 11).parts["part"])
            """#)
        XCTAssertEqual(o.printed, "[\"feature popularity among age = <25\"] [\"feature popularity among age = 25+\"]\n")
        assertFails(#"popularity(bins: [25])"#, ["popularity(): bins: cuts the user attribute named by by:; give by: too"])
        assertFails(#"popularity(by: "age", bins: [30, 20])"#, ["bins: edges must be ascending"])
    }

    // MARK: - MovieLens 100K

    func testMovieLensUserAndItemFiles() throws {
        let dir = try movieLensDir()
        let user = "\(dir)/u.user", item = "\(dir)/u.item"
        let plain = ok(#"print(read_table("\#(user)").columns)"#)
        XCTAssertEqual(plain.printed, "[\"1\", \"24\", \"M\", \"technician\", \"85711\"]\n")
        XCTAssertEqual(plain.warnings.count, 1)
        XCTAssertTrue(plain.warnings[0].hasPrefix("read_table(): the first line of \(user) looks like data"), plain.warnings[0])
        let named = ok(#"""
            let u = read_table("\#(user)", columns: ["user", "age", "gender", "occupation", "zip"])
            print(count(u), u.schema[1].type, u[0])
            let d = with_attributes(load("\#(dir)/u.data"), users: u)
            print(d.user_attributes.columns)
            """#)
        XCTAssertEqual(named.printed, """
            943 int ["user": 1, "age": 24, "gender": "M", "occupation": "technician", "zip": "85711"]
            ["user", "age", "gender", "occupation", "zip"]

            """)
        XCTAssertEqual(named.warnings, [])
        assertFails(#"read_table("\#(item)", header: false)"#, ["\(item):543: invalid UTF-8 at byte 8 of the line (0xE9", "latin-1"])
        assertPrints(#"""
            let t = read_table("\#(item)", columns: ["movie", "title"] + map(range(22), { i in "c\(i)" }), encoding: "latin-1")
            print(count(t), t[542]["title"])
            """#, "1682 Misérables, Les (1995)\n")
    }

    func testMovieLensEvaluateByAgeBands() throws {
        let dir = try movieLensDir()
        let o = ok(#"""
            let s = movielens_split("\#(dir)")
            let e = evaluate(fit(popularity(), s.train), s, by: "age", bins: [18, 25, 35, 50], metrics: ["ndcg@10"])
            print(e["age"])
            print(e["users"])
            let banded = cut(movielens("\#(dir)"), "age", bins: [18, 25, 35, 50], name: "age_band")
            print(banded.user_attributes.columns)
            """#)
        XCTAssertEqual(o.printed, """
            ["all", "<18", "18-24", "25-34", "35-49", "50+", "max-min", "min/max"]
            [459, 16, 100, 146, 141, 56, nil, nil]
            ["user", "age", "gender", "occupation", "zip", "age_band"]

            """)
    }
}
