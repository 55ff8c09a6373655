/*
 * Step 1, Classify: the category and the scope, each chosen from the
 * playbook's lists. The category that the risk indicators suggest
 * (severity_suggest_category) is marked in the picker, with the indicators
 * that led to it listed below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "ui.h"

static const char *suggested_category(const struct console *con)
{
	const struct incident *inc = con->iv.inc;

	return severity_suggest_category(con->pb, (const char *const *)inc->risk_indicators.items,
					 inc->risk_indicators.len);
}

static int category_chosen(struct console *con, void *ctx, int choice)
{
	const struct pb_term *term = &con->pb->categories[choice];
	struct wr_error err = {0};
	int changed = 1;
	int rc = step_classify(con->st, con->pb, con->iv.id, term->id, NULL, NULL, &changed, &err);

	if (rc == 0 && !changed)
		return pane_result(con, rc, &err, "The category already is %s.", term->label);
	return pane_result(con, rc, &err, "Category set to %s.", term->label);
}

static int scope_chosen(struct console *con, void *ctx, int choice)
{
	const struct pb_term *term = &con->pb->scopes[choice];
	struct wr_error err = {0};
	int changed = 1;
	int rc = step_classify(con->st, con->pb, con->iv.id, NULL, term->id, NULL, &changed, &err);

	if (rc == 0 && !changed)
		return pane_result(con, rc, &err, "The scope already is %s.", term->label);
	return pane_result(con, rc, &err, "Scope set to %s.", term->label);
}

/* Opens a menu of the N TERMS, marking CURRENT and SUGGESTED (either may be NULL). */
static void term_menu(struct console *con, const char *title, const struct pb_term *terms, size_t n,
		      const char *current, const char *suggested, menu_done_fn done)
{
	struct menu_item *items = xcalloc(n, sizeof *items);
	char **marks = xcalloc(n, sizeof *marks);
	int initial = 0;

	for (size_t i = 0; i < n; i++) {
		int is_current = current && strcmp(terms[i].id, current) == 0;
		int is_suggested = suggested && strcmp(terms[i].id, suggested) == 0;

		items[i].label = terms[i].label;
		if (is_current && is_suggested)
			marks[i] = xasprintf("(current, %s suggested)", draw_glyph(GLYPH_STAR));
		else if (is_current)
			marks[i] = xstrdup("(current)");
		else if (is_suggested)
			marks[i] = xasprintf("%s suggested by the risk indicators",
					     draw_glyph(GLYPH_STAR));
		items[i].mark = marks[i];
		items[i].mark_role = is_suggested ? ROLE_SUGGESTED : ROLE_DIM;
		if (is_current || (!current && is_suggested))
			initial = (int)i;
	}
	menu_open(con, title, items, n, initial, done, NULL);
	for (size_t i = 0; i < n; i++)
		free(marks[i]);
	free(marks);
	free(items);
}

static int category_act(struct console *con, const struct row *row)
{
	term_menu(con, "Category", con->pb->categories, con->pb->n_categories,
		  con->iv.inc->category, suggested_category(con), category_chosen);
	return UI_HANDLED;
}

static int scope_act(struct console *con, const struct row *row)
{
	term_menu(con, "Scope", con->pb->scopes, con->pb->n_scopes, con->iv.inc->scope, NULL,
		  scope_chosen);
	return UI_HANDLED;
}

void pane_classify_build(struct console *con, struct rows *rows)
{
	const struct incident *inc = con->iv.inc;
	const char *suggested = suggested_category(con);
	const struct pb_term *category = inc->category ? playbook_category(con->pb, inc->category)
						       : NULL;
	const struct pb_term *scope = inc->scope ? playbook_scope(con->pb, inc->scope) : NULL;
	const struct pb_term *hint = suggested ? playbook_category(con->pb, suggested) : NULL;
	struct row *row;

	pane_intro_rows(con, rows, "classify");
	rows_add(rows, ROW_HEADING, "Classification", NULL);

	row = rows_add(rows, ROW_FIELD, "Category",
		       category ? category->label : inc->category);
	row->act = category_act;
	if (hint && (!inc->category || strcmp(inc->category, suggested) != 0)) {
		char text[256];

		snprintf(text, sizeof text, "%s Suggested by the risk indicators: %s",
			 draw_glyph(GLYPH_STAR), hint->label);
		row = rows_add(rows, ROW_TEXT, NULL, text);
		row->value_role = ROLE_SUGGESTED;
	}

	row = rows_add(rows, ROW_FIELD, "Scope", scope ? scope->label : inc->scope);
	row->act = scope_act;

	rows_add(rows, ROW_HEADING, "From the dashboard", NULL);
	row = rows_add(rows, ROW_FIELD, "Priority", inc->priority);
	row->selectable = 0;
	if (inc->risk_indicators.len == 0) {
		row = rows_add(rows, ROW_FIELD, "Risk indicators", "none");
		row->selectable = 0;
	}
	for (size_t i = 0; i < inc->risk_indicators.len; i++) {
		const struct pb_term *ind = playbook_indicator(con->pb, inc->risk_indicators.items[i]);
		const struct pb_term *cat = ind && ind->suggests_category
						    ? playbook_category(con->pb, ind->suggests_category)
						    : NULL;

		struct strbuf value;

		sb_init(&value);
		sb_add(&value, ind ? ind->label : inc->risk_indicators.items[i]);
		if (cat)
			sb_addf(&value, " (suggests %s)", cat->label);
		if (playbook_is_security_trigger(con->pb, inc->risk_indicators.items[i]))
			sb_add(&value, " (starts the security mini-SOP)");
		row = rows_add(rows, ROW_FIELD, i == 0 ? "Risk indicators" : "", value.data);
		row->selectable = 0;
		sb_free(&value);
	}
	if (inc->reproduction) {
		row = rows_add(rows, ROW_FIELD, "Reproduction", inc->reproduction);
		row->selectable = 0;
	}
}
