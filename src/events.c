/* Reading an incident's timeline; see events.h. */
#include <stdlib.h>

#include "events.h"

static char *events_column(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	return xstrdup(text ? (const char *)text : "");
}

int events_list(struct store *st, const char *incident_id, const char *kind, struct event **out,
		size_t *n, struct wr_error *err)
{
	struct event *list = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	rc = sqlite3_prepare_v2(store_db(st),
				"SELECT id, at, actor, kind, details FROM events"
				" WHERE incident_id = ?1 AND (?2 IS NULL OR kind = ?2) ORDER BY id",
				-1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_error(st, err, "reading the timeline");
	sqlite3_bind_text(stmt, 1, incident_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);

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
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		events_free(list, count);
		return store_error(st, err, "reading the timeline");
	}

	*out = list;
	*n = count;
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
