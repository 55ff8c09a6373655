/*
 * The screen's regions. From the top: the header (two rows), the step tabs,
 * the body (the step pane, and the timeline beside it from
 * UI_SIDE_TIMELINE_COLS columns on), the message line and the key hints.
 * The incident view may give the whole body to the timeline instead: after
 * `t` on a narrower screen, and in a read-only viewer at any width.
 * Below UI_MIN_COLS x UI_MIN_ROWS the layout cannot show a step's fields, so
 * a notice requests a larger terminal instead. Every state is kept and
 * comes back when the terminal grows again.
 */
#include <stdio.h>

#include "ui.h"

void layout_compute(struct console *con)
{
	struct layout *lay = &con->lay;

	lay->rows = LINES;
	lay->cols = COLS;
	lay->too_small = lay->rows < UI_MIN_ROWS || lay->cols < UI_MIN_COLS;

	lay->header_y = 0;
	lay->header_h = 2;
	lay->tabs_y = 2;
	lay->body_y = 4; /* the tabs, then a rule under them */
	lay->hints_y = lay->rows - 1;
	lay->message_y = lay->rows - 2;
	lay->body_h = lay->message_y - lay->body_y;

	lay->pane_x = 0;
	if (lay->cols >= UI_SIDE_TIMELINE_COLS) {
		/* The pane keeps the wider share; the timeline gets the rest after a rule. */
		lay->pane_w = lay->cols * 55 / 100;
		lay->timeline_x = lay->pane_w + 1;
		lay->timeline_w = lay->cols - lay->timeline_x;
	} else {
		lay->pane_w = lay->cols;
		lay->timeline_x = 0;
		lay->timeline_w = 0;
	}
}

void layout_draw_too_small(struct console *con)
{
	char notice[128];
	char **lines;
	size_t n;
	int y;

	snprintf(notice, sizeof notice, "Terminal too small: enlarge to at least %d\xC3\x97%d",
		 UI_MIN_COLS, UI_MIN_ROWS);
	if (!draw_utf8())
		snprintf(notice, sizeof notice, "Terminal too small: enlarge to at least %dx%d",
			 UI_MIN_COLS, UI_MIN_ROWS);

	draw_wrap(notice, con->lay.cols > 2 ? con->lay.cols - 2 : 1, 0, &lines, &n);
	y = (con->lay.rows - (int)n) / 2;
	if (y < 0)
		y = 0;
	for (size_t i = 0; i < n && y + (int)i < con->lay.rows; i++) {
		int w = draw_width(lines[i]);
		int x = (con->lay.cols - w) / 2;

		draw_label(stdscr, y + (int)i, x < 0 ? 0 : x, lines[i], con->lay.cols,
			   theme_attr(ROLE_WARNING));
	}
	draw_lines_free(lines, n);
}
