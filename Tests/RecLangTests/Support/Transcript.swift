import Foundation
import RecLang
import RecREPL
import RecStore

/// A REPL session as the docs show it: `rec> ` starts an entry, `...> ` continues it, and the
/// lines in between are what the REPL printed. Lines before the first prompt (`$ rec`, the
/// banner) are not part of the session.
struct Transcript {
    var input: [String] = []
    var expected: [Expectations.Line] = []

    init(_ block: FencedBlock) {
        var started = false
        for (i, line) in block.lines.enumerated() {
            if line.hasPrefix("rec> ") || line == "rec>" {
                started = true
                input.append(String(line.dropFirst(5)))
            } else if started && (line.hasPrefix("...> ") || line == "...>") {
                input.append(String(line.dropFirst(5)))
            } else if started {
                expected.append(Expectations.Line(channel: .output, pattern: line, sourceLine: block.fenceLine + 1 + i))
            }
        }
    }

    /// Types the entries into a fresh REPL and compares everything it shows — results, printed
    /// text, warnings and errors, as a terminal would show them — with the transcript.
    func check(file: String, lastLine: Int) throws -> [Mismatch] {
        let sink = CollectingSink()
        let repl = REPL(session: try Session(sink: sink, storage: Workspace.storage), reader: ScriptedLineReader(input.map { .line($0) }), sink: sink, color: false)
        repl.run()
        let shown = RunRecord.lines(sink.transcript).map { ($0, SourceLocation?.none) }
        return Expectations.compare(expected, shown, channel: .output, file: file, sourceName: "", lastLine: lastLine)
    }
}
