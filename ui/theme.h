/*
 * Colour roles. Every place that draws names a role, never a colour;
 * the table in theme.c gives each role a colour form and a monochrome form.
 * Monochrome is used when NO_COLOR is set or the terminal has no colours,
 * and it still distinguishes every role by bold, underline or reverse video.
 * Severity and state are always written out as words as well.
 */
#ifndef WARROOM_UI_THEME_H
#define WARROOM_UI_THEME_H

#include <curses.h>

enum theme_role {
	ROLE_NORMAL,
	ROLE_HEADER,        /* the header's background */
	ROLE_HEADER_ID,     /* the incident id in the header */
	ROLE_TITLE,         /* a pane's or overlay's title */
	ROLE_LABEL,         /* a field's name */
	ROLE_DIM,           /* secondary text: times, actors, hints */
	ROLE_BORDER,
	ROLE_TAB,
	ROLE_TAB_ACTIVE,
	ROLE_SELECTED,      /* the row under the cursor */
	ROLE_SEV0,
	ROLE_SEV1,
	ROLE_SEV2,
	ROLE_SEV3,
	ROLE_OK,            /* complete, resolved, on time */
	ROLE_WARNING,       /* an update due, a warning finding */
	ROLE_ALERT,         /* an update overdue, an error finding */
	ROLE_MESSAGE,       /* the result of the last action */
	ROLE_ERROR,         /* an error the core reported */
	ROLE_KEY,           /* a key name in the hints */
	ROLE_MATCH,         /* a search match or a finding's words */
	ROLE_SUGGESTED,     /* the suggested choice in a picker */
	ROLE_COUNT
};

/* Chooses colour or monochrome (NO_COLOR, has_colors) and sets up colour pairs; after initscr. */
void theme_init(void);
/* Returns nonzero when colours are in use. */
int theme_colour(void);
/* Returns the attributes (colour pair included) that draw ROLE. */
attr_t theme_attr(enum theme_role role);
/* Returns the role for a severity's rank (0 the most severe), or ROLE_NORMAL for none. */
enum theme_role theme_severity_role(int rank);

#endif
