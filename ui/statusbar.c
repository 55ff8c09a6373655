/*
 * The two bottom lines. The message line shows the result of the last
 * action, or the core's error marked with "▲" ("!!" in ASCII) so that an
 * error does not rely on colour. The key hints come from the key table, for
 * whatever has the keys: the top overlay, the timeline, a pane or the list.
 */
#include <stdio.h>
#include <string.h>

#include "ui.h"

/*
 * Writes the first key name of a binding's label into OUT ("?" from "? F1"),
 * with Ctrl keys in the short caret form ("^G" from "Ctrl-G") to save room.
 */
static void first_key(const char *label, char *out, size_t size)
{
	size_t i = 0, o = 0;

	if (strncmp(label, "Ctrl-", 5) == 0 && label[5] && (label[6] == ' ' || !label[6])) {
		snprintf(out, size, "^%c", label[5]);
		return;
	}
	while (label[i] && label[i] != ' ' && o + 1 < size)
		out[o++] = label[i++];
	out[o] = '\0';
}

/* Returns the columns that the hint of binding B takes: "KEY hint" and two spaces. */
static int hint_width(const struct key_binding *b)
{
	char key[32];

	first_key(b->label, key, sizeof key);
	return draw_width(key) + 1 + draw_width(b->hint) + 2;
}

static int draw_hint(int y, int x, const struct key_binding *b)
{
	char key[32];

	first_key(b->label, key, sizeof key);
	x += draw_label(stdscr, y, x, key, 32, theme_attr(ROLE_KEY));
	x += 1;
	x += draw_label(stdscr, y, x, b->hint, 64, theme_attr(ROLE_DIM));
	return x + 2;
}

/*
 * Draws the hints of the contexts that have the keys, in table order. The
 * global ones (help, quit) go at the right end and always show; the others
 * fill the line from the left while they fit.
 */
static void draw_hints(struct console *con)
{
	const enum key_context *contexts;
	size_t n_contexts, n_bindings;
	const struct key_binding *table = keys_table(&n_bindings);
	int y = con->lay.hints_y, x = 1, cols = con->lay.cols, right = cols;
	unsigned char shown[ACT_COUNT] = {0};

	contexts = console_contexts(con, &n_contexts);
	for (size_t c = 0; c < n_contexts; c++) {
		if (contexts[c] != CTX_GLOBAL)
			continue;
		for (size_t i = 0; i < n_bindings; i++)
			if (table[i].context == CTX_GLOBAL && table[i].hint)
				right -= hint_width(&table[i]);
		for (size_t i = 0, rx = (size_t)right; i < n_bindings; i++) {
			if (table[i].context != CTX_GLOBAL || !table[i].hint)
				continue;
			rx = (size_t)draw_hint(y, (int)rx, &table[i]);
			shown[table[i].action] = 1;
		}
	}

	for (size_t c = 0; c < n_contexts; c++) {
		for (size_t i = 0; i < n_bindings; i++) {
			const struct key_binding *b = &table[i];

			/* An action bound in two contexts (/ in the timeline and the incident) shows once. */
			if (b->context != contexts[c] || !b->hint || shown[b->action])
				continue;
			/* A read-only console hints only at what it can do. */
			if (con->readonly && keys_action_edits(b->action))
				continue;
			/* The security tab exists only when the mini-SOP applies. */
			if (b->action == ACT_SECURITY && !con->iv.security)
				continue;
			/* An observer's Esc goes back to the incident list, so no list means no hint. */
			if (b->action == ACT_BACK && con->iv.observing && !con->from_list)
				continue;
			shown[b->action] = 1;
			if (x + hint_width(b) > right)
				return;
			x = draw_hint(y, x, b);
		}
	}
}

void statusbar_draw(struct console *con)
{
	int y = con->lay.message_y, cols = con->lay.cols;

	if (con->message[0]) {
		if (con->message_error) {
			int x = draw_label(stdscr, y, 1, draw_glyph(GLYPH_ALERT), 2,
					   theme_attr(ROLE_ERROR));

			draw_text(stdscr, y, 2 + x, con->message, cols - 3 - x, theme_attr(ROLE_ERROR));
		} else {
			draw_text(stdscr, y, 1, con->message, cols - 2, theme_attr(ROLE_MESSAGE));
		}
	}
	draw_hints(con);
}
