// Rating-prediction accuracy: RMSE and MAE over (prediction, truth) pairs.

extension Metrics {
    /// Root mean squared error √(Σ (p − t)² / n) over all pairs (NaN when there are none).
    public static func rmse(predictions: [Double], truth: [Double]) -> Double {
        precondition(predictions.count == truth.count, "predictions and truth differ in length")
        guard !truth.isEmpty else { return .nan }
        var s = 0.0
        for j in truth.indices {
            let e = predictions[j] - truth[j]
            s += e * e
        }
        return (s / Double(truth.count)).squareRoot()
    }

    /// Mean absolute error Σ |p − t| / n over all pairs (NaN when there are none).
    public static func mae(predictions: [Double], truth: [Double]) -> Double {
        precondition(predictions.count == truth.count, "predictions and truth differ in length")
        guard !truth.isEmpty else { return .nan }
        var s = 0.0
        for j in truth.indices { s += abs(predictions[j] - truth[j]) }
        return s / Double(truth.count)
    }

    /// RMSE and MAE of each user's pairs (for per-user tables and paired tests); users without
    /// pairs are absent. The mean of the per-user RMSE is not the global RMSE.
    public static func ratingErrors(users: [Int32], predictions: [Double], truth: [Double],
                                    userCount: Int) -> (rmse: PerUserMetric, mae: PerUserMetric) {
        precondition(users.count == truth.count && predictions.count == truth.count, "columns differ in length")
        var n = [Int](repeating: 0, count: userCount)
        var sq = [Double](repeating: 0, count: userCount), ab = sq
        for j in users.indices {
            let u = Int(users[j])
            let e = predictions[j] - truth[j]
            n[u] += 1
            sq[u] += e * e
            ab[u] += abs(e)
        }
        for u in 0..<userCount {
            if n[u] == 0 {
                sq[u] = .nan
                ab[u] = .nan
            } else {
                sq[u] = (sq[u] / Double(n[u])).squareRoot()
                ab[u] /= Double(n[u])
            }
        }
        return (PerUserMetric(dense: sq), PerUserMetric(dense: ab))
    }
}
