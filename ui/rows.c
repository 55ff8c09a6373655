/*
 * Rows: what every step pane is made of. A pane builds a list of rows
 * (headings, fields, checklist items, buttons) from the open incident, and
 * this file draws them with wrapping and scrolling and moves the cursor
 * over the selectable ones. Panes hold no screen state of their own, so a
 * resize or a reload simply builds the rows again.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define LABEL_MAX 24 /* columns for a field's name before its value */

struct row *rows_add(struct rows *rows, enum row_kind kind, const char *label, const char *value)
{
	struct row *row;

	if (rows->n == rows->cap) {
		rows->cap = rows->cap ? rows->cap * 2 : 32;
		rows->items = xrealloc(rows->items, rows->cap * sizeof *rows->items);
	}
	row = &rows->items[rows->n++];
	memset(row, 0, sizeof *row);
	row->kind = kind;
	row->label = label ? xstrdup(label) : NULL;
	row->value = value ? xstrdup(value) : NULL;
	row->value_role = ROLE_NORMAL;
	row->mark_role = ROLE_NORMAL;
	row->selectable = kind == ROW_FIELD || kind == ROW_ITEM || kind == ROW_BUTTON;
	return row;
}

void row_mark(struct row *row, const char *mark, enum theme_role role)
{
	free(row->mark);
	row->mark = mark ? xstrdup(mark) : NULL;
	row->mark_role = role;
}

void row_detail(struct row *row, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(row->detail);
	row->detail = sb_take(&sb);
	sb_free(&sb);
}

void rows_free(struct rows *rows)
{
	for (size_t i = 0; i < rows->n; i++) {
		free(rows->items[i].mark);
		free(rows->items[i].label);
		free(rows->items[i].value);
		free(rows->items[i].detail);
		free(rows->items[i].key);
	}
	free(rows->items);
	rows->items = NULL;
	rows->n = rows->cap = 0;
}

char *rows_identity(const struct row *row)
{
	const char *name = "";

	if (row->key)
		name = row->key;
	else if (row->kind == ROW_ITEM && row->value)
		name = row->value;

	return xasprintf("%d\x1f%s\x1f%s\x1f%lld", (int)row->kind, row->label ? row->label : "", name,
			 row->ref);
}

int rows_find(const struct rows *rows, const char *identity)
{
	for (size_t i = 0; i < rows->n; i++) {
		char *id = rows_identity(&rows->items[i]);
		int same = strcmp(id, identity) == 0;

		free(id);
		if (same)
			return (int)i;
	}
	return -1;
}

void rows_clamp(const struct rows *rows, int *cursor)
{
	if (rows->n == 0) {
		*cursor = 0;
		return;
	}
	if (*cursor < 0)
		*cursor = 0;
	if (*cursor >= (int)rows->n)
		*cursor = (int)rows->n - 1;
	if (rows->items[*cursor].selectable)
		return;
	for (int i = *cursor + 1; i < (int)rows->n; i++) {
		if (rows->items[i].selectable) {
			*cursor = i;
			return;
		}
	}
	for (int i = *cursor - 1; i >= 0; i--) {
		if (rows->items[i].selectable) {
			*cursor = i;
			return;
		}
	}
}

int rows_move(const struct rows *rows, int *cursor, int delta)
{
	int start = *cursor, at = *cursor;
	int step = delta < 0 ? -1 : 1;
	int left = delta < 0 ? -delta : delta;

	while (left > 0) {
		int next = at + step;

		while (next >= 0 && next < (int)rows->n && !rows->items[next].selectable)
			next += step;
		if (next < 0 || next >= (int)rows->n)
			break;
		at = next;
		left--;
	}
	*cursor = at;
	return at != start;
}

/* The width of the field names' column for ROWS. */
static int label_width(const struct rows *rows)
{
	int w = 0;

	for (size_t i = 0; i < rows->n; i++) {
		int lw;

		if (rows->items[i].kind != ROW_FIELD || !rows->items[i].label)
			continue;
		lw = draw_width(rows->items[i].label);
		if (lw > w)
			w = lw;
	}
	return w > LABEL_MAX ? LABEL_MAX : w;
}

/* A piece of a row on screen: LINE counts from the row's first line, X from its left edge. */
struct segment {
	int line, x, width;
	const char *text;
	enum theme_role role;
	int safe; /* already escaped by draw_wrap */
};

/* A row laid out at one width. */
struct shape {
	struct segment segs[96];
	int n_segs;
	int lines;
	char **owned; /* wrapped lines, freed with the shape */
	size_t n_owned;
};

static void add_segment(struct shape *sh, int line, int x, int width, const char *text,
			enum theme_role role, int safe)
{
	if (sh->n_segs == (int)(sizeof sh->segs / sizeof sh->segs[0]))
		return;
	sh->segs[sh->n_segs++] = (struct segment){line, x, width, text, role, safe};
	if (line + 1 > sh->lines)
		sh->lines = line + 1;
}

/* Wraps TEXT at WIDTH and adds one segment per line from LINE on; returns the next free line. */
static int add_wrapped(struct shape *sh, int line, int x, int width, const char *text,
		       enum theme_role role)
{
	char **lines;
	size_t n;

	draw_wrap(text, width, 1, &lines, &n);
	for (size_t i = 0; i < n; i++)
		add_segment(sh, line + (int)i, x, width, lines[i], role, 1);
	sh->owned = xrealloc(sh->owned, (sh->n_owned + n) * sizeof *sh->owned);
	memcpy(sh->owned + sh->n_owned, lines, n * sizeof *lines);
	sh->n_owned += n;
	free(lines);
	return line + (int)n;
}

static void shape_row(struct shape *sh, const struct row *row, int w, int lw)
{
	memset(sh, 0, sizeof *sh);

	switch (row->kind) {
	case ROW_HEADING:
		add_segment(sh, 0, 2, w - 2, row->label ? row->label : "", ROLE_TITLE, 0);
		break;

	case ROW_TEXT:
		add_wrapped(sh, 0, 4, w - 4, row->value ? row->value : "", row->value_role);
		break;

	case ROW_FIELD: {
		int vx = 2 + lw + 2, line = 0;

		add_segment(sh, 0, 2, lw, row->label ? row->label : "", ROLE_LABEL, 0);
		if (w - vx < 16) {
			/* Too narrow for two columns: the value goes under its name. */
			vx = 4;
			line = 1;
		}
		if (!row->value || !*row->value) {
			add_segment(sh, line, vx, w - vx, "not set", ROLE_DIM, 0);
			line++;
		} else {
			line = add_wrapped(sh, line, vx, w - vx, row->value, row->value_role);
		}
		if (row->detail)
			add_wrapped(sh, line, vx, w - vx, row->detail, ROLE_DIM);
		break;
	}

	case ROW_ITEM: {
		int vx = 2, line;

		if (row->mark) {
			add_segment(sh, 0, 2, draw_width(row->mark), row->mark, row->mark_role, 0);
			vx += draw_width(row->mark) + 1;
		}
		line = add_wrapped(sh, 0, vx, w - vx, row->value ? row->value : "", row->value_role);
		if (row->detail)
			add_wrapped(sh, line, vx + 2, w - vx - 2, row->detail, ROLE_DIM);
		break;
	}

	case ROW_BUTTON:
		add_segment(sh, 0, 2, w - 2, row->label ? row->label : "", ROLE_KEY, 0);
		break;
	}
	if (sh->lines == 0)
		sh->lines = 1;
}

static void shape_free(struct shape *sh)
{
	draw_lines_free(sh->owned, sh->n_owned);
}

/* Lines row I takes when it is not the first shown: a heading has a blank line above it. */
static int row_height(const struct rows *rows, int i, int w, int lw, int first)
{
	struct shape sh;
	int height;

	shape_row(&sh, &rows->items[i], w, lw);
	height = sh.lines;
	shape_free(&sh);
	if (rows->items[i].kind == ROW_HEADING && !first)
		height++;
	return height;
}

void rows_draw(struct console *con, const struct rows *rows, int y, int x, int h, int w,
	       int cursor, int *top, int focused)
{
	int lw = label_width(rows);
	int line = 0, last_drawn = -1;

	if (h <= 0 || w <= 8 || rows->n == 0)
		return;

	/* Scroll so that the cursor's row shows whole, with a heading right above it. */
	if (cursor > 0 && rows->items[cursor - 1].kind == ROW_HEADING && *top > cursor - 1)
		*top = cursor - 1;
	if (*top > cursor)
		*top = cursor;
	if (*top < 0)
		*top = 0;
	while (*top < cursor) {
		int used = 0;

		for (int i = *top; i <= cursor && i < (int)rows->n; i++)
			used += row_height(rows, i, w, lw, i == *top);
		if (used <= h)
			break;
		(*top)++;
	}

	for (int i = *top; i < (int)rows->n && line < h; i++) {
		const struct row *row = &rows->items[i];
		int selected = i == cursor && row->selectable;
		struct shape sh;

		if (row->kind == ROW_HEADING && i != *top)
			line++;
		shape_row(&sh, row, w, lw);
		if (selected) {
			attr_t bar = theme_attr(focused ? ROLE_SELECTED : ROLE_NORMAL);

			for (int k = 0; k < sh.lines && line + k < h; k++)
				draw_blank(stdscr, y + line + k, x, w, bar);
			/* The arrow marks the cursor without relying on colour. */
			if (line < h)
				draw_label(stdscr, y + line, x, draw_glyph(GLYPH_ARROW), 1,
					   bar | A_BOLD);
		}
		for (int k = 0; k < sh.n_segs; k++) {
			const struct segment *seg = &sh.segs[k];
			attr_t attr = theme_attr(seg->role);

			if (line + seg->line >= h)
				continue;
			if (selected && focused) {
				attr = theme_attr(ROLE_SELECTED);
				if (seg->role == ROLE_LABEL || seg->role == ROLE_KEY ||
				    seg->role == ROLE_TITLE)
					attr |= A_BOLD;
			}
			if (seg->safe)
				draw_label(stdscr, y + line + seg->line, x + seg->x, seg->text,
					   seg->width, attr);
			else
				draw_text(stdscr, y + line + seg->line, x + seg->x, seg->text,
					  seg->width, attr);
		}
		if (line + sh.lines <= h)
			last_drawn = i;
		line += sh.lines;
		shape_free(&sh);
	}

	/* Say when rows are hidden above or below. */
	if (*top > 0)
		draw_label(stdscr, y, x + w - 7, draw_utf8() ? "\xE2\x86\x91 more" : "^ more", 6,
			   theme_attr(ROLE_DIM));
	if (last_drawn < (int)rows->n - 1)
		draw_label(stdscr, y + h - 1, x + w - 7, draw_utf8() ? "\xE2\x86\x93 more" : "v more",
			   6, theme_attr(ROLE_DIM));
	(void)con;
}
