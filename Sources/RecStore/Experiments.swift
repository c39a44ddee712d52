// The experiment log: one row per evaluation run, appended by the language's `evaluate` & co.

import RecCore

/// One experiment to log. `parameters` and `metrics` are JSON object text (build them with
/// `JSONText.object`); SQLite checks them, and they can be queried with SQLite's JSON functions
/// (`SELECT json_extract(metrics, '$.ndcg') FROM experiments`).
public struct ExperimentRecord: Sendable, Equatable {
    /// The script (path or name) that ran the experiment, if any.
    public var script: String?
    /// A fingerprint of the dataset, so results on different data are never compared by accident.
    public var datasetFingerprint: String?
    public var splitSeed: Int64?
    public var model: String
    public var parameters: String
    public var metrics: String

    public init(script: String? = nil, datasetFingerprint: String? = nil, splitSeed: Int64? = nil,
                model: String, parameters: String = "{}", metrics: String = "{}") {
        self.script = script
        self.datasetFingerprint = datasetFingerprint
        self.splitSeed = splitSeed
        self.model = model
        self.parameters = parameters
        self.metrics = metrics
    }
}

extension Workspace {
    /// Appends an experiment and returns its id (ids increase and are never reused).
    @discardableResult
    public func appendExperiment(_ e: ExperimentRecord) throws -> Int64 {
        for (field, text) in [("parameters", e.parameters), ("metrics", e.metrics)] {
            // Checked here for a clear message; the table's CHECK constraint is the backstop.
            guard try db.scalar("SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'object' ELSE 0 END", [.text(text)]) == .int(1) else {
                throw WorkspaceError.invalidArgument("experiment \(field) must be a JSON object, got: \(text.prefix(80))")
            }
        }
        return try db.transaction {
            try db.run("""
                INSERT INTO experiments (created_at, script, dataset_fingerprint, split_seed, model, parameters, metrics)
                VALUES (\(Workspace.nowSQL), ?, ?, ?, ?, json(?), json(?))
                """, [e.script.map { .text($0) } ?? .null, e.datasetFingerprint.map { .text($0) } ?? .null,
                      e.splitSeed.map { .int($0) } ?? .null, .text(e.model), .text(e.parameters), .text(e.metrics)])
            return db.lastInsertRowID
        }
    }

    @discardableResult
    public func appendExperiment(script: String? = nil, datasetFingerprint: String? = nil, splitSeed: Int64? = nil,
                                 model: String, parameters: String = "{}", metrics: String = "{}") throws -> Int64 {
        try appendExperiment(ExperimentRecord(script: script, datasetFingerprint: datasetFingerprint, splitSeed: splitSeed,
                                              model: model, parameters: parameters, metrics: metrics))
    }

    /// The experiment log as a table, oldest first: id, created_at, script, dataset_fingerprint,
    /// split_seed, model, parameters, metrics (the last two as JSON text).
    public func experiments() throws -> Table {
        let stmt = try db.prepare("""
            SELECT id, created_at, script, dataset_fingerprint, split_seed, model, parameters, metrics
            FROM experiments ORDER BY id
            """)
        return try SQLiteTableReader.table(from: stmt)
    }
}
