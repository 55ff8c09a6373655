/*
 * Small helpers every core module uses: allocation that stops the program
 * cleanly when memory runs out, a growable string buffer, the error record
 * that core calls fill in, and the clock.
 */
#ifndef WARROOM_UTIL_H
#define WARROOM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

/* Exit statuses shared by the command line and the core's error records. */
enum {
	WR_OK = 0,
	WR_FAILED = 1,    /* a check failed or the store refused the change */
	WR_BAD_INPUT = 2, /* bad usage, bad input file, bad playbook */
};

/* An error a core call reports: the exit status that fits it and a one-line message. */
struct wr_error {
	int status;
	char message[1024];
};

/* Fills in an error record; returns -1 so callers can write `return error_set(...)`. */
int error_set(struct wr_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A growable, always NUL-terminated byte string. An empty buffer owns no
 * memory, so one that is never added to needs no sb_free.
 */
struct strbuf {
	char *data;
	size_t len;
	size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Returns the buffer's string, which the caller frees, and leaves the buffer empty. */
char *sb_take(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/*
 * Returns the current time. WARROOM_NOW (ISO 8601, UTC) fixes the clock so
 * that tests and demos get the same cadence and durations on every run.
 */
time_t clock_now(void);

/*
 * Writes T as "YYYY-MM-DDTHH:MM:SSZ" into OUT, which has room for 21 bytes.
 * A year outside 0000..9999 is written as 0000 or 9999.
 */
void time_format_utc(time_t t, char out[21]);

/*
 * Parses an ISO 8601 time: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", with optional
 * seconds, fraction and "Z" or "+HH:MM" offset; no offset means UTC.
 * Returns 0 and sets *T, or -1 when TEXT is not such a time or the offset
 * moves it out of the years 0000..9999.
 */
int time_parse_iso8601(const char *text, time_t *t);

/* Returns the name recorded as the actor of changes: WARROOM_ACTOR, else the login name. */
const char *actor_name(void);

/* Returns nonzero when S is NULL or holds only white space. */
int str_blank(const char *s);

/*
 * Returns the number of single-character insertions, deletions and
 * substitutions that turn A into B, or LIMIT + 1 when it is more than LIMIT
 * or either string is longer than 128 bytes. For "did you mean" hints.
 */
size_t str_distance(const char *a, const char *b, size_t limit);

#endif
