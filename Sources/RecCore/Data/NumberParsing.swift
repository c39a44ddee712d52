// Hand-written number and date parsing on byte ranges, for the loaders' hot loops.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline let exactPowersOf10: [Double] = (0...22).map { e in
    var v = 1.0
    for _ in 0..<e { v *= 10 }
    return v
}

enum NumberParse {
    /// Trims ASCII spaces and tabs at both ends.
    @inline(__always)
    static func trim(_ p: UnsafePointer<UInt8>, _ s: inout Int, _ e: inout Int) {
        while s < e && (p[s] == 0x20 || p[s] == 0x09) { s += 1 }
        while e > s && (p[e - 1] == 0x20 || p[e - 1] == 0x09) { e -= 1 }
    }

    /// A decimal integer with optional sign; nil on anything else or on overflow.
    @inline(__always)
    static func int64(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var s = start, e = end
        trim(p, &s, &e)
        if s >= e { return nil }
        var neg = false
        if p[s] == 0x2D { neg = true; s += 1 } else if p[s] == 0x2B { s += 1 }
        if s >= e || e - s > 19 { return nil }
        var v: UInt64 = 0
        while s < e {
            let d = p[s] &- 48
            if d > 9 { return nil }
            v = v &* 10 &+ UInt64(d)
            s += 1
        }
        if neg { return v <= UInt64(Int64.max) + 1 ? Int64(bitPattern: 0 &- v) : nil }
        return v <= UInt64(Int64.max) ? Int64(v) : nil
    }

    /// A decimal floating-point number (`-1.5`, `3`, `2.5e-3`, `.5`). Exact (correctly rounded)
    /// for up to 15 significant digits and exponents within ±22, which covers ratings, weights and
    /// prices; longer inputs fall back to strtod. nil for anything that is not a number, including
    /// `nan`/`inf`.
    @inline(__always)
    static func double(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var s = start, e = end
        trim(p, &s, &e)
        if s >= e { return nil }
        let begin = s
        var neg = false
        if p[s] == 0x2D { neg = true; s += 1 } else if p[s] == 0x2B { s += 1 }
        var mant: UInt64 = 0
        var digits = 0, sig = 0
        var exp10 = 0
        var sawDigit = false
        while s < e {
            let d = p[s] &- 48
            if d > 9 { break }
            sawDigit = true
            if sig > 0 || d != 0 { sig += 1 }
            if sig <= 19 { mant = mant &* 10 &+ UInt64(d) } else { exp10 += 1 }
            digits += 1; s += 1
        }
        if s < e && p[s] == 0x2E {
            s += 1
            while s < e {
                let d = p[s] &- 48
                if d > 9 { break }
                sawDigit = true
                if sig > 0 || d != 0 { sig += 1 }
                if sig <= 19 { mant = mant &* 10 &+ UInt64(d); exp10 -= 1 }
                s += 1
            }
        }
        if !sawDigit { return nil }
        if s < e && (p[s] == 0x65 || p[s] == 0x45) {
            s += 1
            var eneg = false
            if s < e && (p[s] == 0x2D || p[s] == 0x2B) { eneg = p[s] == 0x2D; s += 1 }
            if s >= e { return nil }
            var ev = 0
            while s < e {
                let d = p[s] &- 48
                if d > 9 { return nil }
                if ev < 100_000 { ev = ev * 10 + Int(d) }
                s += 1
            }
            exp10 += eneg ? -ev : ev
        }
        if s != e { return nil }
        if sig <= 15 && exp10 >= -22 && exp10 <= 22 {
            var v = Double(mant)
            if exp10 < 0 { v /= exactPowersOf10[-exp10] } else if exp10 > 0 { v *= exactPowersOf10[exp10] }
            return neg ? -v : v
        }
        return slowDouble(p + begin, e - begin)
    }

    static func slowDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var buf = [CChar](repeating: 0, count: n + 1)
        for i in 0..<n { buf[i] = CChar(bitPattern: p[i]) }
        return buf.withUnsafeBufferPointer { b -> Double? in
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(b.baseAddress!, &endp)
            guard let endp, endp - UnsafeMutablePointer(mutating: b.baseAddress!) == n, v.isFinite else { return nil }
            return v
        }
    }

    /// A timestamp in seconds: an integer, a decimal (fractional seconds truncated toward
    /// negative infinity), or an ISO-8601 date/time (`2024-03-01`, `2024-03-01T12:30:00`,
    /// `2024-03-01 12:30:00.25Z`, `…+02:00`); times without an offset are UTC.
    @inline(__always)
    static func timestamp(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        if let v = int64(p, start, end) { return v }
        if let d = double(p, start, end), abs(d) < 9.2e18 { return Int64(d.rounded(.down)) }
        return isoDate(p, start, end)
    }

    static func isoDate(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var s = start, e = end
        trim(p, &s, &e)
        func digits(_ n: Int) -> Int? {
            guard s + n <= e else { return nil }
            var v = 0
            for k in 0..<n {
                let d = p[s + k] &- 48
                if d > 9 { return nil }
                v = v * 10 + Int(d)
            }
            s += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            if s < e && p[s] == c { s += 1; return true }
            return false
        }
        guard let y = digits(4), expect(0x2D), let mo = digits(2), expect(0x2D), let d = digits(2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var hh = 0, mi = 0, ss = 0
        if s < e && (p[s] == 0x54 || p[s] == 0x20) {
            s += 1
            guard let h = digits(2), expect(0x3A), let m = digits(2), h < 24, m < 60 else { return nil }
            hh = h; mi = m
            if expect(0x3A) { guard let x = digits(2), x <= 60 else { return nil }; ss = x }
            if expect(0x2E) { while s < e && p[s] &- 48 <= 9 { s += 1 } }
        }
        var offset = 0
        if s < e {
            if p[s] == 0x5A { s += 1 } else if p[s] == 0x2B || p[s] == 0x2D {
                let sign = p[s] == 0x2D ? -1 : 1
                s += 1
                guard let oh = digits(2) else { return nil }
                _ = expect(0x3A)
                let om = digits(2) ?? 0
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard s == e else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (mo + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Int64(days * 86400 + hh * 3600 + mi * 60 + ss - offset)
    }
}

/// True when the bytes are valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
func isValidUTF8(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
    firstInvalidUTF8(p, start, end) == nil
}

/// The offset of the first byte that starts an invalid UTF-8 sequence, or nil when all is valid.
func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
    var i = start
    while i < end {
        let b = p[i]
        if b < 0x80 { i += 1; continue }
        var need = 0
        var minCp: UInt32 = 0
        var cp: UInt32
        if b & 0xE0 == 0xC0 { need = 1; cp = UInt32(b & 0x1F); minCp = 0x80 }
        else if b & 0xF0 == 0xE0 { need = 2; cp = UInt32(b & 0x0F); minCp = 0x800 }
        else if b & 0xF8 == 0xF0 { need = 3; cp = UInt32(b & 0x07); minCp = 0x10000 }
        else { return i }
        if i + need >= end { return i }
        for k in 1...need {
            let c = p[i + k]
            if c & 0xC0 != 0x80 { return i }
            cp = cp << 6 | UInt32(c & 0x3F)
        }
        if cp < minCp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) { return i }
        i += need + 1
    }
    return nil
}

/// The reason given for a line of delimited text that is not valid UTF-8: where the bad byte
/// is (within the line and the file) and what to do when the file is in another encoding.
func invalidUTF8Reason(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
    let at = firstInvalidUTF8(p, start, end) ?? start
    let hex = String(p[at], radix: 16, uppercase: true)
    return "invalid UTF-8 at byte \(at - start + 1) of the line (0x\(hex.count == 1 ? "0" + hex : hex), file offset \(at))"
        + "; if the file is Latin-1, pass encoding: \"latin-1\""
}
