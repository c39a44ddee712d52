import XCTest
@testable import RecLang
import RecStore

/// Tokens and their positions, every syntax error the lexer and parser raise (message and
/// line:col), the scope errors of the resolver, `Session.isComplete`, and the nesting limit.
final class LexerParserTests: XCTestCase {

    // MARK: Helpers

    private func tokens(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> [Token] {
        do throws(RecError) {
            return try Lexer.tokenize(SourceFile(name: "t.rec", text: source))
        } catch {
            XCTFail("unexpected lexer error: \(error.headline)", file: file, line: line)
            return []
        }
    }

    /// `kind@line:col` for each token, so a whole token stream can be compared in one assertion.
    private func shown(_ tokens: [Token]) -> [String] {
        tokens.map { "\(Self.describe($0.kind))@\($0.location.line):\($0.location.column)" }
    }

    private static func describe(_ kind: TokenKind) -> String {
        switch kind {
        case .int(let v): return "int(\(v))"
        case .float(let v): return "float(\(v))"
        case .string(let parts):
            return "string(" + parts.map { part -> String in
                switch part {
                case .text(let t): return "text(\(t.debugDescription))"
                case .code(let toks, _): return "code(" + toks.map { describe($0.kind) }.joined(separator: " ") + ")"
                }
            }.joined(separator: ",") + ")"
        case .identifier(let n): return "id(\(n))"
        case .keyword(let k): return "kw(\(k.rawValue))"
        case .op(let o): return o
        case .newline: return "NL"
        case .eof: return "EOF"
        }
    }

    /// The error raised while lexing and parsing `source` (nil when it parses).
    private func parseError(_ source: String) -> RecError? {
        do throws(RecError) {
            _ = try Parser.parse(SourceFile(name: "t.rec", text: source))
            return nil
        } catch {
            return error
        }
    }

    private func assertSyntaxError(_ source: String, _ message: String, at position: (line: Int, column: Int),
                                   incomplete: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        guard let e = parseError(source) else {
            XCTFail("expected a syntax error for \(source.debugDescription)", file: file, line: line)
            return
        }
        XCTAssertEqual(e.kind, .syntax, file: file, line: line)
        XCTAssertEqual(e.message, message, "source: \(source.debugDescription)", file: file, line: line)
        XCTAssertEqual("\(e.location.line):\(e.location.column)", "\(position.line):\(position.column)",
                       "position of \(message.debugDescription) in \(source.debugDescription)", file: file, line: line)
        XCTAssertEqual(e.incompleteInput, incomplete, "incompleteInput for \(source.debugDescription)", file: file, line: line)
        XCTAssertEqual(e.headline, "t.rec:\(position.line):\(position.column): error: \(message)", file: file, line: line)
    }

    /// `line:col: message` of every error reported for `source` (the first and its `additional`).
    private func allErrors(_ source: String, resolve: Bool = false) -> [String] {
        do throws(RecError) {
            if resolve { try Interpreter(sink: CollectingSink()).check(SourceFile(name: "t.rec", text: source)) }
            else { _ = try Parser.parse(SourceFile(name: "t.rec", text: source)) }
            return []
        } catch {
            return ([error] + error.additional).map { "\($0.location.line):\($0.location.column): \($0.message)" }
        }
    }

    /// Errors found by the resolver (scopes, `let`, `return`/`break` placement): parse and resolve only.
    private func assertScopeError(_ source: String, _ message: String, at position: (line: Int, column: Int),
                                  file: StaticString = #filePath, line: UInt = #line) {
        let interp = Interpreter(sink: CollectingSink())
        do throws(RecError) {
            try interp.check(SourceFile(name: "t.rec", text: source))
            XCTFail("expected an error for \(source.debugDescription)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.message, message, file: file, line: line)
            XCTAssertEqual("\(error.location.line):\(error.location.column)", "\(position.line):\(position.column)",
                           "position of \(message.debugDescription)", file: file, line: line)
        }
    }

    // MARK: Tokens

    func testTokensWithPositions() {
        let source = "let x = 1 + 2.5 # a comment\nvar name = \"hi\"\n"
        XCTAssertEqual(shown(tokens(source)), [
            "kw(let)@1:1", "id(x)@1:5", "=@1:7", "int(1)@1:9", "+@1:11", "float(2.5)@1:13", "NL@1:28",
            "kw(var)@2:1", "id(name)@2:5", "=@2:10", "string(text(\"hi\"))@2:12", "NL@2:16",
            "EOF@3:1",
        ])
    }

    func testEmptyAndCommentOnlySourcesGiveOnlyEndOfInput() {
        XCTAssertEqual(shown(tokens("")), ["EOF@1:1"])
        XCTAssertEqual(shown(tokens("# only a comment\n\n   \n")), ["EOF@4:1"])
    }

    func testColumnsCountUnicodeScalarsNotBytes() {
        XCTAssertEqual(shown(tokens("let é = \"ü\"; x")), [
            "kw(let)@1:1", "id(é)@1:5", "=@1:7", "string(text(\"ü\"))@1:9", ";@1:12", "id(x)@1:14", "NL@1:15", "EOF@1:15",
        ])
    }

    func testOperatorsLongestMatchFirst() {
        let kinds = tokens("a |> b ?? c // d ** e ..< f ... g != h <= i >= j && k || l -> m //= 1 += 2 -= 3 *= 4 /= 5 %= 6 == 7")
            .map { Self.describe($0.kind) }
        XCTAssertEqual(kinds, ["id(a)", "|>", "id(b)", "??", "id(c)", "//", "id(d)", "**", "id(e)", "..<", "id(f)", "...",
                               "id(g)", "!=", "id(h)", "<=", "id(i)", ">=", "id(j)", "&&", "id(k)", "||", "id(l)", "->",
                               "id(m)", "//=", "int(1)", "+=", "int(2)", "-=", "int(3)", "*=", "int(4)", "/=", "int(5)",
                               "%=", "int(6)", "==", "int(7)", "NL", "EOF"])
        XCTAssertEqual(tokens("a.b?c!d").map { Self.describe($0.kind) },
                       ["id(a)", ".", "id(b)", "?", "id(c)", "!", "id(d)", "NL", "EOF"])
    }

    func testKeywordsAreNotIdentifiers() {
        for k in Keyword.allCases {
            XCTAssertEqual(tokens(k.rawValue).first.map { Self.describe($0.kind) }, "kw(\(k.rawValue))")
        }
        XCTAssertEqual(tokens("lets iffy _x x1").prefix(4).map { Self.describe($0.kind) },
                       ["id(lets)", "id(iffy)", "id(_x)", "id(x1)"])
    }

    func testNumberLiterals() {
        let kinds = tokens("0xFF 0x_1F 1_000 1.5 1e3 2E-2 7e+1 1..<3 0...2").map { Self.describe($0.kind) }
        XCTAssertEqual(kinds, ["int(255)", "int(31)", "int(1000)", "float(1.5)", "float(1000.0)", "float(0.02)",
                               "float(70.0)", "int(1)", "..<", "int(3)", "int(0)", "...", "int(2)", "NL", "EOF"])
        XCTAssertEqual(tokens("9223372036854775807 0x7FFF_FFFF_FFFF_FFFF").prefix(2).map { Self.describe($0.kind) },
                       ["int(9223372036854775807)", "int(9223372036854775807)"])
        // A member access on a number is not a fraction.
        XCTAssertEqual(tokens("1.e").prefix(3).map { Self.describe($0.kind) }, ["int(1)", ".", "id(e)"])
    }

    func testNewlinesAreLayoutInsideParenthesesAndBracketsButNotBraces() {
        XCTAssertEqual(tokens("f(1,\n  2)\n[3,\n4]").map { Self.describe($0.kind) },
                       ["id(f)", "(", "int(1)", ",", "int(2)", ")", "NL", "[", "int(3)", ",", "int(4)", "]", "NL", "EOF"])
        // Inside braces newlines end statements again, blank lines collapse, and a closing brace
        // ends the statement before it.
        XCTAssertEqual(shown(tokens("{\n  a\n\n\n  b }")),
                       ["{@1:1", "NL@1:2", "id(a)@2:3", "NL@2:4", "id(b)@5:3", "NL@5:5", "}@5:5", "NL@5:6", "EOF@5:6"])
        // ... and inside a brace nested in parentheses.
        XCTAssertEqual(tokens("f({\nx\n})").map { Self.describe($0.kind) },
                       ["id(f)", "(", "{", "NL", "id(x)", "NL", "}", ")", "NL", "EOF"])
        XCTAssertEqual(tokens("{}").map { Self.describe($0.kind) }, ["{", "}", "NL", "EOF"])
    }

    func testSpaceBeforeIsRecorded() {
        let t = tokens("xs[0] xs [0]")
        XCTAssertEqual(Array(t.map(\.spaceBefore).prefix(9)), [true, false, false, false, true, true, false, false, false])
    }

    func testStringEscapes() {
        let t = tokens(#""a\n\t\r\0\\\"\'\u{41}\u{1F600}""#)
        XCTAssertEqual(t.first?.kind, .string([.text("a\n\t\r\0\\\"'A😀")]))
        XCTAssertEqual(tokens(#""""#).first?.kind, .string([.text("")]))
    }

    func testStringInterpolationParts() {
        let t = tokens(#"s = "x = \(x + 1)!""#)
        XCTAssertEqual(t.map { Self.describe($0.kind) }.prefix(3),
                       ["id(s)", "=", "string(text(\"x = \"),code(id(x) + int(1) EOF),text(\"!\"))"])
        guard case .string(let parts) = t[2].kind, case .code(let code, let loc) = parts[1] else {
            return XCTFail("expected an interpolation")
        }
        XCTAssertEqual("\(loc.line):\(loc.column)", "1:12")
        XCTAssertEqual(shown(code), ["id(x)@1:12", "+@1:14", "int(1)@1:16", "EOF@1:17"])
    }

    func testNestedQuotesAndParenthesesInsideInterpolation() {
        let t = tokens(#""<\(join(["a", ")"], "\("-")"))>""#)
        guard case .string(let parts)? = t.first?.kind else { return XCTFail("expected a string") }
        XCTAssertEqual(parts.count, 3)
        XCTAssertEqual(parts.first, .text("<"))
        XCTAssertEqual(parts.last, .text(">"))
        guard case .code(let code, _) = parts[1] else { return XCTFail("expected code") }
        XCTAssertEqual(code.map { Self.describe($0.kind) },
                       ["id(join)", "(", "[", "string(text(\"a\"))", ",", "string(text(\")\"))", "]", ",",
                        "string(code(string(text(\"-\")) EOF))", ")", "EOF"])
    }

    func testInterpolationSpanningLinesKeepsPositions() {
        let t = tokens("let s = \"a\\(\n  x)\"\ny")
        guard case .string(let parts) = t[3].kind, case .code(let code, _) = parts[1] else {
            return XCTFail("expected an interpolation")
        }
        XCTAssertEqual(shown(code).first, "id(x)@2:3")
        XCTAssertEqual(shown(t).suffix(3), ["id(y)@3:1", "NL@3:2", "EOF@3:2"])
    }

    func testMultiLineStringTokenIsPlacedAtItsOpeningQuote() {
        let t = tokens("let s = \"one\ntwo\"\nx")
        XCTAssertEqual(t[3].kind, .string([.text("one\ntwo")]))
        XCTAssertEqual(shown(t)[3], "string(text(\"one\\ntwo\"))@1:9")
        XCTAssertEqual(shown(t)[5], "id(x)@3:1")
    }

    // MARK: Lexer errors

    func testUnterminatedStrings() {
        assertSyntaxError(#"x = "abc"#, "unterminated string literal", at: (1, 5), incomplete: true)
        assertSyntaxError(#"x = "abc\"#, "unterminated string literal", at: (1, 5), incomplete: true)
        // A string left open over several lines is reported where it starts.
        assertSyntaxError("let s = \"abc\ndef\n", "unterminated string literal", at: (1, 9), incomplete: true)
    }

    func testBadEscapes() {
        assertSyntaxError(#"x = "a\qb""#, #"unknown escape sequence '\q'"#, at: (1, 7))
        assertSyntaxError(#""\u0041""#, #"expected '{' after \u"#, at: (1, 2))
        assertSyntaxError(#""\u{}""#, "invalid unicode escape", at: (1, 2))
        assertSyntaxError(#""ab\u{D800}""#, "invalid unicode escape", at: (1, 4))
        assertSyntaxError(#""\u{41""#, "invalid unicode escape", at: (1, 2))
        assertSyntaxError(#""\u{000000041}""#, "invalid unicode escape", at: (1, 2))
    }

    func testInterpolationErrors() {
        assertSyntaxError(#"x = "a\()b""#, #"empty interpolation '\()'"#, at: (1, 7))
        assertSyntaxError(#"x = "a\(1 + "#, "unterminated string interpolation", at: (1, 5), incomplete: true)
        assertSyntaxError(#""\(1 2)""#, "expected ')' to end the interpolation, found '2'", at: (1, 6))
        assertSyntaxError("\"a\" + \"\\(\n1 2)\"", "expected ')' to end the interpolation, found '2'", at: (2, 3))
    }

    func testMalformedInterpolationInAClosedStringIsAnErrorNotAContinuation() {
        // The string is closed: more lines cannot fix `\([)`, so the REPL must report it.
        guard let e = parseError(#"x = "\([)""#) else { return XCTFail("expected a syntax error") }
        XCTAssertEqual(e.kind, .syntax)
        XCTAssertFalse(e.incompleteInput, "reported as incomplete: \(e.headline)")
        XCTAssertTrue(Session.isComplete(#"x = "\({)""#))
    }

    func testNumberErrors() {
        assertSyntaxError("x = 12abc", "invalid character 'a' in number", at: (1, 7))
        assertSyntaxError("1e", "invalid character 'e' in number", at: (1, 2))
        assertSyntaxError("x = 0x", "expected hexadecimal digits after '0x'", at: (1, 5))
        assertSyntaxError("0xZ1", "expected hexadecimal digits after '0x'", at: (1, 1))
        assertSyntaxError("x = 0x8000000000000000", "integer literal is too large for a 64-bit Int", at: (1, 5))
        assertSyntaxError("x = 9223372036854775808", "integer literal '9223372036854775808' is too large for a 64-bit Int", at: (1, 5))
        assertSyntaxError("99_999_999_999_999_999_999", "integer literal '99999999999999999999' is too large for a 64-bit Int", at: (1, 1))
    }

    func testBracketErrors() {
        assertSyntaxError("x = 1)", "unexpected ')' with nothing to close", at: (1, 6))
        assertSyntaxError("]", "unexpected ']' with nothing to close", at: (1, 1))
        assertSyntaxError("\n  }", "unexpected '}' with nothing to close", at: (2, 3))
        assertSyntaxError("(1]", "expected ')' but found ']'", at: (1, 3))
        assertSyntaxError("[1)", "expected ']' but found ')'", at: (1, 3))
        assertSyntaxError("f({ 1 )", "expected '}' but found ')'", at: (1, 7))
        assertSyntaxError("(1 }", "expected ')' but found '}'", at: (1, 4))
        // A stray closer inside a block is dropped: the block's '}' still closes the block.
        XCTAssertEqual(allErrors("{ 1 )\n}"), ["1:5: unexpected ')': the innermost open bracket is the '{' at line 1, column 1"])
        // An unclosed bracket is reported where it was opened.
        assertSyntaxError("f(1, 2", "'(' was never closed", at: (1, 2), incomplete: true)
        assertSyntaxError("xs = [", "'[' was never closed", at: (1, 6), incomplete: true)
        assertSyntaxError("fn f() {\n  1\n", "'{' was never closed", at: (1, 8), incomplete: true)
        assertSyntaxError("f(g(1,\n", "'(' was never closed", at: (1, 2), incomplete: true)
    }

    func testUnexpectedCharacters() {
        assertSyntaxError("1 @ 2", "unexpected character '@'", at: (1, 3))
        assertSyntaxError("a & b", "unexpected character '&'", at: (1, 3))
        assertSyntaxError("a | b", "unexpected character '|'", at: (1, 3))
        assertSyntaxError("x = 'c'", "unexpected character '''", at: (1, 5))
        assertSyntaxError("x = $y", "unexpected character '$'", at: (1, 5))
        assertSyntaxError("é = 1\n~x", "unexpected character '~'", at: (2, 1))
    }

    // MARK: Beyond ASCII

    /// Names are UAX #31 identifiers: letters of any script and combining marks are in; emoji,
    /// symbols and punctuation are not, so nothing sticks to a name that does not belong to it.
    func testNamesAreUnicodeIdentifiers() {
        XCTAssertEqual(tokens("数据 naïve cafe\u{301} _π2 x·y ক্ষ").map { Self.describe($0.kind) },
                       ["id(数据)", "id(naïve)", "id(cafe\u{301})", "id(_π2)", "id(x·y)", "id(ক্ষ)", "NL", "EOF"])
        XCTAssertEqual(allErrors("count（[1, 2]）"), ["1:6: '（' (U+FF08 FULLWIDTH LEFT PARENTHESIS) is not Rec syntax; did you mean '('?"])
    }

    func testCharactersOutsideNamesAreQuotedWholeWithTheirCodePoints() {
        assertSyntaxError("let xs = [1，2]", "'，' (U+FF0C FULLWIDTH COMMA) is not Rec syntax; did you mean ','?", at: (1, 12))
        assertSyntaxError("let 🍕s = 1", "unexpected character '🍕' (U+1F355 SLICE OF PIZZA)", at: (1, 5))
        assertSyntaxError("x = 👍🏽", "unexpected character '👍🏽' (U+1F44D U+1F3FD)", at: (1, 5))
        assertSyntaxError("x = \u{301}a", "unexpected character '◌\u{301}' (U+0301 COMBINING ACUTE ACCENT)", at: (1, 5))
        assertSyntaxError("x = 1\u{200B}", "unexpected character U+200B ZERO WIDTH SPACE", at: (1, 6))
        assertSyntaxError("x = 5π", "invalid character 'π' (U+03C0 GREEK SMALL LETTER PI) in number", at: (1, 6))
        assertSyntaxError("x = 1\u{7}", "unexpected character U+0007 (a control character)", at: (1, 6))
        XCTAssertEqual(parseError("let 🍕 = 1")?.notes,
                       ["names are made of letters, digits, combining marks and '_'; symbols and emoji cannot be part of one"])
    }

    /// What an input method in Chinese mode or a word processor slips in is named with the
    /// ASCII meant, and read as that, so the rest of the line gives no errors of its own.
    func testLookalikesOfASCIISyntaxSayWhatWasMeant() {
        let cases: [(String, String)] = [
            ("f（x）", "1:2: '（' (U+FF08 FULLWIDTH LEFT PARENTHESIS) is not Rec syntax; did you mean '('?"),
            ("xs［0］", "1:3: '［' (U+FF3B FULLWIDTH LEFT SQUARE BRACKET) is not Rec syntax; did you mean '['?"),
            ("if x ｛ 1 ｝", "1:6: '｛' (U+FF5B FULLWIDTH LEFT CURLY BRACKET) is not Rec syntax; did you mean '{'?"),
            ("let r = (a：1)", "1:11: '：' (U+FF1A FULLWIDTH COLON) is not Rec syntax; did you mean ':'?"),
            ("let a = 1；a", "1:10: '；' (U+FF1B FULLWIDTH SEMICOLON) is not Rec syntax; did you mean ';'?"),
            ("f(1、2)", "1:4: '、' (U+3001 IDEOGRAPHIC COMMA) is not Rec syntax; did you mean ','?"),
            ("r。x", "1:2: '。' (U+3002 IDEOGRAPHIC FULL STOP) is not Rec syntax; did you mean '.'?"),
            ("print(“a # b”)", "1:7: '“' (U+201C LEFT DOUBLE QUOTATION MARK) is not Rec syntax; did you mean '\"'?"),
            ("print(‘hi’)", "1:7: '‘' (U+2018 LEFT SINGLE QUOTATION MARK) is not Rec syntax; did you mean '\"'?"),
            ("print(＂hi＂)", "1:7: '＂' (U+FF02 FULLWIDTH QUOTATION MARK) is not Rec syntax; did you mean '\"'?"),
            ("let ｘ = 1", "1:5: 'ｘ' (U+FF58 FULLWIDTH LATIN SMALL LETTER X) is not Rec syntax; did you mean 'x'?"),
            ("x = 1 × 2", "1:7: '×' (U+00D7 MULTIPLICATION SIGN) is not Rec syntax; did you mean '*'?"),
            ("if a ≤ b { }", "1:6: '≤' (U+2264 LESS-THAN OR EQUAL TO) is not Rec syntax; did you mean '<='?"),
            ("let\u{3000}x = 1", "1:4: U+3000 IDEOGRAPHIC SPACE is not Rec syntax; did you mean a plain space?"),
            ("x = 1 ＃ note", "1:7: '＃' (U+FF03 FULLWIDTH NUMBER SIGN) is not Rec syntax; did you mean '#'?"),
        ]
        for (source, error) in cases {
            XCTAssertEqual(allErrors(source + "\ny = (1 2)"), [error, "2:8: expected ')' to close the parenthesis opened at line 2, found '2'"], source)
        }
        // A bracket lookalike on another line is another mistake.
        XCTAssertEqual(allErrors("print（1,\n  2）").count, 2)
        // Inside strings and comments anything goes.
        XCTAssertEqual(allErrors("let s = \"（，“”）\"  # （，“”）"), [])
        // A curly quote where the closing '"' should be is named in a note.
        XCTAssertEqual(parseError("print(\"hello”)")?.notes,
                       ["'”' (U+201D RIGHT DOUBLE QUOTATION MARK) at column 13 does not close a string; did you mean '\"'?"])
    }

    func testByteOrderMarkCRLFAndNUL() {
        XCTAssertEqual(shown(tokens("\u{FEFF}let x = 1")).first, "kw(let)@1:1")
        XCTAssertEqual(shown(tokens("let x = 1\r\nx\r\n")), ["kw(let)@1:1", "id(x)@1:5", "=@1:7", "int(1)@1:9", "NL@1:11",
                                                              "id(x)@2:1", "NL@2:3", "EOF@3:1"])
        // A string across lines of a CRLF file holds "\n", as in an LF file; an escaped \r stays.
        XCTAssertEqual(tokens("\"a\r\nb\\r\"").first.map { Self.describe($0.kind) }, #"string(text("a\nb\r"))"#)
        assertSyntaxError("let x\0 = 1", "unexpected character U+0000 NULL", at: (1, 6))
        XCTAssertEqual(parseError("\0")?.notes, ["Rec source is UTF-8 text; a NUL byte means a binary file or another encoding (UTF-16?)"])
        // The quoted line shows control characters as their pictures, so the caret stays aligned.
        XCTAssertEqual(parseError("let x\0 = 1")?.render(color: false), "t.rec:1:6: error: unexpected character U+0000 NULL\n    let x␀ = 1\n         ^\nnote: Rec source is UTF-8 text; a NUL byte means a binary file or another encoding (UTF-16?)")
    }

    // MARK: Parser errors

    func testExpectedPunctuation() {
        assertSyntaxError("fn f { 1 }", "expected '(' after the function name, found '{'", at: (1, 6))
        assertSyntaxError("xs[1 2]", "expected ']' to close the subscript, found '2'", at: (1, 6))
        assertSyntaxError("(a 1)", "expected ')' to close the parenthesis opened at line 1, found '1'", at: (1, 4))
        assertSyntaxError("x = 1\ny = (\n a 1)", "expected ')' to close the parenthesis opened at line 2, found '1'", at: (3, 4))
        assertSyntaxError("(a: 1, b 2)", "expected ':' after the field name, found '2'", at: (1, 10))
        assertSyntaxError("for (a b) in xs {}", "expected ')' after the loop variables, found 'b'", at: (1, 8))
        assertSyntaxError("[1: 2, 3 4]", "expected ':' between a map key and its value, found '4'", at: (1, 10))
        assertSyntaxError("[1: 2 3]", "expected ']' to close the map opened at line 1, found '3'", at: (1, 7))
        assertSyntaxError("[1 2]", "expected ']' to close the list opened at line 1, found '2'", at: (1, 4))
        assertSyntaxError("[: 1]", "expected ']' after '[:' (the empty map), found '1'", at: (1, 4))
    }

    func testExpectedNames() {
        assertSyntaxError("let if = 1", "'if' is a keyword and cannot be used as a variable name", at: (1, 5))
        assertSyntaxError("let 1 = 2", "expected a variable name, found '1'", at: (1, 5))
        assertSyntaxError("var\n", "expected a variable name, found end of line", at: (1, 4))
        assertSyntaxError("for 1 in xs {}", "expected a loop variable, found '1'", at: (1, 5))
        assertSyntaxError("for (k, while) in m {}", "'while' is a keyword and cannot be used as a loop variable", at: (1, 9))
        assertSyntaxError("import 1", "expected a module name or a quoted path, found '1'", at: (1, 8))
        assertSyntaxError("fn f(1) {}", "expected a parameter name, found '1'", at: (1, 6))
        assertSyntaxError("fn f(in) {}", "'in' is a keyword and cannot be used as a parameter name", at: (1, 6))
        assertSyntaxError("x.1", "expected a member name after '.', found '1'", at: (1, 3))
        assertSyntaxError("x.nil", "'nil' is a keyword and cannot be used as a member name after '.'", at: (1, 3))
        assertSyntaxError("(a: 1, 2)", "expected a field name, found '2'", at: (1, 8))
    }

    func testStatementErrors() {
        assertSyntaxError("1 2", "expected end of statement, found '2'", at: (1, 3))
        assertSyntaxError("xs [0]", "expected end of statement, found '['", at: (1, 4))
        assertSyntaxError("let x", "'let x' needs a value: let x = …", at: (1, 6))
        assertSyntaxError("for (a, b, c) in xs {}", "a for loop destructures exactly two names: for (key, value) in …", at: (1, 1))
        assertSyntaxError("x = 1\n  for (a) in xs {}", "a for loop destructures exactly two names: for (key, value) in …", at: (2, 3))
        assertSyntaxError("for x xs {}", "expected 'in' after the loop variable, found 'xs'", at: (1, 7))
        assertSyntaxError(#"import "\(x).rec""#, "an import path cannot be interpolated", at: (1, 8))
        assertSyntaxError("1 = 2", "cannot assign to this expression; only names, x[i] and x.field can be assigned", at: (1, 1))
        assertSyntaxError("x = 1\nf() += 1", "cannot assign to this expression; only names, x[i] and x.field can be assigned", at: (2, 1))
    }

    func testBlockErrors() {
        assertSyntaxError("while true 1", "expected '{' after the while condition, found '1'", at: (1, 12))
        assertSyntaxError("for x in xs 1", "expected '{' after the for sequence, found '1'", at: (1, 13))
        assertSyntaxError("if true 1", "expected '{' after the if condition, found '1'", at: (1, 9))
        assertSyntaxError("if x\n{ 1 }", "expected '{' after the if condition, found end of line", at: (1, 5))
        assertSyntaxError("if true { 1 } else 1", "expected '{' after 'else', found '1'", at: (1, 20))
        assertSyntaxError("fn f() 1", "expected '{' to start the function body, found '1'", at: (1, 8))
        // A `{` after an if/while/for header opens the body, not a trailing closure.
        assertSyntaxError("while f { x in x } { }", "a trailing closure is not allowed here (the '{' would open the body); pass it in parentheses: f({ x in … })", at: (1, 9))
    }

    func testParameterErrors() {
        assertSyntaxError("fn f(a, a) {}", "duplicate parameter 'a'", at: (1, 9))
        assertSyntaxError("fn f(a: 1, b) {}", "parameter 'b' needs a default value because an earlier parameter has one", at: (1, 12))
        assertSyntaxError("fn f(a b) {}", "expected ',' or ')' in the parameter list, found 'b'", at: (1, 8))
        assertSyntaxError("let g = { a, a in a }", "duplicate parameter 'a'", at: (1, 9))
        assertSyntaxError("let g = fn(x, x) { x }", "duplicate parameter 'x'", at: (1, 15))
    }

    func testExpressionErrors() {
        assertSyntaxError("1 < 2 < 3", "comparisons cannot be chained; combine them with 'and'", at: (1, 7))
        assertSyntaxError("f(a: 1, a: 2)", "argument 'a' given twice", at: (1, 9))
        assertSyntaxError("f(a: 1, 2)", "positional arguments must come before named ones", at: (1, 9))
        assertSyntaxError("f(1 2)", "expected ',' or ')' in the argument list, found '2'", at: (1, 5))
        assertSyntaxError("x.m(1 2)", "expected ',' or ')' in the argument list, found '2'", at: (1, 7))
        assertSyntaxError("x = ()", "empty parentheses are not a value; use nil or (name: value) for a record", at: (1, 6))
        assertSyntaxError("(a: 1, a: 2)", "duplicate field 'a'", at: (1, 8))
        assertSyntaxError("1 + ;", "expected an expression, found ';'", at: (1, 5))
        assertSyntaxError("f(1, else)", "expected an expression, found 'else'", at: (1, 6))
        assertSyntaxError("{ 1 + }", "expected an expression, found '}'", at: (1, 7))
        assertSyntaxError("x = -\n1", "expected an expression, found end of line", at: (1, 6))
        assertSyntaxError("x = 1 +", "expected an expression, found end of input", at: (1, 8), incomplete: true)
        assertSyntaxError("xs |>", "expected an expression, found end of input", at: (1, 6), incomplete: true)
    }

    /// `source` as one s-expression per statement: operators with their operands, so the tree
    /// shape (precedence and associativity) and the resolved operator are both visible.
    private func tree(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        func show(_ e: Expr) -> String {
            switch e {
            case let e as LiteralExpr: return e.value.repr
            case let e as IdentifierExpr: return e.name
            case let e as UnaryExpr: return "(\(e.op == .negate ? "neg" : "not") \(show(e.operand)))"
            case let e as BinaryExpr: return "(\(e.op) \(show(e.left)) \(show(e.right)))"
            case let e as LogicalExpr: return "(\(e.op) \(show(e.left)) \(show(e.right)))"
            case let e as RangeExpr: return "(\(e.closed ? "..." : "..<") \(show(e.lower)) \(show(e.upper)))"
            case let e as CallExpr: return "(call \(([e.callee] + e.arguments.map(\.value)).map(show).joined(separator: " ")))"
            default: return "?"
            }
        }
        do throws(RecError) {
            return try Parser.parse(SourceFile(name: "t.rec", text: source)).statements.map { s in
                if let a = s as? AssignStmt { return "(\(a.op.map { "\($0)=" } ?? "=") \(show(a.target)) \(show(a.value)))" }
                return (s as? ExprStmt).map { show($0.expr) } ?? "?"
            }.joined(separator: "; ")
        } catch {
            XCTFail("unexpected syntax error: \(error.headline)", file: file, line: line)
            return ""
        }
    }

    func testOperatorPrecedenceAndAssociativity() {
        XCTAssertEqual(tree("1 + 2 * 3 - 4"), "(- (+ 1 (* 2 3)) 4)")
        XCTAssertEqual(tree("a / b // c % d"), "(% (// (/ a b) c) d)")
        XCTAssertEqual(tree("2 ** 3 ** 2"), "(** 2 (** 3 2))")
        XCTAssertEqual(tree("-a ** 2 * b"), "(* (neg (** a 2)) b)")
        XCTAssertEqual(tree("-2 ** 2"), "(neg (** 2 2))")
        XCTAssertEqual(tree("2 ** -1"), "(** 2 -1)")
        XCTAssertEqual(tree("!a == b"), "(== (not a) b)")
        XCTAssertEqual(tree("not a == b and c"), "(and (not (== a b)) c)")
        XCTAssertEqual(tree("a or b and not c or d"), "(or (or a (and b (not c))) d)")
        XCTAssertEqual(tree("a || b && c"), "(or a (and b c))")
        XCTAssertEqual(tree("a ?? b ?? c or d"), "(?? a (?? b (or c d)))")
        XCTAssertEqual(tree("a..<b + 1 == r"), "(== (..< a (+ b 1)) r)")
        XCTAssertEqual(tree("0...n * 2"), "(... 0 (* n 2))")
        XCTAssertEqual(tree("a |> f |> g(1)"), "(call g (call f a) 1)")
        XCTAssertEqual(tree("a |> f ?? g"), "(call (?? f g) a)")
        XCTAssertEqual(tree("a\n  |> f\n  ?? g\n  and h"), "(call (?? f (and g h)) a)")
        XCTAssertEqual(tree("x //= 2 + 1; y = a < b; z %= -1"), "(//= x (+ 2 1)); (= y (< a b)); (%= z -1)")
    }

    func testNonAssociativeOperatorsDoNotChain() {
        assertSyntaxError("a < b >= c", "comparisons cannot be chained; combine them with 'and'", at: (1, 7))
        assertSyntaxError("a..<b..<c", "expected end of statement, found '..<'", at: (1, 6))
        assertSyntaxError("x = not a..<b...c", "expected end of statement, found '...'", at: (1, 14))
        assertSyntaxError("a == not b", "expected an expression, found 'not'", at: (1, 6))
    }

    func testNestingLimitIsAnErrorNotACrash() {
        let message = "expression nested too deeply (more than \(Parser.maxNesting) levels)"
        // 10 000 nested parentheses, one per line (inside parentheses newlines are layout).
        // Each level counts twice (the parenthesis and the expression inside it).
        let n = 10_000
        assertSyntaxError(String(repeating: "(\n", count: n) + "1" + String(repeating: ")\n", count: n), message, at: (129, 1))
        // Other ways to nest, each well past the limit. (Short lines: see testLongLinesLexInLinearTime.)
        let m = 1_000
        let cases = [
            "lists": String(repeating: "[\n", count: m) + String(repeating: "]\n", count: m),
            "records": String(repeating: "(a:\n", count: m) + "1" + String(repeating: ")\n", count: m),
            "closures": "x = " + String(repeating: "{\n", count: m) + String(repeating: "}\n", count: m),
            "unary minus": String(repeating: "-", count: m) + "1",
            "not": String(repeating: "not ", count: m) + "true",
            "power": Array(repeating: "2", count: m).joined(separator: "**"),
            "member chain": "x" + String(repeating: ".a", count: m),
            "call chain": "f" + String(repeating: "()", count: m),
            "subscript chain": "x" + String(repeating: "[0]", count: m),
            "else if": "if a { 1 }\n" + String(repeating: "else if a { 1 }\n", count: m),
            "blocks in functions": String(repeating: "fn f() {\n", count: m) + String(repeating: "}\n", count: m),
            "if blocks": String(repeating: "if a {\n", count: m) + String(repeating: "}\n", count: m),
            "interpolations": String(repeating: #""\("#, count: 400) + "1" + String(repeating: #")""#, count: 400),
        ]
        for (what, source) in cases.sorted(by: { $0.key < $1.key }) {
            let e = parseError(source)
            XCTAssertEqual(e?.message, message, what)
            XCTAssertEqual(e?.incompleteInput, false, what)
        }
        // Just below the limit still parses.
        XCTAssertNil(parseError(String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)))
        XCTAssertNil(parseError("x" + String(repeating: ".a", count: 200)))
    }

    func testDeepButFlatInputParses() {
        // Long left-associative chains and many statements are iteration, not nesting.
        XCTAssertNil(parseError(Array(repeating: "1", count: 2000).joined(separator: " +\n")))
        XCTAssertNil(parseError(Array(repeating: "x = 1", count: 5000).joined(separator: "\n")))
    }

    func testLongLinesLexInLinearTime() {
        // A generated data line: 3 000 list elements, ~12 KB on one line. Computing each token's
        // column must not rescan the line from its start.
        let line = "let xs = [" + (0..<3000).map { "\($0 % 1000)" }.joined(separator: ", ") + "]"
        let start = Date()
        XCTAssertEqual(tokens(line).count, 6_006)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThan(elapsed, 0.5, "lexing one 12 KB line took \(elapsed) s")
    }

    // MARK: Several errors in one script

    func testEveryErrorIsReportedInSourceOrder() {
        // Lexer and parser errors interleaved: all of them, sorted by position.
        let source = """
        let a = 1
        let b = a +* 2
        print(b)
        let c = 12abc
        fn f(x) {
          let y = x + )
          y
        }
        let d = [1, 2 3]
        print("\\q")
        """
        XCTAssertEqual(allErrors(source), [
            "2:12: expected an expression, found '*'",
            "4:11: invalid character 'a' in number",
            "6:15: unexpected ')': the innermost open bracket is the '{' at line 5, column 9",
            "9:15: expected ']' to close the list opened at line 9, found '3'",
            #"10:8: unknown escape sequence '\q'"#,
        ])
    }

    func testEachErrorRendersWithItsOwnLineAndCaret() {
        guard let e = parseError("x = 1 +* 2\nok = 2\ny = (3 4)\n") else { return XCTFail("expected errors") }
        XCTAssertEqual(e.render(color: false), """
        t.rec:1:8: error: expected an expression, found '*'
            x = 1 +* 2
                   ^
        t.rec:3:8: error: expected ')' to close the parenthesis opened at line 3, found '4'
            y = (3 4)
                   ^
        """)
    }

    func testOneMistakeGivesExactlyOneError() {
        // Each script has one mistake among good lines; recovery must not add follow-on errors.
        let cases: [(String, String)] = [
            ("x = 1\ny = 1 @ 2\nz = 3", "2:7: unexpected character '@'"),
            ("x = 'c'\ny = 2", "1:5: unexpected character '''"),
            ("f({ 1 )\ny = 2", "1:7: expected '}' but found ')'"),
            ("z = (1]\ny = 2", "1:7: expected ')' but found ']'"),
            ("x = [1, 2]]\ny = 2", "1:11: unexpected ']' with nothing to close"),
            ("let x = 0xZ1\ny = 2", "1:9: expected hexadecimal digits after '0x'"),
            ("let x = 1 +\nlet y = 2\nprint(y)", "2:1: expected an expression, found 'let'"),
            ("if x y {\n  1\n}\nelse {\n  break\n}\nz = 3", "1:6: expected '{' after the if condition, found 'y'"),
            ("fn f(a b) {\n  let y = 1\n  return y\n}\nf(1)", "1:8: expected ',' or ')' in the parameter list, found 'b'"),
            ("let ys = map([1], { x in x + })\nprint(ys)", "1:30: expected an expression, found '}'"),
            ("let s = \"\\([)\"\ns", "1:12: '[' was never closed"),
            ("xs = [1, 2]\n  |> map({ x in x * })\n  |> sum\ny = 1", "2:21: expected an expression, found '}'"),
            ("let a = max(1, 2\nlet b = 3\nprint(b)", "1:12: '(' was never closed"),
            ("fn f() {\n  if true {\n    1\n}\nf()", "1:8: '{' was never closed"),
            ("let t = \"abc\nlet u = (1", "1:9: unterminated string literal"),
            // The extra ')' after the failure is an echo of it.
            ("x = f(1 2))\ny = 2", "1:9: expected ',' or ')' in the argument list, found '2'"),
            // A missing quote turns the lines after it inside out: one error, with a note.
            ("let a = 1\nprint(\"a is, a)\nlet b = 2\nprint(\"b is\", b)\nlet c = 3\nprint(\"c is\", c)\n",
             "4:8: expected ',' or ')' in the argument list, found 'b'"),
        ]
        for (source, error) in cases {
            XCTAssertEqual(allErrors(source), [error], source)
        }
    }

    func testAStrayQuoteIsNamedInANote() {
        guard let e = parseError("let a = 1\nprint(\"a is, a)\nlet b = 2\nprint(\"b is\", b)\n") else { return XCTFail("expected an error") }
        XCTAssertEqual(e.notes, [#"the string opened at line 2, column 7 runs on to line 4; if a '"' is missing or extra there, later errors follow from it and are not shown"#])
        // A string that spans lines on purpose does not hide the errors after it.
        XCTAssertEqual(allErrors("let s = \"one\ntwo\"\nx = 1 +* 2\ny = (3 4)\n"),
                       ["3:8: expected an expression, found '*'", "4:8: expected ')' to close the parenthesis opened at line 4, found '4'"])
    }

    func testRecoveryGoesOnInsideBlocksAndClosures() {
        let source = """
        fn f(x) {
          let a = x +* 1
          let b = a
          for i in 0..<3 {
            print(i i)
          }
          b
        }
        let g = { x in
          x ** ** 2
        }
        f(1
          2)
        """
        XCTAssertEqual(allErrors(source), [
            "2:14: expected an expression, found '*'",
            "5:13: expected ',' or ')' in the argument list, found 'i'",
            "10:8: expected an expression, found '**'",
            "13:3: expected ',' or ')' in the argument list, found '2'",
        ])
    }

    func testErrorsBeyondTwentyAreCounted() {
        let source = (1...30).map { "let v\($0) = \($0) +* 1" }.joined(separator: "\n") + "\n"
        guard let e = parseError(source) else { return XCTFail("expected errors") }
        XCTAssertEqual(e.additional.count, 19)
        XCTAssertEqual(e.unreported, 10)
        XCTAssertEqual(e.additional.last?.location.line, 20)
        XCTAssertTrue(e.render(color: false).hasSuffix("\n… and 10 more errors"), e.render(color: false))
    }

    func testUnclosedBracketErrorsPointAtTheBracket() {
        guard let e = parseError("let a = f(1, 2\nlet b = 3\nprint(a)\n") else { return XCTFail("expected an error") }
        XCTAssertEqual(e.render(color: false), """
        t.rec:1:10: error: '(' was never closed
            let a = f(1, 2
                     ^
        note: expected ')' before the end of the input
        note: at line 2, column 1: expected ',' or ')' in the argument list, found 'let'
        """)
        XCTAssertTrue(e.additional.isEmpty)
        // A block left open: the '}' that lines up with an outer block hints at where one is missing.
        guard let b = parseError("fn f(x) {\n  if x {\n    print(x)\n\n}\nf(1)\n") else { return XCTFail("expected an error") }
        XCTAssertEqual(b.render(color: false), """
        t.rec:1:9: error: '{' was never closed
            fn f(x) {
                    ^
        note: expected '}' before the end of the input
        note: the '}' at line 5 closes the '{' at line 2 but is indented differently; is a '}' missing before line 5?
        """)
        // Two separate brackets left open on different lines are both reported.
        XCTAssertEqual(allErrors("x = [1,\n  f(2\n"), ["1:5: '[' was never closed", "2:4: '(' was never closed"])
        XCTAssertEqual(allErrors("fn f() {\n  g(2\n"), ["1:8: '{' was never closed", "2:4: '(' was never closed"])
    }

    func testScopeErrorsAreReportedTogether() {
        let source = """
        fn f() {
          let a = 1
          let a = 2
          a = 3
        }
        break
        let c = 1
        c = 2
        fn g() { continue }
        """
        XCTAssertEqual(allErrors(source, resolve: true), [
            "3:3: 'a' is already declared in this scope (at line 2)",
            "4:3: cannot assign to 'a': it is a 'let' constant (declare it with 'var' to change it)",
            "6:1: 'break' is only allowed inside a loop",
            "8:1: cannot assign to 'c': it is a constant (declare it with 'var' to change it)",
            "9:10: 'continue' is only allowed inside a loop",
        ])
        // A duplicate local function is reported once, not again when it is declared.
        XCTAssertEqual(allErrors("fn f() {\n  fn g() {}\n  fn g() {}\n}", resolve: true), ["3:3: 'g' is already declared in this scope"])
    }

    // MARK: Parse results

    func testPrecedenceAndAssociativity() {
        func value(_ source: String) -> String {
            let sink = CollectingSink()
            let session = try! Session(sink: sink, storage: Workspace.storage)
            session.evaluate(source, name: "t.rec")
            return sink.transcript
        }
        XCTAssertEqual(value("1 + 2 * 3"), "7\n")
        XCTAssertEqual(value("2 ** 3 ** 2"), "512\n")
        XCTAssertEqual(value("-2 ** 2"), "-4\n")
        XCTAssertEqual(value("10 - 3 - 2"), "5\n")
        XCTAssertEqual(value("100 // 10 // 5"), "2\n")
        XCTAssertEqual(value("1 + 1 == 2 and not false"), "true\n")
        XCTAssertEqual(value("true or false and false"), "true\n")
        XCTAssertEqual(value("nil ?? nil ?? 3"), "3\n")
        XCTAssertEqual(value("0..<2 + 1"), "0..<3\n")
    }

    func testDocCommentsAttachToFunctions() throws {
        let source = """
        #!/usr/bin/env rec
        # %% a cell marker is not documentation
        # Doubles x.
        #   Second line.
        fn double(x) { x * 2 }

        # Not attached: a blank line separates it.

        fn plain() { 1 }
        """
        let program = try Parser.parse(SourceFile(name: "t.rec", text: source))
        let fns = program.statements.compactMap { $0 as? FnStmt }.map(\.function)
        XCTAssertEqual(fns.map(\.name), ["double", "plain"])
        XCTAssertEqual(fns[0].doc, "Doubles x.\nSecond line.")
        XCTAssertNil(fns[1].doc)
    }

    // MARK: Scope errors (resolver)

    func testScopeErrors() {
        assertScopeError("fn f() {\n  let a = 1\n  let a = 2\n}", "'a' is already declared in this scope (at line 2)", at: (3, 3))
        assertScopeError("fn f(a) { let a = 1 }", "'a' is already declared in this scope (at line 1)", at: (1, 11))
        assertScopeError("fn f() {\n  fn g() {}\n  fn g() {}\n}", "'g' is already declared in this scope", at: (3, 3))
        assertScopeError("let a = 1\na = 2", "cannot assign to 'a': it is a constant (declare it with 'var' to change it)", at: (2, 1))
        assertScopeError("fn f() { let a = 1; a += 1 }", "cannot assign to 'a': it is a 'let' constant (declare it with 'var' to change it)", at: (1, 21))
        assertScopeError("fn f(p) { p = 2 }", "cannot assign to 'p': it is a 'let' constant (declare it with 'var' to change it)", at: (1, 11))
        assertScopeError("for i in 0..<3 { i = 1 }", "cannot assign to 'i': it is a 'let' constant (declare it with 'var' to change it)", at: (1, 18))
        assertScopeError("x = 1\nreturn 1", "'return' is only allowed inside a function", at: (2, 1))
        assertScopeError("break", "'break' is only allowed inside a loop", at: (1, 1))
        assertScopeError("fn f() { continue }", "'continue' is only allowed inside a loop", at: (1, 10))
        assertScopeError("for x in xs { each(xs) { y in break } }", "'break' is only allowed inside a loop", at: (1, 31))
        assertScopeError("fn f() {\n  import \"x.rec\"\n}", "'import' is only allowed at the top level of a file", at: (2, 3))
        assertScopeError("if true { import m }", "'import' is only allowed at the top level of a file", at: (1, 11))
    }

    func testScopesThatAreAllowed() {
        let interp = Interpreter(sink: CollectingSink())
        for source in [
            "let a = 1\nlet a = 2",                               // top level: redefinition (REPL style)
            "fn f() { let a = 1; if true { let a = 2 } }",     // shadowing in an inner block
            "fn f() { g(); fn g() { 1 } }",                     // local functions are hoisted
            "var v = 1\nv = 2\nv += 1",
            "fn f() { for x in [1] { let g = { return x } } }",  // return inside a closure
        ] {
            do throws(RecError) { try interp.check(SourceFile(name: "t.rec", text: source)) }
            catch { XCTFail("\(source.debugDescription): \(error.headline)") }
        }
    }

    // MARK: Session.isComplete

    func testIsCompleteForOpenInput() {
        for source in [
            "(1, 2", "[1,", "f(", "fn f() {", "fn f() {\n  1", "[\"a\":", "\"abc", "\"line one\nline two",
            #""abc\(1 + "#, #""\(f("x")"#, #"x = "\(g(")"#, "let x =", "1 +", "xs |>", "if x {\n  if y {\n  }",
            // After a '(' still open at the end, statement boundaries are unknown (newlines are
            // layout there), so what looks wrong is put down to the open bracket: keep reading.
            "print(1 2", "print(\"a\nb",
        ] {
            XCTAssertFalse(Session.isComplete(source), "should continue: \(source.debugDescription)")
        }
    }

    func testIsCompleteForCompleteOrBrokenInput() {
        for source in [
            "", "1 + 2", "fn f() { 1 }", "\"abc\"", #""\(1 + 2)""#, #""\(")")""#, "\"one\ntwo\"", "[1,\n2]",
            "# a comment with an open ( bracket", "x = \"#(\"",
            // Errors that more input cannot fix are complete (the REPL shows them).
            ")", "1 2", "let x", "1 < 2 < 3", "(]", "@",
            // A definite error before or inside an open block: more lines cannot fix it.
            "let = 3\nif x {", "x = 1 @ 2\nf(", "if x {\n  let = 3", "{ 1 )",
        ] {
            XCTAssertTrue(Session.isComplete(source), "should be complete: \(source.debugDescription)")
        }
    }
}
