/// Text forms of values: `repr` (what the REPL displays: strings quoted) and `str` (what `print`
/// writes: strings bare). Both survive cycles (a list that contains itself prints `[…]`).
extension Value {
    /// Lists and maps longer than this are shortened when displayed (never by `str`).
    static let displayLimit = 100

    public var repr: String {
        var out = ""
        var seen: Set<ObjectIdentifier> = []
        Value.write(self, to: &out, quoted: true, limit: Value.displayLimit, seen: &seen)
        return out
    }

    public var str: String {
        if case .string(let s) = self { return s }
        var out = ""
        var seen: Set<ObjectIdentifier> = []
        Value.write(self, to: &out, quoted: true, limit: Int.max, seen: &seen)
        return out
    }

    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return "\(d)"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default:
                if ch.value < 0x20 { out += "\\u{\(String(ch.value, radix: 16))}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }

    private static func write(_ v: Value, to out: inout String, quoted: Bool, limit: Int, seen: inout Set<ObjectIdentifier>) {
        switch v {
        case .nil: out += "nil"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += formatDouble(d)
        case .string(let s): out += quoted ? quote(s) : s
        case .list(let l):
            let id = ObjectIdentifier(l)
            if seen.contains(id) { out += "[…]"; return }
            seen.insert(id); defer { seen.remove(id) }
            out += "["
            for (i, item) in l.items.enumerated() {
                if i >= limit { out += ", … (\(l.items.count - limit) more)"; break }
                if i > 0 { out += ", " }
                write(item, to: &out, quoted: true, limit: limit, seen: &seen)
            }
            out += "]"
        case .map(let m):
            let id = ObjectIdentifier(m)
            if seen.contains(id) { out += "[…]"; return }
            seen.insert(id); defer { seen.remove(id) }
            if m.count == 0 { out += "[:]"; return }
            out += "["
            for i in 0..<m.count {
                if i >= limit { out += ", … (\(m.count - limit) more)"; break }
                if i > 0 { out += ", " }
                write(m.keys[i], to: &out, quoted: true, limit: limit, seen: &seen)
                out += ": "
                write(m.values[i], to: &out, quoted: true, limit: limit, seen: &seen)
            }
            out += "]"
        case .record(let r):
            let id = ObjectIdentifier(r)
            if seen.contains(id) { out += "(…)"; return }
            seen.insert(id); defer { seen.remove(id) }
            out += "("
            for (i, name) in r.names.enumerated() {
                if i > 0 { out += ", " }
                out += name + ": "
                write(r.values[i], to: &out, quoted: true, limit: limit, seen: &seen)
            }
            out += ")"
        case .range(let r):
            out += r.closed ? "\(r.lower)...\(r.upper - 1)" : "\(r.lower)..<\(r.upper)"
        case .closure(let c):
            out += "<fn \(c.proto.name)(\(c.proto.parameterNames.joined(separator: ", ")))>"
        case .builtin(let b):
            out += "<builtin \(b.spec.name)>"
        case .native(let o):
            out += o.textDescription
        case .box(let b):
            write(b.value, to: &out, quoted: quoted, limit: limit, seen: &seen)
        }
    }
}

// MARK: Equality and ordering

extension Value {
    /// Structural equality; numbers compare by value across Int and Float.
    public func isEqual(to other: Value) -> Bool {
        var depth = 0
        return Value.equal(self, other, &depth)
    }

    private static func equal(_ a: Value, _ b: Value, _ depth: inout Int) -> Bool {
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { return false } // a cyclic structure is not equal to anything but itself
        switch (a, b) {
        case (.nil, .nil): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.int(x), .double(y)): return Double(x) == y
        case let (.double(x), .int(y)): return x == Double(y)
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)):
            if x === y { return true }
            guard x.items.count == y.items.count else { return false }
            for i in 0..<x.items.count where !equal(x.items[i], y.items[i], &depth) { return false }
            return true
        case let (.map(x), .map(y)):
            if x === y { return true }
            guard x.count == y.count else { return false }
            for i in 0..<x.count {
                guard let other = y.get(x.keys[i]), equal(x.values[i], other, &depth) else { return false }
            }
            return true
        case let (.record(x), .record(y)):
            if x === y { return true }
            guard x.names == y.names else { return false }
            for i in 0..<x.values.count where !equal(x.values[i], y.values[i], &depth) { return false }
            return true
        case let (.range(x), .range(y)): return x.lower == y.lower && x.upper == y.upper
        case let (.closure(x), .closure(y)): return x === y
        case let (.builtin(x), .builtin(y)): return x === y
        case let (.native(x), .native(y)): return x === y
        default: return false
        }
    }

    /// Ordering for `<` and sorting: numbers, strings, bools (false < true) and lists
    /// (lexicographically). Returns nil for values that have no order.
    public func compare(to other: Value) -> Int? {
        switch (self, other) {
        case let (.int(x), .int(y)): return x < y ? -1 : x == y ? 0 : 1
        case let (.double(x), .double(y)): return x < y ? -1 : x == y ? 0 : (x > y ? 1 : nil)
        case let (.int(x), .double(y)): let dx = Double(x); return dx < y ? -1 : dx == y ? 0 : (dx > y ? 1 : nil)
        case let (.double(x), .int(y)): let dy = Double(y); return x < dy ? -1 : x == dy ? 0 : (x > dy ? 1 : nil)
        case let (.string(x), .string(y)): return x < y ? -1 : x == y ? 0 : 1
        case let (.bool(x), .bool(y)): return x == y ? 0 : (!x ? -1 : 1)
        case let (.list(x), .list(y)):
            for i in 0..<Swift.min(x.items.count, y.items.count) {
                guard let c = x.items[i].compare(to: y.items[i]) else { return nil }
                if c != 0 { return c }
            }
            return x.items.count < y.items.count ? -1 : x.items.count == y.items.count ? 0 : 1
        default: return nil
        }
    }
}
