// Refusing a computation before it allocates more memory than the machine has.
//
// A failed allocation in Swift is not an error but the end of the process (SIGABRT "failed to
// allocate", or a trap when a size computation overflows), and with it a whole REPL session. So
// every size that comes from a user — a factor count, a cutoff, a repetition count — is turned
// into a byte estimate with overflow-safe arithmetic and checked here first.

import Foundation

/// A computation refused because it would need more memory than is available.
public struct ResourceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What would have been allocated, in the user's terms (`als with 100000000 factors`).
    public let what: String
    /// The estimate in bytes (`Int.max` when the arithmetic itself overflowed).
    public let requestedBytes: Int
    public let availableBytes: Int

    public init(what: String, requestedBytes: Int, availableBytes: Int) {
        self.what = what
        self.requestedBytes = requestedBytes
        self.availableBytes = availableBytes
    }

    public var description: String {
        let need = requestedBytes == .max ? "more memory than can be addressed"
                                          : "about \(MemoryBudget.format(requestedBytes)) of memory"
        return "\(what) would need \(need), but \(MemoryBudget.format(availableBytes)) is available"
    }
}

/// The memory a single computation may ask for, and the overflow-safe arithmetic to estimate it.
public enum MemoryBudget {
    /// A cap a host sets below the machine's memory (the fuzzer does, so that a large but
    /// possible allocation still counts as refused). `REC_MEMORY_LIMIT` (bytes, or with a K/M/G
    /// suffix) sets it for a process.
    nonisolated(unsafe) public static var limit: Int? = parse(ProcessInfo.processInfo.environment["REC_MEMORY_LIMIT"])

    /// What one allocation may take: the memory the kernel reports as available (MemAvailable,
    /// which counts reclaimable caches) or, where that cannot be read, physical memory; never
    /// more than `limit`.
    public static func availableBytes() -> Int {
        let machine = memAvailable() ?? Int(clamping: ProcessInfo.processInfo.physicalMemory)
        if let limit { return min(limit, machine) }
        return machine
    }

    /// Throws when `bytes` exceeds what is available.
    public static func require(_ bytes: Int, for what: @autoclosure () -> String) throws(ResourceError) {
        let available = availableBytes()
        if bytes > available {
            throw ResourceError(what: what(), requestedBytes: bytes, availableBytes: available)
        }
    }

    /// The product of sizes, saturating at `Int.max` instead of trapping; negative factors count
    /// as zero (they are rejected elsewhere with their own message).
    public static func product(_ factors: Int...) -> Int {
        var r = 1
        for f in factors {
            let (p, o) = r.multipliedReportingOverflow(by: max(0, f))
            if o { return .max }
            r = p
        }
        return r
    }

    /// A saturating sum of byte counts.
    public static func sum(_ terms: Int...) -> Int {
        var r = 0
        for t in terms {
            let (s, o) = r.addingReportingOverflow(max(0, t))
            if o { return .max }
            r = s
        }
        return r
    }

    /// `count` elements of `T`.
    public static func bytes<T>(_ count: Int, of _: T.Type) -> Int { product(count, MemoryLayout<T>.stride) }

    /// Throws unless `count` elements of `T` fit.
    public static func require<T>(_ count: Int, of type: T.Type, for what: @autoclosure () -> String) throws(ResourceError) {
        try require(bytes(count, of: type), for: what())
    }

    /// "1.5 GB", "320 MB", "12 KB" (powers of 1024, as `free` shows them).
    public static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
        var v = Double(bytes), u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        if u == 0 { return "\(bytes) bytes" }
        return v >= 100 ? "\(Int(v.rounded())) \(units[u])" : String(format: "%.1f %@", v, units[u])
    }

    static func parse(_ text: String?) -> Int? {
        guard var t = text?.trimmingCharacters(in: .whitespaces).uppercased(), !t.isEmpty else { return nil }
        var scale = 1
        if t.hasSuffix("B") { t.removeLast() }
        switch t.last {
        case "K": scale = 1 << 10
        case "M": scale = 1 << 20
        case "G": scale = 1 << 30
        case "T": scale = 1 << 40
        default: break
        }
        if scale > 1 { t.removeLast() }
        guard let n = Double(t), n > 0, n * Double(scale) < 9.0e18 else { return nil }
        return Int(n * Double(scale))
    }

    /// MemAvailable from /proc/meminfo, in bytes.
    static func memAvailable() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kb = Int(fields[1]) { return kb * 1024 }
        }
        return nil
    }
}
