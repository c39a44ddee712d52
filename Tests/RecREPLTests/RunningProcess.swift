import Foundation
import XCTest

/// A `rec` process the test talks to while it runs: waits for text on its stderr or stdout,
/// writes to its stdin, sends it SIGINT, and collects everything when it exits.
final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let lock = NSLock()
    private var out = Data(), err = Data()
    private let done = DispatchGroup()

    init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let o = Pipe(), e = Pipe()
        process.standardOutput = o
        process.standardError = e
        process.standardInput = input
        try process.run()
        for (pipe, isErr) in [(o, false), (e, true)] {
            done.enter()
            DispatchQueue.global().async { [self] in
                let h = pipe.fileHandleForReading
                while true {
                    let chunk = h.availableData
                    if chunk.isEmpty { break }
                    lock.lock()
                    if isErr { err += chunk } else { out += chunk }
                    lock.unlock()
                }
                done.leave()
            }
        }
    }

    var stdout: String { lock.lock(); defer { lock.unlock() }; return String(decoding: out, as: UTF8.self) }
    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }

    /// Waits until stdout or stderr contains `text`; fails the test after `timeout` seconds.
    func waitFor(_ text: String, timeout: Double = 60, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.contains(text) || stderr.contains(text) { return }
            if !process.isRunning && !(stdout.contains(text) || stderr.contains(text)) { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTFail("no \"\(text)\" from rec\nstdout: \(stdout)\nstderr: \(stderr)", file: file, line: line)
    }

    func write(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }
    func closeInput() { try? input.fileHandleForWriting.close() }
    func interrupt() { process.interrupt() }
    var isRunning: Bool { process.isRunning }

    /// Waits for the exit (killing the process after `timeout` seconds) and returns its status.
    func finish(timeout: Double = 60) -> Int32 {
        closeInput()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        done.wait()
        return process.terminationStatus
    }
}
