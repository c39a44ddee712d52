/// What notebook hosts need from the parser for papermill-style parameters: the names a
/// parameters cell binds, and values given on a command line read as Rec literals (never run as
/// code, so `-p x=load("…")` cannot do anything).
public enum NotebookParameters {
    /// The names bound by top-level `let`/`var` statements of a parameters cell, in order.
    public static func names(in file: SourceFile) throws(RecError) -> [String] {
        let program = try Parser.parse(file)
        var names: [String] = []
        for case let s as LetStmt in program.statements where !names.contains(s.name) { names.append(s.name) }
        return names
    }

    /// `text` as a Rec literal: a number (optionally negative), a string without interpolation,
    /// `true`, `false`, `nil`, or a list, map or record of literals.
    public static func literal(_ text: String, name: String = "<parameter>") throws(RecError) -> Value {
        let file = SourceFile(name: name, text: text)
        let program = try? Parser.parse(file)
        guard let program, program.statements.count == 1, let s = program.statements.first as? ExprStmt else {
            throw RecError(.value, "\(name): '\(text)' is not a single Rec literal (a number, a \"string\", true, false, nil, or a list, map or record of them)")
        }
        return try value(of: s.expr, name: name, text: text)
    }

    private static func value(of e: Expr, name: String, text: String) throws(RecError) -> Value {
        switch e {
        case let l as LiteralExpr:
            return l.value
        case let u as UnaryExpr where u.op == .negate:
            switch try value(of: u.operand, name: name, text: text) {
            case .int(let i): return .int(-i)
            case .double(let d): return .double(-d)
            default: break
            }
        case let l as ListExpr:
            var out: [Value] = []
            for x in l.elements { out.append(try value(of: x, name: name, text: text)) }
            return .list(ListRef(out))
        case let m as MapExpr:
            let map = MapRef()
            for (k, v) in m.entries { map.set(try value(of: k, name: name, text: text), try value(of: v, name: name, text: text)) }
            return .map(map)
        case let r as RecordExpr:
            var values: [Value] = []
            for (_, v) in r.fields { values.append(try value(of: v, name: name, text: text)) }
            return .record(RecordRef(names: r.fields.map(\.0), values: values))
        default:
            break
        }
        let word = text.first?.isLetter == true && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        let hint = word ? "; quote text: \(name)='\"\(text)\"'" : ""
        throw RecError(.value, "\(name): '\(text)' is not a Rec literal (a number, a \"string\", true, false, nil, or a list, map or record of them)\(hint)")
    }
}
