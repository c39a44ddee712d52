import CRecSupport
import Foundation
import RecCore
import RecLang

/// The interactive loop: reads entries (continuing lines while brackets or strings are open),
/// runs them in one session, shows results, and handles `:` meta-commands. Errors never end it.
public final class REPL {
    public private(set) var session: Session
    let reader: LineReader
    let sink: OutputSink
    let color: Bool
    public private(set) var finished = false
    /// Entries that ended in an error (piped input exits with status 1 when there were any).
    public private(set) var failures = 0

    public init(session: Session, reader: LineReader, sink: OutputSink, color: Bool) {
        self.session = session
        self.reader = reader
        self.sink = sink
        self.color = color
        session.interpreter.fitInterruption = .keepModel
    }

    var prompt: String { color ? "\u{1}\u{1B}[1;36m\u{2}rec>\u{1}\u{1B}[0m\u{2} " : "rec> " }
    var continuationPrompt: String { color ? "\u{1}\u{1B}[2m\u{2}...>\u{1}\u{1B}[0m\u{2} " : "...> " }

    /// Runs until end of input or `:quit`.
    public func run() {
        rec_install_interrupt_handler()
        while !finished {
            guard let entry = readEntry() else {
                if reader is EditLineReader { emit("\n") } // leave the shell prompt on a fresh line after ^D
                break
            }
            handle(entry)
            (sink as? TextRenderer)?.flush()
            // Saved after every entry: a killed session keeps its history.
            reader.saveHistory()
        }
    }

    /// Reads one complete entry; nil at end of input.
    func readEntry() -> String? {
        var lines: [String] = []
        while true {
            switch reader.read(prompt: lines.isEmpty ? prompt : continuationPrompt) {
            case .endOfInput:
                if lines.isEmpty { return nil }
                // Input ended inside an open bracket: run it anyway so the error is shown.
                return lines.joined(separator: "\n")
            case .interrupted:
                emit("\n")
                (sink as? TextRenderer)?.flush()   // before libedit draws the next prompt
                lines.removeAll()
            case .line(let line):
                lines.append(line)
                let text = lines.joined(separator: "\n")
                if lines.count == 1 && line.trimmingCharacters(in: .whitespaces).hasPrefix(":") { return text }
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { lines.removeAll(); continue }
                if Session.isComplete(text) { return text }
            }
        }
    }

    /// Runs one entry: a meta-command or Rec code.
    public func handle(_ entry: String) {
        let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return }
        reader.addHistory(entry)
        if trimmed.hasPrefix(":") {
            meta(trimmed)
        } else if case .failure = session.evaluate(entry, showResult: true) {
            failures += 1
        }
    }

    private func emit(_ text: String) { sink.emit(.stream(.stdout, text)) }

    static let commands: [(name: String, usage: String, help: String)] = [
        ("help", ":help [name]", "show this list, or the documentation of a function"),
        ("vars", ":vars", "list the variables you defined, with their types"),
        ("type", ":type expr", "show the type of an expression's value"),
        ("time", ":time expr", "run an expression and show how long it took"),
        ("load", ":load file.rec", "run a file in this session (its definitions stay)"),
        ("reset", ":reset", "forget all variables and start afresh"),
        ("quit", ":quit", "leave the REPL (Ctrl-D works too)"),
    ]

    func meta(_ text: String) {
        let body = text.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let arg = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        let matches = REPL.commands.filter { $0.name.hasPrefix(name) && !name.isEmpty }
        guard let command = REPL.commands.first(where: { $0.name == name }) ?? (matches.count == 1 ? matches[0] : nil) else {
            var msg = "unknown command ':\(name)'"
            if matches.count > 1 { msg += " (ambiguous: " + matches.map { ":" + $0.name }.joined(separator: ", ") + ")" }
            sink.emit(.warning(msg + "; type :help for the list of commands", nil))
            return
        }
        switch command.name {
        case "help":
            if arg.isEmpty {
                var out = "REPL commands:\n"
                for c in REPL.commands { out += "  " + c.usage.padding(toLength: 16, withPad: " ", startingAt: 0) + c.help + "\n" }
                out += "\nhelp() lists every builtin function; help(name) or :help name documents one.\n"
                out += "Enter Rec code to run it; an unclosed bracket or string continues on the next line.\n"
                emit(out)
            } else {
                emit(Help.text(for: .string(arg), in: session.interpreter) + "\n")
            }
        case "vars":
            let vars = session.interpreter.userGlobals
            if vars.isEmpty { emit("no variables defined yet\n"); return }
            let width = vars.map(\.name.displayWidth).max() ?? 0
            var out = ""
            for v in vars {
                var shown = v.value.repr
                if shown.displayWidth > 60 { shown = shown.clipped(toWidth: 58) }
                out += v.name.padded(toWidth: width)
                    + "  \(v.value.typeName.padding(toLength: 9, withPad: " ", startingAt: 0))"
                    + "\(v.mutable ? "var" : "let")  \(shown)\n"
            }
            emit(out)
        case "type":
            guard !arg.isEmpty else { sink.emit(.warning("usage: :type expr", nil)); return }
            if case .success(let v) = session.evaluate(arg, showResult: false) { emit(v.typeName + "\n") }
        case "time":
            guard !arg.isEmpty else { sink.emit(.warning("usage: :time expr", nil)); return }
            let start = DispatchTime.now().uptimeNanoseconds
            let result = session.evaluate(arg, showResult: true)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            if case .success = result { emit("time: \(REPL.formatDuration(ms))\n") }
        case "load":
            guard !arg.isEmpty else { sink.emit(.warning("usage: :load file.rec", nil)); return }
            let path = arg.hasPrefix("\"") && arg.hasSuffix("\"") && arg.count >= 2 ? String(arg.dropFirst().dropLast()) : arg
            session.runFile((path as NSString).expandingTildeInPath)
        case "reset":
            do {
                let fresh = try Session(sink: sink, stdlibDirectory: session.interpreter.stdlibDirectory,
                                        storage: session.interpreter.storage)
                fresh.interpreter.fitInterruption = .keepModel
                // The workspace is where things are kept, not a variable: it stays open.
                fresh.interpreter.workspace = session.interpreter.workspace
                session.interpreter.workspace = nil
                session = fresh
                emit("session reset\n")
            } catch {
                sink.emit(.error(error))
            }
        default:
            finished = true
        }
    }

    static func formatDuration(_ ms: Double) -> String {
        if ms < 1 { return String(format: "%.3f ms", ms) }
        if ms < 1000 { return String(format: "%.1f ms", ms) }
        return String(format: "%.2f s", ms / 1000)
    }
}
