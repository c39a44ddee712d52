import Foundation

/// Bins for a histogram: edges at nice numbers covering the data, every value counted once (the
/// last bin includes its right edge).
public enum Binning {
    /// Edges and, for each series of values, the count per bin. `bins` is a target (the edges
    /// are rounded to nice numbers); nil picks Sturges' rule, ⌈log₂ n⌉ + 1, between 5 and 50.
    public static func histogram(_ series: [[Double]], bins: Int? = nil) -> (edges: [Double], counts: [[Double]]) {
        let all = series.joined().filter(\.isFinite)
        guard let lo = all.min(), let hi = all.max() else { return ([], series.map { _ in [] }) }
        let target = bins ?? min(max(Int(log2(Double(all.count)).rounded(.up)) + 1, 5), 50)
        // The bin width itself is the nice number (not the axis range, as for ticks), so the
        // number of bins stays near the target.
        let step = hi > lo ? NiceScale.niceNumber((hi - lo) / Double(max(target, 1)), round: true) : 1
        let first = Int((lo / step).rounded(.down))
        let last = max(Int((hi / step).rounded(.up)), first + 1)
        let edges = (first...last).map { Double($0) * step }
        let n = edges.count - 1
        let counts = series.map { values -> [Double] in
            var c = [Double](repeating: 0, count: n)
            for v in values where v.isFinite {
                let k = min(max(Int(((v - edges[0]) / step).rounded(.down)), 0), n - 1)
                c[k] += 1
            }
            return c
        }
        return (edges, counts)
    }
}
