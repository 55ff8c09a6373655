/*
 * Step 7, the post-incident review: the root cause, corrective actions and
 * prevention tasks with owners and due dates, the management approvals the
 * guardrails consult, decisions for the record, and free-text notes. These
 * are accepted on a closed incident too, since actions finish after closure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "steps.h"
#include "steps_util.h"

int review_root_cause(struct store *st, const char *id, const char *text, struct wr_error *err)
{
	struct incident *inc;
	char *clean;
	int rc;

	if (str_blank(text))
		return error_set(err, WR_BAD_INPUT, "blank root cause; say what caused the incident");

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	clean = steps_trim(text);
	if (steps_same(inc->root_cause, clean)) {
		free(clean);
		return steps_unchanged(st, inc);
	}

	rc = steps_exec(st, err, "UPDATE incidents SET root_cause = ? WHERE id = ?", "ss", clean,
			inc->id);
	if (rc == 0 && inc->root_cause)
		rc = store_event(st, inc->id, "root-cause", err, "root cause replaced: %s; was: %s",
				 clean, inc->root_cause);
	else if (rc == 0)
		rc = store_event(st, inc->id, "root-cause", err, "root cause: %s", clean);
	free(clean);
	if (rc < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}

/* Checks that DUE is a calendar date written YYYY-MM-DD. */
static int due_valid(const char *due)
{
	time_t t;

	if (!due || strlen(due) != 10 || due[4] != '-' || due[7] != '-')
		return 0;
	return time_parse_iso8601(due, &t) == 0;
}

int action_add(struct store *st, const char *id, const char *kind, const char *owner,
	       const char *due, const char *text, long long *new_id, struct wr_error *err)
{
	struct incident *inc;
	char *clean_owner = NULL, *clean_text = NULL, *clean_due = NULL;
	char now[21];
	long long aid;

	if (!kind || (strcmp(kind, "corrective") != 0 && strcmp(kind, "prevention") != 0))
		return error_set(err, WR_BAD_INPUT, "invalid action kind \"%s\"; one of: corrective, "
				 "prevention", kind ? kind : "");
	if (str_blank(owner))
		return error_set(err, WR_BAD_INPUT, "missing owner; every %s action needs someone "
				 "who answers for it", kind);
	clean_due = steps_trim(due);
	if (!due_valid(clean_due)) {
		error_set(err, WR_BAD_INPUT, "invalid due date \"%s\"; give a calendar date "
			  "YYYY-MM-DD such as 2024-03-31", due ? due : "");
		free(clean_due);
		return -1;
	}
	if (str_blank(text)) {
		free(clean_due);
		return error_set(err, WR_BAD_INPUT, "blank action; say what is to be done");
	}

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc) {
		free(clean_due);
		return -1;
	}
	clean_owner = steps_trim(owner);
	clean_text = steps_trim(text);
	steps_now(now);
	if (steps_exec(st, err, "INSERT INTO actions (incident_id, kind, owner, due, text, added_by, "
		       "added_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "sssssss", inc->id, kind,
		       clean_owner, clean_due, clean_text, actor_name(), now) < 0)
		goto fail;
	aid = sqlite3_last_insert_rowid(store_db(st));
	if (store_event(st, inc->id, "action-added", err, "%s action %lld for %s, due %s: %s", kind,
			aid, clean_owner, clean_due, clean_text) < 0)
		goto fail;
	free(clean_owner);
	free(clean_text);
	free(clean_due);

	if (steps_commit(st, inc, err) < 0)
		return -1;
	if (new_id)
		*new_id = aid;
	return 0;

fail:
	free(clean_owner);
	free(clean_text);
	free(clean_due);
	return steps_abort(st, inc);
}

int action_done(struct store *st, const char *id, long long aid, struct wr_error *err)
{
	struct incident *inc;
	sqlite3_stmt *stmt;
	char *kind = NULL, *text = NULL, *done_at = NULL;
	char now[21];
	int rc;

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	stmt = steps_prepare(st, err, "SELECT kind, text, done_at FROM actions WHERE id = ? AND "
			     "incident_id = ?", "is", aid, inc->id);
	if (!stmt)
		return steps_abort(st, inc);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		kind = steps_column(stmt, 0);
		text = steps_column(stmt, 1);
		done_at = steps_column(stmt, 2);
	} else if (rc == SQLITE_DONE) {
		error_set(err, WR_BAD_INPUT, "action %lld not found on %s", aid, inc->id);
	} else {
		store_error(st, err, "cannot read the action");
	}
	store_finalize(st, stmt);
	if (rc != SQLITE_ROW)
		goto fail;
	if (done_at) {
		error_set(err, WR_FAILED, "action %lld is already done (at %s)", aid, done_at);
		goto fail;
	}

	steps_now(now);
	if (steps_exec(st, err, "UPDATE actions SET done_at = ? WHERE id = ?", "si", now, aid) < 0 ||
	    store_event(st, inc->id, "action-done", err, "%s action %lld done: %s", kind, aid,
			text) < 0)
		goto fail;
	free(kind);
	free(text);
	return steps_commit(st, inc, err);

fail:
	free(kind);
	free(text);
	free(done_at);
	return steps_abort(st, inc);
}

int action_list(struct store *st, const char *id, struct action **out, size_t *n,
		struct wr_error *err)
{
	struct action *list = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (steps_check_incident(st, id, err) < 0)
		return -1;
	stmt = steps_prepare(st, err, "SELECT id, kind, owner, due, text, done_at, added_by, "
			     "added_at FROM actions WHERE incident_id = ? ORDER BY id", "s", id);
	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct action *a;

		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			list = xrealloc(list, cap * sizeof *list);
		}
		a = &list[count++];
		a->id = sqlite3_column_int64(stmt, 0);
		a->kind = steps_column(stmt, 1);
		a->owner = steps_column(stmt, 2);
		a->due = steps_column(stmt, 3);
		a->text = steps_column(stmt, 4);
		a->done_at = steps_column(stmt, 5);
		a->added_by = steps_column(stmt, 6);
		a->added_at = steps_column(stmt, 7);
	}
	if (rc != SQLITE_DONE)
		store_error(st, err, "cannot list actions");
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		action_list_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

void action_list_free(struct action *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].kind);
		free(list[i].owner);
		free(list[i].due);
		free(list[i].text);
		free(list[i].done_at);
		free(list[i].added_by);
		free(list[i].added_at);
	}
	free(list);
}

int approval_record(struct store *st, const char *id, const char *what, const char *approver,
		    const char *note, struct wr_error *err)
{
	const char *column, *old, *label;
	struct incident *inc;
	char *clean, *clean_note;
	char sql[96];
	int rc;

	if (!what || (strcmp(what, "vendor-blame") != 0 && strcmp(what, "root-cause") != 0))
		return error_set(err, WR_BAD_INPUT, "unknown approval \"%s\"; one of: vendor-blame, "
				 "root-cause", what ? what : "");
	if (str_blank(approver))
		return error_set(err, WR_BAD_INPUT, "missing approver; name the manager who approved");

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	if (strcmp(what, "vendor-blame") == 0) {
		column = "vendor_blame_approved_by";
		old = inc->vendor_blame_approved_by;
		label = "naming a third party as the cause";
	} else {
		column = "root_cause_approved_by";
		old = inc->root_cause_approved_by;
		label = "sharing the root cause with Marketing";
	}

	clean = steps_trim(approver);
	clean_note = str_blank(note) ? NULL : steps_trim(note);
	snprintf(sql, sizeof sql, "UPDATE incidents SET %s = ? WHERE id = ?", column);
	rc = steps_exec(st, err, sql, "ss", clean, inc->id);
	if (rc == 0)
		rc = store_event(st, inc->id, "approval", err, "%s approved by %s (%s)%s%s%s%s",
				 what, clean, label, old ? "; replaces the approval by " : "",
				 old ? old : "", clean_note ? ": " : "", clean_note ? clean_note : "");
	free(clean);
	free(clean_note);
	if (rc < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}

int decision_add(struct store *st, const char *id, const char *text, struct wr_error *err)
{
	struct incident *inc;
	char *clean;
	char now[21];
	long long did;
	int rc;

	if (str_blank(text))
		return error_set(err, WR_BAD_INPUT, "blank decision; say what was decided");

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	clean = steps_trim(text);
	steps_now(now);
	rc = steps_exec(st, err, "INSERT INTO decisions (incident_id, text, decided_by, at) "
			"VALUES (?, ?, ?, ?)", "ssss", inc->id, clean, actor_name(), now);
	if (rc == 0) {
		did = sqlite3_last_insert_rowid(store_db(st));
		rc = store_event(st, inc->id, "decision", err, "decision %lld: %s", did, clean);
	}
	free(clean);
	if (rc < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}

int decision_list(struct store *st, const char *id, struct decision **out, size_t *n,
		  struct wr_error *err)
{
	struct decision *list = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (steps_check_incident(st, id, err) < 0)
		return -1;
	stmt = steps_prepare(st, err, "SELECT id, text, decided_by, at FROM decisions WHERE "
			     "incident_id = ? ORDER BY id", "s", id);
	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct decision *d;

		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			list = xrealloc(list, cap * sizeof *list);
		}
		d = &list[count++];
		d->id = sqlite3_column_int64(stmt, 0);
		d->text = steps_column(stmt, 1);
		d->decided_by = steps_column(stmt, 2);
		d->at = steps_column(stmt, 3);
	}
	if (rc != SQLITE_DONE)
		store_error(st, err, "cannot list decisions");
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		decision_list_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

void decision_list_free(struct decision *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].text);
		free(list[i].decided_by);
		free(list[i].at);
	}
	free(list);
}

int note_add(struct store *st, const char *id, const char *text, struct wr_error *err)
{
	struct incident *inc;
	char *clean;
	int rc;

	if (str_blank(text))
		return error_set(err, WR_BAD_INPUT, "blank note; write the text to add to the timeline");

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	clean = steps_trim(text);
	rc = store_event(st, inc->id, "note", err, "%s", clean);
	free(clean);
	if (rc < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}
