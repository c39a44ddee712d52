import RecCore

/// Plain Rec values (numbers, strings, booleans, nil, lists, maps, records) as workspace payloads,
/// so `save("params", ["k": 10])` works like saving a table.
struct ValueCodec {
    static let kind = "value"

    static func encode(_ v: Value) throws -> [UInt8] {
        var w = PayloadWriter()
        w.write(UInt32(0x5243_5656)) // "RCVV"
        w.write(UInt16(1))
        var depth = 0
        try write(v, &w, &depth)
        return w.bytes
    }

    private static func write(_ v: Value, _ w: inout PayloadWriter, _ depth: inout Int) throws {
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw RecError(.value, "save(): the value is nested too deeply (or contains itself)") }
        switch v {
        case .nil: w.write(UInt8(0))
        case .bool(let b): w.write(UInt8(1)); w.write(b)
        case .int(let i): w.write(UInt8(2)); w.write(Int64(i))
        case .double(let d): w.write(UInt8(3)); w.write(d)
        case .string(let s): w.write(UInt8(4)); w.write(s)
        case .list(let l):
            w.write(UInt8(5)); w.write(UInt64(l.items.count))
            for x in l.items { try write(x, &w, &depth) }
        case .map(let m):
            w.write(UInt8(6)); w.write(UInt64(m.count))
            for i in 0..<m.count { try write(m.keys[i], &w, &depth); try write(m.values[i], &w, &depth) }
        case .record(let r):
            w.write(UInt8(7)); w.write(UInt64(r.names.count))
            for (n, x) in zip(r.names, r.values) { w.write(n); try write(x, &w, &depth) }
        case .range(let r):
            w.write(UInt8(8)); w.write(Int64(r.lower)); w.write(Int64(r.upper)); w.write(r.closed)
        case .box(let b): try write(b.value, &w, &depth)
        case .closure, .builtin, .native:
            throw RecError(.type, depth == 1
                ? "save(): \(v.aTypeName) cannot be saved (only data, tables, splits and models can)"
                : "save(): \(v.aTypeName) cannot be saved inside a list, map or record")
        }
    }

    static func decode(_ bytes: [UInt8]) throws -> Value {
        var r = PayloadReader(bytes)
        guard try r.read(UInt32.self) == 0x5243_5656, try r.read(UInt16.self) <= 1 else {
            throw PayloadError("not a saved Rec value")
        }
        var depth = 0
        return try read(&r, &depth)
    }

    /// Nesting beyond what `encode` writes (200) is corrupt data, and must not recurse the
    /// decoder off the end of the stack.
    private static func read(_ r: inout PayloadReader, _ depth: inout Int) throws -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw PayloadError("saved value nested more than 200 levels deep") }
        switch try r.read(UInt8.self) {
        case 0: return .nil
        case 1: return .bool(try r.readBool())
        case 2: return .int(Int(try r.read(Int64.self)))
        case 3: return .double(try r.readDouble())
        case 4: return .string(try r.readString())
        case 5:
            let n = try r.readCount()
            var items: [Value] = []
            for _ in 0..<n { items.append(try read(&r, &depth)) }
            return .list(items)
        case 6:
            let n = try r.readCount(minElementSize: 2)
            let m = MapRef()
            for _ in 0..<n { let k = try read(&r, &depth); m.set(k, try read(&r, &depth)) }
            return .map(m)
        case 7:
            let n = try r.readCount()
            var names: [String] = [], values: [Value] = []
            for _ in 0..<n { names.append(try r.readString()); values.append(try read(&r, &depth)) }
            return .record(RecordRef(names: names, values: values))
        case 8:
            let lo = Int(try r.read(Int64.self)), hi = Int(try r.read(Int64.self))
            return .range(RangeRef(lower: lo, upper: hi, closed: try r.readBool()))
        default:
            throw PayloadError("bad value tag")
        }
    }
}
