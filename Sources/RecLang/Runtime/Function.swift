/// What the compiler produces for one function: evaluators for its body and default values, and
/// how to build a frame for it.
public final class FunctionProto {
    public let name: String
    public let parameterNames: [String]
    public let doc: String?
    public let location: SourceLocation
    /// Slot 0 holds the closure itself; parameters follow from slot 1.
    var frameSize: Int
    var body: Eval
    /// Evaluated in the callee's frame when an argument is omitted (so a default may use the
    /// parameters before it).
    var defaults: [Code?]
    var captureSources: [CaptureSource]
    /// Parameters that inner closures capture: boxed on entry.
    var boxedParameters: [Int]
    /// The function's syntax, which the numeric tier compiles (NumericTier.swift); nil for a
    /// program's top level.
    let syntax: FunctionExpr?
    var tierState: TierState = .unknown
    var specializations: [Int: NumericSpecialization] = [:]
    var lastSpecialization: NumericSpecialization?
    var failedSignatures: Set<Int> = []

    init(name: String, parameterNames: [String], doc: String?, location: SourceLocation, frameSize: Int,
         body: @escaping Eval, defaults: [Code?], captureSources: [CaptureSource], boxedParameters: [Int],
         syntax: FunctionExpr? = nil) {
        self.syntax = syntax
        self.name = name
        self.parameterNames = parameterNames
        self.doc = doc
        self.location = location
        self.frameSize = frameSize
        self.body = body
        self.defaults = defaults
        self.captureSources = captureSources
        self.boxedParameters = boxedParameters
        self.arity = parameterNames.count
        self.needsSelf = !captureSources.isEmpty
        self.hasBoxedParameters = !boxedParameters.isEmpty
    }
    let hasBoxedParameters: Bool

    /// Cached for the call fast path.
    let arity: Int
    /// Whether the body reads captures through slot 0 (otherwise the slot is left nil).
    let needsSelf: Bool

    /// `name(a, b, c: …)`: parameters with a default are shown as named.
    public var signature: String {
        let ps = parameterNames.enumerated().map { i, n in defaults[i] == nil ? n : "\(n): …" }
        return "\(name)(\(ps.joined(separator: ", ")))"
    }
}

/// A function value defined in Rec: a prototype plus the boxes of the variables it captured.
public final class Closure {
    public let proto: FunctionProto
    let captures: [Box]
    // Copied from the prototype so a call touches one object.
    let arity: Int
    let frameSize: Int
    let needsSelf: Bool
    let hasBoxedParameters: Bool
    let body: Eval
    init(proto: FunctionProto, captures: [Box]) {
        self.proto = proto
        self.captures = captures
        arity = proto.arity
        frameSize = proto.frameSize
        needsSelf = proto.needsSelf
        hasBoxedParameters = proto.hasBoxedParameters
        body = proto.body
    }
}

/// How control leaves an evaluator other than by producing a value. Typed throws keep these
/// allocation-free: a `return` in a hot recursive function costs a branch, not a heap box.
enum Unwind: Error {
    case breakLoop
    case continueLoop
    case returnValue(Value)
    case error(RecError)
}

/// A compiled expression or statement: evaluates in the frame `fp` points at.
typealias Eval = (UnsafeMutablePointer<Value>) throws(Unwind) -> Value

/// An `Eval` to keep in arrays. A bare closure stored in an Array is re-abstracted to the
/// generic calling convention and every call goes through a thunk; inside a struct it is not.
struct Code {
    let run: Eval
}
