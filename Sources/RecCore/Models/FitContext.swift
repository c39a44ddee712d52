// What a fit is given besides its data: where to report progress and when to stop. Passed into
// `fit` (as implicit's `show_progress`/callback are), never read from a global, so that two fits
// on two threads — or a notebook kernel and its tests — do not see each other's bars or Ctrl-C.

/// One finished epoch (or iteration) of a fit.
public struct FitProgress: Sendable, Equatable {
    /// The model's core name (`biased-mf`, `implicit-als`, …).
    public let model: String
    /// 1-based.
    public let epoch: Int
    public let epochs: Int
    /// The epoch's training loss, where the model computes one.
    public let loss: Double?

    public init(model: String, epoch: Int, epochs: Int, loss: Double?) {
        self.model = model; self.epoch = epoch; self.epochs = epochs; self.loss = loss
    }

    /// Done share of the fit, 0…1.
    public var fraction: Double { epochs > 0 ? Double(epoch) / Double(epochs) : 1 }
}

/// Progress reporting and cancellation for one fit.
///
/// Two ways of stopping, because they leave different things behind:
/// - between epochs (`epochEnded` returns false): the model keeps what it learned so far and is
///   usable; the host decides whether that counts as a result (the REPL) or not (a script);
/// - inside an epoch (`checkCancelled` throws `Cancelled`): half an epoch is no model, so the fit
///   ends without one. Models whose single epoch can take long (ALS with many factors, kNN
///   similarity of a large catalogue) poll this between rows.
public struct FitContext: Sendable {
    public var cancellation: Cancellation
    /// Called on the fitting thread after every epoch, before the model decides to go on.
    public var progress: (@Sendable (FitProgress) -> Void)?

    public init(cancellation: Cancellation = .none, progress: (@Sendable (FitProgress) -> Void)? = nil) {
        self.cancellation = cancellation
        self.progress = progress
    }

    /// No progress, never stops.
    public static let none = FitContext()

    /// Called by iterative models after each epoch with the epoch's loss and the arrays the model
    /// learns. Returns false for "stop now, keep what you have" (a stop was requested and epochs
    /// remain). Throws `DivergenceError` when the loss or a learned number is not finite: the
    /// model must then leave its previous state as it was.
    @inline(never)
    public func epochEnded(model: String, epoch: Int, of epochs: Int, loss: Double?,
                           learned: [[Float]] = []) throws -> Bool {
        try DivergenceError.check(model: model, epoch: epoch, loss: loss, learned: learned)
        progress?(FitProgress(model: model, epoch: epoch, epochs: epochs, loss: loss))
        return !(epoch < epochs && cancellation.isRequested)
    }

    /// Throws `Cancelled` when a stop was requested: for polling inside an epoch.
    public func checkCancelled() throws { try cancellation.check() }
}
