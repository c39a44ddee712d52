// Item kNN kept current: only the items whose similarities the new events can change get new
// neighbour lists, so an update equals a fit on the whole log.

extension ItemKNN: IncrementalRecommender {
    /// A new event (u, i) changes i's column (its norm, its co-ratings) and, for adjusted cosine,
    /// the mean of u and so every column u rated; a changed column moves only its similarities
    /// with items that share a user with it. So the affected items are those rated by a user who
    /// rated a changed column; their lists are recomputed over the whole log, the others kept.
    public func update(_ u: TrainingUpdate, context: FitContext) throws {
        if feedback == .explicit { try requireRatings(u.all, model: "\(name) (explicit)") }
        let (r, um, mu) = ratingsAndMeans(u.all)
        let ni = r.columns
        // Columns whose values or norms change: the touched items, and with adjusted cosine every
        // item a touched user rated (the user's mean moved).
        var touchedItem = [Bool](repeating: false, count: ni)
        for i in u.touchedItems { touchedItem[Int(i)] = true }
        if similarity == .adjustedCosine {
            for user in u.touchedUsers { for k in r.rowPtr[Int(user)]..<r.rowPtr[Int(user) + 1] { touchedItem[Int(r.colIdx[k])] = true } }
        }
        var affected = [Bool](repeating: false, count: ni)
        for user in 0..<r.rows {
            let row = r.rowPtr[user]..<r.rowPtr[user + 1]
            guard row.contains(where: { touchedItem[Int(r.colIdx[$0])] }) else { continue }
            for k in row { affected[Int(r.colIdx[k])] = true }
        }
        let targets = (0..<Int32(ni)).filter { affected[Int($0)] }
        let lists = try neighbourLists(of: targets, ratings: r, centred: centredValues(r, userMean: um),
                                       cancellation: context.cancellation)
        // The unaffected items' own lists are kept; with selection "symmetric" the reverse links
        // of every list are then drawn again, since an affected item's list may have gained or
        // lost an unaffected one.
        var own = ownLists() + [[(item: Int32, score: Float)]](repeating: [], count: max(0, ni - itemCount))
        for (n, i) in targets.enumerated() { own[Int(i)] = lists[n] }
        store(own)
        ratings = r; userMean = um; globalMean = mu
        userCount = r.rows; itemCount = ni
        trainingItems = trainingItems.merging(u.newEvents)
    }
}
