/*
 * The severity picker (`s`): the playbook's severities with their meaning,
 * the suggested one marked with the rule that suggested it. Choosing
 * another than the suggestion opens a prompt for the reason first, and the core
 * (step_set_severity) records both.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "ui.h"

const struct pb_severity *picker_suggestion(struct console *con, char *out, size_t size)
{
	const struct incident *inc = con->iv.inc;
	struct severity_suggestion live;
	const struct pb_severity *sev = NULL;
	const char *rule_id = inc->suggestion_rule, *reason = NULL;

	out[0] = '\0';
	if (inc->suggested_severity)
		sev = playbook_severity(con->pb, inc->suggested_severity);

	/* The reason text comes from the playbook rule, or from the live suggestion. */
	for (size_t i = 0; rule_id && i < con->pb->n_severity_rules; i++)
		if (strcmp(con->pb->severity_rules[i].id, rule_id) == 0)
			reason = con->pb->severity_rules[i].reason;
	if (severity_suggest(con->pb, (const char *const *)inc->risk_indicators.items,
			     inc->risk_indicators.len, inc->priority, &live) == 0) {
		if (!sev)
			sev = playbook_severity(con->pb, live.severity);
		if (!reason && sev && strcmp(live.severity, sev->id) == 0) {
			reason = live.reason;
			rule_id = live.rule_id;
		}
	}
	if (!sev)
		return NULL;
	if (reason)
		snprintf(out, size, "%s (rule %s)", reason, rule_id ? rule_id : "?");
	else
		snprintf(out, size, "suggested%s%s", rule_id ? " by rule " : "", rule_id ? rule_id : "");
	return sev;
}

static int set_severity(struct console *con, const char *severity_id, const char *reason)
{
	const struct pb_severity *sev = playbook_severity(con->pb, severity_id);
	struct wr_error err = {0};
	int changed = 1;
	int rc = step_set_severity(con->st, con->pb, con->iv.id, severity_id, reason, &changed, &err);

	if (rc == 0 && !changed)
		return pane_result(con, rc, &err, "The severity already is %s.", sev->label);
	return pane_result(con, rc, &err, "Severity set to %s.", sev->label);
}

static int reason_done(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;

	return set_severity(con, r->key, values[0]);
}

int picker_choose(struct console *con, const char *severity_id)
{
	const struct pb_severity *chosen = playbook_severity(con->pb, severity_id);
	const struct pb_severity *suggested;
	char why[512], title[256];

	if (ui_readonly(con) || !chosen)
		return UI_HANDLED;
	suggested = picker_suggestion(con, why, sizeof why);
	if (!suggested || suggested == chosen)
		return set_severity(con, severity_id, NULL);

	snprintf(title, sizeof title, "%s instead of the suggested %s", chosen->label,
		 suggested->label);
	prompt_open1(con, title, "Reason for the override (recorded on the timeline)", NULL,
		     reason_done, pane_ref_new(severity_id, 0));
	return UI_HANDLED;
}

static int picker_chosen(struct console *con, void *ctx, int choice)
{
	return picker_choose(con, con->pb->severities[choice].id);
}

int picker_open(struct console *con)
{
	const struct incident *inc = con->iv.inc;
	size_t n = con->pb->n_severities;
	struct menu_item *items = xcalloc(n, sizeof *items);
	char **labels = xcalloc(n, sizeof *labels), **marks = xcalloc(n, sizeof *marks);
	char **details = xcalloc(n, sizeof *details);
	const struct pb_severity *suggested;
	char why[512];
	int initial = 0;

	if (!inc || ui_readonly(con)) {
		free(items);
		free(labels);
		free(marks);
		free(details);
		return UI_HANDLED;
	}
	suggested = picker_suggestion(con, why, sizeof why);

	for (size_t i = 0; i < n; i++) {
		const struct pb_severity *sev = &con->pb->severities[i];
		int is_current = inc->severity && strcmp(inc->severity, sev->id) == 0;
		struct strbuf sb;

		labels[i] = xstrdup(sev->label);
		for (char *p = labels[i]; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		sb_init(&sb);
		if (is_current)
			sb_add(&sb, "(current) ");
		if (sev == suggested)
			sb_addf(&sb, "%s suggested: %s", draw_glyph(GLYPH_STAR), why);
		marks[i] = sb_take(&sb);
		sb_free(&sb);
		if (sev->update_due_minutes > 0)
			details[i] = xasprintf("%s. Dashboard %s; updates every %d min, overdue after %d.",
					       sev->meaning, sev->priority ? sev->priority : "-",
					       sev->update_due_minutes, sev->update_limit_minutes);
		else
			details[i] = xasprintf("%s. Dashboard %s; no fixed update cadence.", sev->meaning,
					       sev->priority ? sev->priority : "-");
		items[i].label = labels[i];
		items[i].mark = marks[i][0] ? marks[i] : NULL;
		items[i].mark_role = sev == suggested ? ROLE_SUGGESTED : ROLE_DIM;
		items[i].detail = details[i];
		if (is_current || (!inc->severity && sev == suggested))
			initial = (int)i;
	}
	menu_open(con, "Severity", items, n, initial, picker_chosen, NULL);
	for (size_t i = 0; i < n; i++) {
		free(labels[i]);
		free(marks[i]);
		free(details[i]);
	}
	free(labels);
	free(marks);
	free(details);
	free(items);
	return UI_HANDLED;
}
