import RecCore

/// Cutting numbers into labelled ranges: `cut` and the `bins:` argument of the builtins that
/// group by an attribute. Thin bindings onto RecCore's `Bins`.
enum BinningBuiltins {
    /// The `bins:` argument (ascending numbers) when given; `name` is the parameter it came from.
    static func bins(_ a: Arguments, _ name: String = "bins") throws -> [Double]? {
        guard a.has(name) else { return nil }
        return try a.list(name).items.map { v in
            guard let x = Ops.number(v) else { throw a.typeError(name, expected: "a List of numbers", got: v) }
            return x
        }
    }

    /// Passes on a grouping's note (e.g. "age is numeric with 61 values…") as a warning.
    static func warnNote(_ note: String?, _ a: Arguments) {
        if let note { a.interpreter.warn("\(a.spec.name)(): \(note)", at: a.location) }
    }

    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("cut", [.required("source"), .optional("column"), .optional("bins", "List"), .optional("name", "String")],
                        category: "Data",
                        doc: """
                        Cuts numbers into labelled ranges at ascending edges: bins [18, 25, 35, 50] make "<18", "18-24", "25-34",
                        "35-49" and "50+" for whole numbers (ranges are [a, b): 25 is in "25-34"), and "<0.5", "[0.5, 1.0)", "≥2.0" for
                        fractional ones. Labels sort in bin order in evaluate/exposure tables.
                        cut(xs, bins): a List of numbers → a List of labels (nil stays nil).
                        cut(table, column, bins: […], name:): the table with a String column of labels (name defaults to column + "_band").
                        cut(data, attribute, bins: […], name:): the dataset with a new user (or item) attribute, ready for by: in evaluate,
                        exposure, popularity or describe.
                        Example: let banded = cut(d, "age", bins: [18, 25, 35, 50], name: "age_band"); evaluate(m, s, by: "age_band")
                        """) { a in
                let source = try a.any("source")
                if case .list(let l) = source {
                    // cut(xs, [edges]): the second argument is the edges.
                    var edges = try bins(a)
                    if edges == nil, case .list? = a.value("column") { edges = try bins(a, "column") }
                    guard let edges else { throw a.error("cut(): give the edges, e.g. cut(xs, [18, 25, 35, 50])") }
                    var integral = true
                    let xs = try l.items.enumerated().map { (i, v) -> Double? in
                        switch v {
                        case .nil: return nil
                        case .int(let x): return Double(x)
                        case .double(let x): integral = false; return x
                        default: throw a.error("cut(): item \(i) is \(v.aTypeName); only numbers (and nil) can be cut", kind: .type)
                        }
                    }
                    let b = try DataBuiltins.rethrow(a) { try Bins(edges: edges, integral: integral) }
                    return .list(ListRef(xs.map { x in x.flatMap { b.label($0) }.map(Value.string) ?? .nil }))
                }
                guard let column = try a.optionalString("column") else {
                    throw a.error("cut(): name the column or attribute to cut, e.g. cut(data, \"age\", bins: [18, 25, 35, 50])")
                }
                guard let edges = try bins(a) else { throw a.error("cut(): give bins: [edges], e.g. bins: [18, 25, 35, 50]") }
                let name = try a.optionalString("name") ?? column + "_band"
                switch source {
                case .native(let o as TableObject):
                    return TableBuiltins.wrap(try DataBuiltins.rethrow(a) { try o.table.cutting(column, bins: edges, as: name) })
                case .native(let o as DatasetObject):
                    return DataBuiltins.wrap(try DataBuiltins.rethrow(a) { try o.data.cutting(column, bins: edges, as: name) })
                default:
                    throw a.typeError("source", expected: "a List of numbers, a Table or a Dataset", got: source)
                }
            },
        ])
    }
}
