// Byte-level splitting of delimited text into records and fields.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one field lies in the buffer. For a quoted field, start/end exclude the quotes and
/// `escaped` says whether it contains doubled quotes that need unescaping.
struct FieldSpan {
    var start: Int
    var end: Int
    var quoted: Bool
    var escaped: Bool
}

/// A structural problem found while splitting a record.
enum RecordProblem: Equatable {
    case none
    case unterminatedQuote
    case textAfterQuote
    case nulByte
    case tooManyFields

    var message: String {
        switch self {
        case .none: return ""
        case .unterminatedQuote: return "unterminated quoted field"
        case .textAfterQuote: return "unexpected text after a closing quote"
        case .nulByte: return "NUL byte in line (binary data?)"
        case .tooManyFields: return "too many fields"
        }
    }
}

/// Splits records (lines) into fields, RFC 4180 style: any single- or multi-byte separator,
/// optional double-quoted fields with `""` escapes and embedded separators/newlines, LF or CRLF
/// line ends. It records field spans instead of copying bytes, so the caller parses numbers and
/// interns IDs straight from the buffer.
///
/// A class (not a struct) so the span buffer and byte-class table are freed in `deinit`.
final class RecordScanner {
    let p: UnsafePointer<UInt8>
    /// Byte classes: 0 ordinary, 1 first separator byte, 2 newline, 3 NUL.
    private let cls: UnsafeMutablePointer<UInt8>
    let sep: [UInt8]
    let quote: UInt8
    let quoting: Bool
    private(set) var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCap: Int
    static let maxFields = 1 << 16

    // The last record scanned.
    var fieldCount = 0
    var recStart = 0
    /// End of the record's text, excluding the line terminator.
    var recEnd = 0
    /// Newline bytes consumed (1 for a normal line, more with quoted newlines, 0 at EOF).
    var newlines = 0
    /// Some byte ≥ 0x80 occurred (so the record needs UTF-8 validation or transcoding).
    var highBit = false
    var problem = RecordProblem.none

    init(base: UnsafePointer<UInt8>, separator: [UInt8], quoting: Bool, quote: UInt8 = 0x22, expectedFields: Int = 16) {
        p = base
        sep = separator
        self.quoting = quoting
        self.quote = quote
        cls = .allocate(capacity: 256)
        cls.initialize(repeating: 0, count: 256)
        cls[Int(separator[0])] = 1
        cls[0x0A] = 2
        cls[0] = 3
        spanCap = max(8, expectedFields + 1)
        spans = .allocate(capacity: spanCap)
    }

    deinit {
        cls.deallocate()
        spans.deallocate()
    }

    subscript(i: Int) -> FieldSpan { spans[i] }

    @inline(__always)
    private func addSpan(_ s: FieldSpan) {
        if fieldCount == spanCap {
            if spanCap >= RecordScanner.maxFields { problem = .tooManyFields; fieldCount += 1; return }
            let n = UnsafeMutablePointer<FieldSpan>.allocate(capacity: spanCap * 2)
            n.moveInitialize(from: spans, count: spanCap)
            spans.deallocate()
            spans = n
            spanCap *= 2
        }
        spans[fieldCount] = s
        fieldCount += 1
    }

    @inline(__always)
    private func sepMatches(_ q: Int, _ limit: Int) -> Bool {
        let n = sep.count
        if n == 1 { return true }
        if q + n > limit { return false }
        for k in 1..<n where p[q + k] != sep[k] { return false }
        return true
    }

    /// Scans the record starting at `pos` (never beyond `limit`) and returns where the next
    /// record starts.
    @inline(__always)
    func scan(_ pos: Int, limit: Int) -> Int {
        let p = self.p, cls = self.cls
        let sepLen = sep.count
        fieldCount = 0
        recStart = pos
        newlines = 0
        problem = .none
        var hb: UInt8 = 0
        var hb64: UInt64 = 0
        let sepWord = UInt64(sep[0]) &* 0x0101_0101_0101_0101
        let newlineWord: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        var q = pos
        while true {
            if quoting && q < limit && p[q] == quote {
                // Quoted field: runs to the next quote not followed by another quote.
                q += 1
                let cs = q
                var escaped = false
                var closed = false
                while q < limit {
                    let b = p[q]
                    if b == quote {
                        if q + 1 < limit && p[q + 1] == quote { escaped = true; q += 2; continue }
                        closed = true
                        break
                    }
                    if b == 0x0A { newlines += 1 } else if b == 0 { problem = .nulByte }
                    hb |= b
                    q += 1
                }
                if !closed {
                    problem = .unterminatedQuote
                    recEnd = limit
                    highBit = hb >= 0x80 || (hb64 & 0x8080_8080_8080_8080) != 0
                    return limit
                }
                addSpan(FieldSpan(start: cs, end: q, quoted: true, escaped: escaped))
                q += 1
                if q >= limit { recEnd = q; break }
                let b = p[q]
                if b == 0x0A { recEnd = q; newlines += 1; q += 1; break }
                if b == 0x0D && (q + 1 >= limit || p[q + 1] == 0x0A) {
                    recEnd = q
                    if q + 1 < limit { newlines += 1; q += 2 } else { q += 1 }
                    break
                }
                if cls[Int(b)] == 1 && sepMatches(q, limit) { q += sepLen; continue }
                // Garbage after the closing quote: report, and resynchronise at the line end.
                problem = .textAfterQuote
                while q < limit && p[q] != 0x0A { hb |= p[q]; q += 1 }
                recEnd = q
                if q < limit { newlines += 1; q += 1 }
                break
            }
            // Unquoted field: ordinary bytes up to a separator or newline. Eight bytes at a time
            // (SWAR: a word has a byte equal to c iff zeroBytes(word ^ c×8) ≠ 0, and the lowest
            // flagged byte is exact), falling back to a byte loop near the end of the data.
            let fs = q
            while true {
                if q + 8 <= limit {
                    let w = UnsafeRawPointer(p + q).loadUnaligned(as: UInt64.self)
                    let m = zeroBytes(w ^ sepWord) | zeroBytes(w ^ newlineWord) | zeroBytes(w)
                    if m == 0 { hb64 |= w; q += 8; continue }
                    let idx = m.trailingZeroBitCount >> 3
                    if idx > 0 { hb64 |= w & ((1 << UInt64(idx &* 8)) &- 1) }
                    q += idx
                } else {
                    while q < limit && cls[Int(p[q])] == 0 { hb |= p[q]; q += 1 }
                    if q >= limit { break }
                }
                let c = cls[Int(p[q])]
                if c == 1 { if sepMatches(q, limit) { break }; hb |= p[q]; q += 1; continue }
                if c == 3 { problem = .nulByte; q += 1; continue }
                break
            }
            if q < limit && p[q] != 0x0A {
                // Separator.
                addSpan(FieldSpan(start: fs, end: q, quoted: false, escaped: false))
                q += sepLen
                continue
            }
            // End of line (or of data): drop a CR before the LF.
            var fe = q
            if fe > fs && p[fe - 1] == 0x0D { fe -= 1 }
            addSpan(FieldSpan(start: fs, end: fe, quoted: false, escaped: false))
            recEnd = fe
            if q < limit { newlines += 1; q += 1 }
            break
        }
        highBit = hb >= 0x80 || (hb64 & 0x8080_8080_8080_8080) != 0
        return q
    }

    /// True when the last record was an empty line.
    var isBlank: Bool {
        fieldCount == 1 && !spans[0].quoted && spans[0].start == spans[0].end
    }

    /// The record's text for error messages.
    func excerpt() -> String {
        excerptText(UnsafeBufferPointer(start: p + recStart, count: max(0, recEnd - recStart)))
    }
}

/// High bit set in each byte of x that is zero (and possibly in bytes above the lowest zero byte,
/// which callers ignore by only using the lowest flag).
@inline(__always)
func zeroBytes(_ x: UInt64) -> UInt64 {
    (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
}

/// Growable byte buffer for fields that must be rewritten (unescaped quotes, Latin-1 → UTF-8).
final class ScratchBytes {
    var buf: UnsafeMutablePointer<UInt8>
    var cap: Int
    init() { cap = 256; buf = .allocate(capacity: cap) }
    deinit { buf.deallocate() }

    func reserve(_ n: Int) {
        if n > cap {
            buf.deallocate()
            cap = max(n, cap * 2)
            buf = .allocate(capacity: cap)
        }
    }

    /// The field's text as bytes to intern or parse: the buffer itself when nothing needs
    /// rewriting, else this scratch buffer holding the unescaped / transcoded text.
    @inline(__always)
    func fieldBytes(_ p: UnsafePointer<UInt8>, _ s: FieldSpan, quote: UInt8, latin1: Bool) -> (UnsafePointer<UInt8>, Int) {
        let n = s.end - s.start
        if !s.escaped && !latin1 { return (p + s.start, n) }
        if !s.escaped {
            var ascii = true
            for k in s.start..<s.end where p[k] >= 0x80 { ascii = false; break }
            if ascii { return (p + s.start, n) }
        }
        reserve(n * 2 + 1)
        var w = 0
        var k = s.start
        while k < s.end {
            let b = p[k]
            if s.escaped && b == quote && k + 1 < s.end && p[k + 1] == quote { buf[w] = b; w += 1; k += 2; continue }
            if latin1 && b >= 0x80 {
                buf[w] = 0xC0 | (b >> 6); buf[w + 1] = 0x80 | (b & 0x3F); w += 2
            } else {
                buf[w] = b; w += 1
            }
            k += 1
        }
        return (UnsafePointer(buf), w)
    }

    func string(_ p: UnsafePointer<UInt8>, _ s: FieldSpan, quote: UInt8, latin1: Bool) -> String {
        let (b, n) = fieldBytes(p, s, quote: quote, latin1: latin1)
        return String(decoding: UnsafeBufferPointer(start: b, count: n), as: UTF8.self)
    }
}
