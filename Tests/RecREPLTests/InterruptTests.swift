import Foundation
import XCTest

/// Ctrl-C (SIGINT) while native work runs: in a script it ends the whole run with status 130 and
/// an `interrupted` error that says where; in the REPL a stopped `fit` keeps the model trained so
/// far. Standard error is a pipe here (no progress bar); TerminalTests covers the terminal.
final class InterruptTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: recBinary.path), "rec binary not built at \(recBinary.path)")
        dir = try temporaryDirectory(self)
    }

    private func script(_ text: String) throws -> String {
        let p = dir.appendingPathComponent("s.rec").path
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// Starts `rec args`, sends SIGINT `delay` seconds after `marker` appears, and returns the
    /// process once it exited, with the seconds it took to exit after the signal.
    private func interrupt(_ args: [String], stdin: String? = nil, after marker: String, delay: Double = 0.3) throws -> (RunningProcess, Int32, Double) {
        let p = try RunningProcess(recBinary, args)
        if let stdin { p.write(stdin) }
        p.waitFor(marker)
        Thread.sleep(forTimeInterval: delay)
        let sent = Date()
        p.interrupt()
        let status = p.finish()
        return (p, status, Date().timeIntervalSince(sent))
    }

    func testCtrlCDuringFitEndsTheScript() throws {
        let s = try script("""
            let d = synthetic(users: 300, items: 200, seed: 1)
            print("before")
            warn("fitting")
            let m = fit(biased_mf(epochs: 1000000), d)
            print("after")

            """)
        let (p, status, _) = try interrupt(["run", s], after: "warning: fitting")
        XCTAssertEqual(status, 130, p.stderr)
        XCTAssertEqual(p.stdout, "before\n")
        let expected = "^" + NSRegularExpression.escapedPattern(for: s) + #":3:5: warning: fitting\n"#
            + NSRegularExpression.escapedPattern(for: s) + #":4:12: error: interrupted: fit\(\) stopped after epoch \d+ of 1000000\n"#
            + #"    let m = fit\(biased_mf\(epochs: 1000000\), d\)\n               \^\n$"#
        XCTAssertNotNil(p.stderr.range(of: expected, options: .regularExpression), p.stderr)
    }

    func testCtrlCDuringAFitInsideAFunctionShowsTheTrace() throws {
        let s = try script("""
            fn train(d) {
              warn("fitting")
              fit(bpr(epochs: 1000000), d)
            }
            train(synthetic(users: 200, items: 100, seed: 2))
            print("after")

            """)
        let (p, status, _) = try interrupt(["run", s], after: "warning: fitting")
        XCTAssertEqual(status, 130, p.stderr)
        XCTAssertEqual(p.stdout, "")
        XCTAssertTrue(p.stderr.contains("s.rec:3:6: error: interrupted: fit() stopped after epoch "), p.stderr)
        XCTAssertTrue(p.stderr.contains("stack trace"), p.stderr)
    }

    /// evaluate polls between batches of users (about 2^22 user–item scores, 200 users here): it
    /// stops long before it would have finished (about 45 s in a debug build, where one batch
    /// takes about 3 s).
    func testCtrlCStopsALongEvaluationSoon() throws {
        let s = try script("""
            let d = synthetic(users: 3000, items: 20000, seed: 1)
            let s = user_temporal_split(d, last: 2)
            let m = fit(als(factors: 16, iterations: 0), s.train)
            warn("evaluating")
            let r = evaluate(m, s, metrics: ["ndcg@10"])
            print("after")

            """)
        let (p, status, seconds) = try interrupt(["run", s], after: "warning: evaluating")
        XCTAssertEqual(status, 130, p.stderr)
        XCTAssertEqual(p.stdout, "")
        XCTAssertTrue(p.stderr.contains("s.rec:5:17: error: interrupted\n"), p.stderr)
        XCTAssertLessThan(seconds, 12, "evaluate took \(seconds) s to notice Ctrl-C")
    }

    /// The REPL (piped here): a top-level fit stops and keeps its model, the rest of the entry
    /// and the next entries run; a fit inside cross_validate ends that entry with the error.
    func testREPLKeepsTheStoppedModelButCrossValidationStops() throws {
        let input = """
            let d = synthetic(users: 300, items: 200, seed: 1)
            warn("fitting")
            let m = fit(biased_mf(epochs: 1000000), d); print("rest of entry")
            m.fitted
            d.count

            """
        let (p, status, _) = try interrupt([], stdin: input, after: "warning: fitting")
        XCTAssertEqual(status, 0, p.stderr)
        XCTAssertEqual(p.stdout, "rest of entry\ntrue\n8742\n")
        XCTAssertNotNil(p.stderr.range(of: #"\n<repl:3>:1:12: warning: fit\(\): stopped by Ctrl-C after epoch \d+ of 1000000; the model is usable as trained so far\n$"#,
                                       options: .regularExpression), p.stderr)

        let cv = """
            let d = synthetic(users: 300, items: 200, seed: 1)
            warn("cross-validating")
            let t = cross_validate(biased_mf(epochs: 1000000), d, folds: 2)
            t == nil

            """
        let (q, cvStatus, _) = try interrupt([], stdin: cv, after: "warning: cross-validating")
        XCTAssertEqual(cvStatus, 1, "a piped REPL with a failed entry exits 1")
        XCTAssertTrue(q.stderr.contains("<repl:3>:1:23: error: interrupted: fit() stopped after epoch "), q.stderr)
        // The failed entry defined nothing: t is undefined.
        XCTAssertTrue(q.stderr.contains("undefined name 't'"), q.stderr)
    }

    /// Code running in the numeric tier stops as the generic path does: a loop of globals at the
    /// `while`, a recursion at a call, with the variables as the last whole iteration left them
    /// (the REPL sees them afterwards).
    func testCtrlCStopsNumericLoopsAndRecursion() throws {
        let loop = try script("""
            var i = 0
            var laps = 0
            warn("spinning")
            while laps >= 0 { i += 1; if i == 1000 { i = 0; laps += 1 } }

            """)
        let (p, status, seconds) = try interrupt(["run", loop], after: "warning: spinning")
        XCTAssertEqual(status, 130, p.stderr)
        XCTAssertTrue(p.stderr.contains("s.rec:4:1: error: interrupted"), p.stderr)
        XCTAssertLessThan(seconds, 5)

        let recursion = try script("""
            fn spin(n) { if n == 0 { return 0 }; spin(n - 1) + spin(n - 1) + 1 }
            warn("spinning")
            spin(60)

            """)
        let (q, qStatus, _) = try interrupt(["run", recursion], after: "warning: spinning")
        XCTAssertEqual(qStatus, 130, q.stderr)
        XCTAssertTrue(q.stderr.contains("error: interrupted"), q.stderr)
        XCTAssertTrue(q.stderr.contains("in spin at"), q.stderr)

        let repl = """
            var i = 0
            var laps = 0
            warn("spinning")
            while laps >= 0 { i += 1; if i == 1000 { i = 0; laps += 1 } }
            print(laps > 0, i >= 0 and i < 1000)

            """
        let (r, rStatus, _) = try interrupt([], stdin: repl, after: "warning: spinning")
        XCTAssertEqual(rStatus, 1, r.stderr)
        XCTAssertEqual(r.stdout, "true true\n", r.stderr)
    }
}
