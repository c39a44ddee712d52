import Foundation
import RecCore

/// A running Rec environment as hosts see it: the REPL, `rec run`, notebook renderers and tests.
/// It owns an interpreter with the prelude loaded and turns each chunk's outcome into events.
public final class Session {
    public let interpreter: Interpreter
    /// Counts chunks so that each REPL entry gets its own source name (`<repl:3>`).
    public private(set) var chunkCount = 0

    /// - Parameter stdlibDirectory: where `prelude.rec` and importable modules live; by default
    ///   found with `Stdlib.locate()`.
    /// - Parameter storage: how `workspace(path)` opens a file and `sqlite_query` reads one
    ///   (RecStore's `Workspace.storage`); nil for a host without them.
    public init(sink: OutputSink, stdlibDirectory: String? = Stdlib.locate(), loadPrelude: Bool = true,
                storage: Storage? = nil) throws(RecError) {
        interpreter = Interpreter(sink: sink, stdlibDirectory: stdlibDirectory)
        interpreter.storage = storage
        if loadPrelude {
            guard let dir = stdlibDirectory else {
                throw RecError(.io, "the standard library was not found; set REC_STDLIB to the Stdlib directory")
            }
            let path = (dir as NSString).appendingPathComponent("prelude.rec")
            let file = try SourceFile(path: path)
            try interpreter.run(file, programName: "<prelude>", system: true)
        }
    }

    public var sink: OutputSink {
        get { interpreter.sink }
        set { interpreter.sink = newValue }
    }

    /// Runs one chunk of source. Errors are emitted to the sink and returned; when `showResult`
    /// is set, a non-nil final value is emitted as a `.result` event.
    @discardableResult
    public func evaluate(_ source: String, name: String? = nil, showResult: Bool = true) -> Result<Value, RecError> {
        chunkCount += 1
        let file = SourceFile(name: name ?? "<repl:\(chunkCount)>", text: source)
        return evaluate(file, showResult: showResult)
    }

    @discardableResult
    public func evaluate(_ file: SourceFile, showResult: Bool) -> Result<Value, RecError> {
        do {
            // The top level's name in stack traces: `in <cell> at <cell 3>:2:1` in a notebook.
            let top = file.name.hasPrefix("<repl") ? "<repl>" : file.name.hasPrefix("<cell ") ? "<cell>" : "<script>"
            let value = try interpreter.run(file, programName: top)
            if showResult, !value.isNil { interpreter.sink.emit(.result(Display.data(for: value, options: interpreter.display))) }
            return .success(value)
        } catch {
            interpreter.sink.emit(.error(error))
            return .failure(error)
        }
    }

    /// Runs a script file as the main program; errors are emitted and returned.
    @discardableResult
    public func runFile(_ path: String) -> Result<Value, RecError> {
        do {
            let value = try interpreter.runMain(try SourceFile(path: path))
            return .success(value)
        } catch {
            interpreter.sink.emit(.error(error))
            return .failure(error)
        }
    }

    /// Ends the session's hold on outside resources: closes the open workspace, checkpointing
    /// it into one self-contained file, and removes the files `temp_path()` handed out. Hosts
    /// call it when the session ends, whatever the reason (a process exiting runs no
    /// deinitializers). The session can still run code afterwards, without a workspace.
    public func close() {
        interpreter.closeWorkspace()
        interpreter.removeTemporaryFiles()
    }

    /// Whether `source` is a complete entry, or ends inside an open bracket or string (in which
    /// case the REPL asks for another line).
    public static func isComplete(_ source: String) -> Bool {
        completeness(source) != .incomplete
    }

    public enum Completeness: String { case complete, incomplete, invalid }

    /// Whether `source` parses (`complete`), only ends too early (`incomplete`: an open bracket
    /// or string) or has a syntax error that more lines cannot fix (`invalid`). Jupyter's
    /// `is_complete_request` asks exactly this.
    public static func completeness(_ source: String) -> Completeness {
        do {
            _ = try Parser.parse(SourceFile(name: "<input>", text: source))
            return .complete
        } catch {
            return error.incompleteInput ? .incomplete : .invalid
        }
    }
}

/// Turns values into the MIME bundles carried by display events.
public enum Display {
    public static func data(for value: Value, options: DisplayOptions = .standard) -> DisplayData {
        if case .native(let o) = value { return o.display(options) }
        if case .record(let r) = value, let html = SummaryHTML.explanation(r, format: options.tableFormat) {
            return DisplayData(["text/plain": value.repr, "text/html": html])
        }
        return DisplayData(["text/plain": value.repr])
    }

    /// What `print` and `str` write: strings as they are, objects under the display settings.
    public static func text(of value: Value, options: DisplayOptions) -> String {
        if case .native(let o) = value { return o.text(options) }
        return value.str
    }
}

/// Finds the standard library written in Rec.
public enum Stdlib {
    /// `REC_STDLIB`, then `Stdlib/` or `share/rec/Stdlib` near the executable, then the source
    /// checkout this binary was built from.
    public static func locate() -> String? {
        let fm = FileManager.default
        func ok(_ dir: String) -> Bool { fm.fileExists(atPath: (dir as NSString).appendingPathComponent("prelude.rec")) }
        if let env = ProcessInfo.processInfo.environment["REC_STDLIB"], ok(env) { return env }
        // /proc/self/exe names the binary however it was started (through PATH, a symlink, a shebang).
        let exe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } ?? ""
        var dir = (exe as NSString).deletingLastPathComponent
        for _ in 0..<5 where !dir.isEmpty && dir != "/" {
            for candidate in ["Stdlib", "share/rec/Stdlib"] {
                let c = (dir as NSString).appendingPathComponent(candidate)
                if ok(c) { return c }
            }
            dir = (dir as NSString).deletingLastPathComponent
        }
        // Sources/RecLang/Session.swift → repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let c = root.appendingPathComponent("Stdlib").path
        return ok(c) ? c : nil
    }
}
