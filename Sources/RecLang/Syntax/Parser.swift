/// Recursive-descent parser from tokens to the syntax tree.
///
/// Precedence, loosest first: `|>`, `??`, `or`/`||`, `and`/`&&`, `not`, comparisons, ranges
/// (`..<`, `...`), `+ -`, `* / // %`, unary `- !`, `**`, postfix (call, index, member). The
/// infix levels are one table (`InfixRule.table`, Syntax/Operator.swift) read by one
/// precedence-climbing loop (`binary`); operators are resolved to enums here, once.
///
/// A statement with an error is recorded and skipped up to the next statement boundary at its
/// own bracket depth (a newline or `;`, or the `}` of the enclosing block), and parsing goes on,
/// so one run reports every broken statement — and only one error for each.
struct Parser {
    private let tokens: [Token]
    private let file: SourceFile
    private var index = 0
    private var depth = 0
    private var errors = Diagnostics()
    /// The lexer's errors. One statement gets one error: a parser error after a lexer error in
    /// the same statement follows from it (`1 @ 2` lacks an operator only because `@` was
    /// dropped), and a lexer error in the part of a statement skipped after a parser error is
    /// usually an echo of that (`f(a b))`); those are not reported.
    private var lexerErrors: [RecError] = []
    private var echoes: Set<ObjectIdentifier> = []
    /// Set by the nesting limit: input that deep is not worth recovering in.
    private var abandoned = false
    /// Inside `if`/`while`/`for` headers a `{` opens the body, never a trailing closure.
    private var noTrailingClosure = false
    /// Deep enough for any real program, shallow enough to stay far from a native stack overflow
    /// in the parser, resolver and compiler, which all recurse on nesting.
    static let maxNesting = 256

    init(tokens: [Token], file: SourceFile) {
        self.tokens = tokens
        self.file = file
    }

    /// The program in `file`, or its first syntax error carrying all the others.
    static func parse(_ file: SourceFile) throws(RecError) -> Program {
        var lexer = Lexer(file: file)
        let scan = lexer.scan()
        var parser = Parser(tokens: scan.tokens, file: file)
        // Input left open at the end is dealt with below.
        parser.lexerErrors = scan.errors.filter { !$0.incompleteInput }
        var statements: [Stmt] = []
        do { statements = try parser.parseProgram() } catch { parser.errors.add(error) }
        var all = Diagnostics(scan.errors.filter { !parser.echoes.contains(ObjectIdentifier($0)) })
        var noted = false
        for e in parser.errors.sorted {
            // Running into the end inside an open bracket or string follows from it.
            if e.incompleteInput && scan.endsOpen { continue }
            // After a `(` or `[` that is never closed, newlines no longer end statements, so what
            // the parser finds wrong follows from it; the first such error is usually where the
            // closer is missing, and becomes a note.
            if let g = scan.unclosedGroups.first, g.location.precedes(e.location) {
                if !noted { g.notes.append("at line \(e.location.line), column \(e.location.column): \(e.message)") }
                noted = true
                continue
            }
            all.add(e)
        }
        if let e = Diagnostics(Parser.untilStrayQuote(all.sorted, scan)).combined() { throw e }
        return Program(statements, file: file)
    }

    /// A missing or extra `"` turns the rest of the file inside out — code becomes string and
    /// string becomes code — and every line after it fails. The first error on a line that a
    /// multi-line string touches is where that shows; it gets a note naming the string, and the
    /// errors after it are not reported, nor brackets "never closed" (their closers may have
    /// been swallowed by a string).
    private static func untilStrayQuote(_ sorted: [RecError], _ scan: Scan) -> [RecError] {
        for (i, e) in sorted.enumerated() {
            let line = e.location.line
            guard let s = scan.multiLineStrings.first(where: { $0.open.line <= line && line <= $0.lastLine }) else { continue }
            e.notes.append("the string opened at line \(s.open.line), column \(s.open.column) runs on to line \(s.lastLine); "
                           + "if a '\"' is missing or extra there, later errors follow from it and are not shown")
            return sorted.prefix(i).filter { d in !scan.unclosed.contains { $0 === d } } + [e]
        }
        return sorted
    }


    // MARK: Token helpers

    private var current: Token { tokens[index] }
    private func peekToken(_ ahead: Int = 1) -> Token { tokens[min(index + ahead, tokens.count - 1)] }
    private var atEnd: Bool { if case .eof = current.kind { return true }; return false }

    @discardableResult
    private mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .int(let v): return "'\(v)'"
        case .float(let v): return "'\(v)'"
        case .string: return "a string"
        case .identifier(let n): return "'\(n)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .op(let o): return "'\(o)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        }
    }

    private func error(_ message: String, at token: Token? = nil) -> RecError {
        let t = token ?? current
        let e = RecError(.syntax, message, at: t.location)
        if case .eof = t.kind { e.incompleteInput = true }
        return e
    }

    private mutating func expectOp(_ op: String, _ context: String) throws(RecError) -> Token {
        guard current.isOp(op) else { throw error("expected '\(op)' \(context), found \(describe(current))") }
        return advance()
    }

    private mutating func expectIdentifier(_ context: String) throws(RecError) -> (String, SourceLocation) {
        guard case .identifier(let name) = current.kind else {
            if case .keyword(let k) = current.kind {
                throw error("'\(k.rawValue)' is a keyword and cannot be used as \(context)")
            }
            throw error("expected \(context), found \(describe(current))")
        }
        let loc = current.location
        advance()
        return (name, loc)
    }

    private mutating func skipNewlines() { while current.isNewline { advance() } }

    private mutating func nest() throws(RecError) {
        depth += 1
        if depth > Parser.maxNesting { throw tooDeep() }
    }

    private mutating func tooDeep() -> RecError {
        abandoned = true
        return error("expression nested too deeply (more than \(Parser.maxNesting) levels)")
    }

    // MARK: Statements

    mutating func parseProgram() throws(RecError) -> [Stmt] {
        try statements(closing: nil, "")
    }

    /// Statements up to the `}` that closes `open` (which is consumed), or to the end of input
    /// when `open` is nil.
    private mutating func statements(closing open: Token?, _ what: String) throws(RecError) -> [Stmt] {
        var statements: [Stmt] = []
        skipSeparators()
        while true {
            if let open {
                if current.isOp("}") { advance(); break }
                if atEnd { throw error("expected '}' to close the \(what) opened at line \(open.location.line)") }
            } else if atEnd {
                break
            }
            let start = index
            do throws(RecError) {
                statements.append(try statement())
                try endOfStatement()
            } catch {
                if abandoned { throw error }
                let failedAt = error.location.precedes(current.location) ? current.location : error.location
                let limit = skipStatement(from: start)
                recordFailure(error, from: tokens[start].location, failedAt: failedAt, skippedUpTo: limit)
                skipSeparators()
            }
        }
        return statements
    }

    /// Keeps `e`, the error of the statement that runs from `from` to before `limit`, unless a
    /// lexer error came first in it; lexer errors after `failedAt` in it become echoes.
    private mutating func recordFailure(_ e: RecError, from: SourceLocation, failedAt: SourceLocation, skippedUpTo limit: SourceLocation) {
        if lexerErrors.contains(where: { !$0.location.precedes(from) && !failedAt.precedes($0.location) }) { return }
        errors.add(e)
        for l in lexerErrors where failedAt.precedes(l.location) && l.location.precedes(limit) { echoes.insert(ObjectIdentifier(l)) }
    }

    /// Moves past the statement that started at token `start` and failed at the current token:
    /// to the first newline or `;` after the failure at the statement's own bracket depth (and
    /// not followed by a line that continues the statement, like `else` or `|>`), or to the `}`
    /// that closes the enclosing block. Returns where the skipped text ends.
    private mutating func skipStatement(from start: Int) -> SourceLocation {
        let failure = index
        var limit: SourceLocation? = nil
        var i = start, level = 0
        scan: while i < tokens.count - 1 {
            let t = tokens[i]
            switch t.kind {
            case .op("("), .op("["), .op("{"):
                level += 1
            case .op(")"), .op("]"), .op("}"):
                if level > 0 { level -= 1 } else if t.isOp("}") { break scan }
            case .newline, .op(";"):
                if level == 0 && i >= failure && !(t.isNewline && lineContinues(after: i, Parser.continuations)) {
                    limit = SourceLocation(file: t.location.file, line: t.location.line, column: t.location.column + 1)
                    i += 1
                    break scan
                }
            default:
                break
            }
            i += 1
        }
        index = i
        // Always make progress (a stray token where a statement should start).
        if index == start && !atEnd { advance() }
        return limit ?? tokens[i].location
    }

    private mutating func skipSeparators() { while current.isNewline || current.isOp(";") { advance() } }

    private mutating func endOfStatement() throws(RecError) {
        if current.isNewline || current.isOp(";") { skipSeparators(); return }
        if atEnd || current.isOp("}") { return }
        throw error("expected end of statement, found \(describe(current))")
    }

    private mutating func docComment(before token: Token) -> String? {
        // `#` comment lines directly above a `fn` become its documentation (shown by help()).
        let lineNumber = token.location.line
        var lines: [String] = []
        var l = lineNumber - 1
        while l >= 1 {
            let text = file.lineText(l).drop(while: { $0 == " " || $0 == "\t" })
            guard text.hasPrefix("#"), !text.hasPrefix("#!"), !text.hasPrefix("# %%") else { break }
            lines.append(String(text.dropFirst().drop(while: { $0 == " " })))
            l -= 1
        }
        return lines.isEmpty ? nil : lines.reversed().joined(separator: "\n")
    }

    private mutating func statement() throws(RecError) -> Stmt {
        let t = current
        switch t.kind {
        case .keyword(.let), .keyword(.var):
            advance()
            let (name, _) = try expectIdentifier("a variable name")
            var initializer: Expr? = nil
            if current.isOp("=") {
                advance()
                skipNewlines()
                initializer = try expression()
            } else if t.isKeyword(.let) {
                throw error("'let \(name)' needs a value: let \(name) = …")
            }
            return LetStmt(name: name, mutable: t.isKeyword(.var), initializer: initializer, t.location)
        case .keyword(.fn) where { if case .identifier = peekToken().kind { return true }; return false }():
            advance()
            let (name, _) = try expectIdentifier("a function name")
            let fn = try functionRest(name: name, doc: docComment(before: t), at: t.location)
            return FnStmt(fn)
        case .keyword(.return):
            advance()
            if current.isNewline || current.isOp(";") || current.isOp("}") || atEnd { return ReturnStmt(nil, t.location) }
            return ReturnStmt(try expression(), t.location)
        case .keyword(.break): advance(); return BreakStmt(t.location)
        case .keyword(.continue): advance(); return ContinueStmt(t.location)
        case .keyword(.while):
            advance()
            let cond = try condition()
            return WhileStmt(cond, try block("after the while condition"), t.location)
        case .keyword(.for):
            advance()
            var names: [String] = []
            if current.isOp("(") {
                advance()
                names.append(try expectIdentifier("a loop variable").0)
                while current.isOp(",") { advance(); names.append(try expectIdentifier("a loop variable").0) }
                _ = try expectOp(")", "after the loop variables")
                if names.count != 2 { throw error("a for loop destructures exactly two names: for (key, value) in …", at: t) }
            } else {
                names.append(try expectIdentifier("a loop variable").0)
            }
            guard current.isKeyword(.in) else { throw error("expected 'in' after the loop variable, found \(describe(current))") }
            advance()
            let iterable = try condition()
            return ForStmt(names, iterable, try block("after the for sequence"), t.location)
        case .keyword(.import):
            advance()
            if case .string(let parts) = current.kind {
                guard parts.count == 1, case .text(let path) = parts[0] else { throw error("an import path cannot be interpolated") }
                advance()
                return ImportStmt(path, isModuleName: false, t.location)
            }
            let (name, _) = try expectIdentifier("a module name or a quoted path")
            return ImportStmt(name, isModuleName: true, t.location)
        default:
            let expr = try expression()
            if case .op(let spelling) = current.kind, let op = BinaryOperator.compound(spelling) {
                let opToken = advance()
                guard expr is IdentifierExpr || expr is IndexExpr || expr is MemberExpr else {
                    throw error("cannot assign to this expression; only names, x[i] and x.field can be assigned", at: t)
                }
                skipNewlines()
                let value = try expression()
                return AssignStmt(expr, op, value, opToken.location)
            }
            return ExprStmt(expr)
        }
    }

    private mutating func condition() throws(RecError) -> Expr {
        let saved = noTrailingClosure
        noTrailingClosure = true
        defer { noTrailingClosure = saved }
        let e = try expression()
        // `for x in xs.map { x in … } { … }`: the closure's `{` was taken for the body.
        if current.isOp("{") && looksLikeClosureParameters(after: 1) {
            throw error("a trailing closure is not allowed here (the '{' would open the body); pass it in parentheses: f({ x in … })")
        }
        return e
    }

    /// True when the tokens from `ahead` on read `name (, name)* in`, the head of a closure.
    private func looksLikeClosureParameters(after ahead: Int) -> Bool {
        var i = ahead
        while true {
            guard case .identifier = peekToken(i).kind else { return false }
            i += 1
            if peekToken(i).isKeyword(.in) { return true }
            guard peekToken(i).isOp(",") else { return false }
            i += 1
        }
    }

    private mutating func block(_ context: String) throws(RecError) -> BlockExpr {
        guard current.isOp("{") else { throw error("expected '{' \(context), found \(describe(current))") }
        let open = advance()
        try nest()
        defer { depth -= 1 }
        let saved = noTrailingClosure
        noTrailingClosure = false
        defer { noTrailingClosure = saved }
        return BlockExpr(try statements(closing: open, "block"), open.location)
    }

    private mutating func functionRest(name: String, doc: String?, at loc: SourceLocation) throws(RecError) -> FunctionExpr {
        _ = try expectOp("(", "after the function name")
        var params: [Parameter] = []
        var seenDefault = false
        while !current.isOp(")") {
            let (pname, ploc) = try expectIdentifier("a parameter name")
            if params.contains(where: { $0.name == pname }) { throw error("duplicate parameter '\(pname)'", at: tokens[index - 1]) }
            var def: Expr? = nil
            if current.isOp(":") {
                advance()
                def = try expression()
                seenDefault = true
            } else if seenDefault {
                throw error("parameter '\(pname)' needs a default value because an earlier parameter has one", at: tokens[index - 1])
            }
            params.append(Parameter(name: pname, defaultValue: def, location: ploc))
            if current.isOp(",") { advance() } else if !current.isOp(")") {
                throw error("expected ',' or ')' in the parameter list, found \(describe(current))")
            }
        }
        advance()
        let body = try block("to start the function body")
        return FunctionExpr(name: name, parameters: params, body: body, doc: doc, loc)
    }

    // MARK: Expressions

    mutating func expression() throws(RecError) -> Expr {
        try nest()
        defer { depth -= 1 }
        return try binary(.pipe)
    }

    /// Every token that continues the expression of the line before it when it starts a line.
    private static let continuations: Set<String> = InfixRule.lineContinuing.union([".", "else"])

    /// A line that starts with one of these continues the expression on the line before it.
    private func continuesOnNextLine(_ ops: Set<String>) -> Bool {
        lineContinues(after: index, ops)
    }

    /// Whether the newline token at `start` is followed by a line that starts with one of `ops`.
    private func lineContinues(after start: Int, _ ops: Set<String>) -> Bool {
        guard tokens[start].isNewline else { return false }
        var i = start
        while i < tokens.count, tokens[i].isNewline { i += 1 }
        guard i < tokens.count else { return false }
        if case .op(let o) = tokens[i].kind { return ops.contains(o) }
        if case .keyword(let k) = tokens[i].kind { return ops.contains(k.rawValue) }
        return false
    }

    /// The rule of the infix operator at the current token, or of the operator that starts the
    /// next line when that operator continues the line (`|>`, `??`, `and`, `or`).
    private func infixRule() -> InfixRule? {
        var i = index
        while tokens[i].isNewline && i < tokens.count - 1 { i += 1 }
        let spelling: String
        switch tokens[i].kind {
        case .op(let o): spelling = o
        case .keyword(.and): spelling = "and"
        case .keyword(.or): spelling = "or"
        default: return nil
        }
        guard let rule = InfixRule.table[spelling] else { return nil }
        return i == index || rule.continuesLine ? rule : nil
    }

    /// An expression whose infix operators bind at least as tightly as `minLevel`, by precedence
    /// climbing over `InfixRule.table`. `maxLevel` keeps an operator that a tighter level left
    /// unparsed (`a..<b..<c`, `not x..<y..<z`) from being taken by a looser one: after an
    /// operator at level L only operators at L or looser may follow (strictly looser when L
    /// does not associate).
    private mutating func binary(_ minLevel: Precedence) throws(RecError) -> Expr {
        var (left, maxLevel) = try prefixed(minLevel)
        while let rule = infixRule(), rule.level >= minLevel, rule.level <= maxLevel {
            skipNewlines()
            let op = advance()
            skipNewlines()
            let right = try rightOperand(rule)
            switch rule.node {
            case .pipe: left = makePipe(left, right, op)
            case .logical(let o): left = LogicalExpr(o, left, right, op.location)
            case .binary(let o): left = BinaryExpr(o, left, right, op.location)
            case .range(let closed): left = RangeExpr(left, right, closed: closed, op.location)
            }
            switch rule.associativity {
            case .left, .right:
                maxLevel = rule.level
            case .nonAssociative(let chained):
                if let chained, infixRule()?.level == rule.level { throw error(chained) }
                guard let looser = Precedence(rawValue: rule.level.rawValue - 1) else { return left }
                maxLevel = looser
            }
        }
        return left
    }

    private mutating func rightOperand(_ rule: InfixRule) throws(RecError) -> Expr {
        guard rule.nests else { return try binary(rule.rightLevel) }
        try nest()
        defer { depth -= 1 }
        return try binary(rule.rightLevel)
    }

    /// A postfix expression, or a prefix operator and its operand: `not` (which binds looser
    /// than comparisons: `not a == b` is `not (a == b)`), `-` and `!` (tighter than `*`, looser
    /// than `**`: `-2 ** 2` is -4). Returns the loosest infix level that may follow.
    private mutating func prefixed(_ minLevel: Precedence) throws(RecError) -> (Expr, Precedence) {
        if minLevel <= .not, current.isKeyword(.not) {
            let op = advance()
            skipNewlines()
            try nest()
            defer { depth -= 1 }
            return (UnaryExpr(.not, try binary(.not), op.location), .not)
        }
        if minLevel <= .unary, current.isOp("-") || current.isOp("!") {
            let op = advance()
            try nest()
            defer { depth -= 1 }
            let operand = try binary(.unary)
            if op.isOp("-"), let lit = operand as? LiteralExpr {
                if case .int(let v) = lit.value { return (LiteralExpr(.int(-v), op.location), .unary) }
                if case .double(let v) = lit.value { return (LiteralExpr(.double(-v), op.location), .unary) }
            }
            return (UnaryExpr(op.isOp("-") ? .negate : .not, operand, op.location), .unary)
        }
        return (try postfix(), .power)
    }

    /// `a |> f(b)` is the call `f(a, b)`; `a |> f` is `f(a)`.
    private func makePipe(_ value: Expr, _ target: Expr, _ op: Token) -> Expr {
        let first = Argument(label: nil, value: value)
        if let call = target as? CallExpr { return CallExpr(call.callee, [first] + call.arguments, call.location) }
        if let call = target as? MethodCallExpr { return MethodCallExpr(call.object, call.name, [first] + call.arguments, call.location) }
        return CallExpr(target, [first], op.location)
    }

    private mutating func arguments(closing: String) throws(RecError) -> [Argument] {
        var args: [Argument] = []
        skipNewlines()
        while !current.isOp(closing) {
            var label: String? = nil
            if case .identifier(let name) = current.kind, peekToken().isOp(":") {
                label = name
                advance(); advance()
                if args.contains(where: { $0.label == name }) { throw error("argument '\(name)' given twice", at: tokens[index - 2]) }
            } else if args.contains(where: { $0.label != nil }) {
                throw error("positional arguments must come before named ones")
            }
            args.append(Argument(label: label, value: try expression()))
            skipNewlines()
            if current.isOp(",") { advance(); skipNewlines() } else if !current.isOp(closing) {
                throw error("expected ',' or '\(closing)' in the argument list, found \(describe(current))")
            }
        }
        advance()
        return args
    }

    private mutating func postfix() throws(RecError) -> Expr {
        var expr = try primary()
        var links = 0
        while true {
            links += 1
            if links > Parser.maxNesting { throw tooDeep() }
            if current.isOp("(") {
                let open = advance()
                var args = try arguments(closing: ")")
                args += try trailingClosure()
                expr = makeCall(expr, args, open.location)
            } else if current.isOp("[") && !current.spaceBefore {
                let open = advance()
                skipNewlines()
                let index = try expression()
                skipNewlines()
                _ = try expectOp("]", "to close the subscript")
                expr = IndexExpr(expr, index, open.location)
            } else if current.isOp(".") || continuesOnNextLine(["."]) {
                skipNewlines()
                let dot = advance()
                let (name, _) = try expectIdentifier("a member name after '.'")
                if current.isOp("(") && !current.spaceBefore {
                    advance()
                    var args = try arguments(closing: ")")
                    args += try trailingClosure()
                    expr = MethodCallExpr(expr, name, args, dot.location)
                } else if current.isOp("{") && !noTrailingClosure {
                    expr = MethodCallExpr(expr, name, try trailingClosure(), dot.location)
                } else {
                    expr = MemberExpr(expr, name, dot.location)
                }
            } else if current.isOp("{"), !noTrailingClosure, expr is IdentifierExpr {
                // `filter { x in … }` — a trailing closure is the call's last argument.
                let loc = current.location
                expr = makeCall(expr, try trailingClosure(), loc)
            } else {
                return expr
            }
        }
    }

    private func makeCall(_ callee: Expr, _ args: [Argument], _ loc: SourceLocation) -> Expr {
        CallExpr(callee, args, loc)
    }

    private mutating func trailingClosure() throws(RecError) -> [Argument] {
        guard current.isOp("{"), !noTrailingClosure else { return [] }
        return [Argument(label: nil, value: try closure())]
    }

    private mutating func primary() throws(RecError) -> Expr {
        let t = current
        switch t.kind {
        case .int(let v): advance(); return LiteralExpr(.int(v), t.location)
        case .float(let v): advance(); return LiteralExpr(.double(v), t.location)
        case .string(let parts): advance(); return try stringLiteral(parts, t.location)
        case .keyword(.true): advance(); return LiteralExpr(.bool(true), t.location)
        case .keyword(.false): advance(); return LiteralExpr(.bool(false), t.location)
        case .keyword(.nil): advance(); return LiteralExpr(.nil, t.location)
        case .identifier(let name): advance(); return IdentifierExpr(name, t.location)
        case .keyword(.if): return try ifExpr()
        case .keyword(.fn):
            advance()
            return try functionRest(name: "<anonymous>", doc: nil, at: t.location)
        case .op("("):
            advance()
            try nest()
            defer { depth -= 1 }
            skipNewlines()
            if case .identifier = current.kind, peekToken().isOp(":") { return try record(t) }
            if current.isOp(")") { throw error("empty parentheses are not a value; use nil or (name: value) for a record") }
            let inner = try expression()
            skipNewlines()
            _ = try expectOp(")", "to close the parenthesis opened at line \(t.location.line)")
            return inner
        case .op("["):
            return try listOrMap()
        case .op("{"):
            return try closure()
        case .newline, .eof:
            throw error("expected an expression, found \(describe(t))")
        default:
            throw error("expected an expression, found \(describe(t))")
        }
    }

    private mutating func record(_ open: Token) throws(RecError) -> Expr {
        var fields: [(String, Expr)] = []
        while !current.isOp(")") {
            let (name, _) = try expectIdentifier("a field name")
            if fields.contains(where: { $0.0 == name }) { throw error("duplicate field '\(name)'", at: tokens[index - 1]) }
            _ = try expectOp(":", "after the field name")
            fields.append((name, try expression()))
            skipNewlines()
            if current.isOp(",") { advance(); skipNewlines() } else if !current.isOp(")") {
                throw error("expected ',' or ')' in the record, found \(describe(current))")
            }
        }
        advance()
        return RecordExpr(fields, open.location)
    }

    private mutating func listOrMap() throws(RecError) -> Expr {
        let open = advance()
        try nest()
        defer { depth -= 1 }
        skipNewlines()
        if current.isOp(":") {
            advance(); skipNewlines()
            _ = try expectOp("]", "after '[:' (the empty map)")
            return MapExpr([], open.location)
        }
        if current.isOp("]") { advance(); return ListExpr([], open.location) }
        let first = try expression()
        skipNewlines()
        if current.isOp(":") {
            advance(); skipNewlines()
            var entries = [(first, try expression())]
            skipNewlines()
            while current.isOp(",") {
                advance(); skipNewlines()
                if current.isOp("]") { break }
                let key = try expression()
                skipNewlines()
                _ = try expectOp(":", "between a map key and its value")
                skipNewlines()
                entries.append((key, try expression()))
                skipNewlines()
            }
            _ = try expectOp("]", "to close the map opened at line \(open.location.line)")
            return MapExpr(entries, open.location)
        }
        var elements = [first]
        while current.isOp(",") {
            advance(); skipNewlines()
            if current.isOp("]") { break }
            elements.append(try expression())
            skipNewlines()
        }
        _ = try expectOp("]", "to close the list opened at line \(open.location.line)")
        return ListExpr(elements, open.location)
    }

    /// `{ a, b in body }` or `{ body }` (no parameters).
    private mutating func closure() throws(RecError) -> Expr {
        let open = current
        var params: [Parameter] = []
        // Parameters are a comma-separated list of names followed by `in`.
        var i = index + 1
        var names: [(String, SourceLocation)] = []
        var hasParams = false
        scan: while i < tokens.count {
            guard case .identifier(let n) = tokens[i].kind else { break }
            names.append((n, tokens[i].location))
            i += 1
            if tokens[i].isKeyword(.in) { hasParams = true; break scan }
            if tokens[i].isOp(",") { i += 1; continue }
            break
        }
        if hasParams {
            for (n, loc) in names {
                if params.contains(where: { $0.name == n }) { throw error("duplicate parameter '\(n)'", at: open) }
                params.append(Parameter(name: n, defaultValue: nil, location: loc))
            }
            // Re-slice: drop the parameter tokens so that block() sees `{ body }`.
            var body = try closureBody(open: open, skipTo: i + 1)
            body = BlockExpr(body.statements, open.location)
            return FunctionExpr(name: "<closure>", parameters: params, body: body, doc: nil, open.location)
        }
        let body = try block("to open the closure")
        return FunctionExpr(name: "<closure>", parameters: [], body: body, doc: nil, open.location)
    }

    private mutating func closureBody(open: Token, skipTo: Int) throws(RecError) -> BlockExpr {
        advance() // '{'
        index = skipTo
        try nest()
        defer { depth -= 1 }
        let saved = noTrailingClosure
        noTrailingClosure = false
        defer { noTrailingClosure = saved }
        return BlockExpr(try statements(closing: open, "closure"), open.location)
    }

    private mutating func ifExpr() throws(RecError) -> Expr {
        let t = advance()
        let cond = try condition()
        let then = try block("after the if condition")
        var otherwise: Expr? = nil
        if current.isKeyword(.else) || continuesOnNextLine(["else"]) {
            skipNewlines()
            advance()
            if current.isKeyword(.if) {
                try nest()
                defer { depth -= 1 }
                otherwise = try ifExpr()
            } else {
                otherwise = try block("after 'else'")
            }
        }
        return IfExpr(cond, then, otherwise, t.location)
    }

    private mutating func stringLiteral(_ parts: [StringPart], _ loc: SourceLocation) throws(RecError) -> Expr {
        if parts.count == 1, case .text(let s) = parts[0] { return LiteralExpr(.string(s), loc) }
        var out: [InterpolationExpr.Part] = []
        for part in parts {
            switch part {
            case .text(let s): out.append(.text(s))
            case .code(let toks, _):
                var sub = Parser(tokens: toks, file: file)
                sub.depth = depth
                // The string is closed, so more input cannot fix its code: never "incomplete".
                let e: Expr
                do { e = try sub.expression() } catch {
                    error.incompleteInput = false
                    abandoned = abandoned || sub.abandoned
                    throw error
                }
                sub.skipNewlines()
                guard sub.atEnd else { throw sub.error("expected ')' to end the interpolation, found \(sub.describe(sub.current))") }
                out.append(.expr(e))
            }
        }
        return InterpolationExpr(out, loc)
    }
}
