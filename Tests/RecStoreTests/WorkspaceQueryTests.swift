import CSQLite
import Foundation
import RecCore
@testable import RecStore
import XCTest

final class WorkspaceQueryTests: StoreTestCase {
    /// A workspace with one extra table of every SQLite type, written through the internal
    /// read-write connection (users cannot create tables through `query`).
    func typedWorkspace() throws -> Workspace {
        let ws = try Workspace(path: path("w.rec"))
        try ws.db.execute("""
            CREATE TABLE things (i INTEGER, r REAL, t TEXT, b BOOLEAN, x BLOB, n NUMERIC);
            INSERT INTO things VALUES (1, 1.5, 'one', 1, x'00ff', NULL);
            INSERT INTO things VALUES (NULL, 2, 'two', 0, x'', NULL);
            INSERT INTO things VALUES (3, NULL, NULL, NULL, NULL, NULL);
            """)
        return ws
    }

    func testQueryBuildsTypedTable() throws {
        let ws = try typedWorkspace()
        let t = try ws.query("SELECT * FROM things")
        XCTAssertEqual(t.columnNames, ["i", "r", "t", "b", "x", "n"])
        XCTAssertEqual(t.schema.map { $0.type }, [.int, .double, .string, .bool, .string, .string])
        XCTAssertEqual(t.rows, [
            [1, 1.5, "one", true, "00ff", nil],
            [nil, 2.0, "two", false, "", nil],  // REAL affinity: 2 reads back as Float
            [3, nil, nil, nil, nil, nil],
        ])
        let expr = try ws.query("SELECT COUNT(*) AS n, AVG(i) AS mean, 'x' || t AS label FROM things GROUP BY t ORDER BY t")
        XCTAssertEqual(expr.schema.map { $0.type }, [.int, .double, .string])
        XCTAssertEqual(expr.rows, [[1, 3.0, nil], [1, 1.0, "xone"], [1, nil, "xtwo"]])
        // Mixed storage classes in one expression column turn into text rather than failing.
        let mixed = try ws.query("SELECT CASE WHEN i = 1 THEN 'a' ELSE i END AS m FROM things")
        XCTAssertEqual(mixed.rows, [["a"], [nil], ["3"]])
        // Duplicate result names are made unique.
        XCTAssertEqual(try ws.query("SELECT 1 AS a, 2 AS a").columnNames, ["a", "a_2"])
    }

    func testParametersAreBoundNotSpliced() throws {
        let ws = try typedWorkspace()
        let evil = "O'Brien\"; DROP TABLE things; --"
        let t = try ws.query("SELECT ? AS s, ? AS i, ? AS d, ? AS n, ? AS b", [.text(evil), 42, 2.5, .null, .blob([0xde, 0xad])])
        XCTAssertEqual(t.rows, [[.string(evil), 42, 2.5, nil, "dead"]])
        XCTAssertEqual(try ws.query("SELECT COUNT(*) AS n FROM things").rows, [[3]])  // still there

        let name = "it's a \"quoted\" name; DROP TABLE objects"
        try ws.save(name: name, kind: "bytes", payload: [1])
        XCTAssertEqual(try ws.query("SELECT name FROM objects WHERE name = ?", [.text(name)]).rows, [[.string(name)]])
        XCTAssertEqual(try ws.restore(name: name).bytes, [1])
        XCTAssertEqual(try ws.query("SELECT t FROM things WHERE i > ? AND t LIKE ?", [0, "o%"]).rows, [["one"]])
        XCTAssertEqual(try ws.query("SELECT ?1 + ?1 AS twice", [21]).rows, [[42]])
    }

    func testQueryRefusesEveryKindOfWrite() throws {
        let ws = try typedWorkspace()
        try ws.save(name: "keep", kind: "bytes", payload: [9])
        let writes = [
            "UPDATE objects SET kind = 'hacked'",
            "DELETE FROM things",
            "INSERT INTO things (i) VALUES (99)",
            "DROP TABLE things",
            "CREATE TABLE evil (a)",
            "WITH x AS (SELECT 1) DELETE FROM things",
            "PRAGMA user_version = 7",
            "REPLACE INTO objects (name, kind, size, saved_at) VALUES ('keep', 'x', 0, '')",
        ]
        for sql in writes {
            XCTAssertThrowsError(try ws.query(sql), sql) { error in
                let e = error as? SQLiteError
                XCTAssertEqual(e?.primaryCode, SQLITE_READONLY, "\(error)")
                XCTAssertEqual(e?.sql, sql)
                XCTAssertTrue("\(error)".contains("only read-only statements"), "\(error)")
            }
        }
        // Smuggling a write after a read, or attaching another file, fails too.
        XCTAssertThrowsError(try ws.query("SELECT 1; DELETE FROM things"))
        XCTAssertThrowsError(try ws.query("ATTACH DATABASE ? AS other", [.text(path("other.db"))]))
        XCTAssertEqual(try ws.restore(name: "keep"), SavedPayload(kind: "bytes", bytes: [9]))
        XCTAssertEqual(try ws.query("SELECT COUNT(*) AS n FROM things").rows, [[3]])
        XCTAssertEqual(try ws.query("PRAGMA user_version").rows, [[0]])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("other.db")))
    }

    func testQueryConnectionIsReadOnlyEvenBelowTheStatementCheck() throws {
        let ws = try typedWorkspace()
        _ = try ws.query("SELECT 1")
        // Go around query()'s check: the connection itself refuses to write.
        let reader = try SQLiteConnection(path: ws.path, mode: .readOnly)
        XCTAssertThrowsError(try reader.run("DELETE FROM things")) { error in
            XCTAssertEqual((error as? SQLiteError)?.primaryCode, SQLITE_READONLY, "\(error)")
        }
    }

    func testQueryErrorsCarrySQLiteMessages() throws {
        let ws = try Workspace(path: path("w.rec"))
        XCTAssertThrowsError(try ws.query("SELECT * FROM ratings WHERE x = ?", [1])) { error in
            XCTAssertEqual("\(error)", "prepare failed on \(ws.path): no such table: ratings (SQL: SELECT * FROM ratings WHERE x = ?)")
        }
        XCTAssertThrowsError(try ws.query("SELECT ?", [])) { error in
            XCTAssertTrue("\(error)".contains("the statement has 1 parameter but 0 values were given"), "\(error)")
        }
    }

    func testMillionRowQueryIntoTable() throws {
        let ws = try Workspace(path: path("w.rec"))
        try ws.db.execute("""
            CREATE TABLE ratings (user INTEGER, item INTEGER, rating REAL, tag TEXT);
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
            INSERT INTO ratings SELECT i % 943, i % 1682, (i % 5) + 0.5, 'tag' || (i % 20) FROM n;
            """)
        let clock = ContinuousClock()
        var t = Table()
        let elapsed = try clock.measure { t = try ws.query("SELECT * FROM ratings") }
        XCTAssertEqual(t.rowCount, 1_000_000)
        XCTAssertEqual(t.schema.map { $0.type }, [.int, .int, .double, .string])
        XCTAssertEqual(t.rows[999_999], [.int(999_999 % 943), .int(999_999 % 1682), 4.5, "tag19"])
        print("1M-row query into Table: \(elapsed)")
    }

    func testQuerySeesWritesCommittedAfterItOpened() throws {
        let ws = try Workspace(path: path("w.rec"))
        XCTAssertEqual(try ws.query("SELECT COUNT(*) AS n FROM objects").rows, [[0]])
        try ws.save(name: "a", kind: "bytes", payload: [1])
        XCTAssertEqual(try ws.query("SELECT name, kind, size FROM objects").rows, [["a", "bytes", 1]])
    }
}

final class SQLiteFileTests: StoreTestCase {
    func makeFile() throws -> String {
        let p = path("movies.db")
        let db = try SQLiteConnection(path: p)
        try db.execute(#"""
            CREATE TABLE movies (id INTEGER PRIMARY KEY, title TEXT NOT NULL, year INTEGER, rating REAL);
            CREATE TABLE "odd ""name""" (v TEXT);
            CREATE VIEW recent AS SELECT title FROM movies WHERE year >= 1995;
            INSERT INTO movies VALUES (1, 'Toy Story', 1995, 8.3), (2, 'Heat', 1995, 8.2), (3, 'Alien', 1979, NULL);
            INSERT INTO "odd ""name""" VALUES ('ok');
            """#)
        return p
    }

    func testReadsTablesViewsAndQueriesFromAnyFile() throws {
        let p = try makeFile()
        XCTAssertEqual(try SQLiteFile.tableNames(p), ["movies", "odd \"name\"", "recent"])
        let movies = try SQLiteFile.table(p, "movies")
        XCTAssertEqual(movies.schema.map { $0.type }, [.int, .string, .int, .double])
        XCTAssertEqual(movies.rows, [[1, "Toy Story", 1995, 8.3], [2, "Heat", 1995, 8.2], [3, "Alien", 1979, nil]])
        XCTAssertEqual(try SQLiteFile.table(p, "recent").rows, [["Toy Story"], ["Heat"]])
        XCTAssertEqual(try SQLiteFile.table(p, "odd \"name\"").rows, [["ok"]])
        let q = try SQLiteFile.query(p, "SELECT title FROM movies WHERE year < ? OR title = ?", [1990, "Heat"])
        XCTAssertEqual(q.rows, [["Heat"], ["Alien"]])
    }

    func testFileIsOpenedReadOnly() throws {
        let p = try makeFile()
        XCTAssertThrowsError(try SQLiteFile.query(p, "DELETE FROM movies")) { error in
            XCTAssertEqual((error as? SQLiteError)?.primaryCode, SQLITE_READONLY)
        }
        XCTAssertEqual(try SQLiteFile.table(p, "movies").rowCount, 3)
    }

    func testClearErrorsForMissingFilesAndTables() throws {
        let p = try makeFile()
        XCTAssertThrowsError(try SQLiteFile.table(p, "ratings")) { error in
            XCTAssertEqual("\(error)", "read table failed on \(p): no table or view named \"ratings\" (it has: movies, odd \"name\", recent)")
        }
        let missing = path("nope.db")
        XCTAssertThrowsError(try SQLiteFile.query(missing, "SELECT 1")) { error in
            XCTAssertEqual("\(error)", "open failed on \(missing): unable to open database file (does the file exist?)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))  // not created
        let text = path("notes.txt")
        try "just some text, definitely not a database".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SQLiteFile.query(text, "SELECT 1 FROM x")) { error in
            XCTAssertTrue("\(error)".contains("file is not a database"), "\(error)")
        }
    }
}
