import XCTest
@testable import RecLang

/// The compiler's specialised nodes (Runtime/Superinstructions.swift) against the general path:
/// every operator, for every way its operands can be read (a local slot, a number literal, any
/// other expression; as a value and as a condition; `x op= v` on a local), on numbers of both
/// kinds, mixed, at the edges (overflow, zero divisors, NaN) and on other types, gives the
/// result or the error (message and position) that `Ops.binary` gives.
final class SuperinstructionTests: XCTestCase {

    private let sink = CollectingSink()
    /// One session for all the programs (each redefines what it uses): loading the prelude for
    /// each of thousands of programs would dominate the test's time.
    private lazy var session = try! Session(sink: sink)

    /// The value of the chunk's last expression as `repr`, or "error: message @line:column".
    private func outcome(_ source: String) -> String {
        sink.clear()
        session.evaluate(source, name: "t.rec", showResult: true)
        for e in sink.events {
            if case .error(let err) = e { return "error: \(err.message) @\(err.location.line):\(err.location.column)" }
        }
        for e in sink.events {
            if case .result(let d) = e { return d.plainText }
        }
        return "nil"
    }

    /// What the general path gives for `a op b`, located at `column` of line 2.
    private func expected(_ op: BinaryOperator, _ a: Value, _ b: Value, column: Int) -> String {
        let file = SourceFile(name: "t.rec", text: "")
        do throws(Unwind) {
            return try Ops.binary(op, a, b, SourceLocation(file: file, line: 2, column: column)).repr
        } catch {
            guard case .error(let e) = error else { return "unwind" }
            return "error: \(e.message) @\(e.location.line):\(e.location.column)"
        }
    }

    private let values: [(String, Value)] = [
        ("7", .int(7)), ("-7", .int(-7)), ("2", .int(2)), ("0", .int(0)), ("-1", .int(-1)),
        ("9223372036854775807", .int(.max)), ("2.5", .double(2.5)), ("-7.5", .double(-7.5)),
        ("0.0", .double(0)), ("1e308", .double(1e308)), ("\"a\"", .string("a")), ("nil", .nil),
    ]

    func testOperatorsAgreeWithTheGeneralPathForEveryOperandShape() {
        let ops: [BinaryOperator] = [.add, .subtract, .multiply, .divide, .modulo, .floorDivide, .power,
                                     .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual]
        for op in ops {
            for (ta, a) in values {
                for (tb, b) in values {
                    // Line 2 holds the expression; `column` is where the operator is.
                    let shapes: [(String, Int)] = [
                        ("fn f(a, b) {\n  a \(op) b }\nf(\(ta), \(tb))", 5),
                        ("fn f(a) {\n  a \(op) \(tb) }\nf(\(ta))", 5),
                        ("fn f(b) {\n  (\(ta)) \(op) b }\nf(\(tb))", 6 + ta.count),
                        ("fn id(x) { x }\nfn f(a, b) { id(a) \(op) id(b) }\nf(\(ta), \(tb))", 20),
                        ("let a = \(ta)\nlet b = \(tb); a \(op) b", 13 + tb.count),
                    ]
                    let want = expected(op, a, b, column: 0)
                    for (source, column) in shapes {
                        let got = outcome(source)
                        XCTAssertEqual(got, want.replacingOccurrences(of: "@2:0", with: "@2:\(column)"), "source: \(source)")
                    }
                    if op.isComparison {
                        // Both operands locals; then a local against a literal (its own closure).
                        for source in ["fn f(a, b) {\n  if a \(op) b { true } else { false } }\nf(\(ta), \(tb))",
                                       "fn f(a) {\n  if a \(op) \(tb) { true } else { false } }\nf(\(ta))"] {
                            let got = outcome(source)
                            XCTAssertEqual(got, want.replacingOccurrences(of: "@2:0", with: "@2:8"), "source: \(source)")
                        }
                    }
                }
            }
        }
    }

    func testComparisonsWithNil() {
        for (t, v) in values + [("[nil]", .list([.nil])), ("[:]", .map(MapRef()))] {
            for (source, isNil) in [("x == nil", true), ("nil == x", true), ("x != nil", false), ("nil != x", false)] {
                let want = String(v.isNil == isNil)
                XCTAssertEqual(outcome("fn f(x) { \(source) }\nf(\(t))"), want, "\(source) with x = \(t)")
                XCTAssertEqual(outcome("fn f(x) { if \(source) { true } else { false } }\nf(\(t))"), want, "\(source) with x = \(t)")
            }
        }
        XCTAssertEqual(outcome("fn f(x) { x.nope == nil }\nf(1)"), "error: Int has no member 'nope' @1:12")
    }

    func testCompoundAssignmentToALocalAgreesWithTheGeneralPath() {
        let ops: [BinaryOperator] = [.add, .subtract, .multiply, .divide, .modulo, .floorDivide]
        for op in ops {
            for (ta, a) in values {
                for (tb, b) in values {
                    let source = "fn f(a, b) {\n  var x = a; x \(op)= b; x }\nf(\(ta), \(tb))"
                    XCTAssertEqual(outcome(source), expected(op, a, b, column: 16), "source: \(source)")
                }
            }
        }
    }

    func testIndexingThroughSlotsLiteralsAndExpressions() {
        let list = "[10, 20, 30]"
        XCTAssertEqual(outcome("fn f(xs, i) { xs[i] }\nf(\(list), 2)"), "30")
        XCTAssertEqual(outcome("fn f(xs, i) { xs[i] }\nf(\(list), -1)"), "30")
        XCTAssertEqual(outcome("fn f(xs) { xs[1] }\nf(\(list))"), "20")
        XCTAssertEqual(outcome("fn f(xs, i) { xs[i] }\nf(\(list), 3)"), "error: index 3 out of range (count is 3) @1:17")
        XCTAssertEqual(outcome("fn f(xs, i) { xs[i] }\nf(\(list), 1.0)"), "error: cannot index a List with a Float @1:17")
        XCTAssertEqual(outcome("fn f(m, k) { m[k] }\nf([\"a\": 1], \"a\")"), "1")
        XCTAssertEqual(outcome("fn f(m, k) { m[k] }\nf([\"a\": 1], \"b\")"), "nil")
        XCTAssertEqual(outcome("fn f(m, k) { m[k] }\nf([1: \"x\"], 1.0)"), "\"x\"")
        XCTAssertEqual(outcome("fn f(m, k) { m[k] }\nf([1: \"x\"], [1])"), "error: a List cannot be a map key @1:15")
        XCTAssertEqual(outcome("fn f(xs, i) { xs[i] = 5; xs }\nf(\(list), -3)"), "[5, 20, 30]")
        XCTAssertEqual(outcome("fn f(xs) { xs[0] = 5.5; xs }\nf(\(list))"), "[5.5, 20, 30]")
        XCTAssertEqual(outcome("fn f(xs, i) { xs[i] = 5; xs }\nf(\(list), 3)"), "error: index 3 out of range (count is 3) @1:21")
        XCTAssertEqual(outcome("fn f(m, k) { m[k] = 2; m }\nf([\"a\": 1], \"b\")"), "[\"a\": 1, \"b\": 2]")
        // The index is evaluated before the value, and the value before the store.
        XCTAssertEqual(outcome("fn f(xs) { xs[count(xs) - 1] = xs[0] + 1; xs }\nf(\(list))"), "[10, 20, 11]")
        XCTAssertEqual(outcome("fn f(xs) { xs[9] = error(\"value first\"); xs }\nf(\(list))"), "error: value first @1:25")
    }
}
