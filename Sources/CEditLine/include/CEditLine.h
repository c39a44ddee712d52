#ifndef REC_EDITLINE_H
#define REC_EDITLINE_H
#include <stddef.h>

/// Thin shim over libedit's readline-compatible API. Swift cannot call libedit's variadic
/// `el_set`, and keeping all libedit symbols behind this header keeps the REPL target portable.

/// Called with the current line, the cursor offset (bytes) and the word being completed; returns a
/// malloc'ed NULL-terminated array of malloc'ed candidate strings (or NULL for none).
typedef char **(*rec_completer_fn)(const char *line, int cursor, const char *word);

void rec_el_initialize(const char *program_name, rec_completer_fn completer);
/// Reads one line with `prompt`; returns a malloc'ed string or NULL on EOF/interrupt.
char *rec_el_readline(const char *prompt);
/// Whether the last rec_el_readline ended because of Ctrl-C (clears the flag).
int rec_el_take_interrupt(void);
void rec_el_add_history(const char *line);
int rec_el_read_history(const char *path);
int rec_el_write_history(const char *path);
void rec_el_stifle_history(int max);
int rec_el_history_length(void);
/// Clears libedit's notion of the current line after an interrupted read.
void rec_el_reset_line(void);

#endif
