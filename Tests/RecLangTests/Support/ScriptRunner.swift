import Foundation
import XCTest
import RecLang
import RecStore

/// Runs Rec scripts that state their expectations in comments (Corpus/, the examples in docs/)
/// and gathers what differs.
enum ScriptRunner {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh session (prelude loaded) whose events are collected.
    static func session() throws -> (Session, CollectingSink) {
        let sink = CollectingSink()
        return (try Session(sink: sink, storage: Workspace.storage), sink)
    }

    /// Runs one script file as `rec FILE` would, in a fresh session, and compares strictly: every
    /// line it prints and every warning must be expected. A file without expectations is itself
    /// a mismatch, so that a test cannot silently assert nothing.
    static func checkFile(at path: String, displayName: String) throws -> (mismatches: [Mismatch], knownBug: String?) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expectations = Expectations(parsing: text)
        let (session, sink) = try session()
        let result = session.runFile(path)
        var found = expectations.check(RunRecord(events: sink.events, result: result), file: displayName, sourceName: path,
                                       lastLine: text.components(separatedBy: "\n").count, strict: true)
        if expectations.isEmpty {
            found.insert(Mismatch(file: displayName, line: 1, message:
                "no expectations: say what the script prints (# expect: …) or how it fails (# expect error: …)"), at: 0)
        }
        return (found, expectations.knownBug)
    }

    /// Runs `body` with a fresh temporary directory as the current directory (scripts that read
    /// or write relative paths never touch the checkout), with the contents of `fixtures` copied
    /// into it. Tests run one at a time in a process, so changing the directory is safe.
    static func inTemporaryDirectory<T>(copying fixtures: URL? = nil, _ body: (URL) throws -> T) throws -> T {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("rec-scripts-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        if let fixtures {
            for name in try fm.contentsOfDirectory(atPath: fixtures.path) {
                try fm.copyItem(at: fixtures.appendingPathComponent(name), to: dir.appendingPathComponent(name))
            }
        }
        let previous = fm.currentDirectoryPath
        guard fm.changeCurrentDirectoryPath(dir.path) else { throw CocoaError(.fileNoSuchFile) }
        defer {
            _ = fm.changeCurrentDirectoryPath(previous)
            try? fm.removeItem(at: dir)
        }
        return try body(dir)
    }
}

/// The outcome of checking many scripts: failures, known bugs, skips.
struct ScriptReport {
    var failures: [String] = []
    var knownBugs: [String] = []
    var skipped: [String] = []
    var checked = 0

    /// Records one script. One marked as a known bug is expected to mismatch: its mismatches
    /// become notes, and passing becomes a failure (so the marker is removed with the fix).
    mutating func record(_ mismatches: [Mismatch], knownBug: String?, script: String) {
        checked += 1
        guard let bug = knownBug else { return failures += mismatches.map(\.description) }
        if mismatches.isEmpty {
            failures.append("\(script): marked as a known bug (\(bug)), but it passes now: remove the marker")
        } else {
            knownBugs.append("\(script): known bug: \(bug)\n" + mismatches.map { "    " + $0.description }.joined(separator: "\n"))
        }
    }

    /// Fails the test once per mismatch; prints known bugs and skips so they stay visible.
    func assertClean(_ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for k in knownBugs { print("\(what): known failure: \(k)") }
        for s in skipped { print("\(what): skipped: \(s)") }
        for f in failures { XCTFail(f, file: file, line: line) }
    }
}
