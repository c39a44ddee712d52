import RecCore
import Foundation

/// Arithmetic, comparison, indexing and member access on values. The compiler inlines the
/// Int/Float fast paths; these are the general cases and the error messages.
enum Ops {
    static func fail(_ kind: RecError.Kind, _ message: String, _ loc: SourceLocation) -> Unwind {
        .error(RecError(kind, message, at: loc))
    }

    static func overflow(_ op: String, _ loc: SourceLocation) -> Unwind {
        fail(.value, "integer overflow in '\(op)' (Int is 64-bit; use a Float for larger values)", loc)
    }

    static func badOperands(_ op: String, _ a: Value, _ b: Value, _ loc: SourceLocation) -> Unwind {
        var msg = "cannot apply '\(op)' to \(a.typeName) and \(b.typeName)"
        if op == "+", (a.typeName == "String") != (b.typeName == "String") {
            msg += "; to build a string use interpolation: \"\\(x)\""
        }
        return fail(.type, msg, loc)
    }

    static func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        switch op {
        case .add: return try add(a, b, loc)
        case .subtract: return try subtract(a, b, loc)
        case .multiply: return try multiply(a, b, loc)
        case .divide: return try divide(a, b, loc)
        case .floorDivide: return try floorDivide(a, b, loc)
        case .modulo: return try modulo(a, b, loc)
        case .power: return try power(a, b, loc)
        case .equal: return .bool(a.isEqual(to: b))
        case .notEqual: return .bool(!a.isEqual(to: b))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let c = a.compare(to: b) else {
                if Ops.number(a) != nil, Ops.number(b) != nil { return .bool(false) } // NaN
                throw fail(.type, "cannot compare \(a.typeName) and \(b.typeName) with '\(op)'", loc)
            }
            switch op {
            case .less: return .bool(c < 0)
            case .lessOrEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        }
    }

    static func add(_ a: Value, _ b: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow("+", loc) }
            return .int(r)
        case let (.double(x), .double(y)): return .double(x + y)
        case let (.int(x), .double(y)): return .double(Double(x) + y)
        case let (.double(x), .int(y)): return .double(x + Double(y))
        case let (.string(x), .string(y)): return .string(x + y)
        case let (.list(x), .list(y)): return .list(ListRef(x.items + y.items))
        default: throw badOperands("+", a, b, loc)
        }
    }

    static func subtract(_ a: Value, _ b: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow("-", loc) }
            return .int(r)
        case let (.double(x), .double(y)): return .double(x - y)
        case let (.int(x), .double(y)): return .double(Double(x) - y)
        case let (.double(x), .int(y)): return .double(x - Double(y))
        default: throw badOperands("-", a, b, loc)
        }
    }

    static func multiply(_ a: Value, _ b: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow("*", loc) }
            return .int(r)
        case let (.double(x), .double(y)): return .double(x * y)
        case let (.int(x), .double(y)): return .double(Double(x) * y)
        case let (.double(x), .int(y)): return .double(x * Double(y))
        case let (.string(s), .int(n)), let (.int(n), .string(s)):
            guard n >= 0 else { throw fail(.value, "cannot repeat a string a negative number of times", loc) }
            try requireMemory(MemoryBudget.product(s.utf8.count, n), of: UInt8.self,
                              for: "repeating a string of \(s.utf8.count) bytes \(n) times", loc)
            return .string(String(repeating: s, count: n))
        case let (.list(l), .int(n)), let (.int(n), .list(l)):
            guard n >= 0 else { throw fail(.value, "cannot repeat a list a negative number of times", loc) }
            try requireMemory(MemoryBudget.product(l.items.count, n), of: Value.self,
                              for: "repeating a list of \(l.items.count) elements \(n) times", loc)
            var items: [Value] = []
            items.reserveCapacity(l.items.count * n)
            for _ in 0..<n { items.append(contentsOf: l.items) }
            return .list(ListRef(items))
        default: throw badOperands("*", a, b, loc)
        }
    }

    static func divide(_ a: Value, _ b: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        guard let x = number(a), let y = number(b) else { throw badOperands("/", a, b, loc) }
        if y == 0 { throw fail(.value, "division by zero", loc) }
        return .double(x / y)
    }

    static func floorDivide(_ a: Value, _ b: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        if case let (.int(x), .int(y)) = (a, b) {
            if y == 0 { throw fail(.value, "division by zero", loc) }
            if x == Int.min && y == -1 { throw overflow("//", loc) }
            let q = x / y
            return .int((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q)
        }
        guard let x = number(a), let y = number(b) else { throw badOperands("//", a, b, loc) }
        if y == 0 { throw fail(.value, "division by zero", loc) }
        return .double((x / y).rounded(.down))
    }

    static func modulo(_ a: Value, _ b: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        if case let (.int(x), .int(y)) = (a, b) {
            guard let r = modulo(x, y) else { throw fail(.value, "modulo by zero", loc) }
            return .int(r)
        }
        guard let x = number(a), let y = number(b) else { throw badOperands("%", a, b, loc) }
        guard let r = modulo(x, y) else { throw fail(.value, "modulo by zero", loc) }
        return .double(r)
    }

    /// `x % y` with the sign of `y` (as in Python); nil when `y` is zero.
    @inline(__always)
    static func modulo(_ x: Int, _ y: Int) -> Int? {
        if y == 0 { return nil }
        if y == -1 { return 0 }
        let r = x % y
        return r != 0 && ((r < 0) != (y < 0)) ? r + y : r
    }

    @inline(__always)
    static func modulo(_ x: Double, _ y: Double) -> Double? {
        if y == 0 { return nil }
        let r = fmod(x, y)
        return r != 0 && ((r < 0) != (y < 0)) ? r + y : r
    }

    static func power(_ a: Value, _ b: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        if case let (.int(base), .int(exp)) = (a, b), exp >= 0 {
            var result = 1, factor = base, e = exp
            while e > 0 {
                if e & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: factor)
                    if o { throw overflow("**", loc) }
                    result = r
                }
                e >>= 1
                if e > 0 {
                    let (f, o) = factor.multipliedReportingOverflow(by: factor)
                    if o { throw overflow("**", loc) }
                    factor = f
                }
            }
            return .int(result)
        }
        guard let x = number(a), let y = number(b) else { throw badOperands("**", a, b, loc) }
        return .double(pow(x, y))
    }

    static func negate(_ a: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        switch a {
        case .int(let x):
            if x == Int.min { throw overflow("-", loc) }
            return .int(-x)
        case .double(let x): return .double(-x)
        default: throw fail(.type, "cannot negate \(a.aTypeName)", loc)
        }
    }

    static func truth(_ v: Value, _ what: String, _ loc: SourceLocation) throws(Unwind) -> Bool {
        guard case .bool(let b) = v else {
            throw fail(.type, "\(what) must be a Bool, got \(v.typeName)"
                + (v.isNil ? " (compare with nil explicitly: x != nil)" : ""), loc)
        }
        return b
    }

    // MARK: Indexing

    /// Refuses to build a value of `count` elements that would not fit in memory. Small sizes
    /// skip the check (it reads /proc/meminfo), so loops that build short lists pay nothing.
    static func memoryError<T>(_ count: Int, of type: T.Type, for what: @autoclosure () -> String,
                               _ loc: SourceLocation) -> RecError? {
        guard count > 1 << 20 else { return nil }
        do { try MemoryBudget.require(count, of: type, for: what()) }
        catch { return RecError(.value, error.description, at: loc) }
        return nil
    }

    static func requireMemory<T>(_ count: Int, of type: T.Type, for what: @autoclosure () -> String,
                                 _ loc: SourceLocation) throws(Unwind) {
        if let e = memoryError(count, of: type, for: what(), loc) { throw .error(e) }
    }

    static func normalizedIndex(_ i: Int, count: Int, _ loc: SourceLocation) throws(Unwind) -> Int {
        let j = i < 0 ? i + count : i
        guard j >= 0 && j < count else {
            throw fail(.value, "index \(i) out of range (count is \(count))", loc)
        }
        return j
    }

    static func sliceBounds(_ r: RangeRef, count: Int, _ loc: SourceLocation) throws(Unwind) -> Range<Int> {
        guard r.lower >= 0, r.upper <= count, r.lower <= r.upper else {
            throw fail(.value, "slice \(Value.range(r).repr) out of range (count is \(count))", loc)
        }
        return r.lower..<r.upper
    }

    static func index(_ object: Value, _ key: Value, _ loc: SourceLocation) throws(Unwind) -> Value {
        switch (object, key) {
        case let (.list(l), .int(i)):
            return l.items[try normalizedIndex(i, count: l.items.count, loc)]
        case let (.list(l), .range(r)):
            return .list(ListRef(Array(l.items[try sliceBounds(r, count: l.items.count, loc)])))
        case let (.string(s), .int(i)):
            let chars = Array(s)
            return .string(String(chars[try normalizedIndex(i, count: chars.count, loc)]))
        case let (.string(s), .range(r)):
            let chars = Array(s)
            return .string(String(chars[try sliceBounds(r, count: chars.count, loc)]))
        case let (.range(r), .int(i)):
            return .int(r.lower + (try normalizedIndex(i, count: r.count, loc)))
        case let (.map(m), _):
            guard MapKey(key) != nil else { throw fail(.type, "\(key.aTypeName) cannot be a map key", loc) }
            return m.get(key) ?? .nil
        case let (.record(r), .string(name)):
            guard let v = r.field(name) else { throw fail(.name, "record has no field '\(name)'", loc) }
            return v
        case let (.native(o), _):
            do {
                if let v = try o.subscriptValue(key) { return v }
            } catch let e as RecError {
                throw .error(e.located(at: loc))
            } catch {
                throw fail(.value, "\(error)", loc)
            }
            throw fail(.type, "cannot index \(o.aTypeName) with \(key.aTypeName)", loc)
        default:
            throw fail(.type, "cannot index \(object.aTypeName) with \(key.aTypeName)", loc)
        }
    }

    static func setIndex(_ object: Value, _ key: Value, _ value: Value, _ loc: SourceLocation) throws(Unwind) {
        switch (object, key) {
        case let (.list(l), .int(i)):
            l.items[try normalizedIndex(i, count: l.items.count, loc)] = value
        case let (.map(m), _):
            if !m.set(key, value) { throw fail(.type, "\(key.aTypeName) cannot be a map key", loc) }
        case let (.record(r), .string(name)):
            guard let i = r.names.firstIndex(of: name) else { throw fail(.name, "record has no field '\(name)'", loc) }
            r.values[i] = value
        default:
            throw fail(.type, "cannot assign to an element of \(object.aTypeName) indexed by \(key.typeName)", loc)
        }
    }

    // MARK: Members

    /// Member names of built-in types, for `value.name` and REPL completion.
    static func memberNames(_ v: Value) -> [String] {
        switch v {
        case .list: return ["count", "isEmpty", "first", "last"]
        case .string: return ["count", "isEmpty"]
        case .map: return ["count", "isEmpty", "keys", "values"]
        case .range: return ["count", "lower", "upper"]
        case .record(let r): return r.names
        case .closure, .builtin: return ["name", "doc"]
        case .native(let o): return o.memberNames
        default: return []
        }
    }

    static func member(_ object: Value, _ name: String) -> Value? {
        switch object {
        case .list(let l):
            switch name {
            case "count": return .int(l.items.count)
            case "isEmpty": return .bool(l.items.isEmpty)
            case "first": return l.items.first ?? .nil
            case "last": return l.items.last ?? .nil
            default: return nil
            }
        case .string(let s):
            switch name {
            case "count": return .int(s.count)
            case "isEmpty": return .bool(s.isEmpty)
            default: return nil
            }
        case .map(let m):
            switch name {
            case "count": return .int(m.count)
            case "isEmpty": return .bool(m.count == 0)
            case "keys": return .list(ListRef(m.keys))
            case "values": return .list(ListRef(m.values))
            default: return nil
            }
        case .range(let r):
            switch name {
            case "count": return .int(r.count)
            case "lower": return .int(r.lower)
            case "upper": return .int(r.closed ? r.upper - 1 : r.upper)
            default: return nil
            }
        case .record(let r): return r.field(name)
        case .closure(let c):
            switch name {
            case "name": return .string(c.proto.name)
            case "doc": return c.proto.doc.map { .string($0) } ?? .nil
            default: return nil
            }
        case .builtin(let b):
            switch name {
            case "name": return .string(b.spec.name)
            case "doc": return .string(b.spec.doc)
            default: return nil
            }
        case .native(let o): return o.member(name)
        default: return nil
        }
    }

    static func noMember(_ object: Value, _ name: String, _ loc: SourceLocation) -> Unwind {
        var msg = "\(object.typeName) has no member '\(name)'"
        let names = memberNames(object)
        if let s = Suggest.closest(name, among: names) { msg += "; did you mean '\(s)'?" }
        else if !names.isEmpty { msg += " (members: \(names.joined(separator: ", ")))" }
        return fail(.name, msg, loc)
    }
}

extension RecError {
    /// Gives an error raised by native code the position of the Rec expression that caused it.
    func located(at loc: SourceLocation) -> RecError {
        if location.line == 0 { location = loc }
        return self
    }
}

enum Suggest {
    /// The candidate closest to `name` by edit distance, if close enough to be a likely typo.
    static func closest(_ name: String, among candidates: [String]) -> String? {
        let a = Array(name)
        var best: (String, Int)? = nil
        for c in candidates {
            let b = Array(c)
            if abs(a.count - b.count) > 2 { continue }
            var prev = Array(0...b.count)
            for i in 1...max(1, a.count) where !a.isEmpty {
                var cur = [i] + Array(repeating: 0, count: b.count)
                for j in 1...max(1, b.count) where !b.isEmpty {
                    cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
                prev = cur
            }
            let d = prev[b.count]
            // Changing every character of the shorter name is no typo: `x` is not a misspelt `y`,
            // nor `数` a misspelt `π`.
            if d > 0, d <= max(1, a.count / 3), d < max(a.count, b.count), best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }
}

/// Member access as hosts (REPL completion, help) see it.
public enum Members {
    public static func names(of value: Value) -> [String] { Ops.memberNames(value) }
    public static func member(of value: Value, _ name: String) -> Value? { Ops.member(value, name) }
}
