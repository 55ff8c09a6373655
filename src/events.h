/*
 * Reading an incident's timeline: the append-only events table, oldest
 * first, optionally only the events of one kind. The handoff packets, the
 * brief and the post-incident review read it; nothing here writes.
 */
#ifndef WARROOM_EVENTS_H
#define WARROOM_EVENTS_H

#include <stddef.h>

#include "store.h"
#include "util.h"

/* One timeline event. AT is ISO 8601 UTC as stored. */
struct event {
	long long id;
	char *at;
	char *actor;
	char *kind;
	char *details;
};

/*
 * Lists the events of INCIDENT_ID in the order they were written, only
 * those of KIND unless it is NULL. Sets *OUT to *N events the caller frees
 * with events_free. Returns 0, or -1 with ERR set when the store fails.
 */
int events_list(struct store *st, const char *incident_id, const char *kind, struct event **out,
		size_t *n, struct wr_error *err);
/* Frees a list from events_list or events_page; NULL is allowed. */
void events_free(struct event *list, size_t n);

/*
 * Sets *COUNT to the number of events of INCIDENT_ID and *NEWEST_ID to the
 * id of its newest event (0 when it has none). The count is the highest
 * seq plus the rows without one, so it costs index lookups, not a scan of
 * the timeline. It is exact while seq has no gaps, which the append-only
 * events table keeps. Returns 0, or -1 with ERR set when the store fails.
 */
int events_summary(struct store *st, const char *incident_id, size_t *count,
		   long long *newest_id, struct wr_error *err);

/*
 * Lists up to LIMIT events of INCIDENT_ID starting at event id FROM_ID:
 * with DIR < 0 the events whose id is at most FROM_ID, newest first; with
 * DIR > 0 those whose id is at least FROM_ID, oldest first. Reads only the
 * rows it returns, so a screenful costs the same in a timeline of any
 * length. Sets *OUT to *N events the caller frees with events_free.
 * Returns 0, or -1 with ERR set when the store fails.
 */
int events_page(struct store *st, const char *incident_id, long long from_id, int dir,
		size_t limit, struct event **out, size_t *n, struct wr_error *err);

#endif
