// What every model of one evaluation is measured against, computed once: the test log in the
// training log's ID space, each user's relevant and training items, item popularity.

/// The ground truth of an evaluation.
///
/// The test log is re-expressed in the training log's ID space; test users and items training
/// never saw get indices after training's and stay in the truth (a relevant item no model can
/// recommend still counts against recall), and `unseen` reports them.
public struct EvaluationData: Sendable {
    public let train: Interactions
    public let test: Interactions
    public let unseen: SplitReport
    /// Users with at least one relevant test item, ascending: the rows of every list metric.
    public let users: [Int32]
    /// Row r: the relevant items of `users[r]` (test items rated ≥ threshold, or all).
    public let relevant: ItemSets
    /// Row r: the training items of `users[r]` (excluded from candidate lists).
    public let training: ItemSets
    /// Training interactions per item (for novelty, popularity and long-tail metrics).
    public let popularity: [Int]
    /// Items of the training ID space (candidates).
    public let itemCount: Int
    public let threshold: Double?
    /// Each test row with a value: user, item, value (for rating metrics).
    public let ratingRows: (users: [Int32], items: [Int32], values: [Double])
    /// The training values' range, to which rating predictions are clipped (as Surprise does).
    public let ratingRange: ClosedRange<Double>?
    /// The training mean, the fallback prediction for items or users a model cannot score.
    public let globalMean: Double

    public init(train: Interactions, test: Interactions, threshold: Double? = nil) throws {
        let split: Split
        if train.users.isPrefix(of: test.users) && train.items.isPrefix(of: test.items)
            && train.users.count == test.users.count && train.items.count == test.items.count {
            split = try Split(train: train, test: test)
        } else {
            split = Split.aligning(train: train, test: test)
        }
        if threshold != nil && test.values == nil {
            throw DataError(.invalidArgument, message: "a relevance threshold needs test data with values (ratings)")
        }
        self.train = split.train
        self.test = split.test
        self.unseen = split.report
        self.threshold = threshold
        let userRows = split.test.userCount
        let testValues = split.test.values.map { v in (0..<split.test.count).map { v[$0] } }
        let allRelevant: ItemSets
        if let threshold, let testValues {
            allRelevant = ItemSets.relevant(users: split.test.user, items: split.test.item,
                                            ratings: testValues, threshold: threshold, userCount: userRows)
        } else {
            allRelevant = ItemSets(rows: split.test.user, items: split.test.item, rowCount: userRows)
        }
        var users = [Int32]()
        var relevantRows = [[Int32]]()
        for u in 0..<allRelevant.count where !allRelevant[u].isEmpty {
            users.append(Int32(u))
            relevantRows.append(Array(allRelevant[u]))
        }
        self.users = users
        self.relevant = ItemSets(relevantRows)
        let trainingItems = TrainingItems(split.train)
        self.training = ItemSets(users.map { Array(trainingItems.items(of: $0)) })
        self.popularity = split.train.itemCounts()
        self.itemCount = split.train.itemCount
        if let testValues {
            self.ratingRows = (split.test.user, split.test.item, testValues)
        } else {
            self.ratingRows = ([], [], [])
        }
        if let tv = split.train.values, split.train.count > 0 {
            var lo = Double.infinity, hi = -Double.infinity, s = 0.0
            for i in 0..<split.train.count { let x = tv[i]; lo = min(lo, x); hi = max(hi, x); s += x }
            self.ratingRange = lo...hi
            self.globalMean = s / Double(split.train.count)
        } else {
            self.ratingRange = nil
            self.globalMean = .nan
        }
    }

    /// Each evaluated user's group under `labels` (one label per user of the training ID space).
    func groups(_ labels: [String]) -> [String] {
        users.map { Int($0) < labels.count ? labels[Int($0)] : "(missing)" }
    }
}
