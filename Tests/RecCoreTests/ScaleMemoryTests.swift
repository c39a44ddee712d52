import Foundation
@testable import RecCore
import XCTest

/// What keeps the peak memory of load → dedupe → binarize → ALS down at 25 M rows: steps that
/// change nothing share the columns instead of copying them, and a model's training items share
/// the training matrix's pattern instead of building a second matrix.
final class ScaleMemoryTests: XCTestCase {
    private func address<T>(_ a: [T]) -> UnsafeRawPointer? { a.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }

    private var log: Interactions {
        get throws {
            try Interactions(userIDs: ["a", "a", "b", "c", "b"], itemIDs: ["x", "y", "x", "z", "y"],
                             values: [4, 5, 3, 1, 2], timestamps: [1, 2, 3, 4, 5])
        }
    }

    func testDedupeWithoutRepeatsSharesTheColumns() throws {
        let d = try log
        let same = d.deduplicated()
        XCTAssertEqual(same.count, 5)
        XCTAssertEqual(address(same.user), address(d.user))
        XCTAssertEqual(address(same.timestamps!), address(d.timestamps!))
        // With a repeat, the repeat goes (the latest kept) and the columns are new.
        let r = try Interactions(userIDs: ["a", "a", "b"], itemIDs: ["x", "x", "y"], values: [1, 2, 3], timestamps: [5, 1, 2])
        let kept = r.deduplicated()
        XCTAssertEqual((0..<kept.count).map { kept.row($0).description },
                       ["user=a item=x value=1.0 timestamp=5", "user=b item=y value=3.0 timestamp=2"])
    }

    func testBinarizeThatDropsNothingSharesTheColumns() throws {
        let d = try log
        let b = try d.binarized(threshold: 1)
        XCTAssertEqual(b.values, .float([1, 1, 1, 1, 1]))
        XCTAssertEqual(address(b.item), address(d.item))
        let dropped = try d.binarized(threshold: 3)
        XCTAssertEqual(dropped.count, 3)
        XCTAssertEqual(dropped.values, .float([1, 1, 1]))
        XCTAssertEqual((0..<dropped.count).map { dropped.row($0).item }, ["x", "y", "x"])
    }

    func testImplicitALSTrainingItemsShareItsMatrix() throws {
        let d = SyntheticGenerator(SyntheticConfig(users: 40, items: 30, seed: 4)).generate()
        let m = ImplicitALS(factors: 3, iterations: 1, seed: 1)
        try m.fit(d)
        let r = d.matrix(duplicates: .sum)
        XCTAssertEqual(address(m.trainingItems.items), address(r.colIdx))
        XCTAssertEqual(m.trainingItems.rowPtr, r.rowPtr)
        // Without a cached matrix, the pattern is the `.ones` matrix's.
        let fresh = SyntheticGenerator(SyntheticConfig(users: 40, items: 30, seed: 4)).generate()
        XCTAssertEqual(TrainingItems(fresh).rows.elements, r.colIdx)
        XCTAssertEqual(fresh.matrixPattern().offsets, r.rowPtr)
    }

    /// A 0/1 matrix's transpose is kept as its pattern alone in the item half-step: a nil value
    /// column must count every entry as 1, bit for bit what the stored ones give.
    func testUnitItemStepNeedsOnlyThePattern() throws {
        let r = SparseMatrix(rows: 3, columns: 4, rowIndices: [0, 0, 1, 2, 2, 2], columnIndices: [1, 3, 0, 0, 2, 3])
        XCTAssertTrue(r.hasUnitValues)
        let c = r.transposed()
        let compact = r.transposedOmittingUnitValues()
        XCTAssertNil(compact.values)
        XCTAssertEqual(compact.pattern, c.pattern)
        XCTAssertEqual(c.pattern.offsets, [0, 2, 3, 4, 6])
        XCTAssertEqual(c.pattern.elements, [1, 2, 0, 2, 0, 2])
        let weighted = SparseMatrix(rows: 1, columns: 2, rowIndices: [0, 0], columnIndices: [0, 0])
        XCTAssertFalse(weighted.hasUnitValues, "a repeated pair sums to 2")
        XCTAssertEqual(weighted.transposedOmittingUnitValues().values, [2])

        let m = ImplicitALS(factors: 2, alpha: 3, cgSteps: 2)
        let x: [Float] = [0.3, -0.2, 0.1, 0.4, -0.5, 0.2]
        let start: [Float] = [0.1, 0.2, -0.1, 0.3, 0.05, -0.2, 0.25, 0.15]
        let gram = gramMatrix(x, rows: 3, factors: 2)
        var fromValues = start, fromPattern = start, fromTwos = start
        try m.solve(&fromValues, fixed: x, gram: gram, matrix: c)
        try m.solve(&fromPattern, fixed: x, gram: gram, pattern: c.pattern, values: nil)
        try m.solve(&fromTwos, fixed: x, gram: gram, pattern: c.pattern, values: [Float](repeating: 2, count: c.nnz))
        XCTAssertEqual(fromPattern, fromValues)
        XCTAssertNotEqual(fromPattern, start)
        XCTAssertNotEqual(fromTwos, fromPattern, "the values still count when they are given")
    }
}
