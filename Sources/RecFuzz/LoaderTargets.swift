import Foundation
import RecCore

/// The loader targets. Each reads its options from the input's first byte and parses the rest
/// in memory with the loader's own parser (no file system), then uses what it read the way a
/// program would: describing it, rendering it, and saving it to the workspace format and back.
/// A value that loaded but cannot be restored from its own saved form is a bug, reported as a
/// crash.
enum LoaderTargets {
    /// Splits an input into its option byte and its data.
    static func split(_ data: UnsafeRawBufferPointer) -> (UInt8, UnsafeRawBufferPointer) {
        guard let first = data.first else { return (0, data) }
        return (first, UnsafeRawBufferPointer(rebasing: data.dropFirst()))
    }

    static let separators = ["auto", ",", "\t", ";", "|", "::", " "]

    /// `csv`: the interaction loader (`load`), `read_table`'s reader and attribute files.
    /// Option byte: bits 0-2 separator, 3-4 header mode, 5 skip malformed lines, 6-7 reader.
    static func csv(_ data: UnsafeRawBufferPointer) {
        let (o, bytes) = split(data)
        let sep = separators[Int(o & 7) % separators.count]
        let header: HeaderMode = [.auto, .present, .absent, .auto][Int(o >> 3 & 3)]
        let onError: ErrorPolicy = o & 0x20 != 0 ? .skip : .fail
        switch o >> 6 {
        case 0, 1:
            var opts = DelimitedOptions(separator: sep, header: header, onError: onError, threads: 2, windowBytes: 1 << 10)
            opts.parallelThreshold = o >> 6 == 0 ? 1 << 20 : 256
            if header == .absent && o & 0x10 == 0 { opts.columns = ["user", "item", "rating", "timestamp"] }
            if let r = try? DelimitedReader.load(bytes: bytes, name: "fuzz.csv", options: opts) { use(r.interactions) }
        case 2:
            if let t = try? Table.readDelimited(bytes: bytes, name: "fuzz.csv", options: CSVReadOptions(separator: sep, header: header != .absent)) {
                use(t)
            }
        default:
            let latin1 = o & 0x10 != 0
            if let t = try? TextTable.read(bytes: bytes, name: "fuzz.csv", separator: sep, header: header,
                                           encoding: latin1 ? .latin1 : .utf8, quoting: o & 0x8 == 0, onError: onError) {
                // As attributes of users who are the rows' keys.
                let keys = t.rows.compactMap(\.first)
                if let a = try? AttributeTable(table: t, key: .position(0)),
                   var d = try? Interactions(userIDs: keys, itemIDs: keys.map { _ in "i" }) {
                    d.userAttributes = a
                    use(d)
                }
            }
        }
    }

    /// `jsonl`: JSON Lines event logs. Option byte: bit 0 skip malformed lines, bit 1
    /// milliseconds, bits 2-3 a field mapping (none, nested channel, renamed IDs, value key).
    static func jsonl(_ data: UnsafeRawBufferPointer) {
        let (o, bytes) = split(data)
        var opts = JSONLinesOptions(onError: o & 1 != 0 ? .skip : .fail, timestampUnit: o & 2 != 0 ? .milliseconds : .seconds)
        switch o >> 2 & 3 {
        case 1: opts.mapping = [.channel: "ctx.channel"]
        case 2: opts.mapping = [.user: "u", .item: "i"]
        case 3: opts.mapping = [.value: "v", .timestamp: "t.s"]
        default: break
        }
        if let r = try? JSONLinesReader.load(bytes: bytes, name: "fuzz.jsonl", options: opts) { use(r.interactions) }
    }

    /// `movielens`: a MovieLens layout held in memory. Option byte: bits 0-1 the layout, bit 2
    /// skip malformed lines. The data is the layout's files (ratings, users, items) separated
    /// by NUL bytes, which no text file can contain.
    static func movielens(_ data: UnsafeRawBufferPointer) {
        let (o, bytes) = split(data)
        let names: [String]
        switch o & 3 {
        case 0: names = ["u.data", "u.user", "u.item"]
        case 1: names = ["ratings.dat", "users.dat", "movies.dat"]
        case 2: names = ["ratings.dat", "movies.dat"]
        default: names = ["ratings.csv", "movies.csv"]
        }
        var files: [String: [UInt8]] = [:]
        for (name, part) in zip(names, bytes.split(separator: 0, omittingEmptySubsequences: false)) {
            files[name] = Array(part)
        }
        if let r = try? MovieLens.load(files: files, name: "ml-fuzz", onError: o & 4 != 0 ? .skip : .fail) { use(r.interactions) }
    }

    static func use(_ d: Interactions) {
        _ = d.description
        _ = try? d.describe()
        do {
            _ = try Interactions.workspaceDecode(try d.workspaceEncode())
        } catch {
            fatalError("a loaded dataset does not restore from its saved form: \(error)")
        }
    }

    static func use(_ t: Table) {
        _ = t.renderText()
        _ = t.renderHTML()
        let csv = Array(t.csv().utf8)
        do {
            _ = try Table.workspaceDecode(try t.workspaceEncode())
        } catch {
            fatalError("a table read from CSV does not restore from its saved form: \(error)")
        }
        guard !csv.isEmpty, t.columnCount > 0 else { return }
        do {
            _ = try csv.withUnsafeBytes { try Table.readDelimited(bytes: $0, name: "again.csv", options: CSVReadOptions(separator: ",")) }
        } catch {
            fatalError("a table read from CSV cannot read back its own to_csv text: \(error)")
        }
    }
}
