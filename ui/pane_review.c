/*
 * Step 7, Review: the post-incident review. The root cause, corrective
 * actions and prevention tasks (each with an owner and a due date), the
 * management approvals the guardrails consult, decisions, the status
 * updates sent (the communications review), the Markdown export and
 * closing the incident.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "ui.h"

static int root_cause_done(struct console *con, void *ctx, char *const *values)
{
	struct wr_error err = {0};
	int rc = review_root_cause(con->st, con->iv.id, values[0], &err);

	return pane_result(con, rc, &err, "Root cause recorded.");
}

static int root_cause_act(struct console *con, const struct row *row)
{
	prompt_open1(con, "Root cause", "What caused the incident (e opens $EDITOR from the pane)",
		     con->iv.inc->root_cause, root_cause_done, NULL);
	return UI_HANDLED;
}

static int root_cause_external(struct console *con, const struct row *row)
{
	char *text = external_edit(con, con->iv.inc->root_cause ? con->iv.inc->root_cause : "");
	char *values[1];
	int flags;

	if (!text)
		return UI_HANDLED;
	values[0] = text;
	flags = root_cause_done(con, NULL, values);
	free(text);
	return flags & ~UI_KEEP;
}

static int action_done_form(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;
	struct wr_error err = {0};
	int rc = action_add(con->st, con->iv.id, r->key, values[0], values[1], values[2], NULL, &err);

	return pane_result(con, rc, &err, "%s added.",
			   strcmp(r->key, "corrective") == 0 ? "Corrective action" : "Prevention task");
}

static int action_form(struct console *con, const char *kind)
{
	static const char *const labels[] = {
		"Owner",
		"Due date (YYYY-MM-DD)",
		"What is to be done",
	};

	prompt_open(con,
		    strcmp(kind, "corrective") == 0 ? "Add a corrective action" : "Add a prevention task",
		    labels, NULL, 3, action_done_form, pane_ref_new(kind, 0));
	return UI_HANDLED;
}

static int corrective_new(struct console *con, const struct row *row)
{
	return action_form(con, "corrective");
}

static int prevention_new(struct console *con, const struct row *row)
{
	return action_form(con, "prevention");
}

static int action_chosen(struct console *con, void *ctx, int choice)
{
	const struct pane_ref *r = ctx;
	struct wr_error err = {0};
	int rc;

	if (choice != 0)
		return UI_HANDLED;
	rc = action_done(con->st, con->iv.id, r->ref, &err);
	return pane_result(con, rc, &err, "Marked done.") & ~UI_KEEP;
}

static int action_act(struct console *con, const struct row *row)
{
	static const struct menu_item items[] = {
		{"Mark done", NULL, NULL, ROLE_NORMAL},
		{"Leave it open", NULL, NULL, ROLE_NORMAL},
	};

	menu_open(con, row->value, items, 2, 0, action_chosen, pane_ref_new(NULL, row->ref));
	return UI_HANDLED;
}

static int approval_done(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;
	struct wr_error err = {0};
	int rc = approval_record(con->st, con->iv.id, r->key, values[0], values[1], &err);

	return pane_result(con, rc, &err, "Approval recorded.");
}

static int approval_act(struct console *con, const struct row *row)
{
	static const char *const labels[] = {"Approved by (name and role)", "Note (optional)"};

	prompt_open(con,
		    strcmp(row->key, "vendor-blame") == 0
			    ? "Management approval to name the third party as the cause"
			    : "Approval to share the root cause with Marketing",
		    labels, NULL, 2, approval_done, pane_ref_new(row->key, 0));
	return UI_HANDLED;
}

static int decision_done(struct console *con, void *ctx, char *const *values)
{
	struct wr_error err = {0};
	int rc = decision_add(con->st, con->iv.id, values[0], &err);

	return pane_result(con, rc, &err, "Decision recorded.");
}

static int decision_new(struct console *con, const struct row *row)
{
	prompt_open1(con, "Record a decision", "Decision", NULL, decision_done, NULL);
	return UI_HANDLED;
}

static int export_done(struct console *con, void *ctx, char *const *values)
{
	struct wr_error err = {0};
	char *text;

	if (!values[0][0]) {
		ui_message(con, "Enter a file name for the review.");
		con->message_error = 1;
		return UI_KEEP;
	}
	text = export_review(con->st, con->pb, con->iv.id, &err);
	if (!text) {
		ui_error(con, &err);
		return UI_HANDLED;
	}
	if (export_write_file(values[0], text, &err) < 0) {
		free(text);
		ui_error(con, &err);
		return UI_KEEP;
	}
	free(text);
	ui_message(con, "Review written to %s.", values[0]);
	return UI_HANDLED;
}

static int export_act(struct console *con, const struct row *row)
{
	char name[128];

	snprintf(name, sizeof name, "%s-review.md", con->iv.id);
	prompt_open1(con, "Export the post-incident review as Markdown", "File to write", name,
		     export_done, NULL);
	return UI_HANDLED;
}

static int close_reason_done(struct console *con, void *ctx, char *const *values)
{
	struct wr_error err = {0};
	int rc = step_close(con->st, con->pb, con->iv.id, values[0], &err);

	return pane_result(con, rc, &err, "Incident closed without a complete review.");
}

/* Returns nonzero when a step the playbook needs before closing is incomplete. */
static int review_incomplete(const struct console *con)
{
	for (size_t i = 0; i < con->pb->n_steps; i++) {
		if (!con->pb->steps[i].before_close)
			continue;
		for (size_t k = 0; k < con->iv.n_statuses; k++)
			if (strcmp(con->iv.statuses[k].step_id, con->pb->steps[i].id) == 0 &&
			    !con->iv.statuses[k].complete)
				return 1;
	}
	return 0;
}

static int close_chosen(struct console *con, void *ctx, int choice)
{
	struct wr_error err = {0};
	int rc;

	if (choice != 0)
		return UI_HANDLED;
	if (review_incomplete(con)) {
		prompt_open1(con, "The review is not complete: why close without it?", "Reason", NULL,
			     close_reason_done, NULL);
		return UI_HANDLED;
	}
	rc = step_close(con->st, con->pb, con->iv.id, NULL, &err);
	return pane_result(con, rc, &err, "Incident closed.") & ~UI_KEEP;
}

static int close_act(struct console *con, const struct row *row)
{
	static const struct menu_item items[] = {
		{"Close it", "Steps 1 to 6 stop taking changes until it is reopened",
		 NULL, ROLE_NORMAL},
		{"Keep it open", NULL, NULL, ROLE_NORMAL},
	};

	menu_open(con, "Close the incident?", items, 2, 1, close_chosen, NULL);
	return UI_HANDLED;
}

static void action_rows(struct console *con, struct rows *rows, const char *kind, row_fn add)
{
	for (size_t i = 0; i < con->iv.n_actions; i++) {
		const struct action *a = &con->iv.actions[i];
		char mark[32], when[64];
		struct row *row;

		if (strcmp(a->kind, kind) != 0)
			continue;
		row = rows_add(rows, ROW_ITEM, NULL, a->text);
		if (a->done_at) {
			snprintf(mark, sizeof mark, "[%s]", draw_glyph(GLYPH_CHECK));
			row_mark(row, mark, ROLE_OK);
			ui_local_time(a->done_at, "%Y-%m-%d", when, sizeof when);
			row_detail(row, "owner %s, due %s; done %s", a->owner, a->due, when);
		} else {
			row_mark(row, "[ ]", ROLE_NORMAL);
			row_detail(row, "owner %s, due %s; open", a->owner, a->due);
		}
		row->ref = a->id;
		row->act = action_act;
		row->add = add;
	}
}

/* Returns the label of audience ID, or ID itself. */
static const char *audience_label(const struct console *con, const char *id)
{
	const struct pb_audience *a = playbook_audience(con->pb, id);

	return a ? a->label : id;
}

void pane_review_build(struct console *con, struct rows *rows)
{
	const struct incident *inc = con->iv.inc;
	char by[256];
	struct row *row;

	pane_intro_rows(con, rows, "review");

	rows_add(rows, ROW_HEADING, "Root cause", NULL);
	row = rows_add(rows, ROW_FIELD, "Root cause", inc->root_cause);
	row->act = root_cause_act;
	row->external = root_cause_external;

	rows_add(rows, ROW_HEADING, "Corrective actions", NULL);
	action_rows(con, rows, "corrective", corrective_new);
	row = rows_add(rows, ROW_BUTTON, "+ Add a corrective action", NULL);
	row->act = corrective_new;
	row->add = corrective_new;

	rows_add(rows, ROW_HEADING, "Prevention tasks", NULL);
	action_rows(con, rows, "prevention", prevention_new);
	row = rows_add(rows, ROW_BUTTON, "+ Add a prevention task", NULL);
	row->act = prevention_new;
	row->add = prevention_new;

	rows_add(rows, ROW_HEADING, "Approvals", NULL);
	row = rows_add(rows, ROW_FIELD, "Vendor as cause", inc->vendor_blame_approved_by);
	row->key = xstrdup("vendor-blame");
	row->act = approval_act;
	row = rows_add(rows, ROW_FIELD, "Root cause to Marketing", inc->root_cause_approved_by);
	row->key = xstrdup("root-cause");
	row->act = approval_act;

	rows_add(rows, ROW_HEADING, "Decisions", NULL);
	for (size_t i = 0; i < con->iv.n_decisions; i++) {
		const struct decision *d = &con->iv.decisions[i];

		row = rows_add(rows, ROW_ITEM, NULL, d->text);
		row_mark(row, draw_utf8() ? "\xE2\x80\xA2" : "*", ROLE_NORMAL);
		pane_by(d->decided_by, d->at, by, sizeof by);
		row_detail(row, "%s", by);
		row->add = decision_new;
	}
	row = rows_add(rows, ROW_BUTTON, "+ Record a decision", NULL);
	row->act = decision_new;
	row->add = decision_new;

	rows_add(rows, ROW_HEADING, "Communications", NULL);
	if (con->iv.n_updates == 0) {
		row = rows_add(rows, ROW_TEXT, NULL, "No status updates yet: press u to write one.");
		row->value_role = ROLE_DIM;
	}
	for (size_t i = 0; i < con->iv.n_updates; i++) {
		const struct update *u = &con->iv.updates[i];
		char mark[64];

		row = rows_add(rows, ROW_ITEM, NULL, u->text);
		snprintf(mark, sizeof mark, "[%s]", u->state);
		row_mark(row, mark, strcmp(u->state, "published") == 0 ? ROLE_OK : ROLE_WARNING);
		if (u->published_by)
			pane_by(u->published_by, u->published_at, by, sizeof by);
		else if (u->approved_by)
			pane_by(u->approved_by, u->approved_at, by, sizeof by);
		else
			pane_by(u->created_by, u->created_at, by, sizeof by);
		row_detail(row, "to %s, %s %s%s%s", audience_label(con, u->audience), u->state, by,
			   u->override_reason ? "; guardrails overridden: " : "",
			   u->override_reason ? u->override_reason : "");
		row->selectable = 0;
	}

	rows_add(rows, ROW_HEADING, "Finish", NULL);
	row = rows_add(rows, ROW_BUTTON, "> Export the review as Markdown", NULL);
	row->act = export_act;
	if (strcmp(inc->status, "resolved") == 0) {
		row = rows_add(rows, ROW_BUTTON, "> Close the incident", NULL);
		row->act = close_act;
	}
}
