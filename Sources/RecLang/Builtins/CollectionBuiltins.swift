/// Lists, maps and ranges. Higher-order helpers (map, filter, reduce, sum …) are written in Rec
/// in Stdlib/prelude.rec; what lives here needs Swift for speed or for in-place mutation.
enum CollectionBuiltins {
    /// The items of any sequence value (list, range, map keys, string characters, native rows).
    static func items(_ v: Value, _ a: Arguments, _ name: String) throws -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .range(let r):
            if let e = Ops.memoryError(r.count, of: Value.self, for: "\(a.spec.name)(): a list of the \(r.count) numbers of \(Value.range(r).repr)", a.location) { throw e }
            return (r.lower..<max(r.lower, r.upper)).map { .int($0) }
        case .map(let m): return m.keys
        case .string(let s): return s.map { .string(String($0)) }
        case .native(let o):
            if let e = o.elements() { return e }
        default: break
        }
        throw a.typeError(name, expected: "a sequence (List, Range, Map or String)", got: v)
    }

    static func sortItems(_ items: [Value], key: Value?, reverse: Bool, _ a: Arguments) throws -> [Value] {
        var keyed: [(Value, Value)] = []
        keyed.reserveCapacity(items.count)
        for x in items { keyed.append((try key.map { try a.call($0, [x]) } ?? x, x)) }
        var failure: RecError? = nil
        // A stable sort, so sorting by one key after another works as analysts expect.
        let indexed = keyed.enumerated().map { ($0.offset, $0.element) }
        let sorted = indexed.sorted { l, r in
            guard let c = l.1.0.compare(to: r.1.0) else {
                if failure == nil {
                    failure = a.error("cannot sort: \(l.1.0.typeName) and \(r.1.0.typeName) cannot be compared", kind: .type)
                }
                return false
            }
            if c == 0 { return l.0 < r.0 }
            return reverse ? c > 0 : c < 0
        }
        if let failure { throw failure }
        return sorted.map { $0.1.1 }
    }

    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("count", [.required("collection")], returns: "Int", category: "Collections",
                        doc: "The number of elements of a list, map, range or string (characters), or rows of a table.") { a in
                let v = try a.any("collection")
                if let m = Ops.member(v, "count"), case .int = m { return m }
                throw a.typeError("collection", expected: "a collection", got: v)
            },
            BuiltinSpec("range", [.required("start", "Int", range: BuiltinParam.anyInt), .optional("end", "Int", range: BuiltinParam.anyInt), .optional("step", "Int", default: .int(1), range: BuiltinParam.anyInt)],
                        returns: "List", category: "Collections",
                        doc: "range(n) is 0..<n; range(a, b) is a..<b; with step: the list a, a+step, … stopping before b (step may be negative).") { a in
                var start = try a.int("start")
                var end: Int
                if let e = try a.optionalInt("end") { end = e } else { end = start; start = 0 }
                let step = try a.int("step")
                if step == 0 { throw a.error("range(): step cannot be 0") }
                if step == 1 { return .range(RangeRef(lower: start, upper: end, closed: false)) }
                // Counted first, in the unsigned magnitude of the span so that no step near the ends
                // of Int overflows: ⌈|end − start| / |step|⌉ elements.
                let span = step > 0 ? (end > start ? UInt(bitPattern: end &- start) : 0)
                                    : (start > end ? UInt(bitPattern: start &- end) : 0)
                let n = span == 0 ? 0 : (span - 1) / step.magnitude + 1
                let count = n > UInt(Int.max) ? Int.max : Int(n)
                if let e = Ops.memoryError(count, of: Value.self, for: "range(): a list of \(count) numbers", a.location) { throw e }
                var out: [Value] = []
                out.reserveCapacity(count)
                var i = start
                for j in 0..<count {
                    out.append(.int(i))
                    if j + 1 < count { i &+= step }
                }
                return .list(ListRef(out))
            },
            BuiltinSpec("list", [.required("sequence")], returns: "List", category: "Collections",
                        doc: "A new list of the elements of a sequence: list(0..<3) is [0, 1, 2]; list(\"ab\") is [\"a\", \"b\"]; a map gives its keys.") { a in
                .list(try items(try a.any("sequence"), a, "sequence"))
            },
            BuiltinSpec("append", [.required("list", "List"), .required("value")], category: "Collections",
                        doc: "Adds `value` at the end of `list` (in place). xs.append(4) is the same call.") { a in
                try a.list("list").items.append(try a.any("value"))
                return .nil
            },
            BuiltinSpec("extend", [.required("list", "List"), .required("values")], category: "Collections",
                        doc: "Adds every element of a sequence at the end of `list` (in place).") { a in
                let l = try a.list("list")
                l.items.append(contentsOf: try items(try a.any("values"), a, "values"))
                return .nil
            },
            BuiltinSpec("insert", [.required("list", "List"), .required("index", "Int", range: BuiltinParam.anyInt), .required("value")], category: "Collections",
                        doc: "Inserts `value` before position `index` (0…count) in place.") { a in
                let l = try a.list("list"), i = try a.int("index")
                guard i >= 0 && i <= l.items.count else { throw a.error("insert(): index \(i) out of range (count is \(l.items.count))") }
                l.items.insert(try a.any("value"), at: i)
                return .nil
            },
            BuiltinSpec("pop", [.required("list", "List"), .optional("index", "Int", range: BuiltinParam.anyInt)], category: "Collections",
                        doc: "Removes and returns the last element (or the one at `index`). Error on an empty list.") { a in
                let l = try a.list("list")
                guard !l.items.isEmpty else { throw a.error("pop(): the list is empty") }
                if let i = try a.optionalInt("index") {
                    let j = i < 0 ? i + l.items.count : i
                    guard j >= 0 && j < l.items.count else { throw a.error("pop(): index \(i) out of range (count is \(l.items.count))") }
                    return l.items.remove(at: j)
                }
                return l.items.removeLast()
            },
            BuiltinSpec("remove", [.required("collection"), .required("key")], category: "Collections",
                        doc: "Removes a map entry by key and returns its value (nil if absent), or the first list element equal to `key` (returns true if one was removed).") { a in
                let c = try a.any("collection"), k = try a.any("key")
                switch c {
                case .map(let m): return m.remove(k) ?? .nil
                case .list(let l):
                    guard let i = l.items.firstIndex(where: { $0.isEqual(to: k) }) else { return .bool(false) }
                    l.items.remove(at: i)
                    return .bool(true)
                default: throw a.typeError("collection", expected: "a List or Map", got: c)
                }
            },
            BuiltinSpec("contains", [.required("collection"), .required("value")], returns: "Bool", category: "Collections",
                        doc: "Whether a list or range has an element equal to `value`, a map has the key `value`, or a string contains the substring `value`.") { a in
                let c = try a.any("collection"), v = try a.any("value")
                switch (c, v) {
                case let (.string(s), .string(sub)): return .bool(sub.isEmpty || s.contains(sub))
                case let (.map(m), _): return .bool(m.get(v) != nil)
                case let (.range(r), .int(i)): return .bool(i >= r.lower && i < r.upper)
                default: return .bool(try items(c, a, "collection").contains { $0.isEqual(to: v) })
                }
            },
            BuiltinSpec("index_of", [.required("list"), .required("value")], returns: "Int", category: "Collections",
                        doc: "Position of the first element equal to `value`, or nil.") { a in
                let xs = try items(try a.any("list"), a, "list"), v = try a.any("value")
                return xs.firstIndex { $0.isEqual(to: v) }.map { .int($0) } ?? .nil
            },
            BuiltinSpec("keys", [.required("map", "Map")], returns: "List", category: "Collections",
                        doc: "The keys of a map in insertion order.") { a in .list(try a.map("map").keys) },
            BuiltinSpec("values", [.required("map", "Map")], returns: "List", category: "Collections",
                        doc: "The values of a map in insertion order.") { a in .list(try a.map("map").values) },
            BuiltinSpec("entries", [.required("map", "Map")], returns: "List", category: "Collections",
                        doc: "The entries of a map as records (key:, value:), in insertion order.") { a in
                let m = try a.map("map")
                return .list((0..<m.count).map { .record(RecordRef(names: ["key", "value"], values: [m.keys[$0], m.values[$0]])) })
            },
            BuiltinSpec("get", [.required("map", "Map"), .required("key"), .optional("default")], category: "Collections",
                        doc: "m[key] if present, else `default` (nil when omitted).") { a in
                try a.map("map").get(try a.any("key")) ?? (a.value("default") ?? .nil)
            },
            BuiltinSpec("sorted", [.required("sequence"), .optional("by", "Function"), .optional("reverse", "Bool", default: .bool(false))],
                        returns: "List", category: "Collections",
                        doc: """
                        A sorted copy of a sequence. `by:` maps each element to its sort key; `reverse: true` sorts descending. The sort is stable.
                        Example: sorted(users, by: { u in u.age }, reverse: true)
                        """) { a in
                let xs = try items(try a.any("sequence"), a, "sequence")
                return .list(try sortItems(xs, key: a.has("by") ? try a.function("by") : nil, reverse: try a.bool("reverse"), a))
            },
            BuiltinSpec("sort", [.required("list", "List"), .optional("by", "Function"), .optional("reverse", "Bool", default: .bool(false))],
                        category: "Collections",
                        doc: "Sorts a list in place (stable); `by:` and `reverse:` as for sorted.") { a in
                let l = try a.list("list")
                l.items = try sortItems(l.items, key: a.has("by") ? try a.function("by") : nil, reverse: try a.bool("reverse"), a)
                return .nil
            },
            BuiltinSpec("reversed", [.required("sequence")], returns: "List", category: "Collections",
                        doc: "A reversed copy of a sequence as a list (strings give a reversed string).") { a in
                let v = try a.any("sequence")
                if case .string(let s) = v { return .string(String(s.reversed())) }
                return .list(try items(v, a, "sequence").reversed())
            },
            BuiltinSpec("zip", [.required("a"), .required("b")], returns: "List", category: "Collections",
                        doc: "Pairs elements of two sequences as two-element lists, stopping at the shorter: for (x, y) in zip(xs, ys) { … }.") { a in
                let xs = try items(try a.any("a"), a, "a"), ys = try items(try a.any("b"), a, "b")
                return .list((0..<min(xs.count, ys.count)).map { .list([xs[$0], ys[$0]]) })
            },
            BuiltinSpec("enumerate", [.required("sequence")], returns: "List", category: "Collections",
                        doc: "Pairs [index, element] for each element: for (i, x) in enumerate(xs) { … }.") { a in
                let xs = try items(try a.any("sequence"), a, "sequence")
                return .list(xs.enumerated().map { .list([.int($0.offset), $0.element]) })
            },
            BuiltinSpec("min", [.variadic("values")], category: "Collections",
                        doc: "The smallest of the arguments, or of a single sequence argument: min(3, 1, 2) and min([3, 1, 2]) are 1. Error when empty.") { a in
                try extreme(a, wantMax: false)
            },
            BuiltinSpec("max", [.variadic("values")], category: "Collections",
                        doc: "The largest of the arguments, or of a single sequence argument. Error when empty.") { a in
                try extreme(a, wantMax: true)
            },
            BuiltinSpec("unique", [.required("sequence")], returns: "List", category: "Collections",
                        doc: "The distinct elements in first-appearance order.") { a in
                var seen = Set<MapKey>()
                var out: [Value] = []
                for x in try items(try a.any("sequence"), a, "sequence") {
                    if let k = MapKey(x) { if seen.insert(k).inserted { out.append(x) } }
                    else if !out.contains(where: { $0.isEqual(to: x) }) { out.append(x) }
                }
                return .list(out)
            },
            BuiltinSpec("copy", [.required("value")], category: "Collections",
                        doc: "A shallow copy of a list, map or record (lists and maps are shared by reference otherwise).") { a in
                let v = try a.any("value")
                switch v {
                case .list(let l): return .list(l.items)
                case .map(let m):
                    let n = MapRef()
                    for i in 0..<m.count { n.set(m.keys[i], m.values[i]) }
                    return .map(n)
                case .record(let r): return .record(RecordRef(names: r.names, values: r.values))
                default: return v
                }
            },
        ])
    }

    private static func extreme(_ a: Arguments, wantMax: Bool) throws -> Value {
        let xs = a.rest.count == 1 ? try items(a.rest[0], a, "values") : a.rest
        guard var best = xs.first else { throw a.error("\(wantMax ? "max" : "min")(): no values") }
        for x in xs.dropFirst() {
            guard let c = x.compare(to: best) else {
                throw a.error("\(wantMax ? "max" : "min")(): \(x.typeName) and \(best.typeName) cannot be compared", kind: .type)
            }
            if wantMax ? c > 0 : c < 0 { best = x }
        }
        return best
    }
}
