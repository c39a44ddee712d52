/// The one place builtins are registered. `help`, REPL completion, `:help` and docs/builtins.md
/// are all generated from it.
public final class BuiltinRegistry {
    public private(set) var specs: [String: BuiltinSpec] = [:]
    public private(set) var order: [String] = []

    public init() {}

    public func register(_ spec: BuiltinSpec) {
        precondition(specs[spec.name] == nil, "builtin \(spec.name) registered twice")
        specs[spec.name] = spec
        order.append(spec.name)
    }

    public func register(_ all: [BuiltinSpec]) { all.forEach(register) }

    public subscript(name: String) -> BuiltinSpec? { specs[name] }

    /// Categories in registration order, each with its builtins sorted by name.
    public var byCategory: [(String, [BuiltinSpec])] {
        var cats: [String] = []
        var groups: [String: [BuiltinSpec]] = [:]
        for n in order {
            let s = specs[n]!
            if groups[s.category] == nil { cats.append(s.category) }
            groups[s.category, default: []].append(s)
        }
        return cats.map { ($0, groups[$0]!.sorted { $0.name < $1.name }) }
    }

    /// Every builtin the language ships with. Later modules (data, models, metrics) add their
    /// `register(into:)` call here.
    public static func standard() -> BuiltinRegistry {
        let r = BuiltinRegistry()
        CoreBuiltins.register(into: r)
        CollectionBuiltins.register(into: r)
        StringBuiltins.register(into: r)
        MathBuiltins.register(into: r)
        TableBuiltins.register(into: r)
        DataBuiltins.register(into: r)
        BinningBuiltins.register(into: r)
        PrepareBuiltins.register(into: r)
        WorkspaceBuiltins.register(into: r)
        ModelBuiltins.register(into: r)
        EvaluationBuiltins.register(into: r)
        FairnessBuiltins.register(into: r)
        RerankBuiltins.register(into: r)
        NetworkBuiltins.register(into: r)
        PlotBuiltins.register(into: r)
        ChannelBuiltins.register(into: r)
        PrivacyBuiltins.register(into: r)
        DynamicsBuiltins.register(into: r)
        return r
    }

    /// docs/builtins.md, generated (a test keeps the checked-in copy current).
    public func markdownReference() -> String {
        var out = "# Builtin functions\n\nGenerated from the builtin registry by `rec --builtins-markdown`; do not edit by hand.\n"
        out += "Functions written in Rec itself live in Stdlib/ (see docs/stdlib.md).\n"
        for (cat, specs) in byCategory {
            out += "\n## \(cat)\n"
            for s in specs {
                out += "\n### `\(s.name)`\n\n```\n\(s.signature)\n```\n\n\(s.doc)\n"
                if let limits = s.limitsText { out += "\nLimits: \(limits).\n" }
            }
        }
        return out
    }
}
