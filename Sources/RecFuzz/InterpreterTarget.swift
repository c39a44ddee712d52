import CRecSupport
import Foundation
import RecLang

/// The `interpreter` target: the input as Rec source, parsed, resolved and run with every
/// builtin and the prelude, in a fresh interpreter each time (so that an input's outcome never
/// depends on the ones before it), its output rendered and discarded.
///
/// What keeps it safe to run millions of generated programs:
/// - file access (`FileAccess`): reading only the fixtures directory (bound to the global
///   `FIXTURES`) and a scratch directory, writing only the scratch directory, which is where
///   `temp_path()` names files and which is emptied after each input;
/// - a time budget: after `budgetSeconds` the watchdog interrupts the program as Ctrl-C would;
/// - a 1 GiB stack, as `rec` runs with, so the interpreter's own recursion limits apply.
enum InterpreterTarget {
    static let budgetSeconds = 1.0

    final class Host: @unchecked Sendable {
        let registry = BuiltinRegistry.standard()
        let stdlib: String?
        let prelude: SourceFile?
        let fixtures: String
        let scratch: String
        let watchdog = Watchdog()

        init() {
            stdlib = Stdlib.locate()
            prelude = stdlib.flatMap { try? SourceFile(path: ($0 as NSString).appendingPathComponent("prelude.rec")) }
            fixtures = FuzzPaths.fixtures
            var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("rec-fuzz-XXXXXX").utf8CString)
            scratch = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) }
                ?? NSTemporaryDirectory()
            atexit { if let dir = InterpreterTarget.host?.scratch { try? FileManager.default.removeItem(atPath: dir) } }
        }

        var access: FileAccess {
            FileAccess(readable: [fixtures], writable: [scratch], temporaryDirectory: scratch)
        }

        /// Runs `body` as a program run of `rec` would be, in a fresh interpreter (with the
        /// prelude loaded, unless `prelude` is false), on a large stack, under the watchdog,
        /// with `access` to files; errors are rendered.
        func withInterpreter(_ access: FileAccess, prelude loadPrelude: Bool = true, _ body: @escaping (Interpreter) throws -> Void) {
            defer { emptyScratch() }
            InterpreterTarget.onLargeStack { [self] in
                watchdog.arm(seconds: InterpreterTarget.budgetSeconds)
                defer { watchdog.disarm() }
                let sink = RenderingSink()
                let interp = Interpreter(sink: sink, registry: registry, stdlibDirectory: stdlib)
                interp.fileAccess = access
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

        func emptyScratch() {
            let fm = FileManager.default
            guard let names = try? fm.contentsOfDirectory(atPath: scratch), !names.isEmpty else { return }
            for n in names { try? fm.removeItem(atPath: (scratch as NSString).appendingPathComponent(n)) }
        }
    }

    nonisolated(unsafe) private static var host: Host?

    /// Created on first use: fuzzing starts with the first input.
    static var shared: Host {
        if let host { return host }
        let h = Host()
        host = h
        return h
    }

    static func run(_ data: UnsafeRawBufferPointer) {
        let h = shared
        let source = SourceFile(name: "<fuzz>", text: String(decoding: data, as: UTF8.self))
        h.withInterpreter(h.access) { interp in
            interp.define("FIXTURES", .string(h.fixtures))
            try interp.run(source)
        }
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
        }
    }
}

/// Where the fuzz data lives in the source tree.
public enum FuzzPaths {
    /// The repository root (this file is Sources/RecFuzz/InterpreterTarget.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// Small data files programs under the fuzzer may read (`FIXTURES`).
    public static var fixtures: String {
        ProcessInfo.processInfo.environment["REC_FUZZ_FIXTURES"] ?? (root as NSString).appendingPathComponent("Tests/Fuzz/fixtures")
    }
}
