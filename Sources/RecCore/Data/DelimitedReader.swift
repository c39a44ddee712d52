// The fast delimited-text loader for interaction logs.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An interaction log and the report of how it was read.
public struct LoadResult: Sendable {
    public var interactions: Interactions
    public var report: LoadReport
}

/// Reads delimited text files into `Interactions`.
///
/// How it is fast:
/// - The file is memory-mapped (gzip is inflated into memory) and read as bytes; no `String` is
///   made per row. Plain records (no quotes, CR or non-ASCII bytes) are parsed in a single pass,
///   numbers and integer IDs accumulated as the bytes go by; anything else goes through the
///   general RFC 4180 `RecordScanner`, which also words the errors.
/// - The buffer is processed in windows (growing to `windowBytes`), each cut at line ends into one
///   chunk per thread, parsed concurrently (`DispatchQueue.concurrentPerform`). A window
///   containing a quote character is parsed by one thread (quoted fields may span lines, so line
///   ends are not safe cut points there). Parsed pages of a mapped file are handed back to the OS.
/// - Result columns are allocated once, at a capacity bounded by the file size, and chunks write
///   rows straight into them (each from an offset bounded by the line counts before it); the
///   merge only closes gaps left by blank or skipped lines.
/// - IDs: the global ID maps are read-only while chunks run. A chunk writes integer IDs as their
///   value and resolves them in a second, tight pass through the map's direct-address table
///   (overlapping the cache misses); IDs the map lacks go to a chunk-local map. The merge then
///   interns the chunks' new IDs in file order, so indices follow first appearance in the file
///   exactly as a sequential parse would assign them.
public enum DelimitedReader {

    /// Loads an interaction log, choosing the reader from the content: JSON Lines when the first
    /// non-blank character is `{` (or the name ends in .jsonl/.ndjson, optionally .gz), else
    /// delimited text with `options`.
    public static func loadAny(_ path: String, options: DelimitedOptions = DelimitedOptions(),
                               json: JSONLinesOptions = JSONLinesOptions()) throws -> LoadResult {
        let lower = path.lowercased()
        if [".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"].contains(where: { lower.hasSuffix($0) }) {
            return try JSONLinesReader.load(path, options: json)
        }
        let file = try FileBytes.open(path)
        var i = 0
        while i < file.count, [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(file.base[i]) { i += 1 }
        if i < file.count && file.base[i] == UInt8(ascii: "{") {
            return try JSONLinesReader.load(path, options: json)
        }
        return try load(file, options: options)
    }

    /// Loads an interaction log. Throws `DataError` for missing, empty or binary files, for
    /// unresolvable columns, and (under `.fail`) for the first malformed line.
    public static func load(_ path: String, options: DelimitedOptions = DelimitedOptions()) throws -> LoadResult {
        let file = try FileBytes.open(path)
        return try load(file, options: options)
    }

    /// Loads a log held in memory, named `name` in errors and the report.
    public static func load(bytes: UnsafeRawBufferPointer, name: String, options: DelimitedOptions = DelimitedOptions()) throws -> LoadResult {
        try load(FileBytes.memory(bytes, name: name), options: options)
    }

    static func load(_ file: FileBytes, options: DelimitedOptions) throws -> LoadResult {
        let p = file.base
        let n = file.count
        let options = options.resolvingSeparator(p, n)
        let sep = try options.separatorBytes()
        var report = LoadReport(path: file.path)
        report.gzip = file.gzip
        let latin1 = options.encoding == .latin1

        var pos = 0
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { pos = 3 }  // UTF-8 byte-order mark
        let scanner = RecordScanner(base: p, separator: sep, quoting: options.quoting)
        let scratch = ScratchBytes()

        // Look at the first line to settle the header and the column layout.
        // (Leading blank lines are skipped: the first non-blank line is the header candidate.)
        var firstLineNewlines = 0
        var afterFirst = pos
        var firstProblem: DataError? = nil
        var firstLine = 1
        repeat {
            let line = firstLineNewlines + 1
            firstLine = line
            afterFirst = scanner.scan(afterFirst, limit: n)
            firstLineNewlines += scanner.newlines
            if scanner.problem != .none {
                firstProblem = DataError(.malformedLine, path: file.path, line: line, message: scanner.problem.message, excerpt: scanner.excerpt())
            } else if options.encoding == .utf8 && scanner.highBit && !isValidUTF8(p, scanner.recStart, scanner.recEnd) {
                firstProblem = DataError(.malformedLine, path: file.path, line: line,
                                         message: invalidUTF8Reason(p, scanner.recStart, scanner.recEnd), excerpt: scanner.excerpt())
            }
        } while firstProblem == nil && scanner.isBlank && afterFirst < n
        // A malformed first line can't be a header; when the columns are given, the main loop
        // reports (or skips) it like any other line. Without them its field count would define the
        // layout, so it is reported here.
        let layoutKnown = options.header != .present && options.columns != nil
        if let firstProblem, !layoutKnown { throw firstProblem }
        let firstFields = firstProblem != nil ? [] : (0..<scanner.fieldCount).map { scratch.string(p, scanner[$0], quote: 0x22, latin1: latin1) }
        let hasHeader: Bool
        switch options.header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto where firstProblem != nil: hasHeader = false
        case .auto:
            let given = Set((options.columns ?? []).map(normalizeColumnName))
                .union(options.mapping.values.compactMap { if case .name(let s) = $0 { return normalizeColumnName(s) } else { return nil } })
            hasHeader = firstFields.contains { f in
                let nf = normalizeColumnName(f)
                return !nf.isEmpty && (InteractionField.matching(f) != nil || given.contains(nf))
            } && !firstFields.allSatisfy(looksNumeric)
        }
        // With a header, `columns` renames its fields (as many as the header has).
        if hasHeader, let given = options.columns, given.count != firstFields.count {
            throw DataError(.malformedLine, path: file.path, line: firstLine,
                            message: "the header has \(firstFields.count) fields but columns: gives \(given.count) names", excerpt: scanner.excerpt())
        }
        let names: [String]? = options.columns ?? (hasHeader ? firstFields : nil)
        let fieldCount = hasHeader ? firstFields.count : (options.columns?.count ?? firstFields.count)
        if hasHeader {
            report.header = firstFields
            report.numericHeaderFields = firstFields.filter(looksNumeric)
        }

        var plan = try resolvePlan(names: names, fieldCount: fieldCount, options: options, path: file.path)
        if !hasHeader { plan.givenNames = options.columns }
        for f in InteractionField.allCases {
            let c = plan.column(f)
            if c >= 0 {
                report.columnMapping[f.rawValue] = names.flatMap { c < $0.count && !$0[c].isEmpty ? $0[c] : nil } ?? "#\(c + 1)"
            }
        }

        let headerNewlines = hasHeader ? firstLineNewlines : 0
        if hasHeader { pos = afterFirst }

        // Every row takes at least this many bytes (non-empty ID and number fields, separators,
        // newline), which bounds the row count: the columns are allocated once at that capacity.
        // Pages that are never written are never touched, so the bound costs address space, not
        // memory, and rows are written in place, with no per-chunk buffers to copy from.
        let nonEmpty = [plan.user, plan.item, plan.value, plan.timestamp].filter { $0 >= 0 }.count
        let minRowBytes = max(1, nonEmpty + (plan.fieldCount - 1) * plan.separator.count + 1)
        let capacity = (n - pos + 1) / minRowBytes + 2
        let threads = max(1, options.threads ?? Parallelism.cores)
        let window = max(1 << 10, options.windowBytes)
        let debugTiming = ProcessInfo.processInfo.environment["REC_LOAD_TIMING"] != nil
        let merger = Merger(plan: plan, path: file.path)
        merger.newlines = headerNewlines

        let cols = try Columns.make(capacity: capacity, plan: plan) { out in
            // Windows start small and grow fourfold: the first ones fill the global ID maps, after
            // which the threads mostly find IDs there instead of interning each new ID again in
            // their local maps.
            var windowSize = min(window, max(1 << 10, window / 32))
            var rows = 0
            var parseNs: UInt64 = 0
            while pos < n {
                var target = min(n, pos + windowSize)
                windowSize = min(window, windowSize * 4)
                if target < n {
                    // Cut after the last newline of the window (or the first after it, for a huge line).
                    if let nl = lastNewline(p, pos, target) { target = nl + 1 }
                    else if let nl = memchr(p + target, 0x0A, n - target) {
                        target = (UnsafeRawPointer(nl) - UnsafeRawPointer(p)) + 1
                    } else { target = n }
                }
                let hasQuote = options.quoting && memchr(p + pos, 0x22, target - pos) != nil
                let t0 = DispatchTime.now().uptimeNanoseconds
                var chunks: [ChunkOutput]
                let known = merger.known
                let split = hasQuote || threads == 1 || target - pos < options.parallelThreshold
                    ? nil : parallelChunks(p, pos, target, threads: threads, minRowBytes: minRowBytes, room: capacity - rows)
                if let (bounds, most) = split {
                    // Each chunk writes its rows in place, from an offset bounded by the row
                    // bounds of the chunks before it (gaps from blank or bad lines are closed after).
                    var offset = rows
                    chunks = (0..<threads).map { t in
                        defer { offset += most[t] }
                        return ChunkOutput(offset: offset, capacity: most[t])
                    }
                    let cs = chunks, b = bounds
                    DispatchQueue.concurrentPerform(iterations: threads) { t in
                        parseChunk(p, start: b[t], stopAt: b[t + 1], limit: b[t + 1], plan: plan,
                                   known: known, out: cs[t], columns: out)
                    }
                } else {
                    // Sequential: quoted fields may run past `target`, so the scanner may read to
                    // EOF, and the chunk ends at the first record boundary at or after `target`.
                    let c = ChunkOutput(offset: rows, capacity: capacity - rows)
                    parseChunk(p, start: pos, stopAt: target, limit: hasQuote ? n : target, plan: plan,
                               known: known, out: c, columns: out)
                    chunks = [c]
                }
                if debugTiming { parseNs += DispatchTime.now().uptimeNanoseconds - t0 }
                for c in chunks {
                    try merger.merge(c)
                    rows = merger.place(c, at: rows, columns: out)
                }
                pos = chunks.last!.end
                file.release(upTo: pos)
            }
            if debugTiming { print("parse \(Double(parseNs) / 1e9)") }
            return rows
        }
        report.lines = merger.newlines + ((n > 0 && p[n - 1] != 0x0A) ? 1 : 0)
        report.rows = cols.user.count
        report.skippedCount = merger.skippedCount
        report.skipped = merger.skipped
        let values: ValueColumn? = plan.value < 0 ? nil : (plan.precision == .float ? .float(cols.valuesF) : .double(cols.valuesD))
        func coded(_ codes: [UInt16], _ labels: ByteInterner) -> CodedColumn {
            CodedColumn(codes: codes, labels: (0..<labels.count).map { labels.key($0) })
        }
        let d = Interactions(unchecked: IDMap(storage: merger.users), items: IDMap(storage: merger.items),
                             user: cols.user, item: cols.item, values: values,
                             timestamps: plan.timestamp >= 0 ? cols.ts : nil,
                             events: plan.event >= 0 ? coded(cols.ev, merger.events) : nil,
                             channels: plan.channel >= 0 ? coded(cols.ch, merger.channels) : nil,
                             userAttributes: nil, itemAttributes: nil)
        return LoadResult(interactions: d, report: report)
    }

    /// Cuts [start, end) at line ends into one chunk per thread, with a bound on each chunk's
    /// rows: one per line and one per `minRowBytes` bytes (blank lines are lines, but hold no
    /// row). Nil when the bounds add up to more than `room`, the rows the columns have left:
    /// the chunks write from offsets that add up those bounds, so the window is parsed
    /// sequentially instead.
    static func parallelChunks(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, threads: Int, minRowBytes: Int,
                               room: Int) -> (bounds: [Int], most: [Int])? {
        var bounds = [start]
        let step = (end - start) / threads
        for t in 1..<threads {
            let guess = max(bounds.last!, start + t * step)
            if let nl = memchr(p + guess, 0x0A, end - guess) {
                bounds.append((UnsafeRawPointer(nl) - UnsafeRawPointer(p)) + 1)
            } else { bounds.append(end) }
        }
        bounds.append(end)
        var most = [Int](repeating: 0, count: threads)
        most.withUnsafeMutableBufferPointer { mb in
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                mb[t] = min(countLines(p, bounds[t], bounds[t + 1]), (bounds[t + 1] - bounds[t]) / minRowBytes + 1)
            }
        }
        return most.reduce(0, +) <= room ? (bounds, most) : nil
    }

    /// Lines in [start, end): newlines, plus one for a last line without one.
    static func countLines(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var c = 0
        var i = start
        let nl: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        while i + 8 <= end {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) ^ nl
            // Exact per-byte zero test (no borrow between bytes), then count the flags.
            let t = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
            c += t.nonzeroBitCount
            i += 8
        }
        while i < end { if p[i] == 0x0A { c += 1 }; i += 1 }
        if end > start && p[end - 1] != 0x0A { c += 1 }
        return c
    }

    static func lastNewline(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = end - 1
        while i >= start { if p[i] == 0x0A { return i }; i -= 1 }
        return nil
    }

    // MARK: Column plan

    /// Column positions for each field (-1 when absent) and what a line must look like.
    struct Plan: @unchecked Sendable {
        var user = -1, item = -1, value = -1, timestamp = -1, event = -1, channel = -1
        var fieldCount = 0
        var separator: [UInt8] = [0x2C]
        var quoting = true
        var latin1 = false
        var onError = ErrorPolicy.fail
        var maxReported = 10
        var tsDivisor: Int64 = 1
        var precision = ValuePrecision.float
        var names: [String] = []
        /// The `columns` names that set the field count (a headerless file), for the error of a
        /// line with another count.
        var givenNames: [String]? = nil

        func column(_ f: InteractionField) -> Int {
            switch f {
            case .user: return user
            case .item: return item
            case .value: return value
            case .timestamp: return timestamp
            case .event: return event
            case .channel: return channel
            }
        }
        mutating func set(_ f: InteractionField, _ c: Int) {
            switch f {
            case .user: user = c
            case .item: item = c
            case .value: value = c
            case .timestamp: timestamp = c
            case .event: event = c
            case .channel: channel = c
            }
        }
        func name(_ c: Int) -> String { c < names.count && !names[c].isEmpty ? "'\(names[c])'" : "#\(c + 1)" }
    }

    static func resolvePlan(names: [String]?, fieldCount: Int, options: DelimitedOptions, path: String) throws -> Plan {
        var plan = Plan()
        plan.fieldCount = fieldCount
        plan.separator = try options.separatorBytes()
        plan.quoting = options.quoting
        plan.latin1 = options.encoding == .latin1
        plan.onError = options.onError
        plan.maxReported = options.maxReportedErrors
        plan.tsDivisor = options.timestampUnit.divisor
        plan.precision = options.valuePrecision
        plan.names = names ?? []
        var used = Set<Int>()
        let available = names.map { "columns: " + $0.map { $0.debugDescription }.joined(separator: ", ") }
            ?? "\(fieldCount) unnamed columns"
        for f in InteractionField.allCases {
            guard let ref = options.mapping[f] else { continue }
            switch ref {
            case .position(let c):
                guard c >= 0 && c < fieldCount else {
                    throw DataError(.missingColumn, path: path, message: "\(f.rawValue) column position \(c) is out of range (\(available))")
                }
                plan.set(f, c)
            case .name(let s):
                guard let ns = names else {
                    throw DataError(.missingColumn, path: path, message: "\(f.rawValue) column '\(s)' named, but the file has no header and no column names were given")
                }
                guard let c = ns.firstIndex(of: s) ?? ns.firstIndex(where: { normalizeColumnName($0) == normalizeColumnName(s) }) else {
                    throw DataError(.missingColumn, path: path, message: "no column named '\(s)' for \(f.rawValue) (\(available))")
                }
                plan.set(f, c)
            }
            used.insert(plan.column(f))
        }
        if let ns = names {
            for f in InteractionField.allCases where plan.column(f) < 0 {
                if let c = ns.indices.first(where: { !used.contains($0) && InteractionField.matching(ns[$0]) == f }) {
                    plan.set(f, c); used.insert(c)
                }
            }
        } else if options.mapping.isEmpty {
            let order: [InteractionField] = [.user, .item, .value, .timestamp]
            for (c, f) in order.enumerated() where c < fieldCount { plan.set(f, c) }
        }
        if plan.user < 0 {
            throw DataError(.missingColumn, path: path, message: "no user column found (\(available))",
                            hint: "name one with mapping[.user] or columns", missingField: .user)
        }
        if plan.item < 0 {
            throw DataError(.missingColumn, path: path, message: "no item column found (\(available))",
                            hint: "name one with mapping[.item] or columns", missingField: .item)
        }
        return plan
    }

    // MARK: Columns

    /// The result columns, allocated once at a row capacity, written in place through raw
    /// pointers by the chunk parsers (each in its own row range).
    struct Columns: @unchecked Sendable {
        var user: UnsafeMutablePointer<Int32>
        var item: UnsafeMutablePointer<Int32>
        var valuesF: UnsafeMutablePointer<Float>?
        var valuesD: UnsafeMutablePointer<Double>?
        var ts: UnsafeMutablePointer<Int64>?
        var ev: UnsafeMutablePointer<UInt16>?
        var ch: UnsafeMutablePointer<UInt16>?
        /// Rows allocated: no chunk may write at or past this.
        var capacity: Int

        struct Arrays {
            var user: [Int32] = [], item: [Int32] = [], valuesF: [Float] = [], valuesD: [Double] = []
            var ts: [Int64] = [], ev: [UInt16] = [], ch: [UInt16] = []
        }

        /// Allocates the arrays (absent columns get capacity 0), runs `body` with pointers to
        /// them, and gives every array the row count `body` returns. The arrays' memory is asked
        /// to use huge pages: page faults on fresh memory are a large share of a big load.
        static func make(capacity: Int, plan: Plan, _ body: (Columns) throws -> Int) throws -> Arrays {
            func cap(_ present: Bool) -> Int { present ? capacity : 0 }
            var a = Arrays()
            a.user = try [Int32](unsafeUninitializedCapacity: capacity) { ub, uN in
                a.item = try [Int32](unsafeUninitializedCapacity: capacity) { ib, iN in
                    a.valuesF = try [Float](unsafeUninitializedCapacity: cap(plan.value >= 0 && plan.precision == .float)) { fb, fN in
                        a.valuesD = try [Double](unsafeUninitializedCapacity: cap(plan.value >= 0 && plan.precision == .double)) { db, dN in
                            a.ts = try [Int64](unsafeUninitializedCapacity: cap(plan.timestamp >= 0)) { tb, tN in
                                a.ev = try [UInt16](unsafeUninitializedCapacity: cap(plan.event >= 0)) { eb, eN in
                                    a.ch = try [UInt16](unsafeUninitializedCapacity: cap(plan.channel >= 0)) { cb, cN in
                                        for raw in [UnsafeMutableRawBufferPointer(ub), UnsafeMutableRawBufferPointer(ib),
                                                    UnsafeMutableRawBufferPointer(fb), UnsafeMutableRawBufferPointer(db),
                                                    UnsafeMutableRawBufferPointer(tb), UnsafeMutableRawBufferPointer(eb),
                                                    UnsafeMutableRawBufferPointer(cb)] { adviseHugePages(raw) }
                                        let c = Columns(user: ub.baseAddress!, item: ib.baseAddress!,
                                                        valuesF: plan.value >= 0 && plan.precision == .float ? fb.baseAddress : nil,
                                                        valuesD: plan.value >= 0 && plan.precision == .double ? db.baseAddress : nil,
                                                        ts: plan.timestamp >= 0 ? tb.baseAddress : nil,
                                                        ev: plan.event >= 0 ? eb.baseAddress : nil,
                                                        ch: plan.channel >= 0 ? cb.baseAddress : nil, capacity: capacity)
                                        let rows = try body(c)
                                        uN = rows; iN = rows
                                        fN = c.valuesF != nil ? rows : 0; dN = c.valuesD != nil ? rows : 0
                                        tN = c.ts != nil ? rows : 0; eN = c.ev != nil ? rows : 0; cN = c.ch != nil ? rows : 0
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return a
        }

        /// Moves rows [from, from+count) to [to, to+count) in every column (to ≤ from).
        func move(from: Int, to: Int, count: Int) {
            guard from != to && count > 0 else { return }
            // memmove: the ranges may overlap (rows move down by the size of a gap).
            func mv<T>(_ p: UnsafeMutablePointer<T>?) {
                if let p { memmove(p + to, p + from, count * MemoryLayout<T>.stride) }
            }
            mv(user); mv(item); mv(valuesF); mv(valuesD); mv(ts); mv(ev); mv(ch)
        }
    }

    // MARK: Chunk parsing

    /// One thread's share of a window: rows go straight into the result columns from `offset`
    /// (at most `capacity` of them). IDs the global maps already had are written as their global
    /// index; new ones are interned in the chunk's local maps and written as -(local index + 1)
    /// (labels: 0x8000 | local code), resolved by the merge. Line numbers are relative (newlines
    /// seen before the line) until the merge adds the chunk's base line.
    final class ChunkOutput: @unchecked Sendable {
        let offset: Int
        let capacity: Int
        var rows = 0
        let users = ByteInterner(capacity: 64), items = ByteInterner(capacity: 64)
        let events = ByteInterner(), channels = ByteInterner()
        var newlines = 0
        var end = 0
        var skippedCount = 0
        var errors: [(relLine: Int, reason: String, text: String)] = []
        var fatal = false
        init(offset: Int, capacity: Int) { self.offset = offset; self.capacity = capacity }
    }

    /// The global maps, read-only while chunks run.
    struct Known: @unchecked Sendable {
        let users: ByteInterner, items: ByteInterner, events: ByteInterner, channels: ByteInterner
    }

    /// Parses records from `start` until a record ends at or after `stopAt`, reading no byte past
    /// `limit`.
    static func parseChunk(_ p: UnsafePointer<UInt8>, start: Int, stopAt: Int, limit: Int, plan: Plan,
                           known: Known, out: ChunkOutput, columns: Columns) {
        let scanner = RecordScanner(base: p, separator: plan.separator, quoting: plan.quoting, expectedFields: plan.fieldCount)
        let scratch = ScratchBytes()
        let expected = plan.fieldCount
        let uc = plan.user, ic = plan.item, vc = plan.value, tc = plan.timestamp, ec = plan.event, cc = plan.channel
        let latin1 = plan.latin1
        let skipMode = plan.onError == .skip
        let users = out.users, items = out.items, events = out.events, channels = out.channels
        let knownUsers = known.users, knownItems = known.items
        // IDs are written in a provisional encoding and resolved in a second pass (below):
        // a canonical integer of up to 9 digits as its value (≥ 0, < 2^30); an ID the global map
        // has, found by its bytes, as Int32.min + index; any other (new) ID as -1, its bytes kept
        // in `pending`. Resolving integers in a separate tight loop lets the CPU overlap the
        // cache misses of many lookups instead of stalling on one per row.
        let uPending = PendingKeys(), iPending = PendingKeys()
        @inline(__always)
        func encode(_ b: UnsafePointer<UInt8>, _ n: Int, _ known: ByteInterner, _ pending: PendingKeys) -> Int32 {
            let v = ByteInterner.smallInt(b, n)
            if v >= 0 { return Int32(v) }
            if let g = known.find(b, n) { return Int32.min + g }
            pending.add(b, n)
            return -1
        }
        // Write pointers for this chunk's row range, which must lie inside the columns: the rows
        // are written through raw pointers.
        precondition(out.offset >= 0 && out.offset + out.capacity <= columns.capacity, "row range past the columns' capacity")
        let uOut = columns.user + out.offset, iOut = columns.item + out.offset
        let fOut = columns.valuesF.map { $0 + out.offset }, dOut = columns.valuesD.map { $0 + out.offset }
        let tOut = columns.ts.map { $0 + out.offset }
        let eOut = columns.ev.map { $0 + out.offset }, cOut = columns.ch.map { $0 + out.offset }
        let cap = out.capacity
        var w = 0
        var pos = start
        var newlines = 0

        func label(_ knownMap: ByteInterner, _ local: ByteInterner, _ b: UnsafePointer<UInt8>, _ n: Int) -> UInt16 {
            if let k = knownMap.find(b, n) { return UInt16(truncatingIfNeeded: k) }
            return 0x8000 | UInt16(truncatingIfNeeded: min(Int(local.intern(b, n)), 0x7FFF))
        }
        // Records a bad line; returns true when parsing must stop.
        func bad(_ rel: Int, _ reason: String) -> Bool {
            out.skippedCount += 1
            if !skipMode || out.errors.count < plan.maxReported {
                out.errors.append((rel, reason, scanner.excerpt()))
            }
            if !skipMode { out.fatal = true; return true }
            return false
        }

        // Fast path: a record of plain fields (no quotes, NUL, non-ASCII bytes or CR other than
        // in a CRLF line end; single-byte separator) is parsed in one pass over its bytes, numbers and integer IDs accumulated as
        // the bytes go by. Anything unusual falls back to the general scanner below, which also
        // produces the error messages.
        let fastOK = plan.separator.count == 1
        let sepByte = plan.separator[0]
        let roles: [UInt8] = (0..<expected).map { c in
            c == uc ? 1 : c == ic ? 2 : c == vc ? 3 : c == tc ? 4 : c == ec ? 5 : c == cc ? 6 : 0
        }
        let tsDiv = plan.tsDivisor
        let lastField = expected - 1
        var fieldStart = (0, 0, 0, 0, 0, 0, 0), fieldEnd = (0, 0, 0, 0, 0, 0, 0)

        while pos < stopAt && w < cap {
            let rel = newlines
            fast: if fastOK {
                var q = pos
                // The user / item value when it is a canonical integer of up to 9 digits.
                var uSmall: Int32 = -1, iSmall: Int32 = -1
                var v = 0.0
                var t: Int64 = 0
                var consumedNewline = 0
                for f in 0...lastField {
                    let role = roles[f]
                    let fs = q
                    if role == 3 {
                        // Decimal number: [-]digits[.digits], at most 15 significant digits.
                        var neg = false
                        if q < limit && p[q] == 0x2D { neg = true; q += 1 }
                        var m: UInt64 = 0
                        var nd = 0, frac = 0
                        while q < limit { let d = p[q] &- 48; if d > 9 { break }; m = m &* 10 &+ UInt64(d); nd += 1; q += 1 }
                        if q < limit && p[q] == 0x2E {
                            q += 1
                            while q < limit { let d = p[q] &- 48; if d > 9 { break }; m = m &* 10 &+ UInt64(d); nd += 1; frac += 1; q += 1 }
                        }
                        if nd == 0 || nd > 15 || frac > 22 { break fast }
                        v = frac == 0 ? Double(m) : Double(m) / exactPowersOf10[frac]
                        if neg { v = -v }
                    } else if role == 4 {
                        var neg = false
                        if q < limit && p[q] == 0x2D { neg = true; q += 1 }
                        var x: Int64 = 0
                        var nd = 0
                        while q < limit { let d = p[q] &- 48; if d > 9 { break }; x = x &* 10 &+ Int64(d); nd += 1; q += 1 }
                        if nd == 0 || nd > 18 { break fast }
                        t = neg ? -x : x
                        if tsDiv != 1 { t /= tsDiv }
                    } else {
                        var x = 0
                        if role == 1 || role == 2 {
                            while q < limit { let d = p[q] &- 48; if d > 9 { break }; x = x &* 10 &+ Int(d); q += 1 }
                        }
                        let digitsEnd = q
                        // The rest of a text field.
                        while q < limit {
                            let b = p[q]
                            if b == sepByte || b == 0x0A { break }
                            if b == 0x0D && q + 1 < limit && p[q + 1] == 0x0A { break }  // CRLF
                            if b == 0x22 || b == 0x0D || b == 0 || b >= 0x80 { break fast }
                            q += 1
                        }
                        switch role {
                        case 1, 2:
                            let nd = q - fs
                            if nd == 0 { break fast }   // empty ID: the general path reports it
                            let small = digitsEnd == q && nd <= 9 && (p[fs] != 0x30 || nd == 1)
                            if role == 1 {
                                if small { uSmall = Int32(x) }
                                fieldStart.0 = fs; fieldEnd.0 = q
                            } else {
                                if small { iSmall = Int32(x) }
                                fieldStart.1 = fs; fieldEnd.1 = q
                            }
                        case 5: fieldStart.2 = fs; fieldEnd.2 = q
                        case 6: fieldStart.3 = fs; fieldEnd.3 = q
                        default: break
                        }
                    }
                    if f < lastField {
                        if q >= limit || p[q] != sepByte { break fast }
                        q += 1
                    } else if q < limit {
                        if p[q] == 0x0D && q + 1 < limit && p[q + 1] == 0x0A { q += 1 }
                        if p[q] != 0x0A { break fast }
                        q += 1
                        consumedNewline = 1
                    }
                }
                // Commit the record.
                uOut[w] = uSmall >= 0 ? uSmall : encode(p + fieldStart.0, fieldEnd.0 - fieldStart.0, knownUsers, uPending)
                iOut[w] = iSmall >= 0 ? iSmall : encode(p + fieldStart.1, fieldEnd.1 - fieldStart.1, knownItems, iPending)
                if let fOut { fOut[w] = Float(v) } else if let dOut { dOut[w] = v }
                if let tOut { tOut[w] = t }
                if let eOut { eOut[w] = label(known.events, events, p + fieldStart.2, fieldEnd.2 - fieldStart.2) }
                if let cOut { cOut[w] = label(known.channels, channels, p + fieldStart.3, fieldEnd.3 - fieldStart.3) }
                w += 1
                newlines += consumedNewline
                pos = q
                continue
            }
            pos = scanner.scan(pos, limit: limit)
            newlines += scanner.newlines
            if scanner.problem != .none { if bad(rel, scanner.problem.message) { break }; continue }
            if scanner.isBlank { continue }
            if scanner.fieldCount != expected {
                if bad(rel, fieldCountReason(expected: expected, found: scanner.fieldCount, names: plan.givenNames)) { break }
                continue
            }
            if scanner.highBit && !latin1 && !isValidUTF8(p, scanner.recStart, scanner.recEnd) {
                if bad(rel, invalidUTF8Reason(p, scanner.recStart, scanner.recEnd)) { break }
                continue
            }
            var v = 0.0
            if vc >= 0 {
                let s = scanner[vc]
                guard let x = NumberParse.double(p, s.start, s.end) else {
                    let t = scratch.string(p, s, quote: 0x22, latin1: latin1)
                    if bad(rel, t.isEmpty ? "empty value in column \(plan.name(vc))"
                                          : "unparsable number '\(t)' in column \(plan.name(vc))") { break }
                    continue
                }
                v = x
            }
            var t: Int64 = 0
            if tc >= 0 {
                let s = scanner[tc]
                guard let x = NumberParse.timestamp(p, s.start, s.end) else {
                    let txt = scratch.string(p, s, quote: 0x22, latin1: latin1)
                    if bad(rel, txt.isEmpty ? "empty timestamp in column \(plan.name(tc))"
                                            : "unparsable timestamp '\(txt)' in column \(plan.name(tc))") { break }
                    continue
                }
                t = plan.tsDivisor == 1 ? x : x / plan.tsDivisor
            }
            let us = scanner[uc], its = scanner[ic]
            if us.end == us.start { if bad(rel, "empty user ID in column \(plan.name(uc))") { break }; continue }
            if its.end == its.start { if bad(rel, "empty item ID in column \(plan.name(ic))") { break }; continue }
            // Everything is valid: only now intern, so a bad line leaves no trace in the ID maps.
            var (bp, bn) = scratch.fieldBytes(p, us, quote: 0x22, latin1: latin1)
            uOut[w] = encode(bp, bn, knownUsers, uPending)
            (bp, bn) = scratch.fieldBytes(p, its, quote: 0x22, latin1: latin1)
            iOut[w] = encode(bp, bn, knownItems, iPending)
            if let fOut { fOut[w] = Float(v) } else if let dOut { dOut[w] = v }
            if let tOut { tOut[w] = t }
            if let eOut {
                (bp, bn) = scratch.fieldBytes(p, scanner[ec], quote: 0x22, latin1: latin1)
                eOut[w] = label(known.events, events, bp, bn)
            }
            if let cOut {
                (bp, bn) = scratch.fieldBytes(p, scanner[cc], quote: 0x22, latin1: latin1)
                cOut[w] = label(known.channels, channels, bp, bn)
            }
            w += 1
        }
        precondition(pos >= stopAt || w < cap || out.fatal, "row capacity exceeded while loading")
        resolveIDs(uOut, w, known: knownUsers, local: users, pending: uPending)
        resolveIDs(iOut, w, known: knownItems, local: items, pending: iPending)
        out.rows = w
        out.newlines = newlines
        out.end = pos
    }

    /// Bytes of IDs that were new to the global map, in row order.
    final class PendingKeys {
        var bytes: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        @inline(__always)
        func add(_ p: UnsafePointer<UInt8>, _ n: Int) {
            spans.append((bytes.count, n))
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// Second pass over a chunk's ID column: replaces the provisional encoding of `parseChunk`
    /// by global indices (≥ 0) or local ones (-(local index + 1)), interning new IDs in the local
    /// map in row order (so first-appearance order is exact).
    static func resolveIDs(_ col: UnsafeMutablePointer<Int32>, _ n: Int, known: ByteInterner, local: ByteInterner,
                           pending: PendingKeys) {
        let (direct, directCount) = known.directTable
        var next = 0
        var digits = [UInt8](repeating: 0, count: 16)
        pending.bytes.withUnsafeBufferPointer { pb in
            digits.withUnsafeMutableBufferPointer { db in
                let dp = db.baseAddress!
                for k in 0..<n {
                    let x = col[k]
                    if x >= 0 {
                        if Int(x) < directCount {
                            let d = direct[Int(x)]
                            if d > 0 { col[k] = d - 1; continue }
                        }
                        // Not found by value: spell the integer out and look it up by its bytes.
                        var v = Int(x), len = 0
                        repeat { dp[15 - len] = UInt8(48 + v % 10); v /= 10; len += 1 } while v > 0
                        let b = UnsafePointer(dp + 16 - len)
                        if Int(x) >= directCount, let g = known.find(b, len) { col[k] = g } else { col[k] = ~local.intern(b, len) }
                    } else if x < -(1 << 30) {
                        col[k] = x &- Int32.min
                    } else {
                        let s = pending.spans[next]
                        next += 1
                        col[k] = ~local.intern(pb.baseAddress! + s.start, s.count)
                    }
                }
            }
        }
    }

    // MARK: Merging

    /// Owns the global ID maps. Chunks are merged in file order: their new IDs are interned here
    /// (sequential, and small after the first window), then their rows are moved down to close
    /// any gap and their local codes are replaced by global ones.
    final class Merger {
        let plan: Plan
        let path: String
        let users = ByteInterner(capacity: 1 << 14), items = ByteInterner(capacity: 1 << 14)
        let events = ByteInterner(), channels = ByteInterner()
        var newlines = 0
        var skippedCount = 0
        var skipped: [SkippedLine] = []
        private var maps: [ObjectIdentifier: (u: [Int32], i: [Int32], e: [UInt16], c: [UInt16])] = [:]

        init(plan: Plan, path: String) { self.plan = plan; self.path = path }

        var known: Known { Known(users: users, items: items, events: events, channels: channels) }

        func merge(_ c: ChunkOutput) throws {
            let baseLine = newlines + 1
            if c.fatal, let e = c.errors.last {
                throw DataError(.malformedLine, path: path, line: baseLine + e.relLine, message: e.reason, excerpt: e.text)
            }
            skippedCount += c.skippedCount
            for e in c.errors where skipped.count < plan.maxReported {
                skipped.append(SkippedLine(line: baseLine + e.relLine, reason: e.reason, text: e.text))
            }
            newlines += c.newlines
            let um = remap(c.users, into: users), im = remap(c.items, into: items)
            let em = try remap16(c.events, into: events, "event"), cm = try remap16(c.channels, into: channels, "channel")
            users.refreshDirect()
            items.refreshDirect()
            maps[ObjectIdentifier(c)] = (um, im, em, cm)
        }

        /// Moves the chunk's rows to `at` (closing gaps left by blank or skipped lines in earlier
        /// chunks), resolves its local codes, and returns the next free row.
        func place(_ c: ChunkOutput, at: Int, columns: Columns) -> Int {
            columns.move(from: c.offset, to: at, count: c.rows)
            let m = maps.removeValue(forKey: ObjectIdentifier(c))!
            if !m.u.isEmpty { fix(columns.user + at, c.rows, m.u) }
            if !m.i.isEmpty { fix(columns.item + at, c.rows, m.i) }
            if let ev = columns.ev, !m.e.isEmpty { fix16(ev + at, c.rows, m.e) }
            if let ch = columns.ch, !m.c.isEmpty { fix16(ch + at, c.rows, m.c) }
            return at + c.rows
        }

        private func fix(_ p: UnsafeMutablePointer<Int32>, _ n: Int, _ map: [Int32]) {
            map.withUnsafeBufferPointer { m in
                for k in 0..<n { let x = p[k]; if x < 0 { p[k] = m[Int(~x)] } }
            }
        }

        private func fix16(_ p: UnsafeMutablePointer<UInt16>, _ n: Int, _ map: [UInt16]) {
            for k in 0..<n { let x = p[k]; if x & 0x8000 != 0 { p[k] = map[Int(x & 0x7FFF)] } }
        }

        private func remap(_ local: ByteInterner, into global: ByteInterner) -> [Int32] {
            (0..<local.count).map { k in local.withKeyBytes(k) { global.intern($0) } }
        }

        private func remap16(_ local: ByteInterner, into global: ByteInterner, _ what: String) throws -> [UInt16] {
            let m = remap(local, into: global)
            guard global.count < 0x7FFF else {
                throw DataError(.invalidArgument, path: path, message: "more than \(0x7FFF - 1) distinct \(what) labels; is the \(what) column mapped to the right column?")
            }
            return m.map { UInt16($0) }
        }
    }
}

/// Asks for transparent huge pages on a large, not yet touched buffer: a multi-hundred-megabyte
/// load otherwise spends a noticeable share of its time in 4 KiB page faults.
func adviseHugePages(_ buf: UnsafeMutableRawBufferPointer) {
    guard let base = buf.baseAddress, buf.count >= 4 << 20 else { return }
    let huge = 2 << 20
    let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
    let end = (Int(bitPattern: base) + buf.count) & ~(huge - 1)
    if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
}
