#include "CEditLine.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <editline/readline.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>

static rec_completer_fn rec_completer = NULL;
static int rec_interrupted = 0;

/* The interpreter's SIGINT flag (CRecSupport). */
extern volatile sig_atomic_t rec_interrupt_flag;

/* libedit reads every key through this function. Ctrl-C raises SIGINT; our handler is installed
   without SA_RESTART, so read() fails with EINTR and ending the read makes readline() return
   NULL; the REPL sees the flag and discards the line. (libedit's own signal handling, which
   would swallow the first ^C, is off.) Should the terminal deliver ^C as a byte instead (ISIG
   off), it is treated the same way. */
static int rec_getc(FILE *in) {
    unsigned char c;
    for (;;) {
        ssize_t n = read(fileno(in), &c, 1);
        if (n == 1) {
            if (c == 3) { rec_interrupted = 1; return EOF; }
            return c;
        }
        if (n < 0 && errno == EINTR) {
            if (rec_interrupt_flag) { rec_interrupted = 1; return EOF; }
            continue;
        }
        return EOF;
    }
}

static char **rec_pending = NULL;
static int rec_pending_index = 0;

/* readline's generator protocol: called repeatedly with state 0,1,2… returning one match each. */
static char *rec_generator(const char *text, int state) {
    (void)text;
    if (state == 0) rec_pending_index = 0;
    if (rec_pending == NULL) return NULL;
    char *next = rec_pending[rec_pending_index];
    if (next == NULL) {
        free(rec_pending);
        rec_pending = NULL;
        return NULL;
    }
    rec_pending_index++;
    return next; /* ownership passes to libedit */
}

static char **rec_attempted_completion(const char *text, int start, int end) {
    (void)start;
    rl_attempted_completion_over = 1; /* never fall back to filename completion */
    if (rec_completer == NULL) return NULL;
    if (rec_pending != NULL) { /* a previous round was abandoned */
        for (int i = rec_pending_index; rec_pending[i] != NULL; i++) free(rec_pending[i]);
        free(rec_pending);
        rec_pending = NULL;
    }
    rec_pending = rec_completer(rl_line_buffer, end, text);
    if (rec_pending == NULL || rec_pending[0] == NULL) {
        free(rec_pending);
        rec_pending = NULL;
        return NULL;
    }
    return rl_completion_matches(text, rec_generator);
}

void rec_el_initialize(const char *program_name, rec_completer_fn completer) {
    rl_readline_name = (char *)program_name;
    rec_completer = completer;
    rl_attempted_completion_function = rec_attempted_completion;
    /* Words break at the punctuation of the language, but not at '.' or '/', so that member and
       path completion see the whole prefix. */
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{([,+-*%!:";
    rl_completion_append_character = '\0';
    rl_catch_signals = 0;
    rl_getc_function = rec_getc;
    rl_initialize();
    /* Incremental reverse search on Ctrl-R, as in bash. */
    rl_parse_and_bind("bind ^R em-inc-search-prev");
}

char *rec_el_readline(const char *prompt) {
    rec_interrupted = 0;
    return readline(prompt);
}
int rec_el_take_interrupt(void) {
    int was = rec_interrupted;
    rec_interrupted = 0;
    return was;
}
void rec_el_add_history(const char *line) { add_history(line); }
int rec_el_read_history(const char *path) { return read_history(path); }
int rec_el_write_history(const char *path) { return write_history(path); }
void rec_el_stifle_history(int max) { stifle_history(max); }
int rec_el_history_length(void) { return history_length; }
void rec_el_reset_line(void) {
    rl_replace_line("", 0);
}
