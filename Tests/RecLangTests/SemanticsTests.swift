import Foundation
import XCTest
@testable import RecLang
import RecStore

/// Runs `source` as one chunk named `t.rec` in a fresh session (prelude loaded) and returns the
/// transcript: printed text, the value of the last expression (when not nil), warnings and errors.
func runRec(_ source: String) -> String {
    let sink = CollectingSink()
    let session = try! Session(sink: sink, storage: Workspace.storage)
    session.evaluate(source, name: "t.rec", showResult: true)
    return sink.transcript
}

/// Runs `body` on a thread with a large stack, as the `rec` command runs programs.
func onLargeStack<T>(_ body: @escaping () -> T) -> T {
    let box = LargeStackResult()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = body()
        done.signal()
    }
    thread.stackSize = 1 << 29
    thread.start()
    done.wait()
    return box.value as! T
}

private final class LargeStackResult: @unchecked Sendable { var value: Any?; init() {} }

final class SemanticsTests: XCTestCase {

    // MARK: Helpers

    private func assertRuns(_ source: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(runRec(source), expected, "source: \(source)", file: file, line: line)
    }

    /// Asserts that `source` fails with exactly one error whose headline ends with `message`.
    private func assertFails(_ source: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let (events, _) = runEvents(source)
        let errors = events.compactMap { e -> RecError? in if case .error(let err) = e { return err }; return nil }
        guard errors.count == 1 else {
            XCTFail("expected one error for \(source.debugDescription), got \(errors.map(\.headline))", file: file, line: line)
            return
        }
        XCTAssertEqual(errors[0].message, message, "source: \(source)", file: file, line: line)
    }

    private func runEvents(_ source: String) -> ([OutputEvent], Session) {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        session.evaluate(source, name: "t.rec", showResult: true)
        return (sink.events, session)
    }

    private func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rec-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    // MARK: Numbers

    func testArithmeticAndPromotion() {
        assertRuns("1 + 2 * 3", "7\n")
        assertRuns("(1 + 2) * 3", "9\n")
        assertRuns("1 + 2.5", "3.5\n")
        assertRuns("2.5 * 2", "5.0\n")
        assertRuns("7 / 2", "3.5\n")
        assertRuns("6 / 2", "3.0\n")
        assertRuns("type(6 / 2)", "\"Float\"\n")
        assertRuns("type(6 // 2)", "\"Int\"\n")
        assertRuns("0.1 + 0.2", "0.30000000000000004\n")
        assertRuns("2 ** 10", "1024\n")
        assertRuns("2 ** -1", "0.5\n")
        assertRuns("2 ** 0.5", "1.4142135623730951\n")
        assertRuns("4.0 ** 2", "16.0\n")
        assertRuns("1 == 1.0", "true\n")
        assertRuns("-(3)", "-3\n")
        assertRuns("let x = 5; -x", "-5\n")
        assertRuns("1e308 * 10", "inf\n")
        assertRuns("\"ab\" * 3", "\"ababab\"\n")
        assertRuns("[0] * 3", "[0, 0, 0]\n")
        assertRuns("[1] + [2, 3]", "[1, 2, 3]\n")
        assertRuns("print(float(\"nan\"), -1e308 * 10, 1e20, 3.0)", "nan -inf 1e+20 3.0\n")
    }

    func testFloorDivisionAndModuloFollowTheDivisorsSign() {
        assertRuns("[7 // 2, -7 // 2, 7 // -2, -7 // -2]", "[3, -4, -4, 3]\n")
        assertRuns("[7 % 3, -7 % 3, 7 % -3, -7 % -3]", "[1, 2, -2, -1]\n")
        assertRuns("[7.5 // 2, -7.5 // 2, -7.5 % 2, 7.5 % -2]", "[3.0, -4.0, 0.5, -0.5]\n")
        assertRuns("[6 % 3, -6 % 3, 5 % -1]", "[0, 0, 0]\n")
        assertRuns("let m = -9223372036854775807 - 1; m % -1", "0\n")
    }

    func testIntegerOverflowIsAnError() {
        let hint = "(Int is 64-bit; use a Float for larger values)"
        assertFails("9223372036854775807 + 1", "integer overflow in '+' \(hint)")
        assertFails("let big = 9223372036854775807\nbig + big", "integer overflow in '+' \(hint)")
        assertFails("-9223372036854775807 - 2", "integer overflow in '-' \(hint)")
        assertFails("4611686018427387904 * 2", "integer overflow in '*' \(hint)")
        assertFails("2 ** 63", "integer overflow in '**' \(hint)")
        assertFails("var x = 9223372036854775807\nx += 1", "integer overflow in '+' \(hint)")
        assertFails("var x = -9223372036854775807\nx -= 2", "integer overflow in '-' \(hint)")
        assertFails("var x = 9223372036854775807\nx *= 2", "integer overflow in '*' \(hint)")
        assertFails("let m = -9223372036854775807 - 1\nm // -1", "integer overflow in '//' \(hint)")
        assertFails("let m = -9223372036854775807 - 1\n-m", "integer overflow in '-' \(hint)")
        assertFails("let m = -9223372036854775807 - 1\nabs(m)", "abs(): integer overflow")
        assertFails("0...9223372036854775807", "integer overflow in '...' \(hint)")
        // Inside functions (local-slot fast paths) and in prelude code.
        assertFails("fn f() { var i = 9223372036854775807; i + 1 }\nf()", "integer overflow in '+' \(hint)")
        assertFails("fn f(a, b) { a * b }\nf(9223372036854775807, 3)", "integer overflow in '*' \(hint)")
        assertFails("fn f() { var i = 9223372036854775807; i += 1; i }\nf()", "integer overflow in '+' \(hint)")
        assertFails("sum([9223372036854775807, 1])", "integer overflow in '+' \(hint)")
        assertFails("let xs = [9223372036854775807]; xs[0] += 1", "integer overflow in '+' \(hint)")
        // Float arithmetic does not overflow into an error.
        assertRuns("9223372036854775807 + 1.0", "9.223372036854776e+18\n")
    }

    func testDivisionByZero() {
        assertFails("1 / 0", "division by zero")
        assertFails("1.5 / 0.0", "division by zero")
        assertFails("1 // 0", "division by zero")
        assertFails("1.0 // 0", "division by zero")
        assertFails("1 % 0", "modulo by zero")
        assertFails("1.5 % 0", "modulo by zero")
        assertRuns("1 / 0", "t.rec:1:3: error: division by zero\n    1 / 0\n      ^\n")
        assertRuns("fn mean_of(xs) { sum(xs) / count(xs) }\nmean_of([])", """
        t.rec:1:26: error: division by zero
            fn mean_of(xs) { sum(xs) / count(xs) }
                                     ^
        stack trace (most recent call first):
          in mean_of at t.rec:1:26
          in <script> at t.rec:2:8

        """)
    }

    func testOperatorTypeErrors() {
        assertFails("1 + \"a\"", "cannot apply '+' to Int and String; to build a string use interpolation: \"\\(x)\"")
        assertFails("[1] - [1]", "cannot apply '-' to List and List")
        assertFails("nil * 2", "cannot apply '*' to Nil and Int")
        assertFails("\"a\" * -1", "cannot repeat a string a negative number of times")
        assertFails("-\"a\"", "cannot negate a String")
        assertFails("1 < \"a\"", "cannot compare Int and String with '<'")
        assertFails("0..<2.5", "range bounds must be Ints, got Int and Float")
    }

    // MARK: Strings

    func testStringsAndInterpolation() {
        assertRuns("\"a\" + \"b\"", "\"ab\"\n")
        assertRuns("let x = 41\n\"x + 1 = \\(x + 1)\"", "\"x + 1 = 42\"\n")
        assertRuns(#"print("\(nil) \(true) \(1.0) \([1, "a"]) \((a: "b"))")"#, "nil true 1.0 [1, \"a\"] (a: \"b\")\n")
        // Quotes, parentheses and interpolations nested inside an interpolation.
        assertRuns(#"print("<\(join(["a", "b"], ", "))>")"#, "<a, b>\n")
        assertRuns(#"print("\(")")")"#, ")\n")
        assertRuns(#"print("\("\("deep" + "er")")!")"#, "deeper!\n")
        assertRuns(#"let m = ["k": "v"]; print("\(m["k"])")"#, "v\n")
        assertRuns(#"print("a\tb\\c\"d\u{41}")"#, "a\tb\\c\"dA\n")
        assertRuns(#""say \"hi\"\n""#, "\"say \\\"hi\\\"\\n\"\n")
        assertRuns("\"line one\nline two\"", "\"line one\\nline two\"\n")
        assertRuns(#""é😀".count"#, "2\n")
        assertRuns(#"["abc"[0], "abc"[-1], "hello"[1..<3], "hello"[1...3]]"#, "[\"a\", \"c\", \"el\", \"ell\"]\n")
        assertRuns(#"[upper("ab"), lower("AB"), trim("  x \n"), replace("a-b-c", "-", "+")]"#, "[\"AB\", \"ab\", \"x\", \"a+b+c\"]\n")
        assertRuns(#"[starts_with("recsys", "rec"), ends_with("recsys", "sys"), contains("recsys", "cs")]"#, "[true, true, true]\n")
        assertRuns(#"[pad("ab", 4), pad(7, 3, right: true)]"#, "[\"ab  \", \"  7\"]\n")
        assertRuns(#"[str(1.5), str("s"), repr("s"), str([1, "s"])]"#, "[\"1.5\", \"s\", \"\\\"s\\\"\", \"[1, \\\"s\\\"]\"]\n")
        assertRuns(#"var out = []; for ch in "héllo" { out.append(ch) }; join(out, "|")"#, "\"h|é|l|l|o\"\n")
        assertFails(#""abc"[3]"#, "index 3 out of range (count is 3)")
    }

    // MARK: Comparisons and logic

    func testComparisons() {
        assertRuns("[1 < 2, 2 <= 2, 3 > 4, 1 >= 1.5, 1 < 1.5, 1 != 2]", "[true, true, false, false, true, true]\n")
        assertRuns(#"["a" < "b", "B" < "a", false < true, [1, 2] < [1, 3], [1] < [1, 0]]"#, "[true, true, true, true, true]\n")
        assertRuns(#"[1 == "1", nil == nil, nil == false, [1, [2]] == [1, [2]], (a: 1) == (a: 1), (a: 1) == (b: 1)]"#,
                   "[false, true, false, true, true, false]\n")
        assertRuns(#"[["a": 1, "b": 2] == ["b": 2, "a": 1], 0..<3 == 0...2, print == print]"#, "[true, true, true]\n")
        assertRuns(#"let nan = float("nan"); [nan == nan, nan < 1, nan > 1]"#, "[false, false, false]\n")
        assertFails("[1] < [\"a\"]", "cannot compare List and List with '<'")
        assertFails("(a: 1) < (a: 2)", "cannot compare Record and Record with '<'")
    }

    func testShortCircuitAndBoolConditions() {
        assertRuns(#"false and error("not evaluated")"#, "false\n")
        assertRuns(#"true or error("not evaluated")"#, "true\n")
        assertRuns(#"false && error("x")"#, "false\n")
        assertRuns(#"true || error("x")"#, "true\n")
        assertRuns(#"3 ?? error("x")"#, "3\n")
        assertRuns("nil ?? 5", "5\n")
        assertRuns("false ?? 5", "false\n")
        assertRuns("[not true, !false, true and not false]", "[false, true, true]\n")
        assertFails("1 and true", "the left side of 'and' must be a Bool, got Int")
        assertFails("true and 1", "the right side of 'and' must be a Bool, got Int")
        assertFails("nil or true", "the left side of 'or' must be a Bool, got Nil (compare with nil explicitly: x != nil)")
        assertFails("false || \"yes\"", "the right side of 'or' must be a Bool, got String")
        assertFails("not 1", "the operand of 'not' must be a Bool, got Int")
        assertFails("![]", "the operand of 'not' must be a Bool, got List")
        assertFails("if 1 { 2 }", "an if condition must be a Bool, got Int")
        assertFails("let x = nil\nif x { 2 }", "an if condition must be a Bool, got Nil (compare with nil explicitly: x != nil)")
        assertFails("while 0 { }", "a while condition must be a Bool, got Int")
        assertFails("fn f(n) { if n { 1 } }\nf(1)", "an if condition must be a Bool, got Int")
        assertFails("fn f(n) { while n < \"a\" { } }\nf(1)", "cannot compare Int and String with '<'")
    }

    // MARK: Control flow

    func testIfIsAnExpression() {
        assertRuns(#"let v = if 1 > 2 { "a" } else { "b" }; v"#, "\"b\"\n")
        assertRuns("if false { 1 }", "")
        assertRuns("let w = if false { 1 }; w == nil", "true\n")
        assertRuns("let a = if true { let t = 2; t * 3 } else { 0 }; a", "6\n")
        assertRuns("""
        fn sign(x) { if x < 0 { -1 } else if x == 0 { 0 } else { 1 } }
        [sign(-5), sign(0), sign(5)]
        """, "[-1, 0, 1]\n")
        assertRuns("let r = if true {\n  1\n}\nelse {\n  2\n}\nr", "1\n")
        assertRuns("fn f(x) { if x > 0 { return \"pos\" }; \"non-pos\" }\n[f(1), f(-1)]", "[\"pos\", \"non-pos\"]\n")
    }

    func testLoopsWithNestedBreakAndContinue() {
        assertRuns("""
        var out = []
        for i in 0..<4 {
          if i == 1 { continue }
          for j in 0..<4 {
            if j == 2 { break }
            out.append([i, j])
          }
          if i == 2 { break }
        }
        out
        """, "[[0, 0], [0, 1], [2, 0], [2, 1]]\n")
        assertRuns("""
        var i = 0
        var s = 0
        while true {
          i += 1
          if i % 2 == 0 { continue }
          if i > 9 { break }
          s += i
        }
        [i, s]
        """, "[11, 25]\n")
        assertRuns("""
        fn find_pair(target) {
          for a in 1...9 {
            for b in a...9 {
              if a * b == target { return [a, b] }
            }
          }
          nil
        }
        [find_pair(12), find_pair(97)]
        """, "[[2, 6], nil]\n")
        assertRuns("var n = 0\nfor x in [1, 2, 3] { var y = x; while y > 0 { y -= 1; if y == 1 { continue }; n += 1 } }\nn", "4\n")
    }

    func testLoopSequences() {
        assertRuns("var s = []; for i in 1...3 { s.append(i) }; for i in 3..<1 { s.append(i) }; s", "[1, 2, 3]\n")
        assertRuns(#"var s = []; for k in ["b": 1, "a": 2] { s.append(k) }; s"#, "[\"b\", \"a\"]\n")
        assertRuns(#"var s = []; for (k, v) in ["b": 1, "a": 2] { s.append("\(k)=\(v)") }; s"#, "[\"b=1\", \"a=2\"]\n")
        assertRuns(#"var s = []; for (i, x) in enumerate(["p", "q"]) { s.append([i, x]) }; s"#, "[[0, \"p\"], [1, \"q\"]]\n")
        assertRuns(#"var s = 0; for (a, b) in zip([1, 2, 3], [10, 20]) { s += a * b }; s"#, "50\n")
        assertRuns(#"var s = []; for (k, v) in [(key: 1, value: 2)] { s.append(k + v) }; s"#, "[3]\n")
        assertRuns("var s = 0; for x in range(0, 10, 3) { s += x }; s", "18\n")
        assertRuns("for i in 0..<3 { }\ni", "t.rec:2:1: error: undefined name 'i'\n    i\n    ^\n")
        assertFails("for (a, b) in [1, 2] { }", "for (a, b) needs pairs (two-element lists or records), got 1")
        assertFails("for (a, b) in 0..<3 { }", "a range yields single numbers; use 'for i in …'")
        assertFails("for (a, b) in \"ab\" { }", "a string yields single characters")
        assertFails("for x in 5 { }", "cannot iterate over an Int")
        // Mutating a map while iterating over it sees a snapshot of the keys.
        assertRuns(#"let m = ["a": 1, "b": 2]; var seen = []; for (k, v) in m { remove(m, "b"); m["c"] = 3; seen.append(k) }; [seen, m]"#,
                   "[[\"a\"], [\"a\": 1, \"c\": 3]]\n")
    }

    // MARK: Functions and closures

    func testClosuresCaptureEachIterationsLoopVariable() {
        assertRuns("""
        var fs = []
        for i in 0..<3 { fs.append({ i * 10 }) }
        for x in ["a", "b"] { fs.append({ x }) }
        for (k, v) in ["k": "v"] { fs.append({ k + v }) }
        fs |> map { f in f() }
        """, "[0, 10, 20, \"a\", \"b\", \"kv\"]\n")
        assertRuns("""
        fn make() {
          var gs = []
          var k = 0
          while k < 3 {
            let captured = k
            gs.append({ captured })
            k += 1
          }
          gs |> map { g in g() }
        }
        make()
        """, "[0, 1, 2]\n")
    }

    func testCapturedVariablesAreShared() {
        assertRuns("""
        fn counter() {
          var c = 0
          { c += 1; c }
        }
        let a = counter()
        let b = counter()
        a(); a(); b()
        [a(), b()]
        """, "[3, 2]\n")
        assertRuns("""
        fn pair() { var n = 0; (inc: { n += 1 }, get: { n }) }
        let p = pair()
        p.inc(); p.inc()
        p.get()
        """, "2\n")
        assertRuns("var x = 1; let f = { x }; x = 2; f()", "2\n")
        assertRuns("fn t() { var x = 1; let f = { x }; x = 2; f() }; t()", "2\n")
        assertRuns("fn t(p) { let f = { p * 2 }; f() }; t(21)", "42\n")
        assertRuns("fn adder(n) { { x in x + n } }; let add3 = adder(3); [add3(1), adder(10)(1)]", "[4, 11]\n")
        assertRuns("fn outer() { var v = 1; fn inner() { { v += 10 } }; inner()(); v }; outer()", "11\n")
    }

    func testRecursion() {
        assertRuns("fn fib(n) { if n < 2 { return n }; fib(n - 1) + fib(n - 2) }; fib(20)", "6765\n")
        assertRuns("fn fact(n) { if n <= 1 { 1 } else { n * fact(n - 1) } }; fact(20)", "2432902008176640000\n")
        assertRuns("""
        fn is_even(n) { if n == 0 { true } else { is_odd(n - 1) } }
        fn is_odd(n) { if n == 0 { false } else { is_even(n - 1) } }
        [is_even(10), is_odd(7), is_even(7)]
        """, "[true, true, false]\n")
    }

    func testMutualRecursionOfLocalFunctions() {
        assertRuns("""
        fn parity(n) {
          fn ev(k) { if k == 0 { "even" } else { od(k - 1) } }
          fn od(k) { if k == 0 { "odd" } else { ev(k - 1) } }
          ev(n)
        }
        [parity(10), parity(7)]
        """, "[\"even\", \"odd\"]\n")
        assertRuns("""
        fn runRec() {
          fn fact(n) { if n <= 1 { 1 } else { n * fact(n - 1) } }
          let f = fact
          f(5)
        }
        runRec()
        """, "120\n")
        assertRuns("""
        fn outer(base) {
          if true {
            fn down(n) { if n == 0 { base } else { up(n - 1) } }
            fn up(n) { down(n) }
            down(3)
          }
        }
        outer("done")
        """, "\"done\"\n")
    }

    func testDefaultAndNamedParameters() {
        assertRuns(#"""
        fn greet(name, greeting: "hello") { "\(greeting), \(name)!" }
        [greet("Ada"), greet("Ada", greeting: "hi"), greet(name: "Bo"), greet(greeting: "yo", name: "Cy")]
        """#, "[\"hello, Ada!\", \"hi, Ada!\", \"hello, Bo!\", \"yo, Cy!\"]\n")
        assertRuns("fn f(a, b: a * 2) { a + b }\n[f(1), f(1, b: 5), f(a: 4)]", "[3, 6, 12]\n")
        assertRuns("fn f(a, b: 1, c: b + 1) { [a, b, c] }\n[f(0), f(0, c: 9), f(0, b: 5)]", "[[0, 1, 2], [0, 1, 9], [0, 5, 6]]\n")
        assertRuns("fn sub(a, b) { a - b }\nsub(b: 1, a: 10)", "9\n")
        // A default is evaluated on every call: no shared mutable default.
        assertRuns("fn add(x, into: []) { into.append(x); into }\nadd(1)\nadd(2)", "[2]\n")
        // Named arguments also work for closures and builtins.
        assertRuns("let f = { a, b in a - b }\nf(b: 1, a: 3)", "2\n")
        assertRuns(#"print("a", "b", sep: "-", end: "!\n")"#, "a-b!\n")
    }

    func testDefaultClosureCapturingAnEarlierParameter() {
        assertRuns("fn f(a, g: { a + 1 }) { a * 10 + g() }\nf(1)", "12\n")
        assertRuns("fn f(a, g: { a + 1 }) { g() }\nf(1, g: { 7 })", "7\n")
    }

    func testWrongArgumentsAreErrors() {
        assertFails("fn f(a, b) { a }\nf(1)", "f(): missing argument 'b' (signature: f(a, b))")
        assertFails("fn f(a, b) { a }\nf(1, 2, 3)", "f() takes 2 arguments but 3 were given (signature: f(a, b))")
        assertFails("fn f() { 1 }\nf(1)", "f() takes 0 arguments but 1 were given (signature: f())")
        assertFails("fn f(a, b) { a }\nf(1, bb: 3)", "f() has no parameter 'bb'; did you mean 'b'? (signature: f(a, b))")
        assertFails("fn f(a, b: 2) { a }\nf(1, zzz: 3)", "f() has no parameter 'zzz' (signature: f(a, b: …))")
        assertFails("fn f(a, b) { a }\nf(1, a: 3)", "f(): argument 'a' given twice")
        assertFails("let g = { x in x }\ng()", "<closure>(): missing argument 'x' (signature: <closure>(x))")
        assertFails("sqrt()", "sqrt(): missing argument 'x' (signature: sqrt(x: Float) -> Float)")
        assertFails("sqrt(1, 2)", "sqrt() takes at most 1 argument but 2 were given (signature: sqrt(x: Float) -> Float)")
        assertFails("sorted([1], byy: 1)", "sorted() has no parameter 'byy'; did you mean 'by'? (signature: sorted(sequence, by: nil, reverse: false) -> List)")
        assertFails("sqrt(\"a\")", "sqrt(): argument 'x' must be a number, got String")
        assertFails("let x = 1\nx(2)", "'x' is not a function (it is an Int)")
        assertFails("[1, 2][0](2)", "'[1, 2][…]' is not a function (it is an Int)")
        assertFails("prnt(1)", "undefined name 'prnt'; did you mean 'print'?")
        assertRuns("fn f(a, b) { a }\nf(1)", """
        t.rec:2:2: error: f(): missing argument 'b' (signature: f(a, b))
            f(1)
             ^

        """)
    }

    // MARK: Data structures

    func testRecords() {
        assertRuns(#"let r = (name: "x", n: 1); [r.name, r.n, r["name"]]"#, "[\"x\", 1, \"x\"]\n")
        assertRuns(#"let r = (name: "x", n: 1); r.n = 2; r.n += 40; r"#, "(name: \"x\", n: 42)\n")
        assertRuns(#"let r = (name: "x", n: 1); let q = r; q.n = 5; let c = copy(r); c.n = 9; [r.n, c.n, fields(r)]"#,
                   "[5, 9, [\"name\", \"n\"]]\n")
        assertRuns("let r = (\n  a: 1,\n  b: (c: [2]),\n)\nr.b.c[0]", "2\n")
        assertFails(#"let r = (name: "x", n: 1); r.nme"#, "Record has no member 'nme'; did you mean 'name'?")
        assertFails(#"let r = (name: "x", n: 1); r.missing"#, "Record has no member 'missing' (members: name, n)")
        assertFails(#"let r = (n: 1); r.zzz = 2"#, "Record has no member 'zzz' (members: n)")
        assertFails(#"let r = (n: 1); r["zzz"]"#, "record has no field 'zzz'")
        assertFails(#"let xs = [1]; xs.count = 2"#, "cannot assign to member 'count' of a List")
    }

    func testMaps() {
        assertRuns(#"let m = ["b": 1, "a": 2]; m["c"] = 3; m["a"] = 20; m"#, "[\"b\": 1, \"a\": 20, \"c\": 3]\n")
        assertRuns(#"let m = ["b": 1]; [m["zz"] == nil, m["zz"] ?? 0, get(m, "zz", default: -1), get(m, "b")]"#, "[true, 0, -1, 1]\n")
        assertRuns(#"let m = ["b": 1]; m["zz"]"#, "")
        assertRuns(#"let m = ["a": 1, "b": 2, "c": 3]; let old = remove(m, "a"); m["d"] = 4; [old, m, m["c"], remove(m, "zz")]"#,
                   "[1, [\"b\": 2, \"c\": 3, \"d\": 4], 3, nil]\n")
        assertRuns(#"let m = ["a": 1, "b": 2]; [m.keys, m.values, keys(m), values(m), m.count, count(m), m.isEmpty, [:].isEmpty]"#,
                   "[[\"a\", \"b\"], [1, 2], [\"a\", \"b\"], [1, 2], 2, 2, false, true]\n")
        assertRuns(#"let m = [:]; m[1] = "int"; m[1.0] = "same key"; m[true] = "bool"; m[nil] = "nil"; m"#,
                   "[1: \"same key\", true: \"bool\", nil: \"nil\"]\n")
        assertRuns(#"[:]"#, "[:]\n")
        assertRuns(#"let m = ["a": 1]; [contains(m, "a"), contains(m, 1), entries(m)]"#, "[true, false, [(key: \"a\", value: 1)]]\n")
        assertRuns(#"let m = ["n": 1]; m["n"] += 1; m"#, "[\"n\": 2]\n")
        assertRuns("[\n  \"a\": 1,\n  \"b\": 2,\n]", "[\"a\": 1, \"b\": 2]\n")
        assertFails(#"let m = [:]; m[[1]] = 2"#, "a List cannot be a map key")
        assertFails(#"let m = [:]; m[[1]]"#, "a List cannot be a map key")
        assertFails(#"[[1]: 2]"#, "a List cannot be a map key")
    }

    func testAForLoopOverAMapSeesTheKeysAtTheStartAndEachValueWhenItsTurnComes() {
        // Values read by position while nothing was removed, by key after a removal.
        let loop = "for (k, v) in m { if k == \"a\" { CHANGE }; seen.append(\"\\(k)=\\(v)\") }; seen"
        let start = "var m = [\"a\": 1, \"b\": 2, \"c\": 3]; var seen = []; "
        assertRuns(start + loop.replacingOccurrences(of: "CHANGE", with: "m[\"b\"] = 20; m[\"d\"] = 4"),
                   "[\"a=1\", \"b=20\", \"c=3\"]\n")
        assertRuns(start + loop.replacingOccurrences(of: "CHANGE", with: "remove(m, \"b\"); m[\"c\"] = 30; m[\"e\"] = 5"),
                   "[\"a=1\", \"c=30\"]\n")
        assertRuns("fn f(m) { var s = 0; for (k, v) in m { s += k * v }; s }\nf([1: 2, 3: 4])", "14\n")
    }

    func testListsSlicingAndNegativeIndices() {
        let xs = "let xs = [10, 20, 30]\n"
        assertRuns(xs + "[xs[0], xs[-1], xs[-3], xs[1..<3], xs[0...1], xs[1..<1], xs[0..<3]]",
                   "[10, 30, 10, [20, 30], [10, 20], [], [10, 20, 30]]\n")
        assertRuns(xs + "let s = xs[0..<2]; s.append(99); xs", "[10, 20, 30]\n")
        assertRuns(xs + "let ys = xs; ys.append(40); xs", "[10, 20, 30, 40]\n")
        assertRuns(xs + "xs[-1] = 3; xs[0] += 5; xs", "[15, 20, 3]\n")
        assertRuns(xs + "[xs.count, xs.first, xs.last, xs.isEmpty, [].first, count([])]", "[3, 10, 30, false, nil, 0]\n")
        assertRuns(xs + "insert(xs, 1, 15); let p = pop(xs); let q = pop(xs, 0); extend(xs, 0..<2); [p, q, xs]",
                   "[30, 10, [15, 20, 0, 1]]\n")
        assertRuns(xs + "[remove(xs, 20), remove(xs, 99), xs, contains(xs, 30), index_of(xs, 30), index_of(xs, 5)]",
                   "[true, false, [10, 30], true, 1, nil]\n")
        assertRuns(xs + "[reversed(xs), reversed(\"abc\"), list(0..<3), list(\"ab\"), copy(xs) == xs]",
                   "[[30, 20, 10], \"cba\", [0, 1, 2], [\"a\", \"b\"], true]\n")
        assertRuns("[(0..<5)[-1], (2...4).count, (2...4).upper, (2..<4).upper, 1...3]", "[4, 3, 4, 4, 1...3]\n")
        assertFails(xs + "xs[3]", "index 3 out of range (count is 3)")
        assertFails(xs + "xs[-4]", "index -4 out of range (count is 3)")
        assertFails(xs + "xs[1..<9]", "slice 1..<9 out of range (count is 3)")
        assertFails(xs + "xs[2..<1]", "slice 2..<1 out of range (count is 3)")
        assertFails(xs + "xs[\"a\"]", "cannot index a List with a String")
        assertFails(xs + "xs[5] = 1", "index 5 out of range (count is 3)")
        assertFails("pop([])", "pop(): the list is empty")
        assertFails("insert([1], 5, 0)", "insert(): index 5 out of range (count is 1)")
        assertFails("let n = 5; n[0] = 1", "cannot assign to an element of an Int indexed by Int")
    }

    func testCyclicStructuresPrint() {
        assertRuns("let xs = [1]; xs.append(xs); xs", "[1, […]]\n")
        assertRuns("let xs = [1]; xs.append(xs); print(xs, str(xs)); xs == xs", "[1, […]] [1, […]]\ntrue\n")
        assertRuns(#"let m = [:]; m["self"] = m; m"#, "[\"self\": […]]\n")
        assertRuns("let r = (a: 1, me: nil); r.me = r; r", "(a: 1, me: (…))\n")
        assertRuns("let a = [1]; let b = [a, a]; b", "[[1], [1]]\n")
    }

    func testLongListsAreShortenedOnlyForDisplay() {
        assertRuns("let xs = list(0..<102); xs", "[" + (0..<100).map(String.init).joined(separator: ", ") + ", … (2 more)]\n")
        assertRuns("print(list(0..<102))", "[" + (0..<102).map(String.init).joined(separator: ", ") + "]\n")
    }

    // MARK: Pipes, trailing closures, method calls

    func testPipes() {
        assertRuns("[3, 1, 2] |> sorted", "[1, 2, 3]\n")
        assertRuns("[1, 2, 3] |> map { x in x * 2 } |> sum", "12\n")
        assertRuns("[1, 2, 3] |> take(2)", "[1, 2]\n")
        assertRuns("let inc = { x in x + 1 }; 1 |> inc |> inc", "3\n")
        assertRuns("[1, 2, 3, 4]\n  |> filter { x in x % 2 == 0 }\n  |> map { x in x * x }", "[4, 16]\n")
        assertRuns("[[1, 2], [3]] |> flatten |> count", "3\n")
        assertRuns("[\"b\", \"a\"] |> sorted(reverse: true)", "[\"b\", \"a\"]\n")
        assertRuns("let xs = [1]; xs |> append(2); xs", "[1, 2]\n")
        assertRuns("[1, 2] |> print", "[1, 2]\n")
        assertFails("[1, 2] |> count == 2", "'expression' is not a function (it is a Bool)")
    }

    func testTrailingClosures() {
        assertRuns("filter([1, 2, 3]) { x in x > 1 }", "[2, 3]\n")
        assertRuns("[1, 2, 3].map { x in x + 1 }", "[2, 3, 4]\n")
        assertRuns("[1, 2].reduce(0) { acc, x in acc + x }", "3\n")
        assertRuns("let f = { 42 }; f()", "42\n")
        assertRuns("fn twice(f) { f(); f() }\nvar n = 0\ntwice { n += 1 }\nn", "2\n")
        assertRuns(#"if any([1, 2], { x in x > 1 }) { "yes" }"#, "\"yes\"\n")
        assertRuns("var s = 0\nfor x in [1, 2].map { x in x * 10 } { s += x }\ns", "t.rec:2:21: error: a trailing closure is not allowed here (the '{' would open the body); pass it in parentheses: f({ x in … })\n    for x in [1, 2].map { x in x * 10 } { s += x }\n                        ^\n")
        assertRuns("var s = 0\nfor x in [1, 2].map({ x in x * 10 }) { s += x }\ns", "30\n")
    }

    func testMethodCallSugar() {
        assertRuns("let xs = [3, 1]; xs.append(2); [xs, xs.sorted(), xs.count(), xs.contains(1)]", "[[3, 1, 2], [1, 2, 3], 3, true]\n")
        assertRuns(#""a,b".split(",")"#, "[\"a\", \"b\"]\n")
        assertRuns(#""abc".upper()"#, "\"ABC\"\n")
        assertRuns("(1...3).map { x in x * 2 }", "[2, 4, 6]\n")
        assertRuns("5.format(digits: 1)", "\"5.0\"\n")
        assertRuns("fn double(x) { x * 2 }\n21.double()", "42\n")
        assertRuns("fn f() { let triple = { x in x * 3 }; 2.triple() }\nf()", "6\n")
        // A field holding a function wins over the function of the same name.
        assertRuns("let o = (count: { 7 }, scale: { x in x * 2 }); [o.count(), o.scale(4)]", "[7, 8]\n")
        assertRuns(#"let m = ["f": { x in x + 1 }]; m.f(1)"#, "2\n")
        assertFails("[1].nosuch()", "List has no member 'nosuch' (members: count, isEmpty, first, last)")
        assertFails("(a: 1).a()", "'a' is not a function (it is an Int)")
    }

    // MARK: Prelude

    func testPreludeFunctions() {
        assertRuns("map([1, 2], { x in x * 10 })", "[10, 20]\n")
        assertRuns("map(0..<3, str)", "[\"0\", \"1\", \"2\"]\n")
        assertRuns("filter(1...6, { x in x % 3 == 0 })", "[3, 6]\n")
        assertRuns("reduce([1, 2, 3], 0, { acc, x in acc + x })", "6\n")
        assertRuns("reduce([], 7, { acc, x in acc + x })", "7\n")
        assertRuns("[sum([1, 2, 3]), sum([]), sum([1, 2.5]), sum(1...100)]", "[6, 0, 3.5, 5050]\n")
        assertRuns("[mean([1, 2, 3, 4]), mean([2])]", "[2.5, 2.0]\n")
        assertRuns("[any([1, 5], { x in x > 4 }), any([], { x in true }), all([1, 5], { x in x > 0 }), all([], { x in false })]",
                   "[true, false, true, true]\n")
        assertRuns("[find([1, 4, 6], { x in x % 2 == 0 }), find([1], { x in false })]", "[4, nil]\n")
        assertRuns("[take([1, 2, 3], 2), take(0..<10, 0), take([1], 5), drop([1, 2, 3], 1), drop([1], 5), drop(\"abc\", 1)]",
                   "[[1, 2], [], [1], [2, 3], [], [\"b\", \"c\"]]\n")
        assertRuns(#"group_by(["apple", "avocado", "banana"], { w in w[0] })"#, "[\"a\": [\"apple\", \"avocado\"], \"b\": [\"banana\"]]\n")
        assertRuns(#"tally(["b", "a", "b"])"#, "[\"b\": 2, \"a\": 1]\n")
        assertRuns(#"tally(["bb", "a", "cc"], key: count)"#, "[2: 2, 1: 1]\n")
        assertRuns("[flatten([[1], [], [2, 3]]), flatten([])]", "[[1, 2, 3], []]\n")
        assertRuns("var seen = []; let r = each([1, 2], { x in seen.append(x) }); [r, seen]", "[nil, [1, 2]]\n")
        assertFails("mean([])", "mean(): empty sequence")
    }

    func testPreludeErrorsShowTheTraceThroughPreludeCode() {
        let out = runRec("[1, 0] |> map { x in 10 // x }")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(4)), [
            "t.rec:1:25: error: division by zero",
            "    [1, 0] |> map { x in 10 // x }",
            "                            ^",
            "stack trace (most recent call first):",
        ], out)
        XCTAssertEqual(lines.count, 8, out)
        XCTAssertEqual(lines[safe: 4], "  in <closure> at t.rec:1:25")
        XCTAssertTrue(lines[safe: 5]?.hasPrefix("  in map at ") == true && lines[5].hasSuffix("Stdlib/prelude.rec:7:30"), lines[safe: 5] ?? "")
        // A call is located at its argument list's opener: here the trailing closure's brace.
        XCTAssertEqual(lines[safe: 6], "  in <script> at t.rec:1:15")
    }

    // MARK: Builtins

    func testSortedSortAndStability() {
        assertRuns("sorted([3, 1, 2])", "[1, 2, 3]\n")
        assertRuns("sorted([3, 1.5, 2])", "[1.5, 2, 3]\n")
        assertRuns("sorted([3, 1, 2], reverse: true)", "[3, 2, 1]\n")
        assertRuns(#"sorted(["pear", "fig", "banana", "kiwi"], by: { w in count(w) })"#, "[\"fig\", \"pear\", \"kiwi\", \"banana\"]\n")
        assertRuns(#"sorted(["bb", "a", "cc", "d"], by: count, reverse: true)"#, "[\"bb\", \"cc\", \"a\", \"d\"]\n")
        assertRuns("""
        let people = [(n: "a", age: 30), (n: "b", age: 25), (n: "c", age: 30), (n: "d", age: 25)]
        sorted(people, by: { p in p.age }) |> map { p in p.n }
        """, "[\"b\", \"d\", \"a\", \"c\"]\n")
        assertRuns("sorted([[2, \"b\"], [1, \"z\"], [2, \"a\"]])", "[[1, \"z\"], [2, \"a\"], [2, \"b\"]]\n")
        assertRuns("sorted(\"cab\")", "[\"a\", \"b\", \"c\"]\n")
        assertRuns("let xs = [3, 1, 2]; sort(xs, by: { x in -x }); xs", "[3, 2, 1]\n")
        assertFails("sorted([1, \"a\"])", "cannot sort: String and Int cannot be compared")
    }

    func testZipEnumerateMinMaxUnique() {
        assertRuns("zip([1, 2, 3], [\"a\", \"b\"])", "[[1, \"a\"], [2, \"b\"]]\n")
        assertRuns("enumerate([\"x\", \"y\"])", "[[0, \"x\"], [1, \"y\"]]\n")
        assertRuns("[min(3, 1, 2), min([3, 1, 2]), max(3, 1.5), max(0..<4), max(\"a\", \"b\"), min(\"hello\")]",
                   "[1, 1, 3, 3, \"b\", \"e\"]\n")
        assertRuns("unique([3, 1, 3, 2, 1, 1.0, [1], [1]])", "[3, 1, 2, [1]]\n")
        assertFails("min([])", "min(): no values")
        assertFails("max()", "max(): no values")
        assertFails("max([1, \"a\"])", "max(): String and Int cannot be compared")
    }

    func testStringBuiltins() {
        assertRuns(#"[split("a,b,,c", ","), split("  a  b\tc\n"), join([1, "x", 2.5], ", "), join(["a", "b"])]"#,
                   "[[\"a\", \"b\", \"\", \"c\"], [\"a\", \"b\", \"c\"], \"1, x, 2.5\", \"ab\"]\n")
        assertRuns(#"[format(3.14159, digits: 3), format(7, width: 4), format(7), format(2.5), format(7, digits: 1), format(-1.005, digits: 0)]"#,
                   "[\"3.142\", \"   7\", \"7\", \"2.50\", \"7.0\", \"-1\"]\n")
        assertFails(#"split("a", "")"#, "split(): the separator cannot be empty")
        assertFails(#"format("x")"#, "format(): argument 'number' must be a number, got String")
        assertFails(#"format(1, digits: 20)"#, "format(): argument 'digits' must be between 0 and 17, got 20")
    }

    func testMathBuiltins() {
        assertRuns("[round(2.5), round(-2.5), round(2.4), round(3.14159, digits: 2), round(1234.5, digits: -2)]",
                   "[3, -3, 2, 3.14, 1200.0]\n")
        assertRuns("[floor(-1.5), ceil(1.2), abs(-3), abs(-2.5), sqrt(16), is_nan(sqrt(-1)), log(1), exp(0)]",
                   "[-2, 2, 3, 2.5, 4.0, true, 0.0, 1.0]\n")
        assertRuns("[int(3.9), int(-3.9), int(\" 42 \"), int(true), float(2), float(\"1.5\"), float(\"inf\")]",
                   "[3, -3, 42, 1, 2.0, 1.5, inf]\n")
        assertRuns("[type(1), type(1.0), type(\"s\"), type(true), type(nil), type([]), type([:]), type((a: 1)), type(0..<1), type(print), type({ 1 })]",
                   "[\"Int\", \"Float\", \"String\", \"Bool\", \"Nil\", \"List\", \"Map\", \"Record\", \"Range\", \"Function\", \"Function\"]\n")
        assertFails("int(\"4.5\")", "int(): \"4.5\" is not a whole number")
        assertFails("int(1e300)", "int(): 1e+300 cannot be converted to Int")
        assertFails("round(float(\"nan\"))", "nan cannot be converted to Int")
    }

    func testSeedMakesRandomnessReproducible() {
        let draw = "[random(), random_int(1, 100), random_normal(), sample(0..<50, 3)]"
        assertRuns("seed(42); let a = \(draw); seed(42); let b = \(draw); a == b", "true\n")
        assertRuns("seed(1); let a = \(draw); seed(2); let b = \(draw); a == b", "false\n")
        assertRuns("seed(5); let xs = list(0..<20); shuffle(xs); seed(5); let ys = list(0..<20); shuffle(ys); [xs == ys, sorted(xs) == list(0..<20)]",
                   "[true, true]\n")
        // Every session starts from the same seed.
        XCTAssertEqual(runRec("[random(), random_int(0, 1000000)]"), runRec("[random(), random_int(0, 1000000)]"))
        assertRuns("seed(3); var ok = true; for _ in 0..<200 { let r = random(); let i = random_int(-2, 2); if r < 0 or r >= 1 or i < -2 or i > 2 { ok = false } }; ok",
                   "true\n")
        assertFails("random_int(2, 1)", "random_int(): low must not exceed high")
    }

    func testAWarningIsShownOncePerRunAndItsRepeatsCountedAtTheEnd() {
        // From a function called in a loop and from another line: shown once, counted at the end.
        assertRuns("""
        fn check(x) { if x > 2 { warn("x is large") } }
        for i in 0..<6 { check(i) }
        warn("x is large")
        warn("another")
        print("done")
        """, """
        t.rec:1:30: warning: x is large
        t.rec:4:5: warning: another
        done
        t.rec:1:30: warning: repeated 3 more times (also from line 3): x is large

        """)
        // A different text is a different warning; a long or multi-line one is cut in the count.
        assertRuns("""
        for i in [1, 2, 1] { warn("fold \\(i) has cold users") }
        for _ in 0..<2 { warn("a warning whose first line is much longer than the sixty characters shown\\nsecond line") }
        """, """
        t.rec:1:26: warning: fold 1 has cold users
        t.rec:1:26: warning: fold 2 has cold users
        t.rec:2:22: warning: a warning whose first line is much longer than the sixty characters shown
        second line
        t.rec:1:26: warning: repeated 1 more time: fold 1 has cold users
        t.rec:2:22: warning: repeated 1 more time: a warning whose first line is much longer than the sixty …

        """)
        // The count comes before the error when the run fails.
        assertRuns("for _ in 0..<3 { warn(\"w\") }\nerror(\"boom\")", """
        t.rec:1:22: warning: w
        t.rec:1:22: warning: repeated 2 more times: w
        t.rec:2:6: error: boom
            error("boom")
                 ^

        """)
        // Each run starts afresh.
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        session.evaluate("warn(\"w\"); warn(\"w\")", name: "a.rec")
        session.evaluate("warn(\"w\")", name: "b.rec")
        XCTAssertEqual(sink.transcript, "a.rec:1:5: warning: w\na.rec:1:5: warning: repeated 1 more time (also from line 1, column 16): w\nb.rec:1:5: warning: w\n")
    }

    func testCoreBuiltins() {
        assertRuns("show([1, 2]); 1", "[1, 2]\n1\n")
        assertRuns(#"warn("careful")"#, "t.rec:1:5: warning: careful\n")
        assertRuns(#"assert(1 + 1 == 2, "math"); "after""#, "\"after\"\n")
        assertFails(#"assert(1 + 1 == 3, "math is broken")"#, "math is broken")
        assertFails("assert(false)", "assertion failed")
        assertFails(#"error("boom")"#, "boom")
        assertRuns("let t = clock(); clock() >= t", "true\n")
        assertRuns("[print.name, sorted.name]", "[\"print\", \"sorted\"]\n")
        assertRuns("fn f(a, b) { a }\n[f.name, f, { x in x }, print]", "[\"f\", <fn f(a, b)>, <fn <closure>(x)>, <builtin print>]\n")
    }

    func testHelp() {
        let printHelp = runRec("help(print)")
        XCTAssertTrue(printHelp.hasPrefix(#"print(values..., sep: " ", end: "\n")"# + "\n\n"), printHelp)
        XCTAssertTrue(printHelp.contains("Writes the values separated by single spaces"), printHelp)
        XCTAssertEqual(runRec(#"help("print")"#), printHelp)
        XCTAssertTrue(runRec("help(sorted)").hasPrefix("sorted(sequence, by: nil, reverse: false) -> List\n\nA sorted copy"))
        assertRuns("help(tally)", """
        tally(xs, key: …)

        Counts elements by key(x) (identity by default): a map from key to count.

        defined at Stdlib/prelude.rec:\(preludeLine(of: "fn tally("))

        """)
        assertRuns("""
        # Doubles a number.
        # Works on floats too.
        fn dbl(x) { x * 2 }
        help(dbl)
        dbl.doc
        """, """
        dbl(x)

        Doubles a number.
        Works on floats too.

        defined at t.rec:3
        "Doubles a number.\\nWorks on floats too."

        """)
        XCTAssertTrue(runRec("fn nodoc() { 1 }\nhelp(nodoc)").contains("(no documentation; put # comment lines right above the fn to document it)"))
        assertRuns(#"help("prnt")"#, "no function named 'prnt'; did you mean 'print'?\n")
        assertRuns("help([1])", "List\nmembers: count, isEmpty, first, last\n")
        let all = runRec("help()")
        XCTAssertTrue(all.hasPrefix("Builtin functions (help(name) for details"), all)
        for section in ["\nCore:\n", "\nCollections:\n", "\nStrings:\n", "\nMath:\n"] { XCTAssertTrue(all.contains(section), section) }
    }

    // MARK: Errors, traces and recursion

    func testRuntimeErrorsShowAStackTrace() {
        let source = """
        fn g(x) {
          x + "a"
        }
        fn f() {
          g(1)
        }
        f()
        """
        assertRuns(source, """
        t.rec:2:5: error: cannot apply '+' to Int and String; to build a string use interpolation: "\\(x)"
              x + "a"
                ^
        stack trace (most recent call first):
          in g at t.rec:2:5
          in f at t.rec:5:4
          in <script> at t.rec:7:2

        """)
        // An error raised by a builtin inside a function, and at the top level (no trace).
        assertRuns("fn f() { error(\"boom\") }\nf()", """
        t.rec:1:15: error: boom
            fn f() { error("boom") }
                          ^
        stack trace (most recent call first):
          in f at t.rec:1:15
          in <script> at t.rec:2:2

        """)
        assertRuns(#"error("boom")"#, "t.rec:1:6: error: boom\n    error(\"boom\")\n         ^\n")
        // A function a builtin calls back: its frame, then the function that called the builtin.
        assertRuns("fn f(xs) {\n  sort(xs, by: { x in x + \"a\" })\n}\nf([1, 2])", """
        t.rec:2:25: error: cannot apply '+' to Int and String; to build a string use interpolation: "\\(x)"
              sort(xs, by: { x in x + "a" })
                                    ^
        stack trace (most recent call first):
          in <closure> at t.rec:2:25
          in f at t.rec:2:7
          in <script> at t.rec:4:2

        """)
        // The REPL names chunks and the caller `<repl>`.
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        session.evaluate("fn h() { nil + 1 }")
        session.evaluate("h()")
        XCTAssertEqual(sink.transcript, """
        <repl:1>:1:14: error: cannot apply '+' to Nil and Int
            fn h() { nil + 1 }
                         ^
        stack trace (most recent call first):
          in h at <repl:1>:1:14
          in <repl> at <repl:2>:1:2

        """)
    }

    /// A REPL entry compiled before the user declares a builtin's or a prelude function's name
    /// calls the user's function afterwards, as the same lines do in one script.
    func testLaterREPLDeclarationsShadowBuiltinsForEarlierEntries() {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        let entries = ["fn total(xs) { count(xs) }", "fn average(xs) { mean(xs) }", "[total([1, 2]), average([1, 3])]",
                       "fn count(xs) { 99 }", "[total([1, 2]), average([1, 3])]", "let mean = { xs in -1 }", "average([1, 3])"]
        for entry in entries { session.evaluate(entry) }
        // The prelude's `mean` keeps the builtin `count`: 2.0 after `count` is redeclared.
        XCTAssertEqual(sink.transcript, "[2, 2.0]\n[99, 2.0]\n-1\n")
    }

    /// A REPL declaration whose value fails never defines the name: the builtin stays.
    func testAFailedREPLDeclarationLeavesTheBuiltinInPlace() {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        session.evaluate("let count = nosuch")
        sink.clear()
        session.evaluate("count([1, 2])")
        XCTAssertEqual(sink.transcript, "2\n")
    }

    func testErrorResultIsReturnedAndSessionContinues() {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        guard case .failure(let e) = session.evaluate("let a = 1\nlet b = a / 0\nlet c = 3") else { return XCTFail("expected a failure") }
        XCTAssertEqual(e.kind, .value)
        XCTAssertEqual(e.headline, "<repl:1>:2:11: error: division by zero")
        sink.clear()
        // Globals defined before the error stay; later statements did not run.
        session.evaluate("[a, b, c]")
        XCTAssertTrue(sink.transcript.hasPrefix("<repl:2>:1:5: error: undefined name 'b'"), sink.transcript)
        sink.clear()
        session.evaluate("a + 1")
        XCTAssertEqual(sink.transcript, "2\n")
    }

    func testRunawayRecursionIsAnErrorAndTheSessionKeepsWorking() {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        let result = session.evaluate("fn f(n) { f(n + 1) }\nf(0)", name: "t.rec")
        guard case .failure(let e) = result else { return XCTFail("expected a recursion error") }
        XCTAssertEqual(e.kind, .recursion)
        XCTAssertTrue(e.message.hasPrefix("recursion too deep ("), e.message)
        XCTAssertTrue(e.message.hasSuffix("check that the recursion has a base case"), e.message)
        XCTAssertEqual(e.trace.count, RecError.maxTrace)
        XCTAssertGreaterThan(e.elidedFrames, 0)
        let rendered = e.render(color: false)
        // The repeated frame is shown once, with a count.
        XCTAssertTrue(rendered.contains("\nstack trace (most recent call first):\n  in f at t.rec:1:12 (\(RecError.maxTrace) times)\n  … "), rendered)
        XCTAssertTrue(rendered.hasSuffix(" more frames"), String(rendered.suffix(200)))
        // The session still works, and still recurses.
        sink.clear()
        session.evaluate("fn depth(n) { if n == 0 { 0 } else { 1 + depth(n - 1) } }\n[1 + 1, depth(100)]")
        XCTAssertEqual(sink.transcript, "[2, 100]\n")
        // A second runaway, through a builtin calling back into Rec, is also caught.
        sink.clear()
        guard case .failure(let e2) = session.evaluate("fn g(x) { sorted([1, 2], by: { y in g(y) }) }\ng(1)") else {
            return XCTFail("expected a recursion error")
        }
        XCTAssertEqual(e2.kind, .recursion)
        sink.clear()
        session.evaluate("depth(10)")
        XCTAssertEqual(sink.transcript, "10\n")
    }

    func testDeepButFiniteRecursionWorks() {
        // On a large stack, as `rec` runs programs.
        let out = onLargeStack {
            runRec("fn s(n) { if n == 0 { 0 } else { n + s(n - 1) } }\nfn t(n) { if n == 0 { return 0 }; 1 + t(n - 1) }\n[s(5000), t(20000)]")
        }
        XCTAssertEqual(out, "[12502500, 20000]\n")
    }

    func testModerateRecursionWorksOnAnOrdinaryThread() {
        assertRuns("fn s(n) { if n == 0 { 0 } else { n + s(n - 1) } }\ns(1000)", "500500\n")
    }

    func testInterpreterDepthLimit() {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        session.interpreter.maxDepth = 50
        guard case .failure(let e) = session.evaluate("fn d(n) { if n == 0 { 0 } else { 1 + d(n - 1) } }\nd(60)") else {
            return XCTFail("expected a recursion error")
        }
        XCTAssertEqual(e.message, "recursion too deep (51 nested calls; the limit is 50); check that the recursion has a base case")
        sink.clear()
        session.evaluate("d(40)")
        XCTAssertEqual(sink.transcript, "40\n")
    }

    func testGlobalsAcrossChunks() {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        session.evaluate("let a = 1\nvar b = 2\nfn f() { a + b }")
        session.evaluate("b = 10")
        session.evaluate("f()")
        session.evaluate("let a = 5")   // top-level redefinition, as in a REPL
        session.evaluate("f()")
        session.evaluate("a = 6")
        session.evaluate("zz = 1")
        XCTAssertEqual(sink.transcript, """
        11
        15
        <repl:6>:1:1: error: cannot assign to 'a': it is a constant (declare it with 'var' to change it)
            a = 6
            ^
        <repl:7>:1:1: error: undefined name 'zz'
            zz = 1
            ^

        """)
        XCTAssertEqual(session.interpreter.userGlobals.map(\.name), ["a", "b", "f"])
        XCTAssertEqual(session.chunkCount, 7)
    }

    // MARK: Imports

    func testImportOfAFileRelativeToTheImporter() throws {
        let dir = try tempDir()
        try "print(\"loading lib\")\nfn helper(x) { x * 3 }\nlet lib_const = 7\n".write(to: dir.appendingPathComponent("lib.rec"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "import \"../lib.rec\"\nfn twice_helper(x) { helper(helper(x)) }\n".write(to: dir.appendingPathComponent("sub/mid.rec"), atomically: true, encoding: .utf8)
        let main = dir.appendingPathComponent("main.rec")
        try "import \"lib.rec\"\nimport \"lib.rec\"\nimport \"sub/mid.rec\"\nprint(helper(lib_const), twice_helper(1))\n".write(to: main, atomically: true, encoding: .utf8)
        let sink = CollectingSink()
        let session = try Session(sink: sink, storage: Workspace.storage)
        guard case .success = session.runFile(main.path) else { return XCTFail(sink.transcript) }
        XCTAssertEqual(sink.transcript, "loading lib\n21 9\n")
        // An absolute path from a REPL chunk; already imported, so it does not run again.
        sink.clear()
        session.evaluate("import \"\(dir.appendingPathComponent("lib.rec").path)\"\nhelper(2)")
        XCTAssertEqual(sink.transcript, "6\n")
    }

    func testImportErrors() throws {
        let dir = try tempDir()
        let main = dir.appendingPathComponent("main.rec")
        try "let x = 1\nimport \"missing.rec\"\n".write(to: main, atomically: true, encoding: .utf8)
        let sink = CollectingSink()
        let session = try Session(sink: sink, storage: Workspace.storage)
        guard case .failure(let e) = session.runFile(main.path) else { return XCTFail("expected an error") }
        XCTAssertEqual(e.headline, "\(main.path):2:1: error: cannot import 'missing.rec': \(dir.appendingPathComponent("missing.rec").path): no such file")
        try "fn broken( {\n".write(to: dir.appendingPathComponent("bad.rec"), atomically: true, encoding: .utf8)
        guard case .failure(let e2) = session.evaluate("import \"\(dir.path)/bad.rec\"") else { return XCTFail("expected an error") }
        XCTAssertEqual(e2.kind, .syntax)
        XCTAssertTrue(e2.headline.hasPrefix("\(dir.path)/bad.rec:"), e2.headline)
        XCTAssertEqual(e2.headline, "\(dir.path)/bad.rec:1:10: error: '(' was never closed")
        guard case .failure(let e3) = session.runFile(dir.appendingPathComponent("nope.rec").path) else { return XCTFail() }
        XCTAssertEqual(e3.message, "\(dir.appendingPathComponent("nope.rec").path): no such file")
    }

    func testCircularImportIsAnError() throws {
        let dir = try tempDir()
        try "import \"b.rec\"\nlet from_a = 1\n".write(to: dir.appendingPathComponent("a.rec"), atomically: true, encoding: .utf8)
        try "let from_b = 2\nimport \"a.rec\"\n".write(to: dir.appendingPathComponent("b.rec"), atomically: true, encoding: .utf8)
        try "import \"self.rec\"\n".write(to: dir.appendingPathComponent("self.rec"), atomically: true, encoding: .utf8)
        let sink = CollectingSink()
        let session = try Session(sink: sink, storage: Workspace.storage)
        guard case .failure(let e) = session.evaluate("import \"\(dir.path)/a.rec\"") else { return XCTFail("expected an error") }
        XCTAssertEqual(e.message, "circular import of 'a.rec'")
        XCTAssertEqual(e.location.fileName, dir.appendingPathComponent("b.rec").path)
        XCTAssertEqual(e.location.line, 2)
        XCTAssertTrue(sink.transcript.contains("b.rec:2:1: error: circular import of 'a.rec'\n    import \"a.rec\"\n    ^"), sink.transcript)
        guard case .failure(let e2) = session.evaluate("import \"\(dir.path)/self.rec\"") else { return XCTFail("expected an error") }
        XCTAssertEqual(e2.message, "circular import of 'self.rec'")
        // The failed imports leave the session usable.
        sink.clear()
        session.evaluate("from_b + 40")
        XCTAssertEqual(sink.transcript, "42\n")
    }

    func testImportOfAStdlibModule() throws {
        let stdlib = try tempDir()
        let prelude = try XCTUnwrap(Stdlib.locate()).appending("/prelude.rec")
        try FileManager.default.copyItem(atPath: prelude, toPath: stdlib.appendingPathComponent("prelude.rec").path)
        try "# Triples x.\nfn triple(x) { x * 3 }\n".write(to: stdlib.appendingPathComponent("mymod.rec"), atomically: true, encoding: .utf8)
        let sink = CollectingSink()
        let session = try Session(sink: sink, stdlibDirectory: stdlib.path, storage: Workspace.storage)
        session.evaluate("import mymod\ntriple(4)")
        session.evaluate("help(triple)")
        session.evaluate("import nosuch")
        XCTAssertEqual(sink.transcript, """
        12
        triple(x)

        Triples x.

        defined at Stdlib/mymod.rec:2
        <repl:3>:1:1: error: no standard library module 'nosuch' (looked for \(stdlib.path)/nosuch.rec)
            import nosuch
            ^

        """)
    }

    func testSessionWithoutPreludeOrStdlib() {
        XCTAssertThrowsError(try Session(sink: CollectingSink(), stdlibDirectory: nil, storage: Workspace.storage)) { error in
            XCTAssertEqual((error as? RecError)?.message, "the standard library was not found; set REC_STDLIB to the Stdlib directory")
        }
        let sink = CollectingSink()
        let bare = try! Session(sink: sink, stdlibDirectory: nil, loadPrelude: false, storage: Workspace.storage)
        bare.evaluate("[count([1]), sorted([2, 1])]")
        bare.evaluate("import stats")
        bare.evaluate("map([1], str)")
        XCTAssertEqual(sink.transcript, """
        [1, [1, 2]]
        <repl:2>:1:1: error: cannot import 'stats': the standard library directory was not found (set REC_STDLIB)
            import stats
            ^
        <repl:3>:1:1: error: undefined name 'map'; did you mean 'max'?
            map([1], str)
            ^

        """)
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

/// The 1-based line of the prelude where `text` starts a line (so help() tests survive edits).
func preludeLine(of text: String) -> Int {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Stdlib/prelude.rec")
    let lines = ((try? String(contentsOf: url, encoding: .utf8)) ?? "").components(separatedBy: "\n")
    return (lines.firstIndex { $0.hasPrefix(text) } ?? -1) + 1
}
