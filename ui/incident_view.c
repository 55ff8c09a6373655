/*
 * The incident view: the header, the step tabs, the current step's pane and
 * the timeline (beside the pane from UI_SIDE_TIMELINE_COLS columns on, in
 * place of it on narrower screens after `t`). A console that follows the
 * incident read-only opens on the timeline alone at full width instead, at
 * any width, because observers mostly follow events. At full width curses
 * scrolls the timeline's rows for a new event, where beside the pane it
 * rewrites most of them (BENCHMARKS.md has the bytes). It loads everything
 * the panes show in one go, so a pane only reads memory while it builds its
 * rows.
 */
#include <stdlib.h>
#include <string.h>

#include "restricted.h"
#include "ui.h"

/* A step's pane: the playbook step id it shows and the function that builds its rows. */
struct pane {
	const char *step_id;
	void (*build)(struct console *con, struct rows *rows);
};

static const struct pane panes[] = {
	{"classify", pane_classify_build},
	{"severity", pane_severity_build},
	{"record", pane_record_build},
	{"triage", pane_triage_build},
	{"impact", pane_impact_build},
	{"resolve", pane_resolve_build},
	{"review", pane_review_build},
	{"security", pane_security_build},
};

/* Frees the list LIST of N entries with FREE_FN and leaves it empty. */
#define FREE_LIST(free_fn, list, n) \
	do {                        \
		free_fn(list, n);   \
		(list) = NULL;      \
		(n) = 0;            \
	} while (0)

/* The loaded data apart from the id and the screen state, which survive a reload. */
static void free_data(struct incident_view *iv)
{
	incident_free(iv->inc);
	iv->inc = NULL;
	FREE_LIST(step_statuses_free, iv->statuses, iv->n_statuses);
	FREE_LIST(hypothesis_list_free, iv->hypotheses, iv->n_hypotheses);
	FREE_LIST(evidence_free, iv->evidence, iv->n_evidence);
	FREE_LIST(checklist_marks_free, iv->marks, iv->n_marks);
	FREE_LIST(step_validations_free, iv->validations, iv->n_validations);
	FREE_LIST(action_list_free, iv->actions, iv->n_actions);
	FREE_LIST(window_list_free, iv->windows, iv->n_windows);
	FREE_LIST(decision_list_free, iv->decisions, iv->n_decisions);
	FREE_LIST(update_list_free, iv->updates, iv->n_updates);
}

void incident_view_free(struct incident_view *iv)
{
	for (size_t i = 0; i < sizeof iv->cursor_row / sizeof iv->cursor_row[0]; i++) {
		free(iv->cursor_row[i]);
		iv->cursor_row[i] = NULL;
	}
	free_data(iv);
	timeline_free(&iv->timeline);
	free(iv->id);
	iv->id = NULL;
}

/* Picks the first step that is not complete, so the commander lands on what comes next. */
static int first_open_tab(const struct console *con)
{
	for (int t = 0; t < tabs_count(con); t++) {
		const char *id = tabs_step_id(con, t);

		for (size_t i = 0; i < con->iv.n_statuses; i++)
			if (strcmp(con->iv.statuses[i].step_id, id) == 0 && !con->iv.statuses[i].complete)
				return t;
	}
	return 0;
}

int incident_view_load(struct console *con)
{
	struct incident_view *iv = &con->iv;
	struct wr_error err = {0};
	struct incident *inc;
	int failed = 0;

	inc = incident_get(con->st, iv->id, &err);
	if (!inc) {
		snprintf(iv->load_error, sizeof iv->load_error, "%s", err.message);
		ui_error(con, &err);
		return -1;
	}
	free_data(iv);
	iv->inc = inc;
	iv->load_error[0] = '\0';
	iv->security = step_security_applies(con->pb, inc);

	/* Each list that fails to load shows empty, and the message line gives the error. */
	if (step_statuses(con->st, con->pb, iv->id, &iv->statuses, &iv->n_statuses, &err) < 0 ||
	    hypothesis_list(con->st, iv->id, &iv->hypotheses, &iv->n_hypotheses, &err) < 0 ||
	    checklist_marks(con->st, iv->id, &iv->marks, &iv->n_marks, &err) < 0 ||
	    step_validations(con->st, iv->id, &iv->validations, &iv->n_validations, &err) < 0 ||
	    action_list(con->st, iv->id, &iv->actions, &iv->n_actions, &err) < 0 ||
	    window_list(con->st, iv->id, &iv->windows, &iv->n_windows, &err) < 0 ||
	    decision_list(con->st, iv->id, &iv->decisions, &iv->n_decisions, &err) < 0 ||
	    update_list(con->st, iv->id, NULL, &iv->updates, &iv->n_updates, &err) < 0 ||
	    evidence_list(con->st, iv->id, &iv->evidence, &iv->n_evidence, &err) < 0)
		failed = 1;

	/* Restricted hypotheses show their text only to a user who may read the restricted file. */
	restricted_fill_hypotheses(store_path(con->st), iv->id, iv->hypotheses, iv->n_hypotheses);
	restricted_fill_evidence(store_path(con->st), iv->id, iv->evidence, iv->n_evidence);
	if (timeline_load(con) < 0)
		failed = 1;
	if (failed && err.message[0]) {
		snprintf(iv->load_error, sizeof iv->load_error, "%s", err.message);
		ui_error(con, &err);
	}

	command_refresh(con);
	if (iv->tab < 0)
		iv->tab = first_open_tab(con);
	if (iv->tab >= tabs_count(con))
		iv->tab = tabs_count(con) - 1;
	con->dirty = 1;
	return failed ? -1 : 0;
}

const struct checklist_mark *incident_view_mark(const struct console *con, const char *list,
						const char *item)
{
	for (size_t i = 0; i < con->iv.n_marks; i++)
		if (strcmp(con->iv.marks[i].list, list) == 0 && strcmp(con->iv.marks[i].item, item) == 0)
			return &con->iv.marks[i];
	return NULL;
}

/* Fills ROWS for the current tab. */
static void fill_rows(struct console *con, struct rows *rows)
{
	const char *id = tabs_step_id(con, con->iv.tab);

	for (size_t i = 0; i < sizeof panes / sizeof panes[0]; i++) {
		if (strcmp(panes[i].step_id, id) == 0) {
			panes[i].build(con, rows);
			return;
		}
	}
	/* A step that a bank added to its playbook: show its purpose and checklist. */
	pane_generic_build(con, rows, playbook_step(con->pb, id));
}

/* Remembers which row the cursor is on, so a reload that adds rows above it does not move it. */
static void remember_cursor(struct console *con, const struct rows *rows)
{
	struct incident_view *iv = &con->iv;

	free(iv->cursor_row[iv->tab]);
	iv->cursor_row[iv->tab] = NULL;
	if (rows->n && iv->cursor[iv->tab] < (int)rows->n)
		iv->cursor_row[iv->tab] = rows_identity(&rows->items[iv->cursor[iv->tab]]);
}

/* Builds the current tab's rows and puts the cursor back on the row it was on. */
static void build_rows(struct console *con, struct rows *rows)
{
	struct incident_view *iv = &con->iv;
	int at;

	if (!iv->inc)
		return;
	fill_rows(con, rows);
	if (iv->cursor_row[iv->tab]) {
		at = rows_find(rows, iv->cursor_row[iv->tab]);
		if (at >= 0)
			iv->cursor[iv->tab] = at;
	}
	rows_clamp(rows, &iv->cursor[iv->tab]);
	remember_cursor(con, rows);
}

/* Returns nonzero when the timeline fills the body in place of the step pane. */
static int timeline_alone(const struct console *con)
{
	const struct incident_view *iv = &con->iv;

	return iv->timeline_only && (iv->observing || con->lay.timeline_w == 0);
}

int incident_view_in_timeline(const struct console *con)
{
	return con->iv.timeline_focus || timeline_alone(con);
}

void incident_view_observe(struct console *con)
{
	con->iv.observing = 1;
	con->iv.timeline_only = 1;
	con->iv.timeline_focus = 0;
	con->dirty = 1;
}

void incident_view_draw(struct console *con)
{
	struct incident_view *iv = &con->iv;
	const struct layout *lay = &con->lay;
	struct rows rows = {0};
	int tab = iv->tab;

	header_draw(con);
	if (!iv->inc) {
		draw_text(stdscr, lay->body_y + 1, 2, iv->load_error, lay->cols - 4,
			  theme_attr(ROLE_ERROR));
		return;
	}
	tabs_draw(con);

	if (timeline_alone(con)) {
		timeline_draw(con, lay->body_y, 0, lay->body_h, lay->cols, 1);
		return;
	}

	build_rows(con, &rows);
	rows_clamp(&rows, &iv->cursor[tab]);
	rows_draw(con, &rows, lay->body_y, lay->pane_x, lay->body_h, lay->pane_w, iv->cursor[tab],
		  &iv->top[tab], !iv->timeline_focus);
	rows_free(&rows);

	if (lay->timeline_w) {
		draw_vline(stdscr, lay->body_y - 1, lay->pane_w, lay->body_h + 1,
			   theme_attr(ROLE_BORDER));
		if (draw_utf8())
			mvwaddch(stdscr, lay->body_y - 1, lay->pane_w, ACS_TTEE | theme_attr(ROLE_BORDER));
		timeline_draw(con, lay->body_y, lay->timeline_x, lay->body_h, lay->timeline_w,
			      iv->timeline_focus);
	}
}

static void go_to_tab(struct console *con, int tab)
{
	con->iv.tab = tab;
	con->iv.timeline_focus = 0;
	con->iv.timeline_only = 0;
}

static int note_done(struct console *con, void *ctx, char *const *values)
{
	struct wr_error err = {0};

	if (note_add(con->st, con->iv.id, values[0], &err) < 0) {
		ui_error(con, &err);
		return err.status == WR_BAD_INPUT ? UI_KEEP : UI_HANDLED;
	}
	ui_message(con, "Note added to the timeline.");
	return UI_RELOAD;
}

static int restricted_note_done(struct console *con, void *ctx, char *const *values)
{
	struct wr_error err = {0};

	if (restricted_note_add(con->st, con->settings ? con->settings->restricted_group : NULL,
				con->iv.id, values[0], &err) < 0) {
		ui_error(con, &err);
		return err.status == WR_BAD_INPUT ? UI_KEEP : UI_HANDLED;
	}
	ui_message(con, "Restricted note added: the timeline shows it to readers of the restricted file only.");
	return UI_RELOAD;
}

/* Keys for the timeline, whether it is beside the pane or in place of it. */
static int timeline_keys(struct console *con, enum ui_action action)
{
	switch (action) {
	case ACT_BACK:
		/* An observer's timeline is its home view: Esc leaves the incident, as in the pane. */
		if (con->iv.observing)
			return UI_IGNORED;
		con->iv.timeline_focus = 0;
		con->iv.timeline_only = 0;
		return UI_HANDLED;
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_TOP:
	case ACT_BOTTOM:
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		return timeline_key(con, action);
	case ACT_SEARCH:
		return timeline_search_prompt(con);
	default:
		return UI_IGNORED;
	}
}

/* Keys for the step pane: moving over its rows and acting on the one under the cursor. */
static int pane_keys(struct console *con, enum ui_action action)
{
	struct incident_view *iv = &con->iv;
	struct rows rows = {0};
	const struct row *row;
	int *cursor = &iv->cursor[iv->tab];
	int flags = UI_HANDLED;
	row_fn fn = NULL;

	build_rows(con, &rows);
	rows_clamp(&rows, cursor);
	row = rows.n && rows.items[*cursor].selectable ? &rows.items[*cursor] : NULL;

	switch (action) {
	case ACT_UP:
		rows_move(&rows, cursor, -1);
		break;
	case ACT_DOWN:
		rows_move(&rows, cursor, 1);
		break;
	case ACT_PAGE_UP:
		rows_move(&rows, cursor, -10);
		break;
	case ACT_PAGE_DOWN:
		rows_move(&rows, cursor, 10);
		break;
	case ACT_TOP:
		rows_move(&rows, cursor, -(int)rows.n);
		iv->top[iv->tab] = 0;
		break;
	case ACT_BOTTOM:
		rows_move(&rows, cursor, (int)rows.n);
		break;
	case ACT_ACT:
		fn = row ? row->act : NULL;
		if (!fn)
			ui_message(con, "Nothing to change here: move to a field or an item.");
		break;
	case ACT_ADD:
		fn = row ? row->add : NULL;
		if (!fn)
			ui_message(con, "Nothing to add here: move to a list (services, hypotheses, "
					"actions...).");
		break;
	case ACT_REMOVE:
		fn = row ? row->remove : NULL;
		if (!fn)
			ui_message(con, "Nothing to remove here.");
		break;
	case ACT_EXTERNAL:
		fn = row ? row->external : NULL;
		if (!fn)
			ui_message(con, "This field is not edited in $EDITOR.");
		break;
	default:
		flags = UI_IGNORED;
		break;
	}
	remember_cursor(con, &rows);
	/* A viewer gets the same answer from every editing key, whatever the row. */
	if ((action == ACT_ACT || action == ACT_ADD || action == ACT_REMOVE ||
	     action == ACT_EXTERNAL) && ui_readonly(con))
		fn = NULL;
	if (fn)
		flags |= fn(con, row);
	rows_free(&rows);
	return flags;
}

int incident_view_key(struct console *con, int key)
{
	static const enum key_context pane_contexts[] = {CTX_PANE, CTX_INCIDENT, CTX_MOVE};
	static const enum key_context timeline_contexts[] = {CTX_TIMELINE, CTX_MOVE, CTX_INCIDENT};
	static const enum key_context pane_only[] = {CTX_PANE};
	struct incident_view *iv = &con->iv;
	int in_timeline = incident_view_in_timeline(con);
	enum ui_action action;
	int flags;

	if (!iv->inc) {
		action = keys_lookup(pane_contexts, 3, key);
		if (action == ACT_BACK && con->from_list) {
			console_show_list(con);
			return UI_HANDLED;
		}
		return UI_IGNORED;
	}

	if (in_timeline) {
		action = keys_lookup(timeline_contexts, 3, key);
		flags = timeline_keys(con, action);
		/* The pane's editing keys (Enter a x e) show the read-only message here too. */
		if (action == ACT_NONE && keys_action_edits(keys_lookup(pane_only, 1, key)) &&
		    ui_readonly(con))
			return UI_HANDLED;
	} else {
		action = keys_lookup(pane_contexts, 3, key);
		flags = pane_keys(con, action);
	}
	if (flags & UI_HANDLED)
		return flags;

	if (action >= ACT_STEP_1 && action <= ACT_STEP_7) {
		int number = action - ACT_STEP_1 + 1;

		for (int i = 0; i < tabs_steps(con); i++)
			if (con->pb->steps[i].number == number)
				go_to_tab(con, (int)i);
		return UI_HANDLED;
	}

	switch (action) {
	case ACT_SECURITY:
		if (iv->security)
			go_to_tab(con, tabs_steps(con));
		else
			ui_message(con, "The security mini-SOP does not apply to this incident.");
		return UI_HANDLED;
	case ACT_NEXT_STEP:
		go_to_tab(con, (iv->tab + 1) % tabs_count(con));
		return UI_HANDLED;
	case ACT_PREV_STEP:
		go_to_tab(con, (iv->tab + tabs_count(con) - 1) % tabs_count(con));
		return UI_HANDLED;
	case ACT_TIMELINE:
		if (con->lay.timeline_w && !iv->observing)
			iv->timeline_focus = !iv->timeline_focus;
		else
			iv->timeline_only = !iv->timeline_only;
		return UI_HANDLED;
	case ACT_SEARCH:
		if (con->lay.timeline_w && !iv->observing)
			iv->timeline_focus = 1;
		else
			iv->timeline_only = 1;
		return timeline_search_prompt(con);
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		return timeline_key(con, action);
	case ACT_SEVERITY:
		return picker_open(con);
	case ACT_COMPOSE:
		return composer_open(con);
	case ACT_BRIEF:
		return brief_open(con);
	case ACT_HANDOVER:
		return handover_open(con);
	case ACT_NOTE:
		if (ui_readonly(con))
			return UI_HANDLED;
		prompt_open1(con, "Add a note to the timeline", "Note", NULL, note_done, NULL);
		return UI_HANDLED;
	case ACT_RESTRICTED_NOTE:
		if (ui_readonly(con))
			return UI_HANDLED;
		if (!iv->security) {
			ui_message(con, "Restricted notes are for security incidents; m adds a timeline note.");
			return UI_HANDLED;
		}
		prompt_open1(con, "Add a restricted note (need-to-know)", "Note", NULL,
			     restricted_note_done, NULL);
		return UI_HANDLED;
	case ACT_BACK:
		if (con->from_list)
			console_show_list(con);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}
