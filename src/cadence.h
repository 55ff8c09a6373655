/*
 * The update cadence: when the next status update to an audience falls due.
 * Each severity in the playbook sets update_due_minutes (a warning from then)
 * and update_limit_minutes (overdue after that); audiences with
 * follows_cadence follow it. The clock starts at the last update published
 * to the audience, else at the incident's start. Nothing here writes.
 */
#ifndef WARROOM_CADENCE_H
#define WARROOM_CADENCE_H

#include <stddef.h>
#include <time.h>

#include "incident.h"
#include "playbook.h"
#include "store.h"
#include "util.h"

enum cadence_state {
	CADENCE_NONE,    /* no cadence: the audience, severity or incident state has none */
	CADENCE_OK,      /* the next update is not due yet */
	CADENCE_DUE,     /* due_at has passed, limit_at has not */
	CADENCE_OVERDUE, /* limit_at has passed */
};

/* The state of an incident's update cadence for one audience. */
struct cadence {
	int applies;    /* nonzero when a cadence applies; the times below are 0 otherwise */
	time_t last;    /* the clock's start: the last published update, else the incident's start */
	time_t due_at;  /* last + update_due_minutes */
	time_t limit_at; /* last + update_limit_minutes */
	enum cadence_state state;
	/*
	 * Seconds until the next threshold: until due_at while OK, until
	 * limit_at while DUE; negative (seconds past limit_at) while OVERDUE.
	 */
	long seconds_left;
};

/*
 * Computes the cadence of updates to AUDIENCE (a playbook audience id) for
 * INC at NOW. LAST_PUBLISHED_AT is the time of the last update published to
 * that audience, or 0 when there is none. The severity is the incident's,
 * else the suggested one. Resolved and closed incidents, audiences without
 * follows_cadence, unknown ids and severities with update_due_minutes 0 get
 * CADENCE_NONE.
 */
struct cadence cadence_for(const struct playbook *pb, const struct incident *inc,
			   const char *audience, time_t last_published_at, time_t now);

/* The cadence for one audience of an incident; AUDIENCE points into the playbook. */
struct cadence_entry {
	const struct pb_audience *audience;
	struct cadence cadence;
};

/*
 * Computes the cadence at NOW for every playbook audience with
 * follows_cadence, in playbook order, reading the incident and its last
 * published updates from ST. Sets *OUT to an array of *N entries the caller
 * frees with free(). Returns -1 with ERR set when the incident is unknown or
 * the store fails.
 */
int cadence_all(struct store *st, const struct playbook *pb, const char *incident_id, time_t now,
		struct cadence_entry **out, size_t *n, struct wr_error *err);

/*
 * Returns the time an update written at NOW to AUDIENCE can promise the next
 * one by: the audience's due time, or the first applying cadence's when the
 * audience follows none. Once that time has passed, the update about to go
 * out restarts the clock, so the promise is NOW plus the cadence's interval.
 * Returns 0 when no cadence applies or the store fails.
 */
time_t cadence_next_promise(struct store *st, const struct playbook *pb, const char *incident_id,
			    const char *audience, time_t now);

/* Returns "none", "ok", "due" or "overdue". */
const char *cadence_state_name(enum cadence_state state);

/*
 * Returns SECONDS as whole minutes, rounded away from zero, so 30 seconds
 * left reads as 1 minute and 30 seconds past reads as -1.
 */
long cadence_minutes(long seconds);

#endif
