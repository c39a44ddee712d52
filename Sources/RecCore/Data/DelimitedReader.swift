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
/// How it is fast: the file is memory-mapped (gzip is inflated into memory) and scanned as bytes
/// by `RecordScanner`; numbers are parsed by hand from the bytes and IDs are hashed from the bytes
/// by `ByteInterner`, so no `String` is created per row. The buffer is processed in windows
/// (`windowBytes`); each window is cut at line ends into one chunk per thread, the chunks are
/// parsed concurrently, each with its own interners, and merged in file order, so IDs get indices
/// in first-appearance order exactly as a sequential parse would assign them. A window containing
/// a quote character is parsed sequentially (quoted fields may span lines, so line ends are not
/// safe cut points there). Parsed pages of a mapped file are released as the windows advance.
public enum DelimitedReader {

    /// Loads an interaction log. Throws `DataError` for missing, empty or binary files, for
    /// unresolvable columns, and (under `.fail`) for the first malformed line.
    public static func load(_ path: String, options: DelimitedOptions = DelimitedOptions()) throws -> LoadResult {
        let file = try FileBytes.open(path)
        return try load(file, options: options)
    }

    static func load(_ file: FileBytes, options: DelimitedOptions) throws -> LoadResult {
        let sep = try options.separatorBytes()
        let p = file.base
        let n = file.count
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
        repeat {
            let line = firstLineNewlines + 1
            afterFirst = scanner.scan(afterFirst, limit: n)
            firstLineNewlines += scanner.newlines
            if scanner.problem != .none {
                firstProblem = DataError(.malformedLine, path: file.path, line: line, message: scanner.problem.message, excerpt: scanner.excerpt())
            } else if options.encoding == .utf8 && scanner.highBit && !isValidUTF8(p, scanner.recStart, scanner.recEnd) {
                firstProblem = DataError(.malformedLine, path: file.path, line: line, message: "invalid UTF-8", excerpt: scanner.excerpt())
            }
        } while firstProblem == nil && scanner.isBlank && afterFirst < n
        // A malformed first line can't be a header; when the layout is known without it, the main
        // loop reports (or skips) it like any other line.
        let layoutKnown = options.header == .absent || (options.header == .auto && options.columns != nil)
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
            } && !firstFields.allSatisfy { Double($0.trimmingCharacters(in: .whitespaces)) != nil }
        }
        let names: [String]? = hasHeader ? firstFields : options.columns
        let fieldCount = hasHeader ? firstFields.count : (options.columns?.count ?? firstFields.count)
        if hasHeader { report.header = firstFields }

        let plan = try resolvePlan(names: names, fieldCount: fieldCount, options: options, path: file.path)
        for f in InteractionField.allCases {
            let c = plan.column(f)
            if c >= 0 {
                report.columnMapping[f.rawValue] = names.flatMap { c < $0.count && !$0[c].isEmpty ? $0[c] : nil } ?? "#\(c + 1)"
            }
        }

        let acc = Accumulator(plan: plan, path: file.path, precision: options.valuePrecision)
        if hasHeader {
            pos = afterFirst
            acc.newlines = firstLineNewlines
        }

        let threads = max(1, options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let window = max(1 << 16, options.windowBytes)
        // The first window is small: it fills the global ID maps, after which the threads mostly
        // find IDs there instead of interning every ID again in their local maps.
        var windowSize = min(window, max(1 << 16, window / 16))
        let debugTiming = ProcessInfo.processInfo.environment["REC_LOAD_TIMING"] != nil
        var parseNs: UInt64 = 0, mergeNs: UInt64 = 0
        while pos < n {
            var target = min(n, pos + windowSize)
            windowSize = window
            if target < n {
                // Cut after the last newline of the window (or the first one after it for a huge line).
                if let nl = lastNewline(p, pos, target) { target = nl + 1 }
                else if let nl = memchr(p + target, 0x0A, n - target) {
                    target = (UnsafeRawPointer(nl) - UnsafeRawPointer(p)) + 1
                } else { target = n }
            }
            let hasQuote = options.quoting && memchr(p + pos, 0x22, target - pos) != nil
            let tw0 = DispatchTime.now().uptimeNanoseconds
            var chunks: [ChunkOutput] = []
            let ku = acc.users, ki = acc.items
            if hasQuote || threads == 1 || target - pos < (1 << 20) {
                // Sequential: quoted fields may run past `target`, so the scanner may read to EOF
                // and the chunk ends at the first record boundary at or after `target`.
                let c = ChunkOutput()
                parseChunk(p, start: pos, stopAt: target, limit: hasQuote ? n : target, plan: plan,
                           knownUsers: ku, knownItems: ki, out: c)
                chunks = [c]
            } else {
                var bounds = [pos]
                let step = (target - pos) / threads
                for t in 1..<threads {
                    let guess = max(bounds.last!, pos + t * step)
                    if let nl = memchr(p + guess, 0x0A, target - guess) {
                        bounds.append((UnsafeRawPointer(nl) - UnsafeRawPointer(p)) + 1)
                    } else { bounds.append(target) }
                }
                bounds.append(target)
                chunks = (0..<threads).map { _ in ChunkOutput() }
                let b = bounds
                let cs = chunks
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    parseChunk(p, start: b[t], stopAt: b[t + 1], limit: b[t + 1], plan: plan,
                               knownUsers: ku, knownItems: ki, out: cs[t])
                }
            }
            let tm0 = DispatchTime.now().uptimeNanoseconds
            for c in chunks { try acc.merge(c) }
            if debugTiming { mergeNs += DispatchTime.now().uptimeNanoseconds - tm0; parseNs += tm0 - tw0 }
            pos = chunks.last!.end
            file.release(upTo: pos)
        }
        if debugTiming { print("parse \(Double(parseNs)/1e9) merge \(Double(mergeNs)/1e9)") }
        report.lines = acc.newlines + ((n > 0 && p[n - 1] != 0x0A) ? 1 : 0)
        report.rows = acc.rows
        report.skippedCount = acc.skippedCount
        report.skipped = acc.skipped
        return LoadResult(interactions: acc.finish(), report: report)
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
            throw DataError(.missingColumn, path: path, message: "no user column found (\(available)); name one with mapping or columns")
        }
        if plan.item < 0 {
            throw DataError(.missingColumn, path: path, message: "no item column found (\(available)); name one with mapping or columns")
        }
        return plan
    }

    // MARK: Chunk parsing

    /// One thread's output: local interners and columns with local codes; line numbers are
    /// relative (newlines seen before the line) until the merge adds the chunk's base line.
    final class ChunkOutput: @unchecked Sendable {
        var user: [Int32] = [], item: [Int32] = []
        var valuesF: [Float] = [], valuesD: [Double] = []
        var ts: [Int64] = []
        var ev: [UInt16] = [], ch: [UInt16] = []
        private(set) var users = ByteInterner(capacity: 1 << 10), items = ByteInterner(capacity: 1 << 10)
        private(set) var events = ByteInterner(), channels = ByteInterner()
        var newlines = 0
        var end = 0
        var skippedCount = 0
        var errors: [(relLine: Int, reason: String, text: String)] = []
        var fatal = false

        /// Frees the local ID maps once the merge has resolved them.
        func dropInterners() {
            users = ByteInterner(capacity: 1); items = ByteInterner(capacity: 1)
        }
    }

    /// Parses records from `start` until a record ends at or after `stopAt`, reading no byte past
    /// `limit`.
    ///
    /// IDs already in the global maps (`known…`, read-only here) are stored as their global index;
    /// new ones are interned in the chunk's local map and stored as -(local index + 1), resolved at
    /// the merge. After the first window almost every ID is known, so threads share one cached
    /// lookup structure instead of each rebuilding the whole ID map.
    static func parseChunk(_ p: UnsafePointer<UInt8>, start: Int, stopAt: Int, limit: Int, plan: Plan,
                           knownUsers: ByteInterner, knownItems: ByteInterner, out: ChunkOutput) {
        let scanner = RecordScanner(base: p, separator: plan.separator, quoting: plan.quoting, expectedFields: plan.fieldCount)
        let scratch = ScratchBytes()
        let expected = plan.fieldCount
        let uc = plan.user, ic = plan.item, vc = plan.value, tc = plan.timestamp, ec = plan.event, cc = plan.channel
        let latin1 = plan.latin1
        let skipMode = plan.onError == .skip
        let asDouble = plan.precision == .double
        let users = out.users, items = out.items
        // Local arrays (not the class's properties) so appends in the loop stay cheap.
        let estimate = max(16, (stopAt - start) / 20)
        var user = [Int32](), item = [Int32](), valuesF = [Float](), valuesD = [Double](), ts = [Int64]()
        var ev = [UInt16](), ch = [UInt16]()
        user.reserveCapacity(estimate); item.reserveCapacity(estimate)
        if vc >= 0 { if asDouble { valuesD.reserveCapacity(estimate) } else { valuesF.reserveCapacity(estimate) } }
        if tc >= 0 { ts.reserveCapacity(estimate) }
        adviseHugePages(&user); adviseHugePages(&item); adviseHugePages(&valuesF); adviseHugePages(&valuesD)
        adviseHugePages(&ts)
        if ec >= 0 { ev.reserveCapacity(estimate) }
        if cc >= 0 { ch.reserveCapacity(estimate) }
        var pos = start
        defer {
            out.user = user; out.item = item; out.valuesF = valuesF; out.valuesD = valuesD; out.ts = ts
            out.ev = ev; out.ch = ch
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

        while pos < stopAt {
            let rel = out.newlines
            pos = scanner.scan(pos, limit: limit)
            out.newlines += scanner.newlines
            if scanner.problem != .none { if bad(rel, scanner.problem.message) { break }; continue }
            if scanner.isBlank { continue }
            if scanner.fieldCount != expected {
                if bad(rel, "expected \(expected) fields, found \(scanner.fieldCount)") { break }
                continue
            }
            if scanner.highBit && !latin1 && !isValidUTF8(p, scanner.recStart, scanner.recEnd) {
                if bad(rel, "invalid UTF-8") { break }
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
            user.append(knownUsers.find(bp, bn) ?? ~users.intern(bp, bn))
            (bp, bn) = scratch.fieldBytes(p, its, quote: 0x22, latin1: latin1)
            item.append(knownItems.find(bp, bn) ?? ~items.intern(bp, bn))
            if vc >= 0 { if asDouble { valuesD.append(v) } else { valuesF.append(Float(v)) } }
            if tc >= 0 { ts.append(t) }
            if ec >= 0 {
                (bp, bn) = scratch.fieldBytes(p, scanner[ec], quote: 0x22, latin1: latin1)
                ev.append(UInt16(truncatingIfNeeded: out.events.intern(bp, bn)))
            }
            if cc >= 0 {
                (bp, bn) = scratch.fieldBytes(p, scanner[cc], quote: 0x22, latin1: latin1)
                ch.append(UInt16(truncatingIfNeeded: out.channels.intern(bp, bn)))
            }
        }
        out.end = pos
    }

    // MARK: Merging

    /// The growing result. Chunks are merged in file order, but only their new IDs are interned
    /// here (sequential, and small after the first window); the chunks' columns are kept as
    /// segments and concatenated once at the end, in parallel, resolving local ID codes on the way.
    final class Accumulator {
        let plan: Plan
        let path: String
        let precision: ValuePrecision
        let users = ByteInterner(capacity: 1 << 14), items = ByteInterner(capacity: 1 << 14)
        let events = ByteInterner(), channels = ByteInterner()
        var segments: [(chunk: ChunkOutput, rows: Int, users: [Int32], items: [Int32], events: [UInt16], channels: [UInt16])] = []
        var rows = 0
        var newlines = 0
        var skippedCount = 0
        var skipped: [SkippedLine] = []

        init(plan: Plan, path: String, precision: ValuePrecision) {
            self.plan = plan; self.path = path; self.precision = precision
        }

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
            c.dropInterners()
            rows += c.user.count
            if !c.user.isEmpty { segments.append((c, c.user.count, um, im, em, cm)) }
        }

        private func remap(_ local: ByteInterner, into global: ByteInterner) -> [Int32] {
            (0..<local.count).map { k in local.withKeyBytes(k) { global.intern($0) } }
        }

        private func remap16(_ local: ByteInterner, into global: ByteInterner, _ what: String) throws -> [UInt16] {
            let m = remap(local, into: global)
            guard global.count <= Int(UInt16.max) else {
                throw DataError(.invalidArgument, path: path, message: "more than \(UInt16.max) distinct \(what) labels; is the \(what) column mapped to the right column?")
            }
            return m.map { UInt16($0) }
        }

        /// Concatenates one column over all segments into a new array, segments in parallel.
        /// `fill(segment, destination)` writes the segment's rows and then frees its source.
        private func concat<T>(_ fill: @escaping (Int, UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
            var offsets = [0]
            for s in segments { offsets.append(offsets.last! + s.rows) }
            let total = offsets.last!
            let segs = segments.count
            return [T](unsafeUninitializedCapacity: total) { buf, n in
                adviseHugePages(UnsafeMutableRawBufferPointer(buf))
                let base = buf.baseAddress
                DispatchQueue.concurrentPerform(iterations: segs) { i in
                    let dst = UnsafeMutableBufferPointer(start: base! + offsets[i], count: offsets[i + 1] - offsets[i])
                    fill(i, dst)
                }
                n = total
            }
        }

        func finish() -> Interactions {
            let segs = segments
            // Column by column, freeing each segment column once copied, to bound peak memory.
            let user: [Int32] = concat { i, dst in
                let s = segs[i]
                s.users.withUnsafeBufferPointer { m in
                    s.chunk.user.withUnsafeBufferPointer { src in
                        for k in 0..<src.count { let x = src[k]; dst[k] = x >= 0 ? x : m[Int(~x)] }
                    }
                }
                s.chunk.user = []
            }
            let item: [Int32] = concat { i, dst in
                let s = segs[i]
                s.items.withUnsafeBufferPointer { m in
                    s.chunk.item.withUnsafeBufferPointer { src in
                        for k in 0..<src.count { let x = src[k]; dst[k] = x >= 0 ? x : m[Int(~x)] }
                    }
                }
                s.chunk.item = []
            }
            var values: ValueColumn? = nil
            if plan.value >= 0 {
                if precision == .float {
                    values = .float(concat { i, dst in
                        _ = dst.initialize(from: segs[i].chunk.valuesF); segs[i].chunk.valuesF = [] })
                } else {
                    values = .double(concat { i, dst in
                        _ = dst.initialize(from: segs[i].chunk.valuesD); segs[i].chunk.valuesD = [] })
                }
            }
            var ts: [Int64]? = nil
            if plan.timestamp >= 0 {
                ts = concat { i, dst in _ = dst.initialize(from: segs[i].chunk.ts); segs[i].chunk.ts = [] }
            }
            func coded(_ pick: @escaping (Int) -> ([UInt16], [UInt16]), _ labels: ByteInterner) -> CodedColumn {
                let codes: [UInt16] = concat { i, dst in
                    let (src, m) = pick(i)
                    for k in 0..<src.count { dst[k] = m[Int(src[k])] }
                }
                return CodedColumn(codes: codes, labels: (0..<labels.count).map { labels.key($0) })
            }
            let ev = plan.event >= 0 ? coded({ (segs[$0].chunk.ev, segs[$0].events) }, events) : nil
            let ch = plan.channel >= 0 ? coded({ (segs[$0].chunk.ch, segs[$0].channels) }, channels) : nil
            segments = []
            return Interactions(unchecked: IDMap(storage: users), items: IDMap(storage: items), user: user, item: item,
                                values: values, timestamps: ts, events: ev, channels: ch,
                                userAttributes: nil, itemAttributes: nil)
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

func adviseHugePages<T>(_ a: inout [T]) {
    let cap = a.capacity
    if cap * MemoryLayout<T>.stride < 4 << 20 { return }
    a.withUnsafeMutableBufferPointer { b in
        adviseHugePages(UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(b.baseAddress), count: cap * MemoryLayout<T>.stride))
    }
}
