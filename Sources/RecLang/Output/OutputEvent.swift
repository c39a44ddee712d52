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
    /// A long computation's progress: several events with one `id`, the last one not `.running`.
    /// A terminal redraws one bar, Jupyter updates one display, a rendered notebook shows the
    /// final state.
    case progress(ProgressUpdate)
}

/// One state of a long computation (a fit's epochs) as front ends show it.
public struct ProgressUpdate: Equatable, Sendable {
    public enum State: String, Sendable { case running, finished, stopped, failed }
    /// The same for every event of one computation (`fit-3`), unique in a session.
    public var id: String
    /// What runs: `biased-mf`.
    public var label: String
    public var step: Int
    public var total: Int
    /// The latest figure worth showing: `loss 0.8123`.
    public var detail: String?
    public var state: State

    public init(id: String, label: String, step: Int, total: Int, detail: String? = nil, state: State = .running) {
        self.id = id; self.label = label; self.step = step; self.total = total; self.detail = detail; self.state = state
    }

    /// The kind of operation, from the id: `fit`, `evaluate`, `cross_validate` …
    public var kind: String { id.split(separator: "-").dropLast().joined(separator: "-") }

    /// Done share, 0…1.
    public var fraction: Double { total > 0 ? min(1, Double(step) / Double(total)) : 1 }

    /// `biased-mf [======      ] 10/40  loss 0.8123` (`width` columns of bar).
    public func barText(width: Int = 24) -> String {
        let done = Int((fraction * Double(width)).rounded(.down))
        var line = "\(label) [" + String(repeating: "=", count: done) + String(repeating: " ", count: width - done) + "] \(step)/\(total)"
        if let detail { line += "  " + detail }
        switch state {
        case .running, .finished: break
        case .stopped: line += "  (stopped)"
        case .failed: line += "  (failed)"
        }
        return line
    }
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
            case .progress: break
            }
        }
        return out
    }
}
