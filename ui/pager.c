/*
 * A pager: a box over the screen with a title and lines of text that
 * scroll, for the help overlay and the brief. Long lines wrap at the box's
 * width, so the same page reads on 80 columns and on 200.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ui.h"

struct pager {
	char *title;
	struct pager_line *lines;
	size_t n;
	int top; /* the first wrapped line shown */
	int page; /* lines shown at the last draw, for PgUp and PgDn */
	int total; /* wrapped lines at the last draw */
};

static const enum key_context pager_contexts[] = {CTX_OVERLAY, CTX_MOVE};

static void pager_free(void *data)
{
	struct pager *p = data;

	for (size_t i = 0; i < p->n; i++)
		free(p->lines[i].text);
	free(p->lines);
	free(p->title);
	free(p);
}

static void pager_draw(struct console *con, void *data)
{
	struct pager *p = data;
	int y = 1, x = 0, h = con->lay.rows - 3, w = con->lay.cols;
	int line = 0, shown = 0;
	char info[64];

	for (int r = 0; r < h; r++)
		draw_blank(stdscr, y + r, x, w, theme_attr(ROLE_NORMAL));
	draw_box(stdscr, y, x, h, w, theme_attr(ROLE_BORDER));
	draw_title(y, x, w, p->title);

	p->page = h - 2;
	if (p->top < 0)
		p->top = 0;
	for (size_t i = 0; i < p->n; i++) {
		const char *text = p->lines[i].text;
		int indent = 0;
		char **wrapped;
		size_t n;

		/* Wrapped lines hang under the text, past the indent and a list mark. */
		while (text[indent] == ' ')
			indent++;
		if ((text[indent] == '-' || text[indent] == '|') && text[indent + 1] == ' ')
			indent += 2;
		if (indent > (w - 4) / 2)
			indent = 0;
		draw_wrap_safe(text + indent, w - 4 - indent, &wrapped, &n);
		for (size_t k = 0; k < n; k++, line++) {
			if (line < p->top || shown >= p->page)
				continue;
			if (k == 0 && indent) {
				char *lead = xstrndup(text, (size_t)indent);

				draw_label(stdscr, y + 1 + shown, x + 2, lead, indent,
					   theme_attr(p->lines[i].role));
				free(lead);
			}
			draw_label(stdscr, y + 1 + shown, x + 2 + indent, wrapped[k], w - 4 - indent,
				   theme_attr(p->lines[i].role));
			shown++;
		}
		draw_lines_free(wrapped, n);
	}
	p->total = line;
	if (p->top > 0 && p->top > p->total - p->page)
		p->top = p->total > p->page ? p->total - p->page : 0;
	if (p->total > p->page) {
		snprintf(info, sizeof info, " %d-%d of %d ", p->top + 1, p->top + shown, p->total);
		draw_label(stdscr, y + h - 1, x + w - 2 - draw_width(info), info, draw_width(info),
			   theme_attr(ROLE_DIM));
	}
}

static int pager_key(struct console *con, void *data, int key)
{
	struct pager *p = data;
	int max_top = p->total > p->page ? p->total - p->page : 0;

	switch (keys_lookup(pager_contexts, 2, key)) {
	case ACT_CLOSE:
		return UI_HANDLED | UI_CLOSE;
	case ACT_UP:
		p->top = p->top > 0 ? p->top - 1 : 0;
		break;
	case ACT_DOWN:
		p->top = p->top < max_top ? p->top + 1 : max_top;
		break;
	case ACT_PAGE_UP:
		p->top = p->top > p->page ? p->top - p->page : 0;
		break;
	case ACT_PAGE_DOWN:
		p->top = p->top + p->page < max_top ? p->top + p->page : max_top;
		break;
	case ACT_TOP:
		p->top = 0;
		break;
	case ACT_BOTTOM:
		p->top = max_top;
		break;
	default:
		break;
	}
	return UI_HANDLED;
}

static const struct layer_ops pager_ops = {
	.contexts = pager_contexts,
	.n_contexts = 2,
	.draw = pager_draw,
	.key = pager_key,
	.free = pager_free,
};

void pager_open(struct console *con, const char *title, struct pager_line *lines, size_t n)
{
	struct pager *p = xcalloc(1, sizeof *p);

	p->title = xstrdup(title);
	p->lines = lines;
	p->n = n;
	console_push(con, &pager_ops, p);
}
