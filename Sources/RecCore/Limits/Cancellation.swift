// Stopping a long computation on request (Ctrl-C in the REPL or a script).
//
// The core installs no signal handler and reads no global: the host makes a `Cancellation` from
// whatever it listens to (the language binds it to the interpreter's Ctrl-C flag) and passes it
// down, and the computation polls it between units of work (batches of users in `recommendAll`
// and evaluation, the metrics of an evaluation), so that it stops within a fraction of a second.

/// A request to stop, polled by long computations. Cheap to copy and to poll.
public struct Cancellation: Sendable {
    private let poll: @Sendable () -> Bool

    /// `isRequested` asks whatever the host listens to; it must be cheap and thread-safe, and once
    /// true stay true until the computation has ended (parallel loops rely on it: each worker
    /// leaves its loop at its next poll, and the caller throws after the loop).
    public init(_ isRequested: @escaping @Sendable () -> Bool) {
        poll = isRequested
    }

    /// Never requested: for callers that cannot be interrupted.
    public static let none = Cancellation { false }

    public var isRequested: Bool { poll() }

    /// Throws `Cancelled` when a stop was requested.
    public func check() throws {
        if poll() { throw Cancelled() }
    }
}

/// A computation that stopped because its `Cancellation` was requested; it left no partial result.
public struct Cancelled: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "interrupted" }
}

