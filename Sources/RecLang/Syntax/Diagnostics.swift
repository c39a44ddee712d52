/// The errors of one pass over a chunk (lexing and parsing, or resolving), reported together:
/// a script with three typos shows three errors, not the first one or the last one.
struct Diagnostics {
    /// More than this many errors are counted, not shown: past a point they are noise.
    static let maxReported = 20

    private(set) var errors: [RecError] = []

    init(_ errors: [RecError] = []) { self.errors = errors }

    var isEmpty: Bool { errors.isEmpty }

    mutating func add(_ error: RecError) { errors.append(error) }

    /// The errors in source order (stable for errors at one position).
    var sorted: [RecError] {
        errors.enumerated().sorted { a, b in
            let p = a.element.location, q = b.element.location
            return (p.line, p.column, a.offset) < (q.line, q.column, b.offset)
        }.map(\.element)
    }

    /// One error that carries the rest: the first in source order, with the others (up to
    /// `maxReported` in all) as `additional`. The whole is `incompleteInput` only when every error
    /// is: the REPL waits for more lines only if more lines could fix the entry.
    func combined() -> RecError? {
        let sorted = self.sorted
        guard let first = sorted.first else { return nil }
        first.additional = Array(sorted.dropFirst().prefix(Diagnostics.maxReported - 1))
        first.unreported = max(0, sorted.count - Diagnostics.maxReported)
        first.incompleteInput = sorted.allSatisfy(\.incompleteInput)
        return first
    }
}

extension SourceLocation {
    /// Source order within one file.
    func precedes(_ other: SourceLocation) -> Bool { (line, column) < (other.line, other.column) }
}
