import RecCore

/// Hyper-parameter values crossing between Rec and the model catalogue: Rec values into the
/// catalogue's `ParameterValue`s (type errors name the parameter; ranges and rules are then
/// checked by the catalogue's own declaration), and back for display, `model.params`,
/// experiments and saving.
enum ModelParameters {
    /// `v` as a value of parameter `p`, or a type error naming it.
    static func parameterValue(_ v: Value, for p: HyperParameter, in function: String) throws(RecError) -> ParameterValue {
        func typeError() -> RecError {
            RecError(.type, "\(function)(): argument '\(p.name)' must be \(p.domainText), got \(v.aTypeName)")
        }
        func int(_ x: Value) -> Int? {
            switch x {
            case .int(let i): return i
            case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: return Int(d)
            default: return nil
            }
        }
        func items() throws(RecError) -> [Value] {
            guard case .list(let l) = v else { throw typeError() }
            return l.items
        }
        if case .nil = v { return .none }
        switch p.domain {
        case .int:
            guard let i = int(v) else { throw typeError() }
            return .int(i)
        case .double:
            guard let d = Ops.number(v) else { throw typeError() }
            return .double(d)
        case .bool:
            guard case .bool(let b) = v else { throw typeError() }
            return .bool(b)
        case .choice, .text:
            guard case .string(let s) = v else { throw typeError() }
            return .string(s)
        case .ints:
            var out: [Int] = []
            for x in try items() { guard let i = int(x) else { throw typeError() }; out.append(i) }
            return .ints(out)
        case .doubles:
            var out: [Double] = []
            for x in try items() { guard let d = Ops.number(x) else { throw typeError() }; out.append(d) }
            return .doubles(out)
        case .strings:
            var out: [String] = []
            for x in try items() { guard case .string(let s) = x else { throw typeError() }; out.append(s) }
            return .strings(out)
        case .models:
            var out: [ModelBlueprint] = []
            for x in try items() {
                guard case .native(let m as ModelObject) = x else { throw typeError() }
                out.append(m.blueprint)
            }
            return .models(out)
        case .model:
            guard case .native(let m as ModelObject) = v else { throw typeError() }
            return .model(m.blueprint)
        }
    }

    /// A configuration of `kind` from named Rec values (nil values are "not given").
    static func config(_ kind: ModelKind, _ given: [(String, Value)]) throws(RecError) -> ModelConfig {
        var values: [String: ParameterValue] = [:]
        for (name, v) in given {
            guard let p = kind.parameter(name) else {
                throw RecError(.type, "\(kind.name)() has no parameter '\(name)'")
            }
            if case .nil = v { continue }
            values[name] = try parameterValue(v, for: p, in: kind.name)
        }
        do { return try kind.configure(values) } catch { throw RecError(.value, error.message) }
    }

    /// A parameter value as Rec shows it.
    static func value(of p: ParameterValue) -> Value {
        switch p {
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .ints(let xs): return .list(ListRef(xs.map { .int($0) }))
        case .doubles(let xs): return .list(ListRef(xs.map { .double($0) }))
        case .strings(let xs): return .list(ListRef(xs.map { .string($0) }))
        case .models(let ms): return .list(ListRef(ms.compactMap { try? ModelObject($0) }.map { .native($0) }))
        case .model(let m): return (try? ModelObject(m)).map { .native($0) } ?? .nil
        case .none: return .nil
        }
    }
}
