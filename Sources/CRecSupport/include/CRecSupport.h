#ifndef REC_SUPPORT_H
#define REC_SUPPORT_H
#include <stdint.h>
#include <signal.h>

/// Set by the SIGINT handler; polled by the interpreter at loop back-edges and calls so that
/// Ctrl-C stops the running computation instead of the process.
extern volatile sig_atomic_t rec_interrupt_flag;

/// Installs a SIGINT handler that only raises `rec_interrupt_flag` (no SA_RESTART, so a blocking
/// read returns EINTR). Idempotent.
void rec_install_interrupt_handler(void);
/// Restores the default SIGINT disposition (used for non-interactive runs that want to die on ^C).
void rec_restore_default_interrupt(void);

static inline int rec_interrupt_pending(void) { return rec_interrupt_flag != 0; }
static inline void rec_interrupt_clear(void) { rec_interrupt_flag = 0; }
static inline void rec_interrupt_raise(void) { rec_interrupt_flag = 1; }

/// Address of the current native stack frame: compared against the thread's stack limit so that a
/// runaway recursion becomes a Rec error long before a real stack overflow.
static inline uintptr_t rec_stack_address(void) { return (uintptr_t)__builtin_frame_address(0); }

/// The current thread's stack as [low, low + size). Returns 0 on success.
int rec_current_stack_bounds(uintptr_t *low, size_t *size);

/// Runs `body(context)` on a new thread with a stack of `stack_bytes` and waits for it.
/// Returns 0 on success, an errno value otherwise.
int rec_run_with_stack(size_t stack_bytes, void (*body)(void *), void *context);

#endif
