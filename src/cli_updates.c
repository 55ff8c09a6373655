/*
 * Subcommands for status updates and their cadence. `warroom update ID ...`
 * drafts, edits, checks, approves, publishes, lists and shows an incident's
 * updates. `warroom due` reports when the next update to each audience is
 * due, and exits 1 when any is overdue so that cron can alert.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "cli.h"
#include "report_text.h"
#include "guard.h"
#include "incident.h"
#include "textsafe.h"
#include "updates.h"

/* How many characters of an update's first line `update ID list` shows. */
#define LIST_TEXT_CHARS 60

enum { FORMAT_TEXT, FORMAT_TSV };

/* Prints the usage of `update` with each action's arguments. */
static void update_print_help(FILE *out)
{
	cli_print_usage(cli_find("update"), out);
	fputs("\n"
	      "Actions:\n"
	      "  draft --audience A [--template] [TEXT|-]  start a draft and print its UID\n"
	      "  edit UID TEXT|-                           replace a draft's text\n"
	      "  check UID                                 run the guardrails; exit 1 on errors\n"
	      "  approve UID [--override REASON]           approve; guardrail errors need a reason\n"
	      "  publish UID                               publish an approved update\n"
	      "  list [--audience A] [--format text|tsv]   list the incident's updates\n"
	      "  show UID                                  show one update\n"
	      "A TEXT of - reads standard input. --template fills the audience's template\n"
	      "from the incident's record.\n",
	      out);
}

/* Handles -h/--help and unknown options of `update ACTION` and `due`. */
static int option_problem(const char *name, int c)
{
	if (c == 'h' && strcmp(name, "update") == 0) {
		update_print_help(stdout);
		return WR_OK;
	}
	return cli_option_problem(name, c, NULL);
}

static int parse_format(const char *command, const char *value, int *format)
{
	if (strcmp(value, "text") == 0)
		*format = FORMAT_TEXT;
	else if (strcmp(value, "tsv") == 0)
		*format = FORMAT_TSV;
	else
		return cli_usage_error("%s: --format must be text or tsv, not \"%s\"", command, value);
	return WR_OK;
}

/* Parses an update id: a positive decimal number. */
static int parse_update_id(const char *text, long long *id)
{
	char *end;

	errno = 0;
	*id = strtoll(text, &end, 10);
	if (errno || end == text || *end || *id <= 0)
		return cli_usage_error("update: \"%s\" is not an update id (a positive number)", text);
	return WR_OK;
}

/* Reads all of standard input; strips trailing newlines, which `echo` and editors add. */
static char *read_stdin(void)
{
	struct strbuf sb;
	char chunk[4096];
	size_t n;

	sb_init(&sb);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		sb_addn(&sb, chunk, n);
	while (sb.len && (sb.data[sb.len - 1] == '\n' || sb.data[sb.len - 1] == '\r'))
		sb.data[--sb.len] = '\0';
	return sb_take(&sb);
}

/* Returns the text argument ("-" reads standard input); the caller frees it. */
static char *text_argument(const char *arg)
{
	return strcmp(arg, "-") == 0 ? read_stdin() : xstrdup(arg);
}

/* Loads the guardrails of the playbook, or prints why not. */
static struct guard *load_guard(const struct playbook *pb)
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

/* Reads update UID and checks that it belongs to INCIDENT_ID; prints why not. */
static struct update *load_update(struct store *st, const char *incident_id, long long uid)
{
	struct wr_error err = {0};
	struct update *u = update_get(st, uid, &err);

	if (!u) {
		cli_fail(&err);
		return NULL;
	}
	if (strcmp(u->incident_id, incident_id) != 0) {
		error_set(&err, WR_BAD_INPUT, "update %lld belongs to %s, not to %s", uid,
			  u->incident_id, incident_id);
		cli_fail(&err);
		update_free(u);
		return NULL;
	}
	return u;
}

/*
 * Parses UID_TEXT, opens the store with FLAGS (see cli_store) and reads the
 * update, which must belong to INCIDENT_ID. Returns WR_OK with *ST and *UID
 * set, and *U when U is not NULL (the caller frees it), or an exit status
 * after printing why.
 */
static int open_update(struct cli_context *ctx, const char *incident_id, const char *uid_text,
		       int flags, struct store **st, long long *uid, struct update **u)
{
	struct update *found;

	if (parse_update_id(uid_text, uid) != WR_OK)
		return WR_BAD_INPUT;
	if (!(*st = cli_store(ctx, flags)))
		return WR_FAILED;
	if (!(found = load_update(*st, incident_id, *uid)))
		return WR_BAD_INPUT;
	if (u)
		*u = found;
	else
		update_free(found);
	return WR_OK;
}

/*
 * Prints findings in the lint format, "update-UID:LINE:COL: LEVEL: MESSAGE
 * [RULE]", then a summary line when there is any.
 */
static void print_findings(FILE *out, long long uid, const struct guard_finding *findings,
			   size_t n)
{
	size_t errors = guard_count_errors(findings, n);
	char name[32];

	snprintf(name, sizeof name, "update-%lld", uid);
	for (size_t i = 0; i < n; i++)
		cli_print_finding(out, name, &findings[i]);
	if (n)
		fprintf(out, "update-%lld: %zu error%s, %zu warning%s\n", uid, errors,
			errors == 1 ? "" : "s", n - errors, n - errors == 1 ? "" : "s");
}

/* Checks update UID and prints its findings to OUT; returns the number of errors, or -1. */
static long check_and_print(struct store *st, const struct playbook *pb, long long uid,
			    FILE *out)
{
	struct guard_finding *findings = NULL;
	struct wr_error err = {0};
	struct guard *g = load_guard(pb);
	size_t n = 0;
	long errors;

	if (!g)
		return -1;
	if (update_check(st, pb, g, uid, &findings, &n, &err) != 0) {
		cli_fail(&err);
		guard_free(g);
		return -1;
	}
	print_findings(out, uid, findings, n);
	errors = (long)guard_count_errors(findings, n);
	guard_findings_free(findings, n);
	guard_free(g);
	return errors;
}

static int update_cmd_draft(struct cli_context *ctx, const char *incident_id, int argc,
			    char **argv)
{
	static const struct option options[] = {
		{"audience", required_argument, NULL, 'a'},
		{"template", no_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *audience = NULL;
	struct wr_error err = {0};
	struct incident *inc = NULL;
	struct playbook *pb;
	struct store *st;
	char *text = NULL;
	long long uid;
	int c, use_template = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "a:th", options, NULL)) != -1) {
		if (c == 'a')
			audience = optarg;
		else if (c == 't')
			use_template = 1;
		else
			return option_problem("update", c);
	}
	if (!audience)
		return cli_usage_error("update draft: --audience is required (an audience id from the playbook)");
	if (argc - optind > 1)
		return cli_usage_error("update draft: expected one TEXT argument (quote it), or - to read standard input");
	if (use_template && optind < argc)
		return cli_usage_error("update draft: --template starts from the playbook's template; give no TEXT with it");
	if (!use_template && optind == argc)
		return cli_usage_error("update draft: missing TEXT; give the text, - to read standard input, or --template");

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	if (!(st = cli_store(ctx, 0)))
		return WR_FAILED;

	if (use_template) {
		time_t now = clock_now();

		if (!(inc = incident_get(st, incident_id, &err)))
			return cli_fail(&err);
		text = update_template(pb, inc, audience,
				       cadence_next_promise(st, pb, inc->id, audience, now), &err);
		incident_free(inc);
		if (!text)
			return cli_fail(&err);
	} else {
		text = text_argument(argv[optind]);
	}

	if (update_draft(st, pb, incident_id, audience, text, &uid, &err) != 0) {
		free(text);
		return cli_fail(&err);
	}
	free(text);
	printf("%lld\n", uid);
	fflush(stdout);
	return check_and_print(st, pb, uid, stderr) < 0 ? WR_FAILED : WR_OK;
}

static int update_cmd_edit(struct cli_context *ctx, const char *incident_id, int argc,
			   char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	struct playbook *pb;
	struct store *st;
	long long uid;
	char *text;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return option_problem("update", c);
	if (argc - optind != 2)
		return cli_usage_error("update edit: expected UID and one TEXT argument (quote it), or - to read standard input");

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	rc = open_update(ctx, incident_id, argv[optind], 0, &st, &uid, NULL);
	if (rc != WR_OK)
		return rc;

	text = text_argument(argv[optind + 1]);
	rc = update_edit(st, uid, text, &err);
	free(text);
	if (rc != 0)
		return cli_fail(&err);
	return check_and_print(st, pb, uid, stderr) < 0 ? WR_FAILED : WR_OK;
}

static int update_cmd_check(struct cli_context *ctx, const char *incident_id, int argc,
			    char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct playbook *pb;
	struct store *st;
	long long uid;
	long errors;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return option_problem("update", c);
	if (argc - optind != 1)
		return cli_usage_error("update check: expected exactly one UID");

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	rc = open_update(ctx, incident_id, argv[optind], STORE_READONLY, &st, &uid, NULL);
	if (rc != WR_OK)
		return rc;

	errors = check_and_print(st, pb, uid, stdout);
	return errors != 0 ? WR_FAILED : WR_OK;
}

static int update_cmd_approve(struct cli_context *ctx, const char *incident_id, int argc,
			      char **argv)
{
	static const struct option options[] = {
		{"override", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *reason = NULL;
	struct guard_finding *findings = NULL;
	struct wr_error err = {0};
	struct playbook *pb;
	struct guard *g;
	struct update *u;
	struct store *st;
	long long uid;
	size_t n = 0;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		if (c == 'o')
			reason = optarg;
		else
			return option_problem("update", c);
	}
	if (argc - optind != 1)
		return cli_usage_error("update approve: expected exactly one UID");
	if (reason && str_blank(reason))
		return cli_usage_error("update approve: the --override reason is blank; say why the guardrail errors may go out");

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	rc = open_update(ctx, incident_id, argv[optind], 0, &st, &uid, NULL);
	if (rc != WR_OK)
		return rc;
	if (!(g = load_guard(pb)))
		return WR_BAD_INPUT;

	rc = update_approve(st, pb, g, uid, reason, &err);
	if (rc != 0) {
		/* Show what the guardrails found, so the refusal can be acted on. */
		if (update_check(st, pb, g, uid, &findings, &n, &(struct wr_error){0}) == 0)
			print_findings(stderr, uid, findings, n);
		guard_findings_free(findings, n);
		guard_free(g);
		return cli_fail(&err);
	}
	guard_free(g);

	if (!(u = update_get(st, uid, &err)))
		return cli_fail(&err);
	if (u->errors_at_approval)
		printf("update %lld approved, overriding %d guardrail error%s\n", uid,
		       u->errors_at_approval, u->errors_at_approval == 1 ? "" : "s");
	else
		printf("update %lld approved\n", uid);
	update_free(u);
	return WR_OK;
}

static int update_cmd_publish(struct cli_context *ctx, const char *incident_id, int argc,
			      char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	struct settings *settings;
	struct update *u;
	struct store *st;
	long long uid;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return option_problem("update", c);
	if (argc - optind != 1)
		return cli_usage_error("update publish: expected exactly one UID");

	if (!(settings = cli_settings(ctx)))
		return WR_BAD_INPUT;
	rc = open_update(ctx, incident_id, argv[optind], 0, &st, &uid, NULL);
	if (rc != WR_OK)
		return rc;

	if (update_publish(st, settings, uid, &err) != 0)
		return cli_fail(&err);
	if (!(u = update_get(st, uid, &err)))
		return cli_fail(&err);
	if (u->publish_result && strcmp(u->publish_result, "manual") == 0)
		printf("update %lld marked published (manual): no publish command is set, "
		       "so send the text by hand\n", uid);
	else {
		printf("update %lld published (", uid);
		cli_put(stdout, u->publish_result);
		printf(")\n");
	}
	update_free(u);
	return WR_OK;
}

/* Prints the first line of S, at most LIST_TEXT_CHARS characters, made safe. */
static void put_first_line(const char *s)
{
	size_t len = strcspn(s, "\r\n"), bytes = 0;
	int chars = 0;
	char *cut;

	/* Count UTF-8 lead bytes so that a character is never split. */
	while (bytes < len) {
		if (((unsigned char)s[bytes] & 0xC0) != 0x80) {
			if (chars == LIST_TEXT_CHARS)
				break;
			chars++;
		}
		bytes++;
	}
	cut = xstrndup(s, bytes);
	cli_put(stdout, cut);
	if (bytes < strlen(s))
		fputs("...", stdout);
	free(cut);
}

/* Returns the time of the update's latest step. */
static const char *update_time(const struct update *u)
{
	if (u->published_at)
		return u->published_at;
	if (u->approved_at)
		return u->approved_at;
	return u->edited_at;
}

static void put_tsv_field(const char *s, int last)
{
	cli_put(stdout, s ? s : "");
	putchar(last ? '\n' : '\t');
}

static int update_cmd_list(struct cli_context *ctx, const char *incident_id, int argc,
			   char **argv)
{
	static const struct option options[] = {
		{"audience", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *audience = NULL;
	struct wr_error err = {0};
	struct incident *inc;
	struct update *list = NULL;
	struct playbook *pb;
	struct store *st;
	size_t n = 0;
	int c, format = FORMAT_TEXT;

	optind = 0;
	while ((c = getopt_long(argc, argv, "a:h", options, NULL)) != -1) {
		if (c == 'a')
			audience = optarg;
		else if (c == 'f') {
			if (parse_format("update list", optarg, &format) != WR_OK)
				return WR_BAD_INPUT;
		} else
			return option_problem("update", c);
	}
	if (optind != argc)
		return cli_usage_error("update list: unexpected argument \"%s\"", argv[optind]);

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	if (audience && !playbook_audience(pb, audience))
		return cli_usage_error("update list: unknown audience \"%s\"", audience);
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	if (!(inc = incident_get(st, incident_id, &err)))
		return cli_fail(&err);
	incident_free(inc);
	if (update_list(st, incident_id, audience, &list, &n, &err) != 0)
		return cli_fail(&err);

	if (format == FORMAT_TEXT && n == 0)
		printf("No updates.\n");
	else if (format == FORMAT_TEXT)
		printf("%-5s %-10s %-9s %-20s %s\n", "ID", "AUDIENCE", "STATE", "AT", "TEXT");

	for (size_t i = 0; i < n; i++) {
		const struct update *u = &list[i];
		char errors[16], *audience_safe;

		if (format == FORMAT_TSV) {
			/* id, audience, state, created, edited, approved by/at, errors overridden,
			 * override reason, published by/at, publish result, text */
			snprintf(errors, sizeof errors, "%d", u->errors_at_approval);
			printf("%lld\t", u->id);
			put_tsv_field(u->audience, 0);
			put_tsv_field(u->state, 0);
			put_tsv_field(u->created_at, 0);
			put_tsv_field(u->edited_at, 0);
			put_tsv_field(u->approved_by, 0);
			put_tsv_field(u->approved_at, 0);
			put_tsv_field(errors, 0);
			put_tsv_field(u->override_reason, 0);
			put_tsv_field(u->published_by, 0);
			put_tsv_field(u->published_at, 0);
			put_tsv_field(u->publish_result, 0);
			put_tsv_field(u->text, 1);
			continue;
		}
		audience_safe = textsafe(u->audience);
		printf("%-5lld %-10s %-9s %-20s ", u->id, audience_safe, u->state, update_time(u));
		free(audience_safe);
		put_first_line(u->text);
		putchar('\n');
	}
	update_list_free(list, n);
	return WR_OK;
}

/* Prints "LABEL VALUE" and, when BY is set, " by BY"; nothing when VALUE is NULL. */
static void show_line(const char *label, const char *value, const char *by)
{
	if (!value)
		return;
	printf("%-10s ", label);
	cli_put(stdout, value);
	if (by) {
		fputs(" by ", stdout);
		cli_put(stdout, by);
	}
	putchar('\n');
}

static int update_cmd_show(struct cli_context *ctx, const char *incident_id, int argc,
			   char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const struct pb_audience *aud;
	struct playbook *pb;
	struct update *u;
	struct store *st;
	long long uid;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return option_problem("update", c);
	if (argc - optind != 1)
		return cli_usage_error("update show: expected exactly one UID");

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	rc = open_update(ctx, incident_id, argv[optind], STORE_READONLY, &st, &uid, &u);
	if (rc != WR_OK)
		return rc;

	aud = playbook_audience(pb, u->audience);
	printf("update %lld of %s\n", u->id, u->incident_id);
	printf("%-10s ", "audience:");
	cli_put(stdout, u->audience);
	if (aud) {
		fputs(" (", stdout);
		cli_put(stdout, aud->label);
		putchar(')');
	}
	putchar('\n');
	show_line("state:", u->state, NULL);
	show_line("created:", u->created_at, u->created_by);
	show_line("edited:", u->edited_at, NULL);
	show_line("approved:", u->approved_at, u->approved_by);
	if (u->errors_at_approval) {
		printf("%-10s %d guardrail error%s: ", "override:", u->errors_at_approval,
		       u->errors_at_approval == 1 ? "" : "s");
		cli_put(stdout, u->override_reason ? u->override_reason : "");
		putchar('\n');
	}
	show_line("published:", u->published_at, u->published_by);
	show_line("result:", u->publish_result, NULL);
	putchar('\n');
	cli_put_lines(stdout, u->text);
	putchar('\n');
	update_free(u);
	return WR_OK;
}

/* One action of `warroom update ID ACTION`. */
struct update_action {
	const char *name;
	int (*run)(struct cli_context *ctx, const char *incident_id, int argc, char **argv);
};

static const struct update_action update_actions[] = {
	{"draft", update_cmd_draft},     {"edit", update_cmd_edit},
	{"check", update_cmd_check},     {"approve", update_cmd_approve},
	{"publish", update_cmd_publish}, {"list", update_cmd_list},
	{"show", update_cmd_show},
};

int cmd_update(struct cli_context *ctx, int argc, char **argv)
{
	const size_t n_actions = sizeof update_actions / sizeof update_actions[0];

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return option_problem("update", 'h');
	if (argc < 3)
		return cli_usage_error("update: missing incident ID or action; actions: draft, edit, check, approve, publish, list, show");

	/* Each action parses from its own name on, as a subcommand does. */
	for (size_t i = 0; i < n_actions; i++)
		if (strcmp(argv[2], update_actions[i].name) == 0)
			return update_actions[i].run(ctx, argv[1], argc - 2, argv + 2);
	return cli_usage_error("update: unknown action \"%s\"; use draft, edit, check, approve, publish, list or show",
			       argv[2]);
}

/*
 * Writes the severity whose cadence applies to INC into OUT: the set one,
 * else the suggested one, marked "?" in text ("sev1?"); "-" for none.
 */
static void due_severity(const struct incident *inc, int format, char out[64])
{
	if (inc->severity && *inc->severity)
		snprintf(out, 64, "%s", inc->severity);
	else if (inc->suggested_severity && *inc->suggested_severity)
		snprintf(out, 64, "%s%s", inc->suggested_severity, format == FORMAT_TEXT ? "?" : "");
	else
		snprintf(out, 64, "-");
}

/* Writes why no cadence applies to INC into OUT. */
static void due_no_cadence_reason(const struct incident *inc, struct strbuf *out)
{
	const char *sev = inc->severity && *inc->severity ? inc->severity : inc->suggested_severity;

	if (strcmp(inc->status, "resolved") == 0 || strcmp(inc->status, "closed") == 0)
		sb_addf(out, "no cadence: incident %s", inc->status);
	else if (!sev || !*sev)
		sb_add(out, "no cadence: no severity");
	else
		sb_addf(out, "no cadence at %s", sev);
}

/* Prints the cadence rows of one incident; sets *OVERDUE when any is overdue. */
static int due_print_incident(struct store *st, const struct playbook *pb,
			      const struct incident *inc, time_t now, int format, int *overdue)
{
	struct cadence_entry *entries = NULL;
	struct wr_error err = {0};
	char severity[64], due_at[21], limit_at[21];
	size_t n = 0;

	if (cadence_all(st, pb, inc->id, now, &entries, &n, &err) != 0)
		return cli_fail(&err);
	due_severity(inc, format, severity);

	for (size_t i = 0; i < n; i++) {
		const struct cadence *c = &entries[i].cadence;
		long minutes = cadence_minutes(c->seconds_left);
		struct strbuf note;

		if (c->state == CADENCE_OVERDUE)
			*overdue = 1;
		if (c->applies) {
			time_format_utc(c->due_at, due_at);
			time_format_utc(c->limit_at, limit_at);
		} else {
			strcpy(due_at, "-");
			strcpy(limit_at, "-");
		}

		if (format == FORMAT_TSV) {
			/* incident, severity, audience, state, due at, overdue after, minutes left */
			printf("%s\t%s\t%s\t%s\t%s\t%s\t", inc->id, severity, entries[i].audience->id,
			       cadence_state_name(c->state), due_at, limit_at);
			if (c->applies)
				printf("%ld\n", minutes);
			else
				printf("-\n");
			continue;
		}

		sb_init(&note);
		if (c->state == CADENCE_OK) {
			sb_add(&note, "due in ");
			report_add_duration(&note, c->seconds_left);
		} else if (c->state == CADENCE_DUE) {
			sb_add(&note, "overdue in ");
			report_add_duration(&note, c->seconds_left);
		} else if (c->state == CADENCE_OVERDUE) {
			sb_add(&note, "overdue by ");
			report_add_duration(&note, -c->seconds_left);
		} else {
			due_no_cadence_reason(inc, &note);
		}
		printf("%-14s %-5s %-10s %-8s %-20s %s\n", inc->id, severity, entries[i].audience->id,
		       cadence_state_name(c->state), due_at, note.data);
		sb_free(&note);
	}
	free(entries);
	return WR_OK;
}

int cmd_due(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct incident *list = NULL, *one = NULL;
	struct wr_error err = {0};
	struct playbook *pb;
	struct store *st;
	time_t now = clock_now();
	size_t n = 0;
	int c, format = FORMAT_TEXT, overdue = 0, status = WR_OK;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'f') {
			if (parse_format("due", optarg, &format) != WR_OK)
				return WR_BAD_INPUT;
		} else {
			return option_problem("due", c);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("due: expected at most one incident ID");

	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	if (optind < argc) {
		if (!(one = incident_get(st, argv[optind], &err)))
			return cli_fail(&err);
	} else if (incident_list(st, 0, &list, &n, &err) != 0) {
		return cli_fail(&err);
	}

	if (format == FORMAT_TEXT && !one && n == 0)
		printf("No open incidents.\n");
	else if (format == FORMAT_TEXT)
		printf("%-14s %-5s %-10s %-8s %-20s %s\n", "INCIDENT", "SEV", "AUDIENCE", "STATE",
		       "DUE AT", "NEXT");

	if (one)
		status = due_print_incident(st, pb, one, now, format, &overdue);
	for (size_t i = 0; i < n && status == WR_OK; i++)
		status = due_print_incident(st, pb, &list[i], now, format, &overdue);

	incident_free(one);
	incident_list_free(list, n);
	if (status != WR_OK)
		return status;
	return overdue ? WR_FAILED : WR_OK;
}
