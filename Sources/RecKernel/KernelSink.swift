import Foundation
import RecLang

/// Turns a running cell's output events into IOPub messages under the request that caused them:
/// `stream`, `display_data`, `execute_result`, `error`, and progress as one display updated in
/// place (`display_data` with a transient `display_id`, then `update_display_data`).
///
/// Printed text is batched: a loop printing thousands of lines becomes a few messages, not
/// thousands. A batch goes out when other output follows, when the cell ends, when it grows
/// large, or when the control thread finds it older than `maxDelay` (so a print before a long
/// computation shows at once).
final class KernelSink: OutputSink {
    private let iopub: IOPub
    private let lock = NSLock()
    /// The request whose outputs these are; nil between requests.
    private var parent: Message?
    private var executionCount = 0
    private var pending: (stream: OutputEvent.Stream, text: String, since: Date)?
    private var progressShown = Set<String>()
    static let maxBatch = 64 * 1024
    static let maxDelay: TimeInterval = 0.05

    /// The last error and result of the current request (for the reply and the history).
    private(set) var lastError: RecError?
    private(set) var resultText: String?

    init(iopub: IOPub) { self.iopub = iopub }

    func begin(_ request: Message, executionCount: Int) {
        lock.lock(); defer { lock.unlock() }
        parent = request; self.executionCount = executionCount
        lastError = nil; resultText = nil
    }

    func end() {
        lock.lock(); defer { lock.unlock() }
        flushLocked()
        parent = nil
    }

    func emit(_ event: OutputEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .stream(let stream, let text):
            append(stream, text)
        case .warning(let message, let location):
            append(.stderr, (location.map { "\($0): " } ?? "") + "warning: " + message + "\n")
        case .display(let d):
            flushLocked()
            publish("display_data", ["data": d.data, "metadata": [:] as JSONObject, "transient": [:] as JSONObject])
        case .result(let d):
            flushLocked()
            resultText = d.plainText
            publish("execute_result", ["execution_count": executionCount, "data": d.data, "metadata": [:] as JSONObject])
        case .error(let e):
            flushLocked()
            lastError = e
            publish("error", Self.errorContent(e))
        case .progress(let p):
            flushLocked()
            let first = progressShown.insert(p.id).inserted
            publish(first ? "display_data" : "update_display_data",
                    ["data": Self.progressBundle(p), "metadata": [:] as JSONObject, "transient": ["display_id": p.id]])
        }
    }

    /// Sends batched text older than `maxDelay`; called by the control thread between polls.
    func flushIfStale() {
        lock.lock(); defer { lock.unlock() }
        if let p = pending, Date().timeIntervalSince(p.since) >= Self.maxDelay { flushLocked() }
    }

    private func append(_ stream: OutputEvent.Stream, _ text: String) {
        if let p = pending, p.stream == stream {
            pending!.text += text
        } else {
            flushLocked()
            pending = (stream, text, Date())
        }
        if pending!.text.utf8.count >= Self.maxBatch { flushLocked() }
    }

    private func flushLocked() {
        guard let p = pending else { return }
        pending = nil
        publish("stream", ["name": p.stream.rawValue, "text": p.text])
    }

    private func publish(_ type: String, _ content: JSONObject) {
        iopub.publish(type, content, parent: parent)
    }

    /// `ename` is the kind of error, `evalue` its message, and `traceback` the whole diagnostic
    /// as the terminal shows it (position, source line with caret, Rec stack trace), one line
    /// per entry with ANSI colour, which notebook front ends render.
    static func errorContent(_ e: RecError) -> JSONObject {
        ["ename": e.kind.rawValue, "evalue": e.message,
         "traceback": e.render(color: true).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)]
    }

    static func progressBundle(_ p: ProgressUpdate) -> [String: String] {
        let label = Self.escapeHTML(p.label), detail = p.detail.map { " " + Self.escapeHTML($0) } ?? ""
        let state = p.state == .running || p.state == .finished ? "" : " (\(p.state.rawValue))"
        let html = "<div class=\"rec-progress\"><code>\(label)</code> <progress value=\"\(p.step)\" max=\"\(max(p.total, 1))\"></progress> "
            + "\(p.step)/\(p.total)\(detail)\(state)</div>"
        return ["text/plain": p.barText(), "text/html": html]
    }

    static func escapeHTML(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
