/*
 * Subcommands for what warroom hands to others: `handoff` prints the packet
 * an audience receives, `brief` the first reply to the reporter and the
 * responders, and `export` the post-incident review in Markdown, to
 * standard output or atomically to a file. All three only read the store.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "cli.h"
#include "export.h"
#include "guard.h"
#include "handoff.h"
#include "restricted.h"

/* Prints TEXT, which the builders have already escaped for the terminal, and frees it. */
static int print_report(char *text)
{
	fputs(text, stdout);
	free(text);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "warroom: writing to standard output failed\n");
		return WR_FAILED;
	}
	return WR_OK;
}

/*
 * Appends the restricted section to TEXT for --include-restricted. Returns
 * the longer text, or NULL with ERR set (TEXT freed) when this user may not
 * read the restricted file.
 */
static char *append_restricted(struct store *st, const char *id, char *text, struct wr_error *err)
{
	char *section = restricted_section(store_path(st), id, err);
	char *joined;

	if (!section) {
		free(text);
		return NULL;
	}
	joined = xasprintf("%s%s", text, section);
	free(text);
	free(section);
	return joined;
}

/* Prints the problems a loader collected, or ERR's message when there are none. */
static void print_problems(const struct strbuf *problems, const struct wr_error *err)
{
	if (problems->len)
		cli_put_lines(stderr, problems->data);
	else
		cli_fail(err);
}

int cmd_handoff(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"audience", required_argument, NULL, 'a'},
		{"include-restricted", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *audience = NULL;
	struct wr_error err = {0};
	struct playbook *pb;
	struct store *st;
	char *text;
	int c, include_restricted = 0;

	while ((c = getopt_long(argc, argv, "a:h", options, NULL)) != -1) {
		if (c == 'a')
			audience = optarg;
		else if (c == 'r')
			include_restricted = 1;
		else
			return cli_option_problem("handoff", c, NULL);
	}
	if (optind + 1 != argc)
		return cli_usage_error("handoff: name one incident ID");
	if (!audience)
		return cli_usage_error("handoff: --audience is required: cs, product, marketing, "
				       "finance or management");

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	text = handoff_packet(st, pb, argv[optind], audience, &err);
	if (text && include_restricted)
		text = append_restricted(st, argv[optind], text, &err);
	if (!text)
		return cli_fail(&err);
	return print_report(text);
}

int cmd_brief(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct brief_rules *rules;
	struct wr_error err = {0};
	struct strbuf problems;
	struct playbook *pb;
	struct guard *guard;
	struct store *st;
	char *text;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return cli_option_problem("brief", c, NULL);
	if (optind + 1 != argc)
		return cli_usage_error("brief: name one incident ID");
	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;

	sb_init(&problems);
	rules = brief_rules_load(pb, &problems, &err);
	if (!rules) {
		print_problems(&problems, &err);
		sb_free(&problems);
		return WR_BAD_INPUT;
	}
	guard = guard_load(pb, &problems, &err);
	if (!guard) {
		print_problems(&problems, &err);
		sb_free(&problems);
		brief_rules_free(rules);
		return WR_BAD_INPUT;
	}
	sb_free(&problems);

	if (!(st = cli_store(ctx, STORE_READONLY))) {
		guard_free(guard);
		brief_rules_free(rules);
		return WR_FAILED;
	}
	text = brief_build(st, pb, rules, guard, argv[optind], &err);
	guard_free(guard);
	brief_rules_free(rules);
	if (!text)
		return cli_fail(&err);
	return print_report(text);
}

int cmd_export(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"include-restricted", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL;
	struct wr_error err = {0};
	struct playbook *pb;
	struct store *st;
	char *text;
	int c, rc, include_restricted = 0;

	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		if (c == 'o')
			output = optarg;
		else if (c == 'r')
			include_restricted = 1;
		else
			return cli_option_problem("export", c, NULL);
	}
	if (optind + 1 != argc)
		return cli_usage_error("export: name one incident ID");

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	text = export_review(st, pb, argv[optind], &err);
	if (text && include_restricted)
		text = append_restricted(st, argv[optind], text, &err);
	if (!text)
		return cli_fail(&err);
	if (!output)
		return print_report(text);

	rc = export_write_file(output, text, &err);
	free(text);
	if (rc != 0)
		return cli_fail(&err);
	return WR_OK;
}
