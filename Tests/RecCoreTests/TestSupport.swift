import CZlib
import Foundation
import XCTest
@testable import RecCore

/// A fresh temporary directory per test case, removed afterwards.
class TempDirTestCase: XCTestCase {
    var dir: String = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "reccore-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Writes text (as UTF-8) and returns the path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = (dir as NSString).appendingPathComponent(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes gzip-compressed text with zlib and returns the path.
    @discardableResult
    func writeGzip(_ name: String, _ text: String) throws -> String {
        let path = (dir as NSString).appendingPathComponent(name)
        guard let gz = gzopen(path, "wb") else { throw DataError(.io, path: path, message: "gzopen failed") }
        var bytes = Array(text.utf8)
        let n = bytes.withUnsafeMutableBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
        gzclose(gz)
        XCTAssertEqual(Int(n), bytes.count)
        return path
    }

    /// Asserts that `body` throws a DataError and returns it.
    func dataError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> DataError? {
        do {
            _ = try body()
            XCTFail("expected a DataError", file: file, line: line)
            return nil
        } catch let e as DataError {
            return e
        } catch {
            XCTFail("expected a DataError, got \(error)", file: file, line: line)
            return nil
        }
    }
}

/// ../shared/data/ml-100k relative to the repository root, located from this file.
func movieLens100KDirectory() throws -> String {
    let here = URL(fileURLWithPath: #filePath)
    // Tests/RecCoreTests/TestSupport.swift → repository root is three levels up. The sandbox
    // reaches this file through a symlink, so resolve it first.
    let resolved = here.resolvingSymlinksInPath()
    var candidates: [URL] = []
    for base in [resolved, here] {
        let root = base.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.deletingLastPathComponent().appendingPathComponent("shared/data/ml-100k"))
    }
    for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("u.data").path) {
        return c.path
    }
    throw XCTSkip("MovieLens 100K not found at ../shared/data/ml-100k")
}

extension Interactions {
    /// Raw (user, item) pairs, for comparisons that ignore dense indices.
    var rawPairs: [String] { (0..<count).map { "\(users.key(at: user[$0]))/\(items.key(at: item[$0]))" } }
}
