import Foundation
import RecCore
import RecLang
import RecStore
import XCTest

/// The interpreter reaches workspaces only through the storage its host lends it, and the
/// scratch files it hands out belong to its session.
final class HostStorageTests: XCTestCase {
    func testWithoutStorageWorkspaceBuiltinsSaySo() throws {
        let sink = CollectingSink()
        let session = try Session(sink: sink)
        for call in [#"workspace(temp_path(".recdb"))"#, #"sqlite_query("x.db", "SELECT 1")"#] {
            guard case .failure(let e) = session.evaluate(call, showResult: false) else { return XCTFail("\(call) ran without storage") }
            XCTAssertTrue(e.message.contains("this host has no database storage"), e.message)
        }
    }

    func testTemporaryPathsGoWhenTheSessionCloses() throws {
        let session = try Session(sink: CollectingSink(), storage: Workspace.storage)
        guard case .success(.string(let path)) = session.evaluate(#"let p = temp_path(".recdb"); workspace(p); save("a", 1); p"#, showResult: false) else {
            return XCTFail("no workspace")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        // A second session's scratch file is its own: closing the first leaves it.
        let other = try Session(sink: CollectingSink(), storage: Workspace.storage)
        guard case .success(.string(let otherPath)) = other.evaluate(#"let q = temp_path(".csv"); to_csv(table([["a": 1]]), path: q); q"#, showResult: false) else {
            return XCTFail("no second path")
        }
        session.close()
        for f in [path, path + "-wal", path + "-shm"] { XCTAssertFalse(FileManager.default.fileExists(atPath: f), f) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: otherPath))
        other.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: otherPath))
    }

    /// A host may bring its own storage: here one that keeps workspaces in memory.
    func testAnyStorageTheHostLendsIsUsed() throws {
        final class MemoryStore: WorkspaceStore, @unchecked Sendable {
            let path: String
            var values: [String: SavedPayload] = [:]
            init(path: String) { self.path = path }
            func save(name: String, kind: String, payload: [UInt8]) throws { values[name] = SavedPayload(kind: kind, bytes: payload) }
            func restore(name: String) throws -> SavedPayload {
                guard let v = values[name] else { throw DataError(.invalidArgument, message: "nothing saved as \(name)") }
                return v
            }
            func savedTable() throws -> Table { try Table([("name", Column(strings: values.keys.sorted()))]) }
            func query(_ sql: String, parameters: [TableValue]) throws -> Table { try Table([("sql", Column(strings: [sql]))]) }
            func appendExperiment(script: String?, datasetFingerprint: String?, splitSeed: Int64?, model: String,
                                  parameters: String, metrics: String) throws -> Int64 { 1 }
            func experiments() throws -> Table { Table() }
            func close() {}
        }
        let store = MemoryStore(path: "memory")
        let storage = Storage(openWorkspace: { _ in store }, readTable: { _, _ in Table() }, query: { _, _, _ in Table() })
        let session = try Session(sink: CollectingSink(), storage: storage)
        guard case .success(let v) = session.evaluate(#"workspace("anything"); save("xs", [1, 2]); restore("xs")"#, showResult: false) else {
            return XCTFail("the lent storage was not used")
        }
        XCTAssertEqual(v.repr, "[1, 2]")
        XCTAssertEqual(store.values["xs"]?.kind, "value")
    }
}
