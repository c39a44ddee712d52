// The columnar interaction log at the centre of RecCore.

import Foundation

/// Which values a matrix holds.
public enum MatrixValues: String, Sendable, Hashable {
    /// The value column (ratings, weights); 1 for every row when there is no value column.
    case stored
    /// 1 for every interaction (with `.sum`, the count of interactions per pair).
    case ones
}

/// A behaviour log in columnar form: one row per interaction.
///
/// Users and items are dense `Int32` indices into `users`/`items` (`IDMap`s of raw IDs, in
/// first-appearance order). Event type and channel are optional small coded columns, the value
/// (rating/weight) and timestamp (Int64 seconds) optional numeric columns. User and item
/// attribute tables are joined by raw ID.
///
/// The columns are immutable: every preparation step returns a new `Interactions`. That is what
/// lets user × item matrices be built on demand and cached (`matrix`, `csc`): the cache is shared
/// by copies and never goes stale. Filtering keeps the ID maps (so train and test stay in one ID
/// space); `compacted()` renumbers to the IDs still used.
public struct Interactions: Sendable, CustomStringConvertible {
    public let users: IDMap
    public let items: IDMap
    /// User index per row.
    public let user: [Int32]
    /// Item index per row.
    public let item: [Int32]
    public let values: ValueColumn?
    /// Seconds since the Unix epoch.
    public let timestamps: [Int64]?
    public let events: CodedColumn?
    public let channels: CodedColumn?
    /// User attributes (demographics), keyed by raw user ID.
    public var userAttributes: AttributeTable?
    /// Item attributes (category, provider, price, genres…), keyed by raw item ID.
    public var itemAttributes: AttributeTable?

    let cache = MatrixCache()

    /// Builds from dense columns, checking lengths and index ranges.
    public init(users: IDMap, items: IDMap, user: [Int32], item: [Int32], values: ValueColumn? = nil,
                timestamps: [Int64]? = nil, events: CodedColumn? = nil, channels: CodedColumn? = nil,
                userAttributes: AttributeTable? = nil, itemAttributes: AttributeTable? = nil) throws {
        let n = user.count
        func check(_ ok: Bool, _ what: String) throws {
            if !ok { throw DataError(.invalidArgument, message: what) }
        }
        try check(item.count == n, "item column has \(item.count) rows, user column \(n)")
        try check((values?.count ?? n) == n, "value column length differs from user column")
        try check((timestamps?.count ?? n) == n, "timestamp column length differs from user column")
        try check((events?.count ?? n) == n, "event column length differs from user column")
        try check((channels?.count ?? n) == n, "channel column length differs from user column")
        let uc = Int32(users.count), ic = Int32(items.count)
        try check(user.allSatisfy { $0 >= 0 && $0 < uc }, "user index out of range of the user ID map")
        try check(item.allSatisfy { $0 >= 0 && $0 < ic }, "item index out of range of the item ID map")
        self.init(unchecked: users, items: items, user: user, item: item, values: values, timestamps: timestamps,
                  events: events, channels: channels, userAttributes: userAttributes, itemAttributes: itemAttributes)
    }

    init(unchecked users: IDMap, items: IDMap, user: [Int32], item: [Int32], values: ValueColumn?,
         timestamps: [Int64]?, events: CodedColumn?, channels: CodedColumn?,
         userAttributes: AttributeTable?, itemAttributes: AttributeTable?) {
        self.users = users; self.items = items; self.user = user; self.item = item
        self.values = values; self.timestamps = timestamps; self.events = events; self.channels = channels
        self.userAttributes = userAttributes; self.itemAttributes = itemAttributes
    }

    /// Builds from raw IDs, interning them in order of first appearance.
    public init(userIDs: [String], itemIDs: [String], values: [Double]? = nil, timestamps: [Int64]? = nil,
                events: [String]? = nil, channels: [String]? = nil) throws {
        var um = IDMap(), im = IDMap()
        let u = userIDs.map { um.intern($0) }
        let i = itemIDs.map { im.intern($0) }
        try self.init(users: um, items: im, user: u, item: i, values: values.map { .double($0) },
                      timestamps: timestamps, events: events.map { CodedColumn($0) },
                      channels: channels.map { CodedColumn($0) })
    }

    /// An empty log in the given ID space.
    public static func empty(users: IDMap = IDMap(), items: IDMap = IDMap()) -> Interactions {
        Interactions(unchecked: users, items: items, user: [], item: [], values: nil, timestamps: nil,
                     events: nil, channels: nil, userAttributes: nil, itemAttributes: nil)
    }

    public var count: Int { user.count }
    public var isEmpty: Bool { user.isEmpty }
    /// Size of the user ID space (including users with no rows, e.g. after filtering).
    public var userCount: Int { users.count }
    public var itemCount: Int { items.count }

    /// One row, decoded for display.
    public struct Row: Sendable, Equatable, CustomStringConvertible {
        public var user: String
        public var item: String
        public var value: Double?
        public var timestamp: Int64?
        public var event: String?
        public var channel: String?
        public var description: String {
            var parts = ["user=\(user)", "item=\(item)"]
            if let value { parts.append("value=\(value)") }
            if let timestamp { parts.append("timestamp=\(timestamp)") }
            if let event { parts.append("event=\(event)") }
            if let channel { parts.append("channel=\(channel)") }
            return parts.joined(separator: " ")
        }
    }

    public func row(_ i: Int) -> Row {
        Row(user: users.key(at: user[i]), item: items.key(at: item[i]), value: values?[i],
            timestamp: timestamps?[i], event: events?[i], channel: channels?[i])
    }

    public var description: String {
        var cols = ["user", "item"]
        if values != nil { cols.append("value") }
        if timestamps != nil { cols.append("timestamp") }
        if events != nil { cols.append("event") }
        if channels != nil { cols.append("channel") }
        return "Interactions(\(count) rows, \(userCount) users, \(itemCount) items; \(cols.joined(separator: ", ")))"
    }

    // MARK: Row selection

    /// The rows at `rows` (in that order), same ID space and attribute tables.
    public func selecting(rows: [Int]) -> Interactions {
        Interactions(unchecked: users, items: items, user: gather(user, rows), item: gather(item, rows),
                     values: values?.gathered(rows), timestamps: timestamps.map { gather($0, rows) },
                     events: events?.gathered(rows), channels: channels?.gathered(rows),
                     userAttributes: userAttributes, itemAttributes: itemAttributes)
    }

    /// The rows where `keep` (one flag per row) is true, in order: `selecting(rows:)` of their
    /// indices, without an index array as long as the log.
    func selecting(keep: [Bool]) -> Interactions {
        precondition(keep.count == count, "one flag per row")
        let kept = keep.reduce(0) { $0 + ($1 ? 1 : 0) }
        return Interactions(unchecked: users, items: items, user: compact(user, keep: keep, kept: kept),
                            item: compact(item, keep: keep, kept: kept), values: values?.compacted(keep: keep, kept: kept),
                            timestamps: timestamps.map { compact($0, keep: keep, kept: kept) },
                            events: events?.compacted(keep: keep, kept: kept), channels: channels?.compacted(keep: keep, kept: kept),
                            userAttributes: userAttributes, itemAttributes: itemAttributes)
    }

    /// The same rows with another value column (e.g. weights derived from event types).
    public func replacingValues(_ v: ValueColumn?) -> Interactions {
        precondition((v?.count ?? count) == count, "value column length differs")
        return Interactions(unchecked: users, items: items, user: user, item: item, values: v, timestamps: timestamps,
                            events: events, channels: channels, userAttributes: userAttributes, itemAttributes: itemAttributes)
    }

    /// Row indices where `keep` is true.
    public func rowIndices(where keep: (Int) -> Bool) -> [Int] {
        var out = [Int](); out.reserveCapacity(count)
        for i in 0..<count where keep(i) { out.append(i) }
        return out
    }

    /// Interactions per user index (length `userCount`).
    public func userCounts() -> [Int] { histogram(user, userCount) }
    /// Interactions per item index (length `itemCount`).
    public func itemCounts() -> [Int] { histogram(item, itemCount) }

    // MARK: Matrices

    /// The user × item matrix in CSR form, built on first use and cached.
    /// `duplicates` says how repeated (user, item) pairs combine (see `DuplicatePolicy`).
    public func matrix(duplicates: DuplicatePolicy = .sum, values mode: MatrixValues = .stored) -> SparseMatrix {
        cache.get(.init(transposed: false, duplicates: duplicates, values: mode)) {
            SparseMatrix(rows: userCount, columns: itemCount, rowIndices: user, columnIndices: item,
                         values: mode == .stored ? values?.floats : nil, order: timestamps, duplicates: duplicates)
        }
    }

    /// The user × item matrix in CSC form: an item × user `SparseMatrix` (rowPtr over items,
    /// colIdx holding users). Cached like `matrix`.
    public func csc(duplicates: DuplicatePolicy = .sum, values mode: MatrixValues = .stored) -> SparseMatrix {
        cache.get(.init(transposed: true, duplicates: duplicates, values: mode)) {
            matrix(duplicates: duplicates, values: mode).transposed()
        }
    }

    /// The sparsity pattern of the user × item matrix, which `values` does not change: that of a
    /// cached matrix with these `duplicates` when there is one (no second matrix is built next
    /// to it), else that of the `.ones` matrix.
    public func matrixPattern(duplicates: DuplicatePolicy = .sum) -> CompressedRows<Int32> {
        if let m = cache.cached(transposed: false, duplicates: duplicates) { return m.pattern }
        return matrix(duplicates: duplicates, values: .ones).pattern
    }

    /// Alias of `matrix`, for symmetry with `csc`.
    public func csr(duplicates: DuplicatePolicy = .sum, values mode: MatrixValues = .stored) -> SparseMatrix {
        matrix(duplicates: duplicates, values: mode)
    }

    // MARK: ID spaces

    /// Re-expresses this log in another ID space: raw IDs found in `users`/`items` take their
    /// indices there; new ones are appended after them (first-appearance order) and reported.
    /// Event and channel codes are re-coded into `eventLabels`/`channelLabels` likewise.
    public func reindexed(users target: IDMap, items targetItems: IDMap,
                          eventLabels: [String]? = nil, channelLabels: [String]? = nil) -> (Interactions, ReindexReport) {
        var um = target, im = targetItems
        let uOld = target.count, iOld = targetItems.count
        let uRemap = remapTable(from: users, into: &um)
        let iRemap = remapTable(from: items, into: &im)
        var u = [Int32](repeating: 0, count: count), it = [Int32](repeating: 0, count: count)
        var rowsNewUser = 0, rowsNewItem = 0
        for k in 0..<count {
            let a = uRemap[Int(user[k])], b = iRemap[Int(item[k])]
            u[k] = a; it[k] = b
            if Int(a) >= uOld { rowsNewUser += 1 }
            if Int(b) >= iOld { rowsNewItem += 1 }
        }
        let ev = events.map { e in eventLabels.map { e.recoded(into: $0) } ?? e }
        let ch = channels.map { c in channelLabels.map { c.recoded(into: $0) } ?? c }
        let out = Interactions(unchecked: um, items: im, user: u, item: it, values: values, timestamps: timestamps,
                               events: ev, channels: ch, userAttributes: userAttributes, itemAttributes: itemAttributes)
        let report = ReindexReport(newUsers: um.count - uOld, newItems: im.count - iOld,
                                   rowsWithNewUsers: rowsNewUser, rowsWithNewItems: rowsNewItem,
                                   newUserIDs: (uOld..<min(um.count, uOld + 20)).map { um.key(at: $0) },
                                   newItemIDs: (iOld..<min(im.count, iOld + 20)).map { im.key(at: $0) })
        return (out, report)
    }

    /// Re-expresses this log in `other`'s ID space (see `reindexed(users:items:)`).
    public func reindexed(into other: Interactions) -> (Interactions, ReindexReport) {
        reindexed(users: other.users, items: other.items, eventLabels: other.events?.labels,
                  channelLabels: other.channels?.labels)
    }

    /// The same rows over larger ID maps that extend this log's maps (indices are unchanged).
    public func withIDSpace(users newUsers: IDMap, items newItems: IDMap) throws -> Interactions {
        guard users.isPrefix(of: newUsers), items.isPrefix(of: newItems) else {
            throw DataError(.invalidArgument, message: "the new ID maps do not extend this dataset's ID maps")
        }
        return Interactions(unchecked: newUsers, items: newItems, user: user, item: item, values: values,
                            timestamps: timestamps, events: events, channels: channels,
                            userAttributes: userAttributes, itemAttributes: itemAttributes)
    }

    /// Renumbers users and items to those that occur in the rows (first-appearance order),
    /// dropping unused IDs from the maps.
    public func compacted() -> Interactions {
        let (um, ur) = users.subset(user)
        let (im, ir) = items.subset(item)
        return Interactions(unchecked: um, items: im, user: user.map { ur[Int($0)] }, item: item.map { ir[Int($0)] },
                            values: values, timestamps: timestamps, events: events, channels: channels,
                            userAttributes: userAttributes, itemAttributes: itemAttributes)
    }

    /// This log's rows followed by `other`'s, in this log's ID space (extended by `other`'s new IDs).
    public func appending(_ other: Interactions) -> Interactions {
        let (o, _) = other.reindexed(into: self)
        let me = try! withIDSpace(users: o.users, items: o.items)
        func merge<T>(_ a: T?, _ b: T?, _ plus: (T, T) -> T) -> T? {
            guard let a, let b else { return nil }
            return plus(a, b)
        }
        return Interactions(unchecked: o.users, items: o.items, user: concatenated(me.user, o.user), item: concatenated(me.item, o.item),
                            values: merge(values, o.values, +), timestamps: merge(timestamps, o.timestamps, concatenated),
                            events: merge(events, o.events, +), channels: merge(channels, o.channels, +),
                            userAttributes: userAttributes ?? other.userAttributes,
                            itemAttributes: itemAttributes ?? other.itemAttributes)
    }
}

/// What `reindexed` found: IDs that the target ID space did not have.
public struct ReindexReport: Sendable, Equatable, CustomStringConvertible {
    public var newUsers: Int
    public var newItems: Int
    public var rowsWithNewUsers: Int
    public var rowsWithNewItems: Int
    /// The first new raw IDs (up to 20).
    public var newUserIDs: [String]
    public var newItemIDs: [String]
    public var description: String {
        "\(newUsers) new users (\(rowsWithNewUsers) rows), \(newItems) new items (\(rowsWithNewItems) rows)"
    }
}

/// old index → index in `target`, interning keys `target` lacks.
func remapTable(from source: IDMap, into target: inout IDMap) -> [Int32] {
    if source.isPrefix(of: target) { return (0..<Int32(source.count)).map { $0 } }
    var t = [Int32](repeating: 0, count: source.count)
    for i in 0..<source.count {
        t[i] = source.storage.withKeyBytes(i) { b in
            if let base = b.baseAddress, let f = target.storage.find(base, b.count) { return f }
            return target.intern(String(decoding: b, as: UTF8.self))
        }
    }
    return t
}

func histogram(_ idx: [Int32], _ n: Int) -> [Int] {
    var c = [Int](repeating: 0, count: n)
    c.withUnsafeMutableBufferPointer { cp in idx.withUnsafeBufferPointer { for x in $0 { cp[Int(x)] += 1 } } }
    return c
}

/// Matrices built from one immutable set of columns. Shared by copies of an `Interactions`
/// (the columns are `let`, so entries never go stale); guarded by a lock so concurrent readers
/// build each matrix once.
final class MatrixCache: @unchecked Sendable {
    struct Key: Hashable { var transposed: Bool; var duplicates: DuplicatePolicy; var values: MatrixValues }
    private var entries: [Key: SparseMatrix] = [:]
    private let lock = NSLock()

    func get(_ key: Key, build: () -> SparseMatrix) -> SparseMatrix {
        lock.lock()
        if let m = entries[key] { lock.unlock(); return m }
        lock.unlock()
        let m = build()
        lock.lock(); entries[key] = m; lock.unlock()
        return m
    }

    /// A matrix already built with this orientation and duplicate policy, whatever its values.
    func cached(transposed: Bool, duplicates: DuplicatePolicy) -> SparseMatrix? {
        lock.lock(); defer { lock.unlock() }
        for values in [MatrixValues.stored, .ones] {
            if let m = entries[Key(transposed: transposed, duplicates: duplicates, values: values)] { return m }
        }
        return nil
    }
}
