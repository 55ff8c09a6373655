/* Reading an incident's timeline; see events.h. */
#include <stdint.h>
#include <stdlib.h>

#include "events.h"

static char *events_column(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	return xstrdup(text ? (const char *)text : "");
}

/*
 * Steps STMT, whose columns are id, at, actor, kind and details, to its end
 * and releases it with store_finalize. Returns 0 with the rows in *OUT and
 * *N, or -1 with ERR set.
 */
static int events_read(struct store *st, sqlite3_stmt *stmt, struct event **out, size_t *n,
		       struct wr_error *err)
{
	struct event *list = NULL;
	size_t count = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			list = xrealloc(list, cap * sizeof *list);
		}
		list[count].id = sqlite3_column_int64(stmt, 0);
		list[count].at = events_column(stmt, 1);
		list[count].actor = events_column(stmt, 2);
		list[count].kind = events_column(stmt, 3);
		list[count].details = events_column(stmt, 4);
		count++;
	}
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		events_free(list, count);
		return store_error(st, err, "reading the timeline");
	}

	*out = list;
	*n = count;
	return 0;
}

int events_list(struct store *st, const char *incident_id, const char *kind, struct event **out,
		size_t *n, struct wr_error *err)
{
	sqlite3_stmt *stmt;

	*out = NULL;
	*n = 0;
	if (store_prepare(st,
			  "SELECT id, at, actor, kind, details FROM events"
			  " WHERE incident_id = ?1 AND (?2 IS NULL OR kind = ?2) ORDER BY id",
			  &stmt) != SQLITE_OK)
		return store_error(st, err, "reading the timeline");
	sqlite3_bind_text(stmt, 1, incident_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
	return events_read(st, stmt, out, n, err);
}

int events_page(struct store *st, const char *incident_id, long long from_id, int dir,
		size_t limit, struct event **out, size_t *n, struct wr_error *err)
{
	static const char *const older =
		"SELECT id, at, actor, kind, details FROM events"
		" WHERE incident_id = ?1 AND id <= ?2 ORDER BY id DESC LIMIT ?3";
	static const char *const newer =
		"SELECT id, at, actor, kind, details FROM events"
		" WHERE incident_id = ?1 AND id >= ?2 ORDER BY id LIMIT ?3";
	sqlite3_stmt *stmt;

	*out = NULL;
	*n = 0;
	if (store_prepare(st, dir < 0 ? older : newer, &stmt) != SQLITE_OK)
		return store_error(st, err, "reading the timeline");
	sqlite3_bind_text(stmt, 1, incident_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, from_id);
	sqlite3_bind_int64(stmt, 3, limit > INT64_MAX ? INT64_MAX : (sqlite3_int64)limit);
	return events_read(st, stmt, out, n, err);
}

int events_summary(struct store *st, const char *incident_id, size_t *count,
		   long long *newest_id, struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	*count = 0;
	*newest_id = 0;

	/*
	 * store_event numbers an incident's events 1, 2, 3... in seq, so the
	 * highest seq counts them through one index lookup. Rows without a seq
	 * (written before the chain existed, or outside warroom) are counted on
	 * their own. The unique index on (incident_id, seq) keeps them together
	 * at its NULL end, so counting them reads only those rows.
	 */
	if (store_prepare(st,
			  "SELECT (SELECT max(id) FROM events WHERE incident_id = ?1),"
			  " (SELECT coalesce(max(seq), 0) FROM events WHERE incident_id = ?1)"
			  " + (SELECT count(*) FROM events WHERE incident_id = ?1 AND seq IS NULL)",
			  &stmt) != SQLITE_OK)
		return store_error(st, err, "reading the timeline");
	sqlite3_bind_text(stmt, 1, incident_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*newest_id = sqlite3_column_int64(stmt, 0);
		*count = (size_t)sqlite3_column_int64(stmt, 1);
	}
	store_finalize(st, stmt);
	if (rc != SQLITE_ROW)
		return store_error(st, err, "reading the timeline");
	return 0;
}

void events_free(struct event *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].at);
		free(list[i].actor);
		free(list[i].kind);
		free(list[i].details);
	}
	free(list);
}
