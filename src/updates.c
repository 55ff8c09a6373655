/*
 * Status updates: the updates table, the draft → approved → published life
 * of each update, the guardrail check before approval, the publish command,
 * and the audience templates. See updates.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "steps.h"
#include "steps_util.h"
#include "updates.h"

/* How long an edit waits before it logs another "update edited" event for the same draft. */
#define UPDATE_EDIT_EVENT_SECONDS 60

/* The time limit of a publish command when none is set. */
#define UPDATE_PUBLISH_TIMEOUT_SECONDS 30

/* How long a publish command has to exit after SIGTERM before it gets SIGKILL. */
#define UPDATE_PUBLISH_GRACE_MS 2000

/* How much of a publish command's standard error is kept for its first line. */
#define UPDATE_STDERR_KEEP 4096

#define UPDATE_COLUMNS                                                                  \
	"id, incident_id, audience, text, state, created_by, created_at, edited_at, "   \
	"approved_by, approved_at, errors_at_approval, override_reason, published_by, " \
	"published_at, publish_result"

static char *column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	return text ? xstrdup((const char *)text) : NULL;
}

/* Fills U from the current row of STMT, which selects UPDATE_COLUMNS in order. */
static void update_read_row(sqlite3_stmt *stmt, struct update *u)
{
	u->id = sqlite3_column_int64(stmt, 0);
	u->incident_id = column_text(stmt, 1);
	u->audience = column_text(stmt, 2);
	u->text = column_text(stmt, 3);
	u->state = column_text(stmt, 4);
	u->created_by = column_text(stmt, 5);
	u->created_at = column_text(stmt, 6);
	u->edited_at = column_text(stmt, 7);
	u->approved_by = column_text(stmt, 8);
	u->approved_at = column_text(stmt, 9);
	u->errors_at_approval = sqlite3_column_int(stmt, 10);
	u->override_reason = column_text(stmt, 11);
	u->published_by = column_text(stmt, 12);
	u->published_at = column_text(stmt, 13);
	u->publish_result = column_text(stmt, 14);
}

static void update_clear(struct update *u)
{
	free(u->incident_id);
	free(u->audience);
	free(u->text);
	free(u->state);
	free(u->created_by);
	free(u->created_at);
	free(u->edited_at);
	free(u->approved_by);
	free(u->approved_at);
	free(u->override_reason);
	free(u->published_by);
	free(u->published_at);
	free(u->publish_result);
	memset(u, 0, sizeof *u);
}

void update_free(struct update *u)
{
	if (!u)
		return;
	update_clear(u);
	free(u);
}

void update_list_free(struct update *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		update_clear(&list[i]);
	free(list);
}

/* Steps STMT to completion and finalizes it; 0, or -1 with ERR set naming WHAT. */
static int update_run(struct store *st, sqlite3_stmt *stmt, const char *what,
		      struct wr_error *err)
{
	int rc;

	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		store_error(st, err, what);
		store_finalize(st, stmt);
		return -1;
	}
	store_finalize(st, stmt);
	return 0;
}

/* Reads one update, or sets *OUT to NULL when UPDATE_ID does not exist. */
static int update_read(struct store *st, long long update_id, struct update **out,
		       struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	stmt = steps_prepare(st, err, "SELECT " UPDATE_COLUMNS " FROM updates WHERE id = ?", "i",
			      update_id);
	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = xcalloc(1, sizeof **out);
		update_read_row(stmt, *out);
	} else if (rc != SQLITE_DONE) {
		store_error(st, err, "reading a status update");
		store_finalize(st, stmt);
		return -1;
	}
	store_finalize(st, stmt);
	return 0;
}

struct update *update_get(struct store *st, long long update_id, struct wr_error *err)
{
	struct update *u;

	if (update_read(st, update_id, &u, err) != 0)
		return NULL;
	if (!u)
		error_set(err, WR_BAD_INPUT,
			  "update %lld not found; `warroom update ID list` shows an incident's updates",
			  update_id);
	return u;
}

/* Collects every row of STMT into *OUT; finalizes STMT. */
static int update_collect(struct store *st, sqlite3_stmt *stmt, struct update **out, size_t *n,
			  struct wr_error *err)
{
	struct update *list = NULL;
	size_t count = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			list = xrealloc(list, cap * sizeof *list);
		}
		memset(&list[count], 0, sizeof list[count]);
		update_read_row(stmt, &list[count++]);
	}
	if (rc != SQLITE_DONE) {
		store_error(st, err, "listing status updates");
		store_finalize(st, stmt);
		update_list_free(list, count);
		return -1;
	}
	store_finalize(st, stmt);
	*out = list;
	*n = count;
	return 0;
}

int update_list(struct store *st, const char *incident_id, const char *audience,
		struct update **out, size_t *n, struct wr_error *err)
{
	sqlite3_stmt *stmt;

	*out = NULL;
	*n = 0;
	if (audience)
		stmt = steps_prepare(st, err,
				      "SELECT " UPDATE_COLUMNS " FROM updates"
				      " WHERE incident_id = ? AND audience = ? ORDER BY id",
				      "ss", incident_id, audience);
	else
		stmt = steps_prepare(st, err,
				      "SELECT " UPDATE_COLUMNS " FROM updates"
				      " WHERE incident_id = ? ORDER BY id",
				      "s", incident_id);
	if (!stmt)
		return -1;
	return update_collect(st, stmt, out, n, err);
}

int update_latest(struct store *st, const char *incident_id, const char *audience,
		  const char *state, struct update **out, struct wr_error *err)
{
	struct update *list = NULL;
	sqlite3_stmt *stmt;
	size_t n = 0;
	const char *sql;

	*out = NULL;
	if (strcmp(state, "published") == 0)
		sql = "SELECT " UPDATE_COLUMNS " FROM updates"
		      " WHERE incident_id = ? AND audience = ? AND state = 'published'"
		      " ORDER BY published_at DESC, id DESC LIMIT 1";
	else if (strcmp(state, "approved") == 0)
		sql = "SELECT " UPDATE_COLUMNS " FROM updates"
		      " WHERE incident_id = ? AND audience = ? AND state = 'approved'"
		      " ORDER BY approved_at DESC, id DESC LIMIT 1";
	else
		sql = "SELECT " UPDATE_COLUMNS " FROM updates"
		      " WHERE incident_id = ? AND audience = ? AND state = 'draft'"
		      " ORDER BY edited_at DESC, id DESC LIMIT 1";

	stmt = steps_prepare(st, err, sql, "ss", incident_id, audience);
	if (!stmt)
		return -1;
	if (update_collect(st, stmt, &list, &n, err) != 0)
		return -1;
	if (n == 1) {
		*out = xmalloc(sizeof **out);
		**out = list[0];
		free(list);
	}
	return 0;
}

/* Returns "cs, product, ..." listing the playbook's audience ids; the caller frees it. */
static char *update_audience_ids(const struct playbook *pb)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < pb->n_audiences; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", pb->audiences[i].id);
	return sb_take(&sb);
}

static int update_unknown_audience(const struct playbook *pb, const char *audience,
				   struct wr_error *err)
{
	char *ids = update_audience_ids(pb);

	error_set(err, WR_BAD_INPUT, "unknown audience \"%s\"; the playbook's audiences are: %s",
		  audience ? audience : "", ids);
	free(ids);
	return -1;
}

int update_draft(struct store *st, const struct playbook *pb, const char *incident_id,
		 const char *audience, const char *text, long long *new_id, struct wr_error *err)
{
	struct incident *inc;
	char now[21];
	long long id;

	if (!audience || !playbook_audience(pb, audience))
		return update_unknown_audience(pb, audience, err);
	if (!text)
		return error_set(err, WR_BAD_INPUT, "update text is missing");

	inc = incident_get(st, incident_id, err);
	if (!inc)
		return -1;
	if (strcmp(inc->status, "closed") == 0) {
		incident_free(inc);
		return error_set(err, WR_FAILED,
				 "incident %s is closed; reopen it before drafting updates",
				 incident_id);
	}
	incident_free(inc);

	if (store_begin(st, err) != 0)
		return -1;
	time_format_utc(clock_now(), now);
	if (update_run(st,
		       steps_prepare(st, err,
				      "INSERT INTO updates (incident_id, audience, text, state,"
				      " created_by, created_at, edited_at)"
				      " VALUES (?, ?, ?, 'draft', ?, ?, ?)",
				      "ssssss", incident_id, audience, text, actor_name(), now, now),
		       "saving the draft update", err) != 0)
		goto fail;
	id = sqlite3_last_insert_rowid(store_db(st));
	if (store_event(st, incident_id, "update drafted", err, "update %lld to %s drafted", id,
			audience) != 0)
		goto fail;
	if (store_commit(st, err) != 0)
		return -1;
	if (new_id)
		*new_id = id;
	return 0;

fail:
	store_rollback(st);
	return -1;
}

/* Sets ERR for an update that is not in the state a change needs; returns -1. */
static int update_wrong_state(const struct update *u, const char *action, struct wr_error *err)
{
	if (strcmp(u->state, "published") == 0)
		return error_set(err, WR_FAILED,
				 "update %lld was published at %s; %s needs a draft, so draft a new update",
				 u->id, u->published_at ? u->published_at : "an unknown time", action);
	if (strcmp(u->state, "approved") == 0)
		return error_set(err, WR_FAILED,
				 "update %lld is already approved; %s needs a draft, so draft a new update",
				 u->id, action);
	return error_set(err, WR_FAILED, "update %lld is a %s; %s is not possible", u->id,
			 u->state, action);
}

/*
 * Returns nonzero when the draft's last "update drafted" or "update edited"
 * event is at least UPDATE_EDIT_EVENT_SECONDS old, or there is none.
 */
static int update_edit_event_due(struct store *st, const struct update *u, time_t now,
				 struct wr_error *err)
{
	char *prefix = xasprintf("update %lld to ", u->id);
	sqlite3_stmt *stmt;
	time_t last;
	int rc, due = 1;

	stmt = steps_prepare(st, err,
			      "SELECT at FROM events WHERE incident_id = ?"
			      " AND kind IN ('update drafted', 'update edited')"
			      " AND substr(details, 1, length(?2)) = ?2"
			      " ORDER BY id DESC LIMIT 1",
			      "ss", u->incident_id, prefix);
	free(prefix);
	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(stmt, 0);

		if (at && time_parse_iso8601(at, &last) == 0 &&
		    now - last < UPDATE_EDIT_EVENT_SECONDS)
			due = 0;
	} else if (rc != SQLITE_DONE) {
		store_error(st, err, "reading the timeline");
		due = -1;
	}
	store_finalize(st, stmt);
	return due;
}

/*
 * The console saves a draft on every keystroke, so logging each save would
 * bury the timeline. An edit logs "update edited" only when the draft's last
 * drafted or edited event is a minute old or more: at most one event per
 * draft per minute. Edits in between are not lost, because the update row
 * contains the current text and the approval event marks the text that counts.
 */
int update_edit(struct store *st, long long update_id, const char *text, struct wr_error *err)
{
	struct update *u = NULL;
	char now_text[21];
	time_t now = clock_now();
	int due;

	if (!text)
		return error_set(err, WR_BAD_INPUT, "update text is missing");
	if (store_begin(st, err) != 0)
		return -1;

	if (update_read(st, update_id, &u, err) != 0)
		goto fail;
	if (!u) {
		error_set(err, WR_BAD_INPUT, "update %lld not found", update_id);
		goto fail;
	}
	if (strcmp(u->state, "draft") != 0) {
		update_wrong_state(u, "editing", err);
		goto fail;
	}
	if (strcmp(u->text, text) == 0) {
		store_rollback(st);
		update_free(u);
		return 0;
	}

	time_format_utc(now, now_text);
	if (update_run(st,
		       steps_prepare(st, err, "UPDATE updates SET text = ?, edited_at = ? WHERE id = ?",
				      "ssi", text, now_text, update_id),
		       "saving the draft update", err) != 0)
		goto fail;
	due = update_edit_event_due(st, u, now, err);
	if (due < 0)
		goto fail;
	if (due && store_event(st, u->incident_id, "update edited", err,
			       "update %lld to %s edited", u->id, u->audience) != 0)
		goto fail;
	if (store_commit(st, err) != 0) {
		update_free(u);
		return -1;
	}
	update_free(u);
	return 0;

fail:
	store_rollback(st);
	update_free(u);
	return -1;
}

int guard_context_for_incident(struct store *st, const struct playbook *pb,
			       const struct incident *inc, const char *audience,
			       struct guard_context *ctx, struct wr_error *err)
{
	const struct pb_audience *aud = playbook_audience(pb, audience);
	int done;

	memset(ctx, 0, sizeof *ctx);
	if (!aud)
		return update_unknown_audience(pb, audience, err);

	done = step_validations_done(st, pb, inc->id, err);
	if (done < 0)
		return -1;

	ctx->audience = aud->id;
	ctx->has_incident = 1;
	ctx->validations_done = (size_t)done >= pb->n_validations;
	ctx->vendor_approved = !str_blank(inc->vendor_blame_approved_by);
	ctx->root_cause_approved = !str_blank(inc->root_cause_approved_by);
	ctx->internal_names = (const char *const *)inc->impacted_services.items;
	ctx->n_internal_names = inc->impacted_services.len;
	ctx->product = inc->product;
	return 0;
}

int update_check_text(struct store *st, const struct playbook *pb, const struct guard *guard,
		      const char *incident_id, const char *audience, const char *text,
		      struct guard_finding **findings, size_t *n, struct wr_error *err)
{
	struct guard_context ctx;
	struct incident *inc;
	int rc;

	*findings = NULL;
	*n = 0;
	inc = incident_get(st, incident_id, err);
	if (!inc)
		return -1;
	if (guard_context_for_incident(st, pb, inc, audience, &ctx, err) != 0) {
		incident_free(inc);
		return -1;
	}
	rc = guard_check(guard, text, &ctx, findings, n);
	incident_free(inc);
	if (rc != 0)
		return error_set(err, WR_FAILED, "checking the update text failed");
	return 0;
}

int update_check(struct store *st, const struct playbook *pb, const struct guard *guard,
		 long long update_id, struct guard_finding **findings, size_t *n,
		 struct wr_error *err)
{
	struct update *u = update_get(st, update_id, err);
	int rc;

	*findings = NULL;
	*n = 0;
	if (!u)
		return -1;
	rc = update_check_text(st, pb, guard, u->incident_id, u->audience, u->text, findings, n,
			       err);
	update_free(u);
	return rc;
}

static size_t update_count_warnings(const struct guard_finding *findings, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		if (findings[i].level == GUARD_WARNING)
			count++;
	return count;
}

/* Appends "; override: REASON (N errors)" and the warnings' count to the approval event. */
static char *update_approval_details(const struct update *u, size_t errors, size_t warnings,
				     const char *reason)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addf(&sb, "update %lld to %s approved", u->id, u->audience);
	if (errors)
		sb_addf(&sb, "; override: %s (%zu error%s)", reason, errors, errors == 1 ? "" : "s");
	if (warnings)
		sb_addf(&sb, "; %zu guardrail warning%s", warnings, warnings == 1 ? "" : "s");
	return sb_take(&sb);
}

int update_approve(struct store *st, const struct playbook *pb, const struct guard *guard,
		   long long update_id, const char *override_reason, struct wr_error *err)
{
	struct guard_finding *findings = NULL;
	struct update *u;
	size_t n = 0, errors, warnings;
	char *reason = NULL, *details = NULL;
	char now[21];
	int rc = -1;

	u = update_get(st, update_id, err);
	if (!u)
		return -1;
	if (strcmp(u->state, "draft") != 0) {
		update_wrong_state(u, "approval", err);
		update_free(u);
		return -1;
	}
	if (str_blank(u->text)) {
		update_free(u);
		return error_set(err, WR_FAILED, "update %lld is blank; write its text before approving",
				 update_id);
	}

	/* The check runs outside the transaction; the UPDATE below approves only the text checked. */
	if (update_check_text(st, pb, guard, u->incident_id, u->audience, u->text, &findings, &n,
			      err) != 0)
		goto out;
	errors = guard_count_errors(findings, n);
	warnings = update_count_warnings(findings, n);
	if (errors && str_blank(override_reason)) {
		error_set(err, WR_FAILED, "update %lld has %zu guardrail error%s; approve with --override REASON",
			  update_id, errors, errors == 1 ? "" : "s");
		goto out;
	}
	if (errors)
		reason = xstrdup(override_reason);
	details = update_approval_details(u, errors, warnings, reason);

	if (store_begin(st, err) != 0)
		goto out;
	time_format_utc(clock_now(), now);
	if (update_run(st,
		       steps_prepare(st, err,
				      "UPDATE updates SET state = 'approved', approved_by = ?,"
				      " approved_at = ?, errors_at_approval = ?, override_reason = ?"
				      " WHERE id = ? AND state = 'draft' AND text = ?",
				      "ssdsis", actor_name(), now, (int)errors, reason, update_id,
				      u->text),
		       "approving the update", err) != 0)
		goto rollback;
	if (sqlite3_changes(store_db(st)) != 1) {
		error_set(err, WR_FAILED,
			  "update %lld changed while it was being checked; check it again and approve",
			  update_id);
		goto rollback;
	}
	if (store_event(st, u->incident_id, "update approved", err, "%s", details) != 0)
		goto rollback;
	rc = store_commit(st, err);
	goto out;

rollback:
	store_rollback(st);
out:
	guard_findings_free(findings, n);
	free(reason);
	free(details);
	update_free(u);
	return rc;
}

/* ---- Publishing ---- */

/* Sets FD's close-on-exec flag, or its non-blocking flag when NONBLOCK. */
static int update_fd_flag(int fd, int nonblock)
{
	if (nonblock) {
		int flags = fcntl(fd, F_GETFL);

		return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	}
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void update_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Runs in the forked child: wires the pipes, sets the environment and runs the command. */
static void update_exec_child(const struct publish_command *cmd, const struct update *u,
			      int stdin_fd, int stderr_fd, int exec_fd)
{
	char id[32];
	int null_fd, saved_errno;

	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	null_fd = open("/dev/null", O_WRONLY);
	if (dup2(stdin_fd, STDIN_FILENO) < 0 || dup2(stderr_fd, STDERR_FILENO) < 0 ||
	    null_fd < 0 || dup2(null_fd, STDOUT_FILENO) < 0)
		goto fail;

	snprintf(id, sizeof id, "%lld", u->id);
	if (setenv("WARROOM_INCIDENT", u->incident_id, 1) != 0 ||
	    setenv("WARROOM_AUDIENCE", u->audience, 1) != 0 ||
	    setenv("WARROOM_UPDATE_ID", id, 1) != 0)
		goto fail;
	execvp(cmd->argv[0], cmd->argv);

fail:
	saved_errno = errno;
	if (write(exec_fd, &saved_errno, sizeof saved_errno) < 0)
		_exit(127);
	_exit(127);
}

/* Milliseconds on a monotonic clock. */
static long long update_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One run of the publish command: its pipes, the text written so far, its standard error and exit status. */
struct publish_run {
	pid_t pid;
	int stdin_fd;
	int stderr_fd;
	const char *text;
	size_t text_len;
	size_t written;
	struct strbuf stderr_text;
	int status;
	int exited;
	int timed_out;
};

/* Writes what the pipe takes of the text; closes standard input when done or the reader left. */
static void publish_feed(struct publish_run *run)
{
	while (run->written < run->text_len) {
		ssize_t w = write(run->stdin_fd, run->text + run->written,
				  run->text_len - run->written);

		if (w > 0) {
			run->written += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		break; /* EPIPE: the command does not read its input, which is its choice */
	}
	update_close(&run->stdin_fd);
}

/* Reads what standard error has; returns 0 at end of file. */
static int publish_drain(struct publish_run *run)
{
	char chunk[1024];
	ssize_t r;

	for (;;) {
		r = read(run->stderr_fd, chunk, sizeof chunk);
		if (r > 0) {
			if (run->stderr_text.len < UPDATE_STDERR_KEEP)
				sb_addn(&run->stderr_text, chunk, (size_t)r);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		return 0;
	}
}

/* Ends the command's process group: SIGTERM, then SIGKILL after a grace period. */
static void publish_kill(struct publish_run *run)
{
	long long deadline = update_clock_ms() + UPDATE_PUBLISH_GRACE_MS;

	kill(-run->pid, SIGTERM);
	while (update_clock_ms() < deadline) {
		if (waitpid(run->pid, &run->status, WNOHANG) == run->pid) {
			run->exited = 1;
			break;
		}
		poll(NULL, 0, 20);
	}
	kill(-run->pid, SIGKILL);
	if (!run->exited && waitpid(run->pid, &run->status, 0) == run->pid)
		run->exited = 1;
}

/*
 * Feeds the text and collects standard error until the command exits or the
 * time limit passes. Once the command has exited, whatever is left in the
 * error pipe is read without waiting, because a child it left behind may
 * hold the pipe open.
 */
static void publish_wait(struct publish_run *run, int timeout_seconds)
{
	long long deadline = update_clock_ms() + (long long)timeout_seconds * 1000;

	for (;;) {
		struct pollfd fds[2];
		nfds_t nfds = 0;
		long long left;
		pid_t w;

		w = waitpid(run->pid, &run->status, WNOHANG);
		if (w == run->pid) {
			run->exited = 1;
			if (run->stderr_fd >= 0)
				publish_drain(run);
			return;
		}

		left = deadline - update_clock_ms();
		if (left <= 0) {
			run->timed_out = 1;
			publish_kill(run);
			return;
		}

		if (run->stdin_fd >= 0) {
			fds[nfds].fd = run->stdin_fd;
			fds[nfds++].events = POLLOUT;
		}
		if (run->stderr_fd >= 0) {
			fds[nfds].fd = run->stderr_fd;
			fds[nfds++].events = POLLIN;
		}
		/* Wake at least every 50 ms to notice the exit when no pipe is left to watch. */
		if (poll(fds, nfds, left < 50 ? (int)left : 50) < 0 && errno != EINTR)
			poll(NULL, 0, 50);

		if (run->stdin_fd >= 0)
			publish_feed(run);
		if (run->stderr_fd >= 0 && publish_drain(run) == 0)
			update_close(&run->stderr_fd);
	}
}

/* Writes the outcome of RUN as "ok" or "failed: ..." into RESULT. */
static void publish_describe(const struct publish_run *run, int timeout_seconds,
			     struct strbuf *result)
{
	const char *err_text = run->stderr_text.data;
	size_t line_len = strcspn(err_text, "\r\n");

	if (run->timed_out) {
		sb_addf(result, "failed: timed out after %d s", timeout_seconds);
		return;
	}
	if (!run->exited) {
		sb_add(result, "failed: the command's exit status is unknown");
		return;
	}
	if (WIFEXITED(run->status) && WEXITSTATUS(run->status) == 0) {
		sb_add(result, "ok");
		return;
	}
	if (WIFSIGNALED(run->status))
		sb_addf(result, "failed: killed by signal %d (%s)", WTERMSIG(run->status),
			strsignal(WTERMSIG(run->status)));
	else
		sb_addf(result, "failed: exit %d", WEXITSTATUS(run->status));
	if (line_len > 0) {
		sb_add(result, ": ");
		sb_addn(result, err_text, line_len);
	}
}

/*
 * Runs CMD for update U with no shell between: the text on standard input,
 * standard output discarded, the first line of standard error kept. Writes
 * "ok" or "failed: REASON" into RESULT and returns 0 or -1 accordingly.
 */
static int publish_run_command(const struct publish_command *cmd, const struct update *u,
			       struct strbuf *result)
{
	int in_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, exec_pipe[2] = {-1, -1};
	int timeout = cmd->timeout_seconds > 0 ? cmd->timeout_seconds : UPDATE_PUBLISH_TIMEOUT_SECONDS;
	struct sigaction ignore = {0}, saved_pipe;
	struct publish_run run = {0};
	int exec_errno = 0;
	ssize_t r;

	if (!cmd->argv || !cmd->argv[0] || !*cmd->argv[0]) {
		sb_add(result, "failed: the publish command is empty");
		return -1;
	}
	if (pipe(in_pipe) != 0 || pipe(err_pipe) != 0 || pipe(exec_pipe) != 0) {
		sb_addf(result, "failed: cannot create a pipe: %s", strerror(errno));
		goto close_all;
	}
	for (int i = 0; i < 2; i++) {
		update_fd_flag(in_pipe[i], 0);
		update_fd_flag(err_pipe[i], 0);
		update_fd_flag(exec_pipe[i], 0);
	}

	/* A command that exits without reading its input must not kill warroom with SIGPIPE. */
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGPIPE, &ignore, &saved_pipe);

	run.pid = fork();
	if (run.pid < 0) {
		sb_addf(result, "failed: cannot start \"%s\": %s", cmd->argv[0], strerror(errno));
		sigaction(SIGPIPE, &saved_pipe, NULL);
		goto close_all;
	}
	if (run.pid == 0)
		update_exec_child(cmd, u, in_pipe[0], err_pipe[1], exec_pipe[1]);

	update_close(&in_pipe[0]);
	update_close(&err_pipe[1]);
	update_close(&exec_pipe[1]);

	/* The exec pipe closes on a successful exec, or carries the errno of a failed one. */
	do
		r = read(exec_pipe[0], &exec_errno, sizeof exec_errno);
	while (r < 0 && errno == EINTR);
	update_close(&exec_pipe[0]);
	if (r == (ssize_t)sizeof exec_errno) {
		while (waitpid(run.pid, NULL, 0) < 0 && errno == EINTR)
			;
		sb_addf(result, "failed: cannot run \"%s\": %s", cmd->argv[0], strerror(exec_errno));
		sigaction(SIGPIPE, &saved_pipe, NULL);
		goto close_all;
	}

	run.stdin_fd = in_pipe[1];
	run.stderr_fd = err_pipe[0];
	in_pipe[1] = err_pipe[0] = -1;
	run.text = u->text;
	run.text_len = strlen(u->text);
	sb_init(&run.stderr_text);
	update_fd_flag(run.stdin_fd, 1);
	update_fd_flag(run.stderr_fd, 1);

	publish_wait(&run, timeout);
	update_close(&run.stdin_fd);
	update_close(&run.stderr_fd);
	sigaction(SIGPIPE, &saved_pipe, NULL);

	publish_describe(&run, timeout, result);
	sb_free(&run.stderr_text);
	return strcmp(result->data, "ok") == 0 ? 0 : -1;

close_all:
	for (int i = 0; i < 2; i++) {
		update_close(&in_pipe[i]);
		update_close(&err_pipe[i]);
		update_close(&exec_pipe[i]);
	}
	return -1;
}

/* Stores and logs a failed publish attempt in its own transaction, so that it persists. */
static int publish_record_failure(struct store *st, const struct update *u, const char *result,
				  struct wr_error *err)
{
	if (store_begin(st, err) != 0)
		return -1;
	if (update_run(st,
		       steps_prepare(st, err,
				      "UPDATE updates SET publish_result = ? WHERE id = ? AND state = 'approved'",
				      "si", result, u->id),
		       "recording the failed publication", err) != 0 ||
	    store_event(st, u->incident_id, "update publish failed", err,
			"update %lld to %s was not published: %s", u->id, u->audience, result) != 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

/* Marks U published with RESULT and logs "update published". */
static int publish_record_success(struct store *st, const struct update *u,
				  const struct publish_command *cmd, const char *result,
				  struct wr_error *err)
{
	char now[21];

	if (store_begin(st, err) != 0)
		return -1;
	time_format_utc(clock_now(), now);
	if (update_run(st,
		       steps_prepare(st, err,
				      "UPDATE updates SET state = 'published', published_by = ?,"
				      " published_at = ?, publish_result = ?"
				      " WHERE id = ? AND state = 'approved'",
				      "sssi", actor_name(), now, result, u->id),
		       "recording the publication", err) != 0)
		goto fail;
	if (sqlite3_changes(store_db(st)) != 1) {
		error_set(err, WR_FAILED,
			  "update %lld is no longer approved; someone else published it meanwhile",
			  u->id);
		goto fail;
	}
	if (cmd ? store_event(st, u->incident_id, "update published", err,
			      "update %lld to %s published with %s", u->id, u->audience,
			      cmd->argv[0])
		: store_event(st, u->incident_id, "update published", err,
			      "update %lld to %s published (sent by hand)", u->id, u->audience))
		goto fail;
	return store_commit(st, err);

fail:
	store_rollback(st);
	return -1;
}

int update_publish_with(struct store *st, const struct publish_command *command,
			long long update_id, struct wr_error *err)
{
	struct update *u = update_get(st, update_id, err);
	struct strbuf result;
	int rc;

	if (!u)
		return -1;
	if (strcmp(u->state, "approved") != 0) {
		if (strcmp(u->state, "draft") == 0)
			error_set(err, WR_FAILED,
				  "update %lld is a draft; approve it before publishing", update_id);
		else
			error_set(err, WR_FAILED, "update %lld was already published at %s", update_id,
				  u->published_at ? u->published_at : "an unknown time");
		update_free(u);
		return -1;
	}

	/*
	 * NOTE: the command runs outside any transaction, so that the write lock
	 * is not held for up to its time limit. Two publishers of the same update
	 * at once would both run it, and only the first is recorded as published.
	 */
	sb_init(&result);
	if (!command) {
		sb_add(&result, "manual");
		rc = publish_record_success(st, u, NULL, result.data, err);
	} else if (publish_run_command(command, u, &result) == 0) {
		rc = publish_record_success(st, u, command, result.data, err);
	} else {
		rc = publish_record_failure(st, u, result.data, err);
		if (rc == 0)
			rc = error_set(err, WR_FAILED,
				       "update %lld was not published: the publish command %s; it stays approved",
				       update_id, result.data);
	}
	sb_free(&result);
	update_free(u);
	return rc;
}

int update_publish(struct store *st, const struct settings *settings, long long update_id,
		   struct wr_error *err)
{
	struct publish_command cmd = {0};
	int rc;

	if (!settings || !settings->publish_command || settings->n_publish_command == 0)
		return update_publish_with(st, NULL, update_id, err);

	/* A NULL-terminated copy, whatever the settings' array ends with. */
	cmd.argv = xcalloc(settings->n_publish_command + 1, sizeof *cmd.argv);
	for (size_t i = 0; i < settings->n_publish_command; i++)
		cmd.argv[i] = settings->publish_command[i];
	cmd.timeout_seconds = UPDATE_PUBLISH_TIMEOUT_SECONDS;
	rc = update_publish_with(st, &cmd, update_id, err);
	free(cmd.argv);
	return rc;
}

/* ---- Templates ---- */

/* Formats T as "HH:MM ZONE" in the local time zone. */
static void update_clock_text(time_t t, char out[32])
{
	time_t now = clock_now();
	struct tm tm, today;

	localtime_r(&t, &tm);
	localtime_r(&now, &today);
	/* A time on another day needs its date, or "since about 09:48" reads as this morning. */
	if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday)
		strftime(out, 32, "%H:%M %Z", &tm);
	else
		strftime(out, 32, "%Y-%m-%d %H:%M %Z", &tm);
}

/* Returns the impact status, else one that matches the incident's state. */
static const char *update_status_text(const struct incident *inc)
{
	/* A resolution outdates the impact statement's status, which was written before it. */
	if (inc->status && (strcmp(inc->status, "resolved") == 0 ||
			    strcmp(inc->status, "closed") == 0))
		return "resolved";
	if (!str_blank(inc->impact_status))
		return inc->impact_status;
	if (inc->status && strcmp(inc->status, "mitigated") == 0)
		return "mitigation applied";
	return "investigating";
}

/* Writes the value of placeholder NAME for INC into OUT; returns -1 for an unknown name. */
static int update_placeholder(const struct incident *inc, const char *name, size_t len,
			      time_t next_update, struct strbuf *out)
{
	char clock[32];
	time_t since;

	if (len == 7 && strncmp(name, "product", len) == 0) {
		sb_add(out, !str_blank(inc->product) ? inc->product : "our services");
	} else if (len == 4 && strncmp(name, "what", len) == 0) {
		if (!str_blank(inc->impact_what))
			sb_add(out, inc->impact_what);
		else if (!str_blank(inc->product))
			sb_add(out, inc->product);
		else
			sb_add(out, "one of our services (details to follow)");
	} else if (len == 3 && strncmp(name, "who", len) == 0) {
		sb_add(out, !str_blank(inc->impact_who) ? inc->impact_who
							: "Customers (numbers still being confirmed)");
	} else if (len == 5 && strncmp(name, "since", len) == 0) {
		if (!str_blank(inc->impact_since) &&
		    time_parse_iso8601(inc->impact_since, &since) == 0) {
			update_clock_text(since, clock);
			sb_add(out, clock);
		} else if (!str_blank(inc->impact_since)) {
			sb_add(out, inc->impact_since);
		} else if ((inc->started_at && time_parse_iso8601(inc->started_at, &since) == 0) ||
			   (inc->created_at && time_parse_iso8601(inc->created_at, &since) == 0)) {
			update_clock_text(since, clock);
			sb_add(out, clock);
		} else {
			sb_add(out, "a time still being confirmed");
		}
	} else if (len == 6 && strncmp(name, "status", len) == 0) {
		sb_add(out, update_status_text(inc));
	} else if (len == 8 && strncmp(name, "resolved", len) == 0) {
		if (inc->resolved_at && time_parse_iso8601(inc->resolved_at, &since) == 0) {
			update_clock_text(since, clock);
			sb_add(out, clock);
		} else {
			sb_add(out, "a time still being confirmed");
		}
	} else if (len == 11 && strncmp(name, "next_update", len) == 0) {
		if (next_update > 0) {
			update_clock_text(next_update, clock);
			sb_add(out, clock);
		} else {
			sb_add(out, "a time we will confirm shortly");
		}
	} else {
		return -1;
	}
	return 0;
}

/* Returns nonzero when text appended to OUT starts a sentence: at the start, or after ". ", "! " or "? ". */
static int sentence_start(const struct strbuf *out)
{
	size_t i = out->len;

	while (i > 0 && (out->data[i - 1] == ' ' || out->data[i - 1] == '\n'))
		i--;
	if (i == 0)
		return 1;
	return i < out->len && strchr(".!?", out->data[i - 1]) != NULL;
}

char *update_template(const struct playbook *pb, const struct incident *inc, const char *audience,
		      time_t next_update, struct wr_error *err)
{
	const struct pb_audience *aud = playbook_audience(pb, audience);
	const char *template, *p;
	struct strbuf out;

	if (!aud) {
		update_unknown_audience(pb, audience, err);
		return NULL;
	}
	if (str_blank(aud->template)) {
		error_set(err, WR_BAD_INPUT, "audience \"%s\" has no template in the playbook; write the text",
			  audience);
		return NULL;
	}

	/* Once resolved, the audience gets the resolution notice, not the "we are aware" draft. */
	template = aud->template;
	if (aud->resolved_template && inc->status &&
	    (strcmp(inc->status, "resolved") == 0 || strcmp(inc->status, "closed") == 0))
		template = aud->resolved_template;

	sb_init(&out);
	for (p = template; *p;) {
		const char *close = *p == '{' ? strchr(p + 1, '}') : NULL;
		size_t before = out.len;
		int starts = sentence_start(&out);

		if (close && update_placeholder(inc, p + 1, (size_t)(close - p - 1), next_update,
						&out) == 0) {
			/* Record text is written mid-sentence ("some UK customers"); a sentence starts upper case. */
			if (starts && out.len > before && out.data[before] >= 'a' && out.data[before] <= 'z')
				out.data[before] = (char)(out.data[before] - 'a' + 'A');
			p = close + 1;
			continue;
		}
		/* Text that is no known placeholder stays as written. */
		sb_addc(&out, *p++);
	}
	return sb_take(&out);
}
