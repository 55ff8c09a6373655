/*
 * The status-update composer (`u`). The commander picks an audience and
 * starts from its playbook template filled from the record, or from the
 * audience's draft in progress, and edits it in place or in $EDITOR. The
 * guardrail findings show under the text as it changes, each with its line
 * and column and its words highlighted in the text. Approving requests an
 * override reason while errors remain. Publishing runs the settings'
 * publish command through the core.
 *
 * Drafts are saved as they are typed. The first save creates the draft
 * (update_draft) and later ones replace its text (update_edit), at most one
 * second after the keystroke (the console's timer). The composer saves once
 * more as it closes, also when the console ends on SIGTERM or SIGHUP or
 * its terminal goes away, so only SIGKILL or a crash loses that second.
 * An unsent draft is offered back: the console names it when the incident
 * opens, the audience menu marks it, and choosing it says "Draft from
 * 10:14 by alice restored". A save that fails (a full disk) keeps the text
 * here and retries every second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "editor.h"
#include "ui.h"

struct composer {
	char audience[64];      /* a playbook audience id */
	long long update_id;    /* the update shown; 0 until the first save */
	char state[16];         /* draft, approved, published; "" before the first save */
	struct editor ed;
	int unsaved;            /* the text changed since the last save */
	int save_failed;        /* the last save failed; the message line has the error */
	int close_unsaved;      /* Esc was pressed once with unsaved text */
	struct guard_finding *findings;
	size_t n_findings;
	int findings_stale;
	char check_error[256];  /* why the guardrails could not run */
};

static const enum key_context composer_contexts[] = {CTX_COMPOSER, CTX_EDIT};

static const char *audience_label(const struct console *con, const char *id)
{
	const struct pb_audience *a = playbook_audience(con->pb, id);

	return a ? a->label : id;
}

/* Saves the text when it changed: creates the draft on the first save. Returns 0 or -1. */
static int save(struct console *con, struct composer *c)
{
	struct wr_error err = {0};
	int rc;

	if (!c->unsaved)
		return 0;
	if (c->update_id && strcmp(c->state, "draft") != 0)
		return 0; /* an approved or published update is not edited */
	if (c->update_id == 0)
		rc = update_draft(con->st, con->pb, con->iv.id, c->audience, c->ed.text, &c->update_id,
				  &err);
	else
		rc = update_edit(con->st, c->update_id, c->ed.text, &err);
	if (rc < 0) {
		/* Said once; the timer tries again while the text stays unsaved. */
		if (!c->save_failed)
			ui_error(con, &err);
		c->save_failed = 1;
		return -1;
	}
	snprintf(c->state, sizeof c->state, "draft");
	c->unsaved = 0;
	c->save_failed = 0;
	return 0;
}

static void findings_clear(struct composer *c)
{
	guard_findings_free(c->findings, c->n_findings);
	c->findings = NULL;
	c->n_findings = 0;
}

/* Runs the guardrails on the current text. */
static void check(struct console *con, struct composer *c)
{
	const struct guard *guard = console_guard(con);
	struct wr_error err = {0};

	c->findings_stale = 0;
	findings_clear(c);
	c->check_error[0] = '\0';
	if (!guard) {
		snprintf(c->check_error, sizeof c->check_error, "%s", "the guardrails did not load");
		return;
	}
	if (update_check_text(con->st, con->pb, guard, con->iv.id, c->audience, c->ed.text,
			      &c->findings, &c->n_findings, &err) < 0)
		snprintf(c->check_error, sizeof c->check_error, "%.250s", err.message);
}

/* Puts the audience's template, filled from the record, in the editor. Returns 0 or -1. */
static int start_from_template(struct console *con, struct composer *c)
{
	struct wr_error err = {0};
	char *text = update_template(con->pb, con->iv.inc, c->audience,
				     cadence_next_promise(con->st, con->pb, con->iv.id, c->audience,
							  con->now), &err);

	if (!text) {
		ui_error(con, &err);
		return -1;
	}
	editor_set_text(&c->ed, text);
	free(text);
	/* A new draft is saved from the first edit (or the approval), not merely for being opened. */
	c->unsaved = c->update_id != 0;
	c->findings_stale = 1;
	return 0;
}

/* Formats when draft U was last saved, in local time ("10:14"), into OUT. */
static void draft_time(const struct update *u, char *out, size_t size)
{
	ui_local_time(u->edited_at ? u->edited_at : u->created_at, "%H:%M", out, size);
}

/* Loads AUDIENCE: its latest draft when there is one, else its template. */
static int load_audience(struct console *con, struct composer *c, const char *audience)
{
	struct update *list = NULL, *draft = NULL;
	struct wr_error err = {0};
	char when[32];
	size_t n = 0;

	snprintf(c->audience, sizeof c->audience, "%s", audience);
	c->update_id = 0;
	c->state[0] = '\0';
	c->unsaved = 0;
	if (update_list(con->st, con->iv.id, audience, &list, &n, &err) < 0) {
		ui_error(con, &err);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].state, "draft") == 0)
			draft = &list[i];
	if (draft) {
		c->update_id = draft->id;
		snprintf(c->state, sizeof c->state, "draft");
		editor_set_text(&c->ed, draft->text);
		c->ed.changed = 0;
		c->findings_stale = 1;
		draft_time(draft, when, sizeof when);
		ui_message(con, "Draft from %s by %s restored: to %s, unsent and not approved.", when,
			   draft->created_by, audience_label(con, audience));
	} else if (start_from_template(con, c) < 0) {
		update_list_free(list, n);
		return -1;
	}
	update_list_free(list, n);
	return 0;
}

static void composer_free(void *data)
{
	struct composer *c = data;

	editor_free(&c->ed);
	findings_clear(c);
	free(c);
}

/* Returns nonzero while the update in the composer is an unapproved draft or has unsaved text. */
static int composer_pending(struct console *con, void *data)
{
	struct composer *c = data;

	return c->unsaved || strcmp(c->state, "draft") == 0;
}

/* Saves the last keystrokes as the composer closes, also when the console quits with it open. */
static void composer_closing(struct console *con, void *data)
{
	save(con, data);
}

static void composer_tick(struct console *con, void *data)
{
	struct composer *c = data;

	if (c->unsaved) {
		save(con, c);
		con->dirty = 1;
	}
}

/* Draws the findings list in the rectangle; returns nothing. */
static void draw_findings(struct console *con, struct composer *c, int y, int x, int h, int w)
{
	int line = 0;
	size_t errors = guard_count_errors(c->findings, c->n_findings);
	enum theme_role role;
	char title[160];

	snprintf(title, sizeof title, " Guardrails: %zu error%s, %zu warning%s ", errors,
		 errors == 1 ? "" : "s", c->n_findings - errors, c->n_findings - errors == 1 ? "" : "s");
	if (c->check_error[0])
		snprintf(title, sizeof title, " Guardrails could not run: %.120s ", c->check_error);
	else if (c->n_findings == 0)
		snprintf(title, sizeof title, " Guardrails: %s no findings ", draw_glyph(GLYPH_CHECK));
	draw_hline(stdscr, y, x, w, theme_attr(ROLE_BORDER));
	role = ROLE_OK;
	if (errors)
		role = ROLE_ERROR;
	else if (c->n_findings)
		role = ROLE_WARNING;
	draw_text(stdscr, y, x + 2, title, w - 4, theme_attr(role));
	line = 1;

	for (size_t i = 0; i < c->n_findings && line < h; i++) {
		const struct guard_finding *f = &c->findings[i];
		int is_error = f->level == GUARD_ERROR;
		char head[160];
		int cx = x + 1;

		if (line + 1 >= h && i + 1 < c->n_findings) {
			snprintf(head, sizeof head, "... and %zu more", c->n_findings - i);
			draw_label(stdscr, y + line, x + 2, head, w - 4, theme_attr(ROLE_DIM));
			break;
		}
		snprintf(head, sizeof head, "%s %s %d:%d %s", draw_glyph(is_error ? GLYPH_ALERT : GLYPH_WARNING),
			 is_error ? "error" : "warning", f->line, f->column, f->rule_id);
		cx += draw_text(stdscr, y + line, cx, head, w - 2,
				theme_attr(is_error ? ROLE_ERROR : ROLE_WARNING));
		cx += 1;
		if (cx < x + w - 12) {
			char **lines;
			size_t n;

			/* The message wraps under itself, beside the rule id. */
			draw_wrap(f->message, x + w - 1 - cx, 0, &lines, &n);
			for (size_t k = 0; k < n && line < h; k++, line++)
				draw_label(stdscr, y + line, cx, lines[k], x + w - 1 - cx,
					   theme_attr(ROLE_NORMAL));
			draw_lines_free(lines, n);
		} else {
			line++;
		}
		if (f->length && line < h) {
			char *quoted = xasprintf("\"%s\"", f->excerpt);

			draw_text(stdscr, y + line, x + 5, quoted, w - 6,
				  theme_attr(is_error ? ROLE_ALERT : ROLE_MATCH));
			free(quoted);
			line++;
		}
	}
}

static void composer_draw(struct console *con, void *data)
{
	struct composer *c = data;
	int y = con->lay.tabs_y, x = 0, w = con->lay.cols, h = con->lay.message_y - y;
	int text_h, findings_h, cy, cx;
	struct editor_mark *marks;
	char title[256];

	if (c->findings_stale)
		check(con, c);

	for (int r = 0; r < h; r++)
		draw_blank(stdscr, y + r, x, w, theme_attr(ROLE_NORMAL));
	snprintf(title, sizeof title, " Status update to %s %s %s%s ",
		 audience_label(con, c->audience), draw_glyph(GLYPH_DOT),
		 c->state[0] ? c->state : "new, not saved yet",
		 c->save_failed ? " (NOT SAVED: see the message line)"
		 : c->unsaved  ? " (saving)"
		 : c->state[0] ? ", saved"
			       : "");
	draw_blank(stdscr, y, x, w, theme_attr(ROLE_TAB_ACTIVE));
	draw_text(stdscr, y, x, title, w, theme_attr(ROLE_TAB_ACTIVE));

	/* The text gets what the findings leave, and at least half the room. */
	findings_h = 2 + 3 * (int)c->n_findings;
	if (findings_h > (h - 1) / 2)
		findings_h = (h - 1) / 2;
	if (findings_h < 2)
		findings_h = 2;
	text_h = h - 1 - findings_h;

	/* Each finding's words, highlighted in the text: errors and warnings differ in more than colour. */
	marks = xcalloc(c->n_findings ? c->n_findings : 1, sizeof *marks);
	for (size_t i = 0; i < c->n_findings; i++) {
		marks[i].offset = c->findings[i].offset;
		marks[i].length = c->findings[i].length;
		marks[i].attr = theme_attr(c->findings[i].level == GUARD_ERROR ? ROLE_ALERT : ROLE_MATCH) |
				A_UNDERLINE;
	}
	editor_draw(&c->ed, stdscr, y + 1, x + 1, text_h, w - 2, theme_attr(ROLE_NORMAL), marks,
		    c->n_findings, &cy, &cx);
	free(marks);
	draw_findings(con, c, y + 1 + text_h, x, findings_h, w);

	if (!c->update_id || strcmp(c->state, "draft") == 0) {
		con->cursor_on = 1;
		con->cursor_y = cy;
		con->cursor_x = cx;
	}
}

/* Finds the composer in the overlay stack (a prompt may sit above it). */
static struct composer *find_composer(struct console *con);

static int approve_done(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;
	struct composer *c;
	struct wr_error err = {0};
	const struct guard *guard = console_guard(con);
	int rc;

	if (!guard)
		return UI_HANDLED;
	rc = update_approve(con->st, con->pb, guard, r->ref, values ? values[0] : NULL, &err);
	if (rc < 0) {
		ui_error(con, &err);
		return err.status == WR_BAD_INPUT ? UI_KEEP : UI_HANDLED;
	}
	c = find_composer(con);
	if (c && c->update_id == r->ref)
		snprintf(c->state, sizeof c->state, "approved");
	ui_message(con, "Approved. Ctrl-P (F6) publishes it.");
	return UI_RELOAD;
}

static int approve(struct console *con, struct composer *c)
{
	size_t errors;
	char title[160];

	if (c->update_id && strcmp(c->state, "draft") != 0) {
		ui_message(con, "This update is already %s.", c->state);
		return UI_HANDLED;
	}
	c->unsaved = c->unsaved || c->update_id == 0;
	if (save(con, c) < 0)
		return UI_HANDLED;
	check(con, c);
	errors = guard_count_errors(c->findings, c->n_findings);
	if (errors == 0) {
		struct pane_ref *r = pane_ref_new(NULL, c->update_id);
		int flags = approve_done(con, r, NULL);

		free(r);
		return flags & ~UI_KEEP;
	}
	snprintf(title, sizeof title, "The guardrails found %zu error%s: approve anyway?", errors,
		 errors == 1 ? "" : "s");
	prompt_open1(con, title, "Reason for overriding them (recorded with the approval)", NULL,
		     approve_done, pane_ref_new(NULL, c->update_id));
	return UI_HANDLED;
}

static int publish(struct console *con, struct composer *c)
{
	struct wr_error err = {0};

	if (!c->update_id || strcmp(c->state, "approved") != 0) {
		ui_message(con, "Only an approved update is published: approve it first with Ctrl-G (F5).");
		con->message_error = 1;
		return UI_HANDLED;
	}
	if (update_publish(con->st, con->settings, c->update_id, &err) < 0) {
		ui_error(con, &err);
		return UI_RELOAD;
	}
	snprintf(c->state, sizeof c->state, "published");

	/* Without a publish command nothing was sent: say so, or the commander may think it was. */
	if (con->settings && con->settings->publish_command && con->settings->publish_command[0])
		ui_message(con, "Published to %s by the publish command.", audience_label(con, c->audience));
	else
		ui_message(con, "Marked published to %s. No publish command is set: send the text by hand.",
			   audience_label(con, c->audience));
	return UI_RELOAD;
}

static int audience_chosen(struct console *con, void *ctx, int choice)
{
	struct composer *c = find_composer(con);

	if (!c)
		return UI_HANDLED;
	save(con, c);
	findings_clear(c);
	load_audience(con, c, con->pb->audiences[choice].id);
	return UI_HANDLED;
}

/* Returns the latest unsent draft to AUDIENCE among the open incident's updates, or NULL. */
static const struct update *saved_draft(const struct console *con, const char *audience)
{
	const struct update *draft = NULL;

	for (size_t i = 0; i < con->iv.n_updates; i++)
		if (strcmp(con->iv.updates[i].state, "draft") == 0 &&
		    strcmp(con->iv.updates[i].audience, audience) == 0)
			draft = &con->iv.updates[i];
	return draft;
}

/*
 * Opens the audience menu; DONE gets the choice. An audience with an
 * unsent draft is marked with its time and author, and the cursor starts
 * on CURRENT, else on the first such draft.
 */
static void audience_menu(struct console *con, const char *current, menu_done_fn done)
{
	size_t n = con->pb->n_audiences;
	struct menu_item *items = xcalloc(n ? n : 1, sizeof *items);
	char **marks = xcalloc(n ? n : 1, sizeof *marks);
	int initial = -1;

	for (size_t i = 0; i < n; i++) {
		const struct pb_audience *a = &con->pb->audiences[i];
		const struct update *draft = saved_draft(con, a->id);
		char when[32];

		items[i].label = a->label;
		items[i].detail = a->receives;
		if (current && strcmp(current, a->id) == 0) {
			items[i].mark = "(current)";
			items[i].mark_role = ROLE_DIM;
			initial = (int)i;
		} else if (draft) {
			draft_time(draft, when, sizeof when);
			marks[i] = xasprintf("(unsent draft from %s by %s)", when, draft->created_by);
			items[i].mark = marks[i];
			items[i].mark_role = ROLE_WARNING;
			if (initial < 0 && !current)
				initial = (int)i;
		}
	}
	menu_open(con, "Audience of the update", items, n, initial < 0 ? 0 : initial, done, NULL);
	for (size_t i = 0; i < n; i++)
		free(marks[i]);
	free(marks);
	free(items);
}

static int composer_key(struct console *con, void *data, int key)
{
	struct composer *c = data;
	enum ui_action action = keys_lookup(composer_contexts, 2, key);
	int editable = !c->update_id || strcmp(c->state, "draft") == 0;
	switch (action) {
	case ACT_CMP_CLOSE:
		if (save(con, c) < 0 && !c->close_unsaved) {
			/* The text exists only here: warn once before it is dropped. */
			c->close_unsaved = 1;
			ui_message(con, "The draft could not be saved; press Esc again to close without "
					"it, or Ctrl-E to keep a copy in $EDITOR.");
			con->message_error = 1;
			return UI_HANDLED;
		}
		if (strcmp(c->state, "draft") == 0)
			ui_message(con, "Draft to %s saved, not approved.", audience_label(con, c->audience));
		return UI_HANDLED | UI_CLOSE | UI_RELOAD;
	case ACT_CMP_AUDIENCE:
		audience_menu(con, c->audience, audience_chosen);
		return UI_HANDLED;
	case ACT_CMP_TEMPLATE:
		if (!editable) {
			/* A new draft replaces an approved or published one in the composer. */
			c->update_id = 0;
			c->state[0] = '\0';
		}
		start_from_template(con, c);
		return UI_HANDLED;
	case ACT_CMP_EDITOR: {
		char *text;

		if (!editable) {
			ui_message(con, "This update is %s; Ctrl-R (F3) starts a new draft.", c->state);
			return UI_HANDLED;
		}
		text = external_edit(con, c->ed.text);
		if (text) {
			editor_set_text(&c->ed, text);
			free(text);
			c->unsaved = 1;
			c->findings_stale = 1;
			save(con, c);
		}
		return UI_HANDLED;
	}
	case ACT_CMP_NEXT_FINDING:
		if (c->n_findings == 0) {
			ui_message(con, "No guardrail findings.");
			return UI_HANDLED;
		}
		for (size_t i = 0; i <= c->n_findings; i++) {
			const struct guard_finding *f = &c->findings[i % c->n_findings];

			if (f->offset > c->ed.cursor || i == c->n_findings) {
				editor_set_cursor(&c->ed, f->offset);
				ui_message(con, "%d:%d %s", f->line, f->column, f->message);
				break;
			}
		}
		return UI_HANDLED;
	case ACT_CMP_APPROVE:
		return approve(con, c);
	case ACT_CMP_PUBLISH:
		return publish(con, c);
	default:
		break;
	}

	if (!editable) {
		ui_message(con, "This update is %s and no longer edited; Ctrl-R (F3) starts a new draft "
				"from the template.", c->state);
		return UI_HANDLED;
	}
	c->ed.changed = 0;
	if (editor_key(&c->ed, action, key) && c->ed.changed) {
		c->unsaved = 1;
		c->findings_stale = 1;
	}
	return UI_HANDLED;
}

static const struct layer_ops composer_ops = {
	.contexts = composer_contexts,
	.n_contexts = 2,
	.draw = composer_draw,
	.key = composer_key,
	.tick = composer_tick,
	.pending = composer_pending,
	.closing = composer_closing,
	.free = composer_free,
};

static struct composer *find_composer(struct console *con)
{
	for (int i = con->n_layers - 1; i >= 0; i--)
		if (con->layers[i].ops == &composer_ops)
			return con->layers[i].data;
	return NULL;
}

static int open_chosen(struct console *con, void *ctx, int choice)
{
	struct composer *c = xcalloc(1, sizeof *c);

	editor_init(&c->ed, NULL, 1);
	if (load_audience(con, c, con->pb->audiences[choice].id) < 0) {
		composer_free(c);
		return UI_HANDLED;
	}
	console_push(con, &composer_ops, c);
	return UI_HANDLED;
}

int composer_open(struct console *con)
{
	if (!con->iv.inc || ui_readonly(con))
		return UI_HANDLED;
	if (con->pb->n_audiences == 0) {
		ui_message(con, "The playbook lists no audiences for status updates.");
		con->message_error = 1;
		return UI_HANDLED;
	}
	audience_menu(con, NULL, open_chosen);
	return UI_HANDLED;
}
