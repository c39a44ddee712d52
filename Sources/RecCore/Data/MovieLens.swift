// Loading the MovieLens datasets in their distributed layouts.

import Foundation

/// The MovieLens file layouts.
public enum MovieLensLayout: String, Sendable {
    /// ML-100K: u.data (tab-separated), u.user and u.item (`|`-separated, u.item in Latin-1 with
    /// 19 genre flags), u1…u5/ua/ub .base/.test splits.
    case ml100k
    /// ML-1M: ratings.dat, users.dat, movies.dat, `::`-separated, Latin-1.
    case ml1m
    /// ML-10M: ratings.dat and movies.dat (`::`), no user file.
    case ml10m
    /// ML-20M, 25M, 32M and ml-latest(-small): ratings.csv and movies.csv with a header,
    /// genres as "A|B".
    case csv
}

/// Loads MovieLens ratings with user and item attributes attached.
public enum MovieLens {
    /// The 19 genre names of ML-100K, in u.item's flag order (as in u.genre).
    public static let genres100K = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
                                    "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
                                    "Romance", "Sci-Fi", "Thriller", "War", "Western"]

    /// Recognises the layout from the files in `directory`.
    public static func detect(_ directory: String) throws -> MovieLensLayout {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw DataError(.fileNotFound, path: directory, message: "no such directory")
        }
        guard isDir.boolValue else { throw DataError(.notAFile, path: directory, message: "not a directory") }
        func has(_ f: String) -> Bool { fm.fileExists(atPath: (directory as NSString).appendingPathComponent(f)) }
        if has("u.data") || has("u1.base") { return .ml100k }
        if has("ratings.dat") { return has("users.dat") ? .ml1m : .ml10m }
        if has("ratings.csv") { return .csv }
        throw DataError(.unsupportedLayout, path: directory,
                        message: "not a MovieLens directory (expected u.data, ratings.dat or ratings.csv)")
    }

    /// Loads ratings and attributes. `path` is a MovieLens directory (the full ratings file is
    /// read: u.data, ratings.dat or ratings.csv) or one ratings file inside it (e.g.
    /// `ml-100k/u1.base`), whose directory supplies the attribute files.
    public static func load(_ path: String, onError: ErrorPolicy = .fail) throws -> LoadResult {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw DataError(.fileNotFound, path: path, message: "no such file or directory")
        }
        let dir = isDir.boolValue ? path : (path as NSString).deletingLastPathComponent
        let layout = try detect(dir.isEmpty ? "." : dir)
        let ratings: String
        if isDir.boolValue {
            switch layout {
            case .ml100k: ratings = join(dir, "u.data")
            case .ml1m, .ml10m: ratings = join(dir, "ratings.dat")
            case .csv: ratings = join(dir, "ratings.csv")
            }
        } else { ratings = path }
        var result = try loadRatings(ratings, layout: layout, onError: onError)
        result.interactions.userAttributes = try userAttributes(dir, layout: layout)
        result.interactions.itemAttributes = try itemAttributes(dir, layout: layout)
        return result
    }

    /// A standard ML-100K split (`u1`…`u5`, `ua`, `ub`): `<name>.base` as train and
    /// `<name>.test` as test, in one ID space, with attributes attached to both.
    public static func loadSplit(_ directory: String, name: String = "u1") throws -> Split {
        let train = try load(join(directory, name + ".base")).interactions
        let test = try load(join(directory, name + ".test")).interactions
        return Split.aligning(train: train, test: test)
    }

    static func join(_ a: String, _ b: String) -> String { (a as NSString).appendingPathComponent(b) }

    static func loadRatings(_ path: String, layout: MovieLensLayout, onError: ErrorPolicy) throws -> LoadResult {
        var o = DelimitedOptions()
        o.onError = onError
        o.mapping = [:]
        switch layout {
        case .ml100k:
            o.separator = "\t"; o.header = .absent; o.columns = ["user", "item", "rating", "timestamp"]
        case .ml1m, .ml10m:
            o.separator = "::"; o.header = .absent; o.columns = ["user", "item", "rating", "timestamp"]
        case .csv:
            o.separator = ","; o.header = .present; o.columns = nil
        }
        return try DelimitedReader.load(path, options: o)
    }

    /// User attributes: ML-100K u.user (age, gender, occupation, zip), ML-1M users.dat (gender,
    /// age band code, occupation code, zip); nil for layouts without a user file.
    public static func userAttributes(_ dir: String, layout: MovieLensLayout) throws -> AttributeTable? {
        switch layout {
        case .ml100k:
            let f = join(dir, "u.user")
            guard FileManager.default.fileExists(atPath: f) else { return nil }
            let t = try readText(f, separator: "|", header: .absent, quoting: false)
            return try AttributeTable(table: t, key: .position(0), names: ["user", "age", "gender", "occupation", "zip"])
        case .ml1m:
            let f = join(dir, "users.dat")
            guard FileManager.default.fileExists(atPath: f) else { return nil }
            let t = try readText(f, separator: "::", header: .absent, quoting: false)
            return try AttributeTable(table: t, key: .position(0), names: ["user", "gender", "age", "occupation", "zip"])
        case .ml10m, .csv:
            return nil
        }
    }

    /// Item attributes: title, release date and genres (a multi-valued column).
    public static func itemAttributes(_ dir: String, layout: MovieLensLayout) throws -> AttributeTable? {
        switch layout {
        case .ml100k:
            let f = join(dir, "u.item")
            guard FileManager.default.fileExists(atPath: f) else { return nil }
            // Latin-1 (accented titles), no quoting (titles contain quote characters).
            let t = try TextTable.read(f, separator: "|", header: .absent, encoding: .latin1, quoting: false)
            var keys = [String](), titles = [String?](), dates = [String?](), urls = [String?](), genres = [[String]]()
            for (r, row) in t.rows.enumerated() {
                guard row.count == 24 else {
                    throw DataError(.malformedLine, path: f, line: t.lineNumbers[r],
                                    message: "expected 24 fields (id, title, dates, url, 19 genre flags), found \(row.count)")
                }
                keys.append(row[0])
                titles.append(row[1].isEmpty ? nil : row[1])
                dates.append(row[2].isEmpty ? nil : row[2])
                urls.append(row[4].isEmpty ? nil : row[4])
                var g = [String]()
                for j in 0..<19 where row[5 + j] == "1" { g.append(genres100K[j]) }
                genres.append(g)
            }
            return try AttributeTable(keys: keys, columns: [("title", .string(titles)), ("release_date", .string(dates)),
                                                            ("imdb_url", .string(urls)), ("genres", .multi(genres))])
        case .ml1m, .ml10m:
            let f = join(dir, "movies.dat")
            guard FileManager.default.fileExists(atPath: f) else { return nil }
            let t = try readText(f, separator: "::", header: .absent, quoting: false)
            return try AttributeTable(table: t, key: .position(0), names: ["item", "title", "genres"],
                                      multiValued: ["genres": "|"]).withoutNoGenres()
        case .csv:
            let f = join(dir, "movies.csv")
            guard FileManager.default.fileExists(atPath: f) else { return nil }
            let t = try readText(f, separator: ",", header: .present)
            return try AttributeTable(table: t, key: .name("movieId"), multiValued: ["genres": "|"]).withoutNoGenres()
        }
    }

    /// Reads a small attribute file as UTF-8, falling back to Latin-1 when it is not valid UTF-8
    /// (the older MovieLens files are Latin-1).
    static func readText(_ path: String, separator: String, header: HeaderMode, quoting: Bool = true) throws -> TextTable {
        do {
            return try TextTable.read(path, separator: separator, header: header, encoding: .utf8, quoting: quoting)
        } catch let e as DataError where e.message.hasPrefix("invalid UTF-8") {
            return try TextTable.read(path, separator: separator, header: header, encoding: .latin1, quoting: quoting)
        }
    }
}

extension AttributeTable {
    /// Maps MovieLens's "(no genres listed)" to an empty genre list.
    func withoutNoGenres() throws -> AttributeTable {
        guard case .multi(let g)? = columns["genres"] else { return self }
        var t = self
        try t.setColumn("genres", .multi(g.map { $0 == ["(no genres listed)"] ? [] : $0 }))
        return t
    }
}
