import Foundation
import RecCore

extension BiasedMF: LossReporting { public var lossHistory: [Double] { epochLoss } }
extension ImplicitALS: LossReporting {}
extension BPR: LossReporting { public var lossHistory: [Double] { epochLogLikelihood.map { -$0 } } }
extension SVDPlusPlus: LossReporting { public var lossHistory: [Double] { epochLoss } }
extension ExplicitALS: LossReporting {}
extension NCF: LossReporting {}

/// Constructors of the neighbourhood, factorization, neural, content and sequence models.
extension ModelBuiltins {
    static var moreConstructors: [BuiltinSpec] {
        [
            BuiltinSpec("user_knn", [.optional("k", "Int", default: .int(30), range: 1...Int.max), .optional("similarity", "String", default: .string("cosine")),
                                     .optional("shrink", "Float", default: .double(0)), .optional("min_neighbours", "Int", default: .int(1), range: 1...Int.max),
                                     .optional("min_similarity", "Float", default: .double(0)),
                                     .optional("feedback", "String", default: .string("implicit"))], returns: "Model", category: cat,
                        doc: """
                        User-based nearest neighbours (Herlocker et al. 1999, as LensKit's UserUser): an item scores by the k most similar
                        users who have it. similarity: "cosine", "pearson" (mean-centred cosine) or "jaccard"; feedback: "implicit" (sum of
                        similarities) or "explicit" (user mean + weighted average of the neighbours' mean-centred ratings).
                        """) { a in
                let k = try positive(a, "k"), shrink = Float(try nonNegativeFloat(a, "shrink"))
                let minN = try positive(a, "min_neighbours"), minSim = Float(try a.double("min_similarity"))
                let explicit = try feedback(a)
                let simName = try a.string("similarity")
                guard let sim = UserKNN.Similarity(rawValue: simName) else {
                    throw a.error("user_knn(): similarity must be \"cosine\", \"pearson\" or \"jaccard\", got \"\(simName)\"")
                }
                return try make(a, usesValues: explicit) {
                    UserKNN(neighbours: k, minNeighbours: minN, similarity: sim, shrinkage: shrink, minSimilarity: minSim,
                            feedback: explicit ? .explicit : .implicit)
                }
            },
            BuiltinSpec("svdpp", [.optional("factors", "Int", default: .int(20), range: 1...10_000), .optional("epochs", "Int", default: .int(40), range: 0...1_000_000),
                                  .optional("lr", "Float", default: .double(0.01)), .optional("reg", "Float", default: .double(0.1)),
                                  .optional("init_std", "Float", default: .double(0.1)), .optional("seed", "Int", default: .int(42), range: BuiltinParam.anyInt)],
                        returns: "Model", category: cat,
                        doc: """
                        SVD++ (Koren 2008): biased MF whose user vector adds |N(u)|^-½ Σ y_j over the items the user rated, so what a user
                        chose to rate counts as well as how. Needs ratings; SGD, seeded. The defaults were chosen on a validation split
                        of MovieLens u1.base; Surprise's SVDpp defaults are epochs: 20, lr: 0.007, reg: 0.02.
                        """) { a in
                let f = try positive(a, "factors"), e = try nonNegative(a, "epochs"), lr = try positiveFloat(a, "lr")
                let reg = Float(try nonNegativeFloat(a, "reg")), std = Float(try nonNegativeFloat(a, "init_std")), s = try seed(a)
                return try make(a, usesValues: true) {
                    SVDPlusPlus(factors: f, epochs: e, learningRate: lr, regularization: reg, initStd: std, seed: s)
                }
            },
            BuiltinSpec("als", [.optional("factors", "Int", default: .int(50), range: 1...10_000), .optional("reg", "Float"),
                                .optional("iterations", "Int", default: .int(15), range: 0...1_000_000), .optional("implicit", "Bool", default: .bool(false)),
                                .optional("alpha", "Float", default: .double(1)), .optional("seed", "Int", default: .int(42), range: BuiltinParam.anyInt)],
                        returns: "Model", category: cat,
                        doc: """
                        Alternating least squares. implicit: false — ratings, with biases and weighted-λ regularization (Zhou et al. 2008,
                        ALS-WR; reg defaults to 0.1). implicit: true — implicit feedback with confidence 1 + alpha·value (Hu, Koren &
                        Volinsky 2008), solved by conjugate gradient (Takács et al. 2011) as the implicit library does (reg defaults to 0.01).
                        """) { a in
                let f = try positive(a, "factors"), it = try nonNegative(a, "iterations"), s = try seed(a)
                let implicit = try a.bool("implicit")
                let regValue = a.has("reg") ? try nonNegativeFloat(a, "reg") : implicit ? 0.01 : 0.1
                // ALS-WR solves (PᵀP + λ·n·I) per row; λ = 0 leaves users with fewer ratings than factors singular.
                if !implicit && regValue == 0 { throw a.error("als(): reg must be positive for ratings (implicit: false), got 0") }
                let reg = Float(regValue)
                let alpha = Float(try nonNegativeFloat(a, "alpha"))
                let used: [String: Value] = ["reg": .double(regValue)]
                if implicit {
                    return try make(a, usesValues: true, resolved: used) {
                        ImplicitALS(factors: f, iterations: it, regularization: reg, alpha: alpha, seed: s)
                    }
                }
                return try make(a, usesValues: true, resolved: used) { ExplicitALS(factors: f, iterations: it, regularization: reg, seed: s) }
            },
            BuiltinSpec("bpr", [.optional("factors", "Int", default: .int(64), range: 1...10_000), .optional("lr", "Float", default: .double(0.05)),
                                .optional("reg", "Float", default: .double(0.01)), .optional("epochs", "Int", default: .int(50), range: 0...1_000_000),
                                .optional("item_bias", "Bool", default: .bool(true)), .optional("seed", "Int", default: .int(42), range: BuiltinParam.anyInt)],
                        returns: "Model", category: cat,
                        doc: """
                        Bayesian personalized ranking (Rendle et al. 2009): matrix factorization trained by SGD on sampled triples (user,
                        item they have, item they do not) to rank the former above the latter. Implicit feedback; seeded.
                        """) { a in
                let f = try positive(a, "factors"), lr = try positiveFloat(a, "lr"), reg = Float(try nonNegativeFloat(a, "reg"))
                let e = try nonNegative(a, "epochs"), bias = try a.bool("item_bias"), s = try seed(a)
                return try make(a, usesValues: false) {
                    BPR(factors: f, epochs: e, learningRate: lr, regularization: reg, itemBias: bias, seed: s)
                }
            },
            BuiltinSpec("ncf", [.optional("factors", "Int", default: .int(8), range: 1...10_000), .optional("layers", "List", default: .list(ListRef([.int(64), .int(32)]))),
                                .optional("epochs", "Int", default: .int(20), range: 0...1_000_000), .optional("lr", "Float", default: .double(0.001)),
                                .optional("batch_size", "Int", default: .int(256), range: 1...(1 << 24)), .optional("negatives", "Int", default: .int(4), range: 1...1_000),
                                .optional("reg", "Float", default: .double(0)), .optional("seed", "Int", default: .int(42), range: BuiltinParam.anyInt)],
                        returns: "Model", category: cat,
                        doc: """
                        Neural collaborative filtering, NeuMF (He et al. 2017): a GMF branch (element-wise product of embeddings) and an MLP
                        branch (layers[0]: the concatenated user and item embeddings; the rest: ReLU layers) joined by a final sigmoid; trained with
                        Adam on binary cross-entropy with `negatives` sampled non-interactions per interaction. Implicit feedback; seeded.
                        """) { a in
                let f = try positive(a, "factors"), e = try nonNegative(a, "epochs"), lr = try positiveFloat(a, "lr")
                let bs = try positive(a, "batch_size"), neg = try positive(a, "negatives"), reg = Float(try nonNegativeFloat(a, "reg"))
                let s = try seed(a)
                let layers = try a.list("layers").items.map { v -> Int in
                    guard case .int(let n) = v, n > 0 else { throw a.error("ncf(): layers must be a List of positive Ints, got \(v.repr)") }
                    return n
                }
                guard !layers.isEmpty else { throw a.error("ncf(): layers must not be empty") }
                return try make(a, usesValues: false) {
                    // As in the paper's code: layers[0] is the width of the concatenated user and item
                    // embeddings (each layers[0]/2), the rest are the hidden ReLU layers.
                    NCF(factors: f, layers: layers.count > 1 ? Array(layers.dropFirst()) : layers, mlpFactors: max(1, layers[0] / 2),
                        epochs: e, learningRate: lr,
                        batchSize: bs, negatives: neg, regularization: reg, seed: s)
                }
            },
            BuiltinSpec("content_based", [.optional("attributes", "List", default: .list(ListRef([.string("category")])))],
                        returns: "Model", category: cat,
                        doc: """
                        Content-based filtering from item attributes: items are TF-IDF-weighted vectors of their attribute values
                        (multi-valued ones like genres split on '|'); a user's profile is the weighted sum of their items' vectors, and an
                        item scores by its cosine with the profile. Recommends new items no one has interacted with yet.
                        """) { a in
                let attrs = try a.strings("attributes")
                guard !attrs.isEmpty else { throw a.error("content_based(): attributes must name at least one item attribute") }
                return try make(a, usesValues: true) { ContentBased(attributes: attrs) }
            },
            BuiltinSpec("hybrid", [.required("models", "List"), .optional("weights", "List"),
                                   .optional("normalize", "String", default: .string("min_max"))], returns: "Model", category: cat,
                        doc: """
                        A weighted hybrid (Burke 2002): the sum of the component models' scores, each normalized per user first
                        (normalize: "min_max", "z_score" or "none"), times its weight (equal weights by default). Fitting it fits
                        every component on the same data.
                        """) { a in
                let parts = try a.list("models").items.map { v -> ModelObject in
                    guard case .native(let m as ModelObject) = v else { throw a.typeError("models", expected: "a List of Models", got: v) }
                    return m
                }
                guard !parts.isEmpty else { throw a.error("hybrid(): models must not be empty") }
                let weights: [Float] = a.has("weights") ? try a.list("weights").items.map { v in
                    guard let x = Ops.number(v), x.isFinite else { throw a.error("hybrid(): weights must be numbers") }
                    return Float(x)
                } : parts.map { _ in 1 }
                guard weights.count == parts.count else {
                    throw a.error("hybrid(): \(parts.count) models but \(weights.count) weights")
                }
                let norm: Hybrid.Normalization
                switch try a.string("normalize") {
                case "min_max": norm = .minMax
                case "z_score": norm = .zScore
                case "none": norm = .none
                case let s: throw a.error("hybrid(): normalize must be \"min_max\", \"z_score\" or \"none\", got \"\(s)\"")
                }
                let factories = parts.map(\.factory)
                // Components named as in the script; a repeated name gets its position ("item_knn #2").
                let names = parts.map(\.displayName)
                let labels = names.enumerated().map { k, n in names.filter { $0 == n }.count > 1 ? "\(n) #\(k + 1)" : n }
                return try make(a, usesValues: parts.contains { $0.usesValues }) {
                    Hybrid(try zip(factories, weights).map { (try $0(), $1) }, normalization: norm, labels: labels)
                }
            },
            BuiltinSpec("next_item", [.optional("window", "Int", default: .int(1), range: 1...10_000), .optional("decay", "Float", default: .double(0.5))],
                        returns: "Model", category: cat,
                        doc: """
                        A sequential next-item model: first-order Markov transitions between consecutive items of each user's
                        time-ordered history; a user's next items are scored from their last `window` items (weights decay^age).
                        Needs timestamps.
                        """) { a in
                let w = try positive(a, "window"), d = try a.double("decay")
                guard d > 0 && d <= 1 else { throw a.error("next_item(): decay must be in (0, 1]") }
                return try make(a, usesValues: false) { SequentialMarkov(window: w, decay: Float(d)) }
            },
        ]
    }
}
