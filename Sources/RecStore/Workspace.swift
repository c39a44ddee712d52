// A workspace: one SQLite file holding saved values and the experiment log.

import CSQLite
import RecCore

/// One line of `Workspace.saved()`.
public struct SavedEntry: Sendable, Equatable {
    public var name: String
    public var kind: String
    /// Payload size in bytes.
    public var size: Int
    /// When it was saved, ISO 8601 in UTC with milliseconds (`2025-01-31T12:00:00.123Z`).
    public var savedAt: String
}

/// A Rec workspace: an SQLite database file (WAL mode, foreign keys on) holding named saved values
/// and an experiment log, with its schema managed by migrations.
///
/// Saving replaces a value atomically: each save is one transaction, so a crash (even `kill -9`)
/// at any point leaves either the old or the new version, never a mix. Use one `Workspace` per
/// thread; several processes may open the same file (SQLite's locking and the busy timeout
/// serialize writers).
///
/// While open, committed saves may live in the `-wal` file next to the workspace. `close()` (also
/// run on deinit) folds them into the main file, so a closed workspace is one self-contained file
/// that can be copied on its own.
public final class Workspace {
    public let path: String
    /// The read-write connection.
    let db: SQLiteConnection
    /// A separate read-only connection for `query`, opened on first use: SQLite itself then
    /// refuses writes, whatever the SQL manages to express.
    private var reader: SQLiteConnection?

    /// Payloads are stored in chunks of this many bytes.
    static let chunkSize = 8 << 20

    /// SQL for "now" as stored in `saved_at` / `created_at` (UTC, milliseconds).
    static let nowSQL = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

    /// Test hook: runs inside each save's transaction after all its data is written, just before
    /// COMMIT (the crash-safety test kills the process there).
    var beforeCommit: (() throws -> Void)?

    /// Opens the workspace at `path`, creating it when missing and migrating it to the current
    /// schema. Refuses SQLite files that are not workspaces and workspaces from a newer Rec.
    public convenience init(path: String) throws {
        try self.init(path: path, migrations: WorkspaceMigrations.all)
    }

    init(path: String, migrations: [Migration]) throws {
        self.path = path
        db = try SQLiteConnection(path: path, mode: .readWrite(create: true))
        // WAL: readers (query, other processes) never block the writer and vice versa, and a
        // commit is a single append. synchronous=FULL makes each commit durable across power
        // loss too; saves are few and large, so the extra fsync per commit costs nothing that
        // matters. These pragmas cannot run inside a transaction, hence before migrating.
        let mode = try db.scalar("PRAGMA journal_mode = WAL")
        guard mode == .text("wal") else {
            throw SQLiteError(code: SQLITE_ERROR, operation: "open", path: path,
                              message: "could not switch the workspace to WAL mode (journal mode is \(String(describing: mode)))")
        }
        // journal_size_limit: after a checkpoint, truncate the WAL back to 64 MB instead of
        // leaving it at the size of the largest save ever made (WAL files never shrink otherwise).
        try db.execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA journal_size_limit = 67108864")
        try WorkspaceMigrations.migrate(db, migrations)
    }

    deinit { close() }

    /// Closes the workspace: checkpoints the write-ahead log into the main file, truncating the
    /// log, then closes both connections. The last connection to close (in any process) removes
    /// the `-wal` and `-shm` files; when another process still has the workspace open they stay,
    /// but the main file already holds every save made here. Idempotent; afterwards every
    /// operation throws.
    public func close() {
        guard !db.isClosed else { return }
        reader?.close()
        reader = nil
        // TRUNCATE waits (up to the busy timeout) for other processes' readers and writers to
        // finish, copies every committed frame into the main file and empties the log. If it
        // cannot, the saves are still safe in the log, and the next open or close folds them in.
        try? db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    }

    /// Whether `close()` has run.
    public var isClosed: Bool { db.isClosed }

    /// The schema version of the open file.
    public var schemaVersion: Int {
        get throws { try WorkspaceMigrations.currentVersion(db) }
    }

    /// The schema version this build creates and understands.
    public static var supportedSchemaVersion: Int { WorkspaceMigrations.latestVersion }

    // MARK: Saving and restoring

    /// Saves `payload` under `name`, replacing any previous value of that name, in one transaction.
    public func save(name: String, kind: String, payload: [UInt8]) throws {
        guard !name.isEmpty else { throw WorkspaceError.invalidArgument("a saved value needs a non-empty name") }
        guard !kind.isEmpty else { throw WorkspaceError.invalidArgument("a saved value needs a non-empty kind") }
        try db.transaction {
            // Deleting the old row cascades to its chunks (foreign keys are on).
            try db.run("DELETE FROM objects WHERE name = ?", [.text(name)])
            try db.run("INSERT INTO objects (name, kind, size, saved_at) VALUES (?, ?, ?, \(Workspace.nowSQL))",
                       [.text(name), .text(kind), .int(Int64(payload.count))])
            let id = db.lastInsertRowID
            let insert = try db.prepare("INSERT INTO object_chunks (object_id, seq, data) VALUES (?, ?, ?)")
            try payload.withUnsafeBytes { all in
                var seq: Int64 = 0
                var start = 0
                repeat {
                    let end = Swift.min(start + Workspace.chunkSize, all.count)
                    try insert.bind(.int(id), at: 1)
                    try insert.bind(.int(seq), at: 2)
                    // Always at least one chunk (possibly empty), so restore's join finds the value.
                    try insert.runBindingBlob(UnsafeRawBufferPointer(rebasing: all[start..<end]), at: 3)
                    seq += 1
                    start = end
                } while start < all.count
            }
            try beforeCommit?()
        }
    }

    /// The kind and bytes saved under `name`.
    public func restore(name: String) throws -> SavedPayload {
        // One statement reads one consistent snapshot, even while another process saves.
        let stmt = try db.prepare("""
            SELECT o.kind, o.size, c.data FROM objects o JOIN object_chunks c ON c.object_id = o.id
            WHERE o.name = ? ORDER BY c.seq
            """)
        try stmt.bind([.text(name)])
        guard try stmt.step() else { throw WorkspaceError.notFound(name: name, path: path) }
        let kind = stmt.text(0)
        let size = Int(stmt.int(1))
        var bytes = [UInt8]()
        bytes.reserveCapacity(size)
        repeat {
            stmt.withBlob(2) { bytes.append(contentsOf: $0) }
        } while try stmt.step()
        guard bytes.count == size else {
            throw WorkspaceError.corrupt(name: name, message: "expected \(size) bytes, found \(bytes.count)")
        }
        return SavedPayload(kind: kind, bytes: bytes)
    }

    /// The value saved under `name`, which must be of `type`'s kind.
    public func restore<T: WorkspaceCodable>(_ type: T.Type, name: String) throws -> T {
        let payload = try restore(name: name)
        guard payload.kind == T.workspaceKind else {
            throw WorkspaceError.kindMismatch(name: name, expected: T.workspaceKind, found: payload.kind)
        }
        return try T.workspaceDecode(payload.bytes)
    }

    /// The value saved under `name`, decoded by whichever of `types` has its kind (for callers
    /// that do not know in advance what a name holds, like the language's `restore`).
    public func restore(name: String, types: [any WorkspaceCodable.Type]) throws -> any WorkspaceCodable {
        let payload = try restore(name: name)
        guard let type = types.first(where: { $0.workspaceKind == payload.kind }) else {
            throw WorkspaceError.kindMismatch(name: name, expected: types.map { $0.workspaceKind }.joined(separator: " or "),
                                              found: payload.kind)
        }
        return try type.workspaceDecode(payload.bytes)
    }

    /// Whether something is saved under `name`.
    public func contains(name: String) throws -> Bool {
        try db.scalar("SELECT 1 FROM objects WHERE name = ?", [.text(name)]) != nil
    }

    /// Removes the value saved under `name`; false when there was none.
    @discardableResult
    public func delete(name: String) throws -> Bool {
        try db.transaction {
            try db.run("DELETE FROM objects WHERE name = ?", [.text(name)])
            return db.changes > 0
        }
    }

    /// Everything saved, by name.
    public func saved() throws -> [SavedEntry] {
        let stmt = try db.prepare("SELECT name, kind, size, saved_at FROM objects ORDER BY name")
        var out: [SavedEntry] = []
        while try stmt.step() {
            out.append(SavedEntry(name: stmt.text(0), kind: stmt.text(1), size: Int(stmt.int(2)), savedAt: stmt.text(3)))
        }
        return out
    }

    /// `saved()` as a table (columns name, kind, size, saved_at), for display.
    public func savedTable() throws -> Table {
        let stmt = try db.prepare("SELECT name, kind, size, saved_at FROM objects ORDER BY name")
        return try SQLiteTableReader.table(from: stmt)
    }

    // MARK: Queries

    /// Runs one read-only SQL statement against the workspace with `params` bound to its `?`
    /// parameters, returning the rows as a table. Statements that could write are refused before
    /// they run (SQLite's `sqlite3_stmt_readonly`), and they would fail anyway: the query
    /// connection is opened read-only with `query_only` set and ATTACH disabled.
    public func query(_ sql: String, _ params: [SQLiteValue] = []) throws -> Table {
        try SQLiteFile.readOnlyQuery(try readConnection(), sql, params)
    }

    private func readConnection() throws -> SQLiteConnection {
        if let reader { return reader }
        let r = try SQLiteConnection(path: path, mode: .readOnly)
        try r.execute("PRAGMA query_only = ON")
        sqlite3_limit(r.handle, SQLITE_LIMIT_ATTACHED, 0)
        reader = r
        return r
    }

    /// Runs `PRAGMA integrity_check` and returns its messages (`["ok"]` for a sound file).
    public func integrityCheck() throws -> [String] {
        let stmt = try db.prepare("PRAGMA integrity_check")
        var out: [String] = []
        while try stmt.step() { out.append(stmt.text(0)) }
        return out
    }
}

extension Workspace: WorkspaceStore {
    /// Workspaces and database files in SQLite: the storage hosts hand to a `Session`.
    public static let storage = Storage(
        openWorkspace: { path in try Workspace(path: path) },
        readTable: { path, table in try SQLiteFile.table(path, table) },
        query: { path, sql, parameters in try SQLiteFile.query(path, sql, parameters.map(SQLiteValue.init)) })

    public func query(_ sql: String, parameters: [TableValue]) throws -> Table {
        try query(sql, parameters.map(SQLiteValue.init))
    }
}
