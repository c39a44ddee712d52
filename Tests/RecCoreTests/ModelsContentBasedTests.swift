import Foundation
import XCTest
@testable import RecCore

/// ContentBased on R with item attributes
///
///     i0: genres A|B, category x      i1: genres A, category y
///     i2: genres B,   category x      i3: genres C, category y
///
/// Features in first-appearance order: genres=A, genres=B, category=x, category=y, genres=C with
/// df = 2, 2, 2, 2, 1 of N = 4 items, so idf = ln 2 for the first four and ln 4 = 2 ln 2 for C.
/// Unit item vectors: i0 = (1,1,1,0,0)/√3, i1 = (1,0,0,1,0)/√2, i2 = (0,1,1,0,0)/√2,
/// i3 = (0,0,0,1,2)/√5. User u0 (i0 = 5, i1 = 4): profile = 5 i0 + 4 i1 =
/// (5/√3 + 4/√2, 5/√3, 5/√3, 4/√2, 0) = (5.715178, 2.886751, 2.886751, 2.828427, 0), norm
/// 7.571653; cosines with i0…i3: 0.876030, 0.797876, 0.539180, 0.167059.
/// u2 (i1 = 5, i3 = 4): 0.278685, 0.855330, 0, 0.761976.
final class ModelsContentBasedTests: XCTestCase {
    func attributes() throws -> AttributeTable {
        try AttributeTable(keys: ["i0", "i1", "i2", "i3"], columns: [
            ("genres", .multi([["A", "B"], ["A"], ["B"], ["C"]])),
            ("category", .string(["x", "y", "x", "y"])),
            ("price", .double([1, 2, 3, 4])),
        ])
    }

    func testTFIDFProfilesAndCosineScores() throws {
        var data = try tinyRatings()
        data.itemAttributes = try attributes()
        let m = ContentBased(attributes: ["genres", "category"])
        try m.fit(data)
        XCTAssertEqual(m.featureNames, ["genres=A", "genres=B", "category=x", "category=y", "genres=C"])
        assertClose(m.idf, [log(2), log(2), log(2), log(2), log(4)], 1e-6)
        assertClose(m.score(user: 0, items: [0, 1, 2, 3]), [0.87602971, 0.79787615, 0.53917986, 0.16705877], 1e-6)
        assertClose(m.score(user: 2, items: [0, 1, 2, 3]), [0.27868469, 0.85532989, 0, 0.76197647], 1e-6)
        XCTAssertEqual(items(m.recommend(user: 0, k: 2)), [2, 3])
        XCTAssertEqual(m.score(user: 9, items: [0]), [0])   // unknown user: empty profile
        // i2's features B and x each give (5/√3)(1/√2)/7.571653 = 0.269590.
        let e = m.explain(user: 0, item: 2)
        XCTAssertEqual(Set(e.contributions.map { "\($0.source)" }), ["feature genres=B", "feature category=x"])
        assertClose(e.contributions.map(\.value), [0.26958993, 0.26958993], 1e-6)
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-6)
        // cos(i0, ·) = (1, 1/√6, 2/√6, 0): i2 then i1, i3 (0) left out.
        let sim = m.similarItems(item: 0, k: 5)
        XCTAssertEqual(items(sim), [2, 1])
        assertClose(sim.map(\.score), [0.81649658, 0.40824829], 1e-6)
        assertBatchMatches(m, k: 2)

        // The table can be passed directly; same model.
        let direct = ContentBased(attributes: ["genres", "category"], items: try attributes())
        try direct.fit(try tinyRatings())
        XCTAssertEqual(bits(direct.score(user: 0, items: [0, 1, 2, 3])), bits(m.score(user: 0, items: [0, 1, 2, 3])))
    }

    func testErrors() throws {
        let data = try tinyRatings()
        XCTAssertThrowsError(try ContentBased(attributes: ["genres"]).fit(data)) { e in
            XCTAssertEqual((e as? DataError)?.kind, .missingColumn)
        }
        XCTAssertThrowsError(try ContentBased(attributes: ["colour"], items: try attributes()).fit(data)) { e in
            XCTAssertEqual((e as? DataError)?.kind, .missingColumn)
        }
        XCTAssertThrowsError(try ContentBased(attributes: ["price"], items: try attributes()).fit(data)) { e in
            XCTAssertEqual((e as? DataError)?.kind, .invalidArgument)
        }
    }

    func testGenresOnMovieLensU1() throws {
        let split = try MovieLens.loadSplit(try movieLensU1Directory(), name: "u1")
        let m = ContentBased(attributes: ["genres"])
        try m.fit(split.train)
        XCTAssertEqual(m.featureNames.count, 19)
        let ndcg = topNNDCG(m, train: split.train, test: split.test)
        print(String(format: "ContentBased(genres) u1 NDCG@10 %.4f", ndcg))
        XCTAssertGreaterThan(ndcg, 0.0)
        let sim = m.similarItems(item: 0, k: 3)
        XCTAssertEqual(sim.count, 3)
    }
}
