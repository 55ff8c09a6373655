/*
 * Step 6, Resolve: the validations the playbook requires before resolving
 * (each recorded with a note of what was checked), the key customer
 * journeys for the incident's product, the step's checklist, and the
 * actions that change the incident's state. Resolving goes through
 * step_resolve, and its refusal (a validation still missing) is what the
 * message line shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static const struct validation *recorded(const struct console *con, const char *kind)
{
	for (size_t i = 0; i < con->iv.n_validations; i++)
		if (strcmp(con->iv.validations[i].kind, kind) == 0)
			return &con->iv.validations[i];
	return NULL;
}

static int validate_done(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;
	struct wr_error err = {0};
	int rc = step_validate(con->st, con->pb, con->iv.id, r->key, values[0], &err);

	return pane_result(con, rc, &err, "Validation recorded: %s.", r->key);
}

static int validate_act(struct console *con, const struct row *row)
{
	const struct validation *v = recorded(con, row->key);
	char title[512];

	snprintf(title, sizeof title, "%s", row->value ? row->value : row->key);
	prompt_open1(con, title, "Note: what you checked and saw (required)", v ? v->note : NULL,
		     validate_done, pane_ref_new(row->key, 0));
	return UI_HANDLED;
}

/* The state changes, in the order of the buttons. */
enum state_action { STATE_MITIGATE, STATE_RESOLVE, STATE_REOPEN };

static int state_done(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;
	struct wr_error err = {0};
	char *leftovers;
	int rc, flags;

	switch ((enum state_action)r->choice) {
	case STATE_MITIGATE:
		rc = step_mitigate(con->st, con->iv.id, NULL, values[0], &err);
		return pane_result(con, rc, &err, "Incident marked mitigated.");
	case STATE_RESOLVE:
		rc = step_resolve(con->st, con->pb, con->iv.id, NULL, values[0], &err);
		leftovers = rc == 0 ? step_resolve_leftovers(con->st, con->pb, con->iv.id) : NULL;
		if (leftovers)
			flags = pane_result(con, rc, &err, "Incident resolved. Still open in this step: %s.",
					    leftovers);
		else
			flags = pane_result(con, rc, &err, "Incident resolved.");
		free(leftovers);
		/* A refusal is not the note's fault: close the prompt and show why. */
		return rc < 0 && err.status == WR_FAILED ? UI_HANDLED : flags;
	case STATE_REOPEN:
		rc = step_reopen(con->st, con->iv.id, values[0], &err);
		return pane_result(con, rc, &err, "Incident reopened: validations are needed again.");
	}
	return UI_HANDLED;
}

static int state_prompt(struct console *con, enum state_action which)
{
	static const char *const titles[] = {
		"Mark the incident mitigated",
		"Resolve the incident",
		"Reopen the incident",
	};
	static const char *const labels[] = {
		"Note: which mitigation is in place (optional)",
		"Note: how it was fixed (optional)",
		"Reason for reopening (required)",
	};
	struct pane_ref *r = pane_ref_new(NULL, 0);

	r->choice = (int)which;
	prompt_open1(con, titles[which], labels[which], NULL, state_done, r);
	return UI_HANDLED;
}

static int mitigate_act(struct console *con, const struct row *row)
{
	return state_prompt(con, STATE_MITIGATE);
}

static int resolve_act(struct console *con, const struct row *row)
{
	struct wr_error err = {0};

	/* Say why resolving is refused before the commander types a note it would lose. */
	if (step_resolve_ready(con->st, con->pb, con->iv.id, &err) < 0) {
		ui_error(con, &err);
		return UI_HANDLED;
	}
	return state_prompt(con, STATE_RESOLVE);
}

static int reopen_act(struct console *con, const struct row *row)
{
	return state_prompt(con, STATE_REOPEN);
}

void pane_resolve_build(struct console *con, struct rows *rows)
{
	const struct incident *inc = con->iv.inc;
	const struct pb_journeys *journeys = playbook_journeys(con->pb, inc->product);
	const struct pb_item *items;
	char when[64], by[256], text[256];
	struct row *row;
	size_t n;

	pane_intro_rows(con, rows, "resolve");

	rows_add(rows, ROW_HEADING, "Validations before resolving", NULL);
	for (size_t i = 0; i < con->pb->n_validations; i++) {
		const struct pb_item *item = &con->pb->validations[i];
		const struct validation *v = recorded(con, item->id);

		row = rows_add(rows, ROW_ITEM, NULL, item->text);
		if (v) {
			snprintf(text, sizeof text, "[%s]", draw_glyph(GLYPH_CHECK));
			row_mark(row, text, ROLE_OK);
			pane_by(v->actor, v->at, by, sizeof by);
			row_detail(row, "Validated %s: %s", by, v->note ? v->note : "");
		} else {
			row_mark(row, "[ ]", ROLE_WARNING);
			row_detail(row, "Not validated yet");
		}
		row->key = xstrdup(item->id);
		row->act = validate_act;
	}

	if (journeys && journeys->n_journeys) {
		if (strcmp(journeys->product, "*") == 0 || !inc->product)
			snprintf(text, sizeof text, "Key customer journeys to validate");
		else
			snprintf(text, sizeof text, "Key customer journeys for %.200s", inc->product);
		rows_add(rows, ROW_HEADING, text, NULL);
		for (size_t i = 0; i < journeys->n_journeys; i++) {
			row = rows_add(rows, ROW_ITEM, NULL, journeys->journeys[i]);
			row_mark(row, draw_utf8() ? "\xE2\x80\xA2" : "*", ROLE_NORMAL);
			row->selectable = 0;
		}
	}

	items = checklist_items(con->pb, "resolve", &n);
	if (items && n) {
		rows_add(rows, ROW_HEADING, "Checklist", NULL);
		pane_checklist_rows(con, rows, "resolve", items, n);
	}

	rows_add(rows, ROW_HEADING, "Incident state", NULL);
	row = rows_add(rows, ROW_FIELD, "State", inc->status);
	row->selectable = 0;
	if (inc->mitigated_at) {
		ui_local_time(inc->mitigated_at, "%Y-%m-%d %H:%M %Z", when, sizeof when);
		row = rows_add(rows, ROW_FIELD, "Mitigated at", when);
		row->selectable = 0;
	}
	if (inc->resolved_at) {
		ui_local_time(inc->resolved_at, "%Y-%m-%d %H:%M %Z", when, sizeof when);
		row = rows_add(rows, ROW_FIELD, "Resolved at", when);
		row->selectable = 0;
	}
	if (strcmp(inc->status, "open") == 0) {
		row = rows_add(rows, ROW_BUTTON, "> Mark mitigated", NULL);
		row->act = mitigate_act;
	}
	if (strcmp(inc->status, "open") == 0 || strcmp(inc->status, "mitigated") == 0) {
		row = rows_add(rows, ROW_BUTTON, "> Resolve the incident", NULL);
		row->act = resolve_act;
	} else {
		row = rows_add(rows, ROW_BUTTON, "> Reopen the incident", NULL);
		row->act = reopen_act;
	}
}
