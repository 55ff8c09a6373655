/*
 * Hypotheses of step 3: each is added unconfirmed and later confirmed or
 * rejected once, with a note. The text is never edited (a trigger in the
 * schema enforces it), so a changed idea is a new hypothesis.
 */
#include <stdlib.h>
#include <string.h>

#include "steps.h"
#include "steps_util.h"

int hypothesis_add(struct store *st, const char *id, const char *text, long long *new_id,
		   struct wr_error *err)
{
	struct incident *inc;
	char now[21];
	char *clean;
	long long hid;

	if (str_blank(text))
		return error_set(err, WR_BAD_INPUT, "blank hypothesis; say what might cause the incident");

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	clean = steps_trim(text);
	steps_now(now);
	if (steps_exec(st, err, "INSERT INTO hypotheses (incident_id, text, added_by, added_at) "
		       "VALUES (?, ?, ?, ?)", "ssss", inc->id, clean, actor_name(), now) < 0)
		goto fail;
	hid = sqlite3_last_insert_rowid(store_db(st));
	if (store_event(st, inc->id, "hypothesis-added", err, "hypothesis %lld added (unconfirmed): %s",
			hid, clean) < 0)
		goto fail;
	free(clean);

	if (steps_commit(st, inc, err) < 0)
		return -1;
	if (new_id)
		*new_id = hid;
	return 0;

fail:
	free(clean);
	return steps_abort(st, inc);
}

int hypothesis_decide(struct store *st, const char *id, long long hid, const char *status,
		      const char *note, struct wr_error *err)
{
	struct incident *inc;
	sqlite3_stmt *stmt;
	char *text = NULL, *current = NULL, *clean_note = NULL;
	char now[21];
	int rc;

	if (!status || (strcmp(status, "confirmed") != 0 && strcmp(status, "rejected") != 0))
		return error_set(err, WR_BAD_INPUT, "invalid hypothesis decision \"%s\"; "
				 "one of: confirmed, rejected", status ? status : "");

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	stmt = steps_prepare(st, err, "SELECT text, status FROM hypotheses WHERE id = ? AND "
			     "incident_id = ?", "is", hid, inc->id);
	if (!stmt)
		return steps_abort(st, inc);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		text = steps_column(stmt, 0);
		current = steps_column(stmt, 1);
	} else if (rc == SQLITE_DONE) {
		error_set(err, WR_BAD_INPUT, "hypothesis %lld not found on %s", hid, inc->id);
	} else {
		store_error(st, err, "cannot read the hypothesis");
	}
	store_finalize(st, stmt);
	if (rc != SQLITE_ROW)
		goto fail;
	if (strcmp(current, "unconfirmed") != 0) {
		error_set(err, WR_FAILED, "hypothesis %lld is already %s, and a decision is final; "
			  "add a new hypothesis instead", hid, current);
		goto fail;
	}

	clean_note = str_blank(note) ? NULL : steps_trim(note);
	steps_now(now);
	if (steps_exec(st, err, "UPDATE hypotheses SET status = ?, decided_by = ?, decided_at = ?, "
		       "note = ? WHERE id = ?", "ssssi", status, actor_name(), now, clean_note, hid) < 0)
		goto fail;
	if (store_event(st, inc->id, strcmp(status, "confirmed") == 0 ? "hypothesis-confirmed"
		       : "hypothesis-rejected", err, "hypothesis %lld unconfirmed → %s: %s%s%s%s",
		       hid, status, text, clean_note ? " (note: " : "", clean_note ? clean_note : "",
		       clean_note ? ")" : "") < 0)
		goto fail;
	free(text);
	free(current);
	free(clean_note);
	return steps_commit(st, inc, err);

fail:
	free(text);
	free(current);
	free(clean_note);
	return steps_abort(st, inc);
}

int hypothesis_list(struct store *st, const char *id, struct hypothesis **out, size_t *n,
		    struct wr_error *err)
{
	struct hypothesis *list = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (steps_check_incident(st, id, err) < 0)
		return -1;
	stmt = steps_prepare(st, err, "SELECT id, text, status, added_by, added_at, decided_by, "
			     "decided_at, note, restricted FROM hypotheses WHERE incident_id = ? ORDER BY id",
			     "s", id);
	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct hypothesis *h;

		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			list = xrealloc(list, cap * sizeof *list);
		}
		h = &list[count++];
		h->id = sqlite3_column_int64(stmt, 0);
		h->text = steps_column(stmt, 1);
		h->status = steps_column(stmt, 2);
		h->added_by = steps_column(stmt, 3);
		h->added_at = steps_column(stmt, 4);
		h->decided_by = steps_column(stmt, 5);
		h->decided_at = steps_column(stmt, 6);
		h->note = steps_column(stmt, 7);
		h->restricted = sqlite3_column_int(stmt, 8);
	}
	if (rc != SQLITE_DONE)
		store_error(st, err, "cannot list hypotheses");
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		hypothesis_list_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

void hypothesis_list_free(struct hypothesis *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].text);
		free(list[i].status);
		free(list[i].added_by);
		free(list[i].added_at);
		free(list[i].decided_by);
		free(list[i].decided_at);
		free(list[i].note);
	}
	free(list);
}
