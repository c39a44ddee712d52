import Foundation
import XCTest
@testable import RecCore

final class MovieLensTests: TempDirTestCase {
    /// The brief's example: u1.base with sep "\t", no header, user/item/rating/timestamp.
    func testLoadU1BaseWithDelimitedReader() throws {
        let dir = try movieLens100KDirectory()
        let r = try DelimitedReader.load(dir + "/u1.base", options: DelimitedOptions(
            separator: "\t", header: .absent, columns: ["user", "item", "rating", "timestamp"]))
        let d = r.interactions
        XCTAssertEqual(d.count, 80_000)
        XCTAssertEqual(d.userCount, 943)
        XCTAssertEqual(d.itemCount, 1650)
        XCTAssertEqual(d.row(0), Interactions.Row(user: "1", item: "1", value: 5, timestamp: 874_965_758, event: nil, channel: nil))
        XCTAssertEqual(r.report.skippedCount, 0)
        XCTAssertTrue(d.users.allIntegers)
        let m = d.matrix(duplicates: .last)
        XCTAssertEqual(m.nnz, 80_000)
        XCTAssertEqual(m.value(row: Int(d.users.index(of: 1)!), column: Int(d.items.index(of: 2)!)), 3)
    }

    func testLoad100KWithAttributes() throws {
        let dir = try movieLens100KDirectory()
        XCTAssertEqual(try MovieLens.detect(dir), .ml100k)
        let d = try MovieLens.load(dir).interactions
        XCTAssertEqual(d.count, 100_000)
        XCTAssertEqual(d.userCount, 943)
        XCTAssertEqual(d.itemCount, 1682)
        let users = try XCTUnwrap(d.userAttributes)
        XCTAssertEqual(users.count, 943)
        XCTAssertEqual(users.text("age", for: "1"), "24")
        XCTAssertEqual(users.text("gender", for: "2"), "F")
        XCTAssertEqual(users.text("occupation", for: "1"), "technician")
        XCTAssertEqual(users.text("zip", for: "1"), "85711")
        XCTAssertEqual(users["age"]?.typeName, "int")
        let items = try XCTUnwrap(d.itemAttributes)
        XCTAssertEqual(items.count, 1682)
        XCTAssertEqual(items.text("title", for: "1"), "Toy Story (1995)")
        XCTAssertEqual(items.text("genres", for: "1"), "Animation|Children's|Comedy")
        // u.item is Latin-1: accented titles must arrive as proper UTF-8 text.
        guard case .string(let titles)? = items["title"] else { return XCTFail("title column") }
        XCTAssertTrue(titles.contains { ($0 ?? "").unicodeScalars.contains { $0.value >= 0xC0 && $0.value <= 0xFF } })
        let s = try d.describe(userGroups: ["gender"], itemGroups: ["genres"])
        XCTAssertEqual(s.userGroups[0].groups.map(\.group), ["F", "M"])
        XCTAssertEqual(s.userGroups[0].groups.map(\.users).reduce(0, +), 943)
        XCTAssertEqual(s.values?.histogram.map(\.label), ["1", "2", "3", "4", "5"])
    }

    func testStandardSplitSharesIDSpace() throws {
        let dir = try movieLens100KDirectory()
        let s = try MovieLens.loadSplit(dir, name: "u1")
        XCTAssertEqual(s.train.count, 80_000)
        XCTAssertEqual(s.test.count, 20_000)
        XCTAssertEqual(s.train.users.keys, s.test.users.keys)
        XCTAssertEqual(s.train.itemCount, 1682)
        // u1.test has items that never occur in u1.base: reported, not dropped.
        XCTAssertGreaterThan(s.report.unseenItems, 0)
        XCTAssertEqual(s.report.testRows, 20_000)
        XCTAssertEqual(s.report.unseenItems, 1682 - 1650)
        XCTAssertNotNil(s.test.itemAttributes)
    }

    func testML1MLayout() throws {
        let d = dir + "/ml-1m"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        try write("ml-1m/ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n")
        try write("ml-1m/users.dat", "1::F::1::10::48067\n2::M::56::16::70072\n")
        // Latin-1 title (Ã© is not valid UTF-8 here: 0xE9 alone).
        try write("ml-1m/movies.dat", bytes: Array("1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n661::James and the Giant Peach (1996)::Animation|Children's|Musical\n2::Caf".utf8) + [0xE9] + Array(" (1999)::(no genres listed)\n".utf8))
        XCTAssertEqual(try MovieLens.detect(d), .ml1m)
        let r = try MovieLens.load(d).interactions
        XCTAssertEqual(r.count, 3)
        XCTAssertEqual(r.userAttributes?.text("gender", for: "2"), "M")
        XCTAssertEqual(r.userAttributes?.text("age", for: "2"), "56")
        XCTAssertEqual(r.itemAttributes?.text("genres", for: "661"), "Animation|Children's|Musical")
        XCTAssertEqual(r.itemAttributes?.text("title", for: "2"), "Café (1999)")
        XCTAssertEqual(r.itemAttributes?.text("genres", for: "2"), "")
    }

    func testCSVLayout() throws {
        let d = dir + "/ml-latest-small"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        try write("ml-latest-small/ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n2,1,2.5,964982224\n")
        try write("ml-latest-small/movies.csv", "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n3,\"American President, The (1995)\",Comedy|Drama|Romance\n")
        XCTAssertEqual(try MovieLens.detect(d), .csv)
        let r = try MovieLens.load(d).interactions
        XCTAssertEqual(r.values?.doubles, [4, 4.5, 2.5])
        XCTAssertNil(r.userAttributes)
        XCTAssertEqual(r.itemAttributes?.text("title", for: "3"), "American President, The (1995)")
        XCTAssertEqual(r.itemAttributes?["genres"].map { if case .multi(let m) = $0 { return m[0].count } else { return 0 } }, 5)
        let ratingsOnly = dir + "/ml-10m"
        try FileManager.default.createDirectory(atPath: ratingsOnly, withIntermediateDirectories: true)
        try write("ml-10m/ratings.dat", "1::122::5::838985046\n")
        XCTAssertEqual(try MovieLens.detect(ratingsOnly), .ml10m)
        XCTAssertEqual(try MovieLens.load(ratingsOnly).interactions.count, 1)
        XCTAssertEqual(dataError { try MovieLens.detect(self.dir) }?.kind, .unsupportedLayout)
    }

    /// A layout held in memory (file name → bytes) loads exactly as the same files in a
    /// directory, errors naming the file under the given directory name.
    func testLayoutInMemoryMatchesDirectory() throws {
        let files: [String: [UInt8]] = [
            "ratings.dat": Array("1::1193::5::978300760\n2::661::3::978302109\n".utf8),
            "users.dat": Array("1::F::1::10::48067\n2::M::56::16::70072\n".utf8),
            "movies.dat": Array("1193::Cuckoo (1975)::Drama\n661::Peach (1996)::Animation|Musical\n".utf8),
        ]
        let d = dir + "/ml-1m"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        for (name, bytes) in files { try write("ml-1m/" + name, bytes: bytes) }
        let onDisk = try MovieLens.load(d).interactions
        let inMemory = try MovieLens.load(files: files, name: "ml-1m").interactions
        XCTAssertEqual(inMemory.users.keys, onDisk.users.keys)
        XCTAssertEqual(inMemory.items.keys, onDisk.items.keys)
        XCTAssertEqual(inMemory.values, onDisk.values)
        XCTAssertEqual(inMemory.userAttributes, onDisk.userAttributes)
        XCTAssertEqual(inMemory.itemAttributes, onDisk.itemAttributes)
        var broken = files
        broken["users.dat"] = Array("1::F::1\n2::M::56::16::70072\n".utf8)
        XCTAssertEqual(dataError { try MovieLens.load(files: broken, name: "ml-1m") }?.description,
                       "ml-1m/users.dat:2: expected 3 fields, found 5\n    2::M::56::16::70072")
        XCTAssertEqual(dataError { try MovieLens.load(files: [:], name: "ml-x") }?.kind, .unsupportedLayout)
    }
}
