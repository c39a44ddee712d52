import Foundation
import XCTest
@testable import RecCore

/// ../shared/data/ml-100k next to the repository, found from this file (through the sandbox's
/// symlinks too); skips when absent.
private func ml100k() throws -> String {
    let here = URL(fileURLWithPath: #filePath)
    for base in [here.resolvingSymlinksInPath(), here] {
        let root = base.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.deletingLastPathComponent().appendingPathComponent("shared/data/ml-100k")
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("u1.base").path) { return dir.path }
    }
    throw XCTSkip("MovieLens 100K not found at ../shared/data/ml-100k")
}

/// End-to-end sanity on MovieLens 100K (u1.base → u1.test).
final class ModelsMovieLensTests: XCTestCase {
    func testBiasedMFRMSEOnU1() throws {
        let split = try MovieLens.loadSplit(try ml100k(), name: "u1")
        let m = BiasedMF(factors: 50, epochs: 20, seed: 42)
        try m.fit(split.train)
        let test = split.test
        var pred = [Double](), truth = [Double]()
        for r in 0..<test.count {
            pred.append(Double(m.score(user: test.user[r], items: [test.item[r]])[0]))
            truth.append(test.values![r])
        }
        let rmse = Metrics.rmse(predictions: pred, truth: truth)
        print("BiasedMF u1 RMSE", rmse)
        XCTAssertLessThan(rmse, 0.96)
        XCTAssertLessThan(m.lossHistory.last!, m.lossHistory.first!)
    }

    func testImplicitALSBeatsPopularityOnU1() throws {
        let split = try MovieLens.loadSplit(try ml100k(), name: "u1")
        let users = (0..<Int32(split.train.userCount)).map { $0 }
        let relevant = ItemSets(rows: split.test.user, items: split.test.item, rowCount: split.train.userCount)
        let pop = Popularity()
        try pop.fit(split.train)
        let als = ImplicitALS(factors: 16, iterations: 5, regularization: 0.05, alpha: 2, seed: 42)
        try als.fit(split.train.replacingValues(nil))   // implicit: every rating counts as one event
        let popNDCG = Metrics.topN(pop.recommendAll(users: users, k: 10).lists, relevant: relevant, k: 10).ndcg.mean
        let alsNDCG = Metrics.topN(als.recommendAll(users: users, k: 10).lists, relevant: relevant, k: 10).ndcg.mean
        print("u1 NDCG@10 popularity", popNDCG, "implicit ALS", alsNDCG)
        XCTAssertGreaterThan(alsNDCG, popNDCG)
        XCTAssertGreaterThan(alsNDCG, 0.15)
    }

    /// Fit and recommend times of every model on u1 (release build recommended):
    /// `REC_MODELS_TIMING=1 swift test -c release --filter ModelsMovieLensTests/testTimings`.
    func testTimings() throws {
        guard ProcessInfo.processInfo.environment["REC_MODELS_TIMING"] != nil else {
            throw XCTSkip("set REC_MODELS_TIMING=1 to time the models")
        }
        let split = try MovieLens.loadSplit(try ml100k(), name: "u1")
        let users = (0..<Int32(split.train.userCount)).map { $0 }
        let relevant = ItemSets(rows: split.test.user, items: split.test.item, rowCount: split.train.userCount)
        let implicitTrain = split.train.replacingValues(nil)
        let models: [(Recommender, Interactions)] = [
            (Popularity(), split.train), (BiasBaseline(), split.train), (BiasedMF(), split.train),
            (ImplicitALS(), implicitTrain), (EASE(regularization: 250), implicitTrain),
            (ItemKNN(neighbours: 20, similarity: .cosine), implicitTrain),
        ]
        for (m, train) in models {
            let t0 = Date()
            try m.fit(train)
            let t1 = Date()
            let batch = m.recommendAll(users: users, k: 10)
            let t2 = Date()
            let ndcg = Metrics.topN(batch.lists, relevant: relevant, k: 10).ndcg.mean
            print(String(format: "%-14@ fit %7.3f s  recommendAll(943, k=10) %7.3f s  NDCG@10 %.4f",
                         m.name as NSString, t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), ndcg))
        }
    }
}
