// Column types used by Interactions: the numeric value column and small interned code columns.

import Foundation

/// The optional value column of an interaction log (a rating, a weight, a count), stored in the
/// precision the user asked for. Matrices always use Float; Double is there for values that need
/// it (prices, large weights) and for exact round-trips.
public enum ValueColumn: Sendable, Equatable {
    case float([Float])
    case double([Double])

    public var count: Int {
        switch self {
        case .float(let a): return a.count
        case .double(let a): return a.count
        }
    }

    public subscript(i: Int) -> Double {
        switch self {
        case .float(let a): return Double(a[i])
        case .double(let a): return a[i]
        }
    }

    /// The values as Float (a copy only when stored as Double).
    public var floats: [Float] {
        switch self {
        case .float(let a): return a
        case .double(let a): return a.map { Float($0) }
        }
    }

    /// The values as Double (a copy only when stored as Float).
    public var doubles: [Double] {
        switch self {
        case .float(let a): return a.map { Double($0) }
        case .double(let a): return a
        }
    }

    public var isDouble: Bool { if case .double = self { return true } else { return false } }

    /// The rows at `indices`, in that order.
    public func gathered(_ indices: [Int]) -> ValueColumn {
        switch self {
        case .float(let a): return .float(gather(a, indices))
        case .double(let a): return .double(gather(a, indices))
        }
    }

    /// The rows where `keep` is true (`kept` of them).
    func compacted(keep: [Bool], kept: Int) -> ValueColumn {
        switch self {
        case .float(let a): return .float(compact(a, keep: keep, kept: kept))
        case .double(let a): return .double(compact(a, keep: keep, kept: kept))
        }
    }

    public static func + (l: ValueColumn, r: ValueColumn) -> ValueColumn {
        switch (l, r) {
        case (.float(let a), .float(let b)): return .float(concatenated(a, b))
        default: return .double(concatenated(l.doubles, r.doubles))
        }
    }
}

/// A column of small interned labels (event types, channels): one UInt16 code per row and the
/// label table, codes in first-appearance order.
public struct CodedColumn: Sendable, Equatable {
    public var codes: [UInt16]
    public var labels: [String]

    public init(codes: [UInt16], labels: [String]) {
        self.codes = codes
        self.labels = labels
    }

    /// Interns string labels row by row.
    public init(_ values: [String]) {
        var labels: [String] = []
        var index: [String: UInt16] = [:]
        var codes = [UInt16](); codes.reserveCapacity(values.count)
        for v in values {
            if let c = index[v] { codes.append(c); continue }
            precondition(labels.count < Int(UInt16.max), "too many distinct labels for a coded column")
            let c = UInt16(labels.count)
            index[v] = c; labels.append(v); codes.append(c)
        }
        self.codes = codes
        self.labels = labels
    }

    public var count: Int { codes.count }
    public subscript(i: Int) -> String { labels[Int(codes[i])] }
    public func code(of label: String) -> UInt16? { labels.firstIndex(of: label).map { UInt16($0) } }

    public func gathered(_ indices: [Int]) -> CodedColumn {
        CodedColumn(codes: gather(codes, indices), labels: labels)
    }

    func compacted(keep: [Bool], kept: Int) -> CodedColumn {
        CodedColumn(codes: compact(codes, keep: keep, kept: kept), labels: labels)
    }

    /// Rows per code, indexed by code.
    public func countsByCode() -> [Int] {
        var c = [Int](repeating: 0, count: labels.count)
        codes.withUnsafeBufferPointer { for x in $0 { c[Int(x)] += 1 } }
        return c
    }

    /// Re-codes this column into `target`'s label table (extended with labels it lacks), so two
    /// datasets compare codes directly.
    public func recoded(into target: [String]) -> CodedColumn {
        var labels = target
        var index = [String: UInt16]()
        for (i, l) in labels.enumerated() { index[l] = UInt16(i) }
        var map = [UInt16](repeating: 0, count: self.labels.count)
        for (i, l) in self.labels.enumerated() {
            if let c = index[l] { map[i] = c } else {
                let c = UInt16(labels.count); labels.append(l); index[l] = c; map[i] = c
            }
        }
        return CodedColumn(codes: codes.map { map[Int($0)] }, labels: labels)
    }

    public static func + (l: CodedColumn, r: CodedColumn) -> CodedColumn {
        let rr = r.recoded(into: l.labels)
        return CodedColumn(codes: l.codes + rr.codes, labels: rr.labels)
    }
}

/// The elements of `a` where `keep` is true (`kept` of them), in order: what `gather` gives
/// for the ascending indices of the true entries, without an index array of the whole length.
@inline(__always)
func compact<T>(_ a: [T], keep: [Bool], kept: Int) -> [T] {
    if kept == 0 { return [] }
    return [T](unsafeUninitializedCapacity: kept) { out, n in
        a.withUnsafeBufferPointer { src in
            keep.withUnsafeBufferPointer { keep in
                var w = 0
                for k in 0..<src.count where keep[k] { (out.baseAddress! + w).initialize(to: src[k]); w += 1 }
                precondition(w == kept, "kept count disagrees with the mask")
            }
        }
        n = kept
    }
}

/// Copies `a[indices[k]]` for every k, with unchecked access in the loop.
@inline(__always)
func gather<T>(_ a: [T], _ indices: [Int]) -> [T] {
    if indices.isEmpty { return [] }
    return [T](unsafeUninitializedCapacity: indices.count) { out, n in
        a.withUnsafeBufferPointer { src in
            indices.withUnsafeBufferPointer { idx in
                for k in 0..<idx.count { (out.baseAddress! + k).initialize(to: src[idx[k]]) }
            }
        }
        n = indices.count
    }
}

/// `a` followed by `b`. Long columns are copied by every core at once, each writing its own
/// share of the result: appending a few events to a log of millions (an update) is otherwise
/// one core copying, and taking the page faults of, every column of the log.
func concatenated<T>(_ a: [T], _ b: [T]) -> [T] {
    let n = a.count + b.count, cores = Parallelism.cores
    guard n >= 1 << 20, cores > 1 else { return a + b }
    return [T](unsafeUninitializedCapacity: n) { out, filled in
        a.withUnsafeBufferPointer { A in b.withUnsafeBufferPointer { B in
            let out = out, split = a.count, pieces = cores * 4
            DispatchQueue.concurrentPerform(iterations: pieces) { p in
                let lo = n * p / pieces, hi = n * (p + 1) / pieces
                if lo < split {
                    (out.baseAddress! + lo).initialize(from: A.baseAddress! + lo, count: min(hi, split) - lo)
                }
                if hi > split {
                    let from = max(lo, split)
                    (out.baseAddress! + from).initialize(from: B.baseAddress! + (from - split), count: hi - from)
                }
            }
        }}
        filled = n
    }
}
