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

/* One byte of terminal input, or EOF at end of input, or REC_GETC_INTERRUPT when Ctrl-C
   arrived. Ctrl-C raises SIGINT; our handler is installed without SA_RESTART, so read() fails
   with EINTR. (libedit's own signal handling, which would swallow the first ^C, is off.) Should
   the terminal deliver ^C as a byte instead (ISIG off), it is treated the same way. */
#define REC_GETC_INTERRUPT (-2)
static int rec_pushed_back = -1;

static int rec_read_byte(FILE *in) {
    if (rec_pushed_back >= 0) {
        int c = rec_pushed_back;
        rec_pushed_back = -1;
        return c;
    }
    unsigned char c;
    for (;;) {
        ssize_t n = read(fileno(in), &c, 1);
        if (n == 1) return c == 3 ? REC_GETC_INTERRUPT : c;
        if (n < 0 && errno == EINTR) {
            if (rec_interrupt_flag) return REC_GETC_INTERRUPT;
            continue;
        }
        return EOF;
    }
}

/* libedit reads every key through this function, and its readline layer stores each return
   value as one wchar_t: a key must therefore be a whole Unicode scalar, not a byte. Terminal
   input is decoded as UTF-8 whatever the locale says (Rec source is UTF-8, and LineReader makes
   LC_CTYPE a UTF-8 one). A byte that cannot start or continue a sequence becomes U+FFFD; the
   byte that broke a sequence is read again as the start of the next key, so nothing typed after
   a stray byte is lost. Ending the read (EOF) makes readline() return NULL; after Ctrl-C the
   REPL sees rec_interrupted and discards the line. */
static int rec_getc(FILE *in) {
    int c = rec_read_byte(in);
    if (c == REC_GETC_INTERRUPT) { rec_interrupted = 1; return EOF; }
    if (c == EOF || c < 0x80) return c;
    int more, scalar;
    unsigned char low = 0x80, high = 0xBF; /* allowed range of the first continuation byte */
    if (c >= 0xC2 && c <= 0xDF) { more = 1; scalar = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) {
        more = 2; scalar = c & 0x0F;
        if (c == 0xE0) low = 0xA0;        /* overlong */
        if (c == 0xED) high = 0x9F;       /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3; scalar = c & 0x07;
        if (c == 0xF0) low = 0x90;        /* overlong */
        if (c == 0xF4) high = 0x8F;       /* beyond U+10FFFF */
    } else {
        return 0xFFFD;
    }
    for (int i = 0; i < more; i++) {
        int next = rec_read_byte(in);
        if (next == REC_GETC_INTERRUPT) { rec_interrupted = 1; return EOF; }
        if (next == EOF) return 0xFFFD;   /* the following call reports the end */
        if (next < low || next > high) {
            rec_pushed_back = next;
            return 0xFFFD;
        }
        scalar = (scalar << 6) | (next & 0x3F);
        low = 0x80; high = 0xBF;
    }
    return scalar;
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

/* The byte offset of the `chars`-th character of a UTF-8 string (its length if shorter). */
static int rec_utf8_offset(const char *s, int chars) {
    int i = 0;
    for (; s[i] != '\0'; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {   /* a character starts here */
            if (chars == 0) break;
            chars--;
        }
    }
    return i;
}

/* libedit passes `end` in characters (its line is wide), while rl_line_buffer holds bytes: the
   completer is given the cursor as a byte offset, as its type promises. */
static char **rec_attempted_completion(const char *text, int start, int end) {
    (void)start;
    rl_attempted_completion_over = 1; /* never fall back to filename completion */
    if (rec_completer == NULL) return NULL;
    if (rec_pending != NULL) { /* a previous round was abandoned */
        for (int i = rec_pending_index; rec_pending[i] != NULL; i++) free(rec_pending[i]);
        free(rec_pending);
        rec_pending = NULL;
    }
    rec_pending = rec_completer(rl_line_buffer, rec_utf8_offset(rl_line_buffer, end), text);
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
