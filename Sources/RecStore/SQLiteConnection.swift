// A thin, error-checked layer over one sqlite3 connection.

import CSQLite

/// One open SQLite database connection. Every failing call throws an `SQLiteError` naming the
/// operation, the file and the SQL. Not thread-safe: use one connection per thread (SQLite's own
/// locking then coordinates connections and processes).
public final class SQLiteConnection {
    public enum Mode: Sendable, Equatable {
        /// Read and write; create the file when `create` and it does not exist.
        case readWrite(create: Bool)
        /// Read only: SQLite refuses every write on this connection.
        case readOnly
    }

    public let path: String
    public let mode: Mode
    let handle: OpaquePointer
    /// Set by `close()`: the handle must not be used any more.
    public private(set) var isClosed = false

    /// How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
    public static let busyTimeoutMilliseconds: Int32 = 5000

    public init(path: String, mode: Mode = .readWrite(create: true)) throws {
        self.path = path
        self.mode = mode
        var flags: Int32 = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readWrite(let create): flags |= SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            let hint = mode == .readOnly || mode == .readWrite(create: false) ? " (does the file exist?)" : ""
            throw SQLiteError(code: rc, operation: "open", path: path, message: message + hint)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, SQLiteConnection.busyTimeoutMilliseconds)
    }

    deinit { close() }

    /// Closes the connection now rather than whenever the object goes away (a process that exits
    /// never runs deinitializers). The last connection to a WAL database checkpoints the log into
    /// the main file and deletes the `-wal` and `-shm` files. Idempotent; afterwards every call
    /// that runs SQL throws.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        // close_v2 defers the close until the last statement is finalized, so a Statement that
        // outlives the close stays valid.
        sqlite3_close_v2(handle)
    }

    private func checkOpen(_ operation: String, _ sql: String) throws {
        if isClosed {
            throw SQLiteError(code: SQLITE_MISUSE, operation: operation, path: path, message: "the connection is closed", sql: sql)
        }
    }

    // MARK: Running SQL

    /// Runs one or more statements that return no rows (schema changes, pragmas). No parameters:
    /// use `run` for anything that carries values.
    public func execute(_ sql: String) throws {
        try checkOpen("exec", sql)
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errmsg)
            throw SQLiteError(code: rc, operation: "exec", path: path, message: message, sql: sql)
        }
    }

    /// Compiles one statement. SQL after the first statement is an error rather than being
    /// silently ignored (a common source of "my second statement did nothing").
    public func prepare(_ sql: String) throws -> Statement {
        try checkOpen("prepare", sql)
        var stmt: OpaquePointer?
        var trailing = false
        let rc = sql.withCString { start -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(handle, start, -1, &stmt, &tail)
            if rc == SQLITE_OK, let tail { trailing = SQLiteConnection.hasStatement(tail) }
            return rc
        }
        guard rc == SQLITE_OK else { throw error("prepare", rc, sql: sql) }
        guard let stmt else {
            throw SQLiteError(code: SQLITE_MISUSE, operation: "prepare", path: path, message: "no SQL statement", sql: sql)
        }
        guard !trailing else {
            sqlite3_finalize(stmt)
            throw SQLiteError(code: SQLITE_MISUSE, operation: "prepare", path: path,
                              message: "only one statement is allowed here; found more after the first ';'", sql: sql)
        }
        return Statement(connection: self, handle: stmt, sql: sql)
    }

    /// Runs one statement with parameters to completion, ignoring any rows.
    public func run(_ sql: String, _ params: [SQLiteValue] = []) throws {
        let stmt = try prepare(sql)
        try stmt.bind(params)
        while try stmt.step() {}
    }

    /// The first column of the first row, or nil when there is no row.
    public func scalar(_ sql: String, _ params: [SQLiteValue] = []) throws -> SQLiteValue? {
        let stmt = try prepare(sql)
        try stmt.bind(params)
        return try stmt.step() ? stmt.value(at: 0) : nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { isClosed ? 0 : Int(sqlite3_changes(handle)) }
    public var lastInsertRowID: Int64 { isClosed ? 0 : sqlite3_last_insert_rowid(handle) }
    /// Whether a transaction is open on this connection.
    public var inTransaction: Bool { !isClosed && sqlite3_get_autocommit(handle) == 0 }

    // MARK: Transactions

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws (the
    /// error is rethrown). Write transactions start with BEGIN IMMEDIATE, taking the write lock
    /// up front: a deferred transaction that reads and then writes can fail with SQLITE_BUSY
    /// halfway when another connection wrote in between, and no busy timeout helps there. Nested
    /// calls use savepoints, so an inner failure undoes only the inner part.
    public func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        if inTransaction {
            let name = "rec_sp_\(savepointCounter)"
            savepointCounter += 1
            defer { savepointCounter -= 1 }
            try execute("SAVEPOINT \(name)")
            do {
                let result = try body()
                try execute("RELEASE \(name)")
                return result
            } catch {
                try? execute("ROLLBACK TO \(name); RELEASE \(name)")
                throw error
            }
        }
        try execute(immediate && mode != .readOnly ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // After some errors (disk full, I/O) SQLite has already rolled back; ignore that
            // ROLLBACK's own "no transaction is active" error and report the original one.
            if inTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    private var savepointCounter = 0

    // MARK: Errors

    func error(_ operation: String, _ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: rc, operation: operation, path: path, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Whether `tail` (what follows a prepared statement) holds more than whitespace, semicolons
    /// and comments.
    static func hasStatement(_ tail: UnsafePointer<CChar>) -> Bool {
        var p = tail
        while p.pointee != 0 {
            switch UInt8(bitPattern: p.pointee) {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ";"):
                p += 1
            case UInt8(ascii: "-") where (p + 1).pointee == CChar(UInt8(ascii: "-")):
                while p.pointee != 0 && p.pointee != CChar(UInt8(ascii: "\n")) { p += 1 }
            case UInt8(ascii: "/") where (p + 1).pointee == CChar(UInt8(ascii: "*")):
                p += 2
                while p.pointee != 0 && !(p.pointee == CChar(UInt8(ascii: "*")) && (p + 1).pointee == CChar(UInt8(ascii: "/"))) { p += 1 }
                if p.pointee != 0 { p += 2 }
            default:
                return true
            }
        }
        return false
    }
}
