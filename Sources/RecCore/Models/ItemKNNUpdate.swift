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
        var fresh = [Int: [(item: Int32, score: Float)]]()
        for (n, i) in targets.enumerated() { fresh[Int(i)] = lists[n] }
        var ptr = [0], its = [Int32](), sims = [Float]()
        for i in 0..<ni {
            if let l = fresh[i] {
                for (j, s) in l { its.append(j); sims.append(s) }
            } else if i < itemCount {
                its.append(contentsOf: neighbourItems[neighbourPtr[i]..<neighbourPtr[i + 1]])
                sims.append(contentsOf: neighbourSims[neighbourPtr[i]..<neighbourPtr[i + 1]])
            }
            ptr.append(its.count)
        }
        neighbourPtr = ptr; neighbourItems = its; neighbourSims = sims
        ratings = r; userMean = um; globalMean = mu
        userCount = r.rows; itemCount = ni
        trainingItems = trainingItems.merging(u.newEvents)
    }
}
