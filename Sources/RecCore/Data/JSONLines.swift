// Loading JSON Lines event logs.

import Foundation

/// How to read a JSON Lines event log (one JSON object per line).
public struct JSONLinesOptions: Sendable {
    /// Field → key path ("user_id", or "context.channel" for nested objects). Fields not
    /// mapped are found by alias (`InteractionField.aliases`) among the first object's keys.
    public var mapping: [InteractionField: String]
    public var onError: ErrorPolicy
    public var maxReportedErrors: Int
    /// The value for lines without the value key (implicit events count 1).
    public var defaultValue: Double
    /// The channel label for lines without the channel key.
    public var defaultChannel: String
    public var valuePrecision: ValuePrecision
    public var timestampUnit: TimestampUnit

    public init(mapping: [InteractionField: String] = [:], onError: ErrorPolicy = .fail, maxReportedErrors: Int = 10,
                defaultValue: Double = 1, defaultChannel: String = "unknown", valuePrecision: ValuePrecision = .float,
                timestampUnit: TimestampUnit = .seconds) {
        self.mapping = mapping; self.onError = onError; self.maxReportedErrors = maxReportedErrors
        self.defaultValue = defaultValue; self.defaultChannel = defaultChannel
        self.valuePrecision = valuePrecision; self.timestampUnit = timestampUnit
    }
}

/// Reads JSON Lines event logs: each non-blank line must be one JSON object. User and item
/// (and timestamp and event, when mapped or present in the first object) are required on every
/// line; value and channel may be missing on some lines (`defaultValue`, `defaultChannel`), and
/// their keys, when not mapped, are found on the first line that has one. IDs may be strings
/// or integers. Timestamps may be numbers or strings (integer or ISO-8601). Correctness and
/// line-numbered errors matter more than speed here: lines are parsed with JSONSerialization.
public enum JSONLinesReader {
    public static func load(_ path: String, options: JSONLinesOptions = JSONLinesOptions()) throws -> LoadResult {
        try load(FileBytes.open(path), options: options)
    }

    /// Reads a log held in memory, named `name` in errors and the report.
    public static func load(bytes: UnsafeRawBufferPointer, name: String, options: JSONLinesOptions = JSONLinesOptions()) throws -> LoadResult {
        try load(FileBytes.memory(bytes, name: name), options: options)
    }

    static func load(_ file: FileBytes, options: JSONLinesOptions) throws -> LoadResult {
        let path = file.path
        let p = file.base, n = file.count
        var report = LoadReport(path: path)
        report.gzip = file.gzip
        var keys: [InteractionField: [String]] = options.mapping.mapValues { $0.split(separator: ".").map(String.init) }
        var resolved = false
        var hasValue = keys[.value] != nil, hasChannel = keys[.channel] != nil
        var users = IDMap(), items = IDMap()
        var user = [Int32](), item = [Int32](), values = [Double](), ts = [Int64]()
        var events = [String](), channels = [String]()
        var line = 0
        var pos = 0
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { pos = 3 }

        func fail(_ reason: String, _ s: Int, _ e: Int) throws {
            let text = excerptText(UnsafeBufferPointer(start: p + s, count: e - s))
            if options.onError == .fail {
                throw DataError(.malformedLine, path: path, line: line, message: reason, excerpt: text)
            }
            report.skippedCount += 1
            if report.skipped.count < options.maxReportedErrors {
                report.skipped.append(SkippedLine(line: line, reason: reason, text: text))
            }
        }

        while pos < n {
            line += 1
            let s = pos
            var e = s
            while e < n && p[e] != 0x0A { e += 1 }
            pos = e + 1
            var te = e
            if te > s && p[te - 1] == 0x0D { te -= 1 }
            var allSpace = true
            for k in s..<te where p[k] != 0x20 && p[k] != 0x09 { allSpace = false; break }
            if allSpace { continue }
            if memchr(p + s, 0, te - s) != nil { try fail("NUL byte in line (binary data?)", s, te); continue }
            if let bad = firstInvalidUTF8(p, s, te) {
                // JSON text is UTF-8 by definition (RFC 8259), so no encoding option to suggest.
                let hex = String(p[bad], radix: 16, uppercase: true)
                try fail("invalid UTF-8 at byte \(bad - s + 1) of the line (0x\(hex.count == 1 ? "0" + hex : hex)); JSON Lines must be UTF-8", s, te)
                continue
            }
            let data = Data(bytes: p + s, count: te - s)
            let obj: Any
            do { obj = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
                try fail("invalid JSON: \(jsonErrorText(error))", s, te); continue
            }
            guard let dict = obj as? [String: Any] else {
                try fail("expected a JSON object, found \(jsonTypeName(obj))", s, te); continue
            }
            if !resolved {
                // Settle the keys of user, item, timestamp and event from the first object.
                resolved = true
                for f in [InteractionField.user, .item, .timestamp, .event] where keys[f] == nil {
                    if let k = dict.keys.sorted().first(where: { InteractionField.matching($0) == f }) { keys[f] = [k] }
                }
                guard keys[.user] != nil else {
                    throw DataError(.missingColumn, path: path, line: line,
                                    message: "no user field found (keys: \(dict.keys.sorted().joined(separator: ", ")))",
                                    hint: "map one with mapping[.user]", missingField: .user)
                }
                guard keys[.item] != nil else {
                    throw DataError(.missingColumn, path: path, line: line,
                                    message: "no item field found (keys: \(dict.keys.sorted().joined(separator: ", ")))",
                                    hint: "map one with mapping[.item]", missingField: .item)
                }
            }
            // Value and channel are optional per line: their key is settled by the first line that
            // has one, and earlier rows get the defaults.
            for f in [InteractionField.value, .channel] where keys[f] == nil {
                if let k = dict.keys.sorted().first(where: { InteractionField.matching($0) == f }) { keys[f] = [k] }
            }
            if keys[.value] != nil && !hasValue { hasValue = true }
            if keys[.channel] != nil && !hasChannel { hasChannel = true }
            func lookup(_ f: InteractionField) -> Any?? {
                guard let path = keys[f] else { return .none }
                var cur: Any? = dict
                for k in path { cur = (cur as? [String: Any])?[k] }
                if cur is NSNull { cur = nil }
                return .some(cur)
            }
            func name(_ f: InteractionField) -> String { "'" + (keys[f]?.joined(separator: ".") ?? f.rawValue) + "'" }
            guard let uAny = lookup(.user)!, let u = idText(uAny) else {
                try fail(lookup(.user)! == nil ? "missing user field \(name(.user))" : "user field \(name(.user)) must be a string or integer", s, te); continue
            }
            guard let iAny = lookup(.item)!, let it = idText(iAny) else {
                try fail(lookup(.item)! == nil ? "missing item field \(name(.item))" : "item field \(name(.item)) must be a string or integer", s, te); continue
            }
            var value = options.defaultValue
            if case .some(let vAny?) = lookup(.value) {
                guard let v = number(vAny) else { try fail("value field \(name(.value)) is not a number", s, te); continue }
                value = v
            }
            var t: Int64 = 0
            if case .some(let tAny) = lookup(.timestamp) {
                guard let tv = tAny else { try fail("missing timestamp field \(name(.timestamp))", s, te); continue }
                guard let x = timestamp(tv) else { try fail("unparsable timestamp in field \(name(.timestamp))", s, te); continue }
                t = x / options.timestampUnit.divisor
            }
            var ev = ""
            if case .some(let eAny) = lookup(.event) {
                guard let ea = eAny, let x = idText(ea) else { try fail("missing event field \(name(.event))", s, te); continue }
                ev = x
            }
            var ch = options.defaultChannel
            if case .some(let cAny?) = lookup(.channel) {
                guard let x = idText(cAny) else { try fail("channel field \(name(.channel)) must be a string", s, te); continue }
                ch = x
            }
            user.append(users.intern(u)); item.append(items.intern(it))
            values.append(value); ts.append(t); events.append(ev); channels.append(ch)
        }
        report.lines = line
        report.rows = user.count
        report.columnMapping = Dictionary(uniqueKeysWithValues: keys.map { ($0.key.rawValue, $0.value.joined(separator: ".")) })
        let vcol: ValueColumn? = hasValue ? (options.valuePrecision == .float ? .float(values.map { Float($0) }) : .double(values)) : nil
        let d = try Interactions(users: users, items: items, user: user, item: item, values: vcol,
                                 timestamps: keys[.timestamp] != nil ? ts : nil,
                                 events: keys[.event] != nil ? CodedColumn(events) : nil,
                                 channels: hasChannel ? CodedColumn(channels) : nil)
        return LoadResult(interactions: d, report: report)
    }

    /// A string, or an integral number as its decimal text.
    static func idText(_ v: Any) -> String? {
        if let s = v as? String { return s }
        if let b = v as? Bool, type(of: v) == type(of: true) { return b ? "true" : "false" }
        if let n = v as? NSNumber {
            let d = n.doubleValue
            if d == d.rounded() && abs(d) < 9.0e15 { return String(Int64(d)) }
            return nil
        }
        return nil
    }

    static func number(_ v: Any) -> Double? {
        if let s = v as? String { return Double(s.trimmingCharacters(in: .whitespaces)) }
        if v is Bool && type(of: v) == type(of: true) { return nil }
        if let n = v as? NSNumber { return n.doubleValue }
        return nil
    }

    static func timestamp(_ v: Any) -> Int64? {
        if let s = v as? String {
            var s = s
            return s.withUTF8 { b in b.baseAddress.flatMap { NumberParse.timestamp($0, 0, b.count) } }
        }
        if let d = number(v), abs(d) < 9.2e18 { return Int64(d.rounded(.down)) }
        return nil
    }

    static func jsonTypeName(_ v: Any) -> String {
        if v is String { return "a string" }
        if v is [Any] { return "an array" }
        if v is NSNull { return "null" }
        if v is NSNumber { return "a number" }
        return "\(type(of: v))"
    }

    static func jsonErrorText(_ e: Error) -> String {
        let ns = e as NSError
        if let d = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return d }
        return ns.localizedDescription
    }
}
