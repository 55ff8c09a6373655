/*
 * Step 5, Impact: the customer impact statement Customer Service receives
 * (what is impacted, who, since when, the current status) and the
 * payment-failure windows Finance receives. The core takes the four impact
 * facts together, so editing any of them opens one form with all three
 * text facts, followed by the status picker when no status is set yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static int impact_save(struct console *con, const char *what, const char *who, const char *since,
		       const char *status)
{
	struct wr_error err = {0};
	int changed = 1;
	int rc = step_impact(con->st, con->pb, con->iv.id, what, who, since, status, &changed, &err);

	if (rc == 0 && !changed)
		return pane_result(con, rc, &err, "The impact statement already says that.");
	return pane_result(con, rc, &err, "Impact statement recorded.");
}

static int status_chosen(struct console *con, void *ctx, int choice);

/* Opens the status picker, carrying the three text facts in a ref. */
static void status_menu(struct console *con, const char *what, const char *who, const char *since)
{
	size_t n = con->pb->n_impact_statuses;
	struct menu_item *items = xcalloc(n ? n : 1, sizeof *items);
	struct pane_ref *r = pane_ref_new(NULL, 0);
	const char *current = con->iv.inc->impact_status;
	int initial = 0;

	snprintf(r->values[0], sizeof r->values[0], "%s", what ? what : "");
	snprintf(r->values[1], sizeof r->values[1], "%s", who ? who : "");
	snprintf(r->values[2], sizeof r->values[2], "%s", since ? since : "");
	for (size_t i = 0; i < n; i++) {
		items[i].label = con->pb->impact_statuses[i];
		if (current && strcmp(current, con->pb->impact_statuses[i]) == 0) {
			items[i].mark = "(current)";
			items[i].mark_role = ROLE_DIM;
			initial = (int)i;
		}
	}
	menu_open(con, "Current status", items, n, initial, status_chosen, r);
	free(items);
}

static int facts_done(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;
	const char *status = r->values[3][0] ? r->values[3] : con->iv.inc->impact_status;

	if (!status) {
		status_menu(con, values[0], values[1], values[2]);
		return UI_HANDLED;
	}
	return impact_save(con, values[0], values[1], values[2], status);
}

/* Opens the form of the three text facts; STATUS (may be NULL) is the status chosen before it. */
static void facts_form(struct console *con, const struct pane_ref *from, const char *status)
{
	static const char *const labels[] = {
		"What is impacted (for example: card payments, login)",
		"Who is impacted (for example: some customers, all customers)",
		"Since when (ISO 8601 time, UTC unless an offset is given)",
	};
	const struct incident *inc = con->iv.inc;
	const char *initial[3] = {inc->impact_what, inc->impact_who, inc->impact_since};
	struct pane_ref *r = pane_ref_new(NULL, 0);

	/* Values typed before the status picker come back as they were typed. */
	for (int i = 0; from && i < 3; i++)
		if (from->values[i][0])
			initial[i] = from->values[i];
	if (!initial[2])
		initial[2] = inc->started_at;
	if (status)
		snprintf(r->values[3], sizeof r->values[3], "%s", status);
	prompt_open(con, "Customer impact statement", labels, initial, 3, facts_done, r);
}

static int status_chosen(struct console *con, void *ctx, int choice)
{
	const struct pane_ref *r = ctx;
	const char *status = con->pb->impact_statuses[choice];

	if (!r->values[0][0] || !r->values[1][0] || !r->values[2][0]) {
		facts_form(con, r, status);
		return UI_HANDLED;
	}
	return impact_save(con, r->values[0], r->values[1], r->values[2], status);
}

static int facts_act(struct console *con, const struct row *row)
{
	facts_form(con, NULL, NULL);
	return UI_HANDLED;
}

static int status_act(struct console *con, const struct row *row)
{
	const struct incident *inc = con->iv.inc;

	status_menu(con, inc->impact_what, inc->impact_who, inc->impact_since);
	return UI_HANDLED;
}

/* Splits the comma-separated TEXT into trimmed, non-empty items. */
static void split_types(const char *text, struct strlist *out)
{
	const char *p = text;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *item;

		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len) {
			item = xstrndup(p, len);
			strlist_add(out, item);
			free(item);
		}
		if (!end)
			break;
		p = end + 1;
	}
}

static int window_done(struct console *con, void *ctx, char *const *values)
{
	struct strlist types = {0};
	struct wr_error err = {0};
	int rc;

	split_types(values[2], &types);
	rc = window_add(con->st, con->iv.id, values[0], values[1][0] ? values[1] : NULL,
			(const char *const *)types.items, types.len, 0, NULL, &err);
	strlist_free(&types);
	return pane_result(con, rc, &err, "Payment-failure window added, unconfirmed.");
}

static int window_new(struct console *con, const struct row *row)
{
	static const char *const labels[] = {
		"From (ISO 8601 time)",
		"To (ISO 8601 time; empty while failures continue)",
		"Transaction types, separated by commas (card, transfer...)",
	};

	prompt_open(con, "Add a payment-failure window", labels, NULL, 3, window_done, NULL);
	return UI_HANDLED;
}

static int window_end_done(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;
	struct wr_error err = {0};
	int rc = window_set_end(con->st, con->iv.id, r->ref, values[0], &err);

	return pane_result(con, rc, &err, "Window end set.");
}

static int window_chosen(struct console *con, void *ctx, int choice)
{
	const struct pane_ref *r = ctx;
	struct wr_error err = {0};
	int rc;

	if (choice == 0) {
		prompt_open1(con, "End of the payment-failure window", "To (ISO 8601 time)", NULL,
			     window_end_done, pane_ref_new(NULL, r->ref));
		return UI_HANDLED;
	}
	rc = window_confirm(con->st, con->iv.id, r->ref, &err);
	return pane_result(con, rc, &err, "Window confirmed for Finance.") & ~UI_KEEP;
}

static int window_act(struct console *con, const struct row *row)
{
	static const struct menu_item items[] = {
		{"Set the end", "When the failures stopped", NULL, ROLE_NORMAL},
		{"Confirm", "Validated: Finance may rely on it", NULL, ROLE_NORMAL},
	};

	menu_open(con, "Payment-failure window", items, 2, 0, window_chosen,
		  pane_ref_new(NULL, row->ref));
	return UI_HANDLED;
}

void pane_impact_build(struct console *con, struct rows *rows)
{
	const struct incident *inc = con->iv.inc;
	char since[64];
	struct row *row;

	pane_intro_rows(con, rows, "impact");
	rows_add(rows, ROW_HEADING, "Customer impact statement", NULL);
	row = rows_add(rows, ROW_FIELD, "What is impacted", inc->impact_what);
	row->act = facts_act;
	row = rows_add(rows, ROW_FIELD, "Who is impacted", inc->impact_who);
	row->act = facts_act;
	ui_local_time(inc->impact_since, "%Y-%m-%d %H:%M %Z", since, sizeof since);
	row = rows_add(rows, ROW_FIELD, "Since", since[0] ? since : inc->impact_since);
	row->act = facts_act;
	row = rows_add(rows, ROW_FIELD, "Current status", inc->impact_status);
	row->act = status_act;

	rows_add(rows, ROW_HEADING, "Payment-failure windows (for Finance)", NULL);
	for (size_t i = 0; i < con->iv.n_windows; i++) {
		const struct payment_window *w = &con->iv.windows[i];
		char from[64], to[64], by[256];
		struct strbuf sb;

		ui_local_time(w->from, "%Y-%m-%d %H:%M", from, sizeof from);
		ui_local_time(w->to, "%H:%M %Z", to, sizeof to);
		sb_init(&sb);
		sb_addf(&sb, "%s to %s", from, w->to ? to : "now (still failing)");
		for (size_t k = 0; k < w->types.len; k++)
			sb_addf(&sb, "%s%s", k ? ", " : ": ", w->types.items[k]);
		row = rows_add(rows, ROW_ITEM, NULL, sb.data);
		sb_free(&sb);
		if (w->confirmed)
			row_mark(row, "[confirmed]", ROLE_OK);
		else if (w->to)
			row_mark(row, "[unconfirmed]", ROLE_WARNING);
		else
			row_mark(row, "[open]", ROLE_WARNING);
		pane_by(w->added_by, w->added_at, by, sizeof by);
		row_detail(row, "added %s", by);
		row->ref = w->id;
		row->act = window_act;
		row->add = window_new;
	}
	row = rows_add(rows, ROW_BUTTON, "+ Add a payment-failure window", NULL);
	row->act = window_new;
	row->add = window_new;
}
