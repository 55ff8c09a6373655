/*
 * The commands that open the console: `warroom open ID` on one incident,
 * `warroom` with no command on the incident list, both as the commander
 * (read-write), and `warroom view [ID]` for an observer (read-only). They
 * check for a terminal before loading anything, so a script that calls
 * them by mistake gets a one-line reason and a non-zero status at once.
 *
 * A commander whose database cannot be written (a read-only file system,
 * a file mode) gets the console read-only, with a dialog that says why and
 * offers to view or quit. A viewer that cannot read the database gets a
 * second line that names the file at fault and what to fix.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../ui/console.h"
#include "cli.h"
#include "incident.h"
#include "textsafe.h"

/* Loads the settings and the playbook; returns 0, or an exit status after printing why. */
static int load_context(struct cli_context *ctx)
{
	if (!console_has_terminal()) {
		fprintf(stderr, "warroom: the console needs a terminal; use `warroom list` or "
				"`warroom show` in scripts\n");
		return WR_FAILED;
	}
	if (!cli_settings(ctx))
		return WR_BAD_INPUT;
	settings_apply_actor(ctx->settings);
	if (!cli_playbook(ctx))
		return WR_BAD_INPUT;
	return 0;
}

/* Checks that INCIDENT_ID exists before the screen changes; returns 0 or an exit status. */
static int check_incident(struct store *st, const char *incident_id)
{
	struct wr_error err = {0};
	struct incident *inc;

	if (!incident_id)
		return 0;
	inc = incident_get(st, incident_id, &err);
	if (!inc)
		return cli_fail(&err);
	incident_free(inc);
	return 0;
}

static int run(struct cli_context *ctx, struct store *st, const char *incident_id, int viewer,
	       const char *write_error)
{
	struct console_options options = {0};

	options.store = st;
	options.playbook = ctx->playbook;
	options.settings = ctx->settings;
	options.incident_id = incident_id;
	options.viewer = viewer;
	options.write_error = write_error;
	return console_run(&options);
}

int cli_console(struct cli_context *ctx, const char *incident_id)
{
	struct wr_error err = {0}, readonly_err = {0};
	struct store *st;
	char *path;
	int status;

	status = load_context(ctx);
	if (status)
		return status;

	/* The list may be opened before anything was imported: it then starts an empty database. */
	path = cli_db_path(ctx);
	st = store_open(path, incident_id ? 0 : STORE_CREATE, &err);
	if (!st) {
		/* A database that can be read but not written is still worth following. */
		st = store_open(path, STORE_READONLY, &readonly_err);
		if (!st) {
			free(path);
			cli_fail(&err);
			return WR_FAILED;
		}
	}
	free(path);
	ctx->store = st;

	status = check_incident(st, incident_id);
	if (status)
		return status;
	return run(ctx, st, incident_id, 0, store_readonly(st) ? err.message : NULL);
}

/* Returns the name of the group GID, or its number as text, in OUT. */
static void group_name(gid_t gid, char *out, size_t size)
{
	struct group *gr = getgrgid(gid);

	if (gr && gr->gr_name)
		snprintf(out, size, "%s", gr->gr_name);
	else
		snprintf(out, size, "%lu", (unsigned long)gid);
}

/*
 * Explains why an observer cannot read the database at PATH: which of the
 * database, its -wal and its -shm is unreadable or missing, and what to fix.
 * Prints nothing when every file is in place and readable.
 */
static void explain_read_failure(const char *path)
{
	static const char *const suffixes[] = {"-wal", "-shm"};
	const char *slash = strrchr(path, '/');
	char *folder = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
			     : xstrdup(".");
	int folder_writable = access(folder, W_OK) == 0;
	char *shown = textsafe(path), *shown_folder = textsafe(folder);
	char group[64];
	struct stat st;
	int missing = 0;

	free(folder);
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			fprintf(stderr, "warroom: to follow incidents, you need access to the folder of "
					"%s: ask an administrator to add you to the observers' group\n",
				shown);
		goto done;
	}
	group_name(st.st_gid, group, sizeof group);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "warroom: to follow incidents, you need read access to %s and its "
				"-wal and -shm files: ask an administrator to add you to their group "
				"%s, or to make them readable for the observers' group\n",
			shown, group);
		goto done;
	}

	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char *real = xasprintf("%s%s", path, suffixes[i]);
		char *file = xasprintf("%s%s", shown, suffixes[i]);
		int exists = access(real, F_OK) == 0;
		int readable = access(real, R_OK) == 0;
		int why = errno;

		free(real);
		if (!exists) {
			missing = 1;
		} else if (!readable) {
			fprintf(stderr, "warroom: %s is not readable for you (%s): make it readable "
					"like the database, by group %s: as its owner or root, run "
					"`chgrp --reference=%s %s-wal %s-shm && chmod --reference=%s "
					"%s-wal %s-shm`\n",
				file, strerror(why), group, shown, shown, shown, shown, shown, shown);
			free(file);
			goto done;
		}
		free(file);
	}
	if (missing && !folder_writable)
		fprintf(stderr, "warroom: %s-wal or -shm is missing and you cannot create it in %s: "
				"ask the commander to open the database once read-write, which leaves "
				"both files in place\n",
			shown, shown_folder);
done:
	free(shown);
	free(shown_folder);
}

int cli_view(struct cli_context *ctx, const char *incident_id)
{
	struct wr_error err = {0};
	struct store *st;
	char *path;
	int status;

	status = load_context(ctx);
	if (status)
		return status;

	path = cli_db_path(ctx);
	st = store_open(path, STORE_READONLY, &err);
	if (!st) {
		cli_fail(&err);
		if (err.status != WR_BAD_INPUT)
			explain_read_failure(path);
		free(path);
		return WR_FAILED;
	}
	free(path);
	ctx->store = st;

	status = check_incident(st, incident_id);
	if (status)
		return status;
	return run(ctx, st, incident_id, 1, NULL);
}

/* Parses `open ID` and `view [ID]`: --help, then MAX_IDS incident ids at most. */
static int parse_ids(const char *name, int argc, char **argv, int min_ids, int max_ids,
		     const char **id)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	*id = NULL;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			cli_print_usage(cli_find(name), stdout);
			return WR_OK;
		}
		fprintf(stderr, "Try 'warroom %s --help'.\n", name);
		return WR_BAD_INPUT;
	}
	if (argc - optind < min_ids || argc - optind > max_ids)
		return -2;
	if (optind < argc)
		*id = argv[optind];
	return -1;
}

int cmd_open(struct cli_context *ctx, int argc, char **argv)
{
	const char *id;
	int status = parse_ids("open", argc, argv, 1, 1, &id);

	if (status == -2)
		return cli_usage_error("open: name one incident ID (see `warroom list`)");
	if (status >= 0)
		return status;
	return cli_console(ctx, id);
}

int cmd_view(struct cli_context *ctx, int argc, char **argv)
{
	const char *id;
	int status = parse_ids("view", argc, argv, 0, 1, &id);

	if (status == -2)
		return cli_usage_error("view: name at most one incident ID (see `warroom list`)");
	if (status >= 0)
		return status;
	return cli_view(ctx, id);
}
