import CRecSupport
import Foundation
import RecCore
import RecLang
import RecStore

/// What the interpreter-based targets share, made once per process: the builtin registry, the
/// prelude's source, the fixtures and scratch directories and the watchdog. Each input still
/// gets a fresh interpreter, so that its outcome never depends on the inputs before it.
final class FuzzHost: @unchecked Sendable {
    /// How long a program may run before the watchdog interrupts it.
    static let budgetSeconds = 1.0

    nonisolated(unsafe) private static var instance: FuzzHost?

    /// Created on first use: fuzzing starts with the first input.
    static var shared: FuzzHost {
        if let instance { return instance }
        let h = FuzzHost()
        instance = h
        return h
    }

    let registry = BuiltinRegistry.standard()
    let stdlib: String?
    let prelude: SourceFile?
    let fixtures: String
    /// Emptied after every input; removed at exit.
    let scratch: String
    let watchdog = Watchdog()

    private init() {
        // Below libFuzzer's -malloc_limit_mb (2048): a size Rec would refuse on a small machine is
        // refused here too, rather than reported as an out-of-memory finding.
        MemoryBudget.limit = 1 << 30
        stdlib = Stdlib.locate()
        prelude = stdlib.flatMap { try? SourceFile(path: ($0 as NSString).appendingPathComponent("prelude.rec")) }
        fixtures = FuzzPaths.fixtures
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("rec-fuzz-XXXXXX").utf8CString)
        scratch = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) }
            ?? NSTemporaryDirectory()
        atexit { if let dir = FuzzHost.instance?.scratch { try? FileManager.default.removeItem(atPath: dir) } }
    }

    /// Programs may read the fixtures and the scratch directory, and write only the latter.
    var programAccess: FileAccess {
        FileAccess(readable: [fixtures], writable: [scratch], temporaryDirectory: scratch)
    }

    /// Runs `body` as a program run of `rec` would be, in a fresh interpreter (with the prelude
    /// loaded, unless `prelude` is false), on a 1 GiB stack (so the interpreter's own recursion
    /// limits apply), under the watchdog, with `access` to files; errors are rendered.
    func withInterpreter(_ access: FileAccess, prelude loadPrelude: Bool = true, _ body: @escaping (Interpreter) throws -> Void) {
        defer { emptyScratch() }
        FuzzHost.onLargeStack { [self] in
            watchdog.arm(seconds: FuzzHost.budgetSeconds)
            defer { watchdog.disarm() }
            let sink = RenderingSink()
            let interp = Interpreter(sink: sink, registry: registry, stdlibDirectory: stdlib)
            interp.fileAccess = access
            interp.storage = Workspace.storage
            defer { interp.tearDown() }
            do {
                if loadPrelude, let prelude { try interp.run(prelude, programName: "<prelude>", system: true) }
                try body(interp)
            } catch let e as RecError {
                sink.emit(.error(e))
            } catch {
                _ = "\(error)"
            }
        }
    }

    private func emptyScratch() {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: scratch), !names.isEmpty else { return }
        for n in names { try? fm.removeItem(atPath: (scratch as NSString).appendingPathComponent(n)) }
    }

    /// Runs `body` on a thread with `rec`'s 1 GiB stack and waits for it.
    static func onLargeStack(_ body: @escaping () -> Void) {
        final class Job { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
        let job = Unmanaged.passRetained(Job(body))
        let rc = rec_run_with_stack(1 << 30, { ctx in
            Unmanaged<Job>.fromOpaque(ctx!).takeUnretainedValue().body()
        }, job.toOpaque())
        job.release()
        if rc != 0 { body() }
    }
}

/// Renders every event as a terminal or notebook would (errors with their caret lines, displays
/// in each of their forms), so that rendering is exercised too, and then forgets it.
final class RenderingSink: OutputSink {
    private(set) var characters = 0

    func emit(_ event: OutputEvent) {
        switch event {
        case .stream(_, let s): characters += s.utf8.count
        case .display(let d), .result(let d): for (_, v) in d.data { characters += v.utf8.count }
        case .warning(let m, let loc): characters += m.utf8.count + (loc.map { "\($0)".utf8.count } ?? 0)
        case .error(let e): characters += e.render(color: true).utf8.count + e.render(color: false).utf8.count
        case .progress(let p): characters += p.barText().utf8.count
        }
    }
}

/// Where the fuzz data lives in the source tree.
public enum FuzzPaths {
    /// The repository root (this file is Sources/RecFuzz/FuzzHost.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// Small data files programs under the fuzzer may read (`FIXTURES`).
    public static var fixtures: String {
        ProcessInfo.processInfo.environment["REC_FUZZ_FIXTURES"] ?? (root as NSString).appendingPathComponent("Tests/Fuzz/fixtures")
    }
}
