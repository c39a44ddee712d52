// Preparing interaction logs: deduplication, filters, k-core, weights, binarisation, sampling.
//
// Every step returns a new `Interactions` in the same ID space (so a prepared train set still
// lines up with its test set); call `compacted()` to renumber to the IDs still in use.

/// Which rows count as duplicates.
public enum DuplicateKey: String, Sendable {
    /// Same user and item.
    case userItem
    /// Same user, item and event type (a view and a purchase of one item are both kept).
    case userItemEvent
}

/// Which duplicate to keep.
public enum KeepPolicy: String, Sendable {
    /// The earliest by timestamp (ties and untimed data: first in row order).
    case first
    /// The latest by timestamp (ties and untimed data: last in row order).
    case last
}

extension Interactions {
    /// Removes duplicate rows, keeping one per key (see `DuplicateKey`, `KeepPolicy`); the
    /// surviving rows keep their original order.
    public func deduplicated(by key: DuplicateKey = .userItem, keep: KeepPolicy = .last) -> Interactions {
        // Stable counting sorts (by event, then item, then user) put rows with the same key next
        // to each other, in row order: O(rows), no hashing.
        var order = Array(0..<Int32(count))
        if key == .userItemEvent, let ev = events {
            order = stableCountingSort(order, keys: ev.codes.map { Int32($0) }, buckets: ev.labels.count)
        }
        order = stableCountingSort(order, keys: item, buckets: itemCount)
        order = stableCountingSort(order, keys: user, buckets: userCount)
        let ev = key == .userItemEvent ? events?.codes : nil
        let ts = timestamps
        var keepRow = [Bool](repeating: false, count: count)
        var g = 0
        while g < order.count {
            let first = Int(order[g])
            var best = first
            var h = g + 1
            while h < order.count {
                let r = Int(order[h])
                if user[r] != user[first] || item[r] != item[first] || (ev != nil && ev![r] != ev![first]) { break }
                // r comes after best in row order; by time it is later unless its time is earlier.
                switch keep {
                case .last: if ts.map({ $0[r] >= $0[best] }) ?? true { best = r }
                case .first: if ts.map({ $0[r] < $0[best] }) ?? false { best = r }
                }
                h += 1
            }
            keepRow[best] = true
            g = h
        }
        order = []
        // Nothing repeated: the columns are shared, not copied (a copy is the load's peak memory again).
        if !keepRow.contains(false) { return self }
        return selecting(keep: keepRow)
    }

    /// Rows with `from <= timestamp < to` (either bound optional).
    public func filtered(from: Int64? = nil, to: Int64? = nil) throws -> Interactions {
        guard let ts = timestamps else {
            throw DataError(.invalidArgument, message: "a time-window filter needs timestamps, and this dataset has none")
        }
        let lo = from ?? Int64.min, hi = to ?? Int64.max
        return selecting(rows: rowIndices { ts[$0] >= lo && ts[$0] < hi })
    }

    /// Rows whose event type is one of `events` (unknown names are an error, to catch typos).
    public func filtered(events names: [String]) throws -> Interactions {
        guard let ev = events else { throw DataError(.invalidArgument, message: "this dataset has no event column") }
        let codes = try codeSet(names, ev, "event type")
        return selecting(rows: rowIndices { codes.contains(ev.codes[$0]) })
    }

    /// Rows whose channel is one of `channels`.
    public func filtered(channels names: [String]) throws -> Interactions {
        guard let ch = channels else { throw DataError(.invalidArgument, message: "this dataset has no channel column") }
        let codes = try codeSet(names, ch, "channel")
        return selecting(rows: rowIndices { codes.contains(ch.codes[$0]) })
    }

    /// Rows where `keep(row)` holds.
    public func filtered(where keep: (Int) -> Bool) -> Interactions {
        selecting(rows: rowIndices(where: keep))
    }

    private func codeSet(_ names: [String], _ col: CodedColumn, _ what: String) throws -> Set<UInt16> {
        var s = Set<UInt16>()
        for n in names {
            guard let c = col.code(of: n) else {
                throw DataError(.invalidArgument, message: "unknown \(what) '\(n)' (known: \(col.labels.joined(separator: ", ")))")
            }
            s.insert(c)
        }
        return s
    }

    /// Iterative k-core: repeatedly drops users with fewer than `userK` rows and items with
    /// fewer than `itemK` rows until every remaining user and item meets its threshold. (Counts
    /// are rows; deduplicate first to count distinct items.)
    public func kCore(userK: Int, itemK: Int) -> Interactions {
        var alive = [Bool](repeating: true, count: count)
        var uc = userCounts(), ic = itemCounts()
        var changed = true
        while changed {
            changed = false
            for i in 0..<count where alive[i] {
                let u = Int(user[i]), it = Int(item[i])
                if uc[u] < userK || ic[it] < itemK {
                    alive[i] = false
                    uc[u] -= 1; ic[it] -= 1
                    changed = true
                }
            }
        }
        return selecting(rows: (0..<count).filter { alive[$0] })
    }

    /// Same threshold for users and items.
    public func kCore(_ k: Int) -> Interactions { kCore(userK: k, itemK: k) }

    /// Implicit-feedback confidence from event types: each row's value becomes the weight of its
    /// event type (e.g. view 1, cart 3, purchase 5), `default` for types not listed. Rows whose
    /// weight is 0 are dropped when `dropZero`. Summing duplicates in `matrix(duplicates: .sum)`
    /// then gives per-pair confidence.
    public func weighted(_ weights: [String: Double], default def: Double = 0, dropZero: Bool = true) throws -> Interactions {
        guard let ev = events else { throw DataError(.invalidArgument, message: "event weights need an event column") }
        for name in weights.keys where ev.code(of: name) == nil {
            throw DataError(.invalidArgument, message: "unknown event type '\(name)' (known: \(ev.labels.joined(separator: ", ")))")
        }
        let byCode = ev.labels.map { Float(weights[$0] ?? def) }
        var w = [Float](repeating: 0, count: count)
        for i in 0..<count { w[i] = byCode[Int(ev.codes[i])] }
        let out = replacingValues(.float(w))
        return dropZero ? out.selecting(rows: (0..<count).filter { w[$0] != 0 }) : out
    }

    /// Binarises values: rows with value ≥ threshold get 1; the others are dropped (or set to 0
    /// when `dropBelow` is false).
    public func binarized(threshold: Double, dropBelow: Bool = true) throws -> Interactions {
        guard let v = values else { throw DataError(.invalidArgument, message: "binarising needs a value column") }
        let ones = (0..<count).map { v[$0] >= threshold ? Float(1) : Float(0) }
        let out = replacingValues(.float(ones))
        // Nothing below the threshold: no rows to drop, so no copy of the other columns.
        return dropBelow && ones.contains(0) ? out.selecting(keep: ones.map { $0 == 1 }) : out
    }

    /// All rows of `n` users drawn uniformly without replacement among users with rows (seeded).
    public func sampledUsers(_ n: Int, seed: UInt64) -> Interactions {
        let counts = userCounts()
        let active = (0..<userCount).filter { counts[$0] > 0 }
        var rng = Xoshiro256(seed: seed)
        var pool = active
        rng.shuffle(&pool)
        var chosen = [Bool](repeating: false, count: userCount)
        for u in pool.prefix(max(0, n)) { chosen[u] = true }
        return selecting(rows: rowIndices { chosen[Int(user[$0])] })
    }

    /// All rows of round(fraction × active users) users (seeded).
    public func sampledUsers(fraction: Double, seed: UInt64) -> Interactions {
        let active = userCounts().filter { $0 > 0 }.count
        return sampledUsers(Int((fraction * Double(active)).rounded()), seed: seed)
    }

    /// Rows sorted by timestamp (stable).
    public func sortedByTime() throws -> Interactions {
        guard let ts = timestamps else { throw DataError(.invalidArgument, message: "this dataset has no timestamps") }
        return selecting(rows: (0..<count).sorted { ts[$0] != ts[$1] ? ts[$0] < ts[$1] : $0 < $1 })
    }
}

/// `order` stably reordered by `keys[order[i]]` (keys in 0..<buckets).
func stableCountingSort(_ order: [Int32], keys: [Int32], buckets: Int) -> [Int32] {
    var start = [Int](repeating: 0, count: buckets + 1)
    var out = [Int32](repeating: 0, count: order.count)
    keys.withUnsafeBufferPointer { k in
        order.withUnsafeBufferPointer { o in
            for r in o { start[Int(k[Int(r)]) + 1] += 1 }
            for b in 0..<buckets { start[b + 1] += start[b] }
            out.withUnsafeMutableBufferPointer { dst in
                for r in o {
                    let b = Int(k[Int(r)])
                    dst[start[b]] = r
                    start[b] += 1
                }
            }
        }
    }
    return out
}
