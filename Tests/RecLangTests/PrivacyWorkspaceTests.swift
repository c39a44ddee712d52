import Foundation
import RecCore
import RecLang
import RecStore
import XCTest

/// The privacy builtins with a real workspace: the pseudonymization key never reaches the file,
/// and the ledger and budgets outlive the session.
final class PrivacyWorkspaceTests: XCTestCase {
    func run(_ session: Session, _ code: String, file: StaticString = #filePath, line: UInt = #line) -> Value? {
        switch session.evaluate(code, showResult: false) {
        case .success(let v): return v
        case .failure(let e): XCTFail(e.message, file: file, line: line); return nil
        }
    }

    func testTheKeyIsNeverWrittenToTheWorkspace() throws {
        let key = "k3y-that-must-never-be-stored-81c2"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rec-privacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("w.recdb").path
        let sink = CollectingSink()
        let session = try Session(sink: sink, storage: Workspace.storage)
        _ = run(session, """
            workspace("\(path)")
            let d = synthetic(users: 60, items: 30, seed: 3)
            let p = pseudonymize(d, key: "\(key)", items: true)
            save("pseudonymized", p)
            let s = user_temporal_split(p, fraction: 0.2)
            let m = fit(dp_popularity(epsilon: 1.0, seed: 1), s.train)
            evaluate(m, s, metrics: ["ndcg@10"])
            print(p, repr(p), count(table(p)))
            save("lists", recommend_all(m, k: 5))
            """)
        XCTAssertFalse(sink.transcript.contains(key))
        // The pseudonyms are in the file; the key is not, in any form we can think of.
        let restored = run(session, #"restore("pseudonymized")"#)
        XCTAssertNotNil(restored)
        session.close()
        var bytes: [UInt8] = []
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            bytes += Array(try Data(contentsOf: dir.appendingPathComponent(f)))
        }
        XCTAssertGreaterThan(bytes.count, 4096)
        for needle in [key, String(key.reversed()), key.uppercased()] {
            let n = Array(needle.utf8)
            XCTAssertFalse(bytes.indices.dropLast(n.count).contains { bytes[$0] == n[0] && Array(bytes[$0..<$0 + n.count]) == n },
                           "the workspace holds \(needle)")
        }
        let utf16 = Array(key.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] })
        XCTAssertFalse(bytes.indices.dropLast(utf16.count).contains { bytes[$0] == utf16[0] && Array(bytes[$0..<$0 + utf16.count]) == utf16 })
        // The search itself works: a pseudonym is there.
        let pseudonym = Array(try Pseudonymizer(key: key).pseudonym("1", domain: "user").utf8)
        XCTAssertTrue(bytes.indices.dropLast(pseudonym.count).contains { bytes[$0] == pseudonym[0] && Array(bytes[$0..<$0 + pseudonym.count]) == pseudonym })
    }

    func testTheLedgerAndBudgetOutliveTheSession() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rec-ledger-\(UUID().uuidString).recdb").path
        defer { for f in [path, path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: f) } }
        let setup = "workspace(\"\(path)\"); let d = synthetic(users: 50, items: 20, seed: 1); let s = user_temporal_split(d, fraction: 0.2)"
        let first = try Session(sink: CollectingSink(), storage: Workspace.storage)
        _ = run(first, setup + """

            set_privacy_budget(d, epsilon: 2)
            fit(dp_popularity(epsilon: 0.5, seed: 1), s.train)
            fit(dp_popularity(epsilon: 0.25, mechanism: "laplace"), d)
            """)
        first.close()
        let second = try Session(sink: CollectingSink(), storage: Workspace.storage)
        XCTAssertEqual(run(second, setup + "\nlet b = privacy_budget(d); [b[\"spent\"], b[\"budget\"], b[\"remaining\"], count(b[\"releases\"])]")?.repr,
                       "[0.75, 2.0, 1.25, 2]")
        XCTAssertEqual(run(second, #"privacy_budget(s)["releases"]["mechanism"]"#)?.repr, #"["geometric", "laplace"]"#)
        // Beyond the budget: refused before fitting, and nothing is charged.
        guard case .failure(let e) = second.evaluate("let m = dp_popularity(epsilon: 1.5)\nfit(m, d)", showResult: false) else {
            return XCTFail("a fit beyond the budget ran")
        }
        XCTAssertTrue(e.message.contains("privacy budget exceeded: ε = 0.75 already spent on this data, this fit needs ε = 1.5 more, the budget is ε = 2"), e.message)
        XCTAssertEqual(run(second, "[m.fitted, privacy_budget(d)[\"spent\"]]")?.repr, "[false, 0.75]")
        // Models that are not differentially private are not charged.
        XCTAssertEqual(run(second, "fit(popularity(), d); privacy_budget(d)[\"spent\"]")?.repr, "0.75")
        second.close()
    }

    func testWithoutAWorkspaceTheSessionKeepsTheLedger() throws {
        let session = try Session(sink: CollectingSink())
        XCTAssertEqual(run(session, """
            let d = synthetic(users: 40, items: 20, seed: 2)
            set_privacy_budget(d, epsilon: 1)
            fit(dp_popularity(epsilon: 0.6), d)
            privacy_budget(d)["spent"]
            """)?.repr, "0.6")
        guard case .failure(let e) = session.evaluate("fit(dp_popularity(epsilon: 0.6), d)", showResult: false) else {
            return XCTFail("a fit beyond the session's budget ran")
        }
        XCTAssertTrue(e.message.contains("privacy budget exceeded"), e.message)
    }
}
