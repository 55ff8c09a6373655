/*
 * Payment-failure windows for Finance: when payments failed and which
 * transaction types failed. A window may be recorded while it is still open
 * and given its end later. Once confirmed, its times are final, because
 * Finance acts on confirmed windows only.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "steps.h"
#include "steps_util.h"

/* Joins the N types of LIST with ", " into a string the caller frees. */
static char *types_text(const struct strlist *list)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < list->len; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", list->items[i]);
	return sb_take(&sb);
}

/* Fills LIST with the trimmed TYPES without repeats (ignoring ASCII case); 0 or -1 with ERR. */
static int types_read(const char *const *types, size_t n, struct strlist *list,
		      struct wr_error *err)
{
	for (size_t i = 0; i < n; i++) {
		char *clean;
		int seen = 0;

		if (str_blank(types[i]))
			return error_set(err, WR_BAD_INPUT, "blank transaction type; give names such "
					 "as card or transfer");
		clean = steps_trim(types[i]);
		for (size_t j = 0; j < list->len && !seen; j++)
			seen = strcasecmp(list->items[j], clean) == 0;
		if (!seen)
			strlist_add(list, clean);
		free(clean);
	}
	if (list->len == 0)
		return error_set(err, WR_BAD_INPUT, "a payment failure window needs at least one "
				 "transaction type, such as card or transfer");
	return 0;
}

int window_add(struct store *st, const char *id, const char *from, const char *to,
	       const char *const *types, size_t n_types, int confirmed, long long *new_id,
	       struct wr_error *err)
{
	struct strlist type_list = {0};
	char from_utc[21], to_utc[21], now[21];
	struct incident *inc;
	char *json = NULL, *joined = NULL;
	long long wid;

	if (steps_parse_time("window start", from, from_utc, err) < 0)
		return -1;
	if (to) {
		if (steps_parse_time("window end", to, to_utc, err) < 0)
			return -1;
		if (strcmp(to_utc, from_utc) < 0)
			return error_set(err, WR_BAD_INPUT, "window end %s is before its start %s",
					 to_utc, from_utc);
	}
	if (confirmed && !to)
		return error_set(err, WR_BAD_INPUT, "only a window with an end time can be confirmed; "
				 "give its end too");
	if (types_read(types, n_types, &type_list, err) < 0) {
		strlist_free(&type_list);
		return -1;
	}

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc) {
		strlist_free(&type_list);
		return -1;
	}
	json = strlist_to_json(&type_list);
	joined = types_text(&type_list);
	steps_now(now);
	if (steps_exec(st, err, "INSERT INTO payment_windows (incident_id, from_at, to_at, types, "
		       "confirmed, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "ssssdss",
		       inc->id, from_utc, to ? to_utc : NULL, json, confirmed ? 1 : 0, actor_name(),
		       now) < 0)
		goto fail;
	wid = sqlite3_last_insert_rowid(store_db(st));
	if (store_event(st, inc->id, "window-added", err, "payment failure window %lld: %s to %s, "
			"types %s, %s", wid, from_utc, to ? to_utc : "(still open)", joined,
			confirmed ? "confirmed" : "unconfirmed") < 0)
		goto fail;
	free(json);
	free(joined);
	strlist_free(&type_list);

	if (steps_commit(st, inc, err) < 0)
		return -1;
	if (new_id)
		*new_id = wid;
	return 0;

fail:
	free(json);
	free(joined);
	strlist_free(&type_list);
	return steps_abort(st, inc);
}

/* The stored state of one window that the changes below check. */
struct window_row {
	char *from;
	char *to;
	int confirmed;
};

/* Reads window WID of INC; 0, or -1 with ERR (WR_BAD_INPUT when it is not INC's). */
static int window_read(struct store *st, const struct incident *inc, long long wid,
		       struct window_row *row, struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	memset(row, 0, sizeof *row);
	stmt = steps_prepare(st, err, "SELECT from_at, to_at, confirmed FROM payment_windows "
			     "WHERE id = ? AND incident_id = ?", "is", wid, inc->id);
	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		row->from = steps_column(stmt, 0);
		row->to = steps_column(stmt, 1);
		row->confirmed = sqlite3_column_int(stmt, 2);
	} else if (rc == SQLITE_DONE) {
		error_set(err, WR_BAD_INPUT, "payment failure window %lld not found on %s", wid,
			  inc->id);
	} else {
		store_error(st, err, "cannot read the payment failure window");
	}
	store_finalize(st, stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

static void window_row_free(struct window_row *row)
{
	free(row->from);
	free(row->to);
}

int window_set_end(struct store *st, const char *id, long long wid, const char *to,
		   struct wr_error *err)
{
	struct window_row row;
	struct incident *inc;
	char to_utc[21];

	if (steps_parse_time("window end", to, to_utc, err) < 0)
		return -1;

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	if (window_read(st, inc, wid, &row, err) < 0)
		return steps_abort(st, inc);
	if (row.confirmed) {
		error_set(err, WR_FAILED, "payment failure window %lld is confirmed and its times are "
			  "final; add a new window instead", wid);
		goto fail;
	}
	if (strcmp(to_utc, row.from) < 0) {
		error_set(err, WR_BAD_INPUT, "window end %s is before its start %s", to_utc, row.from);
		goto fail;
	}
	if (steps_same(row.to, to_utc)) {
		window_row_free(&row);
		return steps_unchanged(st, inc);
	}

	if (steps_exec(st, err, "UPDATE payment_windows SET to_at = ? WHERE id = ?", "si", to_utc,
		       wid) < 0 ||
	    store_event(st, inc->id, "window-end", err, "payment failure window %lld end %s → %s",
			wid, row.to ? row.to : "(still open)", to_utc) < 0)
		goto fail;
	window_row_free(&row);
	return steps_commit(st, inc, err);

fail:
	window_row_free(&row);
	return steps_abort(st, inc);
}

int window_confirm(struct store *st, const char *id, long long wid, struct wr_error *err)
{
	struct window_row row;
	struct incident *inc;

	inc = steps_begin(st, id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	if (window_read(st, inc, wid, &row, err) < 0)
		return steps_abort(st, inc);
	if (row.confirmed) {
		error_set(err, WR_FAILED, "payment failure window %lld is already confirmed", wid);
		goto fail;
	}
	if (!row.to) {
		error_set(err, WR_FAILED, "payment failure window %lld has no end time yet; set its "
			  "end before confirming it", wid);
		goto fail;
	}

	if (steps_exec(st, err, "UPDATE payment_windows SET confirmed = 1 WHERE id = ?", "i",
		       wid) < 0 ||
	    store_event(st, inc->id, "window-confirmed", err, "payment failure window %lld "
			"(%s to %s) confirmed", wid, row.from, row.to) < 0)
		goto fail;
	window_row_free(&row);
	return steps_commit(st, inc, err);

fail:
	window_row_free(&row);
	return steps_abort(st, inc);
}

int window_list(struct store *st, const char *id, struct payment_window **out, size_t *n,
		struct wr_error *err)
{
	struct payment_window *list = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (steps_check_incident(st, id, err) < 0)
		return -1;
	stmt = steps_prepare(st, err, "SELECT id, from_at, to_at, types, confirmed, added_by, "
			     "added_at FROM payment_windows WHERE incident_id = ? "
			     "ORDER BY from_at, id", "s", id);
	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct payment_window *w;
		const char *types = (const char *)sqlite3_column_text(stmt, 3);

		if (count == cap) {
			cap = cap ? cap * 2 : 4;
			list = xrealloc(list, cap * sizeof *list);
		}
		w = &list[count++];
		memset(w, 0, sizeof *w);
		w->id = sqlite3_column_int64(stmt, 0);
		w->from = steps_column(stmt, 1);
		w->to = steps_column(stmt, 2);
		/* NOTE: a types value that is not a JSON array of strings reads as an empty list. */
		if (types && strlist_from_json(&w->types, types) < 0)
			strlist_free(&w->types);
		w->confirmed = sqlite3_column_int(stmt, 4);
		w->added_by = steps_column(stmt, 5);
		w->added_at = steps_column(stmt, 6);
	}
	if (rc != SQLITE_DONE)
		store_error(st, err, "cannot list payment failure windows");
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		window_list_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

void window_list_free(struct payment_window *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].from);
		free(list[i].to);
		strlist_free(&list[i].types);
		free(list[i].added_by);
		free(list[i].added_at);
	}
	free(list);
}
