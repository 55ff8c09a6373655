/*
 * The commander's lease in the console. Opening an incident read-write
 * takes its lease; when another live console holds it, a dialog names the
 * commander and offers to view read-only or to take command with a reason.
 * A stale lease (no heartbeat for lease_stale_seconds, or its process gone
 * on this host) is taken without asking. A handover waiting for this user
 * is shown first, with its brief, and acknowledging it moves the lease.
 * While it commands, the console renews the lease every
 * lease_heartbeat_seconds from its timer, and it releases the lease when
 * the incident closes or the console ends (also after SIGTERM or SIGHUP,
 * from the loop, never from a signal handler).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

static int stale_seconds(const struct console *con)
{
	return con->settings && con->settings->lease_stale_seconds > 0
		       ? con->settings->lease_stale_seconds
		       : LEASE_STALE_SECONDS;
}

static int heartbeat_seconds(const struct console *con)
{
	return con->settings && con->settings->lease_heartbeat_seconds > 0
		       ? con->settings->lease_heartbeat_seconds
		       : LEASE_HEARTBEAT_SECONDS;
}

static void schedule_heartbeat(struct console *con)
{
	clock_gettime(CLOCK_MONOTONIC, &con->next_heartbeat);
	con->next_heartbeat.tv_sec += heartbeat_seconds(con);
}

void command_holder_text(const struct lease *l, char *out, size_t size)
{
	snprintf(out, size, "%s on %s", l->holder.name, l->holder.host);
}

/* Formats the local time of day of T ("10:02") into OUT. */
static void clock_text(time_t t, char *out, size_t size)
{
	struct tm tm;

	localtime_r(&t, &tm);
	if (strftime(out, size, "%H:%M", &tm) == 0 && size)
		out[0] = '\0';
}

void command_refresh(struct console *con)
{
	struct wr_error err = {0};

	con->lease_known = con->iv.id &&
			   lease_get(con->st, con->iv.id, stale_seconds(con), &con->lease, &err) == 0;
}

/* Makes this console the commander of the open incident; rereads it for the event just logged. */
static void now_commanding(struct console *con)
{
	con->commanding = 1;
	con->readonly = 0;
	schedule_heartbeat(con);
	incident_view_load(con);
}

/* Leaves the incident after "back": to the list, or out of a console opened on it. */
static int go_back(struct console *con)
{
	if (con->from_list) {
		console_show_list(con);
		return UI_CLOSE;
	}
	return UI_CLOSE | UI_QUIT;
}

/* Makes the console a read-only observer of the incident, on the observer's timeline layout. */
static void view_only(struct console *con, const char *why)
{
	con->readonly = 1;
	incident_view_observe(con);
	ui_message(con, "Read-only viewer: %s.", why);
}

/* The takeover form's context: the dialog to close once command is taken. */
struct takeover {
	void *dialog;
	char holder[600];
};

static int takeover_done(struct console *con, void *ctx, char *const *values)
{
	struct takeover *t = ctx;
	struct wr_error err = {0};
	struct lease found;

	if (str_blank(values[0])) {
		ui_message(con, "Give a reason for taking command: it is recorded on the timeline.");
		con->message_error = 1;
		return UI_KEEP;
	}
	if (lease_acquire(con->st, con->iv.id, &con->me, stale_seconds(con), 1, values[0], &found,
			  &err) < 0) {
		ui_error(con, &err);
		return err.status == WR_BAD_INPUT ? UI_KEEP : UI_HANDLED;
	}
	if (dialog_is_open(con, t->dialog))
		console_close(con, t->dialog);
	now_commanding(con);
	ui_message(con, "You command %s now; taking over from %s is on the timeline.", con->iv.id,
		   t->holder);
	return UI_RELOAD;
}

static int held_answered(struct console *con, void *ctx, enum ui_action answer)
{
	struct takeover *t = ctx;
	struct takeover *form;
	char title[800];

	switch (answer) {
	case ACT_DLG_VIEW:
		view_only(con, "changes are made in the commander's console");
		return UI_CLOSE;
	case ACT_DLG_TAKE:
		/* The dialog stays under the form, so Esc comes back to the question. */
		form = xcalloc(1, sizeof *form);
		*form = *t;
		snprintf(title, sizeof title, "Take command of %s from %s?", con->iv.id, t->holder);
		prompt_open1(con, title, "Reason, recorded on the timeline (Enter takes command, "
				     "Esc cancels)",
			     NULL, takeover_done, form);
		return UI_HANDLED;
	case ACT_DLG_BACK:
		return go_back(con);
	default:
		return UI_HANDLED;
	}
}

/* Opens the dialog that names the live commander L of the open incident. */
static void held_dialog(struct console *con, const struct lease *l)
{
	static const enum ui_action answers[] = {ACT_DLG_VIEW, ACT_DLG_TAKE, ACT_DLG_BACK};
	struct takeover *t = xcalloc(1, sizeof *t);
	char since[16], seen[32];
	char *text;

	command_holder_text(l, t->holder, sizeof t->holder);
	clock_text(l->taken_at, since, sizeof since);
	ui_duration(l->age, seen, sizeof seen);
	text = xasprintf("%s is commanded by %s since %s (last seen %s ago).", con->iv.id, t->holder,
			 since, seen);
	con->readonly = 1;
	t->dialog = dialog_open(con, "Someone else commands this incident", text, answers,
				sizeof answers / sizeof answers[0], held_answered, t);
	free(text);
}

/* The handover dialog's context. */
struct pending {
	long long id;
	char from[256];
};

static int handover_answered(struct console *con, void *ctx, enum ui_action answer)
{
	struct pending *p = ctx;
	struct wr_error err = {0};

	switch (answer) {
	case ACT_DLG_ACK:
		if (handover_acknowledge(con->st, con->iv.id, p->id, &con->me, &err) < 0) {
			ui_error(con, &err);
			return UI_HANDLED | UI_CLOSE;
		}
		now_commanding(con);
		ui_message(con, "You command %s now: the handover from %s is acknowledged.", con->iv.id,
			   p->from);
		return UI_CLOSE | UI_RELOAD;
	case ACT_DLG_VIEW:
		view_only(con, "the handover stays waiting until you acknowledge it");
		return UI_CLOSE;
	case ACT_DLG_BACK:
		return go_back(con);
	default:
		return UI_HANDLED;
	}
}

/* Opens the dialog for a handover waiting for this user; returns nonzero when there is one. */
static int handover_waiting(struct console *con)
{
	static const enum ui_action answers[] = {ACT_DLG_ACK, ACT_DLG_VIEW, ACT_DLG_BACK};
	struct handover *list = NULL;
	struct wr_error err = {0};
	const struct handover *h = NULL;
	struct pending *p;
	size_t n = 0;
	char *text;

	if (handover_list(con->st, con->iv.id, &list, &n, &err) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].state, "pending") == 0 &&
		    strcmp(list[i].to_holder, con->me.name) == 0)
			h = &list[i];
	if (!h) {
		handover_list_free(list, n);
		return 0;
	}

	p = xcalloc(1, sizeof *p);
	p->id = h->id;
	snprintf(p->from, sizeof p->from, "%s", h->from_holder);
	text = xasprintf("Handover from %s waiting for you:\n\n%s", h->from_holder,
			 h->brief ? h->brief : "");
	con->readonly = 1;
	dialog_open(con, "Handover waiting", text, answers, sizeof answers / sizeof answers[0],
		    handover_answered, p);
	free(text);
	handover_list_free(list, n);
	return 1;
}

/* Takes the lease, or asks when a live commander holds it. */
static void take_or_ask(struct console *con)
{
	struct wr_error err = {0};
	struct lease found = {0};
	char holder[600], seen[32];

	if (lease_acquire(con->st, con->iv.id, &con->me, stale_seconds(con), 0, NULL, &found,
			  &err) == 0) {
		now_commanding(con);
		if (found.held && found.stale && !lease_holder_same(&found.holder, &con->me)) {
			command_holder_text(&found, holder, sizeof holder);
			ui_duration(found.age, seen, sizeof seen);
			if (found.pid_gone)
				ui_message(con, "Took command of %s: the lease of %s was stale (its "
						"process has ended).", con->iv.id, holder);
			else
				ui_message(con, "Took command of %s: the lease of %s was stale (last "
						"seen %s ago).", con->iv.id, holder, seen);
		}
		return;
	}
	if (found.held && !found.stale) {
		held_dialog(con, &found);
		return;
	}
	ui_error(con, &err);
	con->readonly = 1;
}

void command_open(struct console *con)
{
	struct wr_error err = {0};

	con->commanding = 0;
	con->readonly = con->store_readonly;
	command_refresh(con);
	if (con->viewer || con->store_readonly || !con->iv.inc)
		return;
	if (!con->have_me) {
		if (lease_holder_self(&con->me, (long)getpid(), &err) < 0) {
			ui_error(con, &err);
			con->readonly = 1;
			return;
		}
		con->have_me = 1;
	}
	if (handover_waiting(con))
		return;
	take_or_ask(con);
}

void command_tick(struct console *con)
{
	struct wr_error err = {0};
	struct timespec now;
	char holder[600];

	if (!con->commanding)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < con->next_heartbeat.tv_sec)
		return;
	schedule_heartbeat(con);
	if (lease_heartbeat(con->st, con->iv.id, &con->me, &err) == 0)
		return;

	/* A busy database is retried at the next heartbeat; a lease another console took is lost. */
	command_refresh(con);
	if (con->lease_known && con->lease.held && lease_holder_same(&con->lease.holder, &con->me)) {
		ui_error(con, &err);
		return;
	}
	con->commanding = 0;
	con->readonly = 1;
	if (con->lease_known && con->lease.held) {
		command_holder_text(&con->lease, holder, sizeof holder);
		ui_message(con, "Read-only viewer: %s took command of %s. Open it again to take "
				"command back.", holder, con->iv.id);
	} else {
		ui_message(con, "Read-only viewer: this console lost command of %s. Open it again to "
				"take command.", con->iv.id);
	}
	con->message_error = 1;
}

void command_release(struct console *con)
{
	struct wr_error err = {0};

	if (!con->commanding)
		return;
	con->commanding = 0;
	/* A lease already taken over is not ours to release: nothing to report on the way out. */
	lease_release(con->st, con->iv.id, &con->me, &err);
}
