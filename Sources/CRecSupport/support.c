#define _GNU_SOURCE
#include "CRecSupport.h"
#include <pthread.h>
#include <string.h>

volatile sig_atomic_t rec_interrupt_flag = 0;

static void rec_on_sigint(int sig) {
    (void)sig;
    rec_interrupt_flag = 1;
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
    start->body(start->context);
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
