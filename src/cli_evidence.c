/*
 * Subcommands for the evidence register and the timeline's integrity:
 * `evidence ID add|verify|list` and `verify ID`. A failed check prints what
 * is wrong on standard output and exits 1; bad usage exits 2.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "cli.h"
#include "evidence.h"
#include "incident.h"
#include "restricted.h"
#include "steps.h"
#include "textsafe.h"

/* How many hex digits of a SHA-256 the text list shows. */
#define SHORT_HASH 12

static const char evidence_help[] =
	"Actions:\n"
	"  add FILE...   copy each file into the evidence folder beside the database\n"
	"                and register it with its SHA-256; all files or none\n"
	"  verify        hash every stored copy again; exit 1 unless all are ok\n"
	"  list          list the register, the handoff rows from import included\n"
	"\n"
	"Options:\n"
	"  --note TEXT           (add) a note recorded with each file and on the timeline\n"
	"  --restricted          (add) need-to-know: copy into the restricted folder and\n"
	"                        keep the rows in the restricted file; the default for an\n"
	"                        incident the security mini-SOP applies to\n"
	"  --unrestricted        (add) register in the ordinary folder even so\n"
	"  --format text|tsv     (list) tsv: id, kind, sha256, size in bytes, added by,\n"
	"                        added at, original path, name, stored path, note\n";

/* Prints S escaped for the terminal, or "-" when it is NULL. */
static void put_or_dash(const char *s)
{
	cli_put(stdout, s ? s : "-");
}

/*
 * Decides whether an add is restricted: EXPLICIT is 1 for --restricted, 0
 * for --unrestricted and -1 for neither, which means restricted when the
 * security mini-SOP applies to the incident. Returns 0 or 1, or -1 after
 * printing why with the exit status in *STATUS.
 */
static int add_is_restricted(struct cli_context *ctx, struct store *st, const char *id,
			     int explicit, int *status)
{
	struct wr_error err = {0};
	struct playbook *pb;
	struct incident *inc;
	int applies;

	if (explicit >= 0)
		return explicit;
	*status = WR_FAILED;
	if (!(pb = cli_playbook(ctx)))
		return -1;
	if (!(inc = incident_get(st, id, &err))) {
		*status = cli_fail(&err);
		return -1;
	}
	applies = step_security_applies(pb, inc);
	incident_free(inc);
	return applies;
}

static int evidence_add_files(struct cli_context *ctx, struct store *st, const char *id,
			      char **files, size_t n, const char *note, int explicit)
{
	struct evidence *added;
	struct wr_error err = {0};
	size_t n_added;
	int status = WR_OK;
	int restricted = add_is_restricted(ctx, st, id, explicit, &status);
	int rc;

	if (restricted < 0)
		return status;
	if (restricted) {
		struct settings *settings = cli_settings(ctx);

		if (!settings)
			return WR_FAILED;
		rc = evidence_add_restricted(st, settings->restricted_group, id,
					     (const char *const *)files, n, note, &added, &n_added,
					     &err);
	} else {
		rc = evidence_add(st, id, (const char *const *)files, n, note, &added, &n_added,
				  &err);
	}
	if (rc != 0)
		return cli_fail(&err);
	for (size_t i = 0; i < n_added; i++) {
		cli_put(stdout, id);
		printf(": %sevidence %lld added: ", restricted ? "restricted " : "", added[i].id);
		cli_put(stdout, added[i].original_path);
		printf(" sha256 %s (%lld bytes)\n", added[i].sha256, added[i].size);
	}
	evidence_free(added, n_added);
	return WR_OK;
}

static int evidence_verify_files(struct store *st, const char *id)
{
	struct evidence_check *checks;
	struct wr_error err = {0};
	size_t n, bad = 0;

	if (evidence_verify(st, id, &checks, &n, &err) != 0)
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++) {
		const struct evidence_check *c = &checks[i];

		printf("evidence %lld ", c->item.id);
		put_or_dash(c->item.original_path);
		switch (c->state) {
		case EVIDENCE_OK:
			puts(": ok");
			break;
		case EVIDENCE_CHANGED:
			printf(": changed (expected %s got %s)\n", c->item.sha256, c->actual_sha256);
			break;
		case EVIDENCE_MISSING:
			fputs(": missing (stored as ", stdout);
			put_or_dash(c->item.stored_path);
			puts(")");
			break;
		case EVIDENCE_UNREADABLE:
			fputs(": unreadable (", stdout);
			cli_put(stdout, c->problem);
			puts(")");
			break;
		}
		bad += c->state != EVIDENCE_OK;
	}
	evidence_checks_free(checks, n);

	cli_put(stdout, id);
	if (n == 0)
		puts(": no files registered as evidence");
	else if (bad == 0)
		printf(": %zu %s, all ok\n", n, n == 1 ? "file" : "files");
	else
		printf(": %zu of %zu %s not ok\n", bad, n, n == 1 ? "file" : "files");
	return bad ? WR_FAILED : WR_OK;
}

static void list_tsv(const struct evidence *e)
{
	const char *fields[] = {e->kind, e->sha256, NULL, e->added_by, e->added_at,
				e->original_path, e->name, e->stored_path, e->note};

	printf("%lld", e->id);
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		putchar('\t');
		if (f == 2 && e->size >= 0)
			printf("%lld", e->size);
		else
			cli_put(stdout, fields[f] ? fields[f] : "");
	}
	putchar('\n');
}

/* Prints one row of the text list; every stored string is escaped for the terminal. */
static void list_text(const struct evidence *e)
{
	char *kind = textsafe(e->kind);
	char *added_by = textsafe(e->added_by);
	char *added_at = textsafe(e->added_at ? e->added_at : "-");
	char size[24];

	if (e->size >= 0)
		snprintf(size, sizeof size, "%lld", e->size);
	else
		snprintf(size, sizeof size, "-");
	printf("%-4lld %-12s %-*.*s %10s %-12s %-20s ", e->id, kind, SHORT_HASH, SHORT_HASH,
	       e->sha256 ? e->sha256 : "-", size, added_by, added_at);
	free(kind);
	free(added_by);
	free(added_at);
	put_or_dash(e->original_path ? e->original_path : e->name);
	putchar('\n');
}

static int evidence_list_rows(struct store *st, const char *id, int tsv)
{
	struct evidence *list;
	struct wr_error err = {0};
	size_t n;

	if (evidence_list(st, id, &list, &n, &err) != 0)
		return cli_fail(&err);

	/* Restricted rows keep their "[restricted]" name unless this user may read the file. */
	restricted_fill_evidence(store_path(st), id, list, n);
	if (!tsv && n == 0) {
		cli_put(stdout, id);
		puts(": no evidence");
	} else if (!tsv) {
		printf("%-4s %-12s %-*s %10s %-12s %-20s %s\n", "ID", "KIND", SHORT_HASH, "SHA256",
		       "BYTES", "ADDED BY", "ADDED AT", "SOURCE");
	}
	for (size_t i = 0; i < n; i++) {
		if (tsv)
			list_tsv(&list[i]);
		else
			list_text(&list[i]);
	}
	evidence_free(list, n);
	return WR_OK;
}

int cmd_evidence(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"note", required_argument, NULL, 'n'},
		{"format", required_argument, NULL, 'f'},
		{"restricted", no_argument, NULL, 'r'},
		{"unrestricted", no_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *note = NULL, *format = NULL, *id, *action;
	struct store *st;
	int c, restricted = -1;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'n')
			note = optarg;
		else if (c == 'f')
			format = optarg;
		else if ((c == 'r' || c == 'u') && restricted >= 0 && restricted != (c == 'r'))
			return cli_usage_error("evidence: --restricted and --unrestricted exclude each other");
		else if (c == 'r' || c == 'u')
			restricted = c == 'r';
		else
			return cli_option_problem("evidence", c, evidence_help);
	}
	if (optind + 2 > argc)
		return cli_usage_error("evidence: name the incident ID and an action: add, verify or list");
	id = argv[optind];
	action = argv[optind + 1];
	optind += 2;

	if (strcmp(action, "add") == 0) {
		if (optind >= argc)
			return cli_usage_error("evidence: add needs at least one FILE");
		if (format)
			return cli_usage_error("evidence: --format goes with list, not add");
		if (!(st = cli_store(ctx, 0)))
			return WR_FAILED;
		return evidence_add_files(ctx, st, id, argv + optind, (size_t)(argc - optind), note,
					  restricted);
	}

	if (strcmp(action, "verify") != 0 && strcmp(action, "list") != 0)
		return cli_usage_error("evidence: unknown action \"%s\"; use add, verify or list",
				       action);
	if (optind < argc)
		return cli_usage_error("evidence: %s takes no other argument, not \"%s\"", action,
				       argv[optind]);
	if (note)
		return cli_usage_error("evidence: --note goes with add, not %s", action);
	if (restricted >= 0)
		return cli_usage_error("evidence: --restricted and --unrestricted go with add, not %s",
				       action);
	if (format && strcmp(action, "list") != 0)
		return cli_usage_error("evidence: --format goes with list, not %s", action);
	if (format && strcmp(format, "text") != 0 && strcmp(format, "tsv") != 0)
		return cli_usage_error("evidence: --format must be text or tsv, not \"%s\"", format);
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	if (strcmp(action, "verify") == 0)
		return evidence_verify_files(st, id);
	return evidence_list_rows(st, id, format && strcmp(format, "tsv") == 0);
}

int cmd_verify(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct chain_report report;
	struct wr_error err = {0};
	struct store *st;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return cli_option_problem("verify", c, NULL);
	if (optind + 1 != argc)
		return cli_usage_error("verify: name one incident ID");
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	if (chain_verify(st, argv[optind], &report, &err) != 0)
		return cli_fail(&err);

	/* The message can quote a kind from the database, so it is escaped like any stored text. */
	cli_put(stdout, argv[optind]);
	fputs(": ", stdout);
	cli_put(stdout, report.message);
	putchar('\n');
	return report.status == CHAIN_OK ? WR_OK : WR_FAILED;
}
