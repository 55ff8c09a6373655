/*
 * The incident header. Id, severity, state (and READ-ONLY for a viewer),
 * product and channels are on the left; the age, who commands the incident
 * (from the lease) and the countdown to the next update are on the right.
 * The summary is on the line below, with how many observers watch at its
 * right end. Severity and state are words
 * ("SEV 1", "OPEN") in their colour. A due or overdue update also gets a
 * mark and the words "due" or "OVERDUE", so nothing depends on colour.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "ui.h"

/* Copies S into OUT upper-cased (ASCII letters only). */
static void upper(const char *s, char *out, size_t size)
{
	size_t i = 0;

	for (; s[i] && i + 1 < size; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	out[i] = '\0';
}

static enum theme_role state_role(const char *status)
{
	if (!status)
		return ROLE_HEADER;
	if (strcmp(status, "resolved") == 0)
		return ROLE_OK;
	if (strcmp(status, "closed") == 0)
		return ROLE_HEADER;
	return ROLE_WARNING;
}

/*
 * Draws " TEXT " (escaped, so it may hold data) in ROLE at *X and advances
 * *X; draws nothing and returns 0 when it would pass LIMIT.
 */
static int piece(int y, int *x, int limit, const char *text, enum theme_role role)
{
	int w = draw_width(text);

	if (*x + w + 2 > limit)
		return 0;
	draw_blank(stdscr, y, *x, w + 2, theme_attr(role));
	draw_text(stdscr, y, *x + 1, text, w, theme_attr(role));
	*x += w + 2;
	return 1;
}

/*
 * Draws " TEXT " ending at column *RIGHT and moves *RIGHT left. Returns 0,
 * drawing nothing, when it would pass FLOOR.
 */
static int piece_right(int y, int *right, int floor, const char *text, enum theme_role role)
{
	int x = *right - draw_width(text) - 2;

	if (x < floor || !piece(y, &x, *right, text, role))
		return 0;
	*right -= draw_width(text) + 2;
	return 1;
}

/*
 * Describes the next update for the first audience that follows the
 * cadence, in OUT and in a short form for narrow screens in SHORT_OUT.
 */
static void countdown(struct console *con, char *out, char *short_out, size_t size,
		      enum theme_role *role)
{
	struct cadence_entry *entries = NULL;
	struct wr_error err = {0};
	size_t n = 0;
	char left[32];

	out[0] = '\0';
	short_out[0] = '\0';
	*role = ROLE_HEADER;
	if (cadence_all(con->st, con->pb, con->iv.id, con->now, &entries, &n, &err) < 0 || n == 0) {
		free(entries);
		return;
	}

	for (size_t i = 0; i < n; i++) {
		const struct cadence *c = &entries[i].cadence;
		const char *who = entries[i].audience->label;

		if (c->state == CADENCE_NONE)
			continue;
		switch (c->state) {
		case CADENCE_OK:
			ui_duration(c->seconds_left, left, sizeof left);
			snprintf(out, size, "%s update in %s", who, left);
			snprintf(short_out, size, "update in %s", left);
			*role = ROLE_HEADER;
			break;
		case CADENCE_DUE:
			ui_duration(c->seconds_left, left, sizeof left);
			snprintf(out, size, "%s %s update due, overdue in %s", draw_glyph(GLYPH_WARNING),
				 who, left);
			snprintf(short_out, size, "%s update due", draw_glyph(GLYPH_WARNING));
			*role = ROLE_WARNING;
			break;
		case CADENCE_OVERDUE:
			ui_duration(-c->seconds_left, left, sizeof left);
			snprintf(out, size, "%s %s update OVERDUE by %s", draw_glyph(GLYPH_ALERT), who,
				 left);
			snprintf(short_out, size, "%s update OVERDUE", draw_glyph(GLYPH_ALERT));
			*role = ROLE_ALERT;
			break;
		default:
			break;
		}
		break;
	}
	free(entries);
}

/*
 * Describes who commands the incident: the lease's holder while a console
 * holds it (marked when stale), else the commander named in the record.
 */
static void commander_piece(struct console *con, char *out, size_t size, enum theme_role *role)
{
	const struct incident *inc = con->iv.inc;

	*role = ROLE_HEADER;
	if (con->lease_known && con->lease.held) {
		snprintf(out, size, "Cmdr %s@%s%s", con->lease.holder.name, con->lease.holder.host,
			 con->lease.stale ? " (stale)" : "");
		if (con->lease.stale)
			*role = ROLE_WARNING;
		return;
	}
	snprintf(out, size, "Cmdr %s", inc && inc->commander ? inc->commander : "none");
}

void header_observers(struct console *con, char *out, size_t size)
{
	if (con->observers < 0)
		snprintf(out, size, "observers: ?");
	else
		snprintf(out, size, "observers: %d", con->observers);
}

void header_draw(struct console *con)
{
	const struct incident *inc = con->iv.inc;
	const struct pb_severity *sev;
	int y = con->lay.header_y, x = 0, cols = con->lay.cols, right = cols;
	char text[1024], short_text[1024], age[32];
	enum theme_role count_role;
	struct strbuf sb;
	int ended;

	draw_blank(stdscr, y, 0, cols, theme_attr(ROLE_HEADER));
	if (!inc) {
		piece(y, &x, cols, con->iv.id ? con->iv.id : "", ROLE_HEADER_ID);
		return;
	}

	/* The left: id, severity and state always show. */
	piece(y, &x, cols, inc->id, ROLE_HEADER_ID);
	sev = inc->severity ? playbook_severity(con->pb, inc->severity) : NULL;
	if (sev) {
		upper(sev->label, text, sizeof text);
		piece(y, &x, cols, text, theme_severity_role(sev->rank));
	} else if (inc->suggested_severity &&
		   (sev = playbook_severity(con->pb, inc->suggested_severity))) {
		/* Not yet assigned: show the suggestion, marked as such, so the risk is visible at once. */
		upper(sev->label, text, sizeof text);
		snprintf(text + strlen(text), sizeof text - strlen(text), "?");
		piece(y, &x, cols, text, ROLE_WARNING);
	} else {
		piece(y, &x, cols, "SEV ? not set", ROLE_WARNING);
	}
	upper(inc->status ? inc->status : "unknown", text, sizeof text);
	piece(y, &x, cols, text, state_role(inc->status));
	if (con->readonly)
		piece(y, &x, cols, "READ-ONLY", ROLE_WARNING);

	/* The right, from the edge leftwards: the countdown, the commander, the age. */
	countdown(con, text, short_text, sizeof text, &count_role);
	if (text[0] && !piece_right(y, &right, x, text, count_role))
		piece_right(y, &right, x, short_text, count_role);
	commander_piece(con, text, sizeof text, &count_role);
	piece_right(y, &right, x, text, count_role);
	ended = ui_incident_age(con->now, inc, age, sizeof age);
	if (ended >= 0) {
		snprintf(text, sizeof text, "%s %s", ended ? "Lasted" : "Age", age);
		piece_right(y, &right, x, text, ROLE_HEADER);
	}

	/* Product and channels in what room remains. */
	sb_init(&sb);
	if (inc->product)
		sb_add(&sb, inc->product);
	for (size_t i = 0; i < inc->channels.len; i++) {
		if (i > 0)
			sb_add(&sb, ", ");
		else if (inc->product)
			sb_add(&sb, ": ");
		sb_add(&sb, inc->channels.items[i]);
	}
	if (sb.len && right - x - 2 > 4)
		draw_text(stdscr, y, x + 1, sb.data, right - x - 2, theme_attr(ROLE_HEADER));
	sb_free(&sb);

	/* The summary line, and how many observers watch at its right end. */
	header_observers(con, text, sizeof text);
	right = cols - draw_width(text) - 1;
	draw_label(stdscr, y + 1, right, text, cols - right, theme_attr(ROLE_DIM));
	draw_text(stdscr, y + 1, 1, inc->summary ? inc->summary : "", right - 3,
		  theme_attr(ROLE_LABEL));
}
