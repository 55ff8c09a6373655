/*
 * Subcommands for the seven steps of the playbook: classify, severity,
 * record, hypothesis, check, checklist, impact, validate, journeys,
 * mitigate, resolve, close, reopen, window, rootcause, action, approve,
 * decision and status. Each parses its arguments, calls one operation of
 * steps.h and prints a short confirmation on standard output. A rejected
 * change prints the reason on standard error and exits 1 (2 for bad usage).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "incident.h"
#include "restricted.h"
#include "steps.h"

/* Parses a positive row id (hypothesis, window, action); -1 after reporting a bad one. */
static int parse_row_id(const char *command, const char *what, const char *text, long long *out)
{
	char *end;
	long long value;

	errno = 0;
	value = strtoll(text, &end, 10);
	if (errno || end == text || *end || value <= 0) {
		cli_usage_error("%s: %s \"%s\" is not a number; `warroom %s ID list` shows them",
				command, what, text, command);
		return -1;
	}
	*out = value;
	return 0;
}

/* Opens the playbook (when PB is not NULL) and the store for writing; an exit status, or -1 to go on. */
static int open_write(struct cli_context *ctx, struct playbook **pb, struct store **st)
{
	if (pb && !(*pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	if (!(*st = cli_store(ctx, 0)))
		return WR_FAILED;
	return -1;
}

/* The same, read-only. */
static int open_read(struct cli_context *ctx, struct playbook **pb, struct store **st)
{
	if (pb && !(*pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	if (!(*st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	return -1;
}

/* Prints "LABEL: VALUE" on a line, "(none)" for a blank value. */
static void put_line(const char *label, const char *value)
{
	printf("  %s: ", label);
	cli_put(stdout, str_blank(value) ? "(none)" : value);
	putchar('\n');
}

static void put_list_line(const char *label, const struct strlist *list)
{
	printf("  %s: ", label);
	if (list->len == 0)
		fputs("(none)", stdout);
	for (size_t i = 0; i < list->len; i++) {
		if (i)
			fputs(", ", stdout);
		cli_put(stdout, list->items[i]);
	}
	putchar('\n');
}

static const char classify_help[] =
	"Options:\n"
	"  --category C    one of the playbook's categories: outage, degradation, bug,\n"
	"                  security, third_party\n"
	"  --scope S       one of the playbook's scopes: single_customer, segment, global\n"
	"  --reason TEXT   why, recorded on the timeline\n";

int cmd_classify(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"category", required_argument, NULL, 'c'},
		{"scope", required_argument, NULL, 's'},
		{"reason", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *category = NULL, *scope = NULL, *reason = NULL;
	struct wr_error err = {0};
	struct playbook *pb;
	struct incident *inc;
	struct store *st;
	int c, changed, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'c')
			category = optarg;
		else if (c == 's')
			scope = optarg;
		else if (c == 'r')
			reason = optarg;
		else
			return cli_option_problem("classify", c, classify_help);
	}
	if (optind + 1 != argc)
		return cli_usage_error("classify: name one incident ID");
	if (!category && !scope)
		return cli_usage_error("classify: give --category, --scope or both");
	if ((status = open_write(ctx, &pb, &st)) >= 0)
		return status;

	if (step_classify(st, pb, argv[optind], category, scope, reason, &changed, &err) < 0)
		return cli_fail(&err);
	if (!(inc = incident_get(st, argv[optind], &err)))
		return cli_fail(&err);
	cli_put_id(inc->id);
	printf("%scategory ", changed ? "" : "unchanged, ");
	cli_put(stdout, inc->category ? inc->category : "(none)");
	fputs(", scope ", stdout);
	cli_put(stdout, inc->scope ? inc->scope : "(none)");
	putchar('\n');
	incident_free(inc);
	return WR_OK;
}

static const char severity_help[] =
	"SEV is a playbook severity id (sev0 to sev3), its label (\"Sev 1\") or its number\n"
	"alone (1); case, spaces and dashes do not matter.\n"
	"\n"
	"Options:\n"
	"  --reason TEXT   why; required when SEV differs from the suggested severity\n";

int cmd_severity(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"reason", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *reason = NULL;
	struct wr_error err = {0};
	struct playbook *pb;
	struct incident *inc;
	struct store *st;
	int c, changed, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'r')
			reason = optarg;
		else
			return cli_option_problem("severity", c, severity_help);
	}
	if (optind + 2 != argc)
		return cli_usage_error("severity: name the incident ID and the severity SEV");
	if ((status = open_write(ctx, &pb, &st)) >= 0)
		return status;

	if (step_set_severity(st, pb, argv[optind], argv[optind + 1], reason, &changed, &err) < 0) {
		status = cli_fail(&err);
		if (!reason && strstr(err.message, "reason for the override"))
			fputs("Give it with --reason TEXT.\n", stderr);
		return status;
	}
	if (!(inc = incident_get(st, argv[optind], &err)))
		return cli_fail(&err);
	cli_put_id(inc->id);
	if (changed)
		printf("severity %s", inc->severity);
	else
		printf("severity is already %s; nothing changed", inc->severity);
	if (changed && inc->suggested_severity)
		printf(" (suggested %s)", inc->suggested_severity);
	putchar('\n');
	incident_free(inc);
	return WR_OK;
}

static const char record_help[] =
	"Options:\n"
	"  --started TIME            when the incident started (ISO 8601; stored in UTC)\n"
	"  --detection-source S      how it was detected: monitoring, a customer report...\n"
	"  --service NAME            add an impacted service (repeatable)\n"
	"  --remove-service NAME     remove an impacted service (repeatable)\n"
	"  --metric TEXT             add an impacted metric (repeatable)\n"
	"  --commander NAME          the incident commander\n";

/* Appends S to the growable array *LIST of *N strings. */
static void push_arg(const char ***list, size_t *n, const char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = s;
}

static void print_record(const struct incident *inc, int changed)
{
	cli_put_id(inc->id);
	puts(changed ? "record updated" : "record unchanged");
	put_line("start time", inc->started_at);
	put_line("detection source", inc->detection_source);
	put_list_line("impacted services", &inc->impacted_services);
	put_list_line("impacted metrics", &inc->metrics);
	put_line("commander", inc->commander);
}

int cmd_record(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"started", required_argument, NULL, 's'},
		{"detection-source", required_argument, NULL, 'd'},
		{"service", required_argument, NULL, 'a'},
		{"remove-service", required_argument, NULL, 'r'},
		{"metric", required_argument, NULL, 'm'},
		{"commander", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char **add = NULL, **remove = NULL, **metrics = NULL;
	struct record_fields fields = {0};
	struct wr_error err = {0};
	struct playbook *pb;
	struct incident *inc;
	struct store *st;
	int c, changed = 0, any_option = 0, status = -1, rc;

	while (status < 0 && (c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		any_option = 1;
		switch (c) {
		case 's':
			fields.started_at = optarg;
			break;
		case 'd':
			fields.detection_source = optarg;
			break;
		case 'a':
			push_arg(&add, &fields.n_add_services, optarg);
			break;
		case 'r':
			push_arg(&remove, &fields.n_remove_services, optarg);
			break;
		case 'm':
			push_arg(&metrics, &fields.n_add_metrics, optarg);
			break;
		case 'c':
			fields.commander = optarg;
			break;
		default:
			status = cli_option_problem("record", c, record_help);
			break;
		}
	}
	if (status < 0 && optind + 1 != argc)
		status = cli_usage_error("record: name one incident ID");
	else if (status < 0 && !any_option)
		status = cli_usage_error("record: give at least one option; see 'warroom record --help'");
	if (status < 0)
		status = open_write(ctx, &pb, &st);
	if (status >= 0)
		goto out;

	fields.add_services = add;
	fields.remove_services = remove;
	fields.add_metrics = metrics;
	rc = step_record(st, pb, argv[optind], &fields, &changed, &err);
	if (rc < 0 || !(inc = incident_get(st, argv[optind], &err))) {
		status = cli_fail(&err);
		goto out;
	}
	print_record(inc, changed);
	incident_free(inc);
	status = WR_OK;

out:
	free(add);
	free(remove);
	free(metrics);
	return status;
}

static const char hypothesis_help[] =
	"Actions:\n"
	"  add TEXT        add a hypothesis, marked unconfirmed\n"
	"                  (--restricted: keep TEXT in the restricted file, need-to-know)\n"
	"  confirm HID     confirm hypothesis HID; a decision is final\n"
	"  reject HID      reject hypothesis HID; a decision is final\n"
	"  list            list the hypotheses with their status\n"
	"\n"
	"Options:\n"
	"  --note TEXT     with confirm or reject: what decided it\n";

static int hypothesis_print(struct store *st, const char *id)
{
	struct wr_error err = {0};
	struct hypothesis *list;
	size_t n;

	if (hypothesis_list(st, id, &list, &n, &err) < 0)
		return cli_fail(&err);
	restricted_fill_hypotheses(store_path(st), id, list, n);
	if (n == 0)
		puts("No hypotheses.");
	for (size_t i = 0; i < n; i++) {
		printf("%lld  %-11s  ", list[i].id, list[i].status);
		cli_put(stdout, list[i].text);
		putchar('\n');
		if (list[i].decided_by) {
			fputs("    by ", stdout);
			cli_put(stdout, list[i].decided_by);
			printf(" at %s", list[i].decided_at ? list[i].decided_at : "?");
			if (list[i].note) {
				fputs(": ", stdout);
				cli_put(stdout, list[i].note);
			}
			putchar('\n');
		}
	}
	hypothesis_list_free(list, n);
	return WR_OK;
}

int cmd_hypothesis(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"note", required_argument, NULL, 'n'},
		{"restricted", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	const char *note = NULL, *id, *action;
	struct store *st;
	long long hid;
	int c, status, nargs, restricted = 0;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'n')
			note = optarg;
		else if (c == 'r')
			restricted = 1;
		else
			return cli_option_problem("hypothesis", c, hypothesis_help);
	}
	nargs = argc - optind;
	if (nargs < 2)
		return cli_usage_error("hypothesis: name the incident ID and an action: add, confirm, "
				       "reject or list");
	id = argv[optind];
	action = argv[optind + 1];

	if (restricted && strcmp(action, "add") != 0)
		return cli_usage_error("hypothesis: --restricted goes with add");
	if (strcmp(action, "list") == 0) {
		if (nargs != 2)
			return cli_usage_error("hypothesis: list takes no further arguments");
		if ((status = open_read(ctx, NULL, &st)) >= 0)
			return status;
		return hypothesis_print(st, id);
	}
	if (strcmp(action, "add") == 0) {
		if (nargs != 3)
			return cli_usage_error("hypothesis: add takes one TEXT (quote it)");
		if (note)
			return cli_usage_error("hypothesis: --note goes with confirm or reject");
		if ((status = open_write(ctx, NULL, &st)) >= 0)
			return status;
		if (restricted) {
			struct settings *settings = cli_settings(ctx);

			if (!settings)
				return WR_FAILED;
			if (restricted_hypothesis_add(st, settings->restricted_group, id,
						      argv[optind + 2], &hid, &err) < 0)
				return cli_fail(&err);
		} else if (hypothesis_add(st, id, argv[optind + 2], &hid, &err) < 0) {
			return cli_fail(&err);
		}
		cli_put_id(id);
		printf("hypothesis %lld added (unconfirmed)\n", hid);
		return WR_OK;
	}
	if (strcmp(action, "confirm") == 0 || strcmp(action, "reject") == 0) {
		const char *decision = action[0] == 'c' ? "confirmed" : "rejected";

		if (nargs != 3)
			return cli_usage_error("hypothesis: %s takes the hypothesis number HID", action);
		if (parse_row_id("hypothesis", "hypothesis", argv[optind + 2], &hid) < 0)
			return WR_BAD_INPUT;
		if ((status = open_write(ctx, NULL, &st)) >= 0)
			return status;
		if (hypothesis_decide(st, id, hid, decision, note, &err) < 0)
			return cli_fail(&err);
		cli_put_id(id);
		printf("hypothesis %lld %s\n", hid, decision);
		return WR_OK;
	}
	return cli_usage_error("hypothesis: unknown action \"%s\"; one of: add, confirm, reject, list",
			       action);
}

static const char check_help[] =
	"ITEM is an item id of a checklist: triage (step 4), resolve (step 6) or the\n"
	"security mini-SOP; `warroom checklist ID` lists them with their marks.\n"
	"\n"
	"Options:\n"
	"  --list L        the checklist, when ITEM is on more than one: triage, resolve,\n"
	"                  security\n"
	"  --na            mark the item not applicable (needs --note)\n"
	"  --note TEXT     why, or what was seen\n"
	"  --clear         remove the item's mark (a correction, kept on the timeline)\n";

/* Finds the checklist that contains ITEM; sets *LIST, or reports none or several and returns -1. */
static int check_find_list(const struct playbook *pb, const char *item, const char **list)
{
	const char *found[16];
	size_t n_found = 0;
	struct strbuf sb;

	for (size_t i = 0; i <= pb->n_steps && n_found < 16; i++) {
		const char *name = i < pb->n_steps ? pb->steps[i].id : "security";
		const struct pb_item *items;
		size_t n;

		items = checklist_items(pb, name, &n);
		for (size_t j = 0; items && j < n; j++)
			if (strcmp(items[j].id, item) == 0)
				found[n_found++] = name;
	}
	if (n_found == 1) {
		*list = found[0];
		return 0;
	}

	sb_init(&sb);
	for (size_t i = 0; i < n_found; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", found[i]);
	if (n_found == 0)
		cli_usage_error("check: no checklist has an item \"%s\"; `warroom checklist ID` "
				"lists them", item);
	else
		cli_usage_error("check: item \"%s\" is on more than one checklist (%s); choose one "
				"with --list", item, sb.data);
	sb_free(&sb);
	return -1;
}

int cmd_check(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"list", required_argument, NULL, 'l'},
		{"na", no_argument, NULL, 'a'},
		{"note", required_argument, NULL, 'n'},
		{"clear", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *list = NULL, *note = NULL, *id, *item;
	struct wr_error err = {0};
	struct playbook *pb;
	struct store *st;
	int c, na = 0, clear = 0, status, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'l')
			list = optarg;
		else if (c == 'a')
			na = 1;
		else if (c == 'n')
			note = optarg;
		else if (c == 'c')
			clear = 1;
		else
			return cli_option_problem("check", c, check_help);
	}
	if (optind + 2 != argc)
		return cli_usage_error("check: name the incident ID and the checklist ITEM");
	if (clear && (na || note))
		return cli_usage_error("check: --clear takes neither --na nor --note");
	id = argv[optind];
	item = argv[optind + 1];
	if ((status = open_write(ctx, &pb, &st)) >= 0)
		return status;
	if (!list && check_find_list(pb, item, &list) < 0)
		return WR_BAD_INPUT;

	if (clear)
		rc = checklist_clear(st, pb, id, list, item, &err);
	else
		rc = checklist_mark(st, pb, id, list, item, na, note, &err);
	if (rc < 0)
		return cli_fail(&err);
	cli_put_id(id);
	cli_put(stdout, list);
	putchar(' ');
	cli_put(stdout, item);
	if (clear)
		puts(" cleared");
	else if (na)
		puts(" not applicable");
	else
		puts(" done");
	return WR_OK;
}

/* Prints one checklist with the marks of MARKS that belong to it. */
static void checklist_print(const struct pb_item *items, size_t n, const char *list,
			    const struct checklist_mark *marks, size_t n_marks)
{
	for (size_t i = 0; i < n; i++) {
		const struct checklist_mark *mark = NULL;

		for (size_t j = 0; j < n_marks && !mark; j++)
			if (strcmp(marks[j].list, list) == 0 && strcmp(marks[j].item, items[i].id) == 0)
				mark = &marks[j];
		printf("  [%s] ", !mark ? " " : strcmp(mark->state, "na") == 0 ? "-" : "x");
		cli_put(stdout, items[i].id);
		fputs(": ", stdout);
		cli_put(stdout, items[i].text);
		if (mark) {
			printf(" (%s by ", strcmp(mark->state, "na") == 0 ? "not applicable," : "done");
			cli_put(stdout, mark->actor);
			printf(" at %s", mark->at);
			if (mark->note) {
				fputs(": ", stdout);
				cli_put(stdout, mark->note);
			}
			putchar(')');
		}
		putchar('\n');
	}
}

int cmd_checklist(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct checklist_mark *marks;
	struct wr_error err = {0};
	const struct pb_item *items;
	struct playbook *pb;
	struct incident *inc;
	struct store *st;
	size_t n, n_marks;
	int c, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return cli_option_problem("checklist", c, "");
	if (optind + 1 != argc)
		return cli_usage_error("checklist: name one incident ID");
	if ((status = open_read(ctx, &pb, &st)) >= 0)
		return status;
	if (!(inc = incident_get(st, argv[optind], &err)))
		return cli_fail(&err);
	if (checklist_marks(st, inc->id, &marks, &n_marks, &err) < 0) {
		incident_free(inc);
		return cli_fail(&err);
	}

	for (size_t i = 0; i < pb->n_steps; i++) {
		const struct pb_step *step = &pb->steps[i];

		items = checklist_items(pb, step->id, &n);
		if (!items)
			continue;
		printf("%d %s (%s)\n", step->number, step->title, step->id);
		checklist_print(items, n, step->id, marks, n_marks);
	}
	items = checklist_items(pb, "security", &n);
	if (items && step_security_applies(pb, inc)) {
		puts("Security mini-SOP (security)");
		checklist_print(items, n, "security", marks, n_marks);
	} else if (items) {
		puts("Security mini-SOP (security): does not apply; the category and the risk "
		     "indicators start none of it");
	}
	checklist_marks_free(marks, n_marks);
	incident_free(inc);
	return WR_OK;
}

static const char impact_help[] =
	"Options (all four are required):\n"
	"  --what TEXT     what is impacted, such as card payments or login\n"
	"  --who TEXT      who is impacted, such as some customers or all customers\n"
	"  --since TIME    when the impact started (ISO 8601; stored in UTC)\n"
	"  --status S      the current status: investigating, \"mitigation applied\" or\n"
	"                  monitoring (the playbook's impact_statuses)\n";

int cmd_impact(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"what", required_argument, NULL, 'w'},
		{"who", required_argument, NULL, 'o'},
		{"since", required_argument, NULL, 's'},
		{"status", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *what = NULL, *who = NULL, *since = NULL, *state = NULL;
	struct wr_error err = {0};
	struct playbook *pb;
	struct incident *inc;
	struct store *st;
	int c, changed, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'w')
			what = optarg;
		else if (c == 'o')
			who = optarg;
		else if (c == 's')
			since = optarg;
		else if (c == 't')
			state = optarg;
		else
			return cli_option_problem("impact", c, impact_help);
	}
	if (optind + 1 != argc)
		return cli_usage_error("impact: name one incident ID");
	if (!what || !who || !since || !state)
		return cli_usage_error("impact: give all four of --what, --who, --since and --status");
	if ((status = open_write(ctx, &pb, &st)) >= 0)
		return status;

	if (step_impact(st, pb, argv[optind], what, who, since, state, &changed, &err) < 0)
		return cli_fail(&err);
	if (!(inc = incident_get(st, argv[optind], &err)))
		return cli_fail(&err);
	cli_put_id(inc->id);
	puts(changed ? "impact statement recorded" : "impact statement unchanged");
	put_line("what", inc->impact_what);
	put_line("who", inc->impact_who);
	put_line("since", inc->impact_since);
	put_line("status", inc->impact_status);
	incident_free(inc);
	return WR_OK;
}

/* Returns nonzero when NOTE names at least one of the journeys in J (ignoring case). */
static int note_names_journey(const struct pb_journeys *j, const char *note)
{
	for (size_t i = 0; i < j->n_journeys; i++)
		if (strcasestr(note, j->journeys[i]))
			return 1;
	return 0;
}

static void journeys_print(const struct pb_journeys *j, const char *product)
{
	printf("Key customer journeys for ");
	cli_put(stdout, str_blank(product) ? "(no product)" : product);
	if (strcmp(j->product, "*") == 0)
		fputs(" (the playbook's default list)", stdout);
	puts(":");
	for (size_t i = 0; i < j->n_journeys; i++) {
		fputs("  ", stdout);
		cli_put(stdout, j->journeys[i]);
		putchar('\n');
	}
}

static const char validate_help[] =
	"KIND is a validation of the playbook: monitoring (fix confirmed in monitoring)\n"
	"or journeys (key customer journeys validated). An incident is resolved only\n"
	"once both are recorded. For journeys, name in the note the journeys that\n"
	"passed; `warroom journeys ID` lists those of the incident's product.\n"
	"\n"
	"Options:\n"
	"  --note TEXT     what was checked and what was seen (required)\n";

int cmd_validate(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"note", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const struct pb_journeys *journeys;
	struct wr_error err = {0};
	const char *note = NULL;
	struct playbook *pb;
	struct incident *inc;
	struct store *st;
	int c, status, done;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'n')
			note = optarg;
		else
			return cli_option_problem("validate", c, validate_help);
	}
	if (optind + 2 != argc)
		return cli_usage_error("validate: name the incident ID and the validation KIND");
	if (!note)
		return cli_usage_error("validate: --note is required; say what was checked and seen");
	if ((status = open_write(ctx, &pb, &st)) >= 0)
		return status;

	if (step_validate(st, pb, argv[optind], argv[optind + 1], note, &err) < 0)
		return cli_fail(&err);
	if (!(inc = incident_get(st, argv[optind], &err)))
		return cli_fail(&err);
	done = step_validations_done(st, pb, inc->id, &err);
	cli_put_id(inc->id);
	printf("validation ");
	cli_put(stdout, argv[optind + 1]);
	printf(" recorded (%d of %zu)\n", done < 0 ? 0 : done, pb->n_validations);

	/* A soft check: the playbook requires the journeys by name, but the note stays free text. */
	journeys = playbook_journeys(pb, inc->product);
	if (strcmp(argv[optind + 1], "journeys") == 0 && journeys &&
	    !note_names_journey(journeys, note)) {
		fputs("warroom: warning: the note does not name any key journey word for word; ", stderr);
		fputs("`warroom journeys ID` lists them\n", stderr);
	}
	incident_free(inc);
	return WR_OK;
}

int cmd_journeys(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const struct pb_journeys *journeys;
	struct validation *done;
	struct wr_error err = {0};
	struct playbook *pb;
	struct incident *inc;
	struct store *st;
	size_t n;
	int c, status, recorded = 0;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return cli_option_problem("journeys", c, "");
	if (optind + 1 != argc)
		return cli_usage_error("journeys: name one incident ID");
	if ((status = open_read(ctx, &pb, &st)) >= 0)
		return status;
	if (!(inc = incident_get(st, argv[optind], &err)))
		return cli_fail(&err);

	journeys = playbook_journeys(pb, inc->product);
	if (journeys)
		journeys_print(journeys, inc->product);
	else
		puts("The playbook lists no key customer journeys for this product.");

	if (step_validations(st, inc->id, &done, &n, &err) < 0) {
		incident_free(inc);
		return cli_fail(&err);
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(done[i].kind, "journeys") != 0)
			continue;
		fputs("Validated by ", stdout);
		cli_put(stdout, done[i].actor);
		printf(" at %s: ", done[i].at);
		cli_put(stdout, done[i].note);
		putchar('\n');
		recorded = 1;
	}
	if (!recorded)
		puts("Not yet validated; record it with `warroom validate ID journeys --note TEXT`.");
	step_validations_free(done, n);
	incident_free(inc);
	return WR_OK;
}

/* The status moves: mitigate, resolve, close and reopen. */
enum status_move { MOVE_MITIGATE, MOVE_RESOLVE, MOVE_CLOSE, MOVE_REOPEN };

static const char note_help[] =
	"Options:\n"
	"  --at TIME       when it happened (ISO 8601), for a move recorded late;\n"
	"                  default: now\n"
	"  --note TEXT     a note for the timeline\n";
static const char close_help[] =
	"Closing needs the steps the playbook marks before_close (the post-incident\n"
	"review) to be complete.\n"
	"\n"
	"Options:\n"
	"  --reason TEXT   why the incident closes without them; the timeline names\n"
	"                  what was missing\n";
static const char reopen_help[] =
	"Reopening sets the status back to open and clears the validations, which\n"
	"must be recorded again before resolving.\n"
	"\n"
	"Options:\n"
	"  --reason TEXT   what shows the incident is not over (required)\n";

static int status_move(struct cli_context *ctx, int argc, char **argv, enum status_move move)
{
	static const struct option options[] = {
		{"note", required_argument, NULL, 'n'},
		{"reason", required_argument, NULL, 'r'},
		{"at", required_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const names[] = {"mitigate", "resolve", "close", "reopen"};
	static const char *const results[] = {"mitigated", "resolved", "closed",
					      "reopened; record the validations again before resolving"};
	const char *name = names[move], *note = NULL, *reason = NULL, *at = NULL, *help;
	struct wr_error err = {0};
	struct playbook *pb = NULL;
	struct store *st;
	int c, status, rc;

	if (move == MOVE_REOPEN)
		help = reopen_help;
	else if (move == MOVE_CLOSE)
		help = close_help;
	else
		help = note_help;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'n' && (move == MOVE_MITIGATE || move == MOVE_RESOLVE))
			note = optarg;
		else if (c == 'a' && (move == MOVE_MITIGATE || move == MOVE_RESOLVE))
			at = optarg;
		else if (c == 'r' && (move == MOVE_REOPEN || move == MOVE_CLOSE))
			reason = optarg;
		else if (c == 'n' || c == 'r' || c == 'a')
			return cli_usage_error("%s: unknown option --%s", name,
					       c == 'n' ? "note" : c == 'r' ? "reason" : "at");
		else
			return cli_option_problem(name, c, help);
	}
	if (optind + 1 != argc)
		return cli_usage_error("%s: name one incident ID", name);
	if (move == MOVE_REOPEN && !reason)
		return cli_usage_error("reopen: --reason is required");
	if ((status = open_write(ctx, move == MOVE_RESOLVE || move == MOVE_CLOSE ? &pb : NULL,
				 &st)) >= 0)
		return status;

	switch (move) {
	case MOVE_MITIGATE:
		rc = step_mitigate(st, argv[optind], at, note, &err);
		break;
	case MOVE_RESOLVE:
		rc = step_resolve(st, pb, argv[optind], at, note, &err);
		break;
	case MOVE_CLOSE:
		rc = step_close(st, pb, argv[optind], reason, &err);
		break;
	default:
		rc = step_reopen(st, argv[optind], reason, &err);
		break;
	}
	if (rc < 0) {
		status = cli_fail(&err);
		if (move == MOVE_CLOSE && !reason && strstr(err.message, "give a reason to close"))
			fputs("Give it with --reason TEXT.\n", stderr);
		return status;
	}
	cli_put_id(argv[optind]);
	puts(results[move]);
	if (move == MOVE_RESOLVE) {
		char *leftovers = step_resolve_leftovers(st, pb, argv[optind]);

		if (leftovers) {
			fputs("note: resolved with checklist items still open: ", stderr);
			cli_put(stderr, leftovers);
			fputs("; `warroom check ID ITEM` marks each\n", stderr);
			free(leftovers);
		}
	}
	return WR_OK;
}

int cmd_mitigate(struct cli_context *ctx, int argc, char **argv)
{
	return status_move(ctx, argc, argv, MOVE_MITIGATE);
}

int cmd_resolve(struct cli_context *ctx, int argc, char **argv)
{
	return status_move(ctx, argc, argv, MOVE_RESOLVE);
}

int cmd_close(struct cli_context *ctx, int argc, char **argv)
{
	return status_move(ctx, argc, argv, MOVE_CLOSE);
}

int cmd_reopen(struct cli_context *ctx, int argc, char **argv)
{
	return status_move(ctx, argc, argv, MOVE_REOPEN);
}

static const char window_help[] =
	"A payment failure window for Finance. Add one with --from and --types (and --to\n"
	"once it is over); `end` sets the end of an open window; `confirm` confirms one\n"
	"with an end, after which its times are final; `list` shows them.\n"
	"\n"
	"Options:\n"
	"  --from TIME      when payments started failing (ISO 8601; stored in UTC)\n"
	"  --to TIME        when they stopped failing; not before --from\n"
	"  --types T[,T]    failed transaction types, such as card,transfer (repeatable)\n"
	"  --confirmed      the window is confirmed (needs --to)\n";

/* Splits the comma-separated TEXT into LIST; the pieces are copies. */
static void split_types(struct strlist *list, const char *text)
{
	const char *start = text;

	for (const char *p = text;; p++) {
		if (*p != ',' && *p != '\0')
			continue;
		if (p > start) {
			char *piece = xstrndup(start, (size_t)(p - start));

			strlist_add(list, piece);
			free(piece);
		}
		if (*p == '\0')
			break;
		start = p + 1;
	}
}

static int window_print(struct store *st, const char *id)
{
	struct payment_window *list;
	struct wr_error err = {0};
	size_t n;

	if (window_list(st, id, &list, &n, &err) < 0)
		return cli_fail(&err);
	if (n == 0)
		puts("No payment failure windows.");
	for (size_t i = 0; i < n; i++) {
		printf("%lld  %s to %s  %-11s  ", list[i].id, list[i].from,
		       list[i].to ? list[i].to : "(still open)",
		       list[i].confirmed ? "confirmed" : "unconfirmed");
		for (size_t j = 0; j < list[i].types.len; j++) {
			if (j)
				fputs(", ", stdout);
			cli_put(stdout, list[i].types.items[j]);
		}
		putchar('\n');
	}
	window_list_free(list, n);
	return WR_OK;
}

int cmd_window(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"types", required_argument, NULL, 'y'},
		{"confirmed", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *from = NULL, *to = NULL, *id, *action;
	struct strlist types = {0};
	struct wr_error err = {0};
	struct store *st;
	long long wid;
	int c, confirmed = 0, status = -1, nargs, rc;

	while (status < 0 && (c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'f')
			from = optarg;
		else if (c == 't')
			to = optarg;
		else if (c == 'y')
			split_types(&types, optarg);
		else if (c == 'c')
			confirmed = 1;
		else
			status = cli_option_problem("window", c, window_help);
	}
	nargs = argc - optind;
	if (status >= 0)
		goto out;
	if (nargs < 1) {
		status = cli_usage_error("window: name the incident ID");
		goto out;
	}
	id = argv[optind];
	action = nargs > 1 ? argv[optind + 1] : NULL;

	if (action && strcmp(action, "list") == 0) {
		if (nargs != 2 || from || to || types.len || confirmed)
			status = cli_usage_error("window: list takes no further arguments");
		else if ((status = open_read(ctx, NULL, &st)) < 0)
			status = window_print(st, id);
		goto out;
	}
	if (action && (strcmp(action, "confirm") == 0 || strcmp(action, "end") == 0)) {
		int end = action[0] == 'e';

		if (nargs != 3 || from || types.len || confirmed || (!end && to) || (end && !to)) {
			status = cli_usage_error(end ? "window: end takes the window number WID and --to TIME"
						     : "window: confirm takes the window number WID alone");
			goto out;
		}
		if (parse_row_id("window", "window", argv[optind + 2], &wid) < 0) {
			status = WR_BAD_INPUT;
			goto out;
		}
		if ((status = open_write(ctx, NULL, &st)) >= 0)
			goto out;
		rc = end ? window_set_end(st, id, wid, to, &err) : window_confirm(st, id, wid, &err);
		if (rc < 0) {
			status = cli_fail(&err);
			goto out;
		}
		cli_put_id(id);
		printf("payment failure window %lld %s\n", wid, end ? "end set" : "confirmed");
		status = WR_OK;
		goto out;
	}
	if (action) {
		status = cli_usage_error("window: unknown action \"%s\"; one of: end, confirm, list, "
					 "or --from to add a window", action);
		goto out;
	}

	if (!from) {
		status = cli_usage_error("window: --from is required to add a window");
		goto out;
	}
	if ((status = open_write(ctx, NULL, &st)) >= 0)
		goto out;
	if (window_add(st, id, from, to, (const char *const *)types.items, types.len, confirmed, &wid,
		       &err) < 0) {
		status = cli_fail(&err);
		goto out;
	}
	cli_put_id(id);
	printf("payment failure window %lld added\n", wid);
	status = WR_OK;

out:
	strlist_free(&types);
	return status;
}

/* Runs a command of the form "NAME ID TEXT" that calls ADD; WHAT names the result. */
static int text_command(struct cli_context *ctx, int argc, char **argv, const char *name,
			int (*add)(struct store *, const char *, const char *, struct wr_error *),
			const char *done)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	struct store *st;
	int c, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return cli_option_problem(name, c, "");
	if (optind + 2 != argc)
		return cli_usage_error("%s: name the incident ID and the TEXT (quote it)", name);
	if ((status = open_write(ctx, NULL, &st)) >= 0)
		return status;
	if (add(st, argv[optind], argv[optind + 1], &err) < 0)
		return cli_fail(&err);
	cli_put_id(argv[optind]);
	puts(done);
	return WR_OK;
}

int cmd_rootcause(struct cli_context *ctx, int argc, char **argv)
{
	return text_command(ctx, argc, argv, "rootcause", review_root_cause, "root cause recorded");
}

int cmd_decision(struct cli_context *ctx, int argc, char **argv)
{
	return text_command(ctx, argc, argv, "decision", decision_add, "decision recorded");
}

static const char action_help[] =
	"Actions:\n"
	"  add TEXT        add a corrective action or prevention task\n"
	"  done AID        mark action AID done\n"
	"  list            list the actions\n"
	"\n"
	"Options (with add, all required):\n"
	"  --kind K        corrective or prevention\n"
	"  --owner NAME    who answers for it\n"
	"  --due DATE      the due date, YYYY-MM-DD\n";

static int action_print(struct store *st, const char *id)
{
	struct wr_error err = {0};
	struct action *list;
	size_t n;

	if (action_list(st, id, &list, &n, &err) < 0)
		return cli_fail(&err);
	if (n == 0)
		puts("No actions.");
	for (size_t i = 0; i < n; i++) {
		printf("%lld  %-10s  due %s  %s  ", list[i].id, list[i].kind, list[i].due,
		       list[i].done_at ? "done" : "open");
		cli_put(stdout, list[i].owner);
		fputs(": ", stdout);
		cli_put(stdout, list[i].text);
		putchar('\n');
	}
	action_list_free(list, n);
	return WR_OK;
}

int cmd_action(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"kind", required_argument, NULL, 'k'},
		{"owner", required_argument, NULL, 'o'},
		{"due", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *kind = NULL, *owner = NULL, *due = NULL, *id, *action;
	struct wr_error err = {0};
	struct store *st;
	long long aid;
	int c, status, nargs;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'k')
			kind = optarg;
		else if (c == 'o')
			owner = optarg;
		else if (c == 'd')
			due = optarg;
		else
			return cli_option_problem("action", c, action_help);
	}
	nargs = argc - optind;
	if (nargs < 2)
		return cli_usage_error("action: name the incident ID and an action: add, done or list");
	id = argv[optind];
	action = argv[optind + 1];
	if (strcmp(action, "add") != 0 && (kind || owner || due))
		return cli_usage_error("action: --kind, --owner and --due go with add");

	if (strcmp(action, "list") == 0) {
		if (nargs != 2)
			return cli_usage_error("action: list takes no further arguments");
		if ((status = open_read(ctx, NULL, &st)) >= 0)
			return status;
		return action_print(st, id);
	}
	if (strcmp(action, "done") == 0) {
		if (nargs != 3)
			return cli_usage_error("action: done takes the action number AID");
		if (parse_row_id("action", "action", argv[optind + 2], &aid) < 0)
			return WR_BAD_INPUT;
		if ((status = open_write(ctx, NULL, &st)) >= 0)
			return status;
		if (action_done(st, id, aid, &err) < 0)
			return cli_fail(&err);
		cli_put_id(id);
		printf("action %lld done\n", aid);
		return WR_OK;
	}
	if (strcmp(action, "add") == 0) {
		if (nargs != 3)
			return cli_usage_error("action: add takes one TEXT (quote it)");
		if (!kind || !owner || !due)
			return cli_usage_error("action: add needs --kind, --owner and --due");
		if ((status = open_write(ctx, NULL, &st)) >= 0)
			return status;
		if (action_add(st, id, kind, owner, due, argv[optind + 2], &aid, &err) < 0)
			return cli_fail(&err);
		cli_put_id(id);
		printf("%s action %lld added\n", kind, aid);
		return WR_OK;
	}
	return cli_usage_error("action: unknown action \"%s\"; one of: add, done, list", action);
}

static const char approve_help[] =
	"WHAT is vendor-blame (naming a third party as the cause in updates) or\n"
	"root-cause (sharing the internal root cause with Marketing).\n"
	"\n"
	"Options:\n"
	"  --by NAME       the manager who approved (required)\n"
	"  --note TEXT     the approval's terms or context\n";

int cmd_approve(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"by", required_argument, NULL, 'b'},
		{"note", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *by = NULL, *note = NULL;
	struct wr_error err = {0};
	struct store *st;
	int c, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'b')
			by = optarg;
		else if (c == 'n')
			note = optarg;
		else
			return cli_option_problem("approve", c, approve_help);
	}
	if (optind + 2 != argc)
		return cli_usage_error("approve: name the incident ID and WHAT: vendor-blame or root-cause");
	if (!by)
		return cli_usage_error("approve: --by is required; name the manager who approved");
	if ((status = open_write(ctx, NULL, &st)) >= 0)
		return status;

	if (approval_record(st, argv[optind], argv[optind + 1], by, note, &err) < 0)
		return cli_fail(&err);
	cli_put_id(argv[optind]);
	cli_put(stdout, argv[optind + 1]);
	fputs(" approved by ", stdout);
	cli_put(stdout, by);
	putchar('\n');
	return WR_OK;
}

int cmd_status(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct step_status *list;
	struct wr_error err = {0};
	struct playbook *pb;
	struct store *st;
	size_t n;
	int c, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return cli_option_problem("status", c, "");
	if (optind + 1 != argc)
		return cli_usage_error("status: name one incident ID");
	if ((status = open_read(ctx, &pb, &st)) >= 0)
		return status;
	if (step_statuses(st, pb, argv[optind], &list, &n, &err) < 0)
		return cli_fail(&err);

	for (size_t i = 0; i < n; i++) {
		const struct pb_step *step = playbook_step(pb, list[i].step_id);

		if (step)
			printf("%d ", step->number);
		fputs(list[i].step_id, stdout);
		if (list[i].complete) {
			puts(" complete");
			continue;
		}
		fputs(" missing: ", stdout);
		cli_put(stdout, list[i].missing);
		putchar('\n');
	}
	step_statuses_free(list, n);
	return WR_OK;
}
