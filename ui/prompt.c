/*
 * Prompts: a titled box of one-line fields, for a reason, a note or a short
 * form (an action's owner, due date and text). Enter moves to the next
 * field and submits from the last. The callback may reject the input and
 * keep the form open, so a rejected value is corrected, not retyped.
 */
#include <stdlib.h>
#include <string.h>

#include "editor.h"
#include "ui.h"

struct prompt {
	char *title;
	char **labels;
	struct editor *fields;
	size_t n;
	size_t focus;
	prompt_done_fn done;
	void *ctx;
};

static const enum key_context prompt_contexts[] = {CTX_PROMPT, CTX_EDIT};

static void prompt_free(void *data)
{
	struct prompt *p = data;

	for (size_t i = 0; i < p->n; i++) {
		free(p->labels[i]);
		editor_free(&p->fields[i]);
	}
	free(p->labels);
	free(p->fields);
	free(p->title);
	free(p->ctx);
	free(p);
}

static void prompt_draw(struct console *con, void *data)
{
	struct prompt *p = data;
	int cols = con->lay.cols, rows = con->lay.rows;
	int w = cols - 8 > 100 ? 100 : cols - 8;
	int h = 1 + 3 * (int)p->n;
	int y = (rows - h) / 2, x = (cols - w) / 2;

	if (h > rows - 2) {
		h = rows - 2;
		y = 1;
	}
	for (int r = 0; r < h; r++)
		draw_blank(stdscr, y + r, x, w, theme_attr(ROLE_NORMAL));
	draw_box(stdscr, y, x, h, w, theme_attr(ROLE_BORDER));
	draw_title(y, x, w, p->title);

	for (size_t i = 0; i < p->n; i++) {
		int fy = y + 1 + 3 * (int)i;
		int cy, cx;

		if (fy + 1 > y + h - 2)
			break;
		draw_label(stdscr, fy, x + 2, p->labels[i], w - 4,
			   theme_attr(i == p->focus ? ROLE_LABEL : ROLE_DIM));
		editor_draw(&p->fields[i], stdscr, fy + 1, x + 2, 1, w - 4,
			    theme_attr(i == p->focus ? ROLE_SELECTED : ROLE_NORMAL) | A_UNDERLINE,
			    NULL, 0, &cy, &cx);
		if (i == p->focus) {
			con->cursor_on = 1;
			con->cursor_y = cy;
			con->cursor_x = cx;
		}
	}
}

static int submit(struct console *con, struct prompt *p)
{
	char **values = xcalloc(p->n, sizeof *values);
	int flags;

	for (size_t i = 0; i < p->n; i++)
		values[i] = p->fields[i].text;
	flags = p->done(con, p->ctx, values);
	free(values);
	if (flags & UI_KEEP)
		return UI_HANDLED | (flags & ~UI_KEEP);
	return flags | UI_HANDLED | UI_CLOSE;
}

static int prompt_key(struct console *con, void *data, int key)
{
	struct prompt *p = data;
	enum ui_action action = keys_lookup(prompt_contexts, 2, key);

	switch (action) {
	case ACT_CANCEL:
		ui_message(con, "Cancelled.");
		return UI_HANDLED | UI_CLOSE;
	case ACT_SUBMIT:
		if (p->focus + 1 < p->n) {
			p->focus++;
			return UI_HANDLED;
		}
		return submit(con, p);
	case ACT_NEXT_FIELD:
		if (p->focus + 1 < p->n)
			p->focus++;
		return UI_HANDLED;
	case ACT_PREV_FIELD:
		if (p->focus > 0)
			p->focus--;
		return UI_HANDLED;
	default:
		editor_key(&p->fields[p->focus], action, key);
		return UI_HANDLED;
	}
}

static const struct layer_ops prompt_ops = {
	.contexts = prompt_contexts,
	.n_contexts = 2,
	.draw = prompt_draw,
	.key = prompt_key,
	.free = prompt_free,
};

void prompt_open(struct console *con, const char *title, const char *const *labels,
		 const char *const *initial, size_t n, prompt_done_fn done, void *ctx)
{
	struct prompt *p = xcalloc(1, sizeof *p);

	p->title = xstrdup(title);
	p->labels = xcalloc(n, sizeof *p->labels);
	p->fields = xcalloc(n, sizeof *p->fields);
	for (size_t i = 0; i < n; i++) {
		p->labels[i] = xstrdup(labels[i]);
		editor_init(&p->fields[i], initial ? initial[i] : NULL, 0);
	}
	p->n = n;
	p->done = done;
	p->ctx = ctx;
	console_push(con, &prompt_ops, p);
}

void prompt_open1(struct console *con, const char *title, const char *label, const char *initial,
		  prompt_done_fn done, void *ctx)
{
	const char *labels[1] = {label};
	const char *values[1] = {initial};

	prompt_open(con, title, labels, values, 1, done, ctx);
}
