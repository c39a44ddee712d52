// Popularity bias between the short head and the long tail of the catalogue, as Elliot computes
// it (Anelli et al., "Elliot: a comprehensive and rigorous framework for reproducible
// recommender systems evaluation", SIGIR 2021; metrics PopRSP and PopREO) after Zhu, Wang &
// Caverlee, "Measuring and mitigating item under-recommendation bias in personalized ranking
// systems", SIGIR 2020. The short head is the most popular items holding 80% of the training
// interactions (Elliot's split), the long tail the rest. Per group a ∈ {head, tail}:
//
//     RSP:  P(R@k | a)      = Σ_u |R@k_u ∩ a|         / Σ_u |a \ I_u^train|
//     REO:  P(R@k | a, y=1) = Σ_u |R@k_u ∩ a ∩ T_u|   / Σ_u |(a ∩ T_u) \ I_u^train|
//
// and the measure is std / mean of the two probabilities (population std, as numpy's np.std):
// for two groups |P_h − P_t| / (P_h + P_t). 0 is parity; larger is more biased.

extension Metrics {
    /// PopRSP (ranking-based statistical parity) over the lists' top k; `shortHead[i]` marks
    /// head items (`longTailItems` negated), `training` row r the training items of list r's user.
    public static func popRSP(_ lists: RecommendationLists, k: Int, training: ItemSets, shortHead: [Bool]) -> Double {
        let headSize = shortHead.filter { $0 }.count, tailSize = shortHead.count - headSize
        var num = [0.0, 0.0], den = [0.0, 0.0]
        for r in 0..<lists.count {
            for i in lists[r].prefix(k) where Int(i) < shortHead.count { num[shortHead[Int(i)] ? 0 : 1] += 1 }
            var trainHead = 0, trainTail = 0
            for i in training[r] where Int(i) < shortHead.count { if shortHead[Int(i)] { trainHead += 1 } else { trainTail += 1 } }
            den[0] += Double(headSize - trainHead); den[1] += Double(tailSize - trainTail)
        }
        return stdOverMean(zip(num, den).map { $0.0 / $0.1 })
    }

    /// PopREO (ranking-based equal opportunity): as PopRSP over the relevant test items only.
    public static func popREO(_ lists: RecommendationLists, k: Int, relevant: ItemSets, training: ItemSets, shortHead: [Bool]) -> Double {
        var num = [0.0, 0.0], den = [0.0, 0.0]
        for r in 0..<min(lists.count, relevant.count) {
            for i in lists[r].prefix(k) where Int(i) < shortHead.count && relevant.contains(i, row: r) {
                num[shortHead[Int(i)] ? 0 : 1] += 1
            }
            for i in relevant[r] where Int(i) < shortHead.count && !training.contains(i, row: r) {
                den[shortHead[Int(i)] ? 0 : 1] += 1
            }
        }
        return stdOverMean(zip(num, den).map { $0.0 / $0.1 })
    }

    /// Population standard deviation over mean (NaN when undefined).
    static func stdOverMean(_ xs: [Double]) -> Double {
        guard !xs.isEmpty, xs.allSatisfy({ $0.isFinite }) else { return .nan }
        let mean = xs.reduce(0, +) / Double(xs.count)
        guard mean != 0 else { return .nan }
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
        return variance.squareRoot() / mean
    }
}
