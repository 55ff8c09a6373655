/*
 * Checklist marks: the items of a step's checklist in the playbook (step 4
 * triage, step 6 resolve) and the security mini-SOP's actions, each marked
 * done or not applicable by someone at some time. A mark is replaced, never
 * edited in place, and every change names the mark it replaces.
 */
#include <stdlib.h>
#include <string.h>

#include "steps.h"
#include "steps_util.h"

#define SECURITY_LIST "security"

const struct pb_item *checklist_items(const struct playbook *pb, const char *list, size_t *n)
{
	const struct pb_step *step;

	*n = 0;
	if (!list)
		return NULL;
	if (strcmp(list, SECURITY_LIST) == 0) {
		*n = pb->n_security_actions;
		return pb->n_security_actions ? pb->security_actions : NULL;
	}
	step = playbook_step(pb, list);
	if (!step || step->n_checklist == 0)
		return NULL;
	*n = step->n_checklist;
	return step->checklist;
}

static int unknown_list(const struct playbook *pb, const char *list, struct wr_error *err)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < pb->n_steps; i++)
		if (pb->steps[i].n_checklist)
			sb_addf(&sb, "%s, ", pb->steps[i].id);
	sb_add(&sb, SECURITY_LIST);
	error_set(err, WR_BAD_INPUT, "unknown checklist \"%s\"; one of: %s", list ? list : "", sb.data);
	sb_free(&sb);
	return -1;
}

/* Checks that ITEM is on LIST; 0, or -1 with ERR naming the list's items. */
static int check_item(const struct playbook *pb, const char *list, const char *item,
		      struct wr_error *err)
{
	const struct pb_item *items;
	struct strbuf sb;
	size_t n;

	items = checklist_items(pb, list, &n);
	if (!items)
		return unknown_list(pb, list, err);
	for (size_t i = 0; i < n; i++)
		if (item && strcmp(items[i].id, item) == 0)
			return 0;

	sb_init(&sb);
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", items[i].id);
	error_set(err, WR_BAD_INPUT, "unknown item \"%s\" on the %s checklist; one of: %s",
		  item ? item : "", list, sb.data);
	sb_free(&sb);
	return -1;
}

static int security_not_applicable(const struct incident *inc, struct wr_error *err)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < inc->risk_indicators.len; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", inc->risk_indicators.items[i]);
	error_set(err, WR_FAILED, "the security checklist does not apply to %s: its category is %s "
		  "and none of its risk indicators (%s) starts the security mini-SOP", inc->id,
		  steps_or_none(inc->category), sb.len ? sb.data : "none");
	sb_free(&sb);
	return -1;
}

/* The mark currently stored for one item; all NULL when there is none. */
struct stored_mark {
	char *state;
	char *note;
	char *actor;
	char *at;
};

static void stored_mark_free(struct stored_mark *m)
{
	free(m->state);
	free(m->note);
	free(m->actor);
	free(m->at);
}

static int stored_mark_read(struct store *st, const char *id, const char *list, const char *item,
			    struct stored_mark *m, struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	memset(m, 0, sizeof *m);
	stmt = steps_prepare(st, err, "SELECT state, note, actor, at FROM checklist WHERE "
			     "incident_id = ? AND list = ? AND item = ?", "sss", id, list, item);
	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		m->state = steps_column(stmt, 0);
		m->note = steps_column(stmt, 1);
		m->actor = steps_column(stmt, 2);
		m->at = steps_column(stmt, 3);
	} else if (rc != SQLITE_DONE) {
		store_error(st, err, "cannot read the checklist");
	}
	store_finalize(st, stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static const char *state_words(const char *state)
{
	return strcmp(state, "na") == 0 ? "not applicable" : state;
}

/* Appends "STATE by ACTOR at AT (note: NOTE)" for M to SB. */
static void describe_mark(struct strbuf *sb, const struct stored_mark *m)
{
	sb_addf(sb, "%s by %s at %s", state_words(m->state), m->actor, m->at);
	if (!str_blank(m->note))
		sb_addf(sb, " (note: %s)", m->note);
}

int checklist_mark(struct store *st, const struct playbook *pb, const char *id, const char *list,
		   const char *item, int na, const char *note, struct wr_error *err)
{
	const char *state = na ? "na" : "done";
	struct stored_mark old;
	struct incident *inc;
	struct strbuf details;
	char *clean_note;
	char now[21];
	int rc;

	if (check_item(pb, list, item, err) < 0)
		return -1;
	if (na && str_blank(note))
		return error_set(err, WR_BAD_INPUT, "marking %s %s not applicable needs a note that "
				 "says why", list, item);

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	if (strcmp(list, SECURITY_LIST) == 0 && !step_security_applies(pb, inc)) {
		security_not_applicable(inc, err);
		return steps_abort(st, inc);
	}
	if (stored_mark_read(st, inc->id, list, item, &old, err) < 0)
		return steps_abort(st, inc);

	clean_note = str_blank(note) ? NULL : steps_trim(note);
	steps_now(now);
	sb_init(&details);
	sb_addf(&details, "%s %s: %s", list, item, state_words(state));
	if (clean_note)
		sb_addf(&details, " (note: %s)", clean_note);
	if (old.state) {
		sb_add(&details, "; replaces ");
		describe_mark(&details, &old);
	}

	rc = steps_exec(st, err, "INSERT OR REPLACE INTO checklist (incident_id, list, item, state, "
			"note, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)", "sssssss", inc->id, list,
			item, state, clean_note, actor_name(), now);
	if (rc == 0)
		rc = store_event(st, inc->id, "checklist-marked", err, "%s", details.data);
	free(clean_note);
	sb_free(&details);
	stored_mark_free(&old);
	if (rc < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}

int checklist_clear(struct store *st, const struct playbook *pb, const char *id, const char *list,
		    const char *item, struct wr_error *err)
{
	struct stored_mark old;
	struct incident *inc;
	struct strbuf details;
	int rc;

	if (check_item(pb, list, item, err) < 0)
		return -1;

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	if (stored_mark_read(st, inc->id, list, item, &old, err) < 0)
		return steps_abort(st, inc);
	if (!old.state) {
		error_set(err, WR_FAILED, "%s %s is not marked on %s; nothing to clear", list, item,
			  inc->id);
		return steps_abort(st, inc);
	}

	sb_init(&details);
	sb_addf(&details, "%s %s: mark cleared, was ", list, item);
	describe_mark(&details, &old);
	rc = steps_exec(st, err, "DELETE FROM checklist WHERE incident_id = ? AND list = ? AND "
			"item = ?", "sss", inc->id, list, item);
	if (rc == 0)
		rc = store_event(st, inc->id, "checklist-cleared", err, "%s", details.data);
	sb_free(&details);
	stored_mark_free(&old);
	if (rc < 0)
		return steps_abort(st, inc);
	return steps_commit(st, inc, err);
}

int checklist_marks(struct store *st, const char *id, struct checklist_mark **out, size_t *n,
		    struct wr_error *err)
{
	struct checklist_mark *marks = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (steps_check_incident(st, id, err) < 0)
		return -1;
	stmt = steps_prepare(st, err, "SELECT list, item, state, note, actor, at FROM checklist "
			     "WHERE incident_id = ? ORDER BY list, item", "s", id);
	if (!stmt)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct checklist_mark *m;

		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			marks = xrealloc(marks, cap * sizeof *marks);
		}
		m = &marks[count++];
		m->list = steps_column(stmt, 0);
		m->item = steps_column(stmt, 1);
		m->state = steps_column(stmt, 2);
		m->note = steps_column(stmt, 3);
		m->actor = steps_column(stmt, 4);
		m->at = steps_column(stmt, 5);
	}
	if (rc != SQLITE_DONE)
		store_error(st, err, "cannot list checklist marks");
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		checklist_marks_free(marks, count);
		return -1;
	}
	*out = marks;
	*n = count;
	return 0;
}

void checklist_marks_free(struct checklist_mark *marks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(marks[i].list);
		free(marks[i].item);
		free(marks[i].state);
		free(marks[i].note);
		free(marks[i].actor);
		free(marks[i].at);
	}
	free(marks);
}
