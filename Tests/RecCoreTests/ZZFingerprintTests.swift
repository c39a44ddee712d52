import XCTest
import Foundation
@testable import RecCore

// TEMPORARY (not committed): bit fingerprints of every model's outputs, to compare before/after.
final class ZZFingerprintTests: XCTestCase {
    func testFingerprints() throws {
        let data = synthetic(users: 400, items: 230, seed: 7)
        let models: [(String, Recommender)] = [
            ("popularity", Popularity()),
            ("bias", BiasBaseline()),
            ("biasedmf f13", BiasedMF(factors: 13, epochs: 3)),
            ("biasedmf f16", BiasedMF(factors: 16, epochs: 3)),
            ("bpr f11", BPR(factors: 11, epochs: 3)),
            ("svdpp f10", SVDPlusPlus(factors: 10, epochs: 3)),
            ("svdpp f16", SVDPlusPlus(factors: 16, epochs: 3)),
            ("xals f10", ExplicitALS(factors: 10, iterations: 3)),
            ("xals f7 unbiased", ExplicitALS(factors: 7, iterations: 3, biased: false)),
            ("ials f10", ImplicitALS(factors: 10, iterations: 3)),
            ("ials f16", ImplicitALS(factors: 16, iterations: 3)),
            ("ials f21 a0", ImplicitALS(factors: 21, iterations: 3, alpha: 0)),
            ("itemknn cos", ItemKNN()),
            ("itemknn pearson explicit", ItemKNN(similarity: .pearson, shrinkage: 10, feedback: .explicit)),
            ("itemknn jaccard", ItemKNN(similarity: .jaccard)),
            ("userknn cos", UserKNN()),
            ("userknn pearson explicit", UserKNN(similarity: .pearson, shrinkage: 5, feedback: .explicit)),
            ("ease", EASE(regularization: 20)),
            ("ease values", EASE(regularization: 20, binarize: false)),
            ("content", ContentBased(attributes: ["category", "provider"])),
            ("markov", SequentialMarkov(window: 3)),
            ("hybrid", Hybrid([(Popularity(), 0.3), (ItemKNN(), 0.7)], normalization: .zScore)),
            ("ncf", NCF(factors: 6, layers: [12, 5], epochs: 2, batchSize: 64)),
        ]
        var lines: [String] = []
        for (name, m) in models {
            try m.fit(data)
            var h: UInt64 = 1469598103934665603
            func mix(_ x: UInt32) { h = (h ^ UInt64(x)) &* 1099511628211 }
            var buf = [Float](repeating: 0, count: m.itemCount)
            for u in -1..<Int32(m.userCount + 1) {
                buf.withUnsafeMutableBufferPointer { m.scoreAll(user: u, into: $0) }
                for v in buf { mix(v.bitPattern) }
                for v in m.score(user: u, items: [0, 5, Int32(m.itemCount)]) { mix(v.bitPattern) }
            }
            for i in 0..<Int32(m.itemCount) {
                for (j, s) in m.similarItems(item: i, k: 7) { mix(UInt32(bitPattern: j)); mix(s.bitPattern) }
            }
            for u in stride(from: Int32(0), to: Int32(m.userCount), by: 37) {
                let e = m.explain(user: u, item: u % 50)
                mix(e.score.bitPattern); for c in e.contributions { mix(c.value.bitPattern) }
                for (j, s) in m.recommend(user: u, k: 10) { mix(UInt32(bitPattern: j)); mix(s.bitPattern) }
            }
            let b = m.recommendAll(users: Array(0..<Int32(m.userCount)), k: 10)
            for v in b.items { mix(UInt32(bitPattern: v)) }
            for v in b.scores { mix(v.bitPattern) }
            lines.append("\(name)\t\(String(h, radix: 16))")
        }
        let out = ProcessInfo.processInfo.environment["FINGERPRINT_OUT"] ?? "/tmp/fingerprint.txt"
        try lines.joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
    }
}
