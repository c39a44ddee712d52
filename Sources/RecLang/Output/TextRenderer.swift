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
    /// Whether progress is drawn as a bar on standard error (see `wantsProgress`); otherwise
    /// progress events are not shown at all (logs and pipes want no carriage returns).
    public var showProgress: Bool
    /// What stderr's current line holds: every other output first removes a bar, or ends the
    /// line of a bar kept after a stop, so that no message is written after a bar on its line.
    private enum Line { case clean, bar, kept }
    private var line = Line.clean

    public init(color: Bool, showResults: Bool, showProgress: Bool = false) {
        self.color = color
        self.showResults = showResults
        self.showProgress = showProgress
    }

    public func emit(_ event: OutputEvent) {
        if case .progress(let p) = event {
            drawProgress(p)
            return
        }
        let endedKeptLine = line == .kept
        clearBar()
        switch event {
        case .progress: break
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
            // The terminal has echoed "^C" on the current line; start the report on a new one
            // (unless a stopped bar's line was just ended).
            if e.kind == .interrupted, isatty(2) != 0, !endedKeptLine { fputs("\n", stderr) }
            fputs(e.render(color: color) + "\n", stderr)
        }
    }

    public func flush() { fflush(stdout) }

    private func drawProgress(_ p: ProgressUpdate) {
        fflush(stdout)
        switch p.state {
        case .running:
            guard showProgress else { return }
            // ESC[K clears what a longer earlier line (or an echoed ^C) left to the right.
            fputs("\r" + p.barText() + "\u{1B}[K", stderr)
            line = .bar
        case .finished, .failed:
            clearBar()
        case .stopped:
            // Stopped by Ctrl-C: the bar stays, showing the epoch reached; without a bar the
            // terminal's echoed ^C is on the line. Either way the next report starts below.
            if showProgress { fputs("\r" + p.barText() + "\u{1B}[K", stderr) }
            if showProgress || isatty(2) != 0 { line = .kept }
        }
    }

    private func clearBar() {
        switch line {
        case .clean: break
        case .bar: fputs("\r\u{1B}[K", stderr)
        case .kept: fputs("\n", stderr)
        }
        line = .clean
    }

    /// All of `text`'s bytes: `fputs` would stop at a NUL character (`print("a\0b")`).
    private func fputs(_ text: String, _ file: UnsafeMutablePointer<FILE>) {
        var text = text
        text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    /// True when progress bars should be drawn: standard error is a terminal and REC_NO_PROGRESS
    /// is unset.
    public static func wantsProgress() -> Bool {
        isatty(2) != 0 && getenv("REC_NO_PROGRESS") == nil
    }

    /// True when colour should be used on `fd`: it is a terminal and NO_COLOR is unset or empty.
    public static func wantsColor(fd: Int32) -> Bool {
        // no-color.org: NO_COLOR set to a non-empty value disables colour.
        let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        return isatty(fd) != 0 && noColor.isEmpty
    }
}
