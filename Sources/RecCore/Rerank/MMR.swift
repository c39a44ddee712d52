// Maximal marginal relevance, Carbonell & Goldstein, "The use of MMR, diversity-based reranking
// for reordering documents and producing summaries", SIGIR 1998:
//
//     MMR = argmax_{D_i ∈ R\S} [ λ Sim1(D_i, Q) − (1 − λ) max_{D_j ∈ S} Sim2(D_i, D_j) ]
//
// Here the skeleton's weight λ sits on the diversity side, Sim1 is the scaled model score and the
// gain is 1 − max_{j ∈ S} Sim2(i, j) (the same ranking as −max Sim2, kept in [0, 1]; 1 for the
// first item). Sim2 is the Jaccard overlap of an item attribute's values (so 1 − Sim2 is the pair
// distance of intra-list diversity, `ild`) or the cosine of item embeddings.

public struct MMRObjective: RerankObjective {
    public var name: String { "mmr" }
    let similarity: (Int32, Int32) -> Double
    let describe: (Int32) -> String
    var items: [Int32] = []

    /// `similarity` in [0, 1]; `describe` names an item's attribute value for the reasons.
    public init(similarity: @escaping (Int32, Int32) -> Double, describe: @escaping (Int32) -> String = { _ in "" }) {
        self.similarity = similarity; self.describe = describe
    }

    /// Similarity as the Jaccard overlap of label sets (row = item), 0 for items without labels.
    public init(labels: ItemSets, names: [String]) {
        self.init(similarity: { a, b in
            // Rows are sorted without duplicates: intersect by merging.
            let x = labels[Int(a)], y = labels[Int(b)]
            guard !x.isEmpty || !y.isEmpty else { return 0 }
            var i = x.startIndex, j = y.startIndex, common = 0
            while i < x.endIndex && j < y.endIndex {
                if x[i] == y[j] { common += 1; i += 1; j += 1 } else if x[i] < y[j] { i += 1 } else { j += 1 }
            }
            return Double(common) / Double(x.count + y.count - common)
        }, describe: { i in labels[Int(i)].map { Int($0) < names.count ? names[Int($0)] : "?" }.joined(separator: "|") })
    }

    /// Similarity as the cosine of item vectors (`vectors` row-major, `dimensions` wide), scaled
    /// from [−1, 1] to [0, 1].
    public init(vectors: [Float], dimensions: Int) {
        self.init(similarity: { a, b in
            var dot = 0.0, na = 0.0, nb = 0.0
            for d in 0..<dimensions {
                let x = Double(vectors[Int(a) * dimensions + d]), y = Double(vectors[Int(b) * dimensions + d])
                dot += x * y; na += x * x; nb += y * y
            }
            guard na > 0, nb > 0 else { return 0 }
            return (dot / (na * nb).squareRoot() + 1) / 2
        })
    }

    public mutating func begin(_ c: RerankCandidates) { items = c.items }

    public func gain(_ c: Int, placed: [Int]) -> Double {
        var most = 0.0
        for p in placed { most = max(most, similarity(items[c], items[p])) }
        return 1 - most
    }

    public func why(_ c: Int, placed: [Int]) -> String {
        let d = describe(items[c])
        return d.isEmpty ? "unlike the items above it (diversity)" : "adds variety (\(d)) to the items above it"
    }
}
