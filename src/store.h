/*
 * The incident store: one SQLite file in WAL mode with foreign keys,
 * synchronous=FULL and a busy timeout, its schema versioned in PRAGMA
 * user_version. Every change to an incident runs inside store_begin /
 * store_commit and appends at least one timeline event with store_event.
 */
#ifndef WARROOM_STORE_H
#define WARROOM_STORE_H

#include <sqlite3.h>

#include "util.h"

struct store;

enum {
	STORE_READONLY = 1 << 0, /* SQLITE_OPEN_READONLY and PRAGMA query_only */
	STORE_CREATE = 1 << 1,   /* create the file (mode 0600 at most) and its folder */
};

/*
 * Opens the database at PATH and brings its schema up to date. A file whose
 * user_version is newer than this program knows is refused and left as it
 * is; so is a file that is not a SQLite database. Returns NULL with ERR set.
 */
struct store *store_open(const char *path, int flags, struct wr_error *err);
/*
 * A schema other than the incident store's: its migrations in order (the
 * count is its current user_version) and optional C code run after
 * migration VERSION inside the same transaction.
 */
struct store_schema {
	const char *const *migrations;
	size_t count;
	int (*after_migration)(sqlite3 *db, const char *path, size_t version, struct wr_error *err);
};

/*
 * Opens the database at PATH like store_open, with SCHEMA's migrations in
 * place of the incident store's. Returns NULL with ERR set.
 */
struct store *store_open_schema(const char *path, int flags, const struct store_schema *schema,
				struct wr_error *err);

/* Rolls back an open transaction and closes the store; NULL is allowed. */
void store_close(struct store *st);

/* Returns the store's SQLite connection, which stays owned by the store. */
sqlite3 *store_db(struct store *st);

/*
 * Prepares SQL like sqlite3_prepare_v2, but keeps the statement for the next
 * call with the same text, because preparing an INSERT costs more than
 * running it. Release *STMT with store_finalize, never sqlite3_finalize.
 * Returns an SQLite result code; on error *STMT is NULL.
 */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt);
/* Resets a statement from store_prepare for its next use (finalizes one not kept); NULL is allowed. */
void store_finalize(struct store *st, sqlite3_stmt *stmt);
/* Returns the database path the store was opened with. */
const char *store_path(const struct store *st);
/* Returns nonzero when the store was opened with STORE_READONLY. */
int store_readonly(const struct store *st);

/* Sets how long a write waits for another connection's lock, in milliseconds (5000 by default). */
void store_set_busy_timeout(struct store *st, int ms);

/*
 * Returns the default database path, $XDG_DATA_HOME/warroom/warroom.db
 * ($HOME/.local/share when XDG_DATA_HOME is unset or relative). The caller
 * frees it. Returns NULL when no home folder is known.
 */
char *store_default_path(void);

/*
 * Starts a write transaction (BEGIN IMMEDIATE, retried within the busy
 * timeout). Returns -1 with ERR set when another writer keeps the lock past
 * the timeout, when the store is read-only or a transaction is already open.
 */
int store_begin(struct store *st, struct wr_error *err);
/* Commits the open transaction; on failure rolls it back and returns -1 with ERR set. */
int store_commit(struct store *st, struct wr_error *err);
/* Rolls back the open transaction, if there is one. */
void store_rollback(struct store *st);

/*
 * Appends a timeline event to INCIDENT_ID inside the open transaction, at
 * the current time (clock_now) and with actor_name() as the actor. DETAILS is
 * a printf format for the human-readable line. The event gets the next seq of
 * the incident and a hash chained to the previous event's (see chain.h).
 * Returns -1 with ERR set when no transaction is open or the insert fails
 * (for example an unknown id).
 */
int store_event(struct store *st, const char *incident_id, const char *kind,
		struct wr_error *err, const char *details_fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Allocates the next incident id for the UTC year of NOW inside the open
 * transaction: "INC-YYYY-NNNN", the sequence starting at 1 each year and
 * growing past four digits after 9999. Sets *YEAR and *SEQ too. Returns -1
 * with ERR set when no transaction is open.
 */
int store_next_incident_id(struct store *st, time_t now, char id[32], int *year, int *seq,
			   struct wr_error *err);

/*
 * Sets ERR (WR_FAILED) to "PATH: WHAT: " and the connection's last SQLite
 * error, in plain words for a busy, read-only or corrupt database. Returns -1.
 */
int store_error(struct store *st, struct wr_error *err, const char *what);

#endif
