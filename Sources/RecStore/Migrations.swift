// The workspace schema as an ordered list of migrations.
//
// Rules for editing this file: never change or reorder a migration that has shipped (workspaces
// in the wild have run it); add a new one with the next version number instead.

/// One step of the workspace schema: the SQL that takes a database from `version - 1` to `version`.
struct Migration: Sendable {
    let version: Int
    let summary: String
    let statements: [String]
}

enum WorkspaceMigrations {
    static let all: [Migration] = [
        Migration(version: 1, summary: "saved values with chunked payloads", statements: [
            // Payloads are split into chunks so that a value is not bounded by SQLite's maximum
            // blob size (1 GB by default) and restoring one never needs a single giant blob read.
            """
            CREATE TABLE objects (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                size INTEGER NOT NULL CHECK (size >= 0),
                saved_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE object_chunks (
                object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (object_id, seq)
            ) WITHOUT ROWID
            """,
        ]),
        Migration(version: 2, summary: "experiment log", statements: [
            """
            CREATE TABLE experiments (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                created_at TEXT NOT NULL,
                script TEXT,
                dataset_fingerprint TEXT,
                split_seed INTEGER,
                model TEXT NOT NULL,
                parameters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(parameters)),
                metrics TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metrics))
            )
            """,
            "CREATE INDEX experiments_model ON experiments(model, created_at)",
        ]),
        Migration(version: 3, summary: "a `saved` view for sql() queries", statements: [
            // What analysts query; `objects` and `object_chunks` stay the storage layout.
            "CREATE VIEW saved AS SELECT name, kind, size, saved_at FROM objects",
        ]),
        Migration(version: 4, summary: "privacy ledger and budgets", statements: [
            // One row per differentially private release; `population` groups the releases about
            // the same users (Interactions.populationKey), which budgets are set on.
            """
            CREATE TABLE privacy_ledger (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                created_at TEXT NOT NULL,
                script TEXT,
                population TEXT NOT NULL,
                dataset_fingerprint TEXT NOT NULL,
                model TEXT NOT NULL,
                mechanism TEXT NOT NULL,
                epsilon REAL NOT NULL CHECK (epsilon > 0),
                delta REAL NOT NULL DEFAULT 0 CHECK (delta >= 0)
            )
            """,
            "CREATE INDEX privacy_ledger_population ON privacy_ledger(population, id)",
            """
            CREATE TABLE privacy_budgets (
                population TEXT PRIMARY KEY,
                epsilon REAL NOT NULL CHECK (epsilon > 0),
                set_at TEXT NOT NULL
            )
            """,
        ]),
    ]

    static var latestVersion: Int { all.last?.version ?? 0 }

    /// Brings `db` up to the last migration of `migrations`, all in one IMMEDIATE transaction:
    /// a failure leaves the file exactly as it was, and two processes opening the same new file
    /// cannot both run the migrations (the second waits for the write lock, then sees the new
    /// version). Returns the resulting version.
    @discardableResult
    static func migrate(_ db: SQLiteConnection, _ migrations: [Migration] = all) throws -> Int {
        precondition(zip(migrations, migrations.dropFirst()).allSatisfy { $0.version + 1 == $1.version },
                     "migration versions must be consecutive")
        let latest = migrations.last?.version ?? 0
        return try db.transaction {
            let hasVersionTable = try db.scalar(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'") != nil
            if !hasVersionTable {
                // Only an empty database becomes a workspace: never add tables to someone's data.
                let others = try SQLiteFile.tableNames(db)
                guard others.isEmpty else { throw WorkspaceError.notAWorkspace(path: db.path, tables: others) }
                try db.execute("""
                    CREATE TABLE schema_version (
                        version INTEGER PRIMARY KEY,
                        summary TEXT NOT NULL,
                        applied_at TEXT NOT NULL
                    )
                    """)
            }
            var current = try currentVersion(db)
            if current > latest {
                throw WorkspaceError.newerSchema(path: db.path, version: current, supported: latest)
            }
            for m in migrations where m.version > current {
                for sql in m.statements { try db.execute(sql) }
                try db.run("INSERT INTO schema_version (version, summary, applied_at) VALUES (?, ?, \(Workspace.nowSQL))",
                           [.int(Int64(m.version)), .text(m.summary)])
                current = m.version
            }
            return current
        }
    }

    /// The highest applied migration (0 for a database that has the table but no rows).
    static func currentVersion(_ db: SQLiteConnection) throws -> Int {
        if case .int(let v)? = try db.scalar("SELECT MAX(version) FROM schema_version") { return Int(v) }
        return 0
    }
}
