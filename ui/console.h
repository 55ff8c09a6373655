/*
 * The console: warroom's full-screen view for the incident commander. It
 * shows the incident list or one incident (header, step tabs, the step's
 * pane, the timeline) and runs every change through the core in src/.
 */
#ifndef WARROOM_UI_CONSOLE_H
#define WARROOM_UI_CONSOLE_H

#include "playbook.h"
#include "store.h"

struct settings;

struct console_options {
	struct store *store;       /* an open store; the console does not close it */
	struct playbook *playbook; /* the loaded playbook */
	struct settings *settings; /* may be NULL */
	const char *incident_id;   /* open this incident, or NULL for the incident list */
	int viewer;                /* `warroom view`: a read-only store, counted among the observers */
	/*
	 * Why the store could not be opened read-write, when the caller fell back
	 * to a read-only store: the console asks whether to view read-only or quit.
	 */
	const char *write_error;
};

/*
 * Runs the console on the terminal until the user quits or a signal
 * (SIGINT, SIGTERM, SIGHUP) arrives, and restores the terminal on every
 * way out. Returns an exit status: WR_OK after a quit, 128 plus the signal's
 * number after a signal, or WR_FAILED after printing to stderr why the
 * console could not start (no terminal, no usable terminal type, unknown
 * incident). An unknown TERM falls back to vt100 and says so on the message
 * line.
 */
int console_run(struct console_options *options);

/* Returns nonzero when standard input and output are both terminals. */
int console_has_terminal(void);

#endif
