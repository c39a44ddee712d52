/// One parameter of a builtin: positional or named, optional with a default, or variadic.
public struct BuiltinParam {
    public let name: String
    /// A short type hint shown in signatures (`Int`, `List`, `Model` …); empty for any value.
    public let type: String
    public let defaultValue: Value?
    public let isVariadic: Bool
    public let isOptional: Bool
    /// The values an `Int` parameter accepts; `Arguments.int` enforces it, so a size or count is
    /// checked before anything is allocated with it. Every `Int` parameter declares one (a test
    /// holds the registry to it); seeds and other unrestricted integers use `BuiltinParam.anyInt`.
    public let range: ClosedRange<Int>?

    /// Any integer (seeds, offsets).
    public static let anyInt: ClosedRange<Int> = Int.min...Int.max

    /// A required parameter.
    public static func required(_ name: String, _ type: String = "", range: ClosedRange<Int>? = nil) -> BuiltinParam {
        BuiltinParam(name: name, type: type, defaultValue: nil, isVariadic: false, isOptional: false, range: range)
    }
    /// A parameter with a default value; callers usually pass it by name.
    public static func optional(_ name: String, _ type: String = "", default value: Value = .nil,
                                range: ClosedRange<Int>? = nil) -> BuiltinParam {
        BuiltinParam(name: name, type: type, defaultValue: value, isVariadic: false, isOptional: true, range: range)
    }
    /// Takes all remaining positional arguments as a list.
    public static func variadic(_ name: String, _ type: String = "") -> BuiltinParam {
        BuiltinParam(name: name, type: type, defaultValue: nil, isVariadic: true, isOptional: true, range: nil)
    }

    /// "between 1 and 65536", "at least 1", "at most 0" — for error messages and docs.
    public var rangeText: String? {
        guard let r = range, r != BuiltinParam.anyInt else { return nil }
        if r.upperBound == .max { return "at least \(r.lowerBound)" }
        if r.lowerBound == .min { return "at most \(r.upperBound)" }
        return "between \(r.lowerBound) and \(r.upperBound)"
    }
}

/// The declaration of a builtin function: everything `help`, completion and docs/ show, plus
/// the Swift implementation.
public struct BuiltinSpec {
    public let name: String
    public let params: [BuiltinParam]
    public let returns: String
    public let category: String
    /// The first line is a summary; the rest is detail (examples, edge cases).
    public let doc: String
    public let impl: (inout Arguments) throws -> Value

    public init(_ name: String, _ params: [BuiltinParam], returns: String = "", category: String,
                doc: String, impl: @escaping (inout Arguments) throws -> Value) {
        self.name = name
        self.params = params
        self.returns = returns
        self.category = category
        self.doc = doc
        self.impl = impl
    }

    /// One-line signature, e.g. `recommend(model: Model, user, k: 10) -> Table`.
    public var signature: String {
        let ps = params.map { p -> String in
            let typed = p.type.isEmpty ? p.name : "\(p.name): \(p.type)"
            if p.isVariadic { return typed + "..." }
            if let d = p.defaultValue { return "\(p.name): \(d.repr)" }
            return typed
        }
        return "\(name)(\(ps.joined(separator: ", ")))" + (returns.isEmpty ? "" : " -> \(returns)")
    }

    /// "`k` at least 1; `factors` between 1 and 65536" (nil when no parameter is restricted).
    public var limitsText: String? {
        let parts = params.compactMap { p in p.rangeText.map { "`\(p.name)` \($0)" } }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    public var summary: String { String(doc.split(separator: "\n", omittingEmptySubsequences: false).first ?? "") }
}

/// A builtin function value.
public final class Builtin {
    public let spec: BuiltinSpec
    init(_ spec: BuiltinSpec) { self.spec = spec }
}

/// The arguments of one builtin call, bound to the declared parameters, with typed accessors
/// that raise errors naming the function and the parameter.
public struct Arguments {
    public let interpreter: Interpreter
    public let location: SourceLocation
    let spec: BuiltinSpec
    /// One entry per declared parameter (nil: not given and no default).
    var bound: [Value?]
    /// Variadic arguments.
    public var rest: [Value]

    /// The slot of parameter `name`. A read of a name the spec does not declare is a bug in the
    /// builtin (BuiltinParameterReadTests finds them in the sources); at run time it is an error
    /// of the call, never a crash of the REPL.
    func index(_ name: String) throws -> Int {
        guard let i = spec.params.firstIndex(where: { $0.name == name }) else {
            throw RecError(.runtime, "\(spec.name)(): internal error: the builtin reads a parameter '\(name)' it does not declare (please report this)", at: location)
        }
        return i
    }

    public func error(_ message: String, kind: RecError.Kind = .value) -> RecError {
        RecError(kind, message, at: location)
    }

    public func typeError(_ name: String, expected: String, got: Value) -> RecError {
        RecError(.type, "\(spec.name)(): argument '\(name)' must be \(expected), got \(got.typeName)", at: location)
    }

    /// The argument bound to `name` (nil if it was omitted and has no default).
    public func value(_ name: String) -> Value? {
        guard let i = try? index(name) else { return nil }
        let v = bound[i]
        if case .some(.nil) = v { return nil }
        return v
    }

    public func has(_ name: String) -> Bool { value(name) != nil }

    /// Whether this builtin takes a parameter `name` at all (helpers shared by several builtins
    /// ask before reading an optional one such as `seed`).
    public func declares(_ name: String) -> Bool { spec.params.contains { $0.name == name } }

    public func any(_ name: String) throws -> Value {
        guard let v = bound[try index(name)] else { throw error("\(spec.name)(): missing argument '\(name)'") }
        return v
    }

    public func int(_ name: String) throws -> Int {
        let i = try index(name)
        guard let v = bound[i] else { throw error("\(spec.name)(): missing argument '\(name)'") }
        let n: Int
        switch v {
        case .int(let x): n = x
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: n = Int(d)
        default: throw typeError(name, expected: "an Int", got: v)
        }
        if let r = spec.params[i].range, !r.contains(n) {
            throw error("\(spec.name)(): argument '\(name)' must be \(spec.params[i].rangeText ?? ""), got \(n)")
        }
        return n
    }

    public func optionalInt(_ name: String) throws -> Int? { has(name) ? try int(name) : nil }

    public func double(_ name: String) throws -> Double {
        let v = try any(name)
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw typeError(name, expected: "a number", got: v)
        }
    }

    public func optionalDouble(_ name: String) throws -> Double? { has(name) ? try double(name) : nil }

    public func string(_ name: String) throws -> String {
        let v = try any(name)
        guard case .string(let s) = v else { throw typeError(name, expected: "a String", got: v) }
        return s
    }

    public func optionalString(_ name: String) throws -> String? { has(name) ? try string(name) : nil }

    public func bool(_ name: String) throws -> Bool {
        let v = try any(name)
        guard case .bool(let b) = v else { throw typeError(name, expected: "a Bool", got: v) }
        return b
    }

    public func list(_ name: String) throws -> ListRef {
        let v = try any(name)
        guard case .list(let l) = v else { throw typeError(name, expected: "a List", got: v) }
        return l
    }

    public func map(_ name: String) throws -> MapRef {
        let v = try any(name)
        guard case .map(let m) = v else { throw typeError(name, expected: "a Map", got: v) }
        return m
    }

    /// Any callable value: a Rec function or a builtin.
    public func function(_ name: String) throws -> Value {
        let v = try any(name)
        switch v {
        case .closure, .builtin: return v
        default: throw typeError(name, expected: "a function", got: v)
        }
    }

    /// A list of strings, e.g. column names.
    public func strings(_ name: String) throws -> [String] {
        let l = try list(name)
        return try l.items.map { item in
            guard case .string(let s) = item else { throw typeError(name, expected: "a List of Strings", got: item) }
            return s
        }
    }

    /// Calls a Rec function (or builtin) from Swift.
    public func call(_ function: Value, _ args: [Value]) throws -> Value {
        try interpreter.call(function, args, at: location)
    }
}
