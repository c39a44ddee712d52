// The fairness regularisers of Yao & Huang, "Beyond Parity: Fairness Objectives for Collaborative
// Filtering", NeurIPS 2017 (§4): training minimises MSE + λ_f · U + regularisation, U one of the
// unfairness measures of `RatingUnfairness.swift` (value, absolute, under, over, non-parity)
// between two user groups, computed on the training ratings. The paper trains full-batch with
// Adam; `BiasedMF` trains by SGD, so here the group means behind U are recomputed from the current
// model 20 times an epoch and held in between, and each rating's error gets U's gradient with
// respect to its prediction, scaled so that the SGD pass minimises
//     ½ Σ e² + (N/2) λ_f U       (N ratings; the same optimum as MSE + λ_f U):
//
//     e' = e − (N/2) λ_f ∂U/∂ŷ_uj
//
// For the per-item measures, with t_j the item's term inside |·| and N_g,j the group's ratings
// of item j, ∂U/∂ŷ_uj = sign(t_j) ∂t_j/∂ŷ_uj / n, e.g. for U_val ±1/N_g,j (+ for g, − for ¬g).
// As in RecBole's FOCF, |t| is smoothed to the Huber (smooth L1) loss, whose derivative is t
// itself for |t| < 1: the push fades as a gap closes instead of overshooting it while the means
// are held.

/// Which unfairness a fit penalises.
public enum FairnessObjective: String, Sendable, CaseIterable {
    case none, value, absolute, under, over, nonparity
}

/// The per-epoch state of the regulariser: group means per item and overall.
struct FairnessRegularizer {
    let objective: FairnessObjective
    let weight: Float
    /// Per user: 0 (g), 1 (¬g) or −1 (in neither).
    let side: [Int8]
    /// Per item and side: count, mean prediction − mean truth (d); per side overall.
    var count: [[Float]] = [[], []], difference: [[Float]] = [[], []]
    var sideCount: [Float] = [0, 0], sideMeanPrediction: [Float] = [0, 0]
    var itemsBoth: Float = 0
    var scale: Float = 0

    init(objective: FairnessObjective, weight: Float, side: [Int8]) {
        self.objective = objective; self.weight = weight; self.side = side
    }

    /// Recomputes the group means from the current predictions of every training rating.
    mutating func refresh(users: UnsafeBufferPointer<Int32>, items: UnsafeBufferPointer<Int32>, ratings: UnsafeBufferPointer<Float>,
                          itemCount: Int, predict: (Int, Int) -> Float) {
        var n: [[Float]] = [Array(repeating: 0, count: itemCount), Array(repeating: 0, count: itemCount)]
        var d = n
        var sc: [Float] = [0, 0], sp: [Float] = [0, 0]
        for k in users.indices {
            let u = Int(users[k]), i = Int(items[k])
            guard u < side.count, side[u] >= 0 else { continue }
            let s = Int(side[u]), y = predict(u, i)
            n[s][i] += 1; d[s][i] += y - ratings[k]
            sc[s] += 1; sp[s] += y
        }
        var both: Float = 0
        for i in 0..<itemCount {
            for s in 0..<2 where n[s][i] > 0 { d[s][i] /= n[s][i] }
            if n[0][i] > 0 && n[1][i] > 0 { both += 1 }
        }
        count = n; difference = d; sideCount = sc
        sideMeanPrediction = (0..<2).map { sc[$0] > 0 ? sp[$0] / sc[$0] : 0 }
        itemsBoth = both
        scale = Float(users.count) / 2 * weight
    }

    /// ∂U/∂ŷ for a rating of user u on item i, times (N/2) λ_f: what to subtract from the error.
    func correction(user u: Int, item i: Int) -> Float {
        guard objective != .none, u < side.count, side[u] >= 0 else { return 0 }
        let s = Int(side[u]), sign: Float = s == 0 ? 1 : -1
        if objective == .nonparity {
            guard sideCount[0] > 0 && sideCount[1] > 0 else { return 0 }
            let t = sideMeanPrediction[0] - sideMeanPrediction[1]
            return scale * smoothSign(t) * sign / sideCount[s]
        }
        guard itemsBoth > 0, count[0][i] > 0, count[1][i] > 0 else { return 0 }
        let dg = difference[0][i], dn = difference[1][i], mine = s == 0 ? dg : dn
        let t: Float, inner: Float
        switch objective {
        case .value: t = dg - dn; inner = 1
        case .absolute: t = abs(dg) - abs(dn); inner = sgn(mine)
        case .under: t = max(0, -dg) - max(0, -dn); inner = mine < 0 ? -1 : 0
        case .over: t = max(0, dg) - max(0, dn); inner = mine > 0 ? 1 : 0
        case .none, .nonparity: return 0
        }
        return scale * smoothSign(t) * sign * inner / count[s][i] / itemsBoth
    }

    private func sgn(_ x: Float) -> Float { x > 0 ? 1 : x < 0 ? -1 : 0 }
    /// The derivative of the smooth L1 loss: t inside [−1, 1], its sign outside.
    private func smoothSign(_ t: Float) -> Float { min(1, max(-1, t)) }
}
