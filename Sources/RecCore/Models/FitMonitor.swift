// How a host (the REPL, a notebook) watches a long fit and stops it early. Iterative models call
// `FitMonitor.epochEnded` after every epoch; the host's handler draws a progress bar and answers
// whether to go on, so Ctrl-C ends a fit after the current epoch with a usable model.

import Foundation

/// One finished epoch (or iteration) of a fit.
public struct FitProgress: Sendable {
    public let model: String
    /// 1-based.
    public let epoch: Int
    public let epochs: Int
    /// The epoch's training loss, where the model computes one.
    public let loss: Double?
}

public enum FitMonitor {
    /// Installed by the host around a fit (nil: no progress, never stop). Returns false to stop.
    nonisolated(unsafe) public static var handler: (@Sendable (FitProgress) -> Bool)?

    /// Called by models after each epoch; false means "stop now, keep what you have".
    @inline(never)
    public static func epochEnded(model: String, epoch: Int, of epochs: Int, loss: Double?) -> Bool {
        handler?(FitProgress(model: model, epoch: epoch, epochs: epochs, loss: loss)) ?? true
    }
}
