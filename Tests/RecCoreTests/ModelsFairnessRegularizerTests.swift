import Foundation
import XCTest
@testable import RecCore

/// Yao & Huang's regulariser in biased_mf: the penalised unfairness falls on the training data.
final class ModelsFairnessRegularizerTests: XCTestCase {
    private var data: Interactions { SyntheticGenerator(SyntheticConfig(users: 150, items: 60, seed: 3)).generate() }

    private func unfairness(_ m: BiasedMF, _ d: Interactions) -> RatingUnfairness {
        let labels = d.userAttributes!.groupLabels("gender", alignedTo: d.users)!
        let preds = (0..<d.count).map { Double(m.score(user: d.user[$0], items: [d.item[$0]])[0]) }
        return Metrics.ratingUnfairness(users: Array(d.user), items: Array(d.item), predictions: preds,
                                        truth: (0..<d.count).map { d.values![$0] }, inGroup: { labels[Int($0)] == "F" })
    }

    func testEachObjectiveLowersItsUnfairnessOnMovieLens() throws {
        let d = try MovieLens.loadSplit(try movieLens100KDirectory()).train
        try check(d, group: "F", weight: 1, objectives: [.value], epochs: 3)
    }

    func testEachObjectiveLowersItsUnfairness() throws {
        try check(data, group: "F", weight: 1, objectives: [.absolute, .under, .over, .nonparity], epochs: 8)
    }

    private func check(_ d: Interactions, group: String, weight: Float, objectives: Set<FairnessObjective>, epochs: Int) throws {
        let plain = BiasedMF(factors: 8, epochs: epochs, seed: 1)
        try plain.fit(d, context: .none)
        let before = unfairness(plain, d)
        let measures: [(FairnessObjective, KeyPath<RatingUnfairness, Double>)] = [
            (.value, \.value), (.absolute, \.absolute), (.under, \.under), (.over, \.over), (.nonparity, \.nonParity),
        ]
        for (objective, measure) in measures where objectives.contains(objective) {
            let fair = BiasedMF(factors: 8, epochs: epochs, seed: 1, fairness: objective, fairnessWeight: weight, fairnessBy: "gender", fairnessGroup: group)
            try fair.fit(d, context: .none)
            let after = unfairness(fair, d)
            XCTAssertLessThan(after[keyPath: measure], before[keyPath: measure], "\(objective)")
        }
        // Same seed, same model.
        let a = BiasedMF(factors: 8, epochs: 5, seed: 1, fairness: .value, fairnessBy: "gender", fairnessGroup: "F")
        let b = BiasedMF(factors: 8, epochs: 5, seed: 1, fairness: .value, fairnessBy: "gender", fairnessGroup: "F")
        try a.fit(d, context: .none); try b.fit(d, context: .none)
        XCTAssertEqual(a.itemFactors, b.itemFactors)
    }

    func testNeedsTwoGroupsOrANamedOne() throws {
        // Synthetic gender has F, M and X: without group: the fit says so.
        let m = BiasedMF(factors: 4, epochs: 1, fairness: .value, fairnessBy: "gender")
        XCTAssertThrowsError(try m.fit(data, context: .none)) { e in
            XCTAssertTrue("\(e)".contains("has 3 (F, M, X)"), "\(e)")
        }
        XCTAssertThrowsError(try BiasedMF.kind.configure(["fairness": .string("value")])) { e in
            XCTAssertTrue("\(e)".contains("needs by:"), "\(e)")
        }
    }
}
