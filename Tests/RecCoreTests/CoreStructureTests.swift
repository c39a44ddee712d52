import XCTest
@testable import RecCore

final class IDMapTests: XCTestCase {
    func testInterningIsDenseAndFirstAppearance() {
        var m = IDMap()
        XCTAssertEqual(m.intern("b"), 0)
        XCTAssertEqual(m.intern("a"), 1)
        XCTAssertEqual(m.intern("b"), 0)
        XCTAssertEqual(m.intern("42"), 2)
        XCTAssertEqual(m.intern("007"), 3)
        XCTAssertEqual(m.count, 4)
        XCTAssertEqual(m.index(of: 42), 2)
        XCTAssertNil(m.index(of: 7))
        XCTAssertEqual(m.rawID(at: 2), .int(42))
        XCTAssertEqual(m.rawID(at: 3), .string("007"))
        XCTAssertEqual(m.keys, ["b", "a", "42", "007"])
        XCTAssertFalse(m.allIntegers)
    }

    func testValueSemanticsAndPrefix() {
        var a = IDMap(keys: ["x", "y"])
        var b = a
        b.intern("z")
        XCTAssertEqual(a.count, 2)
        XCTAssertEqual(b.count, 3)
        XCTAssertTrue(a.isPrefix(of: b))
        XCTAssertFalse(b.isPrefix(of: a))
        a.intern("w")
        XCTAssertFalse(a.isPrefix(of: b))
    }

    func testManyKeysIntegerAndStringMixed() {
        // Exercises hash-table growth and the direct array for small integers (including keys
        // that arrive before the direct array may grow over them).
        var m = IDMap()
        var expected = [String]()
        var rng = Xoshiro256(seed: 3)
        for k in 0..<50_000 {
            let key: String
            switch k % 4 {
            case 0: key = String(rng.nextInt(below: 200_000))
            case 1: key = String(5_000_000 + rng.nextInt(below: 10))
            case 2: key = "s\(rng.nextInt(below: 20_000))-long-key-\(k % 7)"
            default: key = String(rng.nextInt(below: 1000))
            }
            let before = m.count
            let idx = m.intern(key)
            if m.count > before { expected.append(key); XCTAssertEqual(Int(idx), before) }
        }
        XCTAssertEqual(m.keys, expected)
        for (i, k) in expected.enumerated() { XCTAssertEqual(m.index(of: k), Int32(i)) }
        XCTAssertNil(m.index(of: "-1"))
        XCTAssertNil(m.index(of: "s-nope"))
    }

    func testSubset() {
        let m = IDMap(keys: ["a", "b", "c", "d"])
        let (s, remap) = m.subset([3, 1, 3])
        XCTAssertEqual(s.keys, ["d", "b"])
        XCTAssertEqual(remap, [-1, 1, -1, 0])
    }
}

final class SparseMatrixTests: XCTestCase {
    func testCSRFromTripletsMatchesHandBuilt() {
        // Rows given out of order, with a duplicate (0, 2) summed.
        let m = SparseMatrix(rows: 3, columns: 4, rowIndices: [2, 0, 0, 1, 0], columnIndices: [1, 2, 0, 3, 2],
                             values: [5, 1, 2, 3, 4], duplicates: .sum)
        XCTAssertEqual(m.rowPtr, [0, 2, 3, 4])
        XCTAssertEqual(m.colIdx, [0, 2, 3, 1])
        XCTAssertEqual(m.values, [2, 5, 3, 5])
        XCTAssertEqual(m.toDense(), [[2, 0, 5, 0], [0, 0, 0, 3], [0, 5, 0, 0]])
        XCTAssertTrue(m.isCanonical)
        XCTAssertEqual(m, SparseMatrix(dense: [[2, 0, 5, 0], [0, 0, 0, 3], [0, 5, 0, 0]]))
        XCTAssertEqual(m.value(row: 0, column: 2), 5)
        XCTAssertNil(m.value(row: 0, column: 1))
        XCTAssertEqual(m.rowCounts, [2, 1, 1])
        XCTAssertEqual(m.columnCounts, [1, 1, 1, 1])
    }

    func testDuplicatePolicies() {
        let r: [Int32] = [0, 0, 0], c: [Int32] = [1, 1, 1]
        let v: [Float] = [3, 5, 4]
        XCTAssertEqual(SparseMatrix(rows: 1, columns: 2, rowIndices: r, columnIndices: c, values: v, duplicates: .sum).values, [12])
        XCTAssertEqual(SparseMatrix(rows: 1, columns: 2, rowIndices: r, columnIndices: c, values: v, duplicates: .max).values, [5])
        XCTAssertEqual(SparseMatrix(rows: 1, columns: 2, rowIndices: r, columnIndices: c, values: v, duplicates: .last).values, [4])
        XCTAssertEqual(SparseMatrix(rows: 1, columns: 2, rowIndices: r, columnIndices: c, values: v, duplicates: .first).values, [3])
        // With timestamps, last/first follow time, not row order.
        let t: [Int64] = [10, 30, 20]
        XCTAssertEqual(SparseMatrix(rows: 1, columns: 2, rowIndices: r, columnIndices: c, values: v, order: t, duplicates: .last).values, [5])
        XCTAssertEqual(SparseMatrix(rows: 1, columns: 2, rowIndices: r, columnIndices: c, values: v, order: t, duplicates: .first).values, [3])
        // No values: counts.
        XCTAssertEqual(SparseMatrix(rows: 1, columns: 2, rowIndices: r, columnIndices: c, duplicates: .sum).values, [3])
    }

    func testTransposeIsCSC() {
        let m = SparseMatrix(dense: [[1, 0, 2], [0, 3, 0]])
        let t = m.transposed()
        XCTAssertEqual(t.toDense(), [[1, 0], [0, 3], [2, 0]])
        XCTAssertTrue(t.isCanonical)
        XCTAssertEqual(t.transposed(), m)
    }

    func testRandomAgainstDense() {
        var rng = Xoshiro256(seed: 11)
        let rows = 37, cols = 23, n = 400
        var r = [Int32](), c = [Int32](), v = [Float]()
        var dense = [[Float]](repeating: [Float](repeating: 0, count: cols), count: rows)
        for _ in 0..<n {
            let i = rng.nextInt(below: rows), j = rng.nextInt(below: cols), x = Float(1 + rng.nextInt(below: 5))
            r.append(Int32(i)); c.append(Int32(j)); v.append(x)
            dense[i][j] += x
        }
        let m = SparseMatrix(rows: rows, columns: cols, rowIndices: r, columnIndices: c, values: v)
        XCTAssertEqual(m.toDense(), dense)
        XCTAssertTrue(m.isCanonical)
        XCTAssertEqual(m.transposed().toDense(), (0..<cols).map { j in (0..<rows).map { dense[$0][j] } })
    }
}

final class InteractionsTests: XCTestCase {
    func sample() throws -> Interactions {
        try Interactions(userIDs: ["u1", "u2", "u1", "u3", "u1"], itemIDs: ["a", "b", "a", "a", "c"],
                         values: [4, 5, 2, 3, 1], timestamps: [10, 20, 30, 40, 5],
                         events: ["view", "buy", "view", "view", "buy"], channels: ["app", "web", "app", "app", "store"])
    }

    func testMatrixAndCache() throws {
        let d = try sample()
        let m = d.matrix(duplicates: .sum)
        XCTAssertEqual(m.toDense(), [[6, 0, 1], [0, 5, 0], [3, 0, 0]])
        XCTAssertEqual(d.matrix(duplicates: .last).toDense(), [[2, 0, 1], [0, 5, 0], [3, 0, 0]])
        XCTAssertEqual(d.matrix(duplicates: .sum, values: .ones).toDense(), [[2, 0, 1], [0, 1, 0], [1, 0, 0]])
        XCTAssertEqual(d.csc().toDense(), [[6, 0, 3], [0, 5, 0], [1, 0, 0]])
        // Cached: the same storage comes back.
        let again = d.matrix(duplicates: .sum)
        m.colIdx.withUnsafeBufferPointer { a in again.colIdx.withUnsafeBufferPointer { b in XCTAssertEqual(a.baseAddress, b.baseAddress) } }
    }

    func testValidation() {
        XCTAssertThrowsError(try Interactions(users: IDMap(keys: ["a"]), items: IDMap(keys: ["x"]), user: [0, 1], item: [0, 0]))
        XCTAssertThrowsError(try Interactions(users: IDMap(keys: ["a"]), items: IDMap(keys: ["x"]), user: [0], item: [0, 0]))
    }

    func testReindexIntoAnotherSpace() throws {
        let train = try Interactions(userIDs: ["1", "2"], itemIDs: ["a", "b"])
        let test = try Interactions(userIDs: ["2", "9", "1"], itemIDs: ["z", "a", "b"], events: ["x", "y", "x"])
        let (t, rep) = test.reindexed(into: train)
        XCTAssertEqual(t.users.keys, ["1", "2", "9"])
        XCTAssertEqual(t.items.keys, ["a", "b", "z"])
        XCTAssertEqual(t.user, [1, 2, 0])
        XCTAssertEqual(t.item, [2, 0, 1])
        XCTAssertEqual(rep.newUsers, 1)
        XCTAssertEqual(rep.newItems, 1)
        XCTAssertEqual(rep.rowsWithNewUsers, 1)
        XCTAssertEqual(rep.newUserIDs, ["9"])
        XCTAssertEqual(t.rawPairs, test.rawPairs)
        let all = train.appending(test)
        XCTAssertEqual(all.count, 5)
        XCTAssertEqual(all.rawPairs, train.rawPairs + test.rawPairs)
    }

    func testCompacted() throws {
        let d = try sample()
        let f = d.filtered { d.users.key(at: d.user[$0]) != "u2" }
        XCTAssertEqual(f.userCount, 3)  // same ID space after filtering
        let c = f.compacted()
        XCTAssertEqual(c.users.keys, ["u1", "u3"])
        XCTAssertEqual(c.items.keys, ["a", "c"])
        XCTAssertEqual(c.rawPairs, f.rawPairs)
    }

    func testAttributeTableJoin() throws {
        var d = try sample()
        d.userAttributes = try AttributeTable(keys: ["u3", "u1", "u9"], columns: [
            ("gender", .string(["F", "M", nil])), ("age", .int([30, 40, 50])),
        ])
        XCTAssertEqual(d.userAttributes!.aligned(to: d.users), [1, -1, 0])
        XCTAssertEqual(d.userAttributes!.column("age", alignedTo: d.users), .int([40, nil, 30]))
        XCTAssertEqual(d.userAttributes!.text("gender", for: "u3"), "F")
        XCTAssertThrowsError(try AttributeTable(keys: ["a", "a"], columns: []))
        XCTAssertEqual(AttributeColumn.inferred(["1", "", "3"]), .int([1, nil, 3]))
        XCTAssertEqual(AttributeColumn.inferred(["1", "2.5"]), .double([1, 2.5]))
        XCTAssertEqual(AttributeColumn.inferred(["1", "x"]), .string(["1", "x"]))
    }

    func testRandomIsDeterministic() {
        var a = Xoshiro256(seed: 5), b = Xoshiro256(seed: 5), c = Xoshiro256(seed: 6)
        let xa = (0..<10).map { _ in a.next() }, xb = (0..<10).map { _ in b.next() }, xc = (0..<10).map { _ in c.next() }
        XCTAssertEqual(xa, xb)
        XCTAssertNotEqual(xa, xc)
        // Reference value pins the algorithm (SplitMix64-seeded xoshiro256**).
        var s = SplitMix64(seed: 0)
        XCTAssertEqual(s.next(), 0xE220_A839_7B1D_CDAF)
        var r = Xoshiro256(seed: 1)
        for _ in 0..<1000 { let k = r.nextInt(below: 7); XCTAssertTrue((0..<7).contains(k)) }
    }
}
