import CSQLite
import Foundation
import RecCore
@testable import RecStore
import XCTest

final class WorkspaceTests: StoreTestCase {
    func testNewWorkspaceUsesWALForeignKeysAndCurrentSchema() throws {
        let ws = try Workspace(path: path("w.rec"))
        XCTAssertEqual(try ws.db.scalar("PRAGMA journal_mode"), .text("wal"))
        XCTAssertEqual(try ws.db.scalar("PRAGMA foreign_keys"), .int(1))
        XCTAssertEqual(try ws.db.scalar("PRAGMA synchronous"), .int(2))  // FULL
        XCTAssertEqual(try ws.db.scalar("PRAGMA busy_timeout"), .int(Int64(SQLiteConnection.busyTimeoutMilliseconds)))
        XCTAssertEqual(try ws.schemaVersion, Workspace.supportedSchemaVersion)
        XCTAssertEqual(try ws.query("SELECT version, summary FROM schema_version ORDER BY version").rows,
                       [[1, "saved values with chunked payloads"], [2, "experiment log"], [3, "a `saved` view for sql() queries"],
                        [4, "privacy ledger and budgets"]])
        XCTAssertEqual(try ws.integrityCheck(), ["ok"])
        // Reopening an up-to-date workspace changes nothing.
        let again = try Workspace(path: path("w.rec"))
        XCTAssertEqual(try again.query("SELECT COUNT(*) AS n FROM schema_version").rows, [[4]])
    }

    func testSaveAndRestoreTableRoundTrip() throws {
        let ws = try Workspace(path: path("w.rec"))
        let t = try Table(columnNames: ["user", "score", "title"], rows: [[1, 0.5, "it's"], [2, nil, "\"q\""]])
        try ws.save(name: "top", value: t)
        XCTAssertEqual(try ws.restore(Table.self, name: "top"), t)

        let entries = try ws.saved()
        XCTAssertEqual(entries.map { $0.name }, ["top"])
        XCTAssertEqual(entries[0].kind, "table")
        XCTAssertEqual(entries[0].size, try t.workspaceEncode().count)
        XCTAssertTrue(entries[0].savedAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil,
                      entries[0].savedAt)
        let listing = try ws.savedTable()
        XCTAssertEqual(listing.columnNames, ["name", "kind", "size", "saved_at"])
        XCTAssertEqual(listing.schema.map { $0.type }, [.string, .string, .int, .string])

        // A restore from a fresh connection sees the same thing (it really is on disk).
        let other = try Workspace(path: path("w.rec"))
        XCTAssertEqual(try other.restore(Table.self, name: "top"), t)
        let any = try other.restore(name: "top", types: [Table.self])
        XCTAssertEqual(any as? Table, t)
    }

    func testSaveReplacesPreviousVersionAndCascadesChunks() throws {
        let ws = try Workspace(path: path("w.rec"))
        let big = [UInt8](repeating: 7, count: Workspace.chunkSize * 2 + 10)  // three chunks
        try ws.save(name: "x", kind: "bytes", payload: big)
        XCTAssertEqual(try ws.query("SELECT COUNT(*) AS n FROM object_chunks").rows, [[3]])
        XCTAssertEqual(try ws.restore(name: "x"), SavedPayload(kind: "bytes", bytes: big))

        try ws.save(name: "x", kind: "bytes", payload: [1, 2, 3])
        XCTAssertEqual(try ws.restore(name: "x").bytes, [1, 2, 3])
        XCTAssertEqual(try ws.saved().count, 1)
        // The old version's chunks went with it (ON DELETE CASCADE, foreign keys on).
        XCTAssertEqual(try ws.query("SELECT COUNT(*) AS n FROM object_chunks").rows, [[1]])

        try ws.save(name: "empty", kind: "bytes", payload: [])
        XCTAssertEqual(try ws.restore(name: "empty").bytes, [])
        XCTAssertEqual(try ws.saved().map { $0.name }, ["empty", "x"])
    }

    func testFailedSaveRollsBackToPreviousVersion() throws {
        let ws = try Workspace(path: path("w.rec"))
        try ws.save(name: "x", kind: "bytes", payload: [1])
        struct Boom: Error {}
        ws.beforeCommit = { throw Boom() }
        XCTAssertThrowsError(try ws.save(name: "x", kind: "bytes", payload: [2, 2])) { XCTAssertTrue($0 is Boom) }
        ws.beforeCommit = nil
        XCTAssertEqual(try ws.restore(name: "x").bytes, [1])
        XCTAssertFalse(ws.db.inTransaction)
    }

    func testReadersSeeThePreviousVersionWhileASaveIsInFlight() throws {
        let writer = try Workspace(path: path("w.rec"))
        let reader = try Workspace(path: path("w.rec"))
        try writer.save(name: "x", kind: "bytes", payload: [1])
        var seenDuringSave: [UInt8] = []
        writer.beforeCommit = {
            // WAL: another connection reads the last committed version without waiting.
            seenDuringSave = try reader.restore(name: "x").bytes
            XCTAssertEqual(try reader.query("SELECT size FROM objects WHERE name = 'x'").rows, [[1]])
        }
        try writer.save(name: "x", kind: "bytes", payload: [2, 2])
        XCTAssertEqual(seenDuringSave, [1])
        XCTAssertEqual(try reader.restore(name: "x").bytes, [2, 2])
    }

    func testErrorsForMissingNamesKindsAndArguments() throws {
        let ws = try Workspace(path: path("w.rec"))
        XCTAssertThrowsError(try ws.restore(name: "nope")) { error in
            XCTAssertEqual(error as? WorkspaceError, .notFound(name: "nope", path: ws.path))
            XCTAssertEqual("\(error)", "nothing saved as \"nope\" in workspace \(ws.path)")
        }
        try ws.save(name: "raw", kind: "bytes", payload: [1])
        XCTAssertThrowsError(try ws.restore(Table.self, name: "raw")) { error in
            XCTAssertEqual("\(error)", "\"raw\" holds a bytes, not a table")
        }
        XCTAssertThrowsError(try ws.save(name: "", kind: "bytes", payload: []))
        XCTAssertTrue(try ws.contains(name: "raw"))
        XCTAssertTrue(try ws.delete(name: "raw"))
        XCTAssertFalse(try ws.delete(name: "raw"))
        XCTAssertFalse(try ws.contains(name: "raw"))
    }

    func testRefusesSQLiteFilesThatAreNotWorkspaces() throws {
        let p = path("data.db")
        do {
            let db = try SQLiteConnection(path: p)
            try db.execute("CREATE TABLE ratings (user INTEGER, item INTEGER)")
        }
        XCTAssertThrowsError(try Workspace(path: p)) { error in
            XCTAssertEqual(error as? WorkspaceError, .notAWorkspace(path: p, tables: ["ratings"]))
        }
        XCTAssertEqual(try SQLiteFile.tableNames(p), ["ratings"])  // untouched
    }

    func testOpenErrorsNameThePath() throws {
        let p = path("missing-dir/w.rec")
        XCTAssertThrowsError(try Workspace(path: p)) { error in
            XCTAssertTrue("\(error)".hasPrefix("open failed on \(p): unable to open database file"), "\(error)")
        }
    }
}

final class SQLiteConnectionTests: StoreTestCase {
    func testTransactionRollsBackOnThrowAndNestsWithSavepoints() throws {
        let db = try SQLiteConnection(path: path("t.db"))
        try db.execute("CREATE TABLE t (v INTEGER)")
        struct Boom: Error {}
        XCTAssertThrowsError(try db.transaction {
            try db.run("INSERT INTO t VALUES (1)")
            throw Boom()
        })
        XCTAssertEqual(try db.scalar("SELECT COUNT(*) FROM t"), .int(0))

        try db.transaction {
            try db.run("INSERT INTO t VALUES (2)")
            XCTAssertThrowsError(try db.transaction {
                try db.run("INSERT INTO t VALUES (3)")
                throw Boom()
            })
            try db.run("INSERT INTO t VALUES (4)")
        }
        XCTAssertEqual(try SQLiteFile.query(db.path, "SELECT v FROM t ORDER BY v").rows, [[2], [4]])
        XCTAssertFalse(db.inTransaction)
    }

    func testErrorsCarryOperationPathMessageAndSQL() throws {
        let db = try SQLiteConnection(path: path("t.db"))
        XCTAssertThrowsError(try db.prepare("SELEKT 1")) { error in
            let e = error as! SQLiteError
            XCTAssertEqual(e.operation, "prepare")
            XCTAssertEqual(e.primaryCode, SQLITE_ERROR)
            XCTAssertEqual("\(e)", "prepare failed on \(db.path): near \"SELEKT\": syntax error (SQL: SELEKT 1)")
        }
        try db.execute("CREATE TABLE t (v INTEGER NOT NULL)")
        XCTAssertThrowsError(try db.run("INSERT INTO t VALUES (?)", [.null])) { error in
            XCTAssertEqual((error as! SQLiteError).operation, "step")
            XCTAssertTrue("\(error)".contains("NOT NULL constraint failed: t.v"), "\(error)")
        }
        XCTAssertThrowsError(try db.run("INSERT INTO t VALUES (?)", [1, 2])) { error in
            XCTAssertTrue("\(error)".contains("the statement has 1 parameter but 2 values were given"), "\(error)")
        }
        XCTAssertThrowsError(try db.prepare("SELECT 1; SELECT 2")) { error in
            XCTAssertTrue("\(error)".contains("only one statement"), "\(error)")
        }
        XCTAssertNoThrow(try db.prepare("SELECT 1; -- trailing comment\n /* and another */ ;"))
    }
}
