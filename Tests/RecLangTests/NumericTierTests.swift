import XCTest
@testable import RecLang

/// The numeric tier (Runtime/NumericTier.swift, NumericLoops.swift) against the generic path:
/// every program here prints the same transcript — values, errors with their positions and
/// stack traces, and the state a failed chunk leaves behind — with the tier on and off, and the
/// tier is shown to have run the code it should run, so an agreement cannot come from the tier
/// never being used.
final class NumericTierTests: XCTestCase {

    /// The transcript of `chunks` run one after the other in one session (as REPL entries).
    private func transcript(_ chunks: [String], tier: Bool, inspect: (Session) -> Void = { _ in }) -> String {
        let sink = CollectingSink()
        let session = try! Session(sink: sink)
        session.interpreter.numericTier = tier
        for (i, c) in chunks.enumerated() { session.evaluate(c, name: "chunk\(i + 1).rec", showResult: true) }
        inspect(session)
        return sink.transcript
    }

    private func assertSameWithAndWithoutTier(_ chunks: [String], file: StaticString = #filePath, line: UInt = #line) {
        let generic = transcript(chunks, tier: false)
        let tiered = transcript(chunks, tier: true)
        XCTAssertEqual(tiered, generic, file: file, line: line)
    }

    private func specializations(_ s: Session, _ name: String) -> Int {
        guard case .closure(let c)? = s.interpreter.lookup(name) else { return 0 }
        return c.proto.specializations.count
    }

    private let programs: [String] = [
        "fn fib(n) { if n < 2 { return n }; fib(n - 1) + fib(n - 2) }\nprint(fib(20), fib(2.5), fib(-3))",
        "fn collatz(n) { var x = n; var steps = 0; while x != 1 { if x % 2 == 0 { x = x // 2 } else { x = 3 * x + 1 }; steps += 1 }; steps }\nprint(collatz(27), collatz(1))",
        "fn mean(a, b) { (a + b) / 2 }\nprint(mean(1, 2), mean(1.5, 2), mean(-1, 1), mean(true, 1))",
        "fn firstdiv(n) { for d in 2..<n { if n % d == 0 { return d } }; n }\nprint(firstdiv(91), firstdiv(97), firstdiv(2))",
        "fn f(a, b) { var s = 0.0; for i in a...b { if i % 3 == 0 { continue }; if i > 50 { break }; s += i / 7 }; s }\nprint(f(1, 100), f(5, 4))",
        "fn g(x) { -x // 3 + (x % -4) - 7 % 3 * 2 }\nprint(g(10), g(-10), g(0))",
        "fn h(x, y) { x < y and not (x == y) or y != y }\nprint(h(1, 2), h(2.0, 1), h(0.0 / 1.0, 1))",
        "fn nan(x) { let z = x - x; z < 1 or z >= 1 or z == z }\nprint(nan(1e308 * 10))",
        "fn k(x) { if x > 1 { 1.5 } else if x > 0 { 0.5 } else { -0.5 } }\nprint(k(2), k(1), k(0))",
        "fn p(x) { x ** 0.5 + 2.0 ** x }\nprint(p(4), p(2.0))",
        "let K = 3\nvar W = 2.5\nfn addk(x) { x + K * W }\nprint(addk(4))\nW = 1.0\nprint(addk(4))",
        "fn isodd(n) { if n == 0 { false } else { iseven(n - 1) } }\nfn iseven(n) { if n == 0 { true } else { isodd(n - 1) } }\nprint(iseven(10), isodd(7))",
        "fn ack(m, n) { if m == 0 { return n + 1 }; if n == 0 { return ack(m - 1, 1) }; ack(m - 1, ack(m, n - 1)) }\nprint(ack(2, 3))",
        // Errors: the generic path raises them, where it always did.
        "fn big(n) { if n == 0 { return 1 }; 1000 * big(n - 1) }\nprint(big(3))\nprint(big(7))",
        "fn d(a, b) { a // b }\nprint(d(7, 2))\nprint(d(7, 0))",
        "fn m(a, b) { a % b }\nprint(m(7.5, 2))\nprint(m(1, 0))",
        "fn q(a, b) { a / b }\nprint(q(1, 4))\nprint(q(1.0, 0))",
        "fn deep(n) { if n == 0 { return 0 }; 1 + deep(n - 1) }\nprint(deep(1000))\nprint(deep(200000))",
        "fn neg(x) { -x }\nprint(neg(-9223372036854775807))\nprint(neg(-9223372036854775807 - 1))",
        "fn r(n) { for i in 0...n { if i == 3 { return i * 1.5 } }; 0.0 }\nprint(r(10))\nprint(r(9223372036854775807))",
        "fn noresult(n) { if n > 0 { return n } }\nprint(noresult(1), noresult(0))",
        "fn typed(n) { if n > 0 { return 1 }; 0.5 }\nprint(typed(1), typed(0))",
        // Loops of a script's top level, over globals.
        "var i = 0\nvar s = 0\nwhile i < 1000 { s = s + i * 2 % 7; i += 1 }\nprint(s, i)",
        "var t = 0.0\nfor j in 0..<100 { t += j / 3; if t > 500 { break } }\nprint(t)",
        "var n = 0\nfor a in 0..<10 { for b in 0..<a { n += a * b } }\nprint(n)",
        "fn sq(x) { x * x }\nvar acc = 0\nfor a in 1...100 { acc += sq(a) }\nprint(acc)",
        "var x = 1\nfor a in 0..<100 { x = x * 3 }\nprint(x)",
        "var y = 5\nwhile y > 0 { y = y - 1; if y == 2 { y = \"two\" } }\nprint(y)",
    ]

    /// Loops over lists and maps: reads checked element by element, stores rolled back when an
    /// iteration bails, the undo log's limit.
    private let containerPrograms: [[String]] = [
        ["let P = [1: [0.5, 0.25], 2: [1.0, 2.0]]\nlet us = [1, 2, 2, 1]\nvar total = 0.0\nfor n in 0..<us.count { let p = P[us[n]]; for f in 0..<2 { total += p[f] * p[-1 - f]; p[f] = p[f] * 0.5 } }",
         "print(total, P)"],
        ["var xs = [1.0, 2.0, 3.0]\nvar big = 9223372036854775800\nfor i in 0..<3 { xs[i] = xs[i] * 2; big += 5 }", "print(xs, big)"],
        ["var ys = [1.0, \"a\"]\nvar t = 0.0\nfor i in 0..<2 { t += ys[i] }", "print(t)"],
        ["var zs = [1.0, \"x\", 3.0]\nfor i in 0..<3 { zs[i] = 0.5 }", "print(zs)"],
        ["let m = [1: 2.0, 3: 4.0]\nvar s = 0.0\nfor k in 1..<5 { s += m[k] }", "print(s)"],
        ["let m = [1.0: 2, 2: 3]\nvar s = 0\nfor k in 1..<3 { s += m[k] + m[k * 1.0] }\nprint(s, m.count, m.isEmpty)"],
        ["var w = [0.0, 0.0, 0.0]\nfor e in 0..<2 { for i in 0..<70000 { w[i % 3] = w[i % 3] + 1.0 } }", "print(w)"],
        ["var v = [3, 1, 2]\nvar i = 0\nwhile i < 3 { v[i] += v[(i + 1) % 3] * 10; i += 1 }\nprint(v, v.count)"],
        ["var out = [0, 0]\nfor i in 0..<4 { out[i] = i }", "print(out)"],
    ]

    func testLoopsOverListsAndMapsAgreeAndRollBack() {
        for p in containerPrograms { assertSameWithAndWithoutTier(p) }
    }

    func testTheTierRunsLoops() {
        _ = transcript(containerPrograms[0] + ["var i = 0\nwhile i < 10 { i += 1 }"], tier: true) { s in
            XCTAssertEqual(s.interpreter.numericLoopRuns, 2, "the outer loop once (its inner loop inside it), the while loop once")
        }
        _ = transcript(containerPrograms[0], tier: false) { s in XCTAssertEqual(s.interpreter.numericLoopRuns, 0) }
    }

    func testProgramsPrintTheSameWithAndWithoutTheTier() {
        for p in programs { assertSameWithAndWithoutTier([p]) }
    }

    /// An error in the middle of a loop of globals: what the loop had done before the failing
    /// iteration, and that iteration up to the error, is what the REPL sees next.
    func testALoopThatFailsLeavesTheVariablesAsTheGenericPathDoes() {
        let chunks = [
            "var total = 0\nvar last = 0\nfn big(n) { if n == 0 { return 1 }; 1000 * big(n - 1) }",
            "for i in 0..<10 { total += i; last = i; total += big(i) }",
            "print(total, last)",
            "var k = 0\nwhile k < 100 { k += 1; total = total * 100 }",
            "print(total, k)",
        ]
        assertSameWithAndWithoutTier(chunks)
        XCTAssertTrue(transcript(chunks, tier: true).contains("integer overflow in '*'"))
    }

    /// A function the tier compiled calls the new definition of a function redefined since.
    func testARedefinedCalleeIsCalled() {
        assertSameWithAndWithoutTier([
            "fn inner(x) { x + 1 }\nfn outer(x) { inner(x) * 2 }",
            "print(outer(3))",
            "fn inner(x) { x + 100 }",
            "print(outer(3))",
            "fn inner(x) { \"text\" }",
            "print(outer(3))",
        ])
    }

    func testTheTierRunsPureNumericFunctionsAndLeavesOthers() {
        _ = transcript([
            "fn fib(n) { if n < 2 { return n }; fib(n - 1) + fib(n - 2) }\nfib(10)\nfib(2.5)",
            "fn greet(n) { print(n); n }\ngreet(1)",
            "fn listy(n) { [n][0] }\nlisty(1)",
        ], tier: true) { s in
            XCTAssertEqual(specializations(s, "fib"), 2, "one for Int, one for Float")
            XCTAssertEqual(specializations(s, "greet"), 0)
            XCTAssertEqual(specializations(s, "listy"), 0)
        }
    }

    /// fib(25) makes 242 785 calls: with the tier off the same program is the reference, and
    /// with it on the result must not change. Beside correctness this guards the tier's stack:
    /// frames of callers and callees must not overlap.
    func testDeepAndWideRecursionAgrees() {
        assertSameWithAndWithoutTier(["fn fib(n) { if n < 2 { return n }; fib(n - 1) + fib(n - 2) }\nprint(fib(25))",
                                      "fn s(a, b, c) { if a == 0 { return b + c }; s(a - 1, c, b + 1) + s(a - 1, b, c) }\nprint(s(12, 1, 2))"])
    }
}
