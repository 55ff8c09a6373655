/*
 * The commands that open the console: `warroom open ID` on one incident,
 * and `warroom` with no command on the incident list. Both check for a
 * terminal before loading anything, so a script that calls them by mistake
 * gets a one-line reason and a non-zero status at once.
 */
#include <getopt.h>
#include <stdio.h>

#include "../ui/console.h"
#include "cli.h"
#include "incident.h"

int cli_console(struct cli_context *ctx, const char *incident_id)
{
	struct console_options options = {0};
	struct wr_error err = {0};
	struct incident *inc;
	struct store *st;

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

	/* The list may be opened before anything was imported: it then starts an empty database. */
	st = cli_store(ctx, incident_id ? 0 : STORE_CREATE);
	if (!st)
		return WR_FAILED;
	if (incident_id) {
		inc = incident_get(st, incident_id, &err);
		if (!inc)
			return cli_fail(&err);
		incident_free(inc);
	}

	options.store = st;
	options.playbook = ctx->playbook;
	options.settings = ctx->settings;
	options.incident_id = incident_id;
	return console_run(&options);
}

int cmd_open(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			cli_print_usage(cli_find("open"), stdout);
			return WR_OK;
		}
		fprintf(stderr, "Try 'warroom open --help'.\n");
		return WR_BAD_INPUT;
	}
	if (optind + 1 != argc)
		return cli_usage_error("open: name one incident ID (see `warroom list`)");
	return cli_console(ctx, argv[optind]);
}
