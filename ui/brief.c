/*
 * The brief (`b`): what `warroom brief` prints for the open incident (the
 * reproduction request, logging checklist, containment, a Customer Service
 * draft and the escalation), shown in a pager. Numbered section titles
 * stand out; the text itself comes from the core, escaped.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "ui.h"

int brief_open(struct console *con)
{
	struct brief_rules *rules;
	struct strbuf problems;
	struct wr_error err = {0};
	const struct guard *guard = console_guard(con);
	struct pager_line *lines = NULL;
	size_t n = 0, cap = 0;
	char *text, *p;

	if (!guard || !con->iv.inc)
		return UI_HANDLED;
	sb_init(&problems);
	rules = brief_rules_load(con->pb, &problems, &err);
	sb_free(&problems);
	if (!rules) {
		ui_error(con, &err);
		return UI_HANDLED;
	}
	text = brief_build(con->st, con->pb, rules, guard, con->iv.id, &err);
	brief_rules_free(rules);
	if (!text) {
		ui_error(con, &err);
		return UI_HANDLED;
	}

	/* One pager line per line of the brief; "1. Title" lines are section titles. */
	for (p = text; *p;) {
		char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			lines = xrealloc(lines, cap * sizeof *lines);
		}
		lines[n].text = xstrndup(p, len);
		lines[n].role = len > 2 && isdigit((unsigned char)p[0]) && p[1] == '.' ? ROLE_TITLE
										    : ROLE_NORMAL;
		if (n == 0)
			lines[n].role = ROLE_LABEL;
		n++;
		p += len;
		if (*p == '\n')
			p++;
	}
	free(text);
	pager_open(con, "Brief", lines, n);
	return UI_HANDLED;
}
