/*
 * The console's main loop and its terminal handling. One ppoll() waits on
 * the terminal, an inotify watch on the database's folder and a one-second
 * timer. The timer drives the countdowns, the overlays' autosave, the
 * commander's lease heartbeat and the observer count. A write to the
 * database by another process wakes the loop through the watch, and PRAGMA
 * data_version confirms that a commit landed before the view is reread.
 * Without inotify the timer checks data_version once a second.
 *
 * Signal handlers only set flags, which the loop reads; signals are blocked
 * outside ppoll, so none is lost between the check and the wait. The
 * terminal is restored on every way out: a normal quit, SIGINT/SIGTERM/
 * SIGHUP and a terminal that went away (through the loop), an error
 * (atexit) and a crash (a handler that writes the saved terminal modes
 * back and re-raises). The lease is released on the ways through the loop;
 * after a crash or SIGKILL it turns stale, because its process is gone.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "presence.h"
#include "textsafe.h"
#include "ui.h"
#include "watch.h"

/*
 * After the watch reports a write, data_version is checked every
 * RECHECK_MS for SETTLE_MS, because inotify reports the WAL write before
 * the writer has published the commit in the -shm index (and before its
 * fsync with synchronous=FULL). A commit that takes longer still is seen
 * by the one-second timer.
 *
 * Why not simply poll data_version? It costs about 3.6 us per call here
 * (Python's sqlite3 module over SQLite 3.40.1, on a 2-core AMD EPYC VM, the
 * database in WAL mode with a second connection open), so 10 polls a second
 * would be cheap too; but inotify costs nothing while nobody writes and
 * wakes the loop within a millisecond of the write.
 */
#define RECHECK_MS 25
#define SETTLE_MS 300
/*
 * Seconds between observer counts on the timer. The watch reports viewers
 * joining, leaving and dying at once; the timer is for consoles without it.
 */
#define OBSERVERS_RECOUNT_SECONDS 30

static volatile sig_atomic_t got_winch;
static volatile sig_atomic_t got_stop; /* the number of SIGINT, SIGTERM or SIGHUP */

static struct termios saved_termios;
static int have_saved_termios;
static char restore_sequence[256];
static size_t restore_length;
static int curses_active;
static sigset_t wait_mask; /* the mask during ppoll: our signals unblocked */
static sigset_t saved_mask;

static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		got_winch = 1;
	else
		got_stop = sig;
}

/* Puts the terminal back with async-signal-safe calls only, then dies of SIG as it would have. */
static void on_crash(int sig)
{
	if (have_saved_termios)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
	if (restore_length && write(STDOUT_FILENO, restore_sequence, restore_length) < 0) {
		/* Nothing more can be done from a crashing process. */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void console_atexit(void)
{
	if (curses_active && !isendwin())
		endwin();
}

/* Collects the terminfo strings that leave the full-screen mode, for on_crash. */
static void prepare_restore_sequence(void)
{
	static const char *const caps[] = {"sgr0", "cnorm", "rmkx", "rmcup"};

	restore_length = 0;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		char *seq = tigetstr(caps[i]);
		size_t len;

		if (!seq || seq == (char *)-1)
			continue;
		len = strlen(seq);
		if (restore_length + len >= sizeof restore_sequence)
			break;
		memcpy(restore_sequence + restore_length, seq, len);
		restore_length += len;
	}
}

static void install_signals(void)
{
	static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
	static const int crashes[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGWINCH, &sa, NULL);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		sigaction(stops[i], &sa, NULL);

	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++)
		sigaction(crashes[i], &sa, NULL);

	/* Our signals arrive only inside ppoll, where the loop is ready for them. */
	sigemptyset(&block);
	sigaddset(&block, SIGWINCH);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		sigaddset(&block, stops[i]);
	sigprocmask(SIG_BLOCK, &block, &saved_mask);
	wait_mask = saved_mask;
	sigdelset(&wait_mask, SIGWINCH);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		sigdelset(&wait_mask, stops[i]);
}

static void restore_signals(void)
{
	static const int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP,
				   SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

/* Returns PRAGMA data_version, which changes when another connection commits; -1 on error. */
static long long data_version(struct store *st)
{
	sqlite3_stmt *stmt;
	long long version = -1;

	if (sqlite3_prepare_v2(store_db(st), "PRAGMA data_version", -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return version;
}

int console_has_terminal(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

void console_push(struct console *con, const struct layer_ops *ops, void *data)
{
	if (con->n_layers == UI_MAX_LAYERS) {
		ops->free(data);
		ui_message(con, "Too many windows open; close one with Esc first.");
		con->message_error = 1;
		return;
	}
	con->layers[con->n_layers].ops = ops;
	con->layers[con->n_layers].data = data;
	con->n_layers++;
	con->dirty = 1;
}

void console_close(struct console *con, void *data)
{
	for (int i = 0; i < con->n_layers; i++) {
		const struct layer_ops *ops = con->layers[i].ops;

		if (con->layers[i].data != data)
			continue;
		if (ops->closing)
			ops->closing(con, data);
		/* CLOSING may have opened or closed overlays: find the layer again. */
		for (i = 0; i < con->n_layers && con->layers[i].data != data; i++)
			;
		if (i == con->n_layers)
			return;
		ops->free(data);
		memmove(&con->layers[i], &con->layers[i + 1],
			(size_t)(con->n_layers - i - 1) * sizeof con->layers[0]);
		con->n_layers--;
		con->dirty = 1;
		return;
	}
}

void ui_message(struct console *con, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(con->message, sizeof con->message, fmt, ap);
	va_end(ap);
	con->message_error = 0;
	con->dirty = 1;
}

void ui_error(struct console *con, const struct wr_error *err)
{
	snprintf(con->message, sizeof con->message, "%s",
		 err->message[0] ? err->message : "the change failed");
	con->message_error = 1;
	con->dirty = 1;
}

int ui_readonly(struct console *con)
{
	char holder[600];

	if (!con->readonly)
		return 0;
	if (con->store_readonly && !con->viewer) {
		ui_message(con, "Read-only viewer: the database cannot be written, so nothing can be "
				"changed here.");
	} else if (!con->viewer && con->lease_known && con->lease.held &&
		   !lease_holder_same(&con->lease.holder, &con->me)) {
		command_holder_text(&con->lease, holder, sizeof holder);
		ui_message(con, "Read-only viewer: %s commands %s; open it again to take command.",
			   holder, con->iv.id);
	} else {
		ui_message(con, "Read-only viewer: changes are made in the commander's console.");
	}
	con->message_error = 1;
	return 1;
}

int console_run_program(struct console *con, char *const argv[])
{
	struct sigaction ignore, old_int, old_quit;
	int status = -1;
	pid_t pid;

	def_prog_mode();
	endwin();

	pid = fork();
	if (pid == 0) {
		restore_signals();
		execvp(argv[0], argv);
		fprintf(stderr, "warroom: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}

	/* Like system(): while the editor runs, Ctrl-C goes to the editor, not the console. */
	memset(&ignore, 0, sizeof ignore);
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);

	reset_prog_mode();
	clearok(curscr, TRUE);
	got_winch = 1; /* the terminal may have been resized meanwhile */
	con->dirty = 1;

	if (pid < 0)
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 127)
		return WEXITSTATUS(status);
	return -1;
}

/* Offers the unsent draft updates of the open incident back on the message line. */
static void offer_drafts(struct console *con)
{
	const struct update *draft = NULL;
	const struct pb_audience *a;
	char when[32];

	if (con->readonly || con->message[0])
		return;
	for (size_t i = 0; i < con->iv.n_updates; i++)
		if (strcmp(con->iv.updates[i].state, "draft") == 0)
			draft = &con->iv.updates[i];
	if (!draft)
		return;
	a = playbook_audience(con->pb, draft->audience);
	ui_local_time(draft->edited_at ? draft->edited_at : draft->created_at, "%H:%M", when,
		      sizeof when);
	ui_message(con, "Unsent draft to %s from %s by %s: press u to continue it.",
		   a ? a->label : draft->audience, when, draft->created_by);
}

int console_open_incident(struct console *con, const char *id)
{
	struct incident_view fresh = {0};

	command_release(con);
	incident_view_free(&con->iv);
	con->iv = fresh;
	con->iv.id = xstrdup(id);
	con->iv.tab = -1; /* incident_view_load picks the first step not yet complete */
	con->iv.timeline.follow = 1;
	con->iv.timeline.match = -1;
	/* A console that can never command the incident opens where observers look: the timeline. */
	if (con->viewer || con->store_readonly)
		incident_view_observe(con);
	if (incident_view_load(con) < 0 && !con->iv.inc) {
		incident_view_free(&con->iv);
		return -1;
	}
	con->view = VIEW_INCIDENT;
	con->dirty = 1;
	con->command_pending = 1;
	return 0;
}

void console_show_list(struct console *con)
{
	command_release(con);
	con->lease_known = 0;
	con->readonly = con->store_readonly;
	incident_view_free(&con->iv);
	con->view = VIEW_LIST;
	list_load(con);
	con->dirty = 1;
}

const struct guard *console_guard(struct console *con)
{
	struct strbuf problems;
	struct wr_error err = {0};

	if (con->guard)
		return con->guard;
	sb_init(&problems);
	con->guard = guard_load(con->pb, &problems, &err);
	sb_free(&problems);
	if (!con->guard)
		ui_error(con, &err);
	return con->guard;
}

static const enum key_context list_contexts[] = {CTX_LIST, CTX_MOVE, CTX_GLOBAL};
static const enum key_context incident_contexts[] = {CTX_PANE, CTX_INCIDENT, CTX_MOVE, CTX_GLOBAL};
static const enum key_context timeline_contexts[] = {CTX_TIMELINE, CTX_MOVE, CTX_INCIDENT,
						     CTX_GLOBAL};

const enum key_context *console_contexts(struct console *con, size_t *n)
{
	if (con->n_layers) {
		const struct layer_ops *ops = con->layers[con->n_layers - 1].ops;

		*n = ops->n_contexts;
		return ops->contexts;
	}
	if (con->view == VIEW_LIST) {
		*n = sizeof list_contexts / sizeof list_contexts[0];
		return list_contexts;
	}
	if (incident_view_in_timeline(con)) {
		*n = sizeof timeline_contexts / sizeof timeline_contexts[0];
		return timeline_contexts;
	}
	*n = sizeof incident_contexts / sizeof incident_contexts[0];
	return incident_contexts;
}

static int has_context(const enum key_context *contexts, size_t n, enum key_context context)
{
	for (size_t i = 0; i < n; i++)
		if (contexts[i] == context)
			return 1;
	return 0;
}

static void reload(struct console *con)
{
	if (con->view == VIEW_INCIDENT)
		incident_view_load(con);
	else
		list_load(con);
	con->dirty = 1;
}

/*
 * Returns nonzero when work is not finished: an overlay has unsaved text,
 * or the open incident has a status update still in draft.
 */
static int work_pending(struct console *con)
{
	for (int i = 0; i < con->n_layers; i++) {
		const struct layer *l = &con->layers[i];

		if (l->ops->pending && l->ops->pending(con, l->data))
			return 1;
	}
	if (con->view == VIEW_INCIDENT)
		for (size_t i = 0; i < con->iv.n_updates; i++)
			if (strcmp(con->iv.updates[i].state, "draft") == 0)
				return 1;
	return 0;
}

static int quit_chosen(struct console *con, void *ctx, int choice)
{
	return choice == 1 ? UI_QUIT : UI_HANDLED;
}

/* Returns UI_QUIT, or opens a confirmation menu first while a draft update is not approved. */
static int request_quit(struct console *con)
{
	static const struct menu_item items[] = {
		{"Stay in the console", NULL, NULL, ROLE_NORMAL},
		{"Quit (the draft stays saved, not approved)", NULL, NULL, ROLE_NORMAL},
	};

	if (!work_pending(con))
		return UI_QUIT;
	menu_open(con, "A status update is still a draft, not approved. Quit?", items, 2, 0,
		  quit_chosen, NULL);
	return UI_HANDLED;
}

static int dispatch_key(struct console *con, int key, int *quit)
{
	const enum key_context *contexts;
	size_t n_contexts;
	int flags;

	con->message[0] = '\0';
	con->message_error = 0;
	con->dirty = 1;
	contexts = console_contexts(con, &n_contexts);

	if (con->lay.too_small) {
		/* Nothing shows but the notice: only quitting works. */
		if (keys_lookup(contexts, n_contexts, key) == ACT_QUIT &&
		    has_context(contexts, n_contexts, CTX_GLOBAL))
			flags = request_quit(con);
		else
			return 0;
	} else if (con->n_layers) {
		struct layer top = con->layers[con->n_layers - 1];

		flags = top.ops->key(con, top.data, key);
		if (flags & UI_CLOSE)
			console_close(con, top.data);
	} else if (con->view == VIEW_LIST) {
		flags = list_key(con, key);
	} else {
		flags = incident_view_key(con, key);
	}

	if (!(flags & UI_HANDLED) && !con->lay.too_small &&
	    has_context(contexts, n_contexts, CTX_GLOBAL)) {
		switch (keys_lookup(contexts, n_contexts, key)) {
		case ACT_HELP:
			help_open(con);
			break;
		case ACT_QUIT:
			flags |= request_quit(con);
			break;
		case ACT_REDRAW:
			clearok(curscr, TRUE);
			break;
		default:
			break;
		}
	}

	if (flags & UI_RELOAD)
		reload(con);
	if (flags & UI_QUIT)
		*quit = 1;
	return flags;
}

static void draw(struct console *con)
{
	long long stable;

	layout_compute(con);
	werase(stdscr);
	con->cursor_on = 0;
	ui_duration_stable();

	if (con->lay.too_small) {
		layout_draw_too_small(con);
	} else {
		if (con->view == VIEW_LIST)
			list_draw(con);
		else
			incident_view_draw(con);
		for (int i = 0; i < con->n_layers; i++) {
			/* Only the top overlay's text field shows the cursor. */
			con->cursor_on = 0;
			con->layers[i].ops->draw(con, con->layers[i].data);
		}
		statusbar_draw(con);
	}

	if (con->cursor_on) {
		curs_set(1);
		wmove(stdscr, con->cursor_y, con->cursor_x);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
	con->dirty = 0;

	/*
	 * Ages and countdowns are the text that follows the clock (see tick). A
	 * redraw a minute at least catches anything else that does.
	 */
	stable = ui_duration_stable();
	con->redraw_at = con->now + (time_t)(stable < 60 ? stable : 60);
}

static void handle_resize(struct console *con)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	con->dirty = 1;
}

/* Rereads the view when another connection committed since the last check; returns nonzero then. */
static int check_database(struct console *con)
{
	long long version = data_version(con->st);

	if (version < 0 || version == con->data_version)
		return 0;
	con->data_version = version;
	reload(con);
	return 1;
}

/* Counts the running viewers of the database for the header; redraws when the count changed. */
static void count_observers(struct console *con)
{
	int n = presence_count(store_path(con->st), con->presence);

	/* A viewer that could not add itself would count everyone but itself. */
	if (con->viewer && !con->presence)
		n = -1;

	if (n != con->observers) {
		con->observers = n;
		con->dirty = 1;
	}
}

/* Runs once a second: the clock, the overlays' timers, the lease, the observers, the database. */
static void tick(struct console *con, int *ticks)
{
	time_t now = clock_now();

	/* Redraw for the clock only when an age or countdown on screen reads differently now. */
	if (now != con->now) {
		if (now >= con->redraw_at || now < con->now)
			con->dirty = 1;
		con->now = now;
	}
	for (int i = 0; i < con->n_layers; i++)
		if (con->layers[i].ops->tick)
			con->layers[i].ops->tick(con, con->layers[i].data);

	command_tick(con);
	if (++*ticks % OBSERVERS_RECOUNT_SECONDS == 0)
		count_observers(con);
	/* The safety net for the watch, and the only check without inotify. */
	check_database(con);
}

static long ms_between(const struct timespec *from, const struct timespec *to)
{
	return (to->tv_sec - from->tv_sec) * 1000 + (to->tv_nsec - from->tv_nsec) / 1000000;
}

static void close_all_layers(struct console *con)
{
	while (con->n_layers)
		console_close(con, con->layers[con->n_layers - 1].data);
}

/* Reads the keys waiting on the terminal and hands each to the overlays or the view. */
static void read_keys(struct console *con, int *quit)
{
	for (;;) {
		wint_t ch;
		int r = wget_wch(stdscr, &ch);
		int key;

		if (r == ERR)
			break;
		key = r == KEY_CODE_YES ? KEYF((int)ch) : (int)ch;
		if (key == KEYF(KEY_RESIZE)) {
			con->dirty = 1;
			continue;
		}
		dispatch_key(con, key, quit);
		if (*quit)
			break;
	}
}

static void sync_presence(struct console *con);

static void loop(struct console *con)
{
	struct timespec last_tick, settle_until = {0, 0};
	int quit = 0, ticks = 0, settling = 0;

	clock_gettime(CLOCK_MONOTONIC, &last_tick);
	con->now = clock_now();
	con->data_version = data_version(con->st);

	while (!quit && !got_stop) {
		struct pollfd pfd[2] = {
			{STDIN_FILENO, POLLIN, 0},
			{watch_fd(con->watch), POLLIN, 0},
		};
		nfds_t nfds = con->watch ? 2 : 1;
		struct timespec now, wait;
		long wait_ms;
		int rc;

		if (got_winch) {
			got_winch = 0;
			handle_resize(con);
		}
		sync_presence(con);
		if (con->dirty)
			draw(con);

		/*
		 * Taking command commits to disk (several fsyncs), so it runs right
		 * after the incident is first drawn, before any key is read.
		 */
		if (con->command_pending) {
			con->command_pending = 0;
			command_open(con);
			offer_drafts(con);
			con->dirty = 1;
			continue;
		}

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ms_between(&last_tick, &now) >= 1000) {
			last_tick = now;
			tick(con, &ticks);
			continue;
		}
		wait_ms = 1000 - ms_between(&last_tick, &now);
		if (settling && ms_between(&now, &settle_until) <= 0)
			settling = 0;
		if (settling && wait_ms > RECHECK_MS)
			wait_ms = RECHECK_MS;
		wait.tv_sec = wait_ms / 1000;
		wait.tv_nsec = (wait_ms % 1000) * 1000000L;

		rc = ppoll(pfd, nfds, &wait, &wait_mask);
		if (rc < 0)
			continue; /* EINTR: a signal set its flag */
		if (settling)
			check_database(con);
		if (rc == 0)
			continue;

		if (nfds == 2 && (pfd[1].revents & POLLIN)) {
			int changed = watch_read(con->watch);

			if (changed & WATCH_DATABASE) {
				check_database(con);
				/* Keep checking a while: the commit may become visible only later. */
				settling = 1;
				clock_gettime(CLOCK_MONOTONIC, &settle_until);
				settle_until.tv_nsec += SETTLE_MS * 1000000L;
				settle_until.tv_sec += settle_until.tv_nsec / 1000000000L;
				settle_until.tv_nsec %= 1000000000L;
			}
			if (changed & WATCH_OBSERVERS)
				count_observers(con);
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			/* The terminal went away (a dropped SSH session). */
			break;
		}
		if (pfd[0].revents & POLLIN)
			read_keys(con, &quit);
	}

	/* Overlays save what they hold (a draft's last keystrokes) as they close. */
	close_all_layers(con);
}

/*
 * Starts curses on the terminal that TERM names, or on vt100 when terminfo
 * does not know TERM; sets NOTICE (which the caller frees) to say so.
 * Returns NULL when no terminal type works.
 */
static SCREEN *start_screen(char **notice)
{
	static const char *const fallbacks[] = {"vt100", "ansi"};
	const char *term = getenv("TERM");
	SCREEN *screen;
	char *safe;

	*notice = NULL;
	if (terminal_known(term))
		return newterm(NULL, stdout, stdin);
	/*
	 * The real terminal is unknown, so its support for vt100 line drawing
	 * (shift-out to the DEC graphics set) is too. In a UTF-8 locale, draw
	 * the lines as Unicode characters, which any UTF-8 terminal shows.
	 */
	setenv("NCURSES_NO_UTF8_ACS", "1", 0);
	for (size_t i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++) {
		if (!terminal_known(fallbacks[i]))
			continue;
		screen = newterm(fallbacks[i], stdout, stdin);
		if (!screen)
			continue;
		safe = textsafe(term ? term : "");
		*notice = term && *term
				  ? xasprintf("TERM \"%s\" is unknown to terminfo: using %s. Set TERM "
					      "to a type it knows, such as xterm-256color.",
					      safe, fallbacks[i])
				  : xasprintf("TERM is not set: using %s. Set TERM to your terminal's "
					      "type, such as xterm-256color.", fallbacks[i]);
		free(safe);
		/* Programs started from the console ($EDITOR) get the same working type. */
		setenv("TERM", fallbacks[i], 1);
		return screen;
	}
	return NULL;
}

static int write_error_answered(struct console *con, void *ctx, enum ui_action answer)
{
	if (answer == ACT_DLG_VIEW) {
		ui_message(con, "Read-only viewer: the database cannot be written.");
		return UI_CLOSE;
	}
	return UI_CLOSE | UI_QUIT;
}

/* Asks a commander whose database cannot be written whether to view it read-only. */
static void ask_view_readonly(struct console *con, const char *why)
{
	static const enum ui_action answers[] = {ACT_DLG_VIEW, ACT_DLG_QUIT};
	char *text = xasprintf("The database cannot be written: %s\n\nYou can follow the "
			       "incidents read-only, or quit and fix the database first.", why);

	dialog_open(con, "Read-only database", text, answers, sizeof answers / sizeof answers[0],
		    write_error_answered, NULL);
	free(text);
}

/* Joins the observers (a viewer) or prepares their folder (a commander); never fails. */
static void start_presence(struct console *con)
{
	const char *group = con->settings ? con->settings->observers_group : NULL;
	const char *path = store_path(con->st);
	struct wr_error err = {0};

	if (con->viewer)
		con->presence = presence_join(path, group, &err);
	else if (!con->store_readonly)
		presence_prepare(path, group, &err);
	con->observers = -1;
	count_observers(con);
}

/*
 * A commander's console that only watches, because someone else commands
 * the incident, counts as an observer like a viewer; it leaves the count
 * when it takes command.
 */
static void sync_presence(struct console *con)
{
	const char *group = con->settings ? con->settings->observers_group : NULL;
	int watching = con->view == VIEW_INCIDENT && con->readonly && !con->commanding;
	struct wr_error err = {0};

	if (con->viewer || con->store_readonly)
		return;
	if (watching && !con->presence && !con->presence_tried) {
		con->presence_tried = 1;
		con->presence = presence_join(store_path(con->st), group, &err);
		count_observers(con);
		con->dirty = 1;
	} else if (!watching && (con->presence || con->presence_tried)) {
		presence_leave(con->presence);
		con->presence = NULL;
		con->presence_tried = 0;
		count_observers(con);
		con->dirty = 1;
	}
}

int console_run(struct console_options *options)
{
	struct console con = {0};
	SCREEN *screen;
	char *term_notice;
	static int atexit_done;

	if (!console_has_terminal()) {
		fprintf(stderr, "warroom: the console needs a terminal; use `warroom list` or "
				"`warroom show` in scripts\n");
		return WR_FAILED;
	}

	con.st = options->store;
	con.pb = options->playbook;
	con.settings = options->settings;
	con.viewer = options->viewer;
	con.store_readonly = store_readonly(options->store);
	con.readonly = con.store_readonly;

	if (tcgetattr(STDIN_FILENO, &saved_termios) == 0)
		have_saved_termios = 1;
	if (!atexit_done) {
		atexit(console_atexit);
		atexit_done = 1;
	}
	got_stop = 0;
	got_winch = 0;
	install_signals();

	set_escdelay(25);
	screen = start_screen(&term_notice);
	if (!screen) {
		const char *term = getenv("TERM");
		char *safe = textsafe(term ? term : "");

		restore_signals();
		fprintf(stderr, "warroom: cannot use the terminal type \"%s\", nor vt100 or ansi; set "
				"TERM to one that terminfo knows, such as xterm-256color, or install "
				"the ncurses-base package\n", safe);
		free(safe);
		return WR_FAILED;
	}
	set_term(screen);
	curses_active = 1;
	prepare_restore_sequence();
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	draw_init();
	theme_init();
	keys_init();

	con.watch = watch_open(store_path(con.st));
	start_presence(&con);

	if (options->incident_id) {
		if (console_open_incident(&con, options->incident_id) < 0) {
			char *safe = textsafe(con.message);

			endwin();
			curses_active = 0;
			delscreen(screen);
			restore_signals();
			presence_leave(con.presence);
			watch_close(con.watch);
			free(term_notice);
			fprintf(stderr, "warroom: %s\n", safe);
			free(safe);
			return WR_FAILED;
		}
	} else {
		con.view = VIEW_LIST;
		list_load(&con);
	}
	if (options->write_error)
		ask_view_readonly(&con, options->write_error);
	if (term_notice) {
		ui_message(&con, "%s", term_notice);
		con.message_error = 1;
		free(term_notice);
	}
	con.dirty = 1;

	loop(&con);

	/* Also after SIGTERM or SIGHUP: the loop has ended, so this is no signal handler. */
	command_release(&con);
	presence_leave(con.presence);
	watch_close(con.watch);
	incident_view_free(&con.iv);
	list_free(&con.list);
	guard_free(con.guard);
	endwin();
	curses_active = 0;
	delscreen(screen);
	restore_signals();

	/* Leaving on a signal exits as shells expect: 128 plus its number (130 for Ctrl-C). */
	if (got_stop)
		return 128 + got_stop;
	return WR_OK;
}
