/// A Rec value.
///
/// Scalars are stored inline; lists, maps, records and functions are references (like Python
/// and JavaScript: `let ys = xs` shares the list, and `let` only fixes the binding). Native objects
/// — datasets, models, tables, plots — are subclasses of `NativeObject`.
public enum Value {
    case `nil`
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list(ListRef)
    case map(MapRef)
    case record(RecordRef)
    case range(RangeRef)
    case closure(Closure)
    case builtin(Builtin)
    case native(NativeObject)
    /// A variable captured by a closure lives in a box shared by the frames that see it. Boxes
    /// only ever sit in frame slots; no expression evaluates to one.
    case box(Box)
}

public final class Box {
    public var value: Value
    init(_ value: Value) { self.value = value }
}

public final class ListRef {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
}

public final class RecordRef {
    public let names: [String]
    public var values: [Value]
    public init(names: [String], values: [Value]) { self.names = names; self.values = values }
    public convenience init(_ fields: KeyValuePairs<String, Value>) {
        self.init(names: fields.map(\.key), values: fields.map(\.value))
    }
    public func field(_ name: String) -> Value? {
        guard let i = names.firstIndex(of: name) else { return nil }
        return values[i]
    }
}

public final class RangeRef {
    public let lower: Int
    /// Exclusive upper bound (a closed range `a...b` is stored as `a..<b+1`).
    public let upper: Int
    public let closed: Bool
    public init(lower: Int, upper: Int, closed: Bool) { self.lower = lower; self.upper = upper; self.closed = closed }
    /// The number of elements, saturating at `Int.max` (`Int.min..<Int.max` has 2⁶⁴ − 1).
    public var count: Int {
        guard upper > lower else { return 0 }
        let (d, o) = upper.subtractingReportingOverflow(lower)
        return o ? Int.max : d
    }
}

extension NativeObject {
    var aTypeName: String { Value.withArticle(typeName) }
}

/// Base class of the objects the core hands to the language: datasets, models, tables, plots.
/// Subclasses override what they can show and which members `value.name` reaches.
open class NativeObject {
    public init() {}
    /// The type name shown by `type(x)` and in error messages.
    open var typeName: String { "Object" }
    /// `value.name`: a property, or nil when there is no such member.
    open func member(_ name: String) -> Value? { nil }
    /// Names offered by REPL completion after a dot.
    open var memberNames: [String] { [] }
    /// A one-line or multi-line text form.
    open var textDescription: String { "<\(typeName)>" }
    /// `value[key]`: nil when this object cannot be indexed by `key`'s type.
    open func subscriptValue(_ key: Value) throws -> Value? { nil }
    /// What `for x in value` iterates over, or nil when the object is not a sequence.
    open func elements() -> [Value]? { nil }
    /// The text form under the session's display settings (what `print` and results show);
    /// objects whose size those settings limit, such as tables, override it.
    open func text(_ options: DisplayOptions) -> String { textDescription }
    /// Rich forms for notebooks: at least text/plain; text/html and image/svg+xml where useful.
    open func display(_ options: DisplayOptions) -> DisplayData { DisplayData(["text/plain": text(options)]) }
}

extension Value {
    /// The name `type(x)` prints.
    public var typeName: String {
        switch self {
        case .nil: return "Nil"
        case .bool: return "Bool"
        case .int: return "Int"
        case .double: return "Float"
        case .string: return "String"
        case .list: return "List"
        case .map: return "Map"
        case .record: return "Record"
        case .range: return "Range"
        case .closure, .builtin: return "Function"
        case .native(let o): return o.typeName
        case .box(let b): return b.value.typeName
        }
    }

    /// "an Int", "a Float" … for messages.
    public var aTypeName: String { Value.withArticle(typeName) }

    static func withArticle(_ name: String) -> String {
        guard let first = name.lowercased().first else { return name }
        return ("aeiou".contains(first) ? "an " : "a ") + name
    }

    public var isNil: Bool { if case .nil = self { return true }; return false }

    public static func list(_ items: [Value]) -> Value { .list(ListRef(items)) }
}
