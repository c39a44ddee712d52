import Foundation
import RecCore
import RecPlot

/// Charts of models and data: training loss, item embeddings, item similarities, the long tail.
extension PlotBuiltins {
    static func modelChart(_ m: ModelObject, _ a: Arguments) throws -> Chart {
        let k = try kind(try a.optionalString("kind") ?? "loss", allowed: ["loss", "embeddings", "similarity"], a)
        if k != "embeddings", a.has("color") { throw a.error("plot(): color: applies to kind: \"embeddings\"") }
        if k != "similarity", a.has("items") { throw a.error("plot(): items: applies to kind: \"similarity\"") }
        guard let data = m.trainedOn else { throw a.error("plot(): the \(m.displayName) model is not fitted yet; call fit(model, data) first") }
        switch k {
        case "embeddings": return try embeddingChart(m, data, a)
        case "similarity": return try similarityChart(m, data, a)
        default: return try lossChart([m], a)
        }
    }

    /// Loss per epoch, one line per model.
    static func lossChart(_ models: [ModelObject], _ a: Arguments) throws -> Chart {
        for m in models {
            guard m.isFitted else { throw a.error("plot(): the \(m.displayName) model is not fitted yet; call fit(model, data) first") }
            guard !m.lossHistory.isEmpty else {
                throw a.error("plot(): \(m.displayName) records no training loss (only models trained in epochs do: biased_mf, svdpp, als, bpr, ncf …)")
            }
        }
        var used = Set<String>()
        let series = models.map { m -> XYSeries in
            var name = m.displayName, n = 2
            while !used.insert(name).inserted { name = "\(m.displayName) (\(n))"; n += 1 }
            return XYSeries(name, x: m.lossHistory.indices.map { Double($0 + 1) }, y: m.lossHistory)
        }
        let title = models.count == 1 ? "Training loss: \(models[0].displayName)" : "Training loss"
        return Chart(.line, .xy(series), title: title, xLabel: "epoch", yLabel: "loss")
    }

    /// Item vectors projected on their first two principal components.
    static func embeddingChart(_ m: ModelObject, _ data: Interactions, _ a: Arguments) throws -> Chart {
        guard let f = m.model as? FactorModel else {
            throw a.error("plot(): kind: \"embeddings\" needs a latent-factor model (biased_mf, svdpp, als, bpr …); \(m.displayName) has no item vectors")
        }
        let items = (0..<Int32(f.itemCount)).filter { f.knows(item: $0) }
        var vectors: [Float] = []
        vectors.reserveCapacity(items.count * f.factors)
        for i in items { vectors += f.itemVector(i) }
        let pca = PrincipalComponents(vectors, rows: items.count, dimensions: f.factors)
        let points = pca.project(vectors, rows: items.count)
        var groups: [String] = Array(repeating: "items", count: items.count)
        if let color = try a.optionalString("color") {
            guard let attrs = data.itemAttributes, let labels = attrs.groupLabels(color, alignedTo: data.items) else {
                let known = data.itemAttributes?.columnNames.joined(separator: ", ") ?? "none"
                throw a.error("plot(): no item attribute '\(color)' to colour by (item attributes: \(known))")
            }
            groups = items.map { labels[Int($0)] }
        }
        groups = keepLargestGroups(groups, max: Chart.maxSeries)
        let order = distinct(groups).sorted(by: naturalLess).sorted { ($0 == "other") == false && $1 == "other" }
        let series = order.map { g -> XYSeries in
            let rows = groups.indices.filter { groups[$0] == g }
            return XYSeries(g, x: rows.map { points[$0][0] }, y: rows.map { points[$0][1] })
        }
        let share = pca.explainedVariance.map { NumberText.fixed($0 * 100, decimals: 1) + " %" }
        var c = Chart(.scatter, .xy(series), title: "Item embeddings: \(m.displayName) (PCA of \(f.factors) factors)",
                      xLabel: "PC1 (\(share[0]) of variance)", yLabel: "PC2 (\(share[1]) of variance)")
        c.notes = ["\(items.count) items; the two components explain \(NumberText.fixed((pca.explainedVariance[0] + pca.explainedVariance[1]) * 100, decimals: 1)) % of the variance of the item vectors"]
        return c
    }

    /// Labels of all but the `max - 1` largest groups become "other", so colours stay tellable.
    static func keepLargestGroups(_ labels: [String], max: Int) -> [String] {
        var size: [String: Int] = [:]
        for l in labels { size[l, default: 0] += 1 }
        guard size.count > max else { return labels }
        let keep = Set(distinct(labels).sorted { size[$0]! != size[$1]! ? size[$0]! > size[$1]! : naturalLess($0, $1) }.prefix(max - 1))
        return labels.map { keep.contains($0) ? $0 : "other" }
    }

    static let maxSimilarityItems = 60

    /// Similarities between chosen items under the model (what similar_items ranks by).
    static func similarityChart(_ m: ModelObject, _ data: Interactions, _ a: Arguments) throws -> Chart {
        var chosen: [Int32]
        if a.has("items") {
            chosen = try a.list("items").items.map { try ModelBuiltins.itemIndex($0, m, data, a) }
            guard !chosen.isEmpty else { throw a.error("plot(): items: is empty") }
            guard chosen.count <= maxSimilarityItems else { throw a.error("plot(): \(chosen.count) items are too many for a readable heatmap (at most \(maxSimilarityItems))") }
        } else {
            let counts = data.itemCounts()
            let candidates = (0..<Int32(counts.count)).filter { m.model.knows(item: $0) && counts[Int($0)] > 0 }
            chosen = Array(candidates.sorted { (x: Int32, y: Int32) -> Bool in
                let cx = counts[Int(x)], cy = counts[Int(y)]
                return cx != cy ? cx > cy : x < y
            }.prefix(10))
        }
        var values: [[Double]] = [], any = false
        for i in chosen {
            let list = m.model.similarKnownItems(to: i, k: m.model.itemCount)
            any = any || !list.isEmpty
            var score: [Int32: Float] = [:]
            for (j, s) in list { score[j] = s }
            // An item is not in its own list; an item left out of another's list has no similarity to it.
            values.append(chosen.map { j in j == i ? .nan : Double(score[j] ?? 0) })
        }
        guard any || chosen.count < 2 else { throw a.error("plot(): the \(m.displayName) model has no notion of item similarity") }
        let labels = chosen.map { data.items.key(at: $0) }
        return Chart(.heatmap, .heatmap(Heatmap(rowLabels: labels, columnLabels: labels, values: values)),
                     title: "Item similarity: \(m.displayName)", xLabel: "item", yLabel: "item")
    }

    /// The share of interactions of each item, items by popularity rank, with the top 1 % and 20 %
    /// marked; at most about a thousand ranks are drawn (the curve falls monotonically, so
    /// evenly spaced ranks draw the same shape).
    static func longTailChart(_ d: Interactions) -> Chart {
        let counts = d.itemCounts().filter { $0 > 0 }.sorted(by: >)
        let total = Double(counts.reduce(0, +)), n = counts.count
        var c = Chart(.line, .xy([]), title: "Long tail: \(n) items, \(Int(total)) interactions",
                      xLabel: "item popularity rank", yLabel: "share of interactions (%)")
        guard n > 0, total > 0 else { return c }
        let step = max(1, n / 1000)
        var ranks = Array(stride(from: 1, through: n, by: step))
        if ranks.last != n { ranks.append(n) }
        c.content = .xy([XYSeries("share of interactions", x: ranks.map(Double.init), y: ranks.map { Double(counts[$0 - 1]) / total * 100 })])
        c.yFromZero = true
        var cumulative = [0.0]
        for x in counts { cumulative.append(cumulative.last! + Double(x)) }
        for p in [1, 20] {
            let top = max(1, Int((Double(n) * Double(p) / 100).rounded(.up)))
            let share = cumulative[top] / total * 100
            c.xMarkers.append(Marker(x: Double(top), label: "top \(p) % (\(top) item\(top == 1 ? "" : "s")): \(NumberText.fixed(share, decimals: 1)) % of interactions"))
        }
        return c
    }
}
