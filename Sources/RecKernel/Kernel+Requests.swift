import Foundation
import RecLang
import RecREPL

/// The shell requests that read or run code: execute, complete, inspect, is_complete. All run
/// on the execution thread, which owns the session.
extension Kernel {
    func execute(_ m: Message) {
        guard let session else { return }
        let c = m.content
        let code = c["code"] as? String ?? ""
        let silent = c["silent"] as? Bool ?? false
        let storeHistory = !silent && (c["store_history"] as? Bool ?? true)
        let stopOnError = c["stop_on_error"] as? Bool ?? true
        if storeHistory {
            executionCount += 1
            history.record(line: executionCount, input: code)
        }
        let count = executionCount
        if !silent { iopub.publish("execute_input", ["code": code, "execution_count": count], parent: m) }

        sink.begin(m, executionCount: count)
        if let w = startupWarning {
            sink.emit(.warning(w, nil))
            startupWarning = nil
        }
        var failure: RecError? = nil
        if !code.allSatisfy(\.isWhitespace),
           case .failure(let e) = session.evaluate(code, name: "<cell \(count)>", showResult: !silent) {
            failure = e
        }
        let expressions = failure == nil ? userExpressions(c["user_expressions"] as? JSONObject ?? [:], in: session) : [:]
        sink.end()
        if let text = sink.resultText, storeHistory { history.setOutput(line: count, text) }

        if let failure {
            // The requests waiting now were sent before the client could see this error: those
            // are the ones to abort. Taken before the reply goes out, so nothing sent after it
            // is caught.
            if stopOnError { queuedBehindFailure = drainShell() }
            var content = KernelSink.errorContent(failure)
            content["status"] = "error"
            content["execution_count"] = count
            reply(m, on: shell, content)
        } else {
            reply(m, on: shell, ["status": "ok", "execution_count": count, "payload": [] as [Any],
                                 "user_expressions": expressions])
        }
    }

    /// Each expression's value as a MIME bundle (or its error), evaluated after the cell with
    /// its output kept out of the cell's.
    private func userExpressions(_ expressions: JSONObject, in session: Session) -> JSONObject {
        guard !expressions.isEmpty else { return [:] }
        let cellSink = session.sink
        defer { session.sink = cellSink }
        session.sink = CollectingSink()
        var out: JSONObject = [:]
        for (name, expr) in expressions {
            switch session.evaluate(expr as? String ?? "", name: "<user_expressions>", showResult: false) {
            case .success(let v):
                out[name] = ["status": "ok", "data": Display.data(for: v, options: session.interpreter.display).data,
                             "metadata": [:] as JSONObject] as JSONObject
            case .failure(let e):
                var content = KernelSink.errorContent(e)
                content["status"] = "error"
                out[name] = content
            }
        }
        return out
    }

    /// Every request already waiting on the shell socket, in order.
    private func drainShell() -> [Message] {
        var queued: [Message] = []
        while let frames = try? shell.receive(timeout: 0) {
            if let q = accept(frames, channel: "shell") { queued.append(q) }
        }
        return queued
    }

    /// After a failed cell with `stop_on_error`, the cells the client had already queued are
    /// not run: each gets an `aborted` reply (as Jupyter's "run all" expects); other requests
    /// are served as usual.
    func serveQueuedBehindFailure() {
        let queued = queuedBehindFailure
        queuedBehindFailure = []
        for q in queued where !isStopping {
            guard q.type == "execute_request" else { handleShell(q); continue }
            iopub.status("busy", parent: q)
            reply(q, on: shell, ["status": "aborted", "execution_count": executionCount])
            iopub.status("idle", parent: q)
        }
    }

    /// The REPL's completer on the text before the cursor. `cursor_pos` counts Unicode code
    /// points (protocol 5.2 and later), as Swift's unicode scalars do.
    func complete(_ c: JSONObject) -> JSONObject {
        let (scalars, pos) = Self.scalars(c)
        var matches: [String] = []
        var word = ""
        if let session {
            let prefix = String(String.UnicodeScalarView(scalars[..<pos]))
            (word, matches) = Completer(session: session).complete(prefix)
        }
        return ["status": "ok", "matches": matches, "cursor_start": pos - word.unicodeScalars.count,
                "cursor_end": pos, "metadata": [:] as JSONObject]
    }

    /// `help` for the name at the cursor, or for the function being called when the cursor
    /// is just inside its parenthesis (`fit(|`), as Shift-Tab in a notebook asks.
    func inspect(_ c: JSONObject) -> JSONObject {
        let (scalars, pos) = Self.scalars(c)
        let name = Self.name(at: pos, in: scalars)
        guard let session, !name.isEmpty, session.interpreter.lookup(name) != nil else {
            return ["status": "ok", "found": false, "data": [:] as JSONObject, "metadata": [:] as JSONObject]
        }
        return ["status": "ok", "found": true, "data": ["text/plain": Help.text(for: .string(name), in: session.interpreter)],
                "metadata": [:] as JSONObject]
    }

    func isComplete(_ c: JSONObject) -> JSONObject {
        switch Session.completeness(c["code"] as? String ?? "") {
        case .complete: return ["status": "complete"]
        case .incomplete: return ["status": "incomplete", "indent": ""]
        case .invalid: return ["status": "invalid"]
        }
    }

    /// The request's code as scalars and its cursor position clamped into it (the end when
    /// the client sent none).
    static func scalars(_ c: JSONObject) -> ([Unicode.Scalar], Int) {
        let scalars = Array((c["code"] as? String ?? "").unicodeScalars)
        let pos = min(max(c["cursor_pos"] as? Int ?? scalars.count, 0), scalars.count)
        return (scalars, pos)
    }

    /// The identifier around `pos`; when there is none, the one before an opening parenthesis
    /// just left of the cursor.
    static func name(at pos: Int, in s: [Unicode.Scalar]) -> String {
        func isName(_ u: Unicode.Scalar) -> Bool { u == "_" || u.properties.isXIDContinue }
        var start = pos, end = pos
        while start > 0 && isName(s[start - 1]) { start -= 1 }
        while end < s.count && isName(s[end]) { end += 1 }
        if start == end {
            var i = pos
            while i > 0 && s[i - 1] == " " { i -= 1 }
            guard i > 0 && s[i - 1] == "(" else { return "" }
            end = i - 1
            start = end
            while start > 0 && isName(s[start - 1]) { start -= 1 }
        }
        return String(String.UnicodeScalarView(s[start..<end]))
    }
}
