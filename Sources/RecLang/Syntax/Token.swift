/// The kinds of token the lexer produces.
public enum TokenKind: Equatable {
    case int(Int)
    case float(Double)
    case string([StringPart])
    case identifier(String)
    case keyword(Keyword)
    case op(String)        // operators and punctuation: + - * / // % ** == != < <= > >= = += -= … |> ?? .. etc
    case newline
    case eof
}

/// A piece of a string literal: literal text, or the tokens of an interpolated `\(expr)`.
public enum StringPart: Equatable {
    case text(String)
    case code([Token], SourceLocation)
}

public enum Keyword: String, CaseIterable {
    case `let`, `var`, `fn`, `if`, `else`, `while`, `for`, `in`, `return`, `break`, `continue`
    case `true`, `false`, `nil`, `and`, `or`, `not`, `import`
}

public struct Token: Equatable {
    public let kind: TokenKind
    public let location: SourceLocation
    /// Byte range in the source, used by the REPL (completion) and for error excerpts.
    public let start: Int
    public let end: Int
    /// True when whitespace or a newline came right before this token.
    public let spaceBefore: Bool

    public static func == (a: Token, b: Token) -> Bool { a.kind == b.kind && a.start == b.start }

    var isNewline: Bool { if case .newline = kind { return true }; return false }
    func isOp(_ s: String) -> Bool { if case .op(let o) = kind { return o == s }; return false }
    func isKeyword(_ k: Keyword) -> Bool { if case .keyword(let w) = kind { return w == k }; return false }
}
