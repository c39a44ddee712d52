// Ctrl-C for builtins that do long native work: the interpreter polls its flag between Rec
// steps, but a builtin running a fit or an evaluation must poll it too, through the core's
// `Cancellation`, and end with the same `interrupted` error.

import CRecSupport
import RecCore

extension Interpreter {
    /// The Ctrl-C flag as the core sees it: what builtins pass down to long computations.
    public static let ctrlC = Cancellation { rec_interrupt_pending() != 0 }
}

/// What Ctrl-C during `fit` does once the fit has stopped after its current epoch.
public enum FitInterruption: Sendable {
    /// The `interrupted` error ends the program: a script stops with exit status 130.
    case endProgram
    /// The model keeps what it learned so far ("stopped after epoch N of M"), a warning says so,
    /// and the program goes on: the REPL, where a person watches the loss and stops a fit that is
    /// good enough. Fits inside cross_validate and grid_search still end with the error (a
    /// half-trained fold would skew the results).
    case keepModel
}

extension Arguments {
    /// The request to stop that this builtin passes to the core.
    var cancellation: Cancellation { Interpreter.ctrlC }

    /// The `interrupted` error at this call; like the interpreter's own, it clears the flag.
    func interrupted(_ detail: String? = nil) -> RecError {
        rec_interrupt_clear()
        return RecError(.interrupted, detail.map { "interrupted: \($0)" } ?? "interrupted", at: location)
    }

    /// Throws `interrupted` when Ctrl-C is pending (before starting a unit of long work).
    func checkInterrupt() throws {
        if rec_interrupt_pending() != 0 { throw interrupted() }
    }
}
