/*
 * Handovers between commanders: the outgoing commander starts one with a
 * brief for a named person, and command moves when that person
 * acknowledges it. Until then the lease stays where it is. See lease.h.
 *
 * A handover's state is derived, not stored: acknowledged once
 * acknowledged_at is set, replaced when a newer handover of the incident
 * exists, outdated when command has passed to someone other than its
 * outgoing commander, and pending otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "lease.h"
#include "steps.h"
#include "steps_util.h"

/* Appends the severity line: the set severity, and the suggestion when it differs or is all there is. */
static void brief_severity(struct strbuf *sb, const struct incident *inc)
{
	sb_add(sb, "Severity: ");
	if (!str_blank(inc->severity))
		sb_add(sb, inc->severity);
	else
		sb_add(sb, "not set");
	if (!str_blank(inc->suggested_severity) && !steps_same(inc->severity,
							       inc->suggested_severity))
		sb_addf(sb, " (suggested %s)", inc->suggested_severity);
	sb_addc(sb, '\n');
}

/* Appends each incomplete step with what it misses. */
static int brief_steps(struct strbuf *sb, struct store *st, const struct playbook *pb,
		       const char *id, struct wr_error *err)
{
	struct step_status *list;
	size_t n, open = 0;

	if (step_statuses(st, pb, id, &list, &n, err) < 0)
		return -1;
	sb_add(sb, "Open steps:\n");
	for (size_t i = 0; i < n; i++) {
		const struct pb_step *step = playbook_step(pb, list[i].step_id);

		if (list[i].complete)
			continue;
		open++;
		sb_add(sb, "  ");
		if (step)
			sb_addf(sb, "%d ", step->number);
		sb_addf(sb, "%s missing: %s\n", list[i].step_id, list[i].missing);
	}
	if (!open)
		sb_add(sb, "  none: every step is complete\n");
	step_statuses_free(list, n);
	return 0;
}

/* Appends the hypotheses that are neither confirmed nor rejected. */
static int brief_hypotheses(struct strbuf *sb, struct store *st, const char *id,
			    struct wr_error *err)
{
	struct hypothesis *list;
	size_t n, open = 0;

	if (hypothesis_list(st, id, &list, &n, err) < 0)
		return -1;
	sb_add(sb, "Unconfirmed hypotheses:\n");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list[i].status, "unconfirmed") != 0)
			continue;
		open++;
		sb_addf(sb, "  %lld. %s\n", list[i].id, list[i].text);
	}
	if (!open)
		sb_add(sb, "  none\n");
	hypothesis_list_free(list, n);
	return 0;
}

/* Appends when the next update to each audience that follows the cadence is due. */
static int brief_cadence(struct strbuf *sb, struct store *st, const struct playbook *pb,
			 const char *id, struct wr_error *err)
{
	struct cadence_entry *entries;
	size_t n, shown = 0;
	char due_at[21];

	if (cadence_all(st, pb, id, clock_now(), &entries, &n, err) < 0)
		return -1;
	sb_add(sb, "Next status updates:\n");
	for (size_t i = 0; i < n; i++) {
		const struct cadence *c = &entries[i].cadence;
		long minutes = cadence_minutes(c->seconds_left);

		if (!c->applies)
			continue;
		shown++;
		time_format_utc(c->due_at, due_at);
		sb_addf(sb, "  %s: due %s, ", entries[i].audience->label, due_at);
		if (c->state == CADENCE_OK)
			sb_addf(sb, "in %ld min\n", minutes);
		else if (c->state == CADENCE_DUE)
			sb_addf(sb, "due now, overdue in %ld min\n", minutes);
		else
			sb_addf(sb, "overdue by %ld min\n", -minutes);
	}
	if (!shown)
		sb_add(sb, "  none due: no update cadence applies now\n");
	free(entries);
	return 0;
}

int handover_default_brief(struct store *st, const struct playbook *pb, const char *incident_id,
			   char **out, struct wr_error *err)
{
	struct incident *inc;
	struct strbuf sb;

	*out = NULL;
	inc = incident_get(st, incident_id, err);
	if (!inc)
		return -1;

	sb_init(&sb);
	sb_addf(&sb, "%s: %s\n", inc->id, inc->summary);
	brief_severity(&sb, inc);
	sb_addf(&sb, "Status: %s\n", inc->status);
	if (brief_steps(&sb, st, pb, inc->id, err) < 0 ||
	    brief_hypotheses(&sb, st, inc->id, err) < 0 ||
	    brief_cadence(&sb, st, pb, inc->id, err) < 0) {
		sb_free(&sb);
		incident_free(inc);
		return -1;
	}
	incident_free(inc);
	*out = sb_take(&sb);
	return 0;
}

/* Reads incident ID's lease. The handover rules use only its holder, so the default stale limit does. */
static int current_lease(struct store *st, const char *id, struct lease *out,
			 struct wr_error *err)
{
	return lease_get(st, id, LEASE_STALE_SECONDS, out, err);
}

int handover_start(struct store *st, const struct playbook *pb, const char *incident_id,
		   const struct lease_holder *me, const char *to_name, const char *brief,
		   long long *new_id, struct wr_error *err)
{
	struct incident *inc;
	struct lease lease;
	char *to = NULL, *text = NULL;
	char now[21];
	long long hid;

	if (!me || str_blank(me->name))
		return error_set(err, WR_BAD_INPUT, "a handover needs the outgoing commander's name");
	if (str_blank(to_name))
		return error_set(err, WR_BAD_INPUT, "missing the incoming commander's name for the "
				 "handover");

	inc = steps_begin(st, incident_id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	to = steps_trim(to_name);
	if (strcmp(to, me->name) == 0) {
		error_set(err, WR_BAD_INPUT, "%s cannot hand %s over to themselves; name the incoming "
			  "commander", me->name, inc->id);
		goto fail;
	}
	if (current_lease(st, inc->id, &lease, err) < 0)
		goto fail;
	if (!lease.held) {
		error_set(err, WR_FAILED, "nobody commands %s, so there is nothing to hand over; "
			  "take command first", inc->id);
		goto fail;
	}
	if (strcmp(lease.holder.name, me->name) != 0) {
		struct strbuf sb;

		sb_init(&sb);
		lease_describe(&lease, &sb);
		error_set(err, WR_FAILED, "only the commander of %s can hand it over, and that is %s",
			  inc->id, sb.data);
		sb_free(&sb);
		goto fail;
	}

	if (str_blank(brief)) {
		if (handover_default_brief(st, pb, inc->id, &text, err) < 0)
			goto fail;
	} else {
		text = steps_trim(brief);
	}

	steps_now(now);
	if (steps_exec(st, err, "INSERT INTO handovers (incident_id, from_holder, to_holder, brief, "
		       "created_at) VALUES (?, ?, ?, ?, ?)", "sssss", inc->id, me->name, to, text,
		       now) < 0)
		goto fail;
	hid = sqlite3_last_insert_rowid(store_db(st));
	if (store_event(st, inc->id, "handover-started", err, "handover %lld started: %s → %s; "
			"command stays with %s until %s acknowledges it", hid, me->name, to, me->name,
			to) < 0)
		goto fail;
	free(to);
	free(text);
	if (steps_commit(st, inc, err) < 0)
		return -1;
	if (new_id)
		*new_id = hid;
	return 0;

fail:
	free(to);
	free(text);
	return steps_abort(st, inc);
}

/* Reads handover HID of incident ID and whether a newer one exists; -1 with ERR set. */
static int handover_read(struct store *st, const char *id, long long hid, struct handover *out,
			 int *newer, struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	memset(out, 0, sizeof *out);
	stmt = steps_prepare(st, err, "SELECT id, from_holder, to_holder, brief, created_at, "
			     "acknowledged_at, EXISTS (SELECT 1 FROM handovers AS later WHERE "
			     "later.incident_id = handovers.incident_id AND later.id > handovers.id) "
			     "FROM handovers WHERE id = ? AND incident_id = ?", "is", hid, id);
	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		out->from_holder = steps_column(stmt, 1);
		out->to_holder = steps_column(stmt, 2);
		out->brief = steps_column(stmt, 3);
		out->created_at = steps_column(stmt, 4);
		out->acknowledged_at = steps_column(stmt, 5);
		*newer = sqlite3_column_int(stmt, 6);
	} else if (rc == SQLITE_DONE) {
		error_set(err, WR_BAD_INPUT, "handover %lld not found on %s", hid, id);
	} else {
		store_error(st, err, "cannot read the handover");
	}
	store_finalize(st, stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

static void handover_clear(struct handover *h)
{
	free(h->from_holder);
	free(h->to_holder);
	free(h->brief);
	free(h->created_at);
	free(h->acknowledged_at);
}

/* Returns the state of handover H, given whether a newer one exists and the current lease. */
static const char *handover_state(const struct handover *h, int newer, const struct lease *lease)
{
	if (h->acknowledged_at)
		return "acknowledged";
	if (newer)
		return "replaced";
	if (lease->held && strcmp(lease->holder.name, h->from_holder) != 0)
		return "outdated";
	return "pending";
}

int handover_acknowledge(struct store *st, const char *incident_id, long long handover_id,
			 const struct lease_holder *me, struct wr_error *err)
{
	struct incident *inc;
	struct handover h;
	struct lease lease;
	const char *state;
	char now[21];
	int newer = 0;

	if (!me || str_blank(me->name) || str_blank(me->host) || me->pid <= 0)
		return error_set(err, WR_BAD_INPUT, "acknowledging a handover needs the incoming "
				 "commander's name, host and process id");

	inc = steps_begin(st, incident_id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	if (handover_read(st, inc->id, handover_id, &h, &newer, err) < 0)
		return steps_abort(st, inc);
	if (current_lease(st, inc->id, &lease, err) < 0)
		goto fail;

	if (strcmp(h.to_holder, me->name) != 0) {
		error_set(err, WR_FAILED, "handover %lld of %s is to %s, not to %s; only %s can "
			  "acknowledge it", h.id, inc->id, h.to_holder, me->name, h.to_holder);
		goto fail;
	}
	state = handover_state(&h, newer, &lease);
	if (strcmp(state, "acknowledged") == 0) {
		error_set(err, WR_FAILED, "handover %lld of %s was acknowledged at %s already", h.id,
			  inc->id, h.acknowledged_at);
		goto fail;
	}
	if (strcmp(state, "replaced") == 0) {
		error_set(err, WR_FAILED, "handover %lld of %s was replaced by a newer handover; "
			  "acknowledge the newest one", h.id, inc->id);
		goto fail;
	}
	if (strcmp(state, "outdated") == 0) {
		error_set(err, WR_FAILED, "handover %lld of %s is outdated: %s started it, but %s "
			  "commands now; ask %s for a new handover", h.id, inc->id, h.from_holder,
			  lease.holder.name, lease.holder.name);
		goto fail;
	}

	steps_now(now);
	if (steps_exec(st, err, "UPDATE handovers SET acknowledged_at = ? WHERE id = ?", "si", now,
		       h.id) < 0 ||
	    steps_exec(st, err, "INSERT OR REPLACE INTO leases (incident_id, holder, host, pid, "
		       "taken_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)", "sssiss", inc->id,
		       me->name, me->host, (long long)me->pid, now, now) < 0)
		goto fail;
	if (store_event(st, inc->id, "handover-acknowledged", err, "handover %lld acknowledged: "
			"command passed from %s to %s@%s (pid %ld)", h.id, h.from_holder, me->name,
			me->host, me->pid) < 0)
		goto fail;
	handover_clear(&h);
	return steps_commit(st, inc, err);

fail:
	handover_clear(&h);
	return steps_abort(st, inc);
}

int handover_list(struct store *st, const char *incident_id, struct handover **out, size_t *n,
		  struct wr_error *err)
{
	struct handover *list = NULL;
	size_t count = 0, cap = 0;
	struct lease lease;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (current_lease(st, incident_id, &lease, err) < 0)
		return -1;
	stmt = steps_prepare(st, err, "SELECT id, from_holder, to_holder, brief, created_at, "
			     "acknowledged_at FROM handovers WHERE incident_id = ? ORDER BY id", "s",
			     incident_id);
	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct handover *h;

		if (count == cap) {
			cap = cap ? cap * 2 : 4;
			list = xrealloc(list, cap * sizeof *list);
		}
		h = &list[count++];
		h->id = sqlite3_column_int64(stmt, 0);
		h->from_holder = steps_column(stmt, 1);
		h->to_holder = steps_column(stmt, 2);
		h->brief = steps_column(stmt, 3);
		h->created_at = steps_column(stmt, 4);
		h->acknowledged_at = steps_column(stmt, 5);
	}
	if (rc != SQLITE_DONE)
		store_error(st, err, "cannot list handovers");
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		handover_list_free(list, count);
		return -1;
	}

	/* Rows come oldest first, so every row but the last has a newer one. */
	for (size_t i = 0; i < count; i++)
		list[i].state = handover_state(&list[i], i + 1 < count, &lease);
	*out = list;
	*n = count;
	return 0;
}

void handover_list_free(struct handover *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		handover_clear(&list[i]);
	free(list);
}
