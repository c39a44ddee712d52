// Non-dominated points of a trade-off: a point is on the Pareto front when no other point is at
// least as good on every metric and strictly better on one (each metric's direction given).

public enum Pareto {
    /// One flag per point (row of `points`, one value per metric). A point with a NaN value is
    /// never on the front and never dominates.
    public static func front(_ points: [[Double]], higherIsBetter: [Bool]) -> [Bool] {
        func oriented(_ p: [Double]) -> [Double] { zip(p, higherIsBetter).map { $1 ? $0 : -$0 } }
        let o = points.map(oriented)
        return o.indices.map { a in
            guard o[a].allSatisfy({ !$0.isNaN }) else { return false }
            return !o.indices.contains { b in
                b != a && o[b].allSatisfy({ !$0.isNaN })
                    && zip(o[b], o[a]).allSatisfy { $0 >= $1 } && zip(o[b], o[a]).contains { $0 > $1 }
            }
        }
    }
}
