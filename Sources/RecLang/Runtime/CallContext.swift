// What a front end needs to complete the arguments of a call being typed: which function the
// cursor is inside, and which named parameters it takes. Shared by the REPL's completer and the
// Jupyter kernel's `complete_request`.

extension Interpreter {
    /// The function whose argument list `text` ends inside (`biased_mf(fa` → `biased_mf`), with
    /// the parameter names already given in it; nil outside any call. Strings and comments are
    /// skipped; the innermost unclosed `(` counts.
    public static func enclosingCall(of text: String) -> (callee: String, given: Set<String>)? {
        var opens: [(callee: String, given: Set<String>)?] = []
        var inString = false, escaped = false, inComment = false
        var word = "", lastWord = ""
        func identifierChar(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }
        for c in text {
            if inComment { if c == "\n" { inComment = false }; continue }
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            if identifierChar(c) { word.append(c); continue }
            if !word.isEmpty { lastWord = word; word = "" }
            switch c {
            case "\"": inString = true; lastWord = ""
            case "#": inComment = true
            case "(":
                // A call when a name is right before the bracket (`f(`, not `(1 + 2)` or `if (`).
                let callee = lastWord
                opens.append(callee.isEmpty || callee.first!.isNumber ? nil : (callee, []))
                lastWord = ""
            case ")":
                if !opens.isEmpty { opens.removeLast() }
                lastWord = ""
            case ":":
                // `name:` inside the innermost call is a named argument already given.
                if !lastWord.isEmpty, let top = opens.last, var call = top {
                    call.given.insert(lastWord)
                    opens[opens.count - 1] = call
                }
                lastWord = ""
            case " ", "\t": break
            default: lastWord = ""
            }
        }
        return opens.last ?? nil
    }

    /// The parameter names `callee` takes by name: a builtin's declared parameters, or a Rec
    /// function's parameters (any of which may be passed by name); nil when `callee` is neither.
    public func namedParameters(of callee: String) -> [String]? {
        switch lookup(callee) {
        case .builtin(let b)?: return b.spec.params.filter { !$0.isVariadic }.map(\.name)
        case .closure(let c)?: return c.proto.parameterNames
        default: return registry[callee].map { $0.params.filter { !$0.isVariadic }.map(\.name) }
        }
    }
}
