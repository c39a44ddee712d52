import Foundation

/// A fenced code block of a Markdown page.
struct FencedBlock {
    /// The first word of the info string (`rec`, `rec-repl`, `sh` …); empty for a bare fence.
    var tag: String
    /// The rest of the info string.
    var info: String
    /// The content, without the fence's indentation.
    var lines: [String]
    /// The page line of the opening fence; content starts on the next line.
    var fenceLine: Int

    var text: String { lines.joined(separator: "\n") }

    /// The value of `key: value` in the info string (`needs: ml-100k`), up to the next key
    /// (`needs`, `session`, `known bug`).
    func option(_ key: String) -> String? {
        guard let r = info.range(of: key + ":") else { return nil }
        let rest = info[r.upperBound...]
        let end = FencedBlock.keys.compactMap { k in k == key ? nil : rest.range(of: k + ":")?.lowerBound }.min() ?? rest.endIndex
        return rest[..<end].trimmingCharacters(in: .whitespaces)
    }

    static let keys = ["needs", "session", "known bug"]

    /// Every fenced block of a page, in order. Fences may be indented (inside list items) and
    /// use three or more backticks; the closing fence has at least as many.
    static func all(in markdown: String) -> [FencedBlock] {
        var blocks: [FencedBlock] = []
        var open: (indent: Int, ticks: Int, block: FencedBlock)?
        for (i, line) in markdown.components(separatedBy: "\n").enumerated() {
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            let ticks = body.prefix { $0 == "`" }.count
            if var current = open {
                if ticks >= current.ticks && body.dropFirst(ticks).allSatisfy({ $0 == " " }) {
                    blocks.append(current.block)
                    open = nil
                } else {
                    let strip = min(current.indent, line.prefix { $0 == " " }.count)
                    current.block.lines.append(String(line.dropFirst(strip)))
                    open = current
                }
            } else if ticks >= 3 {
                let info = body.dropFirst(ticks).trimmingCharacters(in: .whitespaces)
                let tag = String(info.prefix { !$0.isWhitespace })
                let block = FencedBlock(tag: tag, info: String(info.dropFirst(tag.count)).trimmingCharacters(in: .whitespaces),
                                        lines: [], fenceLine: i + 1)
                open = (indent, ticks, block)
            }
        }
        return blocks
    }
}
