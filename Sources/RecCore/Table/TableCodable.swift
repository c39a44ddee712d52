// Table's workspace encoding: columnar binary, one bulk region per column.
//
// Layout (all integers little-endian):
//   "RTBL"  UInt16 format version (1)  UInt64 rows  UInt32 columns
//   per column: name (UInt32 length + UTF-8)  UInt8 type (0 int, 1 double, 2 string, 3 bool)
//               UInt8 has-nulls  [validity bits]  values
//   values: int → rows × Int64; double → rows × IEEE bits; bool → packed bits;
//           string → rows × UInt32 byte lengths, then the UTF-8 bytes back to back.
// Numeric columns are single memcpys each way, so a million-row table encodes and decodes in
// milliseconds rather than the seconds a per-row format would take.

extension Table: WorkspaceCodable {
    public static let workspaceKind = "table"
    static let magic: [UInt8] = Array("RTBL".utf8)
    static let formatVersion: UInt16 = 1

    public func workspaceEncode() throws -> [UInt8] {
        var w = PayloadWriter(capacity: 64 + rowCount * columnCount * 9)
        w.writeBytes(Table.magic)
        w.write(Table.formatVersion)
        w.write(UInt64(rowCount))
        w.write(UInt32(columnCount))
        for (name, column) in zip(columnNames, columns) {
            w.write(name)
            w.write(Table.typeCode(column.type))
            w.write(column.validity != nil)
            if let mask = column.validity { w.writeBits(mask) }
            switch column.storage {
            case .int(let a): w.writeArray(a)
            case .double(let a): w.writeArray(a)
            case .bool(let a): w.writeBits(a)
            case .string(let a): w.writeStrings(a)
            }
        }
        return w.bytes
    }

    public static func workspaceDecode(_ bytes: [UInt8]) throws -> Table {
        var r = PayloadReader(bytes)
        guard bytes.count >= 4, try r.readBytes(4) == magic else { throw TableError.decoding("not an encoded table") }
        let version = try r.read(UInt16.self)
        guard version == formatVersion else {
            throw TableError.decoding("format version \(version) is newer than this build understands (\(formatVersion))")
        }
        let rows64 = try r.read(UInt64.self)
        guard rows64 <= UInt64(Int32.max) * 64 else { throw TableError.decoding("implausible row count \(rows64)") }
        let rows = Int(rows64)
        let columnCount = Int(try r.read(UInt32.self))
        var table = Table()
        for _ in 0..<columnCount {
            let name = try r.readString()
            let code = try r.read(UInt8.self)
            let hasNulls = try r.readBool()
            let mask = hasNulls ? try r.readBits(count: rows) : nil
            let column: Column
            switch code {
            case 0: column = Column(ints: try r.readArray(Int64.self, count: rows), validity: mask)
            case 1: column = Column(doubles: try r.readDoubles(count: rows), validity: mask)
            case 2: column = Column(strings: try r.readStrings(count: rows), validity: mask)
            case 3: column = Column(bools: try r.readBits(count: rows), validity: mask)
            default: throw TableError.decoding("unknown column type code \(code) for column \"\(name)\"")
            }
            try table.appendColumn(name, column)
        }
        table.rowCount = rows
        guard r.isAtEnd else { throw TableError.decoding("\(r.remaining) unexpected bytes after the last column") }
        return table
    }

    static func typeCode(_ t: ColumnType) -> UInt8 {
        switch t {
        case .int: return 0
        case .double: return 1
        case .string: return 2
        case .bool: return 3
        }
    }
}
