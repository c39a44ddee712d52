// The privacy ledger in the workspace (migration 4): releases and budgets survive the session,
// so a budget holds across scripts and days, as the data's exposure does.

import RecCore

extension Workspace {
    public func appendPrivacySpend(_ s: PrivacySpend) throws {
        try db.run("""
            INSERT INTO privacy_ledger (created_at, script, population, dataset_fingerprint, model, mechanism, epsilon, delta)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(s.time), s.script.map { .text($0) } ?? .null, .text(s.population), .text(s.datasetFingerprint),
                  .text(s.model), .text(s.mechanism), .double(s.epsilon), .double(s.delta)])
    }

    public func privacySpends(population: String) throws -> [PrivacySpend] {
        let stmt = try db.prepare("""
            SELECT created_at, script, population, dataset_fingerprint, model, mechanism, epsilon, delta
            FROM privacy_ledger WHERE population = ? ORDER BY id
            """)
        try stmt.bind([.text(population)])
        var out: [PrivacySpend] = []
        while try stmt.step() {
            out.append(PrivacySpend(population: stmt.text(2), datasetFingerprint: stmt.text(3), model: stmt.text(4),
                                    mechanism: stmt.text(5), epsilon: stmt.double(6), delta: stmt.double(7),
                                    time: stmt.text(0), script: stmt.isNull(1) ? nil : stmt.text(1)))
        }
        return out
    }

    public func setPrivacyBudget(population: String, epsilon: Double) throws {
        try db.run("""
            INSERT INTO privacy_budgets (population, epsilon, set_at) VALUES (?, ?, \(Workspace.nowSQL))
            ON CONFLICT(population) DO UPDATE SET epsilon = excluded.epsilon, set_at = excluded.set_at
            """, [.text(population), .double(epsilon)])
    }

    public func privacyBudget(population: String) throws -> Double? {
        if case .double(let e)? = try db.scalar("SELECT epsilon FROM privacy_budgets WHERE population = ?", [.text(population)]) { return e }
        return nil
    }
}
