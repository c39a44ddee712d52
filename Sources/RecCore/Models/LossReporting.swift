/// Models trained iteratively record their training loss per epoch (lower is better), one
/// spelling for all: MSE for the rating models, the regularized objective for ALS, the negative
/// mean log-likelihood of BPR's sampled triples, binary cross-entropy for NCF.
public protocol LossReporting {
    var lossHistory: [Double] { get }
}

extension BiasedMF: LossReporting {}
extension SVDPlusPlus: LossReporting {}
extension ImplicitALS: LossReporting {}
extension ExplicitALS: LossReporting {}
extension BPR: LossReporting {}
extension NCF: LossReporting {}
