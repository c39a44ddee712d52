// What a model was trained on: the items of each user's training rows.

/// The items each user had in the training log: row u of `rows` holds user u's items, ascending.
/// Shares storage with the training log's cached matrix (its sparsity pattern). It also says which
/// users and items of the ID space have a training interaction at all: what a model was trained on
/// (`Recommender.knows(user:)`, `knows(item:)`).
public struct TrainingItems: Sendable {
    public let rows: CompressedRows<Int32>
    /// Per item of the ID space: whether some training row has it.
    private let itemHasRows: [Bool]

    public init() { rows = CompressedRows(); itemHasRows = [] }

    public init(_ train: Interactions) {
        rows = train.matrixPattern(duplicates: .sum)
        var has = [Bool](repeating: false, count: train.itemCount)
        for i in rows.elements { has[Int(i)] = true }
        itemHasRows = has
    }

    init(rows: CompressedRows<Int32>, itemHasRows: [Bool]) {
        self.rows = rows; self.itemHasRows = itemHasRows
    }

    /// Row offsets (`userCount + 1`) into `items`.
    public var rowPtr: [Int] { rows.offsets }
    /// Every user's items, row after row.
    public var items: [Int32] { rows.elements }

    public var userCount: Int { rows.count }

    /// Whether `user` has at least one training row.
    public func hasRows(user: Int32) -> Bool { rows.rowLength(Int(user)) > 0 }

    /// Whether `item` has at least one training row.
    public func hasRows(item: Int32) -> Bool {
        item >= 0 && Int(item) < itemHasRows.count && itemHasRows[Int(item)]
    }

    /// The training items of `user` (empty for users outside the fitted range).
    public func items(of user: Int32) -> ArraySlice<Int32> { rows[Int(user)] }

    /// Sets the scores of `user`'s training items to -∞.
    @inline(__always)
    func mask(user: Int32, _ scores: UnsafeMutableBufferPointer<Float>) {
        let range = rows.bounds(Int(user))
        rows.elements.withUnsafeBufferPointer { it in
            for j in range where Int(it[j]) < scores.count {
                scores[Int(it[j])] = -.infinity
            }
        }
    }
}
