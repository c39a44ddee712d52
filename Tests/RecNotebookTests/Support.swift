import Foundation
import XCTest
import RecLang
@testable import RecNotebook

enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static var notebooks: [URL] {
        let dir = root.appendingPathComponent("Notebooks")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".rec") }.sorted().map { dir.appendingPathComponent($0) }
    }
}

/// Parses and runs percent-format text in a fresh session, errors naming `file`.
func runNotebook(_ text: String, file: String = "nb.rec", overrides: ParameterOverrides = ParameterOverrides()) throws -> NotebookRun {
    let notebook = try overrides.inject(into: Notebook.parsePercent(text, file: file), file: file)
    let session = try Session(sink: CollectingSink())
    return NotebookRun.run(notebook, file: file, in: session)
}

/// The text a cell printed.
func printed(_ run: NotebookRun.CellRun?) -> String {
    var s = ""
    for case .stream(_, let t) in run?.events ?? [] { s += t }
    return s
}

/// Compares with a golden file, or writes it when REC_UPDATE_GOLDEN=1.
func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let url = Paths.golden.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["REC_UPDATE_GOLDEN"] == "1" {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("no golden \(name); run with REC_UPDATE_GOLDEN=1 to create \(url.path)", file: file, line: line)
        return
    }
    if actual != expected {
        let a = actual.components(separatedBy: "\n"), b = expected.components(separatedBy: "\n")
        let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        XCTFail("\(name) differs at line \(first + 1):\n  got:      \(first < a.count ? a[first] : "<end>")\n  expected: \(first < b.count ? b[first] : "<end>")", file: file, line: line)
    }
}
