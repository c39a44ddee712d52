/// A value prepared for display: one representation per MIME type. `text/plain` is always
/// present; notebooks also use `text/html` and `image/svg+xml` when a value provides them.
public struct DisplayData: Equatable {
    public var data: [String: String]
    public init(_ data: [String: String]) { self.data = data }
    public var plainText: String { data["text/plain"] ?? "" }
}

/// Everything a running program shows goes through one sink as events, never straight to
/// stdout: the terminal renderer prints them; notebook and Jupyter renderers record them per cell.
public enum OutputEvent {
    public enum Stream: String { case stdout, stderr }
    /// Text written by `print` and friends.
    case stream(Stream, String)
    /// A value shown on purpose mid-run (`show(x)`).
    case display(DisplayData)
    /// The value of the last expression of a REPL entry or notebook cell.
    case result(DisplayData)
    case warning(String, SourceLocation?)
    case error(RecError)
}

public protocol OutputSink: AnyObject {
    func emit(_ event: OutputEvent)
}

/// Collects events in memory: used by tests, `:type`-style queries and notebook renderers.
public final class CollectingSink: OutputSink {
    public private(set) var events: [OutputEvent] = []
    public init() {}
    public func emit(_ event: OutputEvent) { events.append(event) }
    public func clear() { events.removeAll() }

    /// Printed text, displayed values (their text/plain form, one per line), warnings and errors
    /// rendered as a terminal would show them, interleaved in order.
    public var transcript: String {
        var out = ""
        for e in events {
            switch e {
            case .stream(_, let s): out += s
            case .display(let d), .result(let d): out += d.plainText + "\n"
            case .warning(let m, let loc): out += (loc.map { "\($0): " } ?? "") + "warning: " + m + "\n"
            case .error(let err): out += err.render(color: false) + "\n"
            }
        }
        return out
    }
}
