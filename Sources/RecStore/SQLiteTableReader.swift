// Turning query results into Tables.

import CSQLite
import RecCore

/// Reads every row of a statement into a `Table`.
///
/// SQLite is dynamically typed (any column may hold any storage class), so a column's type comes
/// from its values: integers → Int, reals → Float (integers mixed with reals widen), text → String,
/// blobs → lowercase hex String. A column mixing text with numbers becomes String rather than
/// failing. The declared type of a table column decides only what the values leave open: the type
/// of an all-null column, `BOOL`/`BOOLEAN` columns holding 0/1 (→ Bool), and REAL/TEXT columns
/// that happen to hold integers (→ Float / String, as declared).
enum SQLiteTableReader {
    static func table(from stmt: Statement) throws -> Table {
        let n = stmt.columnCount
        let names = uniqueNames((0..<n).map { stmt.columnName($0) })
        let declared = (0..<n).map { stmt.declaredType($0).flatMap(affinity) }
        var builders = (0..<n).map { ColumnBuilder(type: declared[$0], policy: .lenient, name: names[$0]) }
        while try stmt.step() {
            for c in 0..<n {
                switch stmt.storageClass(c) {
                case SQLITE_INTEGER:
                    let v = stmt.int(c)
                    if declared[c] == .bool && (v == 0 || v == 1) {
                        try builders[c].appendBool(v == 1)
                    } else {
                        try builders[c].appendInt(v)
                    }
                case SQLITE_FLOAT: try builders[c].appendDouble(stmt.double(c))
                case SQLITE_TEXT: try builders[c].appendString(stmt.text(c))
                case SQLITE_BLOB: try builders[c].appendString(stmt.withBlob(c, hex))
                default: builders[c].appendNull()
                }
            }
        }
        return try Table(columnNames: names, columns: builders.map { $0.build() })
    }

    /// SQLite's column-affinity rules (section 3.1 of "Datatypes In SQLite"), plus BOOL, which
    /// SQLite treats as NUMERIC but which Rec can represent directly.
    static func affinity(_ declared: String) -> ColumnType? {
        let t = declared.uppercased()
        if t.contains("BOOL") { return .bool }
        if t.contains("INT") { return .int }
        if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") { return .string }
        if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") { return .double }
        return nil
    }

    /// Result column names made unique (`SELECT a.id, b.id` gives `id` and `id_2`), since a
    /// Table's names are.
    static func uniqueNames(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.map { name in
            var candidate = name.isEmpty ? "column" : name
            var k = 2
            while seen.contains(candidate) { candidate = "\(name)_\(k)"; k += 1 }
            seen.insert(candidate)
            return candidate
        }
    }

    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Read-only access to any SQLite database file (not only workspaces): the file is opened with
/// SQLITE_OPEN_READONLY, so nothing done through here can change it.
public enum SQLiteFile {
    /// Runs one read-only statement with bound parameters and returns its rows.
    public static func query(_ path: String, _ sql: String, _ params: [SQLiteValue] = []) throws -> Table {
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        return try readOnlyQuery(db, sql, params)
    }

    /// All rows of table or view `name`.
    public static func table(_ path: String, _ name: String) throws -> Table {
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        let names = try tableNames(db)
        guard names.contains(name) else {
            throw SQLiteError(code: SQLITE_ERROR, operation: "read table", path: path,
                              message: "no table or view named \"\(name)\" (it has: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        return try readOnlyQuery(db, "SELECT * FROM \(quoteIdentifier(name))", [])
    }

    /// The names of the tables and views in the file, sorted.
    public static func tableNames(_ path: String) throws -> [String] {
        try tableNames(try SQLiteConnection(path: path, mode: .readOnly))
    }

    static func tableNames(_ db: SQLiteConnection) throws -> [String] {
        let stmt = try db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
        var names: [String] = []
        while try stmt.step() { names.append(stmt.text(0)) }
        return names
    }

    /// `name` as an SQL identifier: double-quoted, embedded quotes doubled.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    /// Prepares `sql`, refuses it unless SQLite reports it read-only, binds and reads it. The
    /// check comes before any step, so a write is rejected without being attempted.
    static func readOnlyQuery(_ db: SQLiteConnection, _ sql: String, _ params: [SQLiteValue]) throws -> Table {
        // ATTACH counts as read-only to SQLite, yet it opens another file: not through here.
        sqlite3_limit(db.handle, SQLITE_LIMIT_ATTACHED, 0)
        let stmt = try db.prepare(sql)
        guard stmt.isReadOnly else {
            throw SQLiteError(code: SQLITE_READONLY, operation: "query", path: db.path,
                              message: "only read-only statements (SELECT, WITH … SELECT) can run here", sql: sql)
        }
        try stmt.bind(params)
        return try SQLiteTableReader.table(from: stmt)
    }
}

extension String {
    /// Foundation-free replacement (RecStore keeps Foundation out of its library code).
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
