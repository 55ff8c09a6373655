/*
 * Helpers the step modules share (steps.c, hypothesis.c, checklist.c,
 * steps_resolve.c, payment_window.c, review.c, steps_status.c): the
 * transaction around each change, SQL statements with typed parameters, and
 * input clean-up. Internal to the core; other modules use steps.h.
 */
#ifndef WARROOM_STEPS_UTIL_H
#define WARROOM_STEPS_UTIL_H

#include <sqlite3.h>

#include "incident.h"
#include "store.h"
#include "util.h"

/* Whether steps_begin lets the change go ahead on a closed incident. */
enum {
	STEPS_OPEN_ONLY = 0, /* steps 1-6: a closed incident must be reopened first */
	STEPS_ALLOW_CLOSED = 1, /* review, notes, decisions, approvals, payment windows */
};

/*
 * Starts a write transaction and reads incident ID inside it. Returns the
 * record (freed by steps_commit or steps_abort), or NULL with ERR set and
 * no transaction open: WR_BAD_INPUT when ID does not exist, WR_FAILED when
 * it is closed and MODE is STEPS_OPEN_ONLY.
 */
struct incident *steps_begin(struct store *st, const char *id, int mode, struct wr_error *err);

/* Returns 0 when incident ID exists, else -1 with ERR set (WR_BAD_INPUT, as incident_get). */
int steps_check_incident(struct store *st, const char *id, struct wr_error *err);

/* Commits and frees INC; returns 0, or -1 with ERR set after rolling back. */
int steps_commit(struct store *st, struct incident *inc, struct wr_error *err);

/* Rolls back and frees INC; returns -1 so that callers can `return steps_abort(...)`. */
int steps_abort(struct store *st, struct incident *inc);

/* Rolls back a transaction that had nothing to change, frees INC and returns 0. */
int steps_unchanged(struct store *st, struct incident *inc);

/*
 * Prepares SQL and binds one parameter per character of TYPES: 's' a
 * const char * (NULL binds NULL), 'i' a long long, 'd' an int. Returns the
 * statement, which the caller releases with store_finalize (it may be kept
 * for the next call), or NULL with ERR set.
 */
sqlite3_stmt *steps_prepare(struct store *st, struct wr_error *err, const char *sql,
			    const char *types, ...);

/* Runs a statement that returns no rows, with parameters as for steps_prepare; 0 or -1 with ERR. */
int steps_exec(struct store *st, struct wr_error *err, const char *sql, const char *types, ...);

/* Returns a copy of column COL of the current row, or NULL when it is NULL. */
char *steps_column(sqlite3_stmt *stmt, int col);

/* Returns a copy of S without leading and trailing white space; NULL for NULL. */
char *steps_trim(const char *s);

/* Writes the current time (clock_now) as UTC ISO 8601 into OUT. */
void steps_now(char out[21]);

/*
 * Parses TEXT, the value of FIELD, as an ISO 8601 time and writes it as
 * UTC "YYYY-MM-DDTHH:MM:SSZ" into OUT. A time later than now is refused.
 * Returns 0, or -1 with ERR set (WR_BAD_INPUT).
 */
int steps_parse_time(const char *field, const char *text, char out[21], struct wr_error *err);

/* Returns S, or "(none)" when S is NULL or blank, for "old → new" details. */
const char *steps_or_none(const char *s);

/* Returns nonzero when A and B are both NULL or equal strings. */
int steps_same(const char *a, const char *b);

#endif
