import Foundation
import XCTest
@testable import RecCore

/// Fit and recommend times, with quality, of the issue-4 models on MovieLens 100K u1 (release
/// build recommended):
/// `REC_MODELS_TIMING=1 swift test -c release --filter ModelsClassicTimingTests`.
final class ModelsClassicTimingTests: XCTestCase {
    func testTimings() throws {
        guard ProcessInfo.processInfo.environment["REC_MODELS_TIMING"] != nil else {
            throw XCTSkip("set REC_MODELS_TIMING=1 to time the models")
        }
        let split = try MovieLens.loadSplit(try movieLensU1Directory(), name: "u1")
        let implicitTrain = split.train.replacingValues(nil)
        let models: [(Recommender, Interactions, Bool)] = [
            (UserKNN(neighbours: 30), implicitTrain, false),
            (UserKNN(neighbours: 30, similarity: .pearson, feedback: .explicit), split.train, true),
            (SVDPlusPlus(), split.train, true),
            (ExplicitALS(factors: 20), split.train, true),
            (BPR(), implicitTrain, false),
            (ContentBased(attributes: ["genres"]), implicitTrain, false),
            (Hybrid([(UserKNN(neighbours: 30), 1), (Popularity(), 0.1)]), implicitTrain, false),
            (SequentialMarkov(window: 3), implicitTrain, false),
        ]
        for (m, train, rating) in models {
            let t0 = Date()
            try m.fit(train)
            let t1 = Date()
            let users = (0..<Int32(train.userCount)).map { $0 }
            _ = m.recommendAll(users: users, k: 10)
            let t2 = Date()
            let ndcg = topNNDCG(m, train: train, test: split.test)
            let extra = rating ? String(format: "  RMSE %.4f", ratingRMSE(m, split.test)) : ""
            print(String(format: "%-14@ fit %7.3f s  recommendAll(943, k=10) %7.3f s  NDCG@10 %.4f%@",
                         m.name as NSString, t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), ndcg, extra as NSString))
        }
    }
}
