/*
 * The settings file, warroom.cfg (libconfig): where the database lives, the
 * name recorded for the local user, per-severity cadence overrides, the
 * command that publishes an approved status update, the Unix groups of
 * observers and of need-to-know readers, and the commander lease's
 * heartbeat interval and stale limit. Every setting is optional, and a
 * missing settings file gives the defaults. Problems are reported as
 * "FILE:LINE: what is wrong", like the playbook's.
 */
#ifndef WARROOM_SETTINGS_H
#define WARROOM_SETTINGS_H

#include <stddef.h>

#include "playbook.h"
#include "util.h"

/* A cadence override for one severity. A value of -1 keeps the playbook's. */
struct settings_cadence {
	char *severity;
	int update_due_minutes;
	int update_limit_minutes;
	char *file;    /* where the override is written, for problems */
	unsigned line;
};

struct settings {
	char *path;             /* the file read; NULL when none was found */
	char *database;         /* absolute path with "~/" expanded; NULL: the store's default */
	char *display_name;     /* the actor recorded for changes; NULL: the login name */
	struct settings_cadence *cadence;
	size_t n_cadence;
	char **publish_command; /* argv run without a shell, NULL-terminated; NULL when unset */
	size_t n_publish_command;
	char *observers_group;  /* Unix group of the observers; NULL when unset */
	char *restricted_group; /* Unix group of the need-to-know readers; NULL when unset */
	int lease_heartbeat_seconds; /* how often the console renews its lease; default 15 */
	int lease_stale_seconds;     /* heartbeat age after which the lease is stale; default 90 */
};

/*
 * Finds the settings file: EXPLICIT (from --settings) when given, else
 * $WARROOM_SETTINGS, else the first that exists of
 * $XDG_CONFIG_HOME/warroom/warroom.cfg (default ~/.config),
 * SYSCONFDIR/warroom/warroom.cfg and /etc/warroom/warroom.cfg. Sets *PATH
 * to a string the caller frees, or to NULL when there is none (not an
 * error). EXPLICIT or $WARROOM_SETTINGS naming a missing file returns -1
 * with ERR set (WR_BAD_INPUT).
 */
int settings_find(const char *explicit_path, char **path, struct wr_error *err);

/*
 * Loads and validates the settings file that settings_find picks for
 * EXPLICIT (NULL to search), or returns the defaults when there is none.
 * Every problem in the file is appended to PROBLEMS as "FILE:LINE: what is
 * wrong". After any problem, or when settings_find fails, returns NULL with
 * ERR set to WR_BAD_INPUT and the first problem. The caller frees the result
 * with settings_free.
 */
struct settings *settings_load(const char *explicit_path, struct strbuf *problems,
			       struct wr_error *err);
void settings_free(struct settings *s);

/*
 * Applies the cadence overrides to PB's severities. An override that names
 * an unknown severity, or leaves update_limit_minutes below
 * update_due_minutes, is appended to PROBLEMS as "FILE:LINE: ...", and then
 * nothing changes and the call returns -1. Returns 0 when all were applied.
 */
int settings_apply_cadence(const struct settings *s, struct playbook *pb, struct strbuf *problems);

/*
 * Makes display_name the actor that actor_name() returns, by setting
 * WARROOM_ACTOR. An actor already set in WARROOM_ACTOR wins, so that scripts
 * and tests can name theirs. Does nothing when display_name is unset.
 */
void settings_apply_actor(const struct settings *s);

#endif
