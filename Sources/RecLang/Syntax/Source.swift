/// A piece of Rec source text with a display name (a path, `<repl:3>`, `<-e>` …), kept so that
/// errors can quote the offending line under their position.
public final class SourceFile {
    public let name: String
    public let text: String
    /// UTF-8 bytes of `text`; the lexer works on bytes, positions are byte offsets into this.
    public let bytes: [UInt8]
    /// Byte offset where each line starts.
    private(set) lazy var lineStarts: [Int] = {
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 10 { starts.append(i + 1) }
        return starts
    }()

    /// A byte order mark at the start (editors on Windows write one) is not part of the text.
    public init(name: String, text: String) {
        self.name = name
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        self.text = text
        self.bytes = Array(text.utf8)
    }

    /// The text of 1-based line `line`, without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, end <= bytes.count, bytes[end - 1] == 13 { end -= 1 }
        guard end >= start else { return "" }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// A position in a source file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Equatable, CustomStringConvertible {
    public let file: SourceFile?
    public let line: Int
    public let column: Int

    public init(file: SourceFile?, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static let unknown = SourceLocation(file: nil, line: 0, column: 0)

    public var fileName: String { file?.name ?? "<unknown>" }
    public var description: String { "\(fileName):\(line):\(column)" }

    public static func == (a: SourceLocation, b: SourceLocation) -> Bool {
        a.file === b.file && a.line == b.line && a.column == b.column
    }
}
