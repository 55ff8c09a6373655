/*
 * Handing command over (`H`): the commander names the incoming person and
 * edits the brief they read first, which starts as the default brief built
 * from the record (open steps, unconfirmed hypotheses, updates due). Ctrl-G
 * starts the handover; command moves when the named person opens the
 * incident and acknowledges it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "editor.h"
#include "ui.h"

struct handover_form {
	struct editor name;
	struct editor brief;
	int focus; /* 0 the name, 1 the brief */
};

static const enum key_context handover_contexts[] = {CTX_HANDOVER, CTX_EDIT};

static void form_free(void *data)
{
	struct handover_form *f = data;

	editor_free(&f->name);
	editor_free(&f->brief);
	free(f);
}

static void form_draw(struct console *con, void *data)
{
	struct handover_form *f = data;
	int y = con->lay.tabs_y, w = con->lay.cols, h = con->lay.message_y - y;
	int cy, cx, ny, nx;
	char title[256];

	for (int r = 0; r < h; r++)
		draw_blank(stdscr, y + r, 0, w, theme_attr(ROLE_NORMAL));
	snprintf(title, sizeof title, " Hand over command of %s ", con->iv.id);
	draw_blank(stdscr, y, 0, w, theme_attr(ROLE_TAB_ACTIVE));
	draw_label(stdscr, y, 0, title, w, theme_attr(ROLE_TAB_ACTIVE));

	draw_label(stdscr, y + 1, 1, "To (the incoming commander's name, as they are recorded):",
		   w - 2, theme_attr(f->focus == 0 ? ROLE_LABEL : ROLE_DIM));
	editor_draw(&f->name, stdscr, y + 2, 1, 1, w - 2,
		    theme_attr(f->focus == 0 ? ROLE_SELECTED : ROLE_NORMAL) | A_UNDERLINE, NULL, 0,
		    &ny, &nx);
	draw_label(stdscr, y + 4, 1, "Brief (what they read before they acknowledge):", w - 2,
		   theme_attr(f->focus == 1 ? ROLE_LABEL : ROLE_DIM));
	draw_hline(stdscr, y + 5, 0, w, theme_attr(ROLE_BORDER));
	editor_draw(&f->brief, stdscr, y + 6, 1, h - 6, w - 2, theme_attr(ROLE_NORMAL), NULL, 0,
		    &cy, &cx);

	con->cursor_on = 1;
	con->cursor_y = f->focus == 0 ? ny : cy;
	con->cursor_x = f->focus == 0 ? nx : cx;
}

static int send_handover(struct console *con, struct handover_form *f)
{
	struct wr_error err = {0};
	long long id;

	if (str_blank(f->name.text)) {
		f->focus = 0;
		ui_message(con, "Name the incoming commander first.");
		con->message_error = 1;
		return UI_HANDLED;
	}
	if (handover_start(con->st, con->pb, con->iv.id, &con->me, f->name.text, f->brief.text, &id,
			   &err) < 0) {
		ui_error(con, &err);
		return UI_HANDLED;
	}
	ui_message(con, "Handover to %s started; you keep command until they acknowledge it.",
		   f->name.text);
	return UI_HANDLED | UI_CLOSE | UI_RELOAD;
}

static int form_key(struct console *con, void *data, int key)
{
	struct handover_form *f = data;
	enum ui_action action = keys_lookup(handover_contexts, 2, key);

	switch (action) {
	case ACT_HO_SEND:
		return send_handover(con, f);
	case ACT_HO_FIELD:
		f->focus = !f->focus;
		return UI_HANDLED;
	case ACT_HO_CANCEL:
		ui_message(con, "Handover cancelled; nothing was recorded.");
		return UI_HANDLED | UI_CLOSE;
	default:
		break;
	}
	/* Enter in the name moves to the brief; in the brief it starts a new line. */
	if (f->focus == 0 && action == ACT_ED_NEWLINE) {
		f->focus = 1;
		return UI_HANDLED;
	}
	editor_key(f->focus == 0 ? &f->name : &f->brief, action, key);
	return UI_HANDLED;
}

static const struct layer_ops form_ops = {
	.contexts = handover_contexts,
	.n_contexts = 2,
	.draw = form_draw,
	.key = form_key,
	.free = form_free,
};

int handover_open(struct console *con)
{
	struct handover_form *f;
	struct wr_error err = {0};
	char *brief = NULL;

	if (!con->iv.inc || ui_readonly(con))
		return UI_HANDLED;
	if (!con->commanding) {
		ui_message(con, "Only the commander hands over command; this console does not hold "
				"the lease of %s.", con->iv.id);
		con->message_error = 1;
		return UI_HANDLED;
	}
	if (handover_default_brief(con->st, con->pb, con->iv.id, &brief, &err) < 0) {
		ui_error(con, &err);
		return UI_HANDLED;
	}
	f = xcalloc(1, sizeof *f);
	editor_init(&f->name, NULL, 0);
	editor_init(&f->brief, brief, 1);
	editor_set_cursor(&f->brief, 0);
	free(brief);
	console_push(con, &form_ops, f);
	return UI_HANDLED;
}
