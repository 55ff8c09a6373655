/*
 * Subcommands for the commander's lease and handovers: command (take or
 * release command), lease (show who commands) and handover (start,
 * acknowledge, show).
 *
 * A command line call ends at once, so the lease it takes belongs to its
 * parent process: the shell or script that ran warroom. That process keeps
 * command while it lives and runs `warroom command` again before the stale
 * limit, and it can release command with `warroom command ID --release`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lease.h"
#include "textsafe.h"

/* The largest handover brief read from standard input. */
#define BRIEF_MAX_BYTES (64 * 1024)

static const char command_help[] =
	"Without options, takes command of the incident for the shell or script that\n"
	"runs warroom, or renews it when that shell holds it already. The lease lasts\n"
	"while the shell lives and runs this again within the stale limit (settings:\n"
	"lease_stale_seconds, 90 s by default).\n"
	"\n"
	"Options:\n"
	"  --takeover      take command from a live commander; needs --reason\n"
	"  --reason TEXT   why, recorded on the timeline\n"
	"  --release       give up command\n";

static const char handover_help[] =
	"handover ID --to NAME starts a handover to NAME; command stays with you until\n"
	"NAME acknowledges it with `warroom handover ID ack HID`. show lists the\n"
	"handovers with their briefs, or only handover HID.\n"
	"\n"
	"Options:\n"
	"  --to NAME       the incoming commander (their display name or login name)\n"
	"  --brief TEXT    the brief for the incoming commander; - reads standard input;\n"
	"                  default: severity, status, open steps, unconfirmed hypotheses\n"
	"                  and the next status updates due, from the record\n";

/* Fills ME for a command line call: this user and host, and the parent process. */
static int command_line_holder(struct lease_holder *me)
{
	struct wr_error err = {0};

	if (lease_holder_self(me, (long)getppid(), &err) < 0)
		return cli_fail(&err);
	return -1;
}

/* Returns the stale limit from the settings, or the default when none are loaded. */
static int stale_limit(struct cli_context *ctx)
{
	struct settings *s = cli_settings(ctx);

	return s && s->lease_stale_seconds > 0 ? s->lease_stale_seconds : LEASE_STALE_SECONDS;
}

/* Prints "NAME on HOST (pid PID)" for a holder, made safe for the terminal. */
static void put_holder(const struct lease_holder *h)
{
	char *text = xasprintf("%s on %s (pid %ld)", h->name, h->host, h->pid);

	cli_put(stdout, text);
	free(text);
}

/* Prints the rejection by a live holder with what the user can do next. */
static int reject_live_holder(const char *id, const struct wr_error *err)
{
	char *safe_id = textsafe(id);

	cli_fail(err);
	if (cli_find("view"))
		fprintf(stderr, "warroom: open it read-only with `warroom view %s`, or take command "
			"with `warroom command %s --takeover --reason TEXT`\n", safe_id, safe_id);
	else
		fprintf(stderr, "warroom: take command with `warroom command %s --takeover --reason "
			"TEXT`\n", safe_id);
	free(safe_id);
	return err->status;
}

/* Takes command for the command line holder and prints how. */
static int command_take(struct cli_context *ctx, const char *id, int takeover, const char *reason)
{
	struct wr_error err = {0};
	struct lease_holder me;
	struct lease found;
	struct store *st;
	int status;

	if ((status = command_line_holder(&me)) >= 0)
		return status;
	if (!(st = cli_store(ctx, 0)))
		return WR_FAILED;
	if (lease_acquire(st, id, &me, stale_limit(ctx), takeover, reason, &found, &err) < 0) {
		if (err.status == WR_FAILED && found.held && !found.stale && !takeover)
			return reject_live_holder(id, &err);
		return cli_fail(&err);
	}

	cli_put_id(id);
	if (found.held && lease_holder_same(&found.holder, &me)) {
		fputs("command renewed for ", stdout);
		put_holder(&me);
	} else {
		fputs("command taken by ", stdout);
		put_holder(&me);
		if (found.held) {
			fputs(found.stale ? " from a stale lease of " : " over from ", stdout);
			put_holder(&found.holder);
		}
	}
	putchar('\n');
	return WR_OK;
}

int cmd_command(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"takeover", no_argument, NULL, 't'},
		{"reason", required_argument, NULL, 'r'},
		{"release", no_argument, NULL, 'x'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	struct lease_holder me;
	struct store *st;
	const char *reason = NULL;
	int c, takeover = 0, release = 0, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 't')
			takeover = 1;
		else if (c == 'r')
			reason = optarg;
		else if (c == 'x')
			release = 1;
		else
			return cli_option_problem("command", c, command_help);
	}
	if (optind + 1 != argc)
		return cli_usage_error("command: name one incident ID");
	if (release && (takeover || reason))
		return cli_usage_error("command: --release takes no --takeover or --reason");
	if (reason && !takeover)
		return cli_usage_error("command: --reason goes with --takeover");
	if (takeover && str_blank(reason))
		return cli_usage_error("command: --takeover needs --reason TEXT for the timeline");

	if (!release)
		return command_take(ctx, argv[optind], takeover, reason);

	if ((status = command_line_holder(&me)) >= 0)
		return status;
	if (!(st = cli_store(ctx, 0)))
		return WR_FAILED;
	if (lease_release(st, argv[optind], &me, &err) < 0)
		return cli_fail(&err);
	cli_put_id(argv[optind]);
	puts("command released");
	return WR_OK;
}

int cmd_lease(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	struct lease lease;
	struct store *st;
	char taken[21], seen[21];
	int c, limit;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return cli_option_problem("lease", c, "");
	if (optind + 1 != argc)
		return cli_usage_error("lease: name one incident ID");
	limit = stale_limit(ctx);
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	if (lease_get(st, argv[optind], limit, &lease, &err) < 0)
		return cli_fail(&err);

	cli_put_id(argv[optind]);
	if (!lease.held) {
		puts("nobody commands it");
		return WR_OK;
	}
	fputs("commanded by ", stdout);
	put_holder(&lease.holder);
	time_format_utc(lease.taken_at, taken);
	time_format_utc(lease.heartbeat_at, seen);
	printf("\n  since: %s\n  last heartbeat: %s (%ld s ago)\n  state: ", taken, seen, lease.age);
	if (lease.pid_gone)
		puts("stale: its process has ended");
	else if (lease.stale)
		printf("stale: no heartbeat for over %d s\n", limit);
	else
		puts("live");
	return WR_OK;
}

/* Reads the brief from standard input into *OUT; an exit status, or -1 to go on. */
static int read_brief(char **out)
{
	struct strbuf sb;
	char chunk[4096];
	size_t n;

	sb_init(&sb);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
		if (memchr(chunk, '\0', n)) {
			sb_free(&sb);
			return cli_usage_error("handover: the brief on standard input contains a NUL "
					       "byte; give text");
		}
		sb_addn(&sb, chunk, n);
		if (sb.len > BRIEF_MAX_BYTES) {
			sb_free(&sb);
			return cli_usage_error("handover: the brief on standard input is longer than %d "
					       "bytes; shorten it", BRIEF_MAX_BYTES);
		}
	}
	if (ferror(stdin)) {
		sb_free(&sb);
		return cli_usage_error("handover: cannot read the brief from standard input: %s",
				       strerror(errno));
	}
	*out = sb_take(&sb);
	return -1;
}

/* Prints TEXT's lines, each indented by two spaces and made safe for the terminal. */
static void put_indented(const char *text)
{
	const char *line = text;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *copy = xstrndup(line, len);

		fputs("  ", stdout);
		cli_put(stdout, copy);
		putchar('\n');
		free(copy);
		line += len + (end ? 1 : 0);
	}
}

static void put_handover(const struct handover *h, int with_brief)
{
	char *text = xasprintf("handover %lld: %s → %s, started %s, %s", h->id, h->from_holder,
			       h->to_holder, h->created_at, h->state);

	cli_put(stdout, text);
	free(text);
	if (h->acknowledged_at) {
		fputs(" at ", stdout);
		cli_put(stdout, h->acknowledged_at);
	}
	putchar('\n');
	if (with_brief)
		put_indented(h->brief);
}

/* Parses a handover number; -1 after reporting a bad one. */
static int parse_handover_id(const char *text, long long *out)
{
	char *end;
	long long value;

	errno = 0;
	value = strtoll(text, &end, 10);
	if (errno || end == text || *end || value <= 0) {
		cli_usage_error("handover: \"%s\" is not a handover number; `warroom handover ID show` "
				"lists them", text);
		return -1;
	}
	*out = value;
	return 0;
}

static int handover_show(struct cli_context *ctx, const char *id, const char *hid_text)
{
	struct wr_error err = {0};
	struct handover *list;
	struct store *st;
	long long hid = 0;
	size_t n, shown = 0;

	if (hid_text && parse_handover_id(hid_text, &hid) < 0)
		return WR_BAD_INPUT;
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	if (handover_list(st, id, &list, &n, &err) < 0)
		return cli_fail(&err);

	for (size_t i = 0; i < n; i++) {
		if (hid && list[i].id != hid)
			continue;
		put_handover(&list[i], 1);
		shown++;
	}
	handover_list_free(list, n);
	if (hid && !shown) {
		error_set(&err, WR_BAD_INPUT, "handover %lld not found on %s", hid, id);
		return cli_fail(&err);
	}
	if (!shown) {
		cli_put_id(id);
		puts("no handovers");
	}
	return WR_OK;
}

static int handover_ack(struct cli_context *ctx, const char *id, const char *hid_text)
{
	struct wr_error err = {0};
	struct lease_holder me;
	struct store *st;
	long long hid;
	int status;

	if (parse_handover_id(hid_text, &hid) < 0)
		return WR_BAD_INPUT;
	if ((status = command_line_holder(&me)) >= 0)
		return status;
	if (!(st = cli_store(ctx, 0)))
		return WR_FAILED;
	if (handover_acknowledge(st, id, hid, &me, &err) < 0)
		return cli_fail(&err);
	cli_put_id(id);
	printf("handover %lld acknowledged; command passed to ", hid);
	put_holder(&me);
	putchar('\n');
	return WR_OK;
}

static int handover_begin(struct cli_context *ctx, const char *id, const char *to,
			  const char *brief_arg)
{
	struct wr_error err = {0};
	struct lease_holder me;
	struct handover *list;
	struct playbook *pb;
	struct store *st;
	char *brief = NULL;
	long long hid;
	size_t n;
	int status;

	if ((status = command_line_holder(&me)) >= 0)
		return status;
	if (brief_arg && strcmp(brief_arg, "-") == 0 && (status = read_brief(&brief)) >= 0)
		return status;
	if (brief_arg && !brief)
		brief = xstrdup(brief_arg);
	if (!(pb = cli_playbook(ctx))) {
		free(brief);
		return WR_BAD_INPUT;
	}
	if (!(st = cli_store(ctx, 0))) {
		free(brief);
		return WR_FAILED;
	}
	status = handover_start(st, pb, id, &me, to, brief, &hid, &err);
	free(brief);
	if (status < 0)
		return cli_fail(&err);

	cli_put_id(id);
	printf("handover %lld started; command stays with you until ", hid);
	cli_put(stdout, to);
	printf(" runs `warroom handover ");
	cli_put(stdout, id);
	printf(" ack %lld`\n", hid);
	if (handover_list(st, id, &list, &n, &err) == 0 && n > 0) {
		put_indented(list[n - 1].brief);
		handover_list_free(list, n);
	}
	return WR_OK;
}

int cmd_handover(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"to", required_argument, NULL, 't'},
		{"brief", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *to = NULL, *brief = NULL, *id, *action;
	int c, nargs;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 't')
			to = optarg;
		else if (c == 'b')
			brief = optarg;
		else
			return cli_option_problem("handover", c, handover_help);
	}
	nargs = argc - optind;
	if (nargs < 1)
		return cli_usage_error("handover: name the incident ID");
	id = argv[optind];

	if (nargs == 1) {
		if (!to)
			return cli_usage_error("handover: name the incoming commander with --to NAME, "
					       "or give an action: ack HID, show [HID]");
		return handover_begin(ctx, id, to, brief);
	}

	action = argv[optind + 1];
	if (to || brief)
		return cli_usage_error("handover: --to and --brief start a handover; %s takes neither",
				       action);
	if (strcmp(action, "ack") == 0) {
		if (nargs != 3)
			return cli_usage_error("handover: ack takes the handover number HID");
		return handover_ack(ctx, id, argv[optind + 2]);
	}
	if (strcmp(action, "show") == 0) {
		if (nargs > 3)
			return cli_usage_error("handover: show takes at most one handover number HID");
		return handover_show(ctx, id, nargs == 3 ? argv[optind + 2] : NULL);
	}
	return cli_usage_error("handover: unknown action \"%s\"; one of: ack, show", action);
}
