// Models that fold new interactions into a fitted state instead of fitting again: the update
// contract, and what every update is handed (the whole log now, which rows are new, which users
// and items the new rows touch or introduce).

/// A fitted model that can take new interactions without a full refit (the catalogue declares
/// `.incremental`). After `update`, the model stands for `update.all`: its ID space is that of
/// `all` (new users and items are known), and its training items are those of `all`.
///
/// How close an update comes to a refit on `all` depends on the model: popularity and item kNN
/// are exact; ALS re-solves only the touched users and the new items against the other side's
/// fixed factors (a fold-in); biased MF runs SGD over the new events only.
public protocol IncrementalRecommender: Recommender {
    func update(_ update: TrainingUpdate, context: FitContext) throws
}

/// A fitted log and the events that follow it.
public struct TrainingUpdate: Sendable {
    /// The previous log followed by the new events, in the previous log's ID space extended by
    /// the new events' new IDs (appended after the old ones, so old indices do not move).
    public let all: Interactions
    /// The new events, in `all`'s ID space.
    public let newEvents: Interactions
    /// Rows of `all` that are new (its last rows).
    public let newRows: Range<Int>

    public init(previous: Interactions, newEvents: Interactions) {
        all = previous.appending(newEvents)
        newRows = previous.count ..< all.count
        self.newEvents = all.selecting(rows: Array(newRows))
    }

    /// The log before the new events (a copy of its rows: updates that keep what they were
    /// trained on do not need it).
    public var previous: Interactions { all.selecting(rows: Array(0..<newRows.lowerBound)) }

    /// Users with a new event, ascending.
    public var touchedUsers: [Int32] { distinctSorted(newEvents.user, all.userCount) }
    /// Items with a new event, ascending.
    public var touchedItems: [Int32] { distinctSorted(newEvents.item, all.itemCount) }
}

func distinctSorted(_ xs: [Int32], _ n: Int) -> [Int32] {
    var seen = [Bool](repeating: false, count: n)
    for x in xs { seen[Int(x)] = true }
    return (0..<Int32(n)).filter { seen[Int($0)] }
}

extension IncrementalRecommender {
    /// Folds `newEvents` into a model fitted on `previous` and returns the log it now stands for.
    @discardableResult
    public func update(_ newEvents: Interactions, after previous: Interactions, context: FitContext = .none) throws -> Interactions {
        let u = TrainingUpdate(previous: previous, newEvents: newEvents)
        try update(u, context: context)
        return u.all
    }
}

extension TrainingItems {
    /// These training items with `newEvents` (in an ID space extending this one's) added: each
    /// user's row is the sorted union of its old and new items, without rebuilding the whole matrix.
    public func merging(_ newEvents: Interactions) -> TrainingItems {
        let add = newEvents.matrix(duplicates: .sum, values: .ones).pattern
        let nu = newEvents.userCount
        var b = CompressedRows<Int32>.Builder(rowCapacity: nu, elementCapacity: rows.elements.count + add.elements.count)
        for u in 0..<nu {
            let old = u < rows.count ? rows[u] : [], new = add[u]
            if new.isEmpty { b.append(contentsOf: old); b.endRow(); continue }
            var i = old.startIndex, j = new.startIndex
            while i < old.endIndex || j < new.endIndex {
                if j == new.endIndex || (i < old.endIndex && old[i] < new[j]) { b.append(old[i]); i += 1 }
                else if i == old.endIndex || new[j] < old[i] { b.append(new[j]); j += 1 }
                else { b.append(old[i]); i += 1; j += 1 }
            }
            b.endRow()
        }
        var has = (0..<newEvents.itemCount).map { hasRows(item: Int32($0)) }
        for i in newEvents.item { has[Int(i)] = true }
        return TrainingItems(rows: b.rows, itemHasRows: has)
    }
}
