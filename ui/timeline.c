/*
 * The timeline: who did what and when, newest at the bottom, in the local
 * time zone. It scrolls by whole events, so a resize keeps the same event
 * at the bottom, and it follows new events until the user scrolls up. `/`
 * searches the time, actor, kind and details of every event; n goes to the
 * next older match and N to the next newer one.
 *
 * Only the events on screen are read from the store (events_page), and
 * events are named by id, so opening, drawing and scrolling cost the same
 * in a timeline of a thousand events or of a hundred thousand. A search
 * reads the timeline in batches of SCAN_BATCH events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "restricted.h"
#include "ui.h"

#define SCAN_BATCH 1000

static void window_drop(struct timeline *tl)
{
	events_free(tl->window, tl->n_window);
	tl->window = NULL;
	tl->n_window = 0;
	tl->window_bottom = 0;
	tl->window_limit = 0;
}

int timeline_load(struct console *con)
{
	struct timeline *tl = &con->iv.timeline;
	struct wr_error err = {0};

	window_drop(tl);
	tl->match_counted = 0;
	if (events_summary(con->st, con->iv.id, &tl->n, &tl->newest, &err) < 0) {
		tl->n = 0;
		tl->newest = 0;
		ui_error(con, &err);
		return -1;
	}
	if (tl->follow || tl->bottom <= 0 || tl->bottom > tl->newest)
		tl->bottom = tl->newest;
	if (tl->match > tl->newest)
		tl->match = -1;
	return 0;
}

void timeline_free(struct timeline *tl)
{
	window_drop(tl);
	tl->n = 0;
	tl->newest = 0;
	free(tl->search);
	tl->search = NULL;
}

/*
 * Reads the LIMIT events up to the bottom one into the window, oldest first,
 * unless it contains them already. Returns 0, or -1 after showing the error.
 */
static int window_read(struct console *con, size_t limit)
{
	struct timeline *tl = &con->iv.timeline;
	struct wr_error err = {0};
	struct event *list;
	size_t n;

	if (tl->window_bottom == tl->bottom && tl->window_limit >= limit)
		return 0;
	window_drop(tl);
	if (events_page(con->st, con->iv.id, tl->bottom, -1, limit, &list, &n, &err) < 0) {
		ui_error(con, &err);
		return -1;
	}
	restricted_fill_events(store_path(con->st), con->iv.id, list, n);
	for (size_t i = 0; i < n / 2; i++) {
		struct event swap = list[i];

		list[i] = list[n - 1 - i];
		list[n - 1 - i] = swap;
	}
	tl->window = list;
	tl->n_window = n;
	tl->window_bottom = tl->bottom;
	tl->window_limit = limit;
	return 0;
}

/* The event's time as the timeline shows it: its date, and its time of day. */
static void event_date(const struct event *ev, char *out, size_t size)
{
	ui_local_time(ev->at, "%a %Y-%m-%d", out, size);
}

static int event_matches(const struct event *ev, const char *term)
{
	char when[64];

	ui_local_time(ev->at, "%Y-%m-%d %H:%M", when, sizeof when);
	return draw_find(when, term) || draw_find(ev->actor, term) || draw_find(ev->kind, term) ||
	       draw_find(ev->details, term);
}

/*
 * The lines of event EV at width W, including a date rule when its day
 * differs from that of PREV, the event before it (NULL for the first event).
 */
struct block {
	char **details;
	size_t n_details;
	int date_rule;
	int lines;
};

static void block_make(const struct event *ev, const struct event *prev, int w, struct block *b)
{
	char date[64], prev_date[64];

	memset(b, 0, sizeof *b);
	event_date(ev, date, sizeof date);
	if (!prev) {
		b->date_rule = 1;
	} else {
		event_date(prev, prev_date, sizeof prev_date);
		b->date_rule = strcmp(date, prev_date) != 0;
	}
	b->details = NULL;
	b->n_details = 0;
	if (ev->details && *ev->details)
		draw_wrap(ev->details, w - 4, 1, &b->details, &b->n_details);
	b->lines = 1 + (int)b->n_details + b->date_rule;
}

static void block_free(struct block *b)
{
	draw_lines_free(b->details, b->n_details);
}

static void block_draw(struct console *con, const struct timeline *tl, const struct event *ev,
		       const struct block *b, int y, int x, int w, int first_line, int h_left)
{
	attr_t hl = theme_attr(ROLE_MATCH);
	const char *term = tl->search;
	int line = 0, cx = x + 2;
	char when[32];
	int is_match = tl->match == ev->id;

	/* FIRST_LINE lines of the block are scrolled off the top. */
#define SHOW(l) ((l) >= first_line && (l) - first_line < h_left)
#define ROW(l) (y + (l) - first_line)

	if (b->date_rule) {
		char date[64];

		event_date(ev, date, sizeof date);
		if (SHOW(line)) {
			draw_hline(stdscr, ROW(line), x, w, theme_attr(ROLE_BORDER));
			draw_label(stdscr, ROW(line), x + 2, " ", 1, theme_attr(ROLE_NORMAL));
			draw_label(stdscr, ROW(line), x + 3, date, w - 6, theme_attr(ROLE_DIM));
			draw_label(stdscr, ROW(line), x + 3 + draw_width(date), " ", 1,
				   theme_attr(ROLE_NORMAL));
		}
		line++;
	}

	if (SHOW(line)) {
		if (is_match)
			draw_label(stdscr, ROW(line), x, draw_glyph(GLYPH_ARROW), 1,
				   theme_attr(ROLE_MATCH) | A_BOLD);
		ui_local_time(ev->at, "%H:%M", when, sizeof when);
		cx += draw_label_marked(stdscr, ROW(line), cx, when, 5, theme_attr(ROLE_DIM), NULL, hl);
		cx += 1;
		if (cx < x + w)
			cx += draw_text_marked(stdscr, ROW(line), cx, ev->actor, (x + w - cx) / 2,
					       theme_attr(ROLE_LABEL), term, hl);
		cx += 1;
		if (cx < x + w)
			draw_text_marked(stdscr, ROW(line), cx, ev->kind, x + w - cx,
					 theme_attr(ROLE_TITLE), term, hl);
	}
	line++;

	for (size_t k = 0; k < b->n_details; k++, line++)
		if (SHOW(line))
			draw_label_marked(stdscr, ROW(line), x + 4, b->details[k], w - 4,
					  theme_attr(ROLE_NORMAL), term, hl);
#undef SHOW
#undef ROW
}

/*
 * Reads the whole timeline in batches from FROM_ID in direction DIR (-1
 * older, +1 newer) and calls VISIT on each event until it returns nonzero.
 * Returns the id of that event, 0 when none stopped the scan, or -1 after
 * showing a store error.
 */
static long long scan(struct console *con, long long from_id, int dir,
		      int (*visit)(const struct event *ev, void *ctx), void *ctx)
{
	struct wr_error err = {0};

	for (;;) {
		struct event *list;
		size_t n;
		long long found = 0;

		if (events_page(con->st, con->iv.id, from_id, dir, SCAN_BATCH, &list, &n, &err) < 0) {
			ui_error(con, &err);
			return -1;
		}
		restricted_fill_events(store_path(con->st), con->iv.id, list, n);
		for (size_t i = 0; i < n && !found; i++)
			if (visit(&list[i], ctx))
				found = list[i].id;
		if (n)
			from_id = list[n - 1].id + dir;
		events_free(list, n);
		if (found || n < SCAN_BATCH)
			return found;
	}
}

struct match_count {
	const char *term;
	long long match;
	long nth, total;
};

static int count_match(const struct event *ev, void *ctx)
{
	struct match_count *mc = ctx;

	if (event_matches(ev, mc->term)) {
		mc->total++;
		if (ev->id <= mc->match)
			mc->nth = mc->total;
	}
	return 0;
}

/* Counts the matches of the search and the current match's rank, once per search or reload. */
static void count_matches(struct console *con)
{
	struct timeline *tl = &con->iv.timeline;
	struct match_count mc = {tl->search, tl->match, 0, 0};

	if (tl->match_counted)
		return;
	if (scan(con, 0, 1, count_match, &mc) < 0)
		return;
	tl->match_nth = mc.nth;
	tl->match_total = mc.total;
	tl->match_counted = 1;
}

void timeline_draw(struct console *con, int y, int x, int h, int w, int focused)
{
	struct timeline *tl = &con->iv.timeline;
	char title[160];
	int used = 0, start_line;
	size_t first, last, oldest;

	if (h < 2 || w < 16)
		return;

	/* The title: how many events, and which match of the search is shown. */
	if (tl->search && tl->match >= 0) {
		count_matches(con);
		snprintf(title, sizeof title, " Timeline %s /%s: match %ld of %ld ",
			 draw_glyph(GLYPH_DOT), tl->search, tl->match_nth, tl->match_total);
	} else if (tl->search) {
		snprintf(title, sizeof title, " Timeline %s /%s: no match ", draw_glyph(GLYPH_DOT),
			 tl->search);
	} else {
		snprintf(title, sizeof title, " Timeline (%zu events)%s ", tl->n,
			 tl->follow ? "" : " scrolled");
	}
	draw_blank(stdscr, y, x, w, theme_attr(focused ? ROLE_TAB_ACTIVE : ROLE_TAB));
	draw_text(stdscr, y, x, title, w, theme_attr(focused ? ROLE_TAB_ACTIVE : ROLE_TITLE));
	y++;
	h--;

	/*
	 * Every event takes a line at least, so H events fill the height; one
	 * more is read for the date rule of the oldest shown. A window that came
	 * back short reaches the first event, which always gets a date rule.
	 */
	if (tl->newest == 0 || window_read(con, (size_t)h + 1) < 0 || tl->n_window == 0) {
		draw_label(stdscr, y + 1, x + 2, "No events yet.", w - 4, theme_attr(ROLE_DIM));
		return;
	}
	oldest = tl->n_window == tl->window_limit ? 1 : 0;
	last = tl->n_window - 1;

	/* Stack blocks upwards from the bottom event until the height is used. */
	first = last;
	for (size_t i = last + 1; i-- > oldest;) {
		struct block b;

		block_make(&tl->window[i], i ? &tl->window[i - 1] : NULL, w, &b);
		used += b.lines;
		block_free(&b);
		first = i;
		if (used >= h)
			break;
	}

	/* The oldest block shown may be cut at its top. */
	start_line = used > h ? used - h : 0;
	for (size_t i = first, row = 0; i <= last && (int)row < h; i++) {
		struct block b;
		int skip = i == first ? start_line : 0;

		block_make(&tl->window[i], i ? &tl->window[i - 1] : NULL, w, &b);
		block_draw(con, tl, &tl->window[i], &b, y + (int)row, x, w, skip, h - (int)row);
		row += (size_t)(b.lines - skip);
		block_free(&b);
	}
	if (!tl->follow && tl->bottom != tl->newest)
		draw_label(stdscr, y + h - 1, x + w - 8, draw_utf8() ? "\xE2\x86\x93 newer" : "v newer",
			   7, theme_attr(ROLE_DIM));
}

/* Moves the bottom of the view to event ID. */
static void scroll_to(struct timeline *tl, long long id)
{
	tl->bottom = id;
	tl->follow = tl->newest == 0 || tl->bottom == tl->newest;
}

/* Moves the bottom of the view DELTA events older (negative) or newer, stopping at either end. */
static void scroll_by(struct console *con, long delta)
{
	struct timeline *tl = &con->iv.timeline;
	struct wr_error err = {0};
	struct event *list;
	size_t n;
	int dir = delta < 0 ? -1 : 1;

	if (tl->newest == 0 || delta == 0)
		return;
	if (events_page(con->st, con->iv.id, tl->bottom + dir, dir,
			(size_t)(delta < 0 ? -delta : delta), &list, &n, &err) < 0) {
		ui_error(con, &err);
		return;
	}
	if (n)
		scroll_to(tl, list[n - 1].id);
	events_free(list, n);
}

/* Moves the bottom of the view to the oldest event. */
static void scroll_to_first(struct console *con)
{
	struct timeline *tl = &con->iv.timeline;
	struct wr_error err = {0};
	struct event *list;
	size_t n;

	if (events_page(con->st, con->iv.id, 0, 1, 1, &list, &n, &err) < 0) {
		ui_error(con, &err);
		return;
	}
	if (n)
		scroll_to(tl, list[0].id);
	events_free(list, n);
}

static int is_match(const struct event *ev, void *ctx)
{
	return event_matches(ev, ctx);
}

/*
 * Finds the next match from event FROM_ID (included) going in direction DIR
 * (-1 older, +1 newer), wrapping around at the end. Returns its id, 0 when
 * nothing matches, or -1 after a store error.
 */
static long long find_match(struct console *con, long long from_id, int dir)
{
	struct timeline *tl = &con->iv.timeline;
	long long found = scan(con, from_id, dir, is_match, tl->search);

	if (found != 0)
		return found;
	/* Nothing matched up to the end: go on from the other end. */
	return scan(con, dir < 0 ? tl->newest : 0, dir, is_match, tl->search);
}

static void jump(struct console *con, long long from_id, int dir)
{
	struct timeline *tl = &con->iv.timeline;
	long long id;

	if (!tl->search || tl->newest == 0) {
		ui_message(con, "No search yet: press / to search the timeline.");
		return;
	}
	id = find_match(con, from_id, dir);
	if (id < 0)
		return;
	tl->match_counted = 0;
	if (id == 0) {
		tl->match = -1;
		ui_message(con, "No event matches \"%s\".", tl->search);
		con->message_error = 1;
		return;
	}
	tl->match = id;
	scroll_to(tl, id);
}

int timeline_key(struct console *con, enum ui_action action)
{
	struct timeline *tl = &con->iv.timeline;
	int page = con->lay.body_h / 3 > 1 ? con->lay.body_h / 3 : 1;

	switch (action) {
	case ACT_UP:
		scroll_by(con, -1);
		break;
	case ACT_DOWN:
		scroll_by(con, 1);
		break;
	case ACT_PAGE_UP:
		scroll_by(con, -page);
		break;
	case ACT_PAGE_DOWN:
		scroll_by(con, page);
		break;
	case ACT_TOP:
		scroll_to_first(con);
		break;
	case ACT_BOTTOM:
		scroll_to(tl, tl->newest);
		break;
	case ACT_SEARCH_NEXT:
		jump(con, tl->match >= 0 ? tl->match - 1 : tl->bottom, -1);
		break;
	case ACT_SEARCH_PREV:
		jump(con, tl->match >= 0 ? tl->match + 1 : tl->bottom, 1);
		break;
	default:
		return UI_IGNORED;
	}
	return UI_HANDLED;
}

static int search_done(struct console *con, void *ctx, char *const *values)
{
	struct timeline *tl = &con->iv.timeline;

	free(tl->search);
	tl->search = NULL;
	tl->match = -1;
	tl->match_counted = 0;
	if (!values[0][0]) {
		ui_message(con, "Search cleared.");
		return UI_HANDLED;
	}
	tl->search = xstrdup(values[0]);
	jump(con, tl->bottom, -1);
	return UI_HANDLED;
}

int timeline_search_prompt(struct console *con)
{
	const char *search = con->iv.timeline.search;
	char *title;

	/* The field starts empty, so typing never extends the last search by accident. */
	if (search)
		title = xasprintf("Search the timeline (now \"%s\"; n and N repeat it, empty clears it)",
				  search);
	else
		title = xstrdup("Search the timeline, newest match first");
	prompt_open1(con, title, "Text to find", NULL, search_done, NULL);
	free(title);
	return UI_HANDLED;
}
