import Foundation
@testable import RecLang
import XCTest
import RecStore

/// A builtin that reads a parameter it does not declare (`a.int("facotrs")`) would fail only when
/// that line runs. This reads the builtins' sources as registered — each `BuiltinSpec("name",
/// [params…]) { a in body }` — and checks that every parameter name the body reads through an
/// `Arguments` accessor, or through a helper taking `(_ a: Arguments, _ name: String)`, is one the
/// registered spec declares.
final class BuiltinParameterReadTests: XCTestCase {
    static let builtinsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/RecLang/Builtins")

    private func sources() throws -> [(file: String, text: String)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: BuiltinParameterReadTests.builtinsDirectory.path)
            .filter { $0.hasSuffix(".swift") }.sorted()
        XCTAssertFalse(files.isEmpty, "no builtin sources found")
        return try files.map { ($0, try String(contentsOf: BuiltinParameterReadTests.builtinsDirectory.appendingPathComponent($0), encoding: .utf8)) }
    }

    private func matches(_ pattern: String, in text: String) -> [[String]] {
        let re = try! NSRegularExpression(pattern: pattern)
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (0..<m.numberOfRanges).map { Range(m.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
        }
    }

    /// Spec name → (declared parameters as registered, names read), for every spec written in the
    /// sources.
    func readsBySpec() throws -> [(spec: String, file: String, declared: Set<String>, read: Set<String>)] {
        let all = try sources()
        let text = all.map(\.text).joined(separator: "\n")
        // Accessors of `Arguments` whose first argument is a parameter name, and helpers taking one.
        let notReads: Set<String> = ["index", "typeError", "declares", "required", "optional", "variadic", "param"]
        let accessors = Set(matches(#"func (\w+)\(_ name: String"#, in: text).map { $0[1] }).subtracting(notReads)
        let helpers = Set(matches(#"func (\w+)\(_ a: Arguments, _ name: String"#, in: text).map { $0[1] })
        XCTAssertTrue(accessors.isSuperset(of: ["int", "string", "value", "has", "list"]), "\(accessors)")
        let registry = BuiltinRegistry.standard()
        var out: [(String, String, Set<String>, Set<String>)] = []
        for (file, source) in all {
            let parts = source.components(separatedBy: "BuiltinSpec(\"").dropFirst()
            for part in parts {
                guard let nameEnd = part.firstIndex(of: "\"") else { continue }
                let name = String(part[..<nameEnd])
                // The parameter list comes before the closure; the body runs to the next spec.
                guard let bodyStart = part.range(of: "{ a in") else { continue }
                let body = closureBody(String(part[bodyStart.upperBound...]))
                guard let spec = registry[name] else { XCTFail("\(file): \(name) is not registered"); continue }
                let declared = Set(spec.params.map(\.name))
                var read = Set<String>()
                for m in matches(#"\ba\.(\w+)\("(\w+)""#, in: body) where accessors.contains(m[1]) { read.insert(m[2]) }
                for m in matches(#"\b(\w+)\(a, "(\w+)""#, in: body) where helpers.contains(m[1]) { read.insert(m[2]) }
                out.append((name, file, declared, read))
            }
        }
        return out
    }

    /// The text up to the brace closing a closure whose opening brace was just read (braces in
    /// string literals, single-line or triple-quoted, do not count).
    func closureBody(_ text: String) -> String {
        var depth = 1, i = text.startIndex
        var inString = false, triple = false, escaped = false
        while i < text.endIndex {
            let c = text[i]
            if inString {
                if escaped { escaped = false }
                else if c == "\\" { escaped = true }
                else if c == "\"" {
                    if !triple { inString = false }
                    else if text[i...].hasPrefix("\"\"\"") { inString = false; i = text.index(i, offsetBy: 2) }
                }
            } else if c == "\"" {
                inString = true
                triple = text[i...].hasPrefix("\"\"\"")
                if triple { i = text.index(i, offsetBy: 2) }
            } else if c == "{" { depth += 1 }
            else if c == "}" { depth -= 1; if depth == 0 { return String(text[..<i]) } }
            i = text.index(after: i)
        }
        return text
    }

    func testEveryParameterABuiltinReadsIsDeclared() throws {
        let specs = try readsBySpec()
        XCTAssertGreaterThan(specs.count, 100, "the scan found too few specs to be reading the sources right")
        XCTAssertGreaterThan(specs.map(\.read.count).reduce(0, +), 200)
        for s in specs {
            let undeclared = s.read.subtracting(s.declared)
            XCTAssertTrue(undeclared.isEmpty, "\(s.file): \(s.spec)() reads \(undeclared.sorted()) but declares only \(s.declared.sorted())")
        }
    }

    /// The scan itself finds a misspelt read.
    func testTheScanFindsAMisspeltRead() throws {
        let source = #"""
        BuiltinSpec("demo", [.required("factors", "Int"), .optional("seed", "Int", default: .int(1))], category: cat, doc: "d") { a in
            let f = try a.int("facotrs"); let s = try positive(a, "seed")
        },
        """#
        let part = source.components(separatedBy: "BuiltinSpec(\"")[1]
        let body = closureBody(String(part[part.range(of: "{ a in")!.upperBound...]))
        XCTAssertFalse(body.contains("},"), "the body ends at its closing brace")
        let q = "\"", tq = q + q + q
        let inner = "let s = " + q + "}" + q + " + " + tq + "\n}\n" + tq + "; if x { y } "
        XCTAssertEqual(closureBody(inner + "} rest"), inner)
        XCTAssertEqual(matches(#"\ba\.(\w+)\("(\w+)""#, in: body).map { $0[2] }, ["facotrs"])
        XCTAssertEqual(matches(#"\b(\w+)\(a, "(\w+)""#, in: body).map { $0[2] }, ["seed"])
    }

    /// At run time an undeclared read is an error of the call, not a crash.
    func testAnUndeclaredReadIsAnErrorNotACrash() throws {
        let interp = try Session(sink: CollectingSink(), storage: Workspace.storage).interpreter
        let spec = BuiltinSpec("demo", [.required("factors", "Int")], category: "Test", doc: "d") { _ in .nil }
        let a = Arguments(interpreter: interp, location: .unknown, spec: spec, bound: [.int(3)], rest: [])
        XCTAssertEqual(try a.int("factors"), 3)
        XCTAssertThrowsError(try a.int("facotrs")) { e in
            XCTAssertTrue((e as? RecError)?.message.contains("does not declare") ?? false, "\(e)")
        }
        XCTAssertNil(a.value("facotrs"))
    }
}
