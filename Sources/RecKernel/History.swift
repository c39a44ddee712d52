import Foundation

/// The inputs (and plain-text results) of this kernel's executions, for `history_request`.
/// Kept in memory only: one kernel process is one history session.
struct History {
    struct Entry { let line: Int; let input: String; var output: String? }
    /// Jupyter numbers history sessions; a kernel that keeps no database has just this one.
    static let session = 1
    private(set) var entries: [Entry] = []

    mutating func record(line: Int, input: String) { entries.append(Entry(line: line, input: input, output: nil)) }

    mutating func setOutput(line: Int, _ text: String) {
        if let i = entries.lastIndex(where: { $0.line == line }) { entries[i].output = text }
    }

    /// The reply's `history` list for a request's content: `[session, line, input]` or, with
    /// `output`, `[session, line, [input, output]]`.
    func reply(to c: JSONObject) -> [Any] {
        let output = c["output"] as? Bool ?? false
        var chosen: [Entry]
        switch c["hist_access_type"] as? String ?? "" {
        case "tail":
            chosen = Array(entries.suffix(max(0, c["n"] as? Int ?? 10)))
        case "range":
            let session = c["session"] as? Int ?? 0
            // 0 means the current session; earlier ones (negative numbers) are not kept.
            guard session == 0 || session == Self.session else { return [] }
            let start = c["start"] as? Int ?? 0
            let stop = c["stop"] as? Int
            chosen = entries.filter { e in e.line >= start && (stop.map { e.line < $0 } ?? true) }
        case "search":
            let pattern = c["pattern"] as? String ?? "*"
            chosen = entries.filter { Self.glob(pattern, matches: $0.input) }
            if c["unique"] as? Bool ?? false {
                var seen = Set<String>()
                chosen = chosen.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n = c["n"] as? Int { chosen = Array(chosen.suffix(max(0, n))) }
        default:
            chosen = []
        }
        return chosen.map { e -> [Any] in
            output ? [Self.session, e.line, [e.input, e.output ?? NSNull()] as [Any]] : [Self.session, e.line, e.input]
        }
    }

    /// Shell-style wildcards as Jupyter's history search uses them: `*` any run, `?` one
    /// character; the whole input must match.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) { pi += 1; ti += 1 }
            else if pi < p.count && p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
