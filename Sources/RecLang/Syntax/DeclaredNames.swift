/// The names a chunk of source declares at its top level (`let`, `var`, `fn` outside any bracket).
/// Hosts that hold more source than has run use it for hints: a notebook renderer tells where a
/// name the failing cell could not find is defined further down.
public enum DeclaredNames {
    public static func topLevel(in file: SourceFile) -> Set<String> {
        guard let tokens = try? Lexer.tokenize(file) else { return [] }
        var depth = 0
        var names = Set<String>()
        for (i, t) in tokens.enumerated() {
            switch t.kind {
            case .op("("), .op("["), .op("{"): depth += 1
            case .op(")"), .op("]"), .op("}"): depth = max(0, depth - 1)
            case .keyword(let k) where depth == 0 && (k == .let || k == .var || k == .fn):
                if i + 1 < tokens.count, case .identifier(let name) = tokens[i + 1].kind { names.insert(name) }
            default: break
            }
        }
        return names
    }
}
