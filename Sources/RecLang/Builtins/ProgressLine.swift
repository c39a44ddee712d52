// The progress bar of `fit` on a terminal.

import Foundation
import RecCore

/// One line on standard error redrawn in place with `\r` while a fit runs. It never leaves the
/// cursor in the middle of a line for someone else to write after: when the fit ends or fails it
/// is erased; when Ctrl-C stopped it, it stays (showing the epoch reached) and
/// `endLineAfterInterrupt()` — or the renderer, for the `interrupted` error — starts the report
/// on the next line.
final class ProgressLine: @unchecked Sendable {
    private var drawn = false

    /// A bar when standard error is a terminal and `REC_NO_PROGRESS` is unset; nil otherwise.
    static func forFit() -> ProgressLine? {
        isatty(2) != 0 && ProcessInfo.processInfo.environment["REC_NO_PROGRESS"] == nil ? ProgressLine() : nil
    }

    /// `biased-mf [======      ] 10/40  loss 0.8123`
    func draw(_ p: FitProgress) {
        let width = 24, done = p.epochs > 0 ? p.epoch * width / p.epochs : width
        var line = "\r\(p.model) [" + String(repeating: "=", count: done) + String(repeating: " ", count: width - done)
            + "] \(p.epoch)/\(p.epochs)"
        if let l = p.loss { line += String(format: "  loss %.4f", l) }
        // ESC[K clears what a longer earlier line (or an echoed ^C) left to the right.
        write(line + "\u{1B}[K")
        drawn = true
    }

    /// Removes the bar: the cursor is back at the start of an empty line.
    func erase() {
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    /// After Ctrl-C on a terminal the cursor follows the bar or the echoed ^C: a report of the
    /// interruption that is not the `interrupted` error itself (which `TextRenderer` starts on a
    /// new line) must end that line first.
    static func endLineAfterInterrupt() {
        if isatty(2) != 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
