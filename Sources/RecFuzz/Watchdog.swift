import CRecSupport
import Foundation

/// Ends runaway programs: while armed past its deadline, it keeps raising the interpreter's
/// interrupt flag (as Ctrl-C would), so loops and calls stop with an `interrupted` error. It
/// keeps raising rather than raising once because `fit()` clears the flag when it starts.
/// Work that never polls the flag (a long computation inside one builtin) is caught by
/// libFuzzer's own -timeout instead.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var deadline: UInt64 = 0
    private var started = false

    /// Arms for `seconds` from now.
    func arm(seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        if !started {
            started = true
            let t = Thread { [unowned self] in self.loop() }
            t.name = "rec-fuzz-watchdog"
            t.start()
        }
    }

    /// Disarms and clears the flag, under the lock, so that a late raise cannot leak into the
    /// next input.
    func disarm() {
        lock.lock()
        deadline = 0
        rec_interrupt_clear()
        lock.unlock()
    }

    private func loop() {
        while true {
            usleep(20_000)
            lock.lock()
            if deadline != 0 && DispatchTime.now().uptimeNanoseconds > deadline { rec_interrupt_raise() }
            lock.unlock()
        }
    }
}
