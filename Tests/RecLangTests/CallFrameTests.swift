import XCTest
@testable import RecLang

/// Frames on the value stack (`Interpreter.pushFrame`/`popFrame`): running out of stack slots is
/// a located recursion error for every kind of call, after which the interpreter runs normally;
/// values a frame held are released when it is popped.
final class CallFrameTests: XCTestCase {

    private func run(_ interp: Interpreter, _ source: String) -> String {
        do throws(RecError) {
            return try interp.run(SourceFile(name: "t.rec", text: source)).repr
        } catch {
            return "error: \(error.message) @\(error.location.line):\(error.location.column)"
        }
    }

    func testExhaustingTheValueStackIsALocatedErrorForEveryCallShape() {
        // 200 slots hold a few dozen frames; the depth limit is far away.
        let interp = Interpreter(sink: CollectingSink(), maxDepth: 100_000, stackSlots: 200)
        let shapes: [(String, Int)] = [
            ("fn f() { let a = 1; f() }\nf()", 22),                  // no arguments
            ("fn f(n) { let a = 1; f(n + 1) }\nf(0)", 23),           // one, global callee
            ("fn f(n, m) { f(n + 1, m) }\nf(0, 0)", 15),             // two
            ("fn f(n, m, o) { f(n, m, o) }\nf(0, 0, 0)", 18),        // three: the general path
            ("fn f(n, by: 1) { f(n + by, by: by) }\nf(0)", 19),      // labelled
            ("let g = fn(n) { g(n + 1) }\ng(0)", 18),                // callee read through a closure
        ]
        for (source, column) in shapes {
            let got = run(interp, source)
            XCTAssertTrue(got.hasPrefix("error: recursion too deep ("), "\(source): \(got)")
            XCTAssertTrue(got.contains("they exhausted the stack"), "\(source): \(got)")
            XCTAssertTrue(got.hasSuffix("@1:\(column)"), "\(source): \(got)")
            // The stack was unwound: a shallow recursion still runs.
            XCTAssertEqual(run(interp, "fn d(n) { if n == 0 { return 0 }; 1 + d(n - 1) }\nd(10)"), "10", source)
        }
        XCTAssertEqual(interp.sp, interp.stackBase, "nothing left on the stack")
    }

    func testTheDepthLimitStillComesFirstWhenItIsLower() {
        let interp = Interpreter(sink: CollectingSink(), maxDepth: 50)
        let got = run(interp, "fn f(n) { f(n + 1) }\nf(0)")
        XCTAssertTrue(got.contains("the limit is 50"), got)
        XCTAssertTrue(got.hasSuffix("@1:12"), got)
    }

    /// Counts live instances, so a test can see that popping a frame released what it held.
    private final class Tracked: NativeObject {
        nonisolated(unsafe) static var live = 0
        override init() { super.init(); Tracked.live += 1 }
        deinit { Tracked.live -= 1 }
    }

    func testPoppedFramesReleaseWhatTheyHeld() throws {
        let interp = Interpreter(sink: CollectingSink())
        _ = run(interp, """
        fn hold(a) { let b = [a, "s", 1.5, [a]]; let c = fn() { a }; let d = a; 7 }
        fn one(a) { hold(a) + 1 }
        fn two(a, b) { hold(b) + one(a) }
        fn three(a, b, c) { two(a, c) }
        """)
        for name in ["hold", "one", "three"] {
            let f = try XCTUnwrap(interp.lookup(name))
            let args: [Value] = name == "three" ? [.native(Tracked()), .int(1), .native(Tracked())] : [.native(Tracked())]
            let result = try interp.call(f, args)
            XCTAssertEqual(result.repr, name == "hold" ? "7" : name == "one" ? "8" : "15")
        }
        XCTAssertEqual(Tracked.live, 0, "every Tracked was released with its frames")
        XCTAssertEqual(interp.sp, interp.stackBase)
    }
}
