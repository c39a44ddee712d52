import ArgumentParser
import CRecSupport
import Foundation
import RecLang
import RecStore
import RecREPL

/// Runs `body` on a thread with a large stack, so deep (but finite) recursion in Rec programs
/// works and runaway recursion is caught by the interpreter's own limits long before the end.
func withLargeStack(_ body: @escaping () -> Void) {
    final class Job { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
    let job = Unmanaged.passRetained(Job(body))
    let rc = rec_run_with_stack(1 << 30, { ctx in
        let j = Unmanaged<Job>.fromOpaque(ctx!).takeUnretainedValue()
        j.body()
    }, job.toOpaque())
    job.release()
    if rc != 0 { body() }
}

@main
struct Rec: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "rec",
        abstract: "Rec: a small language, REPL and notebooks for recommender systems.",
        discussion: """
        Examples:
          rec                              start the REPL
          rec run Notebooks/00-language-tour.rec
          rec run nb.rec -p users=200      run a notebook with its parameters cell's users set to 200
          rec render nb.rec -o nb.html     run a notebook and write it as a page (or --to ipynb)
          rec render nb.ipynb --to rec     a Jupyter notebook's cells as a percent-format .rec file
          rec -e 'sum(1...10)'             evaluate an expression and print its value (55)
          echo '1 + 2' | rec               evaluate piped input (prints 3)
          rec - < script.rec               run a script read from stdin
          rec script.rec a b               run a script; it sees args == ["a", "b"]
          rec --workspace w.recdb          REPL with save/restore/sql on w.recdb
          rec kernel install --user        make Rec a Jupyter kernel (rec kernel --help)
        """,
        version: version
    )

    @Option(name: [.customShort("e"), .long], help: "Evaluate Rec code and print its value.")
    var eval: String?

    @Flag(name: .long, help: "Never use colour (also when NO_COLOR is set).")
    var noColor = false

    @Option(name: .long, help: "Open this SQLite workspace (created if needed) for save, restore and sql.")
    var workspace: String?

    @Flag(name: .long, help: .hidden)
    var builtinsMarkdown = false

    @Argument(parsing: .captureForPassthrough,
              help: ArgumentHelp("`run FILE… [-p NAME=VALUE]…` runs scripts in order; `render NOTEBOOK [--to html|ipynb|rec] [-o OUT]` writes a run notebook (docs/notebooks.md); `FILE [ARG…]` runs one script, which sees ARG… as the list `args`; `-` reads a script from stdin.",
                                 valueName: "run FILE… | render NOTEBOOK | FILE [ARG…] | - | kernel …"))
    var arguments: [String] = []

    func run() throws {
        if builtinsMarkdown {
            print(BuiltinRegistry.standard().markdownReference(), terminator: "")
            return
        }
        // The passthrough argument captures everything, --help and --version included.
        switch arguments.first {
        case "--help", "-h":
            print(Rec.helpMessage())
            return
        case "--version":
            print(Rec.version)
            return
        default: break
        }
        if arguments.first == "kernel" {
            // The kernel runs its cells on a large-stack thread of its own.
            let status = KernelCommand.run(Array(arguments.dropFirst()), workspace: workspace)
            if status != 0 { throw ExitCode(status) }
            return
        }
        var status: Int32 = 0
        withLargeStack {
            if let eval {
                status = Runner.evaluate(eval, color: !noColor, workspace: workspace)
            } else if arguments.first == "run" {
                var files = Array(arguments.dropFirst())
                if let overrides = NotebookCommands.takeParameters(&files, status: &status) {
                    if files.isEmpty {
                        status = Runner.usage("rec run needs at least one file: rec run script.rec")
                    } else if overrides.isEmpty {
                        status = Runner.runFiles(files, color: !noColor, workspace: workspace)
                    } else if files.count == 1 {
                        status = NotebookCommands.runWithParameters(files[0], overrides, color: !noColor, workspace: workspace)
                    } else {
                        status = Runner.usage("-p sets a notebook's parameters: give one notebook, not \(files.count) files")
                    }
                }
            } else if arguments.first == "render" {
                status = NotebookCommands.render(Array(arguments.dropFirst()), workspace: workspace)
            } else if arguments.first == "-" {
                status = Runner.runStdin(color: !noColor, args: Array(arguments.dropFirst()), workspace: workspace)
            } else if let script = arguments.first {
                // `#!/usr/bin/env rec` runs `rec path/to/script`; later arguments belong to the script.
                status = Runner.runFiles([script], color: !noColor, args: Array(arguments.dropFirst()), workspace: workspace)
            } else {
                status = Runner.repl(color: !noColor, workspace: workspace)
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// The command's modes, sharing session set-up and exit codes.
enum Runner {
    /// A session with the prelude loaded and the script's command-line arguments as `args`.
    static func makeSession(_ renderer: TextRenderer, args: [String] = [], workspace: String?) throws(RecError) -> Session {
        let session = try Session(sink: renderer, storage: Workspace.storage)
        session.interpreter.define("args", .list(args.map { .string($0) }))
        if let workspace {
            do { try WorkspaceBuiltins.openWorkspace(workspace, in: session.interpreter) }
            catch { throw RecError(.io, "cannot open workspace \(workspace): \(error)") }
        }
        return session
    }

    /// Sets up a session, runs `body` with it and closes it whatever happened, so an open
    /// workspace is checkpointed into one self-contained file on every way out: success, an
    /// error, Ctrl-C. Returns the exit status.
    static func withSession(_ renderer: TextRenderer, args: [String] = [], workspace: String?,
                            stopIfInterrupted: Bool = true, _ body: (Session) -> Int32) -> Int32 {
        // From here on Ctrl-C only raises the interpreter's flag: the default action would end
        // the process without closing the workspace.
        rec_install_interrupt_handler()
        let session: Session
        do { session = try makeSession(renderer, args: args, workspace: workspace) }
        catch { renderer.emit(.error(error)); return exitStatus(error) }
        defer { session.close() }
        // A Ctrl-C while the workspace opened would be forgotten when the program starts.
        if stopIfInterrupted, let status = stopForPendingInterrupt(renderer) { return status }
        return body(session)
    }

    /// When Ctrl-C came between two programs (where nothing polls the flag), reports it and
    /// returns status 130.
    static func stopForPendingInterrupt(_ renderer: TextRenderer) -> Int32? {
        guard rec_interrupt_pending() != 0 else { return nil }
        rec_interrupt_clear()
        let e = RecError(.interrupted, "interrupted")
        renderer.emit(.error(e))
        return exitStatus(e)
    }

    static func usage(_ message: String) -> Int32 {
        FileHandle.standardError.write(("error: " + message + "\n").data(using: .utf8)!)
        return 64
    }

    static func exitStatus(_ error: RecError) -> Int32 { error.kind == .interrupted ? 130 : 1 }

    static func runFiles(_ files: [String], color: Bool, args: [String] = [], workspace: String?) -> Int32 {
        let renderer = TextRenderer(color: color && TextRenderer.wantsColor(fd: 2), showResults: false, showProgress: TextRenderer.wantsProgress())
        defer { renderer.flush() }
        return withSession(renderer, args: args, workspace: workspace) { session in
            for f in files {
                if let status = stopForPendingInterrupt(renderer) { return status }
                if case .failure(let e) = session.runFile(f) { return exitStatus(e) }
            }
            return 0
        }
    }

    static func runStdin(color: Bool, args: [String], workspace: String?) -> Int32 {
        let renderer = TextRenderer(color: color && TextRenderer.wantsColor(fd: 2), showResults: false, showProgress: TextRenderer.wantsProgress())
        defer { renderer.flush() }
        return withSession(renderer, args: args, workspace: workspace) { session in
            let bytes: [UInt8]
            do throws(RecError) { bytes = try readStandardInput() }
            catch { renderer.emit(.error(error)); return exitStatus(error) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                renderer.emit(.error(RecError(.io, "<stdin>: input is not UTF-8 text")))
                return 1
            }
            if let status = stopForPendingInterrupt(renderer) { return status }
            if case .failure(let e) = session.evaluate(text, name: "<stdin>", showResult: false) { return exitStatus(e) }
            return 0
        }
    }

    /// All of standard input. FileHandle's reading traps when a read fails with EINTR, which is
    /// what Ctrl-C causes once it only raises the flag; here it ends the read as `interrupted`.
    static func readStandardInput() throws(RecError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n > 0 { bytes += buffer[0..<n]; continue }
            if n == 0 { return bytes }
            let code = errno
            if code == EINTR {
                if rec_interrupt_pending() != 0 { rec_interrupt_clear(); throw RecError(.interrupted, "interrupted while reading the script from stdin") }
                continue
            }
            throw RecError(.io, "<stdin>: cannot read: \(String(cString: strerror(code)))")
        }
    }

    static func evaluate(_ code: String, color: Bool, workspace: String?) -> Int32 {
        let renderer = TextRenderer(color: color && TextRenderer.wantsColor(fd: 2), showResults: true, showProgress: TextRenderer.wantsProgress())
        defer { renderer.flush() }
        return withSession(renderer, workspace: workspace) { session in
            if case .failure(let e) = session.evaluate(code, name: "<-e>", showResult: true) { return exitStatus(e) }
            return 0
        }
    }

    static func repl(color: Bool, workspace: String?) -> Int32 {
        let interactive = isatty(0) != 0
        let useColor = color && interactive && TextRenderer.wantsColor(fd: 1)
        let renderer = TextRenderer(color: useColor, showResults: true, showProgress: TextRenderer.wantsProgress())
        defer { renderer.flush() }
        // Ctrl-C at the prompt discards the line, so one pressed during start-up is dropped too.
        return withSession(renderer, workspace: workspace, stopIfInterrupted: false) { session in
            let reader: LineReader
            var current: REPL? = nil
            if interactive {
                let completer = Completer(session: { current?.session ?? session })
                reader = EditLineReader(historyPath: EditLineReader.defaultHistoryPath()) { prefix, _ in completer.complete(prefix) }
                renderer.emit(.stream(.stdout, "Rec \(Rec.version) — :help for commands, help() for functions, Ctrl-D to quit\n"))
            } else {
                reader = PlainLineReader()
            }
            let repl = REPL(session: session, reader: reader, sink: renderer, color: useColor)
            current = repl
            repl.run()
            // :reset replaces the session (the workspace moves along); close the one in use at the end.
            repl.session.close()
            // Piped input behaves like a script: a failed entry makes the exit status 1.
            return !interactive && repl.failures > 0 ? 1 : 0
        }
    }
}
