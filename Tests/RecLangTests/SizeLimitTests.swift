import RecCore
import XCTest
@testable import RecLang
import RecStore

/// Sizes that come from a script are checked before anything is allocated with them: each call
/// here used to end the process (SIGABRT "failed to allocate", an overflow trap, or malloc's
/// "invalid size"). A regression shows up as this test process dying, which fails the run.
final class SizeLimitTests: XCTestCase {
    static let setup = """
    let d = synthetic(users: 60, items: 40, seed: 3)
    let s = user_temporal_split(d, fraction: 0.2)
    let m = fit(item_knn(), s.train)
    """

    func session() throws -> (Session, CollectingSink) {
        let sink = CollectingSink()
        let session = try Session(sink: sink, storage: Workspace.storage)
        guard case .success = session.evaluate(Self.setup, showResult: false) else {
            XCTFail("setup failed: \(sink.transcript)"); throw XCTSkip()
        }
        return (session, sink)
    }

    /// Runs `code`, expecting an error whose message contains every fragment.
    func refuses(_ code: String, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let (session, _) = try session()
        switch session.evaluate(code, showResult: false) {
        case .success(let v): XCTFail("\(code) succeeded with \(v.repr)", file: file, line: line)
        case .failure(let e):
            for f in fragments where !e.message.contains(f) {
                XCTFail("\(code): message \(e.message.debugDescription) lacks \(f.debugDescription)", file: file, line: line)
            }
        }
    }

    /// Runs `code`, expecting a value whose repr satisfies `check`.
    func accepts(_ code: String, file: StaticString = #filePath, line: UInt = #line, _ check: (Value) -> Bool = { _ in true }) throws {
        let (session, sink) = try session()
        switch session.evaluate(code, showResult: false) {
        case .success(let v): XCTAssertTrue(check(v), "\(code) gave \(v.repr)", file: file, line: line)
        case .failure(let e): XCTFail("\(code) failed: \(e.message)\n\(sink.transcript)", file: file, line: line)
        }
    }

    static let huge = "9223372036854775807"

    func testRepetitionAndPaddingAreRefusedWithTheLimit() throws {
        try refuses("[0] * \(Self.huge)", ["repeat", "memory"])
        try refuses("\"a\" * 100000000000", ["repeat", "memory"])
        try refuses("\"ab\" * \(Self.huge)", ["memory"])
        try refuses("pad(\"x\", \(Self.huge))", ["pad()", "'width'", "between 0 and 1000000"])
        try refuses("format(1, width: \(Self.huge))", ["format()", "'width'"])
        try refuses("list(0..<\(Self.huge))", ["list()", "memory"])
        try refuses("sorted(0..<\(Self.huge))", ["memory"])
        try accepts("count(0..<\(Self.huge))") { $0.repr == "\(Int.max)" }
        try accepts("count([1, 2] * 3)") { $0.repr == "6" }
    }

    func testRangesNearTheEndOfIntDoNotOverflow() throws {
        try accepts("range(9223372036854775800, 9223372036854775807, step: 5)") { $0.repr == "[9223372036854775800, 9223372036854775805]" }
        try accepts("range(-9223372036854775800, -9223372036854775807, step: -5)") { $0.repr == "[-9223372036854775800, -9223372036854775805]" }
        try accepts("var n = 0; for i in 9223372036854775805..<9223372036854775807 { n += 1 }; n") { $0.repr == "2" }
        try refuses("range(0, \(Self.huge), step: 2)", ["range()", "memory"])
    }

    func testCutoffsBeyondTheCatalogueMeanAllItems() throws {
        for k in ["10000000000", Self.huge] {
            try accepts("count(recommend(m, 1, k: \(k)))") { v in if case .int(let n) = v { return n > 0 && n < 40 }; return false }
            try accepts("recommend_all(m, k: \(k)).count") { v in if case .int(let n) = v { return n > 0 }; return false }
            try accepts("count(similar_items(m, 1, k: \(k)))") { v in if case .int(let n) = v { return n > 0 && n < 40 }; return false }
            try accepts("evaluate(m, s.test, k: \(k))")
            try accepts("fit(item_knn(k: \(k)), s.train)")
            try accepts("fit(user_knn(k: \(k)), s.train)")
        }
        // The same list whatever k beyond the catalogue is asked for.
        try accepts("str(recommend(m, 1, k: 40)) == str(recommend(m, 1, k: \(Self.huge)))") { $0.repr == "true" }
    }

    func testCutoffsHiddenInMetricNames() throws {
        try accepts("compare(m, m, s, metric: \"ndcg@10000000000\")")
        try accepts("evaluate(m, s.test, metrics: [\"precision@\(Self.huge)\", \"ndcg@\(Self.huge)\", \"coverage@\(Self.huge)\"])")
        try refuses("evaluate(m, s.test, metrics: [\"ndcg@99999999999999999999999\"])", ["cutoff"])
    }

    func testModelSizesAreCheckedAgainstMemoryBeforeFitting() throws {
        try refuses("fit(als(factors: 100000000), s.train)", ["factors", "10000"])
        // Within the declared range, but more than the machine has: refused with the estimate.
        let saved = MemoryBudget.limit
        MemoryBudget.limit = 8 << 20
        defer { MemoryBudget.limit = saved }
        try refuses("fit(als(factors: 10000), s.train)", ["fitting als(factors: 10000", "users ×", "would need about", "MB", "available"])
        // 1 268 items: the Gram matrix inverted in place (8 B) and B (4 B) per item pair, 19 MB.
        try refuses("fit(ease(), synthetic(users: 300, items: 3000, seed: 1))", ["ease", "would need about"])
        try refuses("synthetic(users: 10000000, items: 10)", ["synthetic(", "would need about"])
        try refuses("fit(ncf(factors: 10000, layers: [10000, 10000]), s.train)", ["ncf", "would need about"])
        try refuses("train(sequential([embedding(2000000000, 1000), dense(1)]), [[1]], [1])", ["network of embedding(2000000000, 1000)", "would need about"])
    }

    func testDeclaredRangesNameTheArgumentAndTheLimit() throws {
        try refuses("biased_mf(factors: 0)", ["biased_mf()", "'factors'", "between 1 and 10000", "got 0"])
        try refuses("dense(\(Self.huge))", ["dense()", "'units'", "between 1 and 1000000"])
        try refuses("synthetic(users: \(Self.huge))", ["synthetic()", "'users'"])
        try refuses("synthetic(sessions: 1e300)", ["synthetic()", "'sessions'"])
        try refuses("kfold(d, k: \(Self.huge))", ["kfold()", "'k'", "between 2 and 1000"])
        try refuses("round(1.5, digits: 400)", ["round()", "'digits'", "between -20 and 20"])
        // Found by the fuzzer: a core precondition (SIGILL) behind a builtin that accepted 0.
        try refuses("fit(ease(reg: 0), s.train)", ["ease()", "'reg'", "positive"])
    }

    func testRoundKeepsItsMeaningAtTheEdges() throws {
        try accepts("round(1.5, digits: 20)") { $0.repr == "1.5" }
        try accepts("round(1234.5, digits: -2)") { $0.repr == "1200.0" }
        try accepts("round(1e300, digits: 20)") { $0.repr == "1e+300" }
        try accepts("round(0.125, digits: 2)") { $0.repr == "0.13" }
    }

    /// Every Int parameter of every builtin says what it accepts, so that a new builtin cannot
    /// take a size without a limit (seeds and offsets declare `BuiltinParam.anyInt`).
    func testEveryIntParameterDeclaresItsRange() {
        for spec in BuiltinRegistry.standard().specs.values {
            for p in spec.params where p.type == "Int" {
                XCTAssertNotNil(p.range, "\(spec.name)(): parameter '\(p.name)' is an Int without a declared range")
            }
        }
    }
}
