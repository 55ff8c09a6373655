/*
 * The parts the step panes share. Each pane starts with the step's purpose and
 * what is missing. Checklists serve triage, resolve, the security mini-SOP
 * and any step a bank adds, which gets a generic pane. pane_result reports
 * the result of a core call the same way for every pane.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

struct pane_ref *pane_ref_new(const char *key, long long ref)
{
	struct pane_ref *r = xcalloc(1, sizeof *r);

	if (key)
		snprintf(r->key, sizeof r->key, "%s", key);
	r->ref = ref;
	return r;
}

int pane_result(struct console *con, int rc, const struct wr_error *err, const char *fmt, ...)
{
	va_list ap;

	if (rc < 0) {
		ui_error(con, err);
		return err->status == WR_BAD_INPUT ? UI_KEEP : UI_HANDLED;
	}
	va_start(ap, fmt);
	vsnprintf(con->message, sizeof con->message, fmt, ap);
	va_end(ap);
	con->message_error = 0;
	return UI_RELOAD;
}

void pane_by(const char *actor, const char *at, char *out, size_t size)
{
	char when[64];

	ui_local_time(at, "%Y-%m-%d %H:%M", when, sizeof when);
	snprintf(out, size, "by %s%s%s", actor ? actor : "?", when[0] ? " at " : "", when);
}

void pane_intro_rows(struct console *con, struct rows *rows, const char *step_id)
{
	const struct pb_step *step = playbook_step(con->pb, step_id);
	struct row *row;

	if (step && step->purpose) {
		row = rows_add(rows, ROW_TEXT, NULL, step->purpose);
		row->value_role = ROLE_DIM;
	}
	for (size_t i = 0; i < con->iv.n_statuses; i++) {
		const struct step_status *s = &con->iv.statuses[i];
		char text[1200];

		if (strcmp(s->step_id, step_id) != 0)
			continue;
		if (s->complete) {
			snprintf(text, sizeof text, "%s Complete", draw_glyph(GLYPH_CHECK));
			row = rows_add(rows, ROW_TEXT, NULL, text);
			row->value_role = ROLE_OK;
		} else {
			snprintf(text, sizeof text, "%s Missing: %s", draw_glyph(GLYPH_WARNING),
				 s->missing ? s->missing : "?");
			row = rows_add(rows, ROW_TEXT, NULL, text);
			row->value_role = ROLE_WARNING;
		}
	}
}

/* Returns the playbook text of ITEM in LIST, or ITEM itself. */
static const char *item_text(const struct console *con, const char *list, const char *item)
{
	size_t n;
	const struct pb_item *items = checklist_items(con->pb, list, &n);

	for (size_t i = 0; items && i < n; i++)
		if (strcmp(items[i].id, item) == 0)
			return items[i].text;
	return item;
}

static int checklist_note_done(struct console *con, void *ctx, char *const *values)
{
	struct pane_ref *r = ctx;
	struct wr_error err = {0};
	int na = r->choice == 1;
	int rc = checklist_mark(con->st, con->pb, con->iv.id, r->list, r->key, na, values[0], &err);

	return pane_result(con, rc, &err, "Marked %s: %s.", na ? "not applicable" : "done",
			   item_text(con, r->list, r->key));
}

static int checklist_chosen(struct console *con, void *ctx, int choice)
{
	struct pane_ref *r = ctx, *copy;
	struct wr_error err = {0};
	int rc;

	if (choice == 2) {
		rc = checklist_clear(con->st, con->pb, con->iv.id, r->list, r->key, &err);
		return pane_result(con, rc, &err, "Mark cleared: %s.", item_text(con, r->list, r->key));
	}

	/* The menu frees its ref as it closes, so the prompt gets a copy. */
	copy = pane_ref_new(r->key, r->ref);
	snprintf(copy->list, sizeof copy->list, "%s", r->list);
	copy->choice = choice;
	prompt_open1(con, choice == 1 ? "Not applicable: say why" : "Done",
		     choice == 1 ? "Why it does not apply (required)" : "Note (optional)", NULL,
		     checklist_note_done, copy);
	return UI_HANDLED;
}

static int checklist_act(struct console *con, const struct row *row)
{
	static const struct menu_item items[] = {
		{"Done", "Mark the item done, with an optional note", NULL, ROLE_NORMAL},
		{"Not applicable", "Mark the item not applicable, with the reason", NULL, ROLE_NORMAL},
		{"Clear the mark", "Undo a mark made by mistake (logged as a correction)", NULL,
		 ROLE_NORMAL},
	};
	struct pane_ref *r = pane_ref_new(row->key, 0);
	char *nl = strchr(r->key, '\n');

	/* The row's key is "LIST\nITEM". */
	if (nl) {
		*nl = '\0';
		snprintf(r->list, sizeof r->list, "%.63s", r->key);
		memmove(r->key, nl + 1, strlen(nl + 1) + 1);
	}
	menu_open(con, row->value ? row->value : "Checklist item", items, 3, 0, checklist_chosen, r);
	return UI_HANDLED;
}

static int checklist_remove(struct console *con, const struct row *row)
{
	struct wr_error err = {0};
	char list[64], *item;
	const char *nl = strchr(row->key, '\n');
	int rc;

	if (!nl)
		return UI_HANDLED;
	snprintf(list, sizeof list, "%.*s", (int)(nl - row->key), row->key);
	item = xstrdup(nl + 1);
	rc = checklist_clear(con->st, con->pb, con->iv.id, list, item, &err);
	rc = pane_result(con, rc, &err, "Mark cleared: %s.", item_text(con, list, item));
	free(item);
	return rc & ~UI_KEEP;
}

void pane_checklist_rows(struct console *con, struct rows *rows, const char *list,
			 const struct pb_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct checklist_mark *mark = incident_view_mark(con, list, items[i].id);
		struct row *row = rows_add(rows, ROW_ITEM, NULL, items[i].text);
		char mark_text[32], by[256];

		if (!mark) {
			row_mark(row, "[ ]", ROLE_NORMAL);
		} else if (strcmp(mark->state, "na") == 0) {
			snprintf(mark_text, sizeof mark_text, "[%s]", draw_glyph(GLYPH_NA));
			row_mark(row, mark_text, ROLE_DIM);
			pane_by(mark->actor, mark->at, by, sizeof by);
			row_detail(row, "Not applicable, %s%s%s", by, mark->note ? ": " : "",
				   mark->note ? mark->note : "");
		} else {
			snprintf(mark_text, sizeof mark_text, "[%s]", draw_glyph(GLYPH_CHECK));
			row_mark(row, mark_text, ROLE_OK);
			pane_by(mark->actor, mark->at, by, sizeof by);
			row_detail(row, "Done %s%s%s", by, mark->note ? ": " : "",
				   mark->note ? mark->note : "");
		}
		row->key = xasprintf("%s\n%s", list, items[i].id);
		row->act = checklist_act;
		row->remove = checklist_remove;
	}
}

void pane_generic_build(struct console *con, struct rows *rows, const struct pb_step *step)
{
	const struct pb_item *items;
	size_t n;

	if (!step) {
		rows_add(rows, ROW_TEXT, NULL, "This step is not in the playbook.");
		return;
	}
	pane_intro_rows(con, rows, step->id);
	items = checklist_items(con->pb, step->id, &n);
	if (items && n) {
		rows_add(rows, ROW_HEADING, "Checklist", NULL);
		pane_checklist_rows(con, rows, step->id, items, n);
	}
}

void pane_triage_build(struct console *con, struct rows *rows)
{
	const struct pb_item *items;
	size_t n;

	pane_intro_rows(con, rows, "triage");
	items = checklist_items(con->pb, "triage", &n);
	rows_add(rows, ROW_HEADING, "Triage and containment", NULL);
	pane_checklist_rows(con, rows, "triage", items, n);
}

void pane_security_build(struct console *con, struct rows *rows)
{
	const struct incident *inc = con->iv.inc;
	struct strbuf why;
	struct row *row;

	int reasons = 0;

	sb_init(&why);
	sb_add(&why, "The security mini-SOP applies");
	if (inc->category && playbook_is_security_category(con->pb, inc->category)) {
		sb_addf(&why, ": the category is %s", inc->category);
		reasons++;
	}
	for (size_t i = 0; i < inc->risk_indicators.len; i++) {
		if (!playbook_is_security_trigger(con->pb, inc->risk_indicators.items[i]))
			continue;
		sb_addf(&why, "%s risk indicator %s", reasons++ ? "," : ":",
			inc->risk_indicators.items[i]);
	}
	sb_add(&why, ".");
	row = rows_add(rows, ROW_TEXT, NULL, why.data);
	row->value_role = ROLE_WARNING;
	sb_free(&why);

	for (size_t i = 0; i < con->iv.n_statuses; i++) {
		const struct step_status *s = &con->iv.statuses[i];
		char text[1200];

		if (strcmp(s->step_id, "security") != 0)
			continue;
		snprintf(text, sizeof text, "%s %s%s", draw_glyph(s->complete ? GLYPH_CHECK : GLYPH_WARNING),
			 s->complete ? "Complete" : "Missing: ", s->complete ? "" : s->missing);
		row = rows_add(rows, ROW_TEXT, NULL, text);
		row->value_role = s->complete ? ROLE_OK : ROLE_WARNING;
	}

	rows_add(rows, ROW_HEADING, "Security actions", NULL);
	pane_checklist_rows(con, rows, "security", con->pb->security_actions,
			    con->pb->n_security_actions);
}
