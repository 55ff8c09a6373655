/*
 * A dialog: a question in a box that is answered with one letter, such as
 * "[v] view read-only  [t] take command  [q] back" when another commander
 * holds the incident. The answers are key-table rows of CTX_DIALOG, so the
 * help overlay lists them and the box shows each as "[key] hint".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define DIALOG_MAX_ANSWERS 4

struct dialog {
	char *title;
	char *text; /* may hold data: escaped when drawn */
	enum ui_action answers[DIALOG_MAX_ANSWERS];
	size_t n;
	dialog_done_fn done;
	void *ctx;
};

static void dialog_free(void *data)
{
	struct dialog *d = data;

	free(d->title);
	free(d->text);
	free(d->ctx);
	free(d);
}

/* Returns the key-table row of ACTION in CTX_DIALOG. */
static const struct key_binding *answer_binding(enum ui_action action)
{
	size_t n;
	const struct key_binding *table = keys_table(&n);

	for (size_t i = 0; i < n; i++)
		if (table[i].context == CTX_DIALOG && table[i].action == action)
			return &table[i];
	return NULL;
}

/* Writes "[v] view read-only  [q] back" for the dialog's answers. */
static void answers_line(const struct dialog *d, struct strbuf *sb)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct key_binding *b = answer_binding(d->answers[i]);
		char key[8];
		size_t k = 0;

		if (!b)
			continue;
		/* The first key of the label: "q" from "q Esc". */
		while (b->label[k] && b->label[k] != ' ' && k + 1 < sizeof key) {
			key[k] = b->label[k];
			k++;
		}
		key[k] = '\0';
		sb_addf(sb, "%s[%s] %s", i ? "  " : "", key, b->hint);
	}
}

static void dialog_draw(struct console *con, void *data)
{
	struct dialog *d = data;
	int cols = con->lay.cols, rows = con->lay.rows;
	int w = cols - 8 > 90 ? 90 : cols - 8;
	int max_text = rows - 8, h, y, x;
	struct strbuf answers;
	char **lines;
	size_t n;

	draw_wrap(d->text, w - 4, 1, &lines, &n);
	if ((int)n > max_text)
		n = (size_t)(max_text > 1 ? max_text : 1);
	h = (int)n + 4;
	y = (rows - h) / 2;
	x = (cols - w) / 2;

	for (int r = 0; r < h; r++)
		draw_blank(stdscr, y + r, x, w, theme_attr(ROLE_NORMAL));
	draw_box(stdscr, y, x, h, w, theme_attr(ROLE_BORDER));
	draw_title(y, x, w, d->title);
	for (size_t i = 0; i < n; i++)
		draw_label(stdscr, y + 1 + (int)i, x + 2, lines[i], w - 4, theme_attr(ROLE_NORMAL));
	draw_lines_free(lines, n);

	sb_init(&answers);
	answers_line(d, &answers);
	draw_label(stdscr, y + h - 2, x + 2, answers.data, w - 4, theme_attr(ROLE_KEY));
	sb_free(&answers);
}

static int dialog_key(struct console *con, void *data, int key)
{
	struct dialog *d = data;

	/* Matched by key: back and quit have the same keys, and a dialog offers only one of them. */
	for (size_t i = 0; i < d->n; i++) {
		const struct key_binding *b = answer_binding(d->answers[i]);

		for (int k = 0; b && k < 8 && b->keys[k]; k++)
			if (b->keys[k] == key)
				return d->done(con, d->ctx, d->answers[i]) | UI_HANDLED;
	}
	/* Every other key is swallowed, so nothing changes behind the question. */
	return UI_HANDLED;
}

static const struct layer_ops dialog_ops = {
	/* No contexts: the box lists its own answers, and no hint line repeats them. */
	.contexts = NULL,
	.n_contexts = 0,
	.draw = dialog_draw,
	.key = dialog_key,
	.free = dialog_free,
};

void *dialog_open(struct console *con, const char *title, const char *text,
		  const enum ui_action *answers, size_t n, dialog_done_fn done, void *ctx)
{
	struct dialog *d = xcalloc(1, sizeof *d);
	int full = con->n_layers == UI_MAX_LAYERS;

	d->title = xstrdup(title);
	d->text = xstrdup(text);
	d->n = n < DIALOG_MAX_ANSWERS ? n : DIALOG_MAX_ANSWERS;
	memcpy(d->answers, answers, d->n * sizeof *answers);
	d->done = done;
	d->ctx = ctx;
	console_push(con, &dialog_ops, d);
	return full ? NULL : d; /* console_push freed it and put the error on the message line */
}

int dialog_is_open(struct console *con, void *dialog)
{
	for (int i = 0; i < con->n_layers; i++)
		if (con->layers[i].data == dialog && con->layers[i].ops == &dialog_ops)
			return 1;
	return 0;
}
