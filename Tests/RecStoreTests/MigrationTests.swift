import Foundation
import RecCore
@testable import RecStore
import XCTest

final class MigrationTests: StoreTestCase {
    /// A version-1 workspace written by hand, as a Rec build from before the experiment log would
    /// have left it.
    func makeVersion1File(_ p: String) throws {
        let db = try SQLiteConnection(path: p)
        try db.execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE schema_version (version INTEGER PRIMARY KEY, summary TEXT NOT NULL, applied_at TEXT NOT NULL);
            INSERT INTO schema_version VALUES (1, 'saved values with chunked payloads', '2024-01-01T00:00:00.000Z');
            CREATE TABLE objects (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                                  size INTEGER NOT NULL CHECK (size >= 0), saved_at TEXT NOT NULL);
            CREATE TABLE object_chunks (object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
                                        seq INTEGER NOT NULL, data BLOB NOT NULL,
                                        PRIMARY KEY (object_id, seq)) WITHOUT ROWID;
            INSERT INTO objects VALUES (1, 'old', 'bytes', 5, '2024-01-01T00:00:00.000Z');
            INSERT INTO object_chunks VALUES (1, 0, x'0102'), (1, 1, x'030405');
            """)
    }

    func testOldVersionFileIsMigratedAndKeepsItsData() throws {
        let p = path("old.rec")
        try makeVersion1File(p)
        XCTAssertEqual(try SQLiteFile.tableNames(p), ["object_chunks", "objects", "schema_version"])

        let ws = try Workspace(path: p)
        XCTAssertEqual(try ws.schemaVersion, WorkspaceMigrations.latestVersion)
        XCTAssertEqual(try ws.query("SELECT version FROM schema_version ORDER BY version").rows, [[1], [2], [3], [4]])
        XCTAssertEqual(try ws.restore(name: "old"), SavedPayload(kind: "bytes", bytes: [1, 2, 3, 4, 5]))
        XCTAssertEqual(try ws.appendExperiment(model: "pop"), 1)  // the table migration 2 added
        // The privacy ledger migration 4 added, with the budget upserted.
        let spend = PrivacySpend(population: "p", datasetFingerprint: "f", model: "dp_popularity", mechanism: "geometric",
                                 epsilon: 0.5, delta: 0, time: "2026-01-01T00:00:00Z", script: nil)
        try ws.appendPrivacySpend(spend)
        XCTAssertEqual(try ws.privacySpends(population: "p"), [spend])
        XCTAssertEqual(try ws.privacySpends(population: "other"), [])
        XCTAssertNil(try ws.privacyBudget(population: "p"))
        try ws.setPrivacyBudget(population: "p", epsilon: 3); try ws.setPrivacyBudget(population: "p", epsilon: 2)
        XCTAssertEqual(try ws.privacyBudget(population: "p"), 2)
        XCTAssertEqual(try ws.integrityCheck(), ["ok"])
    }

    func testNewerSchemaIsRefused() throws {
        let p = path("new.rec")
        try makeVersion1File(p)
        try SQLiteConnection(path: p).run("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
        XCTAssertThrowsError(try Workspace(path: p)) { error in
            XCTAssertEqual(error as? WorkspaceError, .newerSchema(path: p, version: 99, supported: WorkspaceMigrations.latestVersion))
        }
    }

    func testFailingMigrationLeavesTheFileUntouched() throws {
        let p = path("w.rec")
        try makeVersion1File(p)
        let broken = WorkspaceMigrations.all + [
            Migration(version: WorkspaceMigrations.latestVersion + 1, summary: "broken", statements: ["CREATE TABLE extra (a)", "THIS IS NOT SQL"]),
        ]
        XCTAssertThrowsError(try Workspace(path: p, migrations: broken)) { error in
            XCTAssertTrue("\(error)".contains("syntax error"), "\(error)")
        }
        // The later migrations ran in the same transaction as the broken one, so they were rolled back as well.
        XCTAssertEqual(try SQLiteFile.query(p, "SELECT MAX(version) AS v FROM schema_version").rows, [[1]])
        XCTAssertEqual(try SQLiteFile.tableNames(p), ["object_chunks", "objects", "schema_version"])
        XCTAssertEqual(try Workspace(path: p).schemaVersion, WorkspaceMigrations.latestVersion)
    }

    func testEmptyFileIsMigratedFromScratch() throws {
        let p = path("empty.rec")
        _ = FileManager.default.createFile(atPath: p, contents: Data())
        let ws = try Workspace(path: p)
        XCTAssertEqual(try ws.schemaVersion, WorkspaceMigrations.latestVersion)
        XCTAssertEqual(try SQLiteFile.tableNames(p), ["experiments", "object_chunks", "objects", "privacy_budgets", "privacy_ledger", "saved", "schema_version"])
    }
}

final class ExperimentTests: StoreTestCase {
    func testAppendAndListExperiments() throws {
        let ws = try Workspace(path: path("w.rec"))
        let params = JSONText.object([("factors", 64), ("reg", 0.01), ("name", "als \"v2\"")])
        XCTAssertEqual(params, #"{"factors":64,"reg":0.01,"name":"als \"v2\""}"#)
        let id1 = try ws.appendExperiment(script: "eval.rec", datasetFingerprint: "ml-100k:abc123", splitSeed: 42,
                                          model: "als", parameters: params,
                                          metrics: JSONText.object([("ndcg@10", 0.3125), ("bad", .double(.nan))]))
        let id2 = try ws.appendExperiment(ExperimentRecord(model: "popularity"))
        XCTAssertEqual([id1, id2], [1, 2])

        let t = try ws.experiments()
        XCTAssertEqual(t.columnNames, ["id", "created_at", "script", "dataset_fingerprint", "split_seed", "model",
                                       "parameters", "metrics"])
        XCTAssertEqual(t.schema.map { $0.type }, [.int, .string, .string, .string, .int, .string, .string, .string])
        XCTAssertEqual(try t.select(["id", "script", "dataset_fingerprint", "split_seed", "model"]).rows, [
            [1, "eval.rec", "ml-100k:abc123", 42, "als"],
            [2, nil, nil, nil, "popularity"],
        ])
        XCTAssertEqual(try t.column("metrics").values, [#"{"ndcg@10":0.3125,"bad":null}"#, "{}"])
        // Stored as JSON that SQLite's JSON functions can read.
        XCTAssertEqual(try ws.query("SELECT json_extract(parameters, '$.factors') AS f FROM experiments WHERE model = ?",
                                    ["als"]).rows, [[64]])
    }

    func testInvalidJSONIsRejected() throws {
        let ws = try Workspace(path: path("w.rec"))
        XCTAssertThrowsError(try ws.appendExperiment(model: "x", parameters: "{not json")) { error in
            XCTAssertEqual("\(error)", "experiment parameters must be a JSON object, got: {not json")
        }
        XCTAssertThrowsError(try ws.appendExperiment(model: "x", metrics: "[1, 2]"))
        XCTAssertEqual(try ws.experiments().rowCount, 0)
    }

    func testJSONTextEscapes() {
        XCTAssertEqual(JSONText.quote("a\"b\\c\n\u{1}é"), #""a\"b\\c\n\u0001é""#)
        XCTAssertEqual(JSONText.object([]), "{}")
        XCTAssertEqual(JSONText.object([("t", true), ("n", nil), ("inf", .double(.infinity))]), #"{"t":true,"n":null,"inf":null}"#)
    }
}
