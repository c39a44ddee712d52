// Workspace encodings of datasets and splits: columnar, little-endian, versioned.

extension Interactions: WorkspaceCodable {
    public static var workspaceKind: String { "dataset" }
    static let magic: UInt32 = 0x5243_4453 // "RCDS"
    static let formatVersion: UInt16 = 1

    public func workspaceEncode() throws -> [UInt8] {
        var w = PayloadWriter(capacity: count * 24 + 1024)
        encode(into: &w)
        return w.bytes
    }

    public static func workspaceDecode(_ bytes: [UInt8]) throws -> Interactions {
        var r = PayloadReader(bytes)
        let d = try decode(from: &r)
        guard r.isAtEnd else { throw PayloadError("trailing bytes after a dataset") }
        return d
    }

    func encode(into w: inout PayloadWriter) {
        w.write(Interactions.magic)
        w.write(Interactions.formatVersion)
        w.write(UInt64(users.count)); w.writeStrings(users.keys)
        w.write(UInt64(items.count)); w.writeStrings(items.keys)
        w.write(UInt64(count)); w.writeArray(user); w.writeArray(item)
        switch values {
        case nil: w.write(UInt8(0))
        case .float(let a)?: w.write(UInt8(1)); w.writeArray(a)
        case .double(let a)?: w.write(UInt8(2)); w.writeArray(a)
        }
        w.write(timestamps != nil)
        if let timestamps { w.writeArray(timestamps) }
        for coded in [events, channels] {
            w.write(coded != nil)
            if let coded {
                w.write(UInt64(coded.labels.count)); w.writeStrings(coded.labels)
                w.writeArray(coded.codes)
            }
        }
        for table in [userAttributes, itemAttributes] {
            w.write(table != nil)
            if let table { table.encode(into: &w) }
        }
    }

    static func decode(from r: inout PayloadReader) throws -> Interactions {
        guard try r.read(UInt32.self) == magic else { throw PayloadError("not a dataset payload") }
        let version = try r.read(UInt16.self)
        guard version <= formatVersion else { throw PayloadError("dataset format \(version) is newer than this rec understands") }
        let users = IDMap(keys: try r.readStrings(count: try r.readCount()))
        let items = IDMap(keys: try r.readStrings(count: try r.readCount()))
        let n = try r.readCount(minElementSize: 8)
        let user = try r.readArray(Int32.self, count: n), item = try r.readArray(Int32.self, count: n)
        let values: ValueColumn?
        switch try r.read(UInt8.self) {
        case 0: values = nil
        case 1: values = .float(try r.readFloats(count: n))
        case 2: values = .double(try r.readDoubles(count: n))
        default: throw PayloadError("bad value column tag")
        }
        let timestamps = try r.readBool() ? try r.readArray(Int64.self, count: n) : nil
        var coded: [CodedColumn?] = []
        for _ in 0..<2 {
            if try r.readBool() {
                let labels = try r.readStrings(count: try r.readCount())
                let codes = try r.readArray(UInt16.self, count: n)
                guard codes.allSatisfy({ Int($0) < labels.count }) else { throw PayloadError("event or channel code without a label") }
                coded.append(CodedColumn(codes: codes, labels: labels))
            } else {
                coded.append(nil)
            }
        }
        let userAttributes = try r.readBool() ? try AttributeTable.decode(from: &r) : nil
        let itemAttributes = try r.readBool() ? try AttributeTable.decode(from: &r) : nil
        do {
            return try Interactions(users: users, items: items, user: user, item: item, values: values, timestamps: timestamps,
                                    events: coded[0], channels: coded[1], userAttributes: userAttributes, itemAttributes: itemAttributes)
        } catch {
            throw PayloadError("inconsistent dataset: \(error)")
        }
    }
}

extension AttributeTable {
    func encode(into w: inout PayloadWriter) {
        w.write(UInt64(count)); w.writeStrings(ids.keys)
        w.write(UInt64(columnNames.count)); w.writeStrings(columnNames)
        for name in columnNames {
            switch columns[name]! {
            case .string(let a):
                w.write(UInt8(0)); w.writeBits(a.map { $0 != nil }); w.writeStrings(a.map { $0 ?? "" })
            case .int(let a):
                w.write(UInt8(1)); w.writeBits(a.map { $0 != nil }); w.writeArray(a.map { Int64($0 ?? 0) })
            case .double(let a):
                w.write(UInt8(2)); w.writeBits(a.map { $0 != nil }); w.writeArray(a.map { $0 ?? 0 })
            case .multi(let a):
                w.write(UInt8(3)); w.writeArray(a.map { Int64($0.count) }); w.writeStrings(a.flatMap { $0 })
            }
        }
    }

    static func decode(from r: inout PayloadReader) throws -> AttributeTable {
        let n = try r.readCount()
        let keys = try r.readStrings(count: n)
        let names = try r.readStrings(count: try r.readCount())
        var columns: [(name: String, column: AttributeColumn)] = []
        for name in names {
            switch try r.read(UInt8.self) {
            case 0:
                let present = try r.readBits(count: n), s = try r.readStrings(count: n)
                columns.append((name, .string((0..<n).map { present[$0] ? s[$0] : nil })))
            case 1:
                let present = try r.readBits(count: n), v = try r.readArray(Int64.self, count: n)
                columns.append((name, .int((0..<n).map { present[$0] ? Int(v[$0]) : nil })))
            case 2:
                let present = try r.readBits(count: n), v = try r.readDoubles(count: n)
                columns.append((name, .double((0..<n).map { present[$0] ? v[$0] : nil })))
            case 3:
                let lengths = try r.readArray(Int64.self, count: n)
                // Each label takes at least its 4-byte length: checked per row, so that corrupt
                // lengths can neither overflow the sum nor be negative.
                var total = 0
                for l in lengths {
                    guard l >= 0, l <= Int64(r.remaining / 4 - total) else { throw PayloadError("bad multi-valued attribute") }
                    total += Int(l)
                }
                let flat = try r.readStrings(count: total)
                var out: [[String]] = []
                var at = 0
                for l in lengths { out.append(Array(flat[at..<at + Int(l)])); at += Int(l) }
                columns.append((name, .multi(out)))
            default:
                throw PayloadError("bad attribute column tag")
            }
        }
        return try AttributeTable(keys: keys, columns: columns)
    }
}

extension Split: WorkspaceCodable {
    public static var workspaceKind: String { "split" }

    public func workspaceEncode() throws -> [UInt8] {
        var w = PayloadWriter(capacity: (train.count + test.count) * 24 + 1024)
        w.write(UInt32(0x5243_5350)) // "RCSP"
        w.write(UInt16(1))
        train.encode(into: &w)
        test.encode(into: &w)
        return w.bytes
    }

    public static func workspaceDecode(_ bytes: [UInt8]) throws -> Split {
        var r = PayloadReader(bytes)
        guard try r.read(UInt32.self) == 0x5243_5350 else { throw PayloadError("not a split payload") }
        guard try r.read(UInt16.self) <= 1 else { throw PayloadError("split format is newer than this rec understands") }
        let train = try Interactions.decode(from: &r), test = try Interactions.decode(from: &r)
        guard r.isAtEnd else { throw PayloadError("trailing bytes after a split") }
        return try Split(train: train, test: test)
    }
}
