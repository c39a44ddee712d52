// Top-k lists for many users in batches, so that a long evaluation can stop between them.

import Foundation

extension Recommender {
    /// `recommendAll` in batches of users, checking `cancellation` before each: the same lists,
    /// but a request to stop is honoured within one batch. `usersPerBatch` defaults to
    /// `recommendationBatchSize(itemCount:)`. `progress(done, total)` is called after each batch
    /// (users done of all), on the calling thread.
    public func recommendAll(users: [Int32], k: Int, excludeTraining: Bool = true,
                             cancellation: Cancellation, progress: ((Int, Int) -> Void)? = nil,
                             usersPerBatch: Int? = nil) throws -> RecommendationBatch {
        let batch = max(1, usersPerBatch ?? recommendationBatchSize(itemCount: itemCount))
        // The lists themselves: an item and a score per entry.
        try MemoryBudget.require(MemoryBudget.product(users.count, min(k, max(1, itemCount)), 8),
                                 for: "top-\(k) lists for \(users.count) users")
        let unknown = unknownItems
        let ranking = boundedRanking(excluding: unknown)
        if users.count <= batch {
            try cancellation.check()
            let all = recommendAll(users: users, k: k, excludeTraining: excludeTraining, unknownItems: unknown,
                                   ranking: ranking, cancellation: cancellation)
            try cancellation.check()
            progress?(users.count, users.count)
            return all
        }
        var items: [Int32] = [], scores: [Float] = []
        var width = k
        for start in stride(from: 0, to: users.count, by: batch) {
            try cancellation.check()
            let part = recommendAll(users: Array(users[start..<min(start + batch, users.count)]), k: k,
                                    excludeTraining: excludeTraining, unknownItems: unknown, ranking: ranking,
                                    cancellation: cancellation)
            if items.isEmpty {
                let rows = MemoryBudget.product(users.count, part.k)
                items.reserveCapacity(rows); scores.reserveCapacity(rows)
            }
            items += part.items
            scores += part.scores
            width = part.k
            progress?(min(start + batch, users.count), users.count)
        }
        try cancellation.check()
        return RecommendationBatch(users: users, k: width, items: items, scores: scores)
    }
}

/// Users per batch of `recommendAll(…, cancellation:)`: about 2^22 user–item scores, 0.05–0.3 s
/// for a factor model with 64–256 factors on two cores (ML-20M's 27 000 items: 155 users), and at
/// least four users per core so that a batch still runs in parallel.
func recommendationBatchSize(itemCount: Int) -> Int {
    min(16384, max(4 * Parallelism.cores, (1 << 22) / max(1, itemCount)))
}
