// Popularity kept current: new events add to the counts (decayed counts age first), so an update
// gives exactly the counts a fit on the whole log would.

import Foundation

extension Popularity: IncrementalRecommender {
    /// Per-item Σ 0.5^((now − t) / half-life) over the rows, now being the latest timestamp.
    static func decayedCounts(_ rows: Interactions, halfLife: Double, items: Int, now given: Int64? = nil) throws -> ([Float], Int64) {
        guard let ts = rows.timestamps else {
            throw DataError(.invalidArgument, message: "popularity with half_life: needs a timestamp column in the data")
        }
        let now = max(given ?? Int64.min, ts.max() ?? 0)
        var c = [Double](repeating: 0, count: items)
        let perSecond = 1 / (halfLife * 86_400)
        for r in 0..<rows.count { c[Int(rows.item[r])] += Popularity.decay(now - ts[r], perSecond) }
        return (c.map { Float($0) }, now)
    }

    @inline(__always)
    static func decay(_ age: Int64, _ perSecond: Double) -> Double { pow(0.5, Double(age) * perSecond) }

    public func update(_ u: TrainingUpdate, context: FitContext) throws {
        // Grouped counts depend on each user's main channel or attribute, which new events can
        // change: recounting is as cheap as fitting, and exact.
        if groupBy != nil { return try fit(u.all, context: context) }
        let ni = u.all.itemCount, new = u.newEvents
        var c = counts + [Float](repeating: 0, count: ni - counts.count)
        if let halfLife {
            let (added, now) = try Popularity.decayedCounts(new, halfLife: halfLife, items: ni, now: referenceTime)
            let old = referenceTime ?? now
            let age = Float(Popularity.decay(now - old, 1 / (halfLife * 86_400)))
            for i in 0..<ni { c[i] = c[i] * age + added[i] }
            referenceTime = now
        } else if distinctUsers {
            // A pair counts once: only pairs neither the old log nor an earlier new row had.
            let newPairs = new.matrix(duplicates: .sum, values: .ones)
            for user in 0..<newPairs.rows {
                let old = user < trainingItems.userCount ? Set(trainingItems.items(of: Int32(user))) : []
                for k in newPairs.rowPtr[user]..<newPairs.rowPtr[user + 1] where !old.contains(newPairs.colIdx[k]) {
                    c[Int(newPairs.colIdx[k])] += 1
                }
            }
        } else {
            for i in new.item { c[Int(i)] += 1 }
        }
        counts = c
        userCount = u.all.userCount
        trainingItems = trainingItems.merging(new)
    }
}
