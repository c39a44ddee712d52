import Foundation
import XCTest
@testable import RecREPL
import RecLang
import RecStore

/// A REPL over scripted lines and an in-memory sink, for tests of its logic without a terminal.
func scriptedREPL(_ lines: [LineInput]) throws -> (REPL, ScriptedLineReader, CollectingSink) {
    let sink = CollectingSink()
    let reader = ScriptedLineReader(lines)
    let repl = REPL(session: try Session(sink: sink, storage: Workspace.storage), reader: reader, sink: sink, color: false)
    return (repl, reader, sink)
}

/// Runs the scripted lines to the end and returns what the user would see.
func transcript(_ lines: [String]) throws -> String {
    let (repl, _, sink) = try scriptedREPL(lines.map { .line($0) })
    repl.run()
    return sink.transcript
}

/// The directory holding the built products (`rec` next to the test bundle).
var productsDirectory: URL {
    for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") {
        return b.bundleURL.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL
}

/// The `rec` binary built alongside the tests.
var recBinary: URL { productsDirectory.appendingPathComponent("rec") }

/// A fresh temporary directory, removed by the test's teardown.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rec-repl-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion with the given stdin and environment additions.
func runProcess(_ executable: URL, _ arguments: [String], stdin: String? = nil,
                environment: [String: String] = [:], removing: [String] = [],
                currentDirectory: URL? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for k in removing { env.removeValue(forKey: k) }
    for (k, v) in environment { env[k] = v }
    p.environment = env
    if let currentDirectory { p.currentDirectoryURL = currentDirectory }
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
    try inp.fileHandleForWriting.close()
    // Read both pipes before waiting so a large output cannot block the child.
    final class Box: @unchecked Sendable { var data = Data() }
    let outBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let outData = outBox.data
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}
