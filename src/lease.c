/*
 * The commander's lease on an incident: acquiring it (fresh, refreshed,
 * from a stale holder or by takeover), the heartbeat, release and reading
 * it. See lease.h. The leases row is the only record of who commands; the
 * timeline keeps the history.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "lease.h"
#include "steps_util.h"

/* Copies TEXT into a holder field of 256 bytes; -1 with ERR set when blank or too long. */
static int holder_field(char out[256], const char *what, const char *text, struct wr_error *err)
{
	size_t len = text ? strlen(text) : 0;

	if (str_blank(text))
		return error_set(err, WR_BAD_INPUT, "blank %s for the commander's lease", what);
	if (len > 255)
		return error_set(err, WR_BAD_INPUT, "%s \"%.40s...\" is %zu bytes long; the lease "
				 "keeps at most 255", what, text, len);
	memcpy(out, text, len + 1);
	return 0;
}

/* Writes this machine's host name into OUT; an unknown one reads "localhost". */
static void local_host(char out[256])
{
	if (gethostname(out, 256) != 0 || !out[0])
		snprintf(out, 256, "localhost");
	out[255] = '\0';
}

int lease_holder_self(struct lease_holder *me, long pid, struct wr_error *err)
{
	char host[256];

	memset(me, 0, sizeof *me);
	local_host(host);
	if (holder_field(me->name, "user name", actor_name(), err) < 0 ||
	    holder_field(me->host, "host name", host, err) < 0)
		return -1;
	if (pid <= 0)
		return error_set(err, WR_BAD_INPUT, "invalid process id %ld for the commander's lease",
				 pid);
	me->pid = pid;
	return 0;
}

int lease_holder_same(const struct lease_holder *a, const struct lease_holder *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->host, b->host) == 0 && a->pid == b->pid;
}

/* Checks a holder passed in by a caller, which may have filled it by hand. */
static int check_holder(const struct lease_holder *me, struct wr_error *err)
{
	if (!me)
		return error_set(err, WR_BAD_INPUT, "no holder given for the commander's lease");
	if (str_blank(me->name) || str_blank(me->host))
		return error_set(err, WR_BAD_INPUT, "the commander's lease needs a user name and a "
				 "host name; fill them with lease_holder_self");
	if (me->pid <= 0)
		return error_set(err, WR_BAD_INPUT, "invalid process id %ld for the commander's lease",
				 me->pid);
	return 0;
}

/* Returns nonzero when PID on HOST is known to have ended: HOST is this machine and PID is gone. */
static int process_gone(const char *host, long pid)
{
	char here[256];

	local_host(here);
	if (strcmp(host, here) != 0 || pid <= 0)
		return 0;

	/*
	 * EPERM means the process exists but belongs to another user.
	 * NOTE: two machines with the same host name, or containers with their
	 * own process ids on one host, can make a live holder look ended.
	 */
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/*
 * Sets the derived fields of L (age, pid_gone, stale) for the time NOW.
 * NOTE: the heartbeat was written with its holder's clock, so clock skew
 * between hosts shifts the age by the same amount.
 */
static void lease_judge(struct lease *l, time_t now, int stale_seconds)
{
	l->age = now > l->heartbeat_at ? (long)(now - l->heartbeat_at) : 0;
	l->pid_gone = process_gone(l->holder.host, l->holder.pid);
	l->stale = l->age > stale_seconds || l->pid_gone;
}

/*
 * Reads INCIDENT_ID's lease row into OUT (OUT->held 0 when there is none).
 * The derived fields are left for lease_judge. Returns 0, or -1 with ERR set.
 */
static int lease_read(struct store *st, const char *incident_id, struct lease *out,
		      struct wr_error *err)
{
	sqlite3_stmt *stmt;
	const char *taken, *heartbeat, *name, *host;
	int rc;

	memset(out, 0, sizeof *out);
	stmt = steps_prepare(st, err, "SELECT holder, host, pid, taken_at, heartbeat_at FROM leases "
			     "WHERE incident_id = ?", "s", incident_id);
	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		store_finalize(st, stmt);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		store_finalize(st, stmt);
		return store_error(st, err, "cannot read the commander's lease");
	}

	name = (const char *)sqlite3_column_text(stmt, 0);
	host = (const char *)sqlite3_column_text(stmt, 1);
	taken = (const char *)sqlite3_column_text(stmt, 3);
	heartbeat = (const char *)sqlite3_column_text(stmt, 4);
	snprintf(out->holder.name, sizeof out->holder.name, "%s", name ? name : "");
	snprintf(out->holder.host, sizeof out->holder.host, "%s", host ? host : "");
	out->holder.pid = (long)sqlite3_column_int64(stmt, 2);
	/* A time that does not parse reads as 1970, so the lease counts as stale and can be replaced. */
	if (time_parse_iso8601(taken ? taken : "", &out->taken_at) != 0)
		out->taken_at = 0;
	if (time_parse_iso8601(heartbeat ? heartbeat : "", &out->heartbeat_at) != 0)
		out->heartbeat_at = 0;
	store_finalize(st, stmt);
	out->held = 1;
	return 0;
}

/* Appends SECONDS as "5 s", "12 min" or "3 h 04 min". */
static void add_age(struct strbuf *sb, long seconds)
{
	if (seconds < 120)
		sb_addf(sb, "%ld s", seconds);
	else if (seconds < 7200)
		sb_addf(sb, "%ld min", seconds / 60);
	else
		sb_addf(sb, "%ld h %02ld min", seconds / 3600, seconds % 3600 / 60);
}

void lease_describe(const struct lease *l, struct strbuf *sb)
{
	char taken[21];

	if (!l->held) {
		sb_add(sb, "nobody");
		return;
	}
	time_format_utc(l->taken_at, taken);
	sb_addf(sb, "%s on %s (pid %ld) since %s, last seen ", l->holder.name, l->holder.host,
		l->holder.pid, taken);
	add_age(sb, l->age);
	sb_add(sb, " ago");
	if (l->pid_gone)
		sb_add(sb, " (its process has ended)");
}

int lease_get(struct store *st, const char *incident_id, int stale_seconds, struct lease *out,
	      struct wr_error *err)
{
	memset(out, 0, sizeof *out);
	if (stale_seconds <= 0)
		return error_set(err, WR_BAD_INPUT, "invalid stale limit %d s; give a positive number "
				 "of seconds", stale_seconds);
	if (steps_check_incident(st, incident_id, err) < 0)
		return -1;
	if (lease_read(st, incident_id, out, err) < 0)
		return -1;
	if (out->held)
		lease_judge(out, clock_now(), stale_seconds);
	return 0;
}

/* Replaces INCIDENT_ID's lease with ME, taken and seen now. */
static int lease_write(struct store *st, const char *incident_id, const struct lease_holder *me,
		       struct wr_error *err)
{
	char now[21];

	steps_now(now);
	return steps_exec(st, err, "INSERT OR REPLACE INTO leases (incident_id, holder, host, pid, "
			  "taken_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)", "sssiss", incident_id,
			  me->name, me->host, (long long)me->pid, now, now);
}

/* Logs the acquisition of a lease FOUND held (or not) before, by ME; REASON may be NULL. */
static int log_acquisition(struct store *st, const char *incident_id, const struct lease *found,
			   const struct lease_holder *me, const char *reason, struct wr_error *err)
{
	struct strbuf details;
	char seen[21];
	const char *kind = "command-taken";
	int rc;

	sb_init(&details);
	if (!found->held) {
		sb_addf(&details, "command taken by %s@%s (pid %ld)", me->name, me->host, me->pid);
	} else if (found->stale) {
		time_format_utc(found->heartbeat_at, seen);
		sb_addf(&details, "command taken by %s@%s (pid %ld) from a stale lease (%s@%s, pid %ld, "
			"last seen %s%s)", me->name, me->host, me->pid, found->holder.name,
			found->holder.host, found->holder.pid, seen,
			found->pid_gone ? ", process ended" : "");
	} else {
		kind = "command-taken-over";
		sb_addf(&details, "command taken over from %s@%s (pid %ld) by %s@%s (pid %ld)",
			found->holder.name, found->holder.host, found->holder.pid, me->name, me->host,
			me->pid);
	}
	if (reason)
		sb_addf(&details, ": %s", reason);

	rc = store_event(st, incident_id, kind, err, "%s", details.data);
	sb_free(&details);
	return rc;
}

/* Sets ERR to "ID is commanded by ..." for a live holder; returns -1. */
static int holder_rejection(const char *incident_id, const struct lease *found, int status,
			  const char *what_next, struct wr_error *err)
{
	struct strbuf sb;

	sb_init(&sb);
	lease_describe(found, &sb);
	error_set(err, status, "%s is commanded by %s%s", incident_id, sb.data, what_next);
	sb_free(&sb);
	return -1;
}

int lease_acquire(struct store *st, const char *incident_id, const struct lease_holder *me,
		  int stale_seconds, int takeover, const char *reason, struct lease *found,
		  struct wr_error *err)
{
	struct incident *inc;
	struct lease before;
	char *clean_reason = NULL;

	if (found)
		memset(found, 0, sizeof *found);
	if (check_holder(me, err) < 0)
		return -1;
	if (stale_seconds <= 0)
		return error_set(err, WR_BAD_INPUT, "invalid stale limit %d s; give a positive number "
				 "of seconds", stale_seconds);

	inc = steps_begin(st, incident_id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	if (lease_read(st, inc->id, &before, err) < 0)
		return steps_abort(st, inc);
	if (before.held)
		lease_judge(&before, clock_now(), stale_seconds);
	if (found)
		*found = before;

	/* My own lease: a refresh, which is no new acquisition and writes no event. */
	if (before.held && lease_holder_same(&before.holder, me)) {
		char now[21];

		steps_now(now);
		if (steps_exec(st, err, "UPDATE leases SET heartbeat_at = ? WHERE incident_id = ?",
			       "ss", now, inc->id) < 0)
			return steps_abort(st, inc);
		return steps_commit(st, inc, err);
	}

	if (before.held && !before.stale && !takeover) {
		holder_rejection(inc->id, &before, WR_FAILED, "", err);
		return steps_abort(st, inc);
	}
	if (before.held && !before.stale && str_blank(reason)) {
		holder_rejection(inc->id, &before, WR_BAD_INPUT,
			       "; a takeover needs a reason for the timeline", err);
		return steps_abort(st, inc);
	}

	clean_reason = str_blank(reason) ? NULL : steps_trim(reason);
	if (lease_write(st, inc->id, me, err) < 0 ||
	    log_acquisition(st, inc->id, &before, me, clean_reason, err) < 0) {
		free(clean_reason);
		return steps_abort(st, inc);
	}
	free(clean_reason);
	return steps_commit(st, inc, err);
}

/* Sets ERR for ME not holding INCIDENT_ID's lease, naming the holder found; returns -1. */
static int not_holder(const char *incident_id, const struct lease *found,
		      const struct lease_holder *me, struct wr_error *err)
{
	struct strbuf sb;

	if (!found->held)
		return error_set(err, WR_FAILED, "%s@%s (pid %ld) does not command %s: nobody does",
				 me->name, me->host, me->pid, incident_id);
	sb_init(&sb);
	lease_describe(found, &sb);
	error_set(err, WR_FAILED, "%s@%s (pid %ld) does not command %s: %s does", me->name, me->host,
		  me->pid, incident_id, sb.data);
	sb_free(&sb);
	return -1;
}

int lease_heartbeat(struct store *st, const char *incident_id, const struct lease_holder *me,
		    struct wr_error *err)
{
	struct lease current;
	char now[21];

	if (check_holder(me, err) < 0)
		return -1;
	if (str_blank(incident_id))
		return error_set(err, WR_BAD_INPUT, "missing incident id; give one such as "
				 "INC-2024-0001");
	if (store_begin(st, err) < 0)
		return -1;

	steps_now(now);
	if (steps_exec(st, err, "UPDATE leases SET heartbeat_at = ? WHERE incident_id = ? AND "
		       "holder = ? AND host = ? AND pid = ?", "ssssi", now, incident_id, me->name,
		       me->host, (long long)me->pid) < 0) {
		store_rollback(st);
		return -1;
	}
	if (sqlite3_changes(store_db(st)) == 1)
		return store_commit(st, err);

	/* The lease moved or ended: report who holds it now, so the console can show its user. */
	if (lease_read(st, incident_id, &current, err) == 0) {
		if (current.held)
			lease_judge(&current, clock_now(), LEASE_STALE_SECONDS);
		not_holder(incident_id, &current, me, err);
	}
	store_rollback(st);
	return -1;
}

int lease_release(struct store *st, const char *incident_id, const struct lease_holder *me,
		  struct wr_error *err)
{
	struct incident *inc;
	struct lease current;

	if (check_holder(me, err) < 0)
		return -1;
	inc = steps_begin(st, incident_id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	if (lease_read(st, inc->id, &current, err) < 0)
		return steps_abort(st, inc);
	if (!current.held || !lease_holder_same(&current.holder, me)) {
		if (current.held)
			lease_judge(&current, clock_now(), LEASE_STALE_SECONDS);
		not_holder(inc->id, &current, me, err);
		return steps_abort(st, inc);
	}

	if (steps_exec(st, err, "DELETE FROM leases WHERE incident_id = ?", "s", inc->id) < 0 ||
	    store_event(st, inc->id, "command-released", err, "command released by %s@%s (pid %ld)",
			me->name, me->host, me->pid) < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}
