import RecCore

/// An error in a Rec program: a value carrying where it happened and what went wrong.
///
/// Syntax and resolution errors are raised before anything runs; runtime errors additionally carry
/// the Rec call stack at the point of failure (innermost first).
public final class RecError: Error, CustomStringConvertible {
    public enum Kind: String {
        case syntax = "syntax error"
        case name = "name error"
        case type = "type error"
        case value = "value error"
        case runtime = "error"
        case interrupted = "interrupted"
        case recursion = "recursion error"
        case io = "I/O error"
    }

    /// One Rec frame of a stack trace: the function that was running and where it was called.
    public struct Frame: Equatable {
        public let function: String
        public let location: SourceLocation
    }

    public let kind: Kind
    public let message: String
    public internal(set) var location: SourceLocation
    public internal(set) var trace: [Frame] = []
    /// Frames beyond `maxTrace` are only counted, so a runaway recursion does not build a
    /// million-entry trace while unwinding.
    public internal(set) var elidedFrames = 0
    public var notes: [String] = []
    /// The name a name error could not find (nil for other errors), for hosts that know more
    /// source than the interpreter saw: a notebook renderer can point at the later cell defining it.
    public internal(set) var undefinedName: String?
    /// Set when the input simply ended too early (an open bracket or string): the REPL reads
    /// another line instead of reporting the error.
    public internal(set) var incompleteInput = false
    /// The other errors found in the same pass (syntax errors of one chunk, or its scope errors),
    /// in source order after this one; each renders with its own source line and caret.
    public internal(set) var additional: [RecError] = []
    /// Errors found beyond `Diagnostics.maxReported`: only counted.
    public internal(set) var unreported = 0
    static let maxTrace = 40

    public init(_ kind: Kind, _ message: String, at location: SourceLocation = .unknown) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    func addFrame(_ function: String, _ location: SourceLocation) {
        if trace.count < RecError.maxTrace { trace.append(Frame(function: function, location: location)) }
        else { elidedFrames += 1 }
    }

    /// `file:line:col: error: message` — the first line of the rendered diagnostic.
    public var headline: String { render(color: false).split(separator: "\n", maxSplits: 1).first.map(String.init) ?? "" }

    public var description: String { render(color: false) }

    /// The full diagnostic: headline, the source line with a caret under the column, notes and
    /// the Rec stack trace; then each additional error the same way.
    public func render(color: Bool) -> String {
        let red = color ? "\u{1B}[1;31m" : "", bold = color ? "\u{1B}[1m" : "", reset = color ? "\u{1B}[0m" : ""
        let place = location.line == 0 ? "" : "\(location): "
        var out = bold + place + red + "error:" + reset + bold + " " + message + reset
        if let file = location.file, location.line > 0 {
            let text = file.lineText(location.line)
            if !text.isEmpty {
                // Control characters would be invisible or act on the terminal: show their pictures
                // (U+2400…), one column each like the rest.
                let shown = String(String.UnicodeScalarView(text.unicodeScalars.map { s -> Unicode.Scalar in
                    s == "\t" ? " " : s.value < 0x20 ? Unicode.Scalar(0x2400 + s.value)! : s.value == 0x7F ? "\u{2421}" : s
                }))
                // Columns count scalars; the caret needs terminal columns (CJK takes two).
                let scalars = max(0, location.column - 1), inLine = min(scalars, shown.unicodeScalars.count)
                let before = String(String.UnicodeScalarView(shown.unicodeScalars.prefix(inLine)))
                out += "\n    " + shown
                out += "\n    " + String(repeating: " ", count: before.displayWidth + scalars - inLine) + red + "^" + reset
            }
        }
        for note in notes { out += "\nnote: " + note }
        if !trace.isEmpty {
            out += "\nstack trace (most recent call first):"
            // Runs of one frame (a recursion) are shown once with a count.
            var i = 0
            while i < trace.count {
                var j = i + 1
                while j < trace.count && trace[j] == trace[i] { j += 1 }
                out += "\n  in \(trace[i].function) at \(trace[i].location)"
                if j - i > 1 { out += " (\(j - i) times)" }
                i = j
            }
            if elidedFrames > 0 { out += "\n  … \(elidedFrames) more frames" }
        }
        for other in additional { out += "\n" + other.render(color: color) }
        if unreported > 0 { out += "\n… and \(unreported) more error\(unreported == 1 ? "" : "s")" }
        return out
    }
}
