import Foundation
import XCTest
import RecFuzz

/// Replays, through the fuzz targets' own code (without libFuzzer), every input that once
/// crashed (Tests/Fuzz/crashes/<target>/) and the loader and payload corpora
/// (Tests/Fuzz/corpus/<target>/; the interpreter corpus, slower, is replayed by the bounded fuzz
/// run of scripts/test): each must run to completion. A crash fails the whole test run, as it
/// killed the fuzzer.
final class FuzzRegressionTests: XCTestCase {
    func inputs(_ folder: String, _ target: FuzzTarget) throws -> [URL] {
        let dir = URL(fileURLWithPath: FuzzPaths.root).appendingPathComponent("Tests/Fuzz/\(folder)/\(target.rawValue)")
        guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    func replay(_ folder: String, _ targets: [FuzzTarget] = FuzzTarget.allCases) throws -> Int {
        var n = 0
        for t in targets {
            for url in try inputs(folder, t) {
                t.run(Array(try Data(contentsOf: url)))
                n += 1
            }
        }
        return n
    }

    func testCrashReproducersRunToCompletion() throws {
        _ = try replay("crashes")
    }

    func testLoaderAndPayloadCorporaRunToCompletion() throws {
        XCTAssertGreaterThan(try replay("corpus", [.csv, .jsonl, .movielens, .payload]), 0, "the committed corpora are missing")
    }

    /// The interpreter target's time budget: a program that never ends is interrupted.
    func testEndlessProgramIsInterrupted() {
        let start = Date()
        FuzzTarget.interpreter.run(Array("var i = 0\nwhile true { i += 1 }".utf8))
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }
}
