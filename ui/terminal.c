/*
 * Asking terminfo whether it knows a terminal type, before newterm() is
 * tried with it. A failed newterm() leaks its screen structure (ncurses
 * 6.4), while a failed setupterm() does not. This file alone includes
 * <term.h>, whose capability macros (lines, columns, tab...) would clash
 * with ordinary names elsewhere.
 */
#include <unistd.h>

/* ui.h first, so that the macros of <term.h> cannot reach its declarations. */
#include "ui.h"

#include <term.h>

int terminal_known(const char *name)
{
	TERMINAL *saved = cur_term;
	int error = 0;

	if (!name || !*name)
		return 0;
	if (setupterm(name, STDOUT_FILENO, &error) != OK) {
		set_curterm(saved);
		return 0;
	}
	del_curterm(set_curterm(saved));
	return 1;
}
