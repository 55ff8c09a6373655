/*
 * The incident list, where `warroom` with no command starts: one line per
 * incident with its id, severity, state, age, the state of its next status
 * update, product and summary. Enter opens the incident; a switches between
 * open incidents and all of them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "ui.h"

void list_load(struct console *con)
{
	struct list_view *list = &con->list;
	struct wr_error err = {0};
	char *keep = NULL;

	/* Keep the cursor on the same incident across a reload. */
	if (list->cursor >= 0 && (size_t)list->cursor < list->n)
		keep = xstrdup(list->items[list->cursor].id);
	incident_list_free(list->items, list->n);
	list->items = NULL;
	list->n = 0;

	if (incident_list(con->st, list->all, &list->items, &list->n, &err) < 0)
		ui_error(con, &err);

	if (keep) {
		for (size_t i = 0; i < list->n; i++)
			if (strcmp(list->items[i].id, keep) == 0)
				list->cursor = (int)i;
		free(keep);
	}
	if (list->cursor >= (int)list->n)
		list->cursor = list->n ? (int)list->n - 1 : 0;
	con->dirty = 1;
}

void list_free(struct list_view *list)
{
	incident_list_free(list->items, list->n);
	list->items = NULL;
	list->n = 0;
}

/* Writes the severity of INC as the list shows it ("SEV 1", "SEV 0?" when only suggested, else "-"). */
static enum theme_role severity_text(struct console *con, const struct incident *inc, char *out,
				     size_t size)
{
	const struct pb_severity *sev = inc->severity ? playbook_severity(con->pb, inc->severity)
						      : NULL;
	int suggested = 0;
	size_t i;

	if (!sev && inc->suggested_severity) {
		sev = playbook_severity(con->pb, inc->suggested_severity);
		suggested = sev != NULL;
	}
	if (!sev) {
		snprintf(out, size, "-");
		return ROLE_DIM;
	}
	snprintf(out, size, "%s%s", sev->label, suggested ? "?" : "");
	for (i = 0; out[i]; i++)
		out[i] = (char)toupper((unsigned char)out[i]);
	return suggested ? ROLE_WARNING : theme_severity_role(sev->rank);
}

/*
 * Writes the most urgent update state of INC over the audiences that follow
 * the cadence ("OVERDUE", "due", "ok", or "-" when none applies), so an
 * overdue update shows before the incident is opened.
 */
static enum theme_role update_text(struct console *con, const struct incident *inc, char *out,
				   size_t size)
{
	struct cadence_entry *entries = NULL;
	enum cadence_state worst = CADENCE_NONE;
	struct wr_error err = {0};
	size_t n = 0;

	if (cadence_all(con->st, con->pb, inc->id, con->now, &entries, &n, &err) < 0)
		n = 0;
	for (size_t i = 0; i < n; i++)
		if (entries[i].cadence.state > worst)
			worst = entries[i].cadence.state;
	free(entries);

	switch (worst) {
	case CADENCE_OVERDUE:
		snprintf(out, size, "OVERDUE");
		return ROLE_ALERT;
	case CADENCE_DUE:
		snprintf(out, size, "due");
		return ROLE_WARNING;
	case CADENCE_OK:
		snprintf(out, size, "ok");
		return ROLE_OK;
	default:
		snprintf(out, size, "-");
		return ROLE_DIM;
	}
}

void list_draw(struct console *con)
{
	struct list_view *list = &con->list;
	int cols = con->lay.cols, y0 = 3, h = con->lay.message_y - y0;
	static const int widths[] = {15, 7, 10, 9, 9, 24};
	static const char *const titles[] = {"ID", "SEV", "STATE", "AGE", "UPDATE", "PRODUCT",
					     "SUMMARY"};
	char title[128], observers[32];
	int x = 2;

	draw_blank(stdscr, 0, 0, cols, theme_attr(ROLE_HEADER));
	snprintf(title, sizeof title, " warroom %s Incidents: %s (%zu)", draw_glyph(GLYPH_DOT),
		 list->all ? "all" : "open", list->n);
	x = draw_label(stdscr, 0, 0, title, cols, theme_attr(ROLE_HEADER_ID));
	if (con->readonly)
		draw_label(stdscr, 0, x + 1, " READ-ONLY ", cols - x - 1, theme_attr(ROLE_WARNING));
	header_observers(con, observers, sizeof observers);
	if (cols - draw_width(observers) - 1 > x + 13)
		draw_label(stdscr, 0, cols - draw_width(observers) - 1, observers,
			   draw_width(observers), theme_attr(ROLE_HEADER));
	x = 2;

	for (size_t c = 0; c < 7; c++) {
		draw_label(stdscr, 2, x, titles[c], c < 6 ? widths[c] : cols - x - 1,
			   theme_attr(ROLE_LABEL));
		if (c < 6)
			x += widths[c];
	}
	draw_hline(stdscr, 1, 0, cols, theme_attr(ROLE_BORDER));

	if (list->n == 0) {
		draw_label(stdscr, y0 + 1, 2,
			   list->all ? "No incidents yet. Import a handoff with `warroom import FILE`."
				     : "No open incidents. Press a to show all of them, or import a "
				       "handoff with `warroom import FILE`.",
			   cols - 4, theme_attr(ROLE_DIM));
		return;
	}

	if (list->cursor < list->top)
		list->top = list->cursor;
	if (list->cursor >= list->top + h)
		list->top = list->cursor - h + 1;
	for (int row = 0; row < h && list->top + row < (int)list->n; row++) {
		int i = list->top + row;
		const struct incident *inc = &list->items[i];
		int selected = i == list->cursor;
		attr_t base = theme_attr(selected ? ROLE_SELECTED : ROLE_NORMAL);
		char text[64], age[32];
		enum theme_role sev_role, update_role;

		x = 2;
		if (selected) {
			draw_blank(stdscr, y0 + row, 0, cols, base);
			draw_label(stdscr, y0 + row, 0, draw_glyph(GLYPH_ARROW), 1, base | A_BOLD);
		}
		draw_text(stdscr, y0 + row, x, inc->id, widths[0] - 1, base | A_BOLD);
		x += widths[0];
		sev_role = severity_text(con, inc, text, sizeof text);
		draw_label(stdscr, y0 + row, x, text, widths[1] - 1,
			   selected ? base | A_BOLD : theme_attr(sev_role));
		x += widths[1];
		draw_text(stdscr, y0 + row, x, inc->status, widths[2] - 1, base);
		x += widths[2];
		ui_incident_age(con->now, inc, age, sizeof age);
		draw_label(stdscr, y0 + row, x, age, widths[3] - 1, base);
		x += widths[3];
		update_role = update_text(con, inc, text, sizeof text);
		draw_label(stdscr, y0 + row, x, text, widths[4] - 1,
			   selected ? base | A_BOLD : theme_attr(update_role));
		x += widths[4];
		draw_text(stdscr, y0 + row, x, inc->product ? inc->product : "", widths[5] - 1, base);
		x += widths[5];
		draw_text(stdscr, y0 + row, x, inc->summary ? inc->summary : "", cols - x - 1, base);
	}
}

int list_key(struct console *con, int key)
{
	static const enum key_context contexts[] = {CTX_LIST, CTX_MOVE};
	struct list_view *list = &con->list;
	int page = con->lay.message_y - 4;

	switch (keys_lookup(contexts, 2, key)) {
	case ACT_UP:
		if (list->cursor > 0)
			list->cursor--;
		return UI_HANDLED;
	case ACT_DOWN:
		if (list->cursor + 1 < (int)list->n)
			list->cursor++;
		return UI_HANDLED;
	case ACT_PAGE_UP:
		list->cursor = list->cursor > page ? list->cursor - page : 0;
		return UI_HANDLED;
	case ACT_PAGE_DOWN:
		list->cursor += page;
		if (list->cursor >= (int)list->n)
			list->cursor = list->n ? (int)list->n - 1 : 0;
		return UI_HANDLED;
	case ACT_TOP:
		list->cursor = 0;
		return UI_HANDLED;
	case ACT_BOTTOM:
		list->cursor = list->n ? (int)list->n - 1 : 0;
		return UI_HANDLED;
	case ACT_SHOW_ALL:
		list->all = !list->all;
		list_load(con);
		return UI_HANDLED;
	case ACT_OPEN:
		if (list->n == 0)
			return UI_HANDLED;
		if (console_open_incident(con, list->items[list->cursor].id) == 0)
			con->from_list = 1;
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}
