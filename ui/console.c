/*
 * The console's main loop and its terminal handling. One ppoll() waits on
 * the terminal and a one-second timer. The timer drives the countdowns, the
 * overlays' autosave and a cheap check of PRAGMA data_version, so a change
 * that another process commits shows within a second. Signal handlers only
 * set flags, which the loop reads; signals are blocked outside ppoll, so
 * none is lost between the check and the wait. The terminal is restored on
 * every way out: a normal quit, an error (atexit), SIGINT/SIGTERM/SIGHUP
 * (through the loop) and a crash (a handler that writes the saved terminal
 * modes back and re-raises).
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

#include "textsafe.h"
#include "ui.h"

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
	if (!con->readonly)
		return 0;
	ui_message(con, "This console is read-only: changes are made by the commander's console.");
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

int console_open_incident(struct console *con, const char *id)
{
	struct incident_view fresh = {0};

	incident_view_free(&con->iv);
	con->iv = fresh;
	con->iv.id = xstrdup(id);
	con->iv.tab = -1; /* incident_view_load picks the first step not yet complete */
	con->iv.timeline.follow = 1;
	con->iv.timeline.match = -1;
	if (incident_view_load(con) < 0 && !con->iv.inc) {
		incident_view_free(&con->iv);
		return -1;
	}
	con->view = VIEW_INCIDENT;
	con->dirty = 1;
	return 0;
}

void console_show_list(struct console *con)
{
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
	if (con->iv.timeline_focus || (con->iv.timeline_only && con->lay.timeline_w == 0)) {
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
	layout_compute(con);
	werase(stdscr);
	con->cursor_on = 0;

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
}

static void handle_resize(struct console *con)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	con->dirty = 1;
}

/* Runs once a second: the clock, the overlays' timers and the database's change counter. */
static void tick(struct console *con, long long *last_version)
{
	time_t now = clock_now();
	long long version;

	if (now != con->now) {
		con->now = now;
		con->dirty = 1;
	}
	for (int i = 0; i < con->n_layers; i++)
		if (con->layers[i].ops->tick)
			con->layers[i].ops->tick(con, con->layers[i].data);

	version = data_version(con->st);
	if (version >= 0 && version != *last_version) {
		if (*last_version >= 0)
			reload(con);
		*last_version = version;
	}
}

static void close_all_layers(struct console *con)
{
	while (con->n_layers)
		console_close(con, con->layers[con->n_layers - 1].data);
}

static void loop(struct console *con)
{
	long long version = data_version(con->st);
	struct timespec last_tick;
	int quit = 0;

	clock_gettime(CLOCK_MONOTONIC, &last_tick);
	con->now = clock_now();

	while (!quit && !got_stop) {
		struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
		struct timespec now, wait;
		long elapsed_ms;
		int rc;

		if (got_winch) {
			got_winch = 0;
			handle_resize(con);
		}
		if (con->dirty)
			draw(con);

		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed_ms = (now.tv_sec - last_tick.tv_sec) * 1000 +
			     (now.tv_nsec - last_tick.tv_nsec) / 1000000;
		if (elapsed_ms >= 1000) {
			last_tick = now;
			tick(con, &version);
			continue;
		}
		wait.tv_sec = 0;
		wait.tv_nsec = (1000 - elapsed_ms) * 1000000L;

		rc = ppoll(&pfd, 1, &wait, &wait_mask);
		if (rc < 0)
			continue; /* EINTR: a signal set its flag */
		if (rc == 0)
			continue;
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) {
			/* The terminal went away (a dropped SSH session). */
			break;
		}

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
			dispatch_key(con, key, &quit);
			if (quit)
				break;
		}
	}

	/* Overlays save what they hold (a draft's last keystrokes) as they close. */
	close_all_layers(con);
}

int console_run(struct console_options *options)
{
	struct console con = {0};
	SCREEN *screen;
	const char *term = getenv("TERM");
	static int atexit_done;

	if (!console_has_terminal()) {
		fprintf(stderr, "warroom: the console needs a terminal; use `warroom list` or "
				"`warroom show` in scripts\n");
		return WR_FAILED;
	}

	con.st = options->store;
	con.pb = options->playbook;
	con.settings = options->settings;
	con.readonly = options->readonly;

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
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		char *safe = textsafe(term ? term : "");

		restore_signals();
		fprintf(stderr, "warroom: cannot use the terminal type \"%s\"; set TERM to one that "
				"terminfo knows, such as xterm-256color\n", safe);
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

	if (options->incident_id) {
		if (console_open_incident(&con, options->incident_id) < 0) {
			char *safe = textsafe(con.message);

			endwin();
			curses_active = 0;
			delscreen(screen);
			restore_signals();
			fprintf(stderr, "warroom: %s\n", safe);
			free(safe);
			return WR_FAILED;
		}
	} else {
		con.view = VIEW_LIST;
		list_load(&con);
	}
	con.dirty = 1;

	loop(&con);

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
