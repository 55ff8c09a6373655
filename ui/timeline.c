/*
 * The timeline: who did what and when, newest at the bottom, in the local
 * time zone. It scrolls by whole events, so a resize keeps the same event
 * at the bottom, and it follows new events until the user scrolls up. `/`
 * searches the time, actor, kind and details of every event; n goes to the
 * next older match and N to the next newer one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

int timeline_load(struct console *con)
{
	struct timeline *tl = &con->iv.timeline;
	struct wr_error err = {0};
	size_t old_n = tl->n;

	events_free(tl->events, tl->n);
	tl->events = NULL;
	tl->n = 0;
	if (events_list(con->st, con->iv.id, NULL, &tl->events, &tl->n, &err) < 0) {
		ui_error(con, &err);
		return -1;
	}
	if (tl->follow || tl->bottom >= tl->n || old_n == 0)
		tl->bottom = tl->n ? tl->n - 1 : 0;
	if (tl->match >= (long)tl->n)
		tl->match = -1;
	return 0;
}

void timeline_free(struct timeline *tl)
{
	events_free(tl->events, tl->n);
	tl->events = NULL;
	tl->n = 0;
	free(tl->search);
	tl->search = NULL;
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

/* The lines of event I at width W, including a date rule when its day differs from the one before. */
struct block {
	char **details;
	size_t n_details;
	int date_rule;
	int lines;
};

static void block_make(const struct timeline *tl, size_t i, int w, struct block *b)
{
	char date[64], prev[64];

	memset(b, 0, sizeof *b);
	event_date(&tl->events[i], date, sizeof date);
	if (i == 0) {
		b->date_rule = 1;
	} else {
		event_date(&tl->events[i - 1], prev, sizeof prev);
		b->date_rule = strcmp(date, prev) != 0;
	}
	b->details = NULL;
	b->n_details = 0;
	if (tl->events[i].details && *tl->events[i].details)
		draw_wrap(tl->events[i].details, w - 4, 1, &b->details, &b->n_details);
	b->lines = 1 + (int)b->n_details + b->date_rule;
}

static void block_free(struct block *b)
{
	draw_lines_free(b->details, b->n_details);
}

static void block_draw(struct console *con, const struct timeline *tl, size_t i,
		       const struct block *b, int y, int x, int w, int first_line, int h_left)
{
	const struct event *ev = &tl->events[i];
	attr_t hl = theme_attr(ROLE_MATCH);
	const char *term = tl->search;
	int line = 0, cx = x + 2;
	char when[32];
	int is_match = tl->match == (long)i;

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

void timeline_draw(struct console *con, int y, int x, int h, int w, int focused)
{
	struct timeline *tl = &con->iv.timeline;
	char title[160];
	int used = 0, start_line;
	long first;

	if (h < 2 || w < 16)
		return;

	/* The title: how many events, and which match of the search is shown. */
	if (tl->search && tl->match >= 0) {
		int nth = 0, total = 0;

		for (size_t i = 0; i < tl->n; i++) {
			if (!event_matches(&tl->events[i], tl->search))
				continue;
			total++;
			if ((long)i >= tl->match)
				nth = nth ? nth : total;
		}
		snprintf(title, sizeof title, " Timeline %s /%s: match %d of %d ",
			 draw_glyph(GLYPH_DOT), tl->search, nth, total);
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

	if (tl->n == 0) {
		draw_label(stdscr, y + 1, x + 2, "No events yet.", w - 4, theme_attr(ROLE_DIM));
		return;
	}

	/* Stack blocks upwards from the bottom event until the height is used. */
	first = (long)tl->bottom;
	for (long i = (long)tl->bottom; i >= 0; i--) {
		struct block b;

		block_make(tl, (size_t)i, w, &b);
		used += b.lines;
		block_free(&b);
		first = i;
		if (used >= h)
			break;
	}

	/* The oldest block shown may be cut at its top. */
	start_line = used > h ? used - h : 0;
	for (long i = first, row = 0; i <= (long)tl->bottom && row < h; i++) {
		struct block b;
		int skip = i == first ? start_line : 0;

		block_make(tl, (size_t)i, w, &b);
		block_draw(con, tl, (size_t)i, &b, y + (int)row, x, w, skip, h - (int)row);
		row += b.lines - skip;
		block_free(&b);
	}
	if (!tl->follow && tl->bottom + 1 < tl->n)
		draw_label(stdscr, y + h - 1, x + w - 8, draw_utf8() ? "\xE2\x86\x93 newer" : "v newer",
			   7, theme_attr(ROLE_DIM));
}

/* Moves the bottom of the view to event I. */
static void scroll_to(struct timeline *tl, long i)
{
	if (i < 0)
		i = 0;
	if (i >= (long)tl->n)
		i = tl->n ? (long)tl->n - 1 : 0;
	tl->bottom = (size_t)i;
	tl->follow = tl->n == 0 || tl->bottom == tl->n - 1;
}

/* Finds the next match from FROM going in direction DIR (-1 older, +1 newer), wrapping around. */
static long find_match(const struct timeline *tl, long from, int dir)
{
	for (size_t k = 0; k < tl->n; k++) {
		long i = from + dir * (long)k;

		i = ((i % (long)tl->n) + (long)tl->n) % (long)tl->n;
		if (event_matches(&tl->events[i], tl->search))
			return i;
	}
	return -1;
}

static void jump(struct console *con, long from, int dir)
{
	struct timeline *tl = &con->iv.timeline;
	long i;

	if (!tl->search || tl->n == 0) {
		ui_message(con, "No search yet: press / to search the timeline.");
		return;
	}
	i = find_match(tl, from, dir);
	if (i < 0) {
		tl->match = -1;
		ui_message(con, "No event matches \"%s\".", tl->search);
		con->message_error = 1;
		return;
	}
	tl->match = i;
	scroll_to(tl, i);
}

int timeline_key(struct console *con, enum ui_action action)
{
	struct timeline *tl = &con->iv.timeline;
	int page = con->lay.body_h / 3 > 1 ? con->lay.body_h / 3 : 1;

	switch (action) {
	case ACT_UP:
		scroll_to(tl, (long)tl->bottom - 1);
		break;
	case ACT_DOWN:
		scroll_to(tl, (long)tl->bottom + 1);
		break;
	case ACT_PAGE_UP:
		scroll_to(tl, (long)tl->bottom - page);
		break;
	case ACT_PAGE_DOWN:
		scroll_to(tl, (long)tl->bottom + page);
		break;
	case ACT_TOP:
		scroll_to(tl, 0);
		break;
	case ACT_BOTTOM:
		scroll_to(tl, (long)tl->n - 1);
		break;
	case ACT_SEARCH_NEXT:
		jump(con, tl->match >= 0 ? tl->match - 1 : (long)tl->bottom, -1);
		break;
	case ACT_SEARCH_PREV:
		jump(con, tl->match >= 0 ? tl->match + 1 : (long)tl->bottom, 1);
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
	if (!values[0][0]) {
		ui_message(con, "Search cleared.");
		return UI_HANDLED;
	}
	tl->search = xstrdup(values[0]);
	jump(con, (long)tl->bottom, -1);
	return UI_HANDLED;
}

int timeline_search_prompt(struct console *con)
{
	prompt_open1(con, "Search the timeline (empty clears the search)", "Text to find",
		     con->iv.timeline.search, search_done, NULL);
	return UI_HANDLED;
}
