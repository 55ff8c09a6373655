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
/* Frees a list from events_list; NULL is allowed. */
void events_free(struct event *list, size_t n);

#endif
