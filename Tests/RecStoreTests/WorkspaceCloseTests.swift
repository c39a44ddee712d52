import Foundation
@testable import RecStore
import XCTest

/// Closing a workspace leaves one self-contained file: every save in the main file, no `-wal`
/// or `-shm` beside it, so a plain file copy carries everything.
final class WorkspaceCloseTests: StoreTestCase {
    private func companions(_ p: String) -> [String] {
        ["-wal", "-shm"].filter { FileManager.default.fileExists(atPath: p + $0) }
    }

    /// Copies only the main file, as `cp w.recdb copy.recdb` would.
    private func copyMainFile(_ from: String, _ to: String) throws {
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    func testCloseFoldsTheLogIntoTheFileAndRemovesTheCompanions() throws {
        let ws = try Workspace(path: path("w.recdb"))
        try ws.save(name: "a", kind: "bytes", payload: [1, 2, 3])
        XCTAssertEqual(companions(path("w.recdb")), ["-wal", "-shm"], "an open workspace keeps its log")
        _ = try ws.query("SELECT 1")   // the read-only connection is open too
        ws.close()
        XCTAssertEqual(companions(path("w.recdb")), [])
        try copyMainFile(path("w.recdb"), path("copy.recdb"))
        XCTAssertEqual(try Workspace(path: path("copy.recdb")).restore(name: "a").bytes, [1, 2, 3])
    }

    func testAClosedWorkspaceRefusesWorkAndClosesOnce() throws {
        let ws = try Workspace(path: path("w.recdb"))
        ws.close()
        ws.close()
        XCTAssertTrue(ws.isClosed)
        XCTAssertThrowsError(try ws.save(name: "a", kind: "bytes", payload: [1])) { e in
            XCTAssertTrue("\(e)".contains("closed"), "\(e)")
        }
        XCTAssertThrowsError(try ws.saved())
    }

    func testDroppingAWorkspaceClosesIt() throws {
        do {
            let ws = try Workspace(path: path("w.recdb"))
            try ws.save(name: "a", kind: "bytes", payload: [4])
        }
        XCTAssertEqual(companions(path("w.recdb")), [])
    }

    /// Two connections, as two processes would have: the first to close checkpoints what it
    /// saved into the main file although the other keeps the log open; the last removes it.
    func testWithTwoOpenTheFirstCloseCheckpointsAndTheLastCleansUp() throws {
        let first = try Workspace(path: path("w.recdb")), second = try Workspace(path: path("w.recdb"))
        try first.save(name: "a", kind: "bytes", payload: [1])
        try second.save(name: "b", kind: "bytes", payload: [2])
        first.close()
        XCTAssertEqual(companions(path("w.recdb")), ["-wal", "-shm"], "the other connection still has it open")
        try copyMainFile(path("w.recdb"), path("mid.recdb"))
        XCTAssertEqual(try Workspace(path: path("mid.recdb")).saved().map(\.name), ["a", "b"])
        // The other connection goes on writing after the checkpoint.
        try second.save(name: "c", kind: "bytes", payload: [3])
        XCTAssertEqual(try second.restore(name: "a").bytes, [1])
        second.close()
        XCTAssertEqual(companions(path("w.recdb")), [])
        try copyMainFile(path("w.recdb"), path("end.recdb"))
        XCTAssertEqual(try Workspace(path: path("end.recdb")).saved().map(\.name), ["a", "b", "c"])
    }
}
