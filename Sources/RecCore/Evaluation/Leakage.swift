// Whether a model saw the test set: a model fitted on more than the training set (the whole
// dataset, say) is scored on rows it learned from, and every metric flatters it. Comparing ID
// spaces cannot tell (a split keeps one ID space for both sides), so the rows are compared.

extension EvaluationData {
    /// How many test rows a model fitted on `fitted` saw in training although the training set of
    /// this evaluation does not have them: 0 when `fitted` is the training set (decided without
    /// looking at rows when it is the same data), a subset of it, or other data without test rows.
    ///
    /// Rows are compared whole — user, item, and the value, timestamp and event wherever the test
    /// set, the training set and `fitted` all have them — so a user coming back to an item (a view
    /// in training, a purchase in test) is not taken for a leak. Rows are counted as multisets: a
    /// test row was seen when `fitted` has more copies of it than the training set.
    public func testRowsSeen(byModelFittedOn fitted: Interactions) -> Int {
        if isSameData(fitted, train) || test.isEmpty { return 0 }
        let (model, _) = fitted.reindexed(into: test)
        let (training, _) = train.reindexed(into: test)
        let useValues = test.values != nil && model.values != nil && training.values != nil
        let useTimes = test.timestamps != nil && model.timestamps != nil && training.timestamps != nil
        let useEvents = test.events != nil && model.events != nil && training.events != nil

        struct Row: Hashable { var user: Int32, item: Int32, value: UInt64, time: Int64, event: UInt16 }
        func row(_ d: Interactions, _ k: Int) -> Row {
            Row(user: d.user[k], item: d.item[k], value: useValues ? d.values![k].bitPattern : 0,
                time: useTimes ? d.timestamps![k] : 0, event: useEvents ? d.events!.codes[k] : 0)
        }
        // Per distinct test row: its copies in test, in the model's data, in the training set.
        var counts: [Row: (test: Int, model: Int, train: Int)] = [:]
        for k in 0..<test.count { counts[row(test, k), default: (0, 0, 0)].test += 1 }
        for k in 0..<model.count {
            let r = row(model, k)
            if counts[r] != nil { counts[r]!.model += 1 }
        }
        for k in 0..<training.count {
            let r = row(training, k)
            if counts[r] != nil { counts[r]!.train += 1 }
        }
        return counts.values.reduce(0) { $0 + min($1.test, max(0, $1.model - $1.train)) }
    }
}

/// True when `a` and `b` hold the same rows over compatible ID spaces. Copies of one dataset
/// share their column storage, so this is usually decided by identity, without a pass over rows.
private func isSameData(_ a: Interactions, _ b: Interactions) -> Bool {
    a.count == b.count
        && (a.users.isPrefix(of: b.users) || b.users.isPrefix(of: a.users))
        && (a.items.isPrefix(of: b.items) || b.items.isPrefix(of: a.items))
        && a.user == b.user && a.item == b.item && a.timestamps == b.timestamps && a.values == b.values
}
