import XCTest
@testable import RecLang

/// `MapRef`'s own hash table against a model (an array of entries searched linearly with
/// `MapKey`'s equality): keys at the edges of Int, numbers that normalise to the same key,
/// NaN, strings, Bools and nil; growth through many inserts; removals that move entries.
final class MapRefTests: XCTestCase {

    /// The model: entries in insertion order, found by scanning.
    private struct Model {
        var entries: [(key: Value, value: Value)] = []
        func position(_ k: Value) -> Int? {
            guard let mk = MapKey(k) else { return nil }
            return entries.firstIndex { MapKey($0.key) == mk }
        }
        mutating func set(_ k: Value, _ v: Value) {
            if let i = position(k) { entries[i].value = v } else { entries.append((k, v)) }
        }
        mutating func remove(_ k: Value) -> Value? {
            guard let i = position(k) else { return nil }
            return entries.remove(at: i).value
        }
    }

    private func assertSame(_ m: MapRef, _ model: Model, _ probes: [Value], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(m.count, model.entries.count, file: file, line: line)
        XCTAssertEqual(m.keys.map(\.repr), model.entries.map(\.key.repr), file: file, line: line)
        XCTAssertEqual(m.values.map(\.repr), model.entries.map(\.value.repr), file: file, line: line)
        for p in probes {
            XCTAssertEqual(m.get(p)?.repr, model.position(p).map { model.entries[$0].value.repr }, "get(\(p.repr))", file: file, line: line)
        }
    }

    private let edgeKeys: [Value] = [
        .int(0), .int(1), .int(-1), .int(.max), .int(.min), .int(.min + 1), .int(1 << 32), .int(1 << 62),
        .double(0), .double(-0.0), .double(1), .double(0.5), .double(-0.5), .double(1e300), .double(.infinity),
        .double(-.infinity), .double(9_007_199_254_740_993), .double(-9_223_372_036_854_775_808),
        .string(""), .string("1"), .string("a"), .string("é"), .string("推荐"), .bool(true), .bool(false), .nil,
    ]

    func testEdgeKeysAndNumbersThatNormalise() {
        let m = MapRef()
        var model = Model()
        for (i, k) in edgeKeys.enumerated() {
            XCTAssertTrue(m.set(k, .int(i)))
            model.set(k, .int(i))
        }
        assertSame(m, model, edgeKeys + [.int(2), .double(2), .string("b"), .double(.nan)])
        // 1 and 1.0, 0 and -0.0 are one entry each; the first spelling stays the key.
        XCTAssertEqual(m.get(.double(1))?.repr, m.get(.int(1))?.repr)
        XCTAssertEqual(m.get(.int(0))?.repr, "9")
        XCTAssertEqual(m.get(.int(-9_223_372_036_854_775_808))?.repr, "17")
        XCTAssertFalse(m.set(.list(ListRef([])), .nil), "a list is not a key")
        XCTAssertNil(m.get(.list(ListRef([]))))
    }

    func testNaNNeverFindsItself() {
        let m = MapRef()
        m.set(.double(.nan), .int(1))
        m.set(.double(.nan), .int(2))
        XCTAssertEqual(m.count, 2, "each NaN is a new entry, as with Swift's Dictionary before")
        XCTAssertNil(m.get(.double(.nan)))
        XCTAssertNil(m.remove(.double(.nan)))
    }

    func testRandomOperationsAgreeWithTheModel() {
        var rng = SystemRandomNumberGenerator()
        var seed = UInt64.random(in: 0...UInt64.max, using: &rng)
        let start = seed
        func next() -> UInt64 { seed &+= 0x9E37_79B9_7F4A_7C15; var z = seed; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB; return z ^ (z >> 31) }
        let m = MapRef()
        var model = Model()
        // Keys from a small pool so that sets hit existing entries and removals find them;
        // multiples of 2¹⁶ and of 1024 would all collide under a hash that keeps only low bits.
        let pool: [Value] = (0..<300).map { i -> Value in
            switch i % 6 {
            case 0: return .int(i << 16)
            case 1: return .int(-i * 1024)
            case 2: return .double(Double(i) + 0.25)
            case 3: return .double(Double(i * 7))
            case 4: return .string("k\(i)")
            default: return .int(i)
            }
        }
        for step in 0..<6000 {
            let k = pool[Int(next() % UInt64(pool.count))]
            switch next() % 10 {
            case 0, 1:
                XCTAssertEqual(m.remove(k)?.repr, model.remove(k)?.repr, "remove(\(k.repr)) at step \(step), seed \(start)")
            default:
                m.set(k, .int(step))
                model.set(k, .int(step))
            }
            if step % 500 == 0 { assertSame(m, model, Array(pool.prefix(60))) }
        }
        assertSame(m, model, pool)
    }

    func testGrowthKeepsEveryEntry() {
        let m = MapRef()
        for i in 0..<100_000 { m.set(.int(i * 4096), .int(i)) }
        XCTAssertEqual(m.count, 100_000)
        for i in stride(from: 0, to: 100_000, by: 997) { XCTAssertEqual(m.get(.int(i * 4096))?.repr, "\(i)") }
        XCTAssertNil(m.get(.int(4095)))
        XCTAssertEqual(m.remove(.int(0))?.repr, "0")
        XCTAssertEqual(m.keys.first?.repr, "4096")
        XCTAssertEqual(m.get(.int(99_999 * 4096))?.repr, "99999")
    }

    func testMapsInRec() throws {
        let sink = CollectingSink()
        let session = try Session(sink: sink)
        session.evaluate("""
        var m = [:]
        for i in 0..<1000 { m[i * 65536] = i }
        m[1.0] = "one"; m[-0.0] = "zero"; m["推荐"] = 3; m[true] = "t"; m[nil] = "n"
        m.remove(65536 * 5)
        var s = 0
        for (k, v) in m { if type(v) == "Int" { s += v } }
        print(m.count, s, m[0], m[1], m[65536 * 6], m[65536 * 5], m["推荐"], m[true], m[nil])
        m[[1]] = 2
        """, name: "maps.rec")
        var out = "", error = ""
        for e in sink.events {
            if case .stream(_, let t) = e { out += t }
            if case .error(let err) = e { error = "\(err.message) @\(err.location.line):\(err.location.column)" }
        }
        // 0..<1000 minus the removed 5 and the overwritten 0, plus 3 from "推荐".
        XCTAssertEqual(out, "1003 499498 zero one 6 nil 3 t n\n")
        XCTAssertEqual(error, "a List cannot be a map key @8:8")
    }
}
