import RecCore

/// The model constructors, generated from the model catalogue (RecCore/Catalogue): one builtin
/// per `ModelKind`, whose parameters, defaults, limits and help come from the kind's declaration.
/// Nothing about a model is restated here.
enum CatalogueBuiltins {
    static func register(into r: BuiltinRegistry) {
        r.register(ModelCatalogue.kinds.map(spec))
    }

    static func spec(_ kind: ModelKind) -> BuiltinSpec {
        let params: [BuiltinParam] = kind.parameters.map { p in
            var range: ClosedRange<Int>? = nil
            if case .int(let r) = p.domain { range = r }
            if p.isRequired { return .required(p.name, p.typeName) }
            return .optional(p.name, p.typeName, default: ModelParameters.value(of: p.defaultValue), range: range)
        }
        return BuiltinSpec(kind.name, params, returns: "Model", category: ModelBuiltins.cat, doc: doc(kind)) { a in
            let given = kind.parameters.map { p in (p.name, a.value(p.name) ?? .nil) }
            return .native(try ModelObject(.config(try ModelParameters.config(kind, given))))
        }
    }

    /// Summary line, details, the parameters (with defaults and limits), what it reads and offers,
    /// and the paper: what `help(name)` and docs/builtins.md show.
    static func doc(_ kind: ModelKind) -> String {
        var lines = [kind.summary]
        if !kind.details.isEmpty { lines.append(kind.details.trimmingCharacters(in: .newlines)) }
        for p in kind.parameters {
            var line = "- \(p.name): \(p.doc)"
            if let d = p.defaultText { line += " (default \(d))" }
            line += "; \(p.domainText)"
            if !p.searchValues.isEmpty { line += "; grid_search tries " + p.searchValues.map(\.description).joined(separator: ", ") }
            line += "."
            lines.append(line)
        }
        let sample = try? kind.configure()
        if let sample {
            lines.append("Reads \(sample.input.text); offers: \(sample.capabilities.names.joined(separator: ", ")).")
        }
        lines.append("Paper: \(kind.paper).")
        return lines.joined(separator: "\n")
    }
}
