/*
 * The colour table: one row per role with its colour form and its
 * monochrome form. NO_COLOR (set to any non-empty value) and
 * terminals without colours get the monochrome column.
 */
#include <stdlib.h>

#include "theme.h"

struct theme_entry {
	short fg, bg;      /* -1 is the terminal's default */
	attr_t colour;     /* attributes added to the colour pair */
	attr_t mono;       /* attributes alone, without colour */
};

static const struct theme_entry theme_table[ROLE_COUNT] = {
	[ROLE_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
	[ROLE_HEADER] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE},
	[ROLE_HEADER_ID] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD},
	[ROLE_TITLE] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
	[ROLE_LABEL] = {-1, -1, A_BOLD, A_BOLD},
	[ROLE_DIM] = {COLOR_CYAN, -1, A_NORMAL, A_DIM},
	[ROLE_BORDER] = {COLOR_BLUE, -1, A_NORMAL, A_NORMAL},
	[ROLE_TAB] = {-1, -1, A_NORMAL, A_NORMAL},
	[ROLE_TAB_ACTIVE] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD},
	[ROLE_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
	[ROLE_SEV0] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
	[ROLE_SEV1] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE},
	[ROLE_SEV2] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	[ROLE_SEV3] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
	[ROLE_OK] = {COLOR_GREEN, -1, A_BOLD, A_NORMAL},
	[ROLE_WARNING] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE},
	[ROLE_ALERT] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
	[ROLE_MESSAGE] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
	[ROLE_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
	[ROLE_KEY] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
	[ROLE_MATCH] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE | A_UNDERLINE},
	[ROLE_SUGGESTED] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
};

static int use_colour;

void theme_init(void)
{
	const char *no_color = getenv("NO_COLOR");
	int defaults;

	use_colour = has_colors() && !(no_color && *no_color);
	if (!use_colour)
		return;

	start_color();
	if (COLOR_PAIRS <= ROLE_COUNT) {
		use_colour = 0;
		return;
	}
	defaults = use_default_colors() == OK;
	for (int role = 1; role < ROLE_COUNT && role < COLOR_PAIRS; role++) {
		short fg = theme_table[role].fg, bg = theme_table[role].bg;

		/* Without the terminal's own default colours, -1 means white on black. */
		if (!defaults && fg < 0)
			fg = COLOR_WHITE;
		if (!defaults && bg < 0)
			bg = COLOR_BLACK;
		init_pair((short)role, fg, bg);
	}
}

int theme_colour(void)
{
	return use_colour;
}

attr_t theme_attr(enum theme_role role)
{
	if (!use_colour)
		return theme_table[role].mono;
	if (role == ROLE_NORMAL)
		return A_NORMAL;
	return COLOR_PAIR(role) | theme_table[role].colour;
}

enum theme_role theme_severity_role(int rank)
{
	switch (rank) {
	case 0:
		return ROLE_SEV0;
	case 1:
		return ROLE_SEV1;
	case 2:
		return ROLE_SEV2;
	case 3:
		return ROLE_SEV3;
	default:
		return ROLE_NORMAL;
	}
}
