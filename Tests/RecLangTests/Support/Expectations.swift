import Foundation
import RecLang

/// What a Rec script says about its own run, in comments — the convention of the clox and Wren
/// test corpora, used by Corpus/ and by the examples in docs/:
///
///     print(1 + 2)          # expect: 3
///     # expect: next line of output
///     warn("careful")       # expect warning: careful
///     1 / 0                 # expect error at 4:3: division by zero
///
/// - `# expect: TEXT`: the next line of output (`print`, `show`) is TEXT. `# → TEXT` means the
///   same; the docs use it because it reads as "gives".
/// - `# expect warning: TEXT`: the next warning line (a warning of several lines takes one
///   expectation per line; standard-error text counts as warnings too).
/// - `# expect error: TEXT`: the script ends with this error message; `# expect error at
///   LINE:COL: TEXT` also pins where (`at` works for warnings too; `at FILE:LINE:COL` for a
///   position in another file, such as an imported module, FILE being the end of its path). A
///   message of several lines takes one `# expect error:` per line.
/// - `# known bug: TEXT`: the script is known to miss its expectations because of a bug in Rec;
///   the mismatch is reported as a known failure, and the test fails once the script passes.
///
/// In TEXT, `…` matches any run of characters; a TEXT that is only `…` matches any number of
/// whole lines (abridged output). Trailing spaces are ignored on both sides.
struct Expectations {
    enum Channel: String { case output, warning }

    /// Where an error or warning must point: in the script itself, or in the file whose path
    /// ends with `file`.
    struct Position: CustomStringConvertible {
        var file: String?
        var line: Int
        var column: Int

        func matches(_ loc: SourceLocation, sourceName: String) -> Bool {
            guard loc.line == line, loc.column == column else { return false }
            guard let file else { return loc.file?.name == sourceName }
            return loc.fileName == file || loc.fileName.hasSuffix("/" + file)
        }

        var description: String { (file.map { $0 + ":" } ?? "") + "\(line):\(column)" }

        /// How a location reads next to an expected position: line:col in the script itself.
        static func describe(_ loc: SourceLocation, sourceName: String) -> String {
            loc.file?.name == sourceName ? "\(loc.line):\(loc.column)" : "\(loc)"
        }
    }

    struct Line {
        var channel: Channel
        var pattern: String
        /// Where the pattern must point (warnings only).
        var position: Position?
        /// The line of the comment, for reports.
        var sourceLine: Int
    }

    struct ErrorExpectation {
        /// One pattern per line of the message.
        var patterns: [String]
        var position: Position?
        var sourceLine: Int
    }

    var lines: [Line] = []
    var error: ErrorExpectation?
    var knownBug: String?
    /// Comments that look like expectations but are malformed (a typo must not silently assert nothing).
    var malformed: [(line: Int, text: String)] = []

    var isEmpty: Bool { lines.isEmpty && error == nil }
    func lines(_ channel: Channel) -> [Line] { lines.filter { $0.channel == channel } }

    /// Reads the expectation comments of `source`; `firstLine` is the line number of its first
    /// line (for a fragment of a larger file, such as a code block in a Markdown page).
    init(parsing source: String, firstLine: Int = 1) {
        var inString = false
        for (i, text) in source.components(separatedBy: "\n").enumerated() {
            guard let comment = Expectations.comment(in: text, inString: &inString) else { continue }
            add(comment, line: firstLine + i)
        }
    }

    /// The text after the `#` that starts a comment on this line, if any. Tracks string literals
    /// (which may span lines) so that a `#` inside one is not taken for a comment.
    private static func comment(in line: String, inString: inout Bool) -> Substring? {
        var escaped = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "#" {
                return line[line.index(after: i)...]
            }
            i = line.index(after: i)
        }
        return nil
    }

    private static let marker = try! NSRegularExpression(
        pattern: #"^expect(?: (warning|error))?(?: at (?:(\S+):)?(\d+):(\d+))?:(.*)$"#)

    private mutating func add(_ comment: Substring, line: Int) {
        let body = comment.drop { $0 == " " }
        if body.hasPrefix("→") {
            lines.append(Line(channel: .output, pattern: Expectations.text(body.dropFirst()), sourceLine: line))
            return
        }
        if body.hasPrefix("known bug:") {
            knownBug = body.dropFirst("known bug:".count).trimmingCharacters(in: .whitespaces)
            return
        }
        guard body.hasPrefix("expect") else { return }
        let s = String(body)
        guard let m = Expectations.marker.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else {
            // `# expected …` in prose is fine; `# expect …` that is not a marker is a typo.
            if body.hasPrefix("expect ") || body.hasPrefix("expect:") { malformed.append((line, s)) }
            return
        }
        func group(_ k: Int) -> String? { Range(m.range(at: k), in: s).map { String(s[$0]) } }
        let position = group(3).flatMap { l in group(4).map { Position(file: group(2), line: Int(l)!, column: Int($0)!) } }
        let text = Expectations.text(Substring(group(5)!))
        switch group(1) {
        case "error":
            if error == nil {
                error = ErrorExpectation(patterns: [text], position: position, sourceLine: line)
            } else if position == nil {
                error!.patterns.append(text)
            } else {
                malformed.append((line, "only the first line of an error takes a position: " + s))
            }
        case "warning":
            lines.append(Line(channel: .warning, pattern: text, position: position, sourceLine: line))
        default:
            if position != nil { malformed.append((line, "only warnings and errors take a position: " + s)) }
            lines.append(Line(channel: .output, pattern: text, sourceLine: line))
        }
    }

    /// The expected text: one space after the marker is part of the syntax, not of the text.
    private static func text(_ s: Substring) -> String {
        String(s.hasPrefix(" ") ? s.dropFirst() : s)
    }
}

/// One difference between what a script expected and what it did.
struct Mismatch: CustomStringConvertible {
    var file: String
    var line: Int
    var message: String
    var description: String { "\(file):\(line): \(message)" }
}

/// What one run showed, split into the channels the expectations talk about.
struct RunRecord {
    var output: [String] = []
    var warnings: [(text: String, location: SourceLocation?)] = []
    var error: RecError?

    init(events: [OutputEvent], result: Result<Value, RecError>) {
        var out = "", err = ""
        for event in events {
            switch event {
            case .stream(.stdout, let s): out += s
            case .stream(.stderr, let s): err += s
            case .display(let d), .result(let d): out += d.plainText + "\n"
            case .warning(let message, let loc):
                for (i, l) in message.components(separatedBy: "\n").enumerated() { warnings.append((l, i == 0 ? loc : nil)) }
            case .error, .progress: break
            }
        }
        output = RunRecord.lines(out)
        warnings += RunRecord.lines(err).map { ($0, nil) }
        if case .failure(let e) = result { error = e }
    }

    static func lines(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var ls = text.components(separatedBy: "\n")
        if ls.last == "" { ls.removeLast() }
        return ls
    }
}

extension Expectations {
    /// Compares a run with the expectations. `strict`: every line of output and every warning
    /// must be expected (the corpus). Otherwise a channel is only compared when the script has
    /// expectations for it (doc examples that show some results and not others). An error is
    /// always compared: a script that fails unexpectedly never passes.
    /// `sourceName` is the name the script ran under, to tell its own error positions from
    /// those in other files.
    func check(_ run: RunRecord, file: String, sourceName: String, lastLine: Int, strict: Bool) -> [Mismatch] {
        var found: [Mismatch] = malformed.map { Mismatch(file: file, line: $0.line, message: "malformed expectation: \($0.text)") }
        for channel in [Channel.output, .warning] {
            let expected = lines(channel)
            if !strict && expected.isEmpty { continue }
            let actual = channel == .output ? run.output.map { ($0, SourceLocation?.none) } : run.warnings
            found += Expectations.compare(expected, actual, channel: channel, file: file, sourceName: sourceName, lastLine: lastLine)
        }
        switch (error, run.error) {
        case (nil, nil): break
        case (nil, let e?):
            found.append(Mismatch(file: file, line: e.location.file?.name == sourceName ? e.location.line : lastLine,
                                  message: "unexpected error: \(e.headline)"))
        case (let x?, nil):
            found.append(Mismatch(file: file, line: x.sourceLine, message: "expected error '\(x.patterns[0])', but the script ended without one"))
        case (let x?, let e?):
            let got = e.message.components(separatedBy: "\n")
            if got.count != x.patterns.count || !zip(x.patterns, got).allSatisfy({ Expectations.matches($0, $1) }) {
                found.append(Mismatch(file: file, line: x.sourceLine,
                                      message: "expected error '\(x.patterns.joined(separator: "\n"))', got '\(e.message)'"))
            }
            if let p = x.position, !p.matches(e.location, sourceName: sourceName) {
                found.append(Mismatch(file: file, line: x.sourceLine, message:
                    "expected the error at \(p), got it at \(Position.describe(e.location, sourceName: sourceName))"))
            }
        }
        return found
    }

    /// Matches expected lines against actual lines in order; `…` lines match any number of lines.
    static func compare(_ expected: [Line], _ actual: [(String, SourceLocation?)], channel: Channel,
                        file: String, sourceName: String, lastLine: Int) -> [Mismatch] {
        // The furthest point a partial match reached, to report the most informative difference.
        var best = (e: -1, a: -1)
        func match(_ e: Int, _ a: Int) -> Bool {
            if e > best.e || (e == best.e && a > best.a) { best = (e, a) }
            if e == expected.count { return a == actual.count }
            let x = expected[e]
            if x.pattern.trimmingCharacters(in: .whitespaces) == "…" {
                return (a...actual.count).contains { match(e + 1, $0) }
            }
            guard a < actual.count, matches(x.pattern, actual[a].0) else { return false }
            if let p = x.position, let loc = actual[a].1, !p.matches(loc, sourceName: sourceName) { return false }
            return match(e + 1, a + 1)
        }
        if match(0, 0) { return [] }
        let (e, a) = best
        let what = channel == .output ? "output" : "warning"
        if e == expected.count {
            let extra = actual[a...].prefix(5).map { "  " + $0.0 }.joined(separator: "\n")
            return [Mismatch(file: file, line: expected.last?.sourceLine ?? lastLine,
                             message: "unexpected \(what) after the last expectation (\(actual.count - a) lines):\n\(extra)")]
        }
        let x = expected[e]
        var got = a < actual.count ? "'\(actual[a].0)'" : "no more \(what)"
        if a < actual.count, let p = x.position, let loc = actual[a].1, !p.matches(loc, sourceName: sourceName) {
            got += " at \(Position.describe(loc, sourceName: sourceName)), expected at \(p)"
        }
        return [Mismatch(file: file, line: x.sourceLine, message: "expected \(what) '\(x.pattern)', got \(got)")]
    }

    /// Whether `text` matches `pattern`, where `…` stands for any run of characters.
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = trimTrailing(pattern), t = trimTrailing(text)
        let pieces = p.components(separatedBy: "…")
        if pieces.count == 1 { return p == t }
        guard t.hasPrefix(pieces[0]), t.dropFirst(pieces[0].count).hasSuffix(pieces.last!),
              t.count >= pieces[0].count + pieces.last!.count else { return false }
        var rest = t.dropFirst(pieces[0].count).dropLast(pieces.last!.count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let r = rest.range(of: piece) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }

    private static func trimTrailing(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
