#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders events on a terminal or into pipes: program output to stdout, diagnostics to stderr,
/// colour only when asked (the caller decides: a TTY and no NO_COLOR).
public final class TextRenderer: OutputSink {
    public var color: Bool
    /// Whether `.result` events are shown (the REPL shows them; `rec run` does not).
    public var showResults: Bool

    public init(color: Bool, showResults: Bool) {
        self.color = color
        self.showResults = showResults
    }

    public func emit(_ event: OutputEvent) {
        switch event {
        case .stream(.stdout, let text):
            fputs(text, stdout)
        case .stream(.stderr, let text):
            fflush(stdout)
            fputs(text, stderr)
        case .display(let d):
            fputs(d.plainText + "\n", stdout)
        case .result(let d):
            if showResults { fputs(d.plainText + "\n", stdout) }
        case .warning(let message, let loc):
            fflush(stdout)
            let yellow = color ? "\u{1B}[1;33m" : "", reset = color ? "\u{1B}[0m" : ""
            fputs((loc.map { "\($0): " } ?? "") + yellow + "warning:" + reset + " " + message + "\n", stderr)
        case .error(let e):
            fflush(stdout)
            // The terminal has echoed "^C" on the current line; start the report on a new one.
            if e.kind == .interrupted, isatty(2) != 0 { fputs("\n", stderr) }
            fputs(e.render(color: color) + "\n", stderr)
        }
    }

    public func flush() { fflush(stdout) }

    /// All of `text`'s bytes: `fputs` would stop at a NUL character (`print("a\0b")`).
    private func fputs(_ text: String, _ file: UnsafeMutablePointer<FILE>) {
        var text = text
        text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    /// True when colour should be used on `fd`: it is a terminal and NO_COLOR is unset or empty.
    public static func wantsColor(fd: Int32) -> Bool {
        // no-color.org: NO_COLOR set to a non-empty value disables colour.
        let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        return isatty(fd) != 0 && noColor.isEmpty
    }
}
