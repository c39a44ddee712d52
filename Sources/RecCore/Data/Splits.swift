// Train/test splits that share one ID space and report unseen users and items.

/// What a split holds and what the test set has that training lacks. Test users or items with
/// no training rows are counted here, never silently dropped.
public struct SplitReport: Sendable, Equatable, CustomStringConvertible {
    public var trainRows = 0
    public var testRows = 0
    /// Distinct users / items with test rows.
    public var testUsers = 0
    public var testItems = 0
    /// Test users / items with no training rows.
    public var unseenUsers = 0
    public var unseenItems = 0
    public var testRowsWithUnseenUser = 0
    public var testRowsWithUnseenItem = 0
    /// The first unseen raw IDs (up to 20 each).
    public var unseenUserIDs: [String] = []
    public var unseenItemIDs: [String] = []

    public init() {}

    /// What is wrong when a side of the split has no rows (nil when both have some): such a split
    /// cannot train or evaluate anything, which is worth saying before the model runs.
    public var emptySide: String? {
        func all(_ n: Int) -> String { n == 1 ? "the only row" : "all \(n) rows" }
        switch (trainRows == 0, testRows == 0) {
        case (true, true): return "both the training and the test set are empty"
        case (false, true): return "the test set is empty (\(all(trainRows)) went to training)"
        case (true, false): return "the training set is empty (\(all(testRows)) went to test)"
        case (false, false): return nil
        }
    }

    public var description: String {
        var s = "train \(trainRows) rows, test \(testRows) rows (\(testUsers) users, \(testItems) items)"
        if unseenUsers > 0 || unseenItems > 0 {
            s += "; unseen in training: \(unseenUsers) users (\(testRowsWithUnseenUser) test rows), \(unseenItems) items (\(testRowsWithUnseenItem) test rows)"
        }
        return s
    }
}

/// A train/test pair over one ID space: a user or item index means the same raw ID in both.
public struct Split: Sendable, CustomStringConvertible {
    public let train: Interactions
    public let test: Interactions
    public let report: SplitReport

    /// Pairs two logs that already share an ID space (e.g. row subsets of one dataset).
    public init(train: Interactions, test: Interactions) throws {
        guard train.users.count == test.users.count, train.items.count == test.items.count,
              train.users.isPrefix(of: test.users), train.items.isPrefix(of: test.items) else {
            throw DataError(.invalidArgument, message: "train and test do not share an ID space; use Split.aligning(train:test:)")
        }
        self.train = train
        self.test = test
        self.report = Split.makeReport(train: train, test: test)
    }

    /// Pairs two separately loaded logs (e.g. MovieLens u1.base and u1.test): the test set is
    /// re-indexed into the training set's ID space, whose maps are extended with the test's new
    /// users and items (indices after all of training's), and both sides get the extended maps.
    public static func aligning(train: Interactions, test: Interactions) -> Split {
        let (t, _) = test.reindexed(into: train)
        let tr = try! train.withIDSpace(users: t.users, items: t.items)
        return try! Split(train: tr, test: t)
    }

    static func makeReport(train: Interactions, test: Interactions) -> SplitReport {
        var r = SplitReport()
        r.trainRows = train.count
        r.testRows = test.count
        let tu = train.userCounts(), ti = train.itemCounts()
        let su = test.userCounts(), si = test.itemCounts()
        for u in 0..<su.count where su[u] > 0 {
            r.testUsers += 1
            if tu[u] == 0 {
                r.unseenUsers += 1
                r.testRowsWithUnseenUser += su[u]
                if r.unseenUserIDs.count < 20 { r.unseenUserIDs.append(test.users.key(at: u)) }
            }
        }
        for i in 0..<si.count where si[i] > 0 {
            r.testItems += 1
            if ti[i] == 0 {
                r.unseenItems += 1
                r.testRowsWithUnseenItem += si[i]
                if r.unseenItemIDs.count < 20 { r.unseenItemIDs.append(test.items.key(at: i)) }
            }
        }
        return r
    }

    public var description: String { "Split(\(report))" }
}

/// How k-fold cross-validation partitions the data.
public enum FoldUnit: String, Sendable {
    /// Rows are partitioned into k folds.
    case interaction
    /// Users are partitioned into k folds; each fold's users hold out part of their rows.
    case user
}

extension Interactions {
    /// Splits the rows at `isTest` (row order is kept on both sides).
    public func split(testRows isTest: [Bool]) -> Split {
        var tr = [Int](), te = [Int]()
        tr.reserveCapacity(count); te.reserveCapacity(count / 4)
        for i in 0..<count { if isTest[i] { te.append(i) } else { tr.append(i) } }
        return try! Split(train: selecting(rows: tr), test: selecting(rows: te))
    }

    /// Random holdout: exactly round(testFraction × count) rows, chosen uniformly (seeded), go
    /// to test.
    public func randomSplit(testFraction: Double, seed: UInt64) throws -> Split {
        try checkFraction(testFraction)
        var rng = Xoshiro256(seed: seed)
        let perm = rng.permutation(count)
        let k = Int((testFraction * Double(count)).rounded())
        var isTest = [Bool](repeating: false, count: count)
        for j in 0..<k { isTest[perm[j]] = true }
        return split(testRows: isTest)
    }

    /// Global temporal split: the latest round(testFraction × count) rows (by timestamp, ties by
    /// row order) go to test.
    public func temporalSplit(testFraction: Double) throws -> Split {
        try checkFraction(testFraction)
        let ts = try requireTimestamps("a temporal split")
        let order = (0..<count).sorted { ts[$0] != ts[$1] ? ts[$0] < ts[$1] : $0 < $1 }
        let k = Int((testFraction * Double(count)).rounded())
        var isTest = [Bool](repeating: false, count: count)
        for j in (count - k)..<count { isTest[order[j]] = true }
        return split(testRows: isTest)
    }

    /// Global temporal split at a point in time: rows at or after `cutoff` go to test.
    public func temporalSplit(cutoff: Int64) throws -> Split {
        let ts = try requireTimestamps("a temporal split")
        return split(testRows: ts.map { $0 >= cutoff })
    }

    /// Per-user temporal split: each user's last `lastN` rows go to test, keeping at least
    /// `minTrain` rows per user in training (users with too few rows stay entirely in training).
    public func perUserTemporalSplit(lastN: Int, minTrain: Int = 1) throws -> Split {
        guard lastN >= 1 else { throw DataError(.invalidArgument, message: "lastN must be at least 1") }
        let ts = try requireTimestamps("a per-user temporal split")
        return perUser { rows, _ in
            let n = min(lastN, max(0, rows.count - minTrain))
            return latest(rows, n, ts)
        }
    }

    /// Per-user temporal split: the last round(lastFraction × rows) of each user's rows go to
    /// test, keeping at least `minTrain` in training.
    public func perUserTemporalSplit(lastFraction: Double, minTrain: Int = 1) throws -> Split {
        try checkFraction(lastFraction)
        let ts = try requireTimestamps("a per-user temporal split")
        return perUser { rows, _ in
            let n = min(Int((lastFraction * Double(rows.count)).rounded()), max(0, rows.count - minTrain))
            return latest(rows, n, ts)
        }
    }

    /// Leave-one-out: each user with at least two rows holds out one: the latest by timestamp
    /// (ties: the later row), or a random one (seeded) when there are no timestamps.
    public func leaveOneOut(seed: UInt64 = 0) -> Split {
        var rng = Xoshiro256(seed: seed)
        let ts = timestamps
        return perUser { rows, _ in
            guard rows.count >= 2 else { return [] }
            if let ts { return latest(rows, 1, ts) }
            return [rows[rng.nextInt(below: rows.count)]]
        }
    }

    /// k-fold cross-validation (seeded). `.interaction`: rows are shuffled and dealt into k
    /// folds; fold i is the test set of split i. `.user`: users with at least two rows are
    /// shuffled and dealt into k folds; each test user holds out round(testFraction × rows) of
    /// their rows (at least 1, at most all but one), chosen at random.
    public func kFold(_ k: Int, by unit: FoldUnit = .interaction, seed: UInt64, testFraction: Double = 0.2) throws -> [Split] {
        guard k >= 2 else { throw DataError(.invalidArgument, message: "k-fold needs k ≥ 2 (got \(k))") }
        var rng = Xoshiro256(seed: seed)
        switch unit {
        case .interaction:
            guard count >= k else { throw DataError(.invalidArgument, message: "\(count) rows cannot make \(k) folds") }
            let perm = rng.permutation(count)
            var fold = [Int](repeating: 0, count: count)
            for (j, r) in perm.enumerated() { fold[r] = j % k }
            return (0..<k).map { f in split(testRows: fold.map { $0 == f }) }
        case .user:
            try checkFraction(testFraction)
            let groups = rowsByUser()
            let eligible = (0..<userCount).filter { groups[$0].count >= 2 }
            guard eligible.count >= k else {
                throw DataError(.invalidArgument, message: "\(eligible.count) users with 2+ rows cannot make \(k) folds")
            }
            var users = eligible
            rng.shuffle(&users)
            var foldOf = [Int](repeating: -1, count: userCount)
            for (j, u) in users.enumerated() { foldOf[u] = j % k }
            // Choose each eligible user's held-out rows once (so folds are disjoint and the choice
            // does not depend on fold order).
            var heldOut = [Bool](repeating: false, count: count)
            for u in users {
                var rows = groups[u]
                let n = min(max(1, Int((testFraction * Double(rows.count)).rounded())), rows.count - 1)
                rng.shuffle(&rows)
                for r in rows.prefix(n) { heldOut[r] = true }
            }
            return (0..<k).map { f in
                split(testRows: (0..<count).map { heldOut[$0] && foldOf[Int(user[$0])] == f })
            }
        }
    }

    // MARK: helpers

    /// Row indices of each user, in row order.
    public func rowsByUser() -> [[Int]] {
        let (ptr, rows) = userRowIndex()
        return (0..<userCount).map { u in rows[ptr[u]..<ptr[u + 1]].map { Int($0) } }
    }

    /// Rows grouped by user in CSR form: user u's rows (in row order) are
    /// `rows[ptr[u]..<ptr[u+1]]`. One counting sort, no per-user arrays.
    func userRowIndex() -> (ptr: [Int], rows: [Int32]) {
        var ptr = [Int](repeating: 0, count: userCount + 1)
        for u in user { ptr[Int(u) + 1] += 1 }
        for u in 0..<userCount { ptr[u + 1] += ptr[u] }
        let rows = stableCountingSort(Array(0..<Int32(count)), keys: user, buckets: userCount)
        return (ptr, rows)
    }

    private func perUser(_ pick: ([Int], Int) -> [Int]) -> Split {
        var isTest = [Bool](repeating: false, count: count)
        let (ptr, rows) = userRowIndex()
        var scratch = [Int]()
        for u in 0..<userCount where ptr[u + 1] > ptr[u] {
            scratch.removeAll(keepingCapacity: true)
            for k in ptr[u]..<ptr[u + 1] { scratch.append(Int(rows[k])) }
            for r in pick(scratch, u) { isTest[r] = true }
        }
        return split(testRows: isTest)
    }

    private func requireTimestamps(_ what: String) throws -> [Int64] {
        guard let ts = timestamps else {
            throw DataError(.invalidArgument, message: "\(what) needs timestamps, and this dataset has none")
        }
        return ts
    }

    private func checkFraction(_ f: Double) throws {
        guard f > 0 && f < 1 else { throw DataError(.invalidArgument, message: "fraction must be between 0 and 1 (got \(f))") }
    }
}

/// The `n` latest of `rows` by timestamp (ties: later row).
private func latest(_ rows: [Int], _ n: Int, _ ts: [Int64]) -> [Int] {
    if n <= 0 { return [] }
    if n == 1 {
        // The latest row, ties to the later row: one scan instead of a sort.
        var best = rows[0]
        for r in rows.dropFirst() where ts[r] >= ts[best] { best = r }
        return [best]
    }
    let sorted = rows.sorted { ts[$0] != ts[$1] ? ts[$0] < ts[$1] : $0 < $1 }
    return Array(sorted.suffix(n))
}
