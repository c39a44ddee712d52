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
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw DataError(.fileNotFound, path: directory, message: "no such directory")
        }
        guard isDir.boolValue else { throw DataError(.notAFile, path: directory, message: "not a directory") }
        return try detect(Files(directory: directory))
    }

    static func detect(_ files: Files) throws -> MovieLensLayout {
        if files.has("u.data") || files.has("u1.base") { return .ml100k }
        if files.has("ratings.dat") { return files.has("users.dat") ? .ml1m : .ml10m }
        if files.has("ratings.csv") { return .csv }
        throw DataError(.unsupportedLayout, path: files.directory.isEmpty ? "." : files.directory,
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
        let files = Files(directory: dir)
        let layout = try detect(files)
        return try load(files, layout: layout, ratings: isDir.boolValue ? nil : try FileBytes.open(path), onError: onError)
    }

    /// Loads a MovieLens dataset whose files are held in memory (file name → bytes, e.g.
    /// "u.data", "u.user", "u.item"), laid out and checked as in a directory named `name`.
    public static func load(files: [String: [UInt8]], name: String, onError: ErrorPolicy = .fail) throws -> LoadResult {
        let source = Files(directory: name, memory: files)
        return try load(source, layout: try detect(source), ratings: nil, onError: onError)
    }

    /// `ratings` is the ratings file; nil for the layout's full one.
    static func load(_ files: Files, layout: MovieLensLayout, ratings: FileBytes?, onError: ErrorPolicy) throws -> LoadResult {
        let full: String
        switch layout {
        case .ml100k: full = "u.data"
        case .ml1m, .ml10m: full = "ratings.dat"
        case .csv: full = "ratings.csv"
        }
        var result = try DelimitedReader.load(try ratings ?? files.open(full), options: ratingsOptions(layout, onError: onError))
        result.interactions.userAttributes = try userAttributes(files, layout: layout)
        result.interactions.itemAttributes = try itemAttributes(files, layout: layout)
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

    /// A layout's files: in a directory, or in memory under the same names.
    struct Files {
        let directory: String
        var memory: [String: [UInt8]]? = nil

        func has(_ name: String) -> Bool {
            if let memory { return memory[name] != nil }
            return FileManager.default.fileExists(atPath: join(directory, name))
        }

        func open(_ name: String) throws -> FileBytes {
            guard let memory else { return try FileBytes.open(join(directory, name)) }
            guard let bytes = memory[name] else { throw DataError(.fileNotFound, path: join(directory, name), message: "no such file") }
            return try bytes.withUnsafeBytes { try FileBytes.memory($0, name: join(directory, name)) }
        }
    }

    static func ratingsOptions(_ layout: MovieLensLayout, onError: ErrorPolicy) -> DelimitedOptions {
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
        return o
    }

    /// User attributes: ML-100K u.user (age, gender, occupation, zip), ML-1M users.dat (gender,
    /// age band code, occupation code, zip); nil for layouts without a user file.
    static func userAttributes(_ files: Files, layout: MovieLensLayout) throws -> AttributeTable? {
        switch layout {
        case .ml100k:
            guard files.has("u.user") else { return nil }
            let t = try readText(files.open("u.user"), separator: "|", header: .absent, quoting: false)
            return try AttributeTable(table: t, key: .position(0), names: ["user", "age", "gender", "occupation", "zip"])
        case .ml1m:
            guard files.has("users.dat") else { return nil }
            let t = try readText(files.open("users.dat"), separator: "::", header: .absent, quoting: false)
            return try AttributeTable(table: t, key: .position(0), names: ["user", "gender", "age", "occupation", "zip"])
        case .ml10m, .csv:
            return nil
        }
    }

    /// Item attributes: title, release date and genres (a multi-valued column).
    static func itemAttributes(_ files: Files, layout: MovieLensLayout) throws -> AttributeTable? {
        switch layout {
        case .ml100k:
            guard files.has("u.item") else { return nil }
            // Latin-1 (accented titles), no quoting (titles contain quote characters).
            let t = try TextTable.read(files.open("u.item"), separator: "|", header: .absent, encoding: .latin1, quoting: false,
                                       onError: .fail, maxReportedErrors: 10, fieldCount: nil)
            var keys = [String](), titles = [String?](), dates = [String?](), urls = [String?](), genres = [[String]]()
            for (r, row) in t.rows.enumerated() {
                guard row.count == 24 else {
                    throw DataError(.malformedLine, path: t.report.path, line: t.lineNumbers[r],
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
            guard files.has("movies.dat") else { return nil }
            let t = try readText(files.open("movies.dat"), separator: "::", header: .absent, quoting: false)
            return try AttributeTable(table: t, key: .position(0), names: ["item", "title", "genres"],
                                      multiValued: ["genres": "|"]).withoutNoGenres()
        case .csv:
            guard files.has("movies.csv") else { return nil }
            let t = try readText(files.open("movies.csv"), separator: ",", header: .present)
            return try AttributeTable(table: t, key: .name("movieId"), multiValued: ["genres": "|"]).withoutNoGenres()
        }
    }

    /// Reads a small attribute file as UTF-8, falling back to Latin-1 when it is not valid UTF-8
    /// (the older MovieLens files are Latin-1).
    static func readText(_ file: FileBytes, separator: String, header: HeaderMode, quoting: Bool = true) throws -> TextTable {
        func read(_ encoding: TextEncoding) throws -> TextTable {
            try TextTable.read(file, separator: separator, header: header, encoding: encoding, quoting: quoting,
                               onError: .fail, maxReportedErrors: 10, fieldCount: nil)
        }
        do {
            return try read(.utf8)
        } catch let e as DataError where e.message.hasPrefix("invalid UTF-8") {
            return try read(.latin1)
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
