// What the language needs from a workspace, as a protocol: the interpreter is handed a way to
// open one by its host (the command, a notebook kernel, a test) and never imports the SQLite
// implementation, as Wren's VM knows nothing of its host but what the host binds.

/// A saved value as stored: its kind and its encoded bytes.
public struct SavedPayload: Sendable, Equatable {
    public var kind: String
    public var bytes: [UInt8]

    public init(kind: String, bytes: [UInt8]) {
        self.kind = kind
        self.bytes = bytes
    }
}

/// An open workspace: named saved values and the experiment log, in one file.
public protocol WorkspaceStore: AnyObject {
    /// The file it lives in.
    var path: String { get }
    /// Saves `payload` under `name`, replacing an older value atomically.
    func save(name: String, kind: String, payload: [UInt8]) throws
    /// The value saved under `name`; throws when there is none.
    func restore(name: String) throws -> SavedPayload
    /// What it holds: name, kind, size in bytes and when saved.
    func savedTable() throws -> Table
    /// A read-only query with `?` placeholders bound to `parameters`.
    func query(_ sql: String, parameters: [TableValue]) throws -> Table
    /// Appends one row to the experiment log (parameters and metrics as JSON object text);
    /// returns its id.
    @discardableResult
    func appendExperiment(script: String?, datasetFingerprint: String?, splitSeed: Int64?,
                          model: String, parameters: String, metrics: String) throws -> Int64
    /// The experiment log, oldest first.
    func experiments() throws -> Table
    /// Ends the hold on the file: afterwards it is complete on its own.
    func close()

    /// The privacy ledger (Privacy/PrivacyLedger.swift): appends one differentially private release.
    func appendPrivacySpend(_ spend: PrivacySpend) throws
    /// The releases charged to a population (a dataset's users), oldest first.
    func privacySpends(population: String) throws -> [PrivacySpend]
    /// Sets (replaces) the ε budget of a population.
    func setPrivacyBudget(population: String, epsilon: Double) throws
    /// The ε budget of a population, nil when none was set.
    func privacyBudget(population: String) throws -> Double?
}

/// A host's own store need not keep a privacy ledger: differentially private fits then say so
/// rather than spend budget nobody records.
extension WorkspaceStore {
    public func appendPrivacySpend(_ spend: PrivacySpend) throws { throw Self.noLedger(path) }
    public func privacySpends(population: String) throws -> [PrivacySpend] { throw Self.noLedger(path) }
    public func setPrivacyBudget(population: String, epsilon: Double) throws { throw Self.noLedger(path) }
    public func privacyBudget(population: String) throws -> Double? { throw Self.noLedger(path) }
    private static func noLedger(_ path: String) -> DataError {
        DataError(.invalidArgument, message: "the workspace \(path) keeps no privacy ledger")
    }
}

extension WorkspaceStore {
    /// Saves a value of a `WorkspaceCodable` type (table, dataset, split) under `name`.
    public func save<T: WorkspaceCodable>(name: String, value: T) throws {
        try save(name: name, kind: T.workspaceKind, payload: try value.workspaceEncode())
    }
}

/// What a host lends the interpreter for files in a database format: opening workspaces, and
/// reading any database file without changing it (`sqlite_table`, `sqlite_query`). The command
/// passes RecStore's SQLite implementation (`Workspace.storage`); a host without storage passes
/// none and the builtins say so.
public struct Storage: Sendable {
    /// Opens (creating if needed) the workspace at a path.
    public var openWorkspace: @Sendable (_ path: String) throws -> any WorkspaceStore
    /// All rows of table or view `table` of the database file at `path`, read-only.
    public var readTable: @Sendable (_ path: String, _ table: String) throws -> Table
    /// One read-only statement on the database file at `path`, `?` bound to `parameters`.
    public var query: @Sendable (_ path: String, _ sql: String, _ parameters: [TableValue]) throws -> Table

    public init(openWorkspace: @escaping @Sendable (String) throws -> any WorkspaceStore,
                readTable: @escaping @Sendable (String, String) throws -> Table,
                query: @escaping @Sendable (String, String, [TableValue]) throws -> Table) {
        self.openWorkspace = openWorkspace; self.readTable = readTable; self.query = query
    }
}
