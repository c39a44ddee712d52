// Cutting numeric attributes (age, price) into labelled ranges, so that they can group users or
// items the way a categorical attribute does.

/// Half-open ranges cut at ascending edges: edges [18, 25, 35, 50] make five bins — below 18,
/// [18, 25), [25, 35), [35, 50) and 50 or more.
///
/// Labels: for whole numbers (integer data cut at integer edges) each range reads inclusively —
/// "<18", "18-24", "25-34", "35-49", "50+" (a range holding one value is just "18"; with negative
/// bounds "-5 to -1"); otherwise interval notation — "<0.5", "[0.5, 1.0)", "[1.0, 2.0)", "≥2.0".
/// Either way the labels sort in bin order under `naturalLess`.
public struct Bins: Sendable, Equatable {
    public let edges: [Double]
    /// Whether the labels are inclusive integer ranges.
    public let integral: Bool
    public let labels: [String]

    /// Bins at `edges` (finite, strictly ascending). `integral`: the data are whole numbers, so
    /// integer edges give inclusive integer labels.
    public init(edges: [Double], integral: Bool) throws {
        guard !edges.isEmpty else {
            throw DataError(.invalidArgument, message: "bins: is empty; give ascending edges such as [18, 25, 35, 50]")
        }
        guard edges.allSatisfy(\.isFinite) else { throw DataError(.invalidArgument, message: "bins: edges must be finite numbers") }
        for k in 1..<edges.count where edges[k] <= edges[k - 1] {
            throw DataError(.invalidArgument,
                            message: "bins: edges must be ascending, without repeats (got \(edges.map(Bins.format)); \(Bins.format(edges[k])) follows \(Bins.format(edges[k - 1])))")
        }
        self.edges = edges
        self.integral = integral && edges.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
        labels = Bins.makeLabels(edges, integral: self.integral)
    }

    /// The bin of `x` (0 … edges.count), or nil for NaN.
    public func bin(_ x: Double) -> Int? {
        guard !x.isNaN else { return nil }
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edges[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The label of `x`'s bin, or nil for NaN.
    public func label(_ x: Double) -> String? { bin(x).map { labels[$0] } }

    private static func makeLabels(_ e: [Double], integral: Bool) -> [String] {
        let n = e.count
        if integral {
            let v = e.map { Int64($0) }
            var out = ["<\(v[0])"]
            for k in 1..<n {
                let lo = v[k - 1], hi = v[k] - 1
                out.append(lo == hi ? "\(lo)" : lo < 0 || hi < 0 ? "\(lo) to \(hi)" : "\(lo)-\(hi)")
            }
            out.append("\(v[n - 1])+")
            return out
        }
        var out = ["<\(format(e[0]))"]
        for k in 1..<n { out.append("[\(format(e[k - 1])), \(format(e[k])))") }
        out.append("≥\(format(e[n - 1]))")
        return out
    }

    /// Swift's shortest round-trip form ("0.5", "1.0"), which keeps labels exact.
    static func format(_ x: Double) -> String { "\(x)" }
}

extension AttributeColumn {
    /// The column cut into `bins` (edges): a string column of bin labels, missing where the
    /// value is. Only int and double columns can be cut; `name` words the error.
    public func binned(_ edges: [Double], name: String) throws -> AttributeColumn {
        switch self {
        case .int(let a):
            let b = try Bins(edges: edges, integral: true)
            return .string(a.map { $0.flatMap { b.label(Double($0)) } })
        case .double(let a):
            let b = try Bins(edges: edges, integral: false)
            return .string(a.map { $0.flatMap { b.label($0) } })
        case .string, .multi:
            throw DataError(.invalidArgument, message: "bins: needs a numeric attribute, and '\(name)' holds text (\(typeName))")
        }
    }

    /// Whether the values are numbers (int or double).
    public var isNumeric: Bool {
        switch self {
        case .int, .double: return true
        case .string, .multi: return false
        }
    }
}

extension AttributeTable {
    /// `groupLabels(name, alignedTo:)` with a numeric column first cut into `bins` (nil: each
    /// distinct value is a group). nil when there is no such column.
    public func groupLabels(_ name: String, alignedTo map: IDMap, bins: [Double]?) throws -> [String]? {
        guard let bins else { return groupLabels(name, alignedTo: map) }
        return try cutting(name, bins: bins, as: name).groupLabels(name, alignedTo: map)
    }

    /// More distinct values than this, in a numeric attribute grouped without bins, earn a note.
    public static let manyGroups = 20

    /// A note for grouping by `name` without bins when it is numeric and has more than
    /// `manyGroups` distinct values: each value would be a group of its own.
    public func manyGroupsNote(_ name: String) -> String? {
        guard let c = columns[name], c.isNumeric else { return nil }
        let distinct = Set((0..<c.count).map { c.text($0) }.filter { !$0.isEmpty }).count
        guard distinct > AttributeTable.manyGroups else { return nil }
        return "'\(name)' is numeric with \(distinct) distinct values, so each value is a group; pass bins: (e.g. bins: [18, 25, 35, 50]) to group ranges"
    }

    /// The table with `column` cut into `bins` as a string column `newName` (replacing a column
    /// of that name, the cut column itself included).
    public func cutting(_ column: String, bins: [Double], as newName: String) throws -> AttributeTable {
        guard let c = columns[column] else {
            throw DataError(.invalidArgument, message: "no attribute '\(column)' (attributes: \(columnNames.joined(separator: ", ")))")
        }
        var t = self
        try t.setColumn(newName, try c.binned(bins, name: column))
        return t
    }
}

extension Interactions {
    /// The data with a user or item attribute cut into `bins`, as a new attribute `newName`
    /// (looked up among the user attributes, then the item attributes; a name both have is
    /// ambiguous).
    public func cutting(_ attribute: String, bins: [Double], as newName: String) throws -> Interactions {
        let inUsers = userAttributes?.columns[attribute] != nil, inItems = itemAttributes?.columns[attribute] != nil
        var d = self
        switch (inUsers, inItems) {
        case (true, true):
            throw DataError(.invalidArgument, message: "both the user and the item attributes have '\(attribute)'; cut one of them as a table (read_table, then cut and with_attributes)")
        case (true, false): d.userAttributes = try userAttributes!.cutting(attribute, bins: bins, as: newName)
        case (false, true): d.itemAttributes = try itemAttributes!.cutting(attribute, bins: bins, as: newName)
        case (false, false):
            let u = userAttributes?.columnNames ?? [], i = itemAttributes?.columnNames ?? []
            let known = u.isEmpty && i.isEmpty ? "the data has no attributes"
                : "user attributes: \(u.isEmpty ? "none" : u.joined(separator: ", ")); item attributes: \(i.isEmpty ? "none" : i.joined(separator: ", "))"
            throw DataError(.invalidArgument, message: "no user or item attribute '\(attribute)' (\(known))")
        }
        return d
    }
}

extension Table {
    /// The table with a numeric `column` cut into `bins` as a string column `newName` (added, or
    /// replaced when it exists); null where the value is null or NaN.
    public func cutting(_ column: String, bins: [Double], as newName: String) throws -> Table {
        let c = try self.column(column)
        let b: Bins
        switch c.type {
        case .int: b = try Bins(edges: bins, integral: true)
        case .double: b = try Bins(edges: bins, integral: false)
        default:
            throw TableError.typeMismatch(context: "column \"\(column)\" (bins: cuts numbers)", expected: "Int or Float", found: "\(c.type)")
        }
        let labels = (0..<c.count).map { r -> String? in
            switch c[r] {
            case .int(let x): return b.label(Double(x))
            case .double(let x): return b.label(x)
            default: return nil
            }
        }
        let out = Column(optionalStrings: labels)
        return hasColumn(newName) ? try setting(newName, out) : try adding(newName, out)
    }
}

/// Orders group labels as a person reads them: numbers by value ("9" before "10", "2-5" before
/// "10-20"), bin labels in bin order ("<18", "18-24", …, "50+"; "[0.5, 1.0)" by its lower edge,
/// "≥2.0" after the ranges it follows), other text as text with its digit runs compared as
/// numbers ("item 9" before "item 10"); labels that start with a number come first, and
/// "(missing)" comes last.
public func naturalLess(_ a: String, _ b: String) -> Bool {
    let ka = NaturalKey(a), kb = NaturalKey(b)
    if ka.rank != kb.rank { return ka.rank < kb.rank }
    if ka.rank == 0 {
        if ka.number != kb.number { return ka.number < kb.number }
        if ka.side != kb.side { return ka.side < kb.side }
    }
    let c = naturalCompare(a, b)
    return c != 0 ? c < 0 : a < b
}

/// What a label sorts by first: rank 0 = leads with a number (and `side` says whether it is an
/// upper bound "<x", a value or range "x…", or a lower bound "≥x"), 1 = text, 2 = "(missing)".
private struct NaturalKey {
    var rank = 1
    var number = 0.0
    var side = 1

    init(_ s: String) {
        if s == "(missing)" { rank = 2; return }
        var rest = Substring(s)
        for (prefix, side) in [("<=", 0), ("≤", 0), ("<", 0), (">=", 2), ("≥", 2), (">", 2), ("[", 1), ("(", 1)] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            self.side = side
            break
        }
        var end = rest.startIndex
        if end < rest.endIndex && rest[end] == "-" { end = rest.index(after: end) }
        let digitsStart = end
        while end < rest.endIndex, rest[end].isASCII, rest[end].isNumber || rest[end] == "." { end = rest.index(after: end) }
        guard end > digitsStart, let x = Double(rest[rest.startIndex..<end]) else { side = 1; return }
        rank = 0
        number = x
    }
}

/// Compares chunk by chunk: runs of ASCII digits by value (then by length, so "07" follows "7"),
/// everything else as text. Negative, zero or positive as a is before, level with or after b.
private func naturalCompare(_ a: String, _ b: String) -> Int {
    var i = a.unicodeScalars.makeIterator(), j = b.unicodeScalars.makeIterator()
    var ca = i.next(), cb = j.next()
    func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { $0.value >= 48 && $0.value <= 57 } ?? false }
    while let x = ca, let y = cb {
        if isDigit(x) && isDigit(y) {
            var da = "", db = ""
            while isDigit(ca) { da.unicodeScalars.append(ca!); ca = i.next() }
            while isDigit(cb) { db.unicodeScalars.append(cb!); cb = j.next() }
            let ta = da.drop { $0 == "0" }, tb = db.drop { $0 == "0" }
            if ta.count != tb.count { return ta.count < tb.count ? -1 : 1 }
            if ta != tb { return ta < tb ? -1 : 1 }
            if da.count != db.count { return da.count < db.count ? -1 : 1 }
            continue
        }
        if x != y { return x.value < y.value ? -1 : 1 }
        ca = i.next(); cb = j.next()
    }
    if ca == nil && cb == nil { return 0 }
    return ca == nil ? -1 : 1
}
