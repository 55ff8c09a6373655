/*
 * The step tabs: one per playbook step with its number, title and a
 * completion mark from step_statuses, and a Security tab when the mini-SOP
 * applies. The marks are "✓" for complete and "·" for not, or "+" and "-"
 * when the locale is not UTF-8. Titles shorten on a narrow terminal.
 */
#include <stdio.h>
#include <string.h>

#include "ui.h"

int tabs_steps(const struct console *con)
{
	return con->pb->n_steps < UI_MAX_TABS ? (int)con->pb->n_steps : UI_MAX_TABS - 1;
}

int tabs_count(const struct console *con)
{
	return tabs_steps(con) + (con->iv.security ? 1 : 0);
}

const char *tabs_step_id(const struct console *con, int tab)
{
	if (tab >= 0 && tab < tabs_steps(con))
		return con->pb->steps[tab].id;
	return "security";
}

/* Returns the completion of STEP_ID from the loaded statuses: 1, 0, or -1 when unknown. */
static int tab_complete(const struct console *con, const char *step_id)
{
	for (size_t i = 0; i < con->iv.n_statuses; i++)
		if (strcmp(con->iv.statuses[i].step_id, step_id) == 0)
			return con->iv.statuses[i].complete;
	return -1;
}

/* Writes tab TAB's text into OUT with its title cut to TITLE_MAX columns (-1: whole). */
static void tab_text(const struct console *con, int tab, int title_max, char *out, size_t size)
{
	const char *id = tabs_step_id(con, tab);
	int is_step = tab < tabs_steps(con);
	const char *title = is_step ? con->pb->steps[tab].title : "Security";
	int complete = tab_complete(con, id);
	const char *mark = complete > 0 ? draw_glyph(GLYPH_CHECK) : draw_glyph(GLYPH_OPEN);
	char number[8];
	char cut[128];
	size_t i = 0;
	int w = 0;

	if (is_step)
		snprintf(number, sizeof number, "%d", con->pb->steps[tab].number);
	else
		snprintf(number, sizeof number, "8");

	/* Cut the title by characters, never inside one. */
	while (title[i] && i + 4 < sizeof cut) {
		uint32_t cp;
		size_t len = draw_decode(title + i, strlen(title + i), &cp);
		int cw = draw_cp_width(cp);

		if (title_max >= 0 && w + cw > title_max)
			break;
		memcpy(cut + i, title + i, len);
		i += len;
		w += cw;
	}
	cut[i] = '\0';

	if (title_max == 0)
		snprintf(out, size, "%s%s", number, mark);
	else
		snprintf(out, size, "%s %s %s", number, cut, mark);
}

void tabs_draw(struct console *con)
{
	int n = tabs_count(con), y = con->lay.tabs_y, cols = con->lay.cols;
	static const int limits[] = {-1, 8, 4, 0};
	int limit = 0;
	char text[160];

	/* Pick the longest titles that let every tab fit. */
	for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
		int total = 0;

		for (int t = 0; t < n; t++) {
			tab_text(con, t, t == con->iv.tab ? -1 : limits[l], text, sizeof text);
			total += draw_width(text) + 3;
		}
		limit = limits[l];
		if (total <= cols)
			break;
	}

	for (int t = 0, x = 0; t < n && x < cols; t++) {
		enum theme_role role = t == con->iv.tab ? ROLE_TAB_ACTIVE : ROLE_TAB;
		int w;

		tab_text(con, t, t == con->iv.tab ? -1 : limit, text, sizeof text);
		w = draw_width(text);
		draw_blank(stdscr, y, x, w + 2 > cols - x ? cols - x : w + 2, theme_attr(role));
		draw_text(stdscr, y, x + 1, text, cols - x - 1, theme_attr(role));
		x += w + 2;
		if (x < cols)
			draw_label(stdscr, y, x, draw_utf8() ? "\xE2\x94\x82" : "|", 1,
				   theme_attr(ROLE_BORDER));
		x += 1;
	}
	draw_hline(stdscr, y + 1, 0, cols, theme_attr(ROLE_BORDER));
}
