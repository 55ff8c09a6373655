/*
 * `warroom lint`: runs the status-update guardrails on text from files or
 * standard input, for an audience and optionally in the context of a
 * recorded incident, and prints one line per finding as
 * "FILE:LINE:COLUMN: LEVEL: MESSAGE [RULE]". `--rules` prints the rules and
 * their level for each audience instead. Exits 1 when any finding is an
 * error, so a script can stop an update before it is sent.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "guard.h"
#include "incident.h"
#include "updates.h"

/* Status updates are short; a larger input is almost certainly the wrong file. */
#define LINT_MAX_BYTES (1024 * 1024)

enum { LINT_TEXT, LINT_TSV };

static void lint_print_help(FILE *out)
{
	cli_print_usage(cli_find("lint"), out);
	fputs("\n"
	      "Options:\n"
	      "  --audience ID   the audience the text is for (default: cs)\n"
	      "  --incident ID   check in the context of a recorded incident: its validations,\n"
	      "                  approvals and impacted services\n"
	      "  --format F      text (default) or tsv: file, line, column, level, rule, excerpt, message\n"
	      "  --rules         list the rules and their level for each audience, then exit\n"
	      "\n"
	      "With no FILE, or with -, the text is read from standard input. Exits 1 when\n"
	      "any finding is an error, 0 otherwise.\n"
	      "\n"
	      "Some levels depend on the incident: resolution-claim is an error until every\n"
	      "validation is recorded, nothing after, and a warning without --incident;\n"
	      "vendor-blame and root-cause stop once approved. --rules shows the levels for\n"
	      "an incident with no validations or approvals.\n", out);
}

/* Reads all of STREAM (named NAME in messages) into a string the caller frees, or NULL with ERR set. */
static char *read_all(FILE *stream, const char *name, struct wr_error *err)
{
	struct strbuf sb;
	char chunk[8192];
	size_t got;

	sb_init(&sb);
	while ((got = fread(chunk, 1, sizeof chunk, stream)) > 0) {
		if (sb.len + got > LINT_MAX_BYTES) {
			sb_free(&sb);
			error_set(err, WR_BAD_INPUT, "%s: larger than %d bytes; lint takes the text of a "
				  "status update", name, LINT_MAX_BYTES);
			return NULL;
		}
		sb_addn(&sb, chunk, got);
	}
	if (ferror(stream)) {
		sb_free(&sb);
		error_set(err, WR_FAILED, "%s: read failed: %s", name, strerror(errno));
		return NULL;
	}
	if (memchr(sb.data, '\0', sb.len)) {
		sb_free(&sb);
		error_set(err, WR_BAD_INPUT, "%s: contains a NUL byte; lint takes text", name);
		return NULL;
	}
	return sb_take(&sb);
}

/* Reads the file PATH, or standard input for "-". */
static char *read_input(const char *path, struct wr_error *err)
{
	FILE *f;
	char *text;

	if (strcmp(path, "-") == 0)
		return read_all(stdin, "standard input", err);
	f = fopen(path, "rb");
	if (!f) {
		error_set(err, WR_BAD_INPUT, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	text = read_all(f, path, err);
	fclose(f);
	return text;
}

void cli_print_finding(FILE *out, const char *name, const struct guard_finding *f)
{
	cli_put(out, name);
	fprintf(out, ":%d:%d: %s: ", f->line, f->column, guard_level_name(f->level));
	cli_put(out, f->message);
	if (f->excerpt && *f->excerpt) {
		fputs(" (\"", out);
		cli_put(out, f->excerpt);
		fputs("\")", out);
	}
	fprintf(out, " [%s]\n", f->rule_id);
}

static void print_finding(const char *name, const struct guard_finding *f, int format)
{
	if (format == LINT_TSV) {
		cli_put(stdout, name);
		printf("\t%d\t%d\t%s\t%s\t", f->line, f->column, guard_level_name(f->level), f->rule_id);
		cli_put(stdout, f->excerpt);
		putchar('\t');
		cli_put(stdout, f->message);
		putchar('\n');
		return;
	}
	cli_print_finding(stdout, name, f);
}

/* Checks one input, prints its findings and adds its errors to *ERRORS; returns an exit status. */
static int lint_one(const struct guard *g, const struct guard_context *gctx, const char *path,
		    int format, size_t *total_errors)
{
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	struct guard_finding *findings = NULL;
	struct wr_error err = {0};
	size_t n = 0, errors;
	char *text = read_input(path, &err);

	if (!text)
		return cli_fail(&err);
	if (guard_check(g, text, gctx, &findings, &n) != 0) {
		free(text);
		error_set(&err, WR_FAILED, "%s: the guardrails check failed", name);
		return cli_fail(&err);
	}

	for (size_t i = 0; i < n; i++)
		print_finding(name, &findings[i], format);
	errors = guard_count_errors(findings, n);
	if (n && format == LINT_TEXT) {
		cli_put(stdout, name);
		printf(": %zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", n - errors,
		       n - errors == 1 ? "" : "s");
	}
	*total_errors += errors;
	guard_findings_free(findings, n);
	free(text);
	return WR_OK;
}

/* Prints each rule with its level per audience: a table, or TSV rows rule, audience, level. */
static void print_rules(const struct guard *g, const struct playbook *pb, int format)
{
	if (format == LINT_TEXT) {
		printf("%-18s", "RULE");
		for (size_t a = 0; a < pb->n_audiences; a++)
			printf(" %-10s", pb->audiences[a].id);
		printf(" MESSAGE\n");
	}
	for (size_t i = 0; i < guard_rule_count(g); i++) {
		if (format == LINT_TSV) {
			for (size_t a = 0; a < pb->n_audiences; a++)
				printf("%s\t%s\t%s\n", guard_rule_id(g, i), pb->audiences[a].id,
				       guard_level_name(guard_rule_level(g, i, pb->audiences[a].id)));
			continue;
		}
		printf("%-18s", guard_rule_id(g, i));
		for (size_t a = 0; a < pb->n_audiences; a++)
			printf(" %-10s", guard_level_name(guard_rule_level(g, i, pb->audiences[a].id)));
		putchar(' ');
		cli_put(stdout, guard_rule_message(g, i));
		putchar('\n');
	}
}

static struct guard *lint_load_guard(const struct playbook *pb)
{
	struct strbuf problems;
	struct wr_error err = {0};
	struct guard *g;

	sb_init(&problems);
	g = guard_load(pb, &problems, &err);
	if (!g) {
		if (problems.len)
			cli_put_lines(stderr, problems.data);
		else
			cli_fail(&err);
	}
	sb_free(&problems);
	return g;
}

/* Fills GCTX from incident INCIDENT_ID, which *INC keeps alive; returns WR_OK or an exit status. */
static int context_from_incident(struct cli_context *ctx, const struct playbook *pb,
				 const char *incident_id, const char *audience,
				 struct incident **inc, struct guard_context *gctx)
{
	struct wr_error err = {0};
	struct store *st = cli_store(ctx, STORE_READONLY);

	if (!st)
		return WR_FAILED;
	*inc = incident_get(st, incident_id, &err);
	if (!*inc)
		return cli_fail(&err);
	if (guard_context_for_incident(st, pb, *inc, audience, gctx, &err) != 0)
		return cli_fail(&err);
	return WR_OK;
}

int cmd_lint(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"audience", required_argument, NULL, 'a'},
		{"incident", required_argument, NULL, 'i'},
		{"format", required_argument, NULL, 'f'},
		{"rules", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *audience = "cs", *incident_id = NULL;
	struct guard_context gctx = {0};
	struct incident *inc = NULL;
	struct playbook *pb;
	struct guard *g;
	int c, format = LINT_TEXT, list_rules = 0, status = WR_OK;
	size_t errors = 0;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'a':
			audience = optarg;
			break;
		case 'i':
			incident_id = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				format = LINT_TEXT;
			else if (strcmp(optarg, "tsv") == 0)
				format = LINT_TSV;
			else
				return cli_usage_error("lint: --format must be text or tsv, not \"%s\"", optarg);
			break;
		case 'r':
			list_rules = 1;
			break;
		case 'h':
			lint_print_help(stdout);
			return WR_OK;
		default:
			fprintf(stderr, "Try 'warroom lint --help'.\n");
			return WR_BAD_INPUT;
		}
	}

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	if (!playbook_audience(pb, audience))
		return cli_usage_error("lint: unknown audience \"%s\"; see 'warroom lint --rules' for the "
				       "audiences", audience);
	if (!(g = lint_load_guard(pb)))
		return WR_BAD_INPUT;
	if (list_rules) {
		print_rules(g, pb, format);
		guard_free(g);
		return WR_OK;
	}

	gctx.audience = audience;
	if (incident_id)
		status = context_from_incident(ctx, pb, incident_id, audience, &inc, &gctx);

	if (status == WR_OK && optind == argc)
		status = lint_one(g, &gctx, "-", format, &errors);
	for (int i = optind; status == WR_OK && i < argc; i++)
		status = lint_one(g, &gctx, argv[i], format, &errors);

	incident_free(inc);
	guard_free(g);
	if (status != WR_OK)
		return status;
	return errors ? WR_FAILED : WR_OK;
}
