import XCTest
import RecLang
import RecStore

/// Compiled functions hold their interpreter and globals hold the functions: a host that makes
/// many interpreters tears each down when done, and then it is freed.
final class TeardownTests: XCTestCase {
    func testTornDownInterpreterIsFreed() {
        weak var released: Interpreter?
        do {
            let sink = CollectingSink()
            let session = try! Session(sink: sink, storage: Workspace.storage)
            session.evaluate("fn f(x) { x + 1 }\nlet g = { y in f(y) }\nimport stats\nprint(g(1), mean([1, 2]))", showResult: false)
            XCTAssertEqual(sink.transcript, "2 1.5\n")
            released = session.interpreter
            session.interpreter.tearDown()
        }
        XCTAssertNil(released, "the interpreter outlived its host")
    }
}
