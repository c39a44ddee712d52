// A prepared statement: binding parameters, stepping, reading columns.

import CSQLite

/// SQLite copies bound text and blobs before `bind` returns (what SQLITE_TRANSIENT asks for), so
/// Swift's temporary buffers may go away right after.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One compiled SQL statement of a `SQLiteConnection`, finalized when released.
public final class Statement {
    public let connection: SQLiteConnection
    public let sql: String
    let handle: OpaquePointer

    init(connection: SQLiteConnection, handle: OpaquePointer, sql: String) {
        self.connection = connection
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Whether the statement cannot change the database file (SELECT, and read-only PRAGMAs).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    // MARK: Parameters

    /// Binds `params` to the statement's parameters in order (`?`, `?NNN`, `:name` all count by
    /// position). The number of values must match the number of parameters.
    public func bind(_ params: [SQLiteValue]) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard params.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE, operation: "bind", path: connection.path,
                              message: "the statement has \(expected) parameter\(expected == 1 ? "" : "s") but \(params.count) value\(params.count == 1 ? " was" : "s were") given",
                              sql: sql)
        }
        for (i, v) in params.enumerated() { try bind(v, at: Int32(i + 1)) }
    }

    /// Binds values to named parameters (`:name`, `@name`, `$name`; give the name with its prefix).
    public func bind(_ named: [String: SQLiteValue]) throws {
        for (name, v) in named {
            let index = sqlite3_bind_parameter_index(handle, name)
            guard index > 0 else {
                throw SQLiteError(code: SQLITE_RANGE, operation: "bind", path: connection.path,
                                  message: "the statement has no parameter named \(name)", sql: sql)
            }
            try bind(v, at: index)
        }
    }

    /// Binds one value at a 1-based parameter index.
    public func bind(_ value: SQLiteValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .int(let i): rc = sqlite3_bind_int64(handle, index, i)
        case .double(let d): rc = sqlite3_bind_double(handle, index, d)
        case .text(let s): rc = sqlite3_bind_text64(handle, index, s, UInt64(s.utf8.count), sqliteTransient, UInt8(SQLITE_UTF8))
        case .blob(let b):
            rc = b.withUnsafeBytes { p in
                // A zero-length blob still has to be a blob, not NULL: zeroblob does that.
                p.baseAddress == nil || p.isEmpty
                    ? sqlite3_bind_zeroblob(handle, index, 0)
                    : sqlite3_bind_blob64(handle, index, p.baseAddress, UInt64(p.count), sqliteTransient)
            }
        }
        guard rc == SQLITE_OK else { throw connection.error("bind", rc, sql: sql) }
    }

    /// Binds `bytes` without copying and runs the statement to completion, then unbinds: for
    /// writing large payload chunks, where SQLITE_TRANSIENT would copy every chunk once more.
    func runBindingBlob(_ bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_bind_null(handle, index)
        }
        let rc = bytes.isEmpty
            ? sqlite3_bind_zeroblob(handle, index, 0)
            : sqlite3_bind_blob64(handle, index, bytes.baseAddress, UInt64(bytes.count), nil)  // nil = SQLITE_STATIC
        guard rc == SQLITE_OK else { throw connection.error("bind", rc, sql: sql) }
        while try step() {}
    }

    // MARK: Stepping

    /// Advances to the next row: true when there is one, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error("step", rc, sql: sql)
        }
    }

    /// Makes the statement runnable again (bindings are kept).
    public func reset() {
        sqlite3_reset(handle)
    }

    // MARK: Columns of the current row

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(_ i: Int) -> String {
        sqlite3_column_name(handle, Int32(i)).map { String(cString: $0) } ?? "column\(i + 1)"
    }

    /// The declared type of a result column that comes straight from a table column (`INTEGER`,
    /// `TEXT`, …), nil for expressions.
    public func declaredType(_ i: Int) -> String? {
        sqlite3_column_decltype(handle, Int32(i)).map { String(cString: $0) }
    }

    /// The storage class of column `i` in the current row (SQLITE_INTEGER, SQLITE_FLOAT, …).
    public func storageClass(_ i: Int) -> Int32 { sqlite3_column_type(handle, Int32(i)) }

    public func isNull(_ i: Int) -> Bool { storageClass(i) == SQLITE_NULL }
    public func int(_ i: Int) -> Int64 { sqlite3_column_int64(handle, Int32(i)) }
    public func double(_ i: Int) -> Double { sqlite3_column_double(handle, Int32(i)) }

    public func text(_ i: Int) -> String {
        guard let p = sqlite3_column_text(handle, Int32(i)) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, Int32(i)))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// The bytes of a blob column, valid only until the next step/reset: read them inside `body`.
    public func withBlob<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let p = sqlite3_column_blob(handle, Int32(i))
        let n = Int(sqlite3_column_bytes(handle, Int32(i)))
        return try body(UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n))
    }

    public func blob(_ i: Int) -> [UInt8] { withBlob(i) { Array($0) } }

    /// Column `i` of the current row as whatever SQLite stores there.
    public func value(at i: Int) -> SQLiteValue {
        switch storageClass(i) {
        case SQLITE_INTEGER: return .int(int(i))
        case SQLITE_FLOAT: return .double(double(i))
        case SQLITE_TEXT: return .text(text(i))
        case SQLITE_BLOB: return .blob(blob(i))
        default: return .null
        }
    }
}
