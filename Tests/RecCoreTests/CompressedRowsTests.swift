import XCTest
@testable import RecCore

/// The one compressed-row shape and the four types built on it.
final class CompressedRowsTests: XCTestCase {
    func testRowsBoundsAndLengths() {
        let r = CompressedRows<Int32>([[4, 2], [], [7], [1, 1, 1]])
        XCTAssertEqual(r.offsets, [0, 2, 2, 3, 6])
        XCTAssertEqual(r.elements, [4, 2, 7, 1, 1, 1])
        XCTAssertEqual(r.count, 4)
        XCTAssertEqual(Array(r[0]), [4, 2])
        XCTAssertEqual(Array(r[1]), [])
        XCTAssertEqual(Array(r[3]), [1, 1, 1])
        XCTAssertEqual(r.bounds(2), 2..<3)
        // Outside the rows: empty, never a trap (users past the fitted range, negative indices).
        XCTAssertEqual(Array(r[4]), [])
        XCTAssertEqual(Array(r[-1]), [])
        XCTAssertEqual(r.bounds(-1), 0..<0)
        XCTAssertEqual(r.rowLength(3), 3)
        XCTAssertEqual(r.rowLength(9), 0)
        XCTAssertEqual(r.rowLengths, [2, 0, 1, 3])
        XCTAssertEqual(r.longestRow, 3)
        XCTAssertEqual(CompressedRows<Int32>().count, 0)
        XCTAssertEqual(CompressedRows<Int32>().longestRow, 0)
        XCTAssertEqual(r, CompressedRows(offsets: [0, 2, 2, 3, 6], elements: [4, 2, 7, 1, 1, 1]))
        XCTAssertNotEqual(r, CompressedRows(offsets: [0, 2, 3, 3, 6], elements: [4, 2, 7, 1, 1, 1]))
    }

    func testBuilderClosesRows() {
        var b = CompressedRows<String>.Builder(rowCapacity: 3)
        b.append("a"); b.endRow()
        b.endRow()
        b.append(contentsOf: ["b", "c"]); b.endRow()
        b.append("not closed")
        XCTAssertEqual(b.rows, CompressedRows([["a"], [], ["b", "c"]]))
    }

    /// The four compressed-row types read their rows through the shared type and keep their
    /// public arrays.
    func testTypesBuiltOnCompressedRows() throws {
        let d = try Interactions(users: IDMap(keys: ["a", "b", "c"]), items: IDMap(keys: ["x", "y", "z"]),
                                 user: [0, 0, 2, 0], item: [2, 0, 1, 2])
        let m = d.matrix(duplicates: .sum, values: .ones)
        XCTAssertEqual(m.pattern, CompressedRows([[0, 2], [], [1]]))
        XCTAssertEqual(m.rowPtr, [0, 2, 2, 3])
        XCTAssertEqual(m.colIdx, [0, 2, 1])
        XCTAssertEqual(m.transposed().pattern, CompressedRows([[0], [2], [0]]))

        // Training items are the cached matrix's pattern: the same storage, not a copy.
        let seen = TrainingItems(d)
        XCTAssertEqual(seen.rows, m.pattern)
        seen.items.withUnsafeBufferPointer { a in
            m.colIdx.withUnsafeBufferPointer { b in XCTAssertEqual(a.baseAddress, b.baseAddress) }
        }
        XCTAssertEqual(seen.rowPtr, [0, 2, 2, 3])
        XCTAssertEqual(Array(seen.items(of: 0)), [0, 2])
        XCTAssertEqual(Array(seen.items(of: -1)), [])
        XCTAssertEqual(Array(seen.items(of: 3)), [])
        XCTAssertTrue(seen.hasRows(user: 2))
        XCTAssertFalse(seen.hasRows(user: 1))
        XCTAssertFalse(seen.hasRows(user: -1))

        let lists = RecommendationLists(k: 3, items: [5, 1, -1, -1, -1, -1, 2, 3, 4])
        XCTAssertEqual(lists.rows, CompressedRows([[5, 1], [], [2, 3, 4]]))
        XCTAssertEqual(lists.offsets, [0, 2, 2, 5])
        XCTAssertEqual(lists, RecommendationLists([[5, 1], [], [2, 3, 4]]))
        XCTAssertEqual(lists.bounds(2, k: 2).0, 2)
        XCTAssertEqual(lists.bounds(2, k: 2).1, 4)

        let sets = ItemSets([[3, 1, 3], [], [9, 2]])
        XCTAssertEqual(sets.rows, CompressedRows([[1, 3], [], [2, 9]]))
        XCTAssertEqual(ItemSets(rows: [2, 0, 2, 0], items: [9, 3, 2, 1], rowCount: 3), sets)
        XCTAssertTrue(sets.contains(9, row: 2))
        XCTAssertFalse(sets.contains(9, row: 3))
        XCTAssertEqual(sets.longestRow, 2)
    }
}
