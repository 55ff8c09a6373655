/*
 * Step 6 and the incident's status: the validations the playbook requires
 * before resolving (fix confirmed in monitoring, key customer journeys
 * validated), and the moves open → mitigated → resolved → closed, with
 * reopening as the way back.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "steps.h"
#include "steps_util.h"

static const struct pb_item *validation_find(const struct playbook *pb, const char *kind)
{
	for (size_t i = 0; kind && i < pb->n_validations; i++)
		if (strcmp(pb->validations[i].id, kind) == 0)
			return &pb->validations[i];
	return NULL;
}

static int unknown_validation(const struct playbook *pb, const char *kind, struct wr_error *err)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < pb->n_validations; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", pb->validations[i].id);
	error_set(err, WR_BAD_INPUT, "unknown validation \"%s\"; one of: %s", kind ? kind : "",
		  sb.data);
	sb_free(&sb);
	return -1;
}

int step_validate(struct store *st, const struct playbook *pb, const char *id, const char *kind,
		  const char *note, struct wr_error *err)
{
	const struct pb_item *validation;
	struct incident *inc;
	sqlite3_stmt *stmt;
	char *clean, *old_note = NULL, *old_actor = NULL;
	char now[21];
	int rc;

	validation = validation_find(pb, kind);
	if (!validation)
		return unknown_validation(pb, kind, err);
	if (str_blank(note))
		return error_set(err, WR_BAD_INPUT, "validation %s needs a note that says what was "
				 "checked and what was seen", validation->id);

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	stmt = steps_prepare(st, err, "SELECT note, actor FROM validations WHERE incident_id = ? "
			     "AND kind = ?", "ss", inc->id, validation->id);
	if (!stmt)
		return steps_abort(st, inc);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		old_note = steps_column(stmt, 0);
		old_actor = steps_column(stmt, 1);
	} else if (rc != SQLITE_DONE) {
		store_error(st, err, "cannot read the validations");
	}
	store_finalize(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return steps_abort(st, inc);

	clean = steps_trim(note);
	steps_now(now);
	rc = steps_exec(st, err, "INSERT OR REPLACE INTO validations (incident_id, kind, note, actor, "
			"at) VALUES (?, ?, ?, ?, ?)", "sssss", inc->id, validation->id, clean,
			actor_name(), now);
	if (rc == 0 && old_note)
		rc = store_event(st, inc->id, "validated", err, "validation %s (%s): %s; replaces the "
				 "note by %s: %s", validation->id, validation->text, clean, old_actor,
				 old_note);
	else if (rc == 0)
		rc = store_event(st, inc->id, "validated", err, "validation %s (%s): %s",
				 validation->id, validation->text, clean);
	free(clean);
	free(old_note);
	free(old_actor);
	if (rc < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}

int step_validations(struct store *st, const char *id, struct validation **out, size_t *n,
		     struct wr_error *err)
{
	struct validation *list = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (steps_check_incident(st, id, err) < 0)
		return -1;
	stmt = steps_prepare(st, err, "SELECT kind, note, actor, at FROM validations WHERE "
			     "incident_id = ? ORDER BY at, kind", "s", id);
	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct validation *v;

		if (count == cap) {
			cap = cap ? cap * 2 : 4;
			list = xrealloc(list, cap * sizeof *list);
		}
		v = &list[count++];
		v->kind = steps_column(stmt, 0);
		v->note = steps_column(stmt, 1);
		v->actor = steps_column(stmt, 2);
		v->at = steps_column(stmt, 3);
	}
	if (rc != SQLITE_DONE)
		store_error(st, err, "cannot list validations");
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		step_validations_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

void step_validations_free(struct validation *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].kind);
		free(list[i].note);
		free(list[i].actor);
		free(list[i].at);
	}
	free(list);
}

/* Appends TEXT to MISSING with its first letter in lower case, to read inside a sentence. */
static void add_lowered(struct strlist *missing, const char *text)
{
	char *copy = xstrdup(text);

	copy[0] = (char)tolower((unsigned char)copy[0]);
	strlist_add(missing, copy);
	free(copy);
}

int step_validations_missing(struct store *st, const struct playbook *pb, const char *id,
			     struct strlist *missing, struct wr_error *err)
{
	struct validation *done;
	size_t n_done;

	if (step_validations(st, id, &done, &n_done, err) < 0)
		return -1;
	for (size_t i = 0; i < pb->n_validations; i++) {
		int found = 0;

		for (size_t j = 0; j < n_done && !found; j++)
			found = strcmp(done[j].kind, pb->validations[i].id) == 0;
		if (!found)
			add_lowered(missing, pb->validations[i].text);
	}
	step_validations_free(done, n_done);
	return 0;
}

int step_validations_done(struct store *st, const struct playbook *pb, const char *id,
			  struct wr_error *err)
{
	struct strlist missing = {0};
	int done;

	if (step_validations_missing(st, pb, id, &missing, err) < 0)
		return -1;
	done = (int)(pb->n_validations - missing.len);
	strlist_free(&missing);
	return done;
}

/* Appends ": NOTE" to the status change event when NOTE is given. */
static int status_event(struct store *st, const struct incident *inc, const char *kind,
			const char *to, const char *note, struct wr_error *err)
{
	char *clean = str_blank(note) ? NULL : steps_trim(note);
	int rc;

	rc = store_event(st, inc->id, kind, err, "status %s → %s%s%s", inc->status, to,
			 clean ? ": " : "", clean ? clean : "");
	free(clean);
	return rc;
}

/*
 * Sets OUT to AT (ISO 8601, stored in UTC), or to now when AT is NULL. A time
 * before the incident started is refused: a commander recording a move late
 * gives its real time, never one that makes the review's durations negative.
 */
static int move_time(const struct incident *inc, const char *field, const char *at, char out[21],
		     struct wr_error *err)
{
	if (!at) {
		steps_now(out);
		return 0;
	}
	if (steps_parse_time(field, at, out, err) < 0)
		return -1;
	if (inc->started_at && strcmp(out, inc->started_at) < 0)
		return error_set(err, WR_BAD_INPUT, "%s %s is before the incident started (%s); "
				 "check the date and the time zone", field, out, inc->started_at);
	return 0;
}

int step_mitigate(struct store *st, const char *id, const char *at, const char *note,
		  struct wr_error *err)
{
	struct incident *inc;
	char now[21];

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	if (strcmp(inc->status, "open") != 0) {
		if (strcmp(inc->status, "mitigated") == 0)
			error_set(err, WR_FAILED, "%s is already mitigated (since %s)", inc->id,
				  steps_or_none(inc->mitigated_at));
		else
			error_set(err, WR_FAILED, "%s is %s; only an open incident can be marked "
				  "mitigated", inc->id, inc->status);
		return steps_abort(st, inc);
	}

	if (move_time(inc, "mitigated at", at, now, err) < 0)
		return steps_abort(st, inc);
	if (steps_exec(st, err, "UPDATE incidents SET status = 'mitigated', mitigated_at = ? "
		       "WHERE id = ?", "ss", now, inc->id) < 0 ||
	    status_event(st, inc, "mitigated", "mitigated", note, err) < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}

/*
 * Returns -1 with ERR set (WR_FAILED) when INC may not be resolved: it is not
 * open or mitigated, or a validation is missing. The playbook forbids
 * claiming a resolution before monitoring and the journeys confirm it.
 */
static int resolve_refusal(struct store *st, const struct playbook *pb, const struct incident *inc,
			   struct wr_error *err)
{
	struct strlist missing = {0};
	struct strbuf sb;

	if (strcmp(inc->status, "open") != 0 && strcmp(inc->status, "mitigated") != 0)
		return error_set(err, WR_FAILED, "%s is already %s", inc->id, inc->status);
	if (step_validations_missing(st, pb, inc->id, &missing, err) < 0)
		return -1;
	if (!missing.len)
		return 0;

	sb_init(&sb);
	for (size_t i = 0; i < missing.len; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", missing.items[i]);
	error_set(err, WR_FAILED, "cannot resolve %s: not yet recorded: %s", inc->id, sb.data);
	sb_free(&sb);
	strlist_free(&missing);
	return -1;
}

int step_resolve_ready(struct store *st, const struct playbook *pb, const char *id,
		       struct wr_error *err)
{
	struct incident *inc = incident_get(st, id, err);
	int rc;

	if (!inc)
		return -1;
	rc = resolve_refusal(st, pb, inc, err);
	incident_free(inc);
	return rc;
}

int step_resolve(struct store *st, const struct playbook *pb, const char *id, const char *at,
		 const char *note, struct wr_error *err)
{
	struct incident *inc;
	char now[21];

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	if (resolve_refusal(st, pb, inc, err) < 0)
		return steps_abort(st, inc);

	if (move_time(inc, "resolved at", at, now, err) < 0)
		return steps_abort(st, inc);
	if (inc->mitigated_at && strcmp(now, inc->mitigated_at) < 0) {
		error_set(err, WR_BAD_INPUT, "resolved at %s is before the mitigation (%s)", now,
			  inc->mitigated_at);
		return steps_abort(st, inc);
	}
	if (steps_exec(st, err, "UPDATE incidents SET status = 'resolved', resolved_at = ? "
		       "WHERE id = ?", "ss", now, inc->id) < 0 ||
	    status_event(st, inc, "resolved", "resolved", note, err) < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}

/*
 * Appends to OUT, as "Review: root cause, ...; ...", what each of ID's
 * before_close steps still misses. Returns 0, or -1 with ERR set.
 */
static int close_gaps(struct store *st, const struct playbook *pb, const char *id,
		      struct strbuf *out, struct wr_error *err)
{
	struct step_status *statuses;
	size_t n;

	if (step_statuses(st, pb, id, &statuses, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < pb->n_steps; i++) {
		const struct pb_step *step = &pb->steps[i];

		if (!step->before_close)
			continue;
		for (size_t k = 0; k < n; k++)
			if (strcmp(statuses[k].step_id, step->id) == 0 && !statuses[k].complete)
				sb_addf(out, "%s%s: %s", out->len ? "; " : "", step->title,
					statuses[k].missing);
	}
	step_statuses_free(statuses, n);
	return 0;
}

int step_close(struct store *st, const struct playbook *pb, const char *id, const char *reason,
	       struct wr_error *err)
{
	struct incident *inc;
	struct strbuf gaps;
	char *note = NULL;
	char now[21];
	int rc;

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	if (strcmp(inc->status, "resolved") != 0) {
		if (strcmp(inc->status, "closed") == 0)
			error_set(err, WR_FAILED, "%s is already closed", inc->id);
		else
			error_set(err, WR_FAILED, "cannot close %s: it is %s; resolve it first",
				  inc->id, inc->status);
		return steps_abort(st, inc);
	}

	sb_init(&gaps);
	if (close_gaps(st, pb, inc->id, &gaps, err) < 0) {
		sb_free(&gaps);
		return steps_abort(st, inc);
	}
	if (gaps.len && str_blank(reason)) {
		error_set(err, WR_FAILED, "cannot close %s: the post-incident work is not done (%s); "
			  "record it first, or give a reason to close without it", inc->id, gaps.data);
		sb_free(&gaps);
		return steps_abort(st, inc);
	}
	if (gaps.len) {
		char *clean = steps_trim(reason);

		note = xasprintf("closed without %s; reason: %s", gaps.data, clean);
		free(clean);
	}
	sb_free(&gaps);

	steps_now(now);
	rc = steps_exec(st, err, "UPDATE incidents SET status = 'closed', closed_at = ? WHERE id = ?",
			"ss", now, inc->id);
	if (rc == 0)
		rc = status_event(st, inc, "closed", "closed", note, err);
	free(note);
	if (rc < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}

int step_reopen(struct store *st, const char *id, const char *reason, struct wr_error *err)
{
	struct incident *inc;
	char *clean;
	int rc;

	if (str_blank(reason))
		return error_set(err, WR_BAD_INPUT, "reopening needs a reason; say what shows the "
				 "incident is not over");

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	if (strcmp(inc->status, "resolved") != 0 && strcmp(inc->status, "closed") != 0) {
		error_set(err, WR_FAILED, "%s is %s; only a resolved or closed incident can be reopened",
			  inc->id, inc->status);
		return steps_abort(st, inc);
	}

	/* A fix that did not hold voids the earlier confirmations, so they are recorded again. */
	clean = steps_trim(reason);
	rc = steps_exec(st, err, "UPDATE incidents SET status = 'open', mitigated_at = NULL, "
			"resolved_at = NULL, closed_at = NULL WHERE id = ?", "s", inc->id);
	if (rc == 0)
		rc = steps_exec(st, err, "DELETE FROM validations WHERE incident_id = ?", "s", inc->id);
	if (rc == 0)
		rc = store_event(st, inc->id, "reopened", err, "status %s → open: %s; the validations "
				 "are cleared and must be recorded again before resolving",
				 inc->status, clean);
	free(clean);
	if (rc < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}
