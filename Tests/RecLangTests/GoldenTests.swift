import Foundation
import XCTest
import RecLang
import RecCore
import RecStore

/// Every notebook's full output against its golden transcript in Golden/. After an intended
/// change, regenerate with `REC_UPDATE_GOLDEN=1 swift test --filter GoldenTests` and review the
/// diff before committing it.
final class GoldenTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let goldenDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func testNotebooksMatchTheirGoldenOutput() throws {
        let notebooks = try FileManager.default.contentsOfDirectory(atPath: GoldenTests.root.appendingPathComponent("Notebooks").path)
            .filter { $0.hasSuffix(".rec") }.sorted()
        XCTAssertFalse(notebooks.isEmpty)
        let update = ProcessInfo.processInfo.environment["REC_UPDATE_GOLDEN"] == "1"
        // A notebook that reads MovieLens-100K (never copied into the project: its licence) has
        // a golden made with the data beside the checkout; without the data it is skipped.
        let movieLens = FileManager.default.fileExists(atPath: GoldenTests.root.appendingPathComponent("../shared/data/ml-100k/u.data").path)
        for name in notebooks {
            let path = GoldenTests.root.appendingPathComponent("Notebooks/\(name)").path
            if !movieLens, (try? String(contentsOfFile: path, encoding: .utf8))?.contains("data/ml-100k") == true {
                print("GoldenTests: \(name) skipped: it reads MovieLens-100K, which is not at ../shared/data/ml-100k")
                continue
            }
            let sink = CollectingSink()
            let session = try Session(sink: sink, storage: Workspace.storage)
            if case .failure(let e) = session.runFile(path) {
                XCTFail("\(name) failed: \(e.render(color: false))")
                continue
            }
            // Positions are shown relative to the repository so goldens do not depend on the checkout.
            let out = sink.transcript.replacingOccurrences(of: GoldenTests.root.path + "/", with: "")
            let golden = GoldenTests.goldenDir.appendingPathComponent(name.replacingOccurrences(of: ".rec", with: ".out"))
            if update {
                try out.write(to: golden, atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
                XCTFail("no golden output for \(name); run with REC_UPDATE_GOLDEN=1 to create \(golden.path)")
                continue
            }
            if out != expected {
                let a = out.components(separatedBy: "\n"), b = expected.components(separatedBy: "\n")
                let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                XCTFail("""
                \(name) differs from its golden output at line \(first + 1):
                  got:      \(first < a.count ? a[first] : "<end>")
                  expected: \(first < b.count ? b[first] : "<end>")
                """)
            }
        }
    }

    /// The same notebook run twice in one process prints the same numbers (seeded randomness).
    func testNotebooksAreDeterministic() throws {
        let path = GoldenTests.root.appendingPathComponent("Notebooks/01-behaviour-data.rec").path
        var outs: [String] = []
        for _ in 0..<2 {
            let sink = CollectingSink()
            let session = try Session(sink: sink, storage: Workspace.storage)
            _ = session.runFile(path)
            outs.append(sink.transcript)
        }
        XCTAssertEqual(outs[0], outs[1])
    }

    /// docs/builtins.md is generated from the registry; a builtin added or changed without
    /// regenerating it (`rec --builtins-markdown > docs/builtins.md`) fails here.
    func testBuiltinReferenceIsUpToDate() throws {
        let doc = try String(contentsOf: GoldenTests.root.appendingPathComponent("docs/builtins.md"), encoding: .utf8)
        XCTAssertTrue(doc == BuiltinRegistry.standard().markdownReference(),
                      "docs/builtins.md is stale: run `.build/debug/rec --builtins-markdown > docs/builtins.md`")
    }

    /// The catalogue part of docs/models.md is generated from `ModelCatalogue`; a model or
    /// parameter changed without regenerating it fails here. REC_UPDATE_GOLDEN=1 rewrites it.
    func testModelCatalogueTablesAreUpToDate() throws {
        let url = GoldenTests.root.appendingPathComponent("docs/models.md")
        let doc = try String(contentsOf: url, encoding: .utf8)
        guard let begin = doc.range(of: ModelCatalogue.markdownBegin),
              let end = doc.range(of: ModelCatalogue.markdownEnd + "\n", range: begin.upperBound..<doc.endIndex) else {
            return XCTFail("docs/models.md has no catalogue markers")
        }
        let current = String(doc[begin.lowerBound..<end.upperBound]), wanted = ModelCatalogue.markdown()
        if current != wanted, ProcessInfo.processInfo.environment["REC_UPDATE_GOLDEN"] != nil {
            try doc.replacingCharacters(in: begin.lowerBound..<end.upperBound, with: wanted).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertTrue(current == wanted, "docs/models.md's catalogue tables are stale: run REC_UPDATE_GOLDEN=1 .build/debug/RecPackageTests.xctest RecLangTests.GoldenTests/testModelCatalogueTablesAreUpToDate")
    }
}
