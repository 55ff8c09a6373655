/*
 * Step 2, Severity: the current severity, the suggestion and the rule
 * behind it, and each severity of the playbook with its meaning. Enter on
 * a severity chooses it, as the picker does.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

static int severity_act(struct console *con, const struct row *row)
{
	return picker_choose(con, row->key);
}

static int severity_field_act(struct console *con, const struct row *row)
{
	return picker_open(con);
}

void pane_severity_build(struct console *con, struct rows *rows)
{
	const struct incident *inc = con->iv.inc;
	const struct pb_severity *current = inc->severity ? playbook_severity(con->pb, inc->severity)
							  : NULL;
	const struct pb_severity *suggested;
	char why[512], text[640];
	struct row *row;

	pane_intro_rows(con, rows, "severity");
	rows_add(rows, ROW_HEADING, "Severity", NULL);
	row = rows_add(rows, ROW_FIELD, "Current", current ? current->label : inc->severity);
	row->act = severity_field_act;
	suggested = picker_suggestion(con, why, sizeof why);
	if (suggested) {
		snprintf(text, sizeof text, "%s %s: %s", draw_glyph(GLYPH_STAR), suggested->label, why);
		row = rows_add(rows, ROW_FIELD, "Suggested", text);
		row->value_role = ROLE_SUGGESTED;
		row->selectable = 0;
	}

	rows_add(rows, ROW_HEADING, "Choose", NULL);
	for (size_t i = 0; i < con->pb->n_severities; i++) {
		const struct pb_severity *sev = &con->pb->severities[i];
		char label[64];
		size_t k;

		for (k = 0; sev->label[k] && k + 1 < sizeof label; k++)
			label[k] = (char)toupper((unsigned char)sev->label[k]);
		label[k] = '\0';
		row = rows_add(rows, ROW_ITEM, NULL, sev->meaning);
		row_mark(row, label, theme_severity_role(sev->rank));
		row->key = xstrdup(sev->id);
		row->act = severity_act;
		if (sev == current && sev == suggested)
			row_detail(row, "current; %s suggested", draw_glyph(GLYPH_STAR));
		else if (sev == current)
			row_detail(row, "current");
		else if (sev == suggested)
			row_detail(row, "%s suggested", draw_glyph(GLYPH_STAR));
	}
}
