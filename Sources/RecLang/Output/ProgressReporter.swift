// The `.progress` events of one long operation, from its first step to its end. Builtins make
// one per operation (a fit, an evaluation, a cross-validation) and the front ends draw them:
// a bar on a terminal, an updating display in Jupyter, the final state in a rendered notebook.

import Foundation
import RecCore

/// Sends the progress of one operation to the interpreter's sink under one id. Steps are sent
/// at most about 20 times a second, except the first and the last, so that a fast loop does not
/// flood a notebook with updates.
final class ProgressReporter {
    let id: String
    let label: String
    private let sink: OutputSink
    private(set) var step = 0
    private(set) var total: Int
    private(set) var detail: String?
    private var lastSent: UInt64 = 0
    private var sentAny = false
    private var ended = false

    init(_ interpreter: Interpreter, kind: String, label: String, total: Int) {
        interpreter.progressCount += 1
        id = "\(kind)-\(interpreter.progressCount)"
        self.label = label
        self.total = total
        sink = interpreter.sink
    }

    /// `step` of `total` done (a new total when the operation learns it only now).
    func update(_ step: Int, of total: Int? = nil, detail: String? = nil) {
        self.step = step
        if let total { self.total = total }
        if let detail { self.detail = detail }
        let now = DispatchTime.now().uptimeNanoseconds
        guard !sentAny || step >= self.total || now - lastSent >= 50_000_000 else { return }
        lastSent = now
        sentAny = true
        sink.emit(.progress(ProgressUpdate(id: id, label: label, step: step, total: self.total, detail: self.detail, state: .running)))
    }

    /// The final state, once; nothing when no step was ever reported (nothing was drawn).
    func end(_ state: ProgressUpdate.State) {
        guard !ended, sentAny else { return }
        ended = true
        sink.emit(.progress(ProgressUpdate(id: id, label: label, step: step, total: total, detail: detail, state: state)))
    }

    /// Runs `body`, ending with `.finished`, or `.stopped` / `.failed` when it throws.
    func run<T>(_ body: () throws -> T) throws -> T {
        do {
            let v = try body()
            end(.finished)
            return v
        } catch {
            end((error as? RecError)?.kind == .interrupted || error is Cancelled ? .stopped : .failed)
            throw error
        }
    }
}
