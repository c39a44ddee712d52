// Top-k lists for many users in batches, so that a long evaluation can stop between them.

import Foundation

extension Recommender {
    /// `recommendAll` in batches of users, checking `cancellation` before each: the same lists,
    /// but a request to stop is honoured within one batch. A batch scores about 2^20 user–item
    /// pairs (tens of milliseconds for a factor model), and has at least a few users per core so
    /// the batches still run in parallel.
    public func recommendAll(users: [Int32], k: Int, excludeTraining: Bool = true,
                             cancellation: Cancellation) throws -> RecommendationBatch {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let batch = min(4096, max(4 * cores, (1 << 20) / max(1, itemCount)))
        if users.count <= batch {
            try cancellation.check()
            return recommendAll(users: users, k: k, excludeTraining: excludeTraining)
        }
        var items: [Int32] = [], scores: [Float] = []
        var width = k
        for start in stride(from: 0, to: users.count, by: batch) {
            try cancellation.check()
            let part = recommendAll(users: Array(users[start..<min(start + batch, users.count)]), k: k,
                                    excludeTraining: excludeTraining)
            items += part.items
            scores += part.scores
            width = part.k
        }
        return RecommendationBatch(users: users, k: width, items: items, scores: scores)
    }
}
