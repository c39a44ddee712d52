import Foundation
import RecCore
@testable import RecStore
import XCTest

/// Crash safety with real processes: the test re-launches this very test binary, running only
/// `testChildProcessSaver`, which (told so by environment variables) saves large values into a
/// workspace; the parent SIGKILLs it mid-save and checks what is left on disk.
final class WorkspaceCrashTests: StoreTestCase {
    static let dbVariable = "REC_CRASH_CHILD_DB"
    static let modeVariable = "REC_CRASH_CHILD_MODE"
    static let markerVariable = "REC_CRASH_CHILD_MARKER"

    /// Size of each payload in the looping child; several chunks, so a save takes a while.
    static let loopPayloadSize = 20 << 20

    // MARK: The child

    /// Does nothing in a normal test run. In a child process: `hang-in-commit` saves a million-row
    /// table and, inside the transaction just before COMMIT, writes the marker file and sleeps
    /// (to be killed there); `loop` saves ever-new versions of a payload, appending each
    /// committed version number to the marker file.
    func testChildProcessSaver() throws {
        let env = ProcessInfo.processInfo.environment
        guard let db = env[Self.dbVariable], let mode = env[Self.modeVariable], let marker = env[Self.markerVariable] else {
            return
        }
        let ws = try Workspace(path: db)
        switch mode {
        case "hang-in-commit":
            ws.beforeCommit = {
                _ = FileManager.default.createFile(atPath: marker, contents: Data("in transaction\n".utf8))
                sleep(600)
            }
            try ws.save(name: "model", value: try Self.bigTable(rows: 1_000_000))
        case "loop":
            let log = FileHandle(forWritingAtPath: marker)!
            for version in 1... {
                try ws.save(name: "blob", kind: "bytes", payload: Self.payload(version: version))
                log.write(Data("\(version)\n".utf8))
            }
        default:
            XCTFail("unknown child mode \(mode)")
        }
    }

    static func bigTable(rows n: Int) throws -> Table {
        try Table([
            ("user", Column(ints: (0..<Int64(n)).map { $0 % 943 })),
            ("score", Column(doubles: (0..<n).map { Double($0) / 7 })),
            ("item", Column(strings: (0..<n).map { "item-\($0 % 1682)" })),
        ])
    }

    /// Version `v` of the looping child's value: every byte equals `v % 251`, and the length
    /// encodes `v` too, so a restored payload proves it is one whole version.
    static func payload(version v: Int) -> [UInt8] {
        [UInt8](repeating: UInt8(v % 251), count: loopPayloadSize + v)
    }

    // MARK: The parent

    func testKillInsideSaveTransactionKeepsPreviousVersion() throws {
        let db = path("w.rec")
        let previous = try Table(columnNames: ["user", "score"], rows: [[1, 0.5], [2, 0.25]])
        do {
            let ws = try Workspace(path: db)
            try ws.save(name: "model", value: previous)
        }
        let marker = path("marker")
        let child = try launchChild(db: db, mode: "hang-in-commit", marker: marker)
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        try waitFor(child, timeout: 300) { FileManager.default.fileExists(atPath: marker) }

        // The child has written ~30 MB inside its open transaction; most of it has spilled into
        // the WAL file without a commit record.
        let walBefore = fileSize(db + "-wal")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        XCTAssertEqual(child.terminationStatus, SIGKILL)
        XCTAssertGreaterThan(walBefore, 1 << 20, "expected uncommitted pages in the WAL when killed")

        let ws = try Workspace(path: db)
        XCTAssertEqual(try ws.integrityCheck(), ["ok"])
        XCTAssertEqual(try ws.restore(Table.self, name: "model"), previous)
        XCTAssertEqual(try ws.saved().map { $0.size }, [try previous.workspaceEncode().count])
        XCTAssertEqual(try ws.query("SELECT COUNT(*) AS n FROM object_chunks").rows, [[1]])
    }

    func testKillAtRandomMomentsDuringRepeatedSaves() throws {
        var rng = SystemRandomNumberGenerator()
        for round in 1...3 {
            let db = path("loop\(round).rec")
            do {
                let ws = try Workspace(path: db)
                try ws.save(name: "blob", kind: "bytes", payload: Self.payload(version: 0))
            }
            let marker = path("loop\(round).log")
            _ = FileManager.default.createFile(atPath: marker, contents: nil)
            let child = try launchChild(db: db, mode: "loop", marker: marker)
            defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
            // Let at least one save complete, then kill at a random moment of a later one.
            try waitFor(child, timeout: 300) { Self.committedVersions(marker).count >= 1 }
            usleep(UInt32.random(in: 0...400_000, using: &rng))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            let acknowledged = Self.committedVersions(marker).last ?? 0

            let ws = try Workspace(path: db)
            XCTAssertEqual(try ws.integrityCheck(), ["ok"], "round \(round)")
            let restored = try ws.restore(name: "blob")
            let version = restored.bytes.count - Self.loopPayloadSize
            XCTAssertEqual(restored.bytes, Self.payload(version: version), "round \(round): not one whole version")
            // Every save the child saw commit is durable; at most the one in flight may also have
            // committed just before the kill.
            XCTAssertTrue(version == acknowledged || version == acknowledged + 1,
                          "round \(round): restored version \(version), child acknowledged \(acknowledged)")
            print("crash round \(round): killed after version \(acknowledged) was acknowledged; restored \(version)")
        }
    }

    // MARK: Helpers

    func launchChild(db: String, mode: String, marker: String) throws -> Process {
        #if !os(Linux)
        throw XCTSkip("re-launching the test binary relies on /proc/self/exe (Linux)")
        #endif
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["RecStoreTests.WorkspaceCrashTests/testChildProcessSaver"]
        var env = ProcessInfo.processInfo.environment
        env[Self.dbVariable] = db
        env[Self.modeVariable] = mode
        env[Self.markerVariable] = marker
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Polls `condition` until it holds; fails if the child exits first or time runs out.
    func waitFor(_ child: Process, timeout: Double, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard child.isRunning else {
                XCTFail("child exited early with status \(child.terminationStatus)")
                throw CancellationError()
            }
            guard Date() < deadline else {
                kill(child.processIdentifier, SIGKILL)
                XCTFail("child did not reach the expected point within \(timeout) s")
                throw CancellationError()
            }
            usleep(5_000)
        }
    }

    static func committedVersions(_ marker: String) -> [Int] {
        ((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int($0) }
    }
}
