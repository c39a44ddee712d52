// Errors from SQLite, carrying what was being done, to which file, with which SQL.

import CSQLite

/// A failed SQLite call. The description names the operation, the database file, SQLite's own
/// message and (shortened) the SQL, e.g.
/// `prepare failed on /tmp/w.rec: no such table: ratings (SQL: SELECT * FROM ratings)`.
public struct SQLiteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// SQLite's (extended) result code; `primaryCode` is the family (`SQLITE_BUSY`, …).
    public var code: Int32
    /// What was being done: `open`, `prepare`, `step`, `bind`, `exec`, `query`.
    public var operation: String
    public var path: String
    /// SQLite's message (`sqlite3_errmsg`), or ours for checks done before SQLite sees the SQL.
    public var message: String
    public var sql: String?

    public init(code: Int32, operation: String, path: String, message: String, sql: String? = nil) {
        self.code = code
        self.operation = operation
        self.path = path
        self.message = message
        self.sql = sql
    }

    public var primaryCode: Int32 { code & 0xff }

    public var description: String {
        var s = "\(operation) failed on \(path): \(message)"
        if let sql {
            let flat = sql.split(whereSeparator: { $0 == "\n" || $0 == "\t" }).joined(separator: " ")
            s += " (SQL: \(flat.count > 200 ? String(flat.prefix(199)) + "…" : flat))"
        }
        return s
    }
}

/// Errors of the workspace itself (as opposed to SQLite's).
public enum WorkspaceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No saved value with this name.
    case notFound(name: String, path: String)
    /// A saved value exists but is of another kind than the caller asked for.
    case kindMismatch(name: String, expected: String, found: String)
    /// The file is an SQLite database that is not a workspace (it has tables but no
    /// `schema_version`); it is left untouched.
    case notAWorkspace(path: String, tables: [String])
    /// The workspace was written by a newer Rec with migrations this build does not know.
    case newerSchema(path: String, version: Int, supported: Int)
    /// Stored bytes that do not add up (sizes disagree).
    case corrupt(name: String, message: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .notFound(let name, let path):
            return "nothing saved as \"\(name)\" in workspace \(path)"
        case .kindMismatch(let name, let expected, let found):
            return "\"\(name)\" holds a \(found), not a \(expected)"
        case .notAWorkspace(let path, let tables):
            return "\(path) is an SQLite database but not a Rec workspace (it has tables "
                + tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
                + "); read its tables with sqlite_table(path, table) or sqlite_query(path, sql) instead"
        case .newerSchema(let path, let version, let supported):
            return "workspace \(path) has schema version \(version), newer than this build supports (\(supported)); upgrade Rec"
        case .corrupt(let name, let message):
            return "saved value \"\(name)\" is damaged: \(message)"
        case .invalidArgument(let message):
            return message
        }
    }
}
