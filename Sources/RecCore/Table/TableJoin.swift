// Inner and left joins on key columns.

public enum JoinKind: String, Sendable, CaseIterable {
    /// Only rows with a match on both sides.
    case inner
    /// Every left row; right columns are null where there is no match.
    case left
}

extension Table {
    /// Joins on columns with the same names on both sides. See `join(_:leftOn:rightOn:kind:suffix:)`.
    public func join(_ right: Table, on keys: [String], kind: JoinKind = .inner, suffix: String = "_right") throws -> Table {
        try join(right, leftOn: keys, rightOn: keys, kind: kind, suffix: suffix)
    }

    /// Rows of this table paired with the rows of `right` whose `rightOn` values equal this row's
    /// `leftOn` values (a hash join on the right side).
    ///
    /// Output rows follow the left table's order, and for each left row its matches in the right
    /// table's order. Columns: every left column, then the right columns except key columns that
    /// have the same name as their left counterpart; a right column whose name is taken gets
    /// `suffix`. Null keys never match (as in SQL). Key types must agree, except that Int and
    /// Float keys compare numerically.
    public func join(_ right: Table, leftOn: [String], rightOn: [String], kind: JoinKind = .inner,
                     suffix: String = "_right") throws -> Table {
        guard !leftOn.isEmpty else { throw TableError.invalidArgument("join needs at least one key column") }
        guard leftOn.count == rightOn.count else {
            throw TableError.invalidArgument("join has \(leftOn.count) left key columns but \(rightOn.count) right ones")
        }
        var lk = try leftOn.map { try column($0) }
        var rk = try rightOn.map { try right.column($0) }
        for k in lk.indices where lk[k].type != rk[k].type {
            if lk[k].type.isNumeric && rk[k].type.isNumeric {
                lk[k] = lk[k].widenedToDouble()!
                rk[k] = rk[k].widenedToDouble()!
            } else {
                throw TableError.typeMismatch(context: "join key \"\(leftOn[k])\" / \"\(rightOn[k])\"",
                                              expected: lk[k].type.description, found: rk[k].type.description)
            }
        }
        let codes = TableKeys.joinCodes(left: lk, right: rk, leftRows: rowCount, rightRows: right.rowCount)

        // Right rows bucketed by key code (counting sort keeps them in row order within a bucket).
        var start = [Int](repeating: 0, count: codes.count + 1)
        for c in codes.right where c >= 0 { start[c + 1] += 1 }
        for c in 0..<codes.count { start[c + 1] += start[c] }
        var fill = start
        var bucketed = [Int](repeating: 0, count: start[codes.count])
        for (j, c) in codes.right.enumerated() where c >= 0 {
            bucketed[fill[c]] = j
            fill[c] += 1
        }

        var leftRows: [Int] = []
        var rightRows: [Int] = []
        leftRows.reserveCapacity(rowCount)
        rightRows.reserveCapacity(rowCount)
        for (i, c) in codes.left.enumerated() {
            if c >= 0 && start[c] < start[c + 1] {
                for p in start[c]..<start[c + 1] {
                    leftRows.append(i)
                    rightRows.append(bucketed[p])
                }
            } else if kind == .left {
                leftRows.append(i)
                rightRows.append(-1)
            }
        }

        var out = gatheringRows(leftRows)
        let sharedKeys = Set(zip(leftOn, rightOn).filter { $0.0 == $0.1 }.map { $0.0 })
        for (name, col) in zip(right.columnNames, right.columns) where !sharedKeys.contains(name) {
            let outName = out.hasColumn(name) ? name + suffix : name
            try out.appendColumn(outName, col.gathered(rightRows))
        }
        return out
    }
}
