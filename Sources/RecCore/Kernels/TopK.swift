// Top-k selection with a bounded heap: every ranked list (recommendations, similar items,
// neighbourhoods) is selected here.

/// Partial selection of the k largest scores with a bounded min-heap: O(n log k), no full sort.
/// NaN and -∞ scores are never selected. Ties go to the lower item index.
enum TopK {
    /// True when (sa, ia) ranks below (sb, ib).
    @inline(__always)
    static func worse(_ sa: Float, _ ia: Int32, _ sb: Float, _ ib: Int32) -> Bool {
        sa < sb || (sa == sb && ia > ib)
    }

    /// Selects from all of `scores`; writes the winners best first into `items`/`values` and
    /// returns how many there are (≤ k = items.count).
    static func select(_ scores: UnsafeBufferPointer<Float>, k: Int,
                       items: UnsafeMutableBufferPointer<Int32>, values: UnsafeMutableBufferPointer<Float>) -> Int {
        var heap = Heap(items: items, values: values, k: k)
        for i in 0..<scores.count {
            let s = scores[i]
            if s > -.infinity { heap.offer(s, Int32(truncatingIfNeeded: i)) }   // false for NaN
        }
        return heap.finish()
    }

    static func select(candidates: [Int32], scores: UnsafeBufferPointer<Float>, k: Int,
                       items: UnsafeMutableBufferPointer<Int32>, values: UnsafeMutableBufferPointer<Float>) -> Int {
        var heap = Heap(items: items, values: values, k: k)
        var seen = Set<Int32>()
        for i in candidates where i >= 0 && Int(i) < scores.count && seen.insert(i).inserted {
            let s = scores[Int(i)]
            if s > -.infinity { heap.offer(s, i) }
        }
        return heap.finish()
    }

    /// Top-k of an arbitrary (item, score) sequence, best first.
    static func select(_ pairs: [(item: Int32, score: Float)], k: Int) -> [(item: Int32, score: Float)] {
        let k = min(k, pairs.count)
        guard k > 0 else { return [] }
        let it = UnsafeMutableBufferPointer<Int32>.allocate(capacity: k)
        let vs = UnsafeMutableBufferPointer<Float>.allocate(capacity: k)
        defer { it.deallocate(); vs.deallocate() }
        var heap = Heap(items: it, values: vs, k: k)
        for p in pairs where p.score > -.infinity { heap.offer(p.score, p.item) }
        let m = heap.finish()
        return (0..<m).map { (it[$0], vs[$0]) }
    }

    struct Heap {
        let items: UnsafeMutableBufferPointer<Int32>
        let values: UnsafeMutableBufferPointer<Float>
        let k: Int
        var size = 0

        init(items: UnsafeMutableBufferPointer<Int32>, values: UnsafeMutableBufferPointer<Float>, k: Int) {
            precondition(items.count >= k && values.count >= k)
            self.items = items; self.values = values; self.k = k
        }

        @inline(__always)
        mutating func offer(_ s: Float, _ i: Int32) {
            if size < k {
                var c = size
                size += 1
                while c > 0 {
                    let p = (c - 1) >> 1
                    if worse(s, i, values[p], items[p]) {
                        values[c] = values[p]; items[c] = items[p]; c = p
                    } else { break }
                }
                values[c] = s; items[c] = i
            } else if k > 0 && worse(values[0], items[0], s, i) {
                siftDown(s, i, size)
            }
        }

        /// Puts (s, i) at the root and sifts it down within the first `n` slots.
        @inline(__always)
        func siftDown(_ s: Float, _ i: Int32, _ n: Int) {
            var c = 0
            while true {
                var child = 2 * c + 1
                if child >= n { break }
                if child + 1 < n && worse(values[child + 1], items[child + 1], values[child], items[child]) {
                    child += 1
                }
                if worse(values[child], items[child], s, i) {
                    values[c] = values[child]; items[c] = items[child]; c = child
                } else { break }
            }
            values[c] = s; items[c] = i
        }

        /// Heap-sorts in place so the best comes first; pads the rest with -1/NaN.
        mutating func finish() -> Int {
            var n = size
            while n > 1 {
                let s = values[n - 1], i = items[n - 1]
                values[n - 1] = values[0]; items[n - 1] = items[0]
                n -= 1
                siftDown(s, i, n)
            }
            for j in size..<k { items[j] = -1; values[j] = .nan }
            return size
        }
    }
}
