import CEditLine
import CRecSupport
import Foundation

/// What one attempt to read a line produced.
public enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: discard what was typed.
    case interrupted
    /// Ctrl-D or end of piped input.
    case endOfInput
}

/// The REPL reads through this, so its logic runs the same with libedit, a pipe or a test script.
public protocol LineReader: AnyObject {
    func read(prompt: String) -> LineInput
    func addHistory(_ entry: String)
    func saveHistory()
}

/// Reads piped or redirected input: no prompt, no editing, no history.
public final class PlainLineReader: LineReader {
    public init() {}
    public func read(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }
    public func addHistory(_ entry: String) {}
    public func saveHistory() {}
}

/// Feeds fixed lines: for tests of the REPL logic without a terminal.
public final class ScriptedLineReader: LineReader {
    private var lines: [LineInput]
    public private(set) var prompts: [String] = []
    public private(set) var history: [String] = []
    public init(_ lines: [LineInput]) { self.lines = lines }
    public func read(prompt: String) -> LineInput {
        prompts.append(prompt)
        return lines.isEmpty ? .endOfInput : lines.removeFirst()
    }
    public func addHistory(_ entry: String) { history.append(entry) }
    public func saveHistory() {}
}

/// libedit, through its readline-compatible API. Only one can exist (libedit keeps global state).
public final class EditLineReader: LineReader {
    private let historyPath: String?
    /// Entries kept in the history file.
    static let historyLimit = 2000
    nonisolated(unsafe) static var completer: ((String, Int) -> (word: String, candidates: [String]))?

    public init(historyPath: String?, completer: @escaping (String, Int) -> (word: String, candidates: [String])) {
        self.historyPath = historyPath
        EditLineReader.useUTF8CharacterType()
        EditLineReader.completer = completer
        rec_el_initialize("rec", { line, cursor, word in
            guard let line, let complete = EditLineReader.completer else { return nil }
            let text = String(cString: line)
            // libedit gives a byte offset; map it to a String index.
            let bytes = Array(text.utf8)
            let prefix = String(decoding: bytes[0..<min(Int(cursor), bytes.count)], as: UTF8.self)
            let result = complete(prefix, prefix.count)
            if result.candidates.isEmpty { return nil }
            // libedit replaces only its own word, which may be a suffix of ours.
            let editorWord = word.map { String(cString: $0) } ?? result.word
            let candidates = Completer.relative(result.candidates, word: result.word, editorWord: editorWord)
            let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: candidates.count + 1)
            for (i, c) in candidates.enumerated() { list[i] = strdup(c) }
            list[candidates.count] = nil
            return list
        })
        rec_el_stifle_history(Int32(EditLineReader.historyLimit))
        if let historyPath, FileManager.default.fileExists(atPath: historyPath) {
            _ = rec_el_read_history(historyPath)
        }
    }

    /// libedit converts its wide-character line to bytes (for display, the returned line and the
    /// history) through the C library's LC_CTYPE; in the C/POSIX locale it drops or escapes every
    /// non-ASCII character. Rec reads and writes UTF-8 whatever the environment says (source files
    /// are UTF-8, Swift prints UTF-8), so when the environment's LC_CTYPE is not a UTF-8 one,
    /// C.UTF-8 is used instead. Only LC_CTYPE changes: LC_NUMERIC stays "C" so that strtod and
    /// printf keep reading and writing "3.14" in every locale.
    static func useUTF8CharacterType() {
        if setlocale(LC_CTYPE, "") != nil, isUTF8Codeset() { return }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"] where setlocale(LC_CTYPE, name) != nil {
            if isUTF8Codeset() { return }
        }
    }

    private static func isUTF8Codeset() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).lowercased()
        return name == "utf-8" || name == "utf8"
    }

    public func read(prompt: String) -> LineInput {
        rec_interrupt_clear()
        guard let raw = rec_el_readline(prompt) else {
            // readline returns NULL for Ctrl-C as for Ctrl-D; only our SIGINT flag tells them apart.
            if rec_el_take_interrupt() != 0 || rec_interrupt_pending() != 0 {
                rec_interrupt_clear()
                rec_el_reset_line()
                return .interrupted
            }
            return .endOfInput
        }
        defer { free(raw) }
        return .line(String(cString: raw))
    }

    public func addHistory(_ entry: String) {
        rec_el_add_history(entry)
    }

    /// Writes the history atomically: a temporary file renamed over the old one, so a crash
    /// never leaves a truncated history.
    public func saveHistory() {
        guard let historyPath else { return }
        let dir = (historyPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tmp = historyPath + ".tmp-\(getpid())"
        if rec_el_write_history(tmp) == 0 {
            if rename(tmp, historyPath) != 0 { unlink(tmp) }
        } else {
            unlink(tmp)
        }
    }

    /// `$REC_HISTORY`, else `$XDG_STATE_HOME/rec/history`, else `~/.local/state/rec/history`.
    public static func defaultHistoryPath() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["REC_HISTORY"], !p.isEmpty { return p }
        if let state = env["XDG_STATE_HOME"], !state.isEmpty { return state + "/rec/history" }
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/rec/history"
    }
}
