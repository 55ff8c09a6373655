/*
 * warroom's entry point: global options, the table of subcommands, and the
 * lazily loaded playbook, settings and store that subcommands share. With
 * no subcommand it opens the console on the incident list.
 */
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "textsafe.h"

/*
 * Every subcommand, in the order --help lists them. The usage lines are
 * also what `warroom COMMAND --help` and `warroom help COMMAND` print; a
 * test checks that the man page has an entry for each name.
 */
static const struct cli_command commands[] = {
	{"import", "import [--dry-run] FILE...",
	 "Import dashboard handoffs (JSON object or array; - reads standard input)", cmd_import},
	{"new", "new --summary TEXT [--product P] [--channel C]... [--priority P0-P3]",
	 "Open an incident by hand", cmd_new},
	{"open", "open ID", "Open the console on an incident", cmd_open},
	{"view", "view [ID]",
	 "Follow an incident, or the incident list, read-only as an observer", cmd_view},
	{"list", "list [--all] [--format text|tsv]",
	 "List open incidents (all with --all)", cmd_list},
	{"show", "show ID [--format text|json]", "Show an incident's record", cmd_show},
	{"log", "log ID [--format text|tsv]", "Show an incident's timeline, oldest first", cmd_log},
	{"note", "note ID [--restricted] TEXT", "Add a note to an incident's timeline", cmd_note},
	{"evidence", "evidence ID add FILE... [--note TEXT] [--restricted|--unrestricted] | "
	 "evidence ID verify | "
	 "evidence ID list [--format text|tsv]",
	 "Register evidence files with their SHA-256, check the stored copies, or list them",
	 cmd_evidence},
	{"verify", "verify ID",
	 "Check an incident's timeline against its hash chain; exit 1 when an event was altered or removed",
	 cmd_verify},
	{"demo", "demo [--data DIR] [--reset]",
	 "Create the demo database from the bundled handoffs and open it", cmd_demo},
	{"playbook", "playbook check [FILE] | playbook path",
	 "Validate a playbook, or print which file is in use", cmd_playbook},
	{"update", "update ID draft|edit|check|approve|publish|list|show [ARGS]",
	 "Draft, check, approve and publish status updates to an audience", cmd_update},
	{"due", "due [ID] [--format text|tsv]",
	 "Show when the next status update to each audience is due; exit 1 when one is overdue",
	 cmd_due},
	{"classify", "classify ID [--category C] [--scope S] [--reason TEXT]",
	 "Step 1: set an incident's category and scope", cmd_classify},
	{"severity", "severity ID SEV [--reason TEXT]",
	 "Step 2: set the severity; one other than the suggested needs a reason", cmd_severity},
	{"record", "record ID [--started TIME] [--detection-source S] [--service NAME]... "
	 "[--remove-service NAME]... [--metric TEXT]... [--commander NAME]",
	 "Step 3: fill in the incident record", cmd_record},
	{"hypothesis", "hypothesis ID add [--restricted] TEXT | "
	 "hypothesis ID confirm|reject HID [--note TEXT] | "
	 "hypothesis ID list", "Step 3: add, confirm, reject or list hypotheses", cmd_hypothesis},
	{"check", "check ID ITEM [--list triage|resolve|security] [--na] [--note TEXT] [--clear]",
	 "Steps 4 and 6: mark a checklist item done or not applicable", cmd_check},
	{"checklist", "checklist ID", "Show every checklist of an incident with its marks",
	 cmd_checklist},
	{"impact", "impact ID --what TEXT --who TEXT --since TIME --status STATUS",
	 "Step 5: record the customer impact statement", cmd_impact},
	{"validate", "validate ID monitoring|journeys --note TEXT",
	 "Step 6: record a validation that resolving requires", cmd_validate},
	{"journeys", "journeys ID",
	 "Show the key customer journeys to validate for an incident's product", cmd_journeys},
	{"mitigate", "mitigate ID [--at TIME] [--note TEXT]", "Mark an incident mitigated", cmd_mitigate},
	{"resolve", "resolve ID [--at TIME] [--note TEXT]",
	 "Step 6: resolve an incident once every validation is recorded", cmd_resolve},
	{"close", "close ID [--reason TEXT]", "Close a resolved incident once its review is done", cmd_close},
	{"reopen", "reopen ID --reason TEXT", "Reopen a resolved or closed incident", cmd_reopen},
	{"window", "window ID --from TIME [--to TIME] --types T[,T]... [--confirmed] | "
	 "window ID end WID --to TIME | window ID confirm WID | window ID list",
	 "Record payment failure windows for Finance", cmd_window},
	{"rootcause", "rootcause ID TEXT", "Step 7: record the root cause", cmd_rootcause},
	{"action", "action ID add --kind corrective|prevention --owner NAME --due YYYY-MM-DD TEXT | "
	 "action ID done AID | action ID list",
	 "Step 7: corrective actions and prevention tasks", cmd_action},
	{"approve", "approve ID vendor-blame|root-cause --by NAME [--note TEXT]",
	 "Record a management approval", cmd_approve},
	{"decision", "decision ID TEXT", "Record a decision", cmd_decision},
	{"status", "status ID", "Show which of the seven steps are complete", cmd_status},
	{"handoff", "handoff ID --audience cs|product|marketing|finance|management [--include-restricted]",
	 "Print the handoff packet an audience receives: approved and confirmed facts only",
	 cmd_handoff},
	{"brief", "brief ID",
	 "Print the brief: missing details, logging, containment, a Customer Service draft, "
	 "escalation", cmd_brief},
	{"export", "export ID [--output FILE] [--include-restricted]",
	 "Write the post-incident review in Markdown to standard output or FILE (mode 0600)",
	 cmd_export},
	{"lint", "lint [--audience ID] [--incident ID] [--format text|tsv] [--rules] [FILE|-]...",
	 "Check status-update text against the guardrails; exit 1 on errors", cmd_lint},
	{"command", "command ID [--takeover --reason TEXT] [--release]",
	 "Take, renew or release command of an incident; print who holds it", cmd_command},
	{"lease", "lease ID",
	 "Show who commands an incident, since when, the last heartbeat, live or stale", cmd_lease},
	{"handover", "handover ID --to NAME [--brief TEXT|-] | handover ID ack HID | "
	 "handover ID show [HID]",
	 "Hand command to another commander with a brief; command moves on ack", cmd_handover},
};

static const size_t n_commands = sizeof commands / sizeof commands[0];

const struct cli_command *cli_find(const char *name)
{
	for (size_t i = 0; i < n_commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void cli_print_usage(const struct cli_command *cmd, FILE *out)
{
	fprintf(out, "usage: warroom [GLOBAL OPTIONS] %s\n\n%s.\n", cmd->usage, cmd->summary);
}

int cli_option_problem(const char *name, int c, const char *options_help)
{
	if (c == 'h') {
		cli_print_usage(cli_find(name), stdout);
		if (options_help && *options_help)
			printf("\n%s", options_help);
		return WR_OK;
	}
	fprintf(stderr, "Try 'warroom %s --help'.\n", name);
	return WR_BAD_INPUT;
}

static void print_help(FILE *out)
{
	fprintf(out,
		"usage: warroom [GLOBAL OPTIONS] [COMMAND [ARGS]]\n"
		"\n"
		"Run a bank IT incident from first report to post-incident review.\n"
		"With no command, open the console on the incident list.\n"
		"\n"
		"Global options:\n"
		"  --db PATH          incident database (default: $WARROOM_DB, the settings'\n"
		"                     database, or $XDG_DATA_HOME/warroom/warroom.db)\n"
		"  --playbook PATH    playbook file (default: $WARROOM_PLAYBOOK, then the\n"
		"                     user's and the system's config folders, then the\n"
		"                     installed default)\n"
		"  --settings PATH    settings file (default: $WARROOM_SETTINGS, then the\n"
		"                     user's and the system's config folders)\n"
		"  -h, --help         show this help; `warroom COMMAND --help` for a command\n"
		"  -V, --version      show the version\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < n_commands; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"Exit status: 0 success, 1 a failed check or refused change, 2 bad usage or input.\n");
}

int cli_fail(const struct wr_error *err)
{
	char *safe = textsafe(err->message);

	fprintf(stderr, "warroom: %s\n", safe);
	free(safe);
	return err->status ? err->status : WR_FAILED;
}

int cli_usage_error(const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	char *safe;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	safe = textsafe(sb.data);
	fprintf(stderr, "warroom: %s\n", safe);
	free(safe);
	sb_free(&sb);
	return WR_BAD_INPUT;
}

void cli_put(FILE *out, const char *s)
{
	char *safe = textsafe(s);

	fputs(safe, out);
	free(safe);
}

void cli_put_id(const char *id)
{
	cli_put(stdout, id);
	fputs(": ", stdout);
}

void cli_put_lines(FILE *out, const char *s)
{
	char *safe = textsafe_escape(s, strlen(s), 1);

	fputs(safe, out);
	free(safe);
}

struct settings *cli_settings(struct cli_context *ctx)
{
	struct strbuf problems;
	struct wr_error err = {0};

	if (ctx->settings)
		return ctx->settings;
	sb_init(&problems);
	ctx->settings = settings_load(ctx->settings_path, &problems, &err);
	if (!ctx->settings) {
		if (problems.len)
			cli_put_lines(stderr, problems.data);
		else
			cli_fail(&err);
	}
	sb_free(&problems);
	return ctx->settings;
}

struct playbook *cli_playbook(struct cli_context *ctx)
{
	struct strbuf problems;
	struct wr_error err = {0};
	struct settings *settings;
	char *path;

	if (ctx->playbook)
		return ctx->playbook;
	settings = cli_settings(ctx);
	if (!settings)
		return NULL;
	path = playbook_find(ctx->playbook_path, &err);
	if (!path) {
		cli_fail(&err);
		return NULL;
	}

	sb_init(&problems);
	ctx->playbook = playbook_load(path, &problems, &err);
	if (ctx->playbook)
		settings_apply_cadence(settings, ctx->playbook, &problems);
	if (problems.len) {
		cli_put_lines(stderr, problems.data);
		playbook_free(ctx->playbook);
		ctx->playbook = NULL;
	}
	sb_free(&problems);
	free(path);
	return ctx->playbook;
}

char *cli_db_path(struct cli_context *ctx)
{
	const char *env = getenv("WARROOM_DB");
	struct settings *settings;

	if (ctx->db_path)
		return xstrdup(ctx->db_path);
	if (env && *env)
		return xstrdup(env);
	settings = cli_settings(ctx);
	if (settings && settings->database)
		return xstrdup(settings->database);
	return store_default_path();
}

struct store *cli_store(struct cli_context *ctx, int flags)
{
	struct wr_error err = {0};
	char *path;

	if (ctx->store)
		return ctx->store;
	path = cli_db_path(ctx);
	ctx->store = store_open(path, flags, &err);
	if (!ctx->store)
		cli_fail(&err);
	free(path);
	return ctx->store;
}

static void context_free(struct cli_context *ctx)
{
	if (ctx->store)
		store_close(ctx->store);
	if (ctx->playbook)
		playbook_free(ctx->playbook);
	if (ctx->settings)
		settings_free(ctx->settings);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},
		{"playbook", required_argument, NULL, 'p'},
		{"settings", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct cli_context ctx = {0};
	const struct cli_command *cmd;
	int c, status;

	setlocale(LC_ALL, "");

	/* "+" stops at the first non-option, so each subcommand parses its own options. */
	while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx.db_path = optarg;
			break;
		case 'p':
			ctx.playbook_path = optarg;
			break;
		case 's':
			ctx.settings_path = optarg;
			break;
		case 'h':
			print_help(stdout);
			return WR_OK;
		case 'V':
			printf("warroom %s\n", PACKAGE_VERSION);
			return WR_OK;
		default:
			fprintf(stderr, "Try 'warroom --help'.\n");
			return WR_BAD_INPUT;
		}
	}

	if (optind >= argc) {
		status = cli_console(&ctx, NULL);
		context_free(&ctx);
		return status;
	}

	if (strcmp(argv[optind], "help") == 0) {
		if (optind + 1 < argc && (cmd = cli_find(argv[optind + 1]))) {
			cli_print_usage(cmd, stdout);
			return WR_OK;
		}
		print_help(stdout);
		return WR_OK;
	}

	cmd = cli_find(argv[optind]);
	if (!cmd) {
		status = cli_usage_error("unknown command \"%s\"; see 'warroom --help'", argv[optind]);
		return status;
	}

	/* A settings file with problems stops every command, so no change lands in the wrong database. */
	if (!cli_settings(&ctx))
		return WR_BAD_INPUT;
	settings_apply_actor(ctx.settings);
	/* A playbook named with --playbook is read even by commands that need none, so a broken one never passes. */
	if (ctx.playbook_path && strcmp(cmd->name, "playbook") != 0 && !cli_playbook(&ctx)) {
		context_free(&ctx);
		return WR_BAD_INPUT;
	}

	/* Each handler sees its own name as argv[0] and parses from there with getopt. */
	argc -= optind;
	argv += optind;
	optind = 0;
	status = cmd->run(&ctx, argc, argv);
	context_free(&ctx);
	return status;
}
