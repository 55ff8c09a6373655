/*
 * A menu: a titled box of choices over the screen, each with an optional
 * note after its label ("current", "suggested") and a dimmed line under it.
 * The caller's callback gets the index of the choice.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

struct menu {
	char *title;
	struct menu_item *items;
	size_t n;
	int cursor, top;
	menu_done_fn done;
	void *ctx;
};

static const enum key_context menu_contexts[] = {CTX_MENU, CTX_MOVE};

static char *copy_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void menu_free(void *data)
{
	struct menu *m = data;

	for (size_t i = 0; i < m->n; i++) {
		free((char *)m->items[i].label);
		free((char *)m->items[i].detail);
		free((char *)m->items[i].mark);
	}
	free(m->items);
	free(m->title);
	free(m->ctx);
	free(m);
}

/* Returns the lines item I takes at width W. */
static int item_height(const struct menu_item *item, int w)
{
	char **lines;
	size_t n;

	if (!item->detail)
		return 1;
	draw_wrap(item->detail, w, 1, &lines, &n);
	draw_lines_free(lines, n);
	return 1 + (int)n;
}

static void menu_draw(struct console *con, void *data)
{
	struct menu *m = data;
	int cols = con->lay.cols, rows = con->lay.rows;
	int w = draw_width(m->title) + 6, h = 2, y, x, line;

	for (size_t i = 0; i < m->n; i++) {
		int iw = draw_width(m->items[i].label) + 6;

		if (m->items[i].mark)
			iw += draw_width(m->items[i].mark) + 2;
		if (iw > w)
			w = iw;
		if (m->items[i].detail && w < 60)
			w = 60;
	}
	if (w > cols - 4)
		w = cols - 4;
	for (size_t i = 0; i < m->n; i++)
		h += item_height(&m->items[i], w - 8);
	if (h > rows - 4)
		h = rows - 4;
	y = (rows - h) / 2;
	x = (cols - w) / 2;

	for (int r = 0; r < h; r++)
		draw_blank(stdscr, y + r, x, w, theme_attr(ROLE_NORMAL));
	draw_box(stdscr, y, x, h, w, theme_attr(ROLE_BORDER));
	draw_title(y, x, w, m->title);

	/* Scroll so the cursor's item shows whole. */
	if (m->cursor < m->top)
		m->top = m->cursor;
	for (;;) {
		int used = 0;

		for (int i = m->top; i <= m->cursor; i++)
			used += item_height(&m->items[i], w - 8);
		if (used <= h - 2 || m->top >= m->cursor)
			break;
		m->top++;
	}

	line = y + 1;
	for (int i = m->top; i < (int)m->n && line < y + h - 1; i++) {
		const struct menu_item *item = &m->items[i];
		int selected = i == m->cursor;
		attr_t attr = theme_attr(selected ? ROLE_SELECTED : ROLE_NORMAL);
		int lx = x + 4;

		if (selected) {
			draw_blank(stdscr, line, x + 1, w - 2, attr);
			draw_label(stdscr, line, x + 2, draw_glyph(GLYPH_ARROW), 1, attr | A_BOLD);
		}
		lx += draw_text(stdscr, line, lx, item->label, w - 6, attr | (selected ? A_BOLD : 0));
		if (item->mark && lx + 2 < x + w - 2)
			draw_text(stdscr, line, lx + 2, item->mark, x + w - 2 - lx - 2,
				  selected ? attr : theme_attr(item->mark_role));
		line++;
		if (item->detail) {
			char **lines;
			size_t n;

			draw_wrap(item->detail, w - 8, 1, &lines, &n);
			for (size_t k = 0; k < n && line < y + h - 1; k++)
				draw_label(stdscr, line++, x + 6, lines[k], w - 8, theme_attr(ROLE_DIM));
			draw_lines_free(lines, n);
		}
	}
}

static int menu_key(struct console *con, void *data, int key)
{
	struct menu *m = data;
	int flags;

	switch (keys_lookup(menu_contexts, 2, key)) {
	case ACT_UP:
		if (m->cursor > 0)
			m->cursor--;
		return UI_HANDLED;
	case ACT_DOWN:
		if (m->cursor + 1 < (int)m->n)
			m->cursor++;
		return UI_HANDLED;
	case ACT_TOP:
	case ACT_PAGE_UP:
		m->cursor = 0;
		return UI_HANDLED;
	case ACT_BOTTOM:
	case ACT_PAGE_DOWN:
		m->cursor = m->n ? (int)m->n - 1 : 0;
		return UI_HANDLED;
	case ACT_CANCEL:
		return UI_HANDLED | UI_CLOSE;
	case ACT_CHOOSE:
		if (m->n == 0)
			return UI_HANDLED | UI_CLOSE;
		flags = m->done(con, m->ctx, m->cursor);
		if (flags & UI_KEEP)
			return UI_HANDLED | (flags & ~UI_KEEP);
		return flags | UI_HANDLED | UI_CLOSE;
	default:
		/* Any other key stays in the menu, so a stray key changes nothing behind it. */
		return UI_HANDLED;
	}
}

static const struct layer_ops menu_ops = {
	.contexts = menu_contexts,
	.n_contexts = 2,
	.draw = menu_draw,
	.key = menu_key,
	.free = menu_free,
};

void menu_open(struct console *con, const char *title, const struct menu_item *items, size_t n,
	       int initial, menu_done_fn done, void *ctx)
{
	struct menu *m = xcalloc(1, sizeof *m);

	m->title = xstrdup(title);
	m->items = xcalloc(n ? n : 1, sizeof *m->items);
	for (size_t i = 0; i < n; i++) {
		m->items[i].label = copy_or_null(items[i].label ? items[i].label : "");
		m->items[i].detail = copy_or_null(items[i].detail);
		m->items[i].mark = copy_or_null(items[i].mark);
		m->items[i].mark_role = items[i].mark_role;
	}
	m->n = n;
	m->cursor = initial >= 0 && (size_t)initial < n ? initial : 0;
	m->done = done;
	m->ctx = ctx;
	console_push(con, &menu_ops, m);
}
