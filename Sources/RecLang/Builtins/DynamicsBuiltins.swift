import Foundation
import RecCore

/// Models that keep up with behaviour: `update` folds new events into a fitted model, `replay`
/// evaluates a model over time (docs/dynamics.md).
enum DynamicsBuiltins {
    static func register(into r: BuiltinRegistry) {
        let cat = "Dynamics"
        r.register([
            BuiltinSpec("update", [.required("model", "Model"), .required("new_events", "Dataset")], returns: "Model", category: cat,
                        doc: """
                        Folds new interactions into a fitted model without a full refit and returns it; the model then stands for its
                        training data followed by the new events, and knows their new users and items.
                        popularity adds to its counts (decayed ones age first); item_knn recomputes the neighbour lists the new events can
                        change; als re-solves the touched users against the fixed item factors and solves the new items against the user
                        factors (a fold-in); biased_mf runs its SGD passes over the new events. Other models say they cannot update.
                        """) { a in
                let m = try ModelBuiltins.model(a)
                let data = try DataBuiltins.dataset(a, "new_events")
                try DataBuiltins.rethrow(a) {
                    do { try m.update(data, context: FitContext(cancellation: a.cancellation)) }
                    catch let e as DivergenceError { throw a.error("update(): \(ModelBuiltins.divergence(e, of: m))") }
                    catch is Cancelled { throw a.interrupted("update() stopped; the model was left as it was") }
                    catch let e as DataError { throw a.error("update(): \(e.message)") }
                }
                return .native(m)
            },
        ])
    }
}
