/* When the next status update to each audience falls due; see cadence.h. */
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "updates.h"

/* Returns the severity whose cadence applies: the incident's, else the suggested one. */
static const struct pb_severity *cadence_severity(const struct playbook *pb,
						  const struct incident *inc)
{
	const struct pb_severity *sev = NULL;

	if (inc->severity && *inc->severity)
		sev = playbook_severity(pb, inc->severity);
	if (!sev && inc->suggested_severity && *inc->suggested_severity)
		sev = playbook_severity(pb, inc->suggested_severity);
	return sev;
}

/* Sets *START to the incident's start: started_at, else created_at. */
static int cadence_incident_start(const struct incident *inc, time_t *start)
{
	if (inc->started_at && time_parse_iso8601(inc->started_at, start) == 0)
		return 0;
	if (inc->created_at && time_parse_iso8601(inc->created_at, start) == 0)
		return 0;
	return -1;
}

static int cadence_incident_active(const struct incident *inc)
{
	return inc->status && (strcmp(inc->status, "open") == 0 ||
			       strcmp(inc->status, "mitigated") == 0);
}

struct cadence cadence_for(const struct playbook *pb, const struct incident *inc,
			   const char *audience, time_t last_published_at, time_t now)
{
	struct cadence c = {0};
	const struct pb_audience *aud = playbook_audience(pb, audience);
	const struct pb_severity *sev;
	int limit_minutes;
	time_t start;

	c.state = CADENCE_NONE;
	if (!aud || !aud->follows_cadence || !cadence_incident_active(inc))
		return c;
	sev = cadence_severity(pb, inc);
	if (!sev || sev->update_due_minutes <= 0)
		return c;

	if (last_published_at > 0)
		start = last_published_at;
	else if (cadence_incident_start(inc, &start) != 0)
		return c;

	/* A limit below the due time would make "due" unreachable; treat it as equal. */
	limit_minutes = sev->update_limit_minutes;
	if (limit_minutes < sev->update_due_minutes)
		limit_minutes = sev->update_due_minutes;

	c.applies = 1;
	c.last = start;
	c.due_at = start + (time_t)sev->update_due_minutes * 60;
	c.limit_at = start + (time_t)limit_minutes * 60;

	/* Due from due_at on; overdue only once limit_at has passed. */
	if (now < c.due_at) {
		c.state = CADENCE_OK;
		c.seconds_left = (long)(c.due_at - now);
	} else if (now <= c.limit_at) {
		c.state = CADENCE_DUE;
		c.seconds_left = (long)(c.limit_at - now);
	} else {
		c.state = CADENCE_OVERDUE;
		c.seconds_left = -(long)(now - c.limit_at);
	}
	return c;
}

int cadence_all(struct store *st, const struct playbook *pb, const char *incident_id, time_t now,
		struct cadence_entry **out, size_t *n, struct wr_error *err)
{
	struct incident *inc;
	struct cadence_entry *entries;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	inc = incident_get(st, incident_id, err);
	if (!inc)
		return -1;

	entries = xcalloc(pb->n_audiences, sizeof *entries);
	for (size_t i = 0; i < pb->n_audiences; i++) {
		const struct pb_audience *aud = &pb->audiences[i];
		struct update *last = NULL;
		time_t published = 0;

		if (!aud->follows_cadence)
			continue;
		if (update_latest(st, incident_id, aud->id, "published", &last, err) != 0) {
			free(entries);
			incident_free(inc);
			return -1;
		}
		if (last && last->published_at)
			time_parse_iso8601(last->published_at, &published);
		update_free(last);

		entries[count].audience = aud;
		entries[count].cadence = cadence_for(pb, inc, aud->id, published, now);
		count++;
	}

	incident_free(inc);
	*out = entries;
	*n = count;
	return 0;
}

time_t cadence_next_promise(struct store *st, const struct playbook *pb, const char *incident_id,
			    const char *audience, time_t now)
{
	struct cadence_entry *entries = NULL;
	struct wr_error err = {0};
	const struct cadence *chosen = NULL;
	time_t promise = 0;
	size_t n = 0;

	if (cadence_all(st, pb, incident_id, now, &entries, &n, &err) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!entries[i].cadence.applies)
			continue;
		if (strcmp(entries[i].audience->id, audience) == 0 || !chosen)
			chosen = &entries[i].cadence;
	}
	if (chosen)
		promise = chosen->due_at > now ? chosen->due_at : now + (chosen->due_at - chosen->last);
	free(entries);
	return promise;
}

const char *cadence_state_name(enum cadence_state state)
{
	switch (state) {
	case CADENCE_OK:
		return "ok";
	case CADENCE_DUE:
		return "due";
	case CADENCE_OVERDUE:
		return "overdue";
	case CADENCE_NONE:
		break;
	}
	return "none";
}

long cadence_minutes(long seconds)
{
	if (seconds >= 0)
		return (seconds + 59) / 60;
	return -((-seconds + 59) / 60);
}
