// Popularity that changes over the weeks and items that arrive late, for the synthetic generator.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Each item's life in a drifting catalogue, and the week-by-week samplers it implies.
///
/// With drift `d` (0…1) a share `d / 2` of the items is new: it arrives at a uniformly drawn week
/// after the first and cannot be seen before. Every item's popularity follows a bump over the
/// weeks, exp(−½((week − peak) / width)²) with width a quarter of the log: new items peak half a
/// week after they arrive, the others anywhere from well before the log starts (fading from the
/// first week) to after it ends (still rising). An item's weight in a week is its base weight
/// times (1 − d) + d·bump, so `d` = 1 is pure lifecycle and small `d` a mild trend.
///
/// Drawn from a stream of its own, so the rest of the generator, and so the output with drift 0
/// (which never builds this), does not change.
struct SyntheticDrift {
    /// First week in which each item can be viewed.
    let arrival: [Int]
    /// Per week: the exposure-weighted global sampler and one sampler per category (nil when no
    /// item of the category is on sale that week).
    let global: [CategoricalSampler]
    let inCategory: [[CategoricalSampler?]]

    /// `placement` and `popularity` are the generator's static weights; `rank` its popularity
    /// ranking (the most popular item is never new, so the first week always has something).
    init(config c: SyntheticConfig, placement: [Double], popularity: [Double], rank: [Int], itemsInCat: [[Int]]) {
        var rng = Xoshiro256(seed: c.seed, stream: 3)
        let weeks = max(1, c.weeks), d = min(1, max(0, c.drift))
        let width = max(1, Double(weeks) / 4)
        var arrival = [Int](), peak = [Double]()
        arrival.reserveCapacity(c.items); peak.reserveCapacity(c.items)
        for i in 0..<c.items {
            let isNew = weeks > 1 && rank[i] != 0 && rng.bernoulli(d / 2)
            let a = isNew ? 1 + rng.nextInt(below: weeks - 1) : 0
            arrival.append(a)
            peak.append(isNew ? Double(a) + 0.5 : Double(weeks) * (1.7 * rng.nextDouble() - 0.5))
        }
        self.arrival = arrival
        var global = [CategoricalSampler](), inCategory = [[CategoricalSampler?]]()
        for w in 0..<weeks {
            let mid = Double(w) + 0.5
            let factor = (0..<c.items).map { i -> Double in
                guard arrival[i] <= w else { return 0 }
                let z = (mid - peak[i]) / width
                return (1 - d) + d * exp(-0.5 * z * z)
            }
            global.append(CategoricalSampler(weights: (0..<c.items).map { placement[$0] * factor[$0] }))
            inCategory.append(itemsInCat.map { its in
                let ws = its.map { popularity[$0] * factor[$0] }
                return ws.contains(where: { $0 > 0 }) ? CategoricalSampler(weights: ws) : nil
            })
        }
        self.global = global; self.inCategory = inCategory
    }

    /// What the week-by-week samplers add to the generator's peak memory.
    static func estimatedBytes(_ c: SyntheticConfig) -> Int {
        guard c.drift > 0 else { return 0 }
        return MemoryBudget.product(MemoryBudget.product(max(1, c.weeks), c.items), 2 * 8 + 8)
    }
}
