// Dense transposition, tiled so that both the reads and the writes stay in cache.

/// b = aᵀ for a row-major `rows × columns` a (b is `columns × rows`), in 8 × 8 tiles.
func transpose(_ a: UnsafePointer<Float>, _ b: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    let tile = 8
    var r0 = 0
    while r0 < rows {
        let r1 = min(rows, r0 + tile)
        var c0 = 0
        while c0 < columns {
            let c1 = min(columns, c0 + tile)
            for r in r0..<r1 {
                for c in c0..<c1 { b[c * rows + r] = a[r * columns + c] }
            }
            c0 = c1
        }
        r0 = r1
    }
}
