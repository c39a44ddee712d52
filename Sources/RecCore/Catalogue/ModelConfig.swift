// A model kind with its parameter values, validated once; and the blueprint a model is built from.

/// A model kind and a value for each of its parameters (the defaults filled in), every value
/// checked against its declaration and the kind's rules between parameters.
public struct ModelConfig: Sendable {
    public let kind: ModelKind
    /// In declaration order.
    public let values: [(name: String, value: ParameterValue)]

    public init(_ kind: ModelKind, _ given: [String: ParameterValue]) throws(ModelConfigError) {
        for name in given.keys.sorted() where kind.parameter(name) == nil {
            throw ModelConfigError(parameter: name, message: "\(kind.name)() has no parameter '\(name)'")
        }
        var values: [(name: String, value: ParameterValue)] = []
        var known: [String: ParameterValue] = [:]
        for p in kind.parameters where p.derivedDefault == nil || given[p.name] != nil {
            known[p.name] = given[p.name] ?? p.defaultValue
        }
        for p in kind.parameters {
            if p.isRequired && given[p.name] == nil {
                throw ModelConfigError(parameter: p.name, message: "\(kind.name)(): missing argument '\(p.name)'")
            }
            let v = known[p.name] ?? p.derivedDefault.map { $0(known) } ?? p.defaultValue
            do { try p.validate(v) } catch {
                throw ModelConfigError(parameter: p.name, message: "\(kind.name)(): \(error.message)")
            }
            values.append((p.name, v))
        }
        self.kind = kind
        self.values = values
        do { try kind.check(self) } catch {
            throw ModelConfigError(parameter: error.parameter, message: "\(kind.name)(): \(error.message)")
        }
    }

    public subscript(_ name: String) -> ParameterValue {
        guard let v = values.first(where: { $0.name == name })?.value else {
            preconditionFailure("\(kind.name) declares no parameter \(name)")
        }
        return v
    }

    // Typed reads for `make`: the value was validated against the declared domain, so a
    // mismatch is a mistake in the declaration (caught by the catalogue's contract test).
    public func int(_ name: String) -> Int { if case .int(let v) = self[name] { return v }; preconditionFailure("\(kind.name).\(name) is not an Int") }
    public func double(_ name: String) -> Double { if case .double(let v) = self[name] { return v }; preconditionFailure("\(kind.name).\(name) is not a Float") }
    public func float(_ name: String) -> Float { Float(double(name)) }
    public func bool(_ name: String) -> Bool { if case .bool(let v) = self[name] { return v }; preconditionFailure("\(kind.name).\(name) is not a Bool") }
    public func string(_ name: String) -> String { if case .string(let v) = self[name] { return v }; preconditionFailure("\(kind.name).\(name) is not a String") }
    public func optionalString(_ name: String) -> String? { if case .string(let v) = self[name] { return v }; return nil }
    public func optionalDouble(_ name: String) -> Double? { if case .double(let v) = self[name] { return v }; return nil }
    public func ints(_ name: String) -> [Int] { if case .ints(let v) = self[name] { return v }; preconditionFailure("\(kind.name).\(name) is not a List of Ints") }
    public func doubles(_ name: String) -> [Double]? { if case .doubles(let v) = self[name] { return v }; return nil }
    public func strings(_ name: String) -> [String] { if case .strings(let v) = self[name] { return v }; preconditionFailure("\(kind.name).\(name) is not a List of Strings") }
    public func model(_ name: String) -> ModelBlueprint { if case .model(let v) = self[name] { return v }; preconditionFailure("\(kind.name).\(name) is not a Model") }
    public func models(_ name: String) -> [ModelBlueprint] { if case .models(let v) = self[name] { return v }; preconditionFailure("\(kind.name).\(name) is not a List of Models") }

    public var input: ModelInput { kind.input(self) }
    public var capabilities: ModelCapabilities { kind.capabilities(self) }

    /// A new, unfitted model.
    public func make() throws -> any Recommender { try kind.make(self) }

    /// `biased_mf(factors: 50, epochs: 40, …)`.
    public var description: String {
        kind.name + "(" + values.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + ")"
    }
}

/// A model defined outside the catalogue: one written in a host language (Rec's `custom_model`),
/// which the core can fit and score but not save or rebuild from parameters.
public struct ExternalModel: Sendable {
    public let name: String
    public let input: ModelInput
    public let capabilities: ModelCapabilities
    public let make: @Sendable () throws -> any Recommender
    public init(name: String, input: ModelInput, capabilities: ModelCapabilities, make: @escaping @Sendable () throws -> any Recommender) {
        self.name = name; self.input = input; self.capabilities = capabilities; self.make = make
    }
}

/// What a model is built from: a catalogue configuration or an external definition.
public enum ModelBlueprint: Sendable, Equatable {
    case config(ModelConfig)
    case external(ExternalModel)

    public var name: String {
        switch self {
        case .config(let c): return c.kind.name
        case .external(let e): return e.name
        }
    }
    public var input: ModelInput {
        switch self {
        case .config(let c): return c.input
        case .external(let e): return e.input
        }
    }
    public var capabilities: ModelCapabilities {
        switch self {
        case .config(let c): return c.capabilities
        case .external(let e): return e.capabilities
        }
    }
    public func make() throws -> any Recommender {
        switch self {
        case .config(let c): return try c.make()
        case .external(let e): return try e.make()
        }
    }

    /// Configurations compare by kind and values; external models by identity of name only
    /// (they are never saved, so equality serves display and tests).
    public static func == (a: ModelBlueprint, b: ModelBlueprint) -> Bool {
        switch (a, b) {
        case let (.config(x), .config(y)):
            return x.kind.name == y.kind.name && x.values.elementsEqual(y.values) { $0.name == $1.name && $0.value == $1.value }
        case let (.external(x), .external(y)): return x.name == y.name
        default: return false
        }
    }
}
