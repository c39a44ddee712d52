import Foundation
import XCTest
@testable import RecCore

/// NCF on MovieLens 100K (u1.base → u1.test), ranking quality against popularity. Slow in a
/// debug build, so gated: `REC_NEURAL_ML100K=1 swift test -c release --filter
/// RecCoreTests.NeuralMovieLensTests`; skips when the data set is absent.
final class NeuralMovieLensTests: XCTestCase {
    func testNCFBeatsPopularityOnU1() throws {
        guard ProcessInfo.processInfo.environment["REC_NEURAL_ML100K"] != nil else {
            throw XCTSkip("set REC_NEURAL_ML100K=1 to train NCF on MovieLens 100K")
        }
        let dir = try movieLens100KDirectory()
        let split = try MovieLens.loadSplit(dir, name: "u1")
        let users = (0..<Int32(split.train.userCount)).map { $0 }
        let relevant = ItemSets(rows: split.test.user, items: split.test.item, rowCount: split.train.userCount)
        let pop = Popularity()
        try pop.fit(split.train)
        let popNDCG = Metrics.topN(pop.recommendAll(users: users, k: 10).lists, relevant: relevant, k: 10).ndcg.mean

        let env = ProcessInfo.processInfo.environment
        let epochs = Int(env["REC_NEURAL_EPOCHS"] ?? "") ?? 10
        let m = NCF(factors: 16, hiddenLayers: [64, 32, 16], mlpFactors: 32, epochs: epochs, learningRate: 0.001,
                    batchSize: 256, negatives: 4, seed: 42)
        let t0 = Date()
        try m.fit(split.train.replacingValues(nil))
        let t1 = Date()
        let batch = m.recommendAll(users: users, k: 10)
        let t2 = Date()
        let topN = Metrics.topN(batch.lists, relevant: relevant, k: 10)
        print(String(format: "u1 NCF fit %.2f s (%d epochs, %.2f s/epoch), recommendAll(943, k=10) %.3f s",
                     t1.timeIntervalSince(t0), epochs, t1.timeIntervalSince(t0) / Double(max(1, epochs)),
                     t2.timeIntervalSince(t1)))
        print("u1 NDCG@10 popularity", popNDCG, "NCF", topN.ndcg.mean, "loss per epoch", m.lossHistory)
        XCTAssertLessThan(m.lossHistory.last!, m.lossHistory.first!)
        XCTAssertGreaterThan(topN.ndcg.mean, popNDCG)
    }
}
