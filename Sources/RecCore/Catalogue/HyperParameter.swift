// Hyper-parameters as data: the one declaration of a model parameter's name, type, default, valid
// range, documentation and search values, from which constructors, validation, help, docs,
// completion, persistence and grid search are all derived.

/// A hyper-parameter's value.
public indirect enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case ints([Int])
    case doubles([Double])
    case strings([String])
    /// Component models (hybrid).
    case models([ModelBlueprint])
    /// One component model (the base of a channel model).
    case model(ModelBlueprint)
    /// Not given, for optional parameters without a default (`popularity(by:)`).
    case none

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : String(d)
        case .bool(let b): return String(b)
        case .string(let s): return "\"\(s)\""
        case .ints(let xs): return "[" + xs.map(String.init).joined(separator: ", ") + "]"
        case .doubles(let xs): return "[" + xs.map { ParameterValue.double($0).description }.joined(separator: ", ") + "]"
        case .strings(let xs): return "[" + xs.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        case .models(let ms): return "[" + ms.map(\.name).joined(separator: ", ") + "]"
        case .model(let m): return m.name
        case .none: return "nil"
        }
    }
}

/// One hyper-parameter of a model kind.
public struct HyperParameter: Sendable {
    /// What values the parameter takes.
    public enum Domain: Sendable, Equatable {
        case int(ClosedRange<Int>)
        /// A finite number in [min, max], or (min, max] when `minExclusive`.
        case double(min: Double, max: Double, minExclusive: Bool)
        case bool
        /// One of these strings.
        case choice([String])
        /// Any non-empty string (an attribute name).
        case text
        /// A list of Ints each in the range, at least `minCount` of them.
        case ints(ClosedRange<Int>, minCount: Int)
        /// A list of finite numbers, at least `minCount` of them.
        case doubles(minCount: Int)
        /// A list of non-empty strings, at least `minCount` of them.
        case strings(minCount: Int)
        /// A list of component models, at least `minCount` of them.
        case models(minCount: Int)
        /// One component model.
        case model
    }

    public let name: String
    public let domain: Domain
    /// The value used when none is given (`.none` for optional parameters without one).
    public let defaultValue: ParameterValue
    /// One line for help, docs and completion.
    public let doc: String
    /// Values `grid_search` tries when asked to search this parameter without values of its own.
    public let searchValues: [ParameterValue]
    /// Must be given (no default at all, not even "none").
    public private(set) var isRequired = false
    /// A default that depends on the other parameters (als's reg: 0.01 for implicit feedback,
    /// 0.1 for ratings), applied when the parameter is not given; `defaultText` says it in docs.
    public private(set) var derivedDefault: (@Sendable ([String: ParameterValue]) -> ParameterValue)?
    public private(set) var defaultText: String?

    public init(_ name: String, _ domain: Domain, default value: ParameterValue, doc: String, search: [ParameterValue] = []) {
        self.name = name; self.domain = domain; self.defaultValue = value; self.doc = doc; self.searchValues = search
    }

    /// This parameter without a default: every call must give it.
    public func required() -> HyperParameter { var p = self; p.isRequired = true; return p }

    /// This parameter with a default computed from the others, described as `text` in docs.
    public func derived(_ text: String, _ rule: @escaping @Sendable ([String: ParameterValue]) -> ParameterValue) -> HyperParameter {
        var p = self; p.derivedDefault = rule; p.defaultText = text; return p
    }

    public static func int(_ name: String, _ value: Int, _ range: ClosedRange<Int>, _ doc: String, search: [Int] = []) -> HyperParameter {
        HyperParameter(name, .int(range), default: .int(value), doc: doc, search: search.map { .int($0) })
    }
    /// A finite number ≥ `min` (> `min` when `exclusive`), at most `max`.
    public static func double(_ name: String, _ value: Double?, min: Double, max: Double = .greatestFiniteMagnitude,
                              exclusive: Bool = false, _ doc: String, search: [Double] = []) -> HyperParameter {
        HyperParameter(name, .double(min: min, max: max, minExclusive: exclusive), default: value.map { .double($0) } ?? .none,
                       doc: doc, search: search.map { .double($0) })
    }
    public static func bool(_ name: String, _ value: Bool, _ doc: String) -> HyperParameter {
        HyperParameter(name, .bool, default: .bool(value), doc: doc)
    }
    public static func choice(_ name: String, _ value: String, _ choices: [String], _ doc: String) -> HyperParameter {
        HyperParameter(name, .choice(choices), default: .string(value), doc: doc)
    }
    /// The seed every random model takes (any Int).
    public static let seed = HyperParameter.int("seed", 42, Int.min...Int.max, "seed of the random number generator (same seed, same model)")

    /// The type as a user reads it: `Int`, `Float`, `Bool`, `String`, `List`.
    public var typeName: String {
        switch domain {
        case .int: return "Int"
        case .double: return "Float"
        case .bool: return "Bool"
        case .choice, .text: return "String"
        case .ints, .doubles, .strings, .models: return "List"
        case .model: return "Model"
        }
    }

    /// "between 1 and 10000", "a positive number", "\"cosine\" or \"pearson\"".
    public var domainText: String {
        switch domain {
        case .int(let r):
            if r == Int.min...Int.max { return "an Int" }
            if r.upperBound == .max { return "at least \(r.lowerBound)" }
            return "between \(r.lowerBound) and \(r.upperBound)"
        case let .double(min, max, exclusive):
            if min == 0 && max == .greatestFiniteMagnitude { return exclusive ? "a positive number" : "a number ≥ 0" }
            if max == .greatestFiniteMagnitude { return "a number \(exclusive ? ">" : "≥") \(ParameterValue.double(min))" }
            return "a number in \(exclusive ? "(" : "[")\(ParameterValue.double(min)), \(ParameterValue.double(max))]"
        case .bool: return "true or false"
        case .choice(let cs):
            let q = cs.map { "\"\($0)\"" }
            return q.count <= 1 ? q.joined() : q.dropLast().joined(separator: ", ") + " or " + q.last!
        case .text: return "a non-empty String"
        case let .ints(r, n): return "a List of \(n > 0 ? "at least \(n) " : "")Ints between \(r.lowerBound) and \(r.upperBound)"
        case .doubles(let n): return "a List of \(n > 0 ? "at least \(n) " : "")numbers"
        case .strings(let n): return "a List of \(n > 0 ? "at least \(n) " : "")Strings"
        case .models(let n): return "a List of \(n > 0 ? "at least \(n) " : "")Models"
        case .model: return "a Model"
        }
    }

    /// Checks `value` against the domain; the message names the parameter and the limit.
    public func validate(_ value: ParameterValue) throws(ModelConfigError) {
        func fail(_ got: String) -> ModelConfigError {
            ModelConfigError(parameter: name, message: "argument '\(name)' must be \(domainText), got \(got)")
        }
        switch (domain, value) {
        case (_, .none) where defaultValue == .none && !isRequired: return
        case (.int(let r), .int(let v)): if !r.contains(v) { throw fail(String(v)) }
        case let (.double(min, max, exclusive), .double(v)):
            if !(v.isFinite && (exclusive ? v > min : v >= min) && v <= max) { throw fail(ParameterValue.double(v).description) }
        case (.bool, .bool): return
        case (.choice(let cs), .string(let s)): if !cs.contains(s) { throw fail("\"\(s)\"") }
        case (.text, .string(let s)): if s.isEmpty { throw fail("\"\"") }
        case let (.ints(r, n), .ints(xs)):
            if xs.count < n || xs.contains(where: { !r.contains($0) }) { throw fail(value.description) }
        case let (.doubles(n), .doubles(xs)):
            if xs.count < n || xs.contains(where: { !$0.isFinite }) { throw fail(value.description) }
        case let (.strings(n), .strings(xs)):
            if xs.count < n || xs.contains(where: \.isEmpty) { throw fail(value.description) }
        case let (.models(n), .models(ms)): if ms.count < n { throw fail("\(ms.count) models") }
        case (.model, .model): return
        default: throw fail(value.description)
        }
    }
}

/// A hyper-parameter value that is not allowed: unknown name, wrong type, out of range, or a rule
/// between parameters.
public struct ModelConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The parameter at fault (nil for rules about several).
    public let parameter: String?
    public let message: String
    public init(parameter: String?, message: String) { self.parameter = parameter; self.message = message }
    public var description: String { message }
}
