import XCTest
@testable import RecCore

final class PrincipalComponentsTests: XCTestCase {
    /// Points on the line y = 2x (plus a symmetric wobble across it): the first component is
    /// (1, 2)/√5, all variance but the wobble's lies along it, and the projection is the signed
    /// distance along that line from the mean.
    func testRecoversAKnownDirection() {
        // Along (1,2): t = -2, -1, 1, 2; across (-2,1)/√5: ±0.1, uncorrelated with t (Σ t·s = 0).
        let along = [-2.0, -1, 1, 2], across = [0.1, -0.1, -0.1, 0.1]
        var rows: [Float] = []
        let u = (1 / 5.0.squareRoot(), 2 / 5.0.squareRoot()), w = (-2 / 5.0.squareRoot(), 1 / 5.0.squareRoot())
        for (t, s) in zip(along, across) { rows += [Float(t * u.0 + s * w.0), Float(t * u.1 + s * w.1)] }
        let pca = PrincipalComponents(rows, rows: 4, dimensions: 2)
        XCTAssertEqual(pca.components[0][0], u.0, accuracy: 1e-6)
        XCTAssertEqual(pca.components[0][1], u.1, accuracy: 1e-6)
        // Variances: along Σt²/3 = 10/3, across 0.04/3; shares 10/10.04 and 0.04/10.04.
        XCTAssertEqual(pca.explainedVariance[0], 10 / 10.04, accuracy: 1e-6)
        XCTAssertEqual(pca.explainedVariance[1], 0.04 / 10.04, accuracy: 1e-6)
        let p = pca.project(rows, rows: 4)
        for (k, t) in along.enumerated() { XCTAssertEqual(p[k][0], t, accuracy: 1e-5) }
        XCTAssertEqual(abs(p[0][1]), 0.1, accuracy: 1e-5)
    }

    func testDegenerateInputsGiveZeros() {
        let same = PrincipalComponents([1, 1, 1, 1, 1, 1], rows: 3, dimensions: 2)
        XCTAssertEqual(same.explainedVariance, [0, 0])
        XCTAssertEqual(same.project([1, 1, 1, 1, 1, 1], rows: 3).flatMap { $0 }, [0, 0, 0, 0, 0, 0])
        // One dimension: the second component is absent (zeros).
        let one = PrincipalComponents([1, 2, 3], rows: 3, dimensions: 1)
        XCTAssertEqual(one.components[0], [1])
        XCTAssertEqual(one.components[1], [0])
        XCTAssertEqual(one.explainedVariance[0], 1, accuracy: 1e-12)
        XCTAssertEqual(PrincipalComponents([], rows: 0, dimensions: 3).explainedVariance, [0, 0])
    }
}
