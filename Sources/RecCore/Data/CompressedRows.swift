// Rows of different lengths stored flat: the one shape behind sparse matrices, training items,
// recommendation lists and item sets.

/// Rows of variable length in two contiguous arrays: row r is `elements[offsets[r] ..<
/// offsets[r + 1]]`. `offsets` has `count + 1` non-decreasing entries, from 0 to `elements.count`.
///
/// The arrays are public so kernels can walk them with `withUnsafeBufferPointer`; a type that
/// wraps compressed rows (`SparseMatrix`, `TrainingItems`, `RecommendationLists`, `ItemSets`)
/// shares their storage rather than copying it.
public struct CompressedRows<Element> {
    public let offsets: [Int]
    public let elements: [Element]

    /// No rows.
    public init() { offsets = [0]; elements = [] }

    /// Wraps existing arrays, checking their shape.
    public init(offsets: [Int], elements: [Element]) {
        precondition(offsets.first == 0 && offsets.last == elements.count,
                     "offsets must start at 0 and end at the element count")
        precondition(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, "offsets must not decrease")
        self.offsets = offsets
        self.elements = elements
    }

    /// Wraps arrays the caller has just built with a valid shape (not checked again).
    init(validOffsets offsets: [Int], elements: [Element]) {
        self.offsets = offsets
        self.elements = elements
    }

    /// One row per array.
    public init(_ rows: [[Element]]) {
        var b = Builder(rowCapacity: rows.count)
        for row in rows { b.append(contentsOf: row); b.endRow() }
        self = b.rows
    }

    /// Number of rows.
    @inline(__always)
    public var count: Int { offsets.count - 1 }

    /// Start and end (exclusive) of row r in `elements`; an empty range for rows outside
    /// 0..<count.
    @inline(__always)
    public func bounds(_ r: Int) -> Range<Int> {
        r >= 0 && r < count ? offsets[r] ..< offsets[r + 1] : 0 ..< 0
    }

    /// Row r (empty outside 0..<count).
    public subscript(r: Int) -> ArraySlice<Element> { elements[bounds(r)] }

    /// Number of elements in row r (0 outside 0..<count).
    @inline(__always)
    public func rowLength(_ r: Int) -> Int { r >= 0 && r < count ? offsets[r + 1] - offsets[r] : 0 }

    /// The length of every row.
    public var rowLengths: [Int] { (0..<count).map { offsets[$0 + 1] - offsets[$0] } }

    /// The length of the longest row (0 without rows).
    public var longestRow: Int {
        var m = 0
        for r in 0..<count { m = max(m, offsets[r + 1] - offsets[r]) }
        return m
    }

    /// Builds compressed rows one element at a time: append a row's elements, then `endRow()`.
    public struct Builder {
        private var offsets: [Int]
        private var elements: [Element] = []

        public init(rowCapacity: Int = 0, elementCapacity: Int = 0) {
            offsets = [0]
            offsets.reserveCapacity(rowCapacity + 1)
            elements.reserveCapacity(elementCapacity)
        }

        public mutating func append(_ e: Element) { elements.append(e) }

        public mutating func append<S: Sequence>(contentsOf s: S) where S.Element == Element {
            elements.append(contentsOf: s)
        }

        /// Closes the current row (an empty one when nothing was appended since the last).
        public mutating func endRow() { offsets.append(elements.count) }

        /// The rows closed so far (elements appended after the last `endRow()` are not in them).
        public var rows: CompressedRows<Element> {
            let closed = offsets[offsets.count - 1]
            return CompressedRows(validOffsets: offsets, elements: closed == elements.count ? elements : Array(elements[..<closed]))
        }
    }
}

extension CompressedRows: Sendable where Element: Sendable {}
extension CompressedRows: Equatable where Element: Equatable {}
extension CompressedRows.Builder: Sendable where Element: Sendable {}
