// A trainable weight array with its gradient, sparse-row bookkeeping and optimizer state.

/// One trainable array of a network (a weight matrix, a bias vector, an embedding table): its
/// values, the gradient accumulated since the last optimizer step, and the optimizer's per-weight
/// state. `rows × columns`, row-major.
///
/// A *sparse* parameter (an embedding table) records which rows received gradient since the last
/// step (`touchedRows`, in first-touch order); the optimizer then updates and clears only those
/// rows, so a step costs O(batch × dimension) rather than O(table).
public final class NetworkParameter {
    public let rows: Int
    public let columns: Int
    public var values: [Float]
    /// ∂L/∂values accumulated since the last step (zero outside `touchedRows` when sparse).
    public var gradient: [Float]
    public let sparse: Bool
    /// L2 penalty λ: the optimizer adds λ·w to the gradient of every weight it updates (for a
    /// sparse parameter, only of the rows touched in the step).
    public var l2: Float = 0
    /// A short label for diagnostics (`dense1.weights`, `user-gmf`, …).
    public var label: String

    /// Rows with gradient since the last step (sparse parameters only).
    public private(set) var touchedRows: [Int32] = []
    var touchedMark: [Bool]

    /// Optimizer state: first and second moments (Adam), or velocity in `first` (momentum SGD).
    var first: [Float] = []
    var second: [Float] = []

    public init(rows: Int, columns: Int, values: [Float], sparse: Bool = false, label: String = "") {
        precondition(values.count == rows * columns, "parameter \(label): \(values.count) values for \(rows) × \(columns)")
        self.rows = rows; self.columns = columns; self.values = values; self.sparse = sparse; self.label = label
        gradient = [Float](repeating: 0, count: rows * columns)
        touchedMark = sparse ? [Bool](repeating: false, count: rows) : []
    }

    public var count: Int { values.count }

    /// Marks row r as having gradient (sparse parameters).
    @inline(__always)
    func touch(_ r: Int) {
        if !touchedMark[r] { touchedMark[r] = true; touchedRows.append(Int32(r)) }
    }

    /// Zeroes the gradient (only the touched rows when sparse) and forgets the touched rows.
    public func zeroGradient() {
        if sparse {
            let c = columns
            gradient.withUnsafeMutableBufferPointer { g in
                for r in touchedRows { (g.baseAddress! + Int(r) * c).update(repeating: 0, count: c) }
            }
            for r in touchedRows { touchedMark[Int(r)] = false }
            touchedRows.removeAll(keepingCapacity: true)
        } else {
            gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
    }

    /// Drops optimizer state (moments), e.g. before training with another optimizer.
    func resetOptimizerState() { first = []; second = [] }
}
