#define _GNU_SOURCE
#include "CRecSupport.h"
#include <pthread.h>
#include <string.h>

volatile sig_atomic_t rec_interrupt_flag = 0;

/* The thread whose blocking read() a Ctrl-C must interrupt (the REPL's worker). The kernel sends
   SIGINT to the process, which hands it to any thread that does not block it: OpenBLAS starts its
   worker threads when the library loads, before we could block the signal in them. A handler
   running on another thread passes the signal on, so the reader still sees EINTR. */
static pthread_t rec_signal_target;
static volatile sig_atomic_t rec_has_signal_target = 0;

static void rec_on_sigint(int sig) {
    rec_interrupt_flag = 1;
    if (rec_has_signal_target && !pthread_equal(pthread_self(), rec_signal_target))
        pthread_kill(rec_signal_target, sig);   /* async-signal-safe (POSIX.1-2008) */
}

void rec_install_interrupt_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = rec_on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
}

void rec_restore_default_interrupt(void) {
    signal(SIGINT, SIG_DFL);
}

struct rec_thread_start { void (*body)(void *); void *context; };

static void *rec_thread_main(void *arg) {
    struct rec_thread_start *start = arg;
    rec_signal_target = pthread_self();
    rec_has_signal_target = 1;
    start->body(start->context);
    rec_has_signal_target = 0;
    return NULL;
}

int rec_run_with_stack(size_t stack_bytes, void (*body)(void *), void *context) {
    pthread_attr_t attr;
    pthread_t thread;
    struct rec_thread_start start = { body, context };
    int rc = pthread_attr_init(&attr);
    if (rc != 0) return rc;
    rc = pthread_attr_setstacksize(&attr, stack_bytes);
    if (rc == 0) rc = pthread_create(&thread, &attr, rec_thread_main, &start);
    pthread_attr_destroy(&attr);
    if (rc != 0) return rc;
    /* The waiting thread must not take SIGINT: the signal has to interrupt the worker's read()
       (Ctrl-C at the REPL prompt), and the flag it sets is polled there anyway. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    rc = pthread_join(thread, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int rec_current_stack_bounds(uintptr_t *low, size_t *size) {
    pthread_attr_t attr;
    void *addr = NULL;
    size_t len = 0;
    int rc = pthread_getattr_np(pthread_self(), &attr);
    if (rc != 0) return rc;
    rc = pthread_attr_getstack(&attr, &addr, &len);
    pthread_attr_destroy(&attr);
    if (rc != 0) return rc;
    *low = (uintptr_t)addr;
    *size = len;
    return 0;
}
