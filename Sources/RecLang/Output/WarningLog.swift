/// Says each warning once per run of a chunk (a script, a `-e` program, a REPL entry, with
/// everything it imports): the same message again — from a loop, a function called many times,
/// or the same split evaluated twice — is counted instead of printed, and when the chunk ends
/// one line per repeated message says how many more times it came and from where.
///
/// A warning is the same when its text is: the text names the cause (the split's counts, the
/// file's skipped lines), so a different count is a different warning and is shown.
final class WarningLog {
    private struct Repeated {
        let first: SourceLocation?
        var count = 0
        /// Other places it came from, in order, at most `maxPlaces`.
        var places: [SourceLocation] = []
        var morePlaces = false
    }

    private static let maxPlaces = 3
    private static let excerptLength = 60

    private var seen: [String: Int] = [:]
    private var log: [(message: String, repeated: Repeated)] = []
    private var depth = 0

    /// A chunk starts; only the outermost one (not an import) starts a new log.
    func enter() {
        if depth == 0 { seen.removeAll(); log.removeAll() }
        depth += 1
    }

    /// A chunk ends; for the outermost one, the notices for repeated warnings, in the order the
    /// warnings first came.
    func leave() -> [(message: String, location: SourceLocation?)] {
        depth -= 1
        guard depth == 0 else { return [] }
        defer { seen.removeAll(); log.removeAll() }
        return log.filter { $0.repeated.count > 0 }.map { entry in
            (WarningLog.notice(entry.message, entry.repeated), entry.repeated.first)
        }
    }

    /// Whether to show this warning now: true the first time its text comes in this chunk.
    func admit(_ message: String, at loc: SourceLocation?) -> Bool {
        guard depth > 0 else { return true }
        guard let i = seen[message] else {
            seen[message] = log.count
            log.append((message, Repeated(first: loc)))
            return true
        }
        log[i].repeated.count += 1
        if let loc, loc != log[i].repeated.first, !log[i].repeated.places.contains(loc) {
            if log[i].repeated.places.count < WarningLog.maxPlaces { log[i].repeated.places.append(loc) }
            else { log[i].repeated.morePlaces = true }
        }
        return false
    }

    private static func notice(_ message: String, _ r: Repeated) -> String {
        var text = "repeated \(r.count) more time\(r.count == 1 ? "" : "s")"
        if !r.places.isEmpty {
            let names = r.places.map { p -> String in
                guard p.file === r.first?.file else { return "\(p.fileName):\(p.line)" }
                return p.line == r.first?.line ? "line \(p.line), column \(p.column)" : "line \(p.line)"
            }
            text += " (also from " + names.joined(separator: ", ") + (r.morePlaces ? ", …" : "") + ")"
        }
        return text + ": " + excerpt(message)
    }

    /// The first line of `message`, cut at a word near `excerptLength` characters.
    private static func excerpt(_ message: String) -> String {
        let firstLine = message.prefix { $0 != "\n" }
        guard firstLine.count > excerptLength else { return firstLine.count < message.count ? firstLine + " …" : String(firstLine) }
        var cut = firstLine.prefix(excerptLength)
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > excerptLength / 2 {
            cut = cut[..<space]
        }
        return cut + " …"
    }
}
