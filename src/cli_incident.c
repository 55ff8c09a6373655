/*
 * Subcommands that create and read incidents: import, new, list, show, log,
 * note, demo, and the playbook check.
 */
#include <dirent.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ui/console.h"
#include "brief_rules.h"
#include "cli.h"
#include "guard.h"
#include "import.h"
#include "incident.h"
#include "restricted.h"
#include "severity.h"
#include "steps.h"
#include "textsafe.h"

enum { FORMAT_TEXT, FORMAT_TSV, FORMAT_JSON };

/* Parses --format's value; returns -1 when it is not one of ALLOWED (a mask of 1 << FORMAT_*). */
static int parse_format(const char *value, int allowed)
{
	static const char *const names[] = {"text", "tsv", "json"};

	for (int i = 0; i < 3; i++)
		if ((allowed & (1 << i)) && strcmp(value, names[i]) == 0)
			return i;
	return -1;
}

/*
 * Imports one file, or with DATA the LEN bytes given under the name PATH,
 * and prints one line per handoff and any messages. Returns an exit status.
 */
static int import_one(struct store *st, const struct playbook *pb, const char *path,
		      const char *data, size_t len, int dry_run)
{
	struct import_result *results = NULL;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	size_t n = 0;
	int rc, status = WR_OK;

	sb_init(&warnings);
	sb_init(&errors);
	if (data)
		rc = import_buffer(st, pb, path, data, len, dry_run, &results, &n, &warnings, &errors,
				   &err);
	else if (dry_run)
		rc = import_check_file(st, pb, path, &results, &n, &warnings, &errors, &err);
	else
		rc = import_file(st, pb, path, &results, &n, &warnings, &errors, &err);

	/* The importer escapes every value in its messages already. */
	if (warnings.len)
		fputs(warnings.data, stderr);
	if (rc != 0) {
		/* One bad handoff stops the whole file, valid handoffs included, so the last line states it. */
		if (errors.len && !strstr(errors.data, "nothing was imported")) {
			fputs(errors.data, stderr);
			cli_put(stderr, path);
			fputs(": nothing was imported; fix the errors above and import the file again\n",
			      stderr);
		} else if (errors.len) {
			fputs(errors.data, stderr);
		} else {
			cli_fail(&err);
		}
		status = err.status ? err.status : WR_BAD_INPUT;
	}
	for (size_t j = 0; j < n; j++) {
		cli_put(stdout, results[j].id ? results[j].id : "-");
		fputs(results[j].already ? "\talready imported\t" :
		      dry_run ? "\tvalid\t" : "\timported\t", stdout);
		cli_put(stdout, results[j].reference ? results[j].reference : "-");
		fputc('\n', stdout);
	}
	import_results_free(results, n);
	sb_free(&warnings);
	sb_free(&errors);
	return status;
}

int cmd_import(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct playbook *pb;
	struct store *st;
	int c, dry_run = 0, status = WR_OK;

	while ((c = getopt_long(argc, argv, "nh", options, NULL)) != -1) {
		if (c == 'n')
			dry_run = 1;
		else
			return cli_option_problem("import", c, NULL);
	}
	if (optind >= argc)
		return cli_usage_error("import: name at least one FILE, or - for standard input");
	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;
	if (!(st = cli_store(ctx, STORE_CREATE)))
		return WR_FAILED;

	/* Each file is all or nothing; a bad file does not stop the others. */
	for (int i = optind; i < argc; i++) {
		int rc = import_one(st, pb, argv[i], NULL, 0, dry_run);

		if (status == WR_OK)
			status = rc;
	}
	return status;
}

int cmd_new(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"summary", required_argument, NULL, 's'},
		{"product", required_argument, NULL, 'p'},
		{"channel", required_argument, NULL, 'c'},
		{"priority", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct incident *inc = xcalloc(1, sizeof *inc); /* incident_insert owns and replaces fields */
	struct severity_suggestion suggestion;
	struct wr_error err = {0};
	struct playbook *pb = NULL;
	struct store *st = NULL;
	int c, status = WR_OK;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 's':
			free(inc->summary);
			inc->summary = xstrdup(optarg);
			break;
		case 'p':
			free(inc->product);
			inc->product = xstrdup(optarg);
			break;
		case 'c':
			strlist_add(&inc->channels, optarg);
			break;
		case 'P':
			free(inc->priority);
			inc->priority = xstrdup(optarg);
			break;
		default:
			incident_free(inc);
			return cli_option_problem("new", c, NULL);
		}
	}

	if (optind < argc)
		status = cli_usage_error("new: unexpected argument \"%s\"; the summary goes in --summary",
					 argv[optind]);
	else if (str_blank(inc->summary))
		status = cli_usage_error("new: --summary is required and must not be blank");
	else if (!(pb = cli_playbook(ctx)))
		status = WR_BAD_INPUT;
	else if (inc->priority && !playbook_severity_for_priority(pb, inc->priority))
		status = cli_usage_error("new: --priority \"%s\" is not a priority of the playbook (P0-P3)",
					 inc->priority);
	else if (!(st = cli_store(ctx, STORE_CREATE)))
		status = WR_FAILED;
	if (status != WR_OK) {
		incident_free(inc);
		return status;
	}

	if (severity_suggest(pb, NULL, 0, inc->priority, &suggestion) == 0) {
		inc->suggested_severity = xstrdup(suggestion.severity);
		inc->suggestion_rule = xstrdup(suggestion.rule_id);
	}
	if (store_begin(st, &err) != 0 || incident_insert(st, inc, &err) != 0 ||
	    store_commit(st, &err) != 0) {
		store_rollback(st);
		incident_free(inc);
		return cli_fail(&err);
	}
	printf("%s\n", inc->id);
	incident_free(inc);
	return WR_OK;
}

/* Prints S for a TSV field: escaped for the terminal, so tabs and newlines never split a row. */
static void put_field(const char *s)
{
	cli_put(stdout, s ? s : "");
}

int cmd_list(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"all", no_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct incident *list = NULL;
	struct wr_error err = {0};
	struct store *st;
	size_t n = 0;
	int c, all = 0, format = FORMAT_TEXT;

	while ((c = getopt_long(argc, argv, "ah", options, NULL)) != -1) {
		if (c == 'a') {
			all = 1;
		} else if (c == 'f') {
			format = parse_format(optarg, 1 << FORMAT_TEXT | 1 << FORMAT_TSV);
			if (format < 0)
				return cli_usage_error("list: --format must be text or tsv, not \"%s\"", optarg);
		} else {
			return cli_option_problem("list", c, NULL);
		}
	}
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	if (incident_list(st, all, &list, &n, &err) != 0)
		return cli_fail(&err);

	if (format == FORMAT_TEXT && n == 0)
		printf(all ? "No incidents.\n" : "No open incidents.\n");
	else if (format == FORMAT_TEXT)
		printf("%-14s %-5s %-9s %-3s %s\n", "ID", "SEV", "STATUS", "PRI", "SUMMARY");

	for (size_t i = 0; i < n; i++) {
		const struct incident *inc = &list[i];
		char severity[32];

		if (format == FORMAT_TSV) {
			/* id, severity, suggested severity, status, priority, product, created, summary */
			const char *fields[] = {inc->id, inc->severity, inc->suggested_severity, inc->status,
						inc->priority, inc->product, inc->created_at, inc->summary};

			for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
				if (f)
					putchar('\t');
				put_field(fields[f]);
			}
			putchar('\n');
			continue;
		}
		/* An unassigned severity shows the suggestion with a question mark: "sev0?". */
		snprintf(severity, sizeof severity, "%s%s",
			 inc->severity ? inc->severity :
			 inc->suggested_severity ? inc->suggested_severity : "-",
			 !inc->severity && inc->suggested_severity ? "?" : "");
		printf("%-14s %-5s %-9s %-3s ", inc->id, severity, inc->status,
		       inc->priority ? inc->priority : "-");
		cli_put(stdout, inc->summary);
		putchar('\n');
	}
	incident_list_free(list, n);
	return WR_OK;
}

/* Adds KEY: VALUE to OBJ, or null when VALUE is NULL. */
static void json_set_string(json_t *obj, const char *key, const char *value)
{
	json_object_set_new(obj, key, value ? json_string(value) : json_null());
}

static json_t *strlist_json(const struct strlist *list)
{
	json_t *array = json_array();

	for (size_t i = 0; i < list->len; i++)
		json_array_append_new(array, json_string(list->items[i]));
	return array;
}

static int show_json(const struct incident *inc)
{
	json_t *obj = json_object();
	json_t *extra;
	char *text;
	const struct {
		const char *key;
		const char *value;
	} strings[] = {
		{"id", inc->id}, {"source", inc->source}, {"reference", inc->reference},
		{"summary", inc->summary}, {"category", inc->category}, {"scope", inc->scope},
		{"severity", inc->severity}, {"suggested_severity", inc->suggested_severity},
		{"suggestion_rule", inc->suggestion_rule}, {"status", inc->status},
		{"product", inc->product}, {"priority", inc->priority},
		{"detection_source", inc->detection_source}, {"reporter", inc->reporter},
		{"reproduction", inc->reproduction}, {"received_at", inc->received_at},
		{"detected_at", inc->detected_at}, {"started_at", inc->started_at},
		{"created_at", inc->created_at}, {"mitigated_at", inc->mitigated_at},
		{"resolved_at", inc->resolved_at}, {"closed_at", inc->closed_at},
		{"commander", inc->commander}, {"impact_what", inc->impact_what},
		{"impact_who", inc->impact_who}, {"impact_since", inc->impact_since},
		{"impact_status", inc->impact_status}, {"root_cause", inc->root_cause},
	};

	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
		json_set_string(obj, strings[i].key, strings[i].value);
	json_object_set_new(obj, "channels", strlist_json(&inc->channels));
	json_object_set_new(obj, "risk_indicators", strlist_json(&inc->risk_indicators));
	json_object_set_new(obj, "impacted_services", strlist_json(&inc->impacted_services));
	json_object_set_new(obj, "metrics", strlist_json(&inc->metrics));
	extra = inc->extra ? json_loads(inc->extra, 0, NULL) : NULL;
	json_object_set_new(obj, "extra", extra ? extra : json_object());

	/* ASCII-only JSON: every character outside ASCII is a \u escape, so nothing reaches a terminal raw. */
	text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(obj);
	if (!text)
		return WR_FAILED;
	puts(text);
	free(text);
	return WR_OK;
}

static void show_line(const char *label, const char *value)
{
	printf("%-18s ", label);
	cli_put(stdout, value ? value : "-");
	putchar('\n');
}

static void show_list(const char *label, const struct strlist *list)
{
	printf("%-18s ", label);
	if (list->len == 0)
		fputs("-", stdout);
	for (size_t i = 0; i < list->len; i++) {
		if (i)
			fputs(", ", stdout);
		cli_put(stdout, list->items[i]);
	}
	putchar('\n');
}

int cmd_show(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	struct incident *inc;
	struct store *st;
	int c, format = FORMAT_TEXT, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'f') {
			format = parse_format(optarg, 1 << FORMAT_TEXT | 1 << FORMAT_JSON);
			if (format < 0)
				return cli_usage_error("show: --format must be text or json, not \"%s\"", optarg);
		} else {
			return cli_option_problem("show", c, NULL);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("show: name one incident ID");
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	if (!(inc = incident_get(st, argv[optind], &err)))
		return cli_fail(&err);

	if (format == FORMAT_JSON) {
		status = show_json(inc);
		incident_free(inc);
		return status;
	}
	show_line("id", inc->id);
	show_line("summary", inc->summary);
	show_line("status", inc->status);
	show_line("severity", inc->severity);
	show_line("suggested severity", inc->suggested_severity);
	show_line("suggested by rule", inc->suggestion_rule);
	show_line("category", inc->category);
	show_line("scope", inc->scope);
	show_line("priority", inc->priority);
	show_line("product", inc->product);
	show_list("channels", &inc->channels);
	show_list("risk indicators", &inc->risk_indicators);
	show_list("impacted services", &inc->impacted_services);
	show_list("metrics", &inc->metrics);
	show_line("detection source", inc->detection_source);
	show_line("detected at", inc->detected_at);
	show_line("started at", inc->started_at);
	show_line("created at", inc->created_at);
	show_line("resolved at", inc->resolved_at);
	show_line("commander", inc->commander);
	show_line("reporter", inc->reporter);
	show_line("source", inc->source);
	show_line("reference", inc->reference);
	show_line("reproduction", inc->reproduction);
	incident_free(inc);
	return WR_OK;
}

int cmd_log(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	struct incident *inc;
	struct store *st;
	struct restricted *restricted;
	enum restricted_access access_state;
	sqlite3_stmt *stmt;
	int c, format = FORMAT_TEXT, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'f') {
			format = parse_format(optarg, 1 << FORMAT_TEXT | 1 << FORMAT_TSV);
			if (format < 0)
				return cli_usage_error("log: --format must be text or tsv, not \"%s\"", optarg);
		} else {
			return cli_option_problem("log", c, NULL);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("log: name one incident ID");
	if (!(st = cli_store(ctx, STORE_READONLY)))
		return WR_FAILED;
	if (!(inc = incident_get(st, argv[optind], &err)))
		return cli_fail(&err);
	incident_free(inc);

	if (sqlite3_prepare_v2(store_db(st),
			       "SELECT at, actor, kind, details, id FROM events WHERE incident_id = ?1 ORDER BY id",
			       -1, &stmt, NULL) != SQLITE_OK)
		return cli_fail(&(struct wr_error){WR_FAILED, "reading the timeline failed"});
	sqlite3_bind_text(stmt, 1, argv[optind], -1, SQLITE_STATIC);

	/* A reader the file system keeps out of the restricted file sees the marker. */
	restricted = restricted_open_read(store_path(st), &access_state, &err);
	if (!restricted && err.status != WR_OK) {
		cli_fail(&err);
		err = (struct wr_error){0};
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(stmt, 0);
		const char *actor = (const char *)sqlite3_column_text(stmt, 1);
		const char *kind = (const char *)sqlite3_column_text(stmt, 2);
		char *details = xstrdup((const char *)sqlite3_column_text(stmt, 3));

		if (strcmp(kind, RESTRICTED_NOTE_EVENT) == 0) {
			char *text = restricted_text(restricted, RESTRICTED_NOTE, argv[optind],
						     sqlite3_column_int64(stmt, 4));

			free(details);
			details = xasprintf("restricted note: %s", text);
			free(text);
		}
		if (format == FORMAT_TSV) {
			put_field(at), putchar('\t'), put_field(actor), putchar('\t');
			put_field(kind), putchar('\t'), put_field(details), putchar('\n');
			free(details);
			continue;
		}
		printf("%s  ", at);
		cli_put(stdout, actor);
		fputs("  ", stdout);
		cli_put(stdout, kind);
		fputs(": ", stdout);
		cli_put(stdout, details);
		putchar('\n');
		free(details);
	}
	sqlite3_finalize(stmt);
	restricted_close(restricted);
	if (rc != SQLITE_DONE)
		return store_error(st, &err, "reading the timeline"), cli_fail(&err);
	return WR_OK;
}

int cmd_note(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"restricted", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	struct settings *settings;
	struct store *st;
	int c, restricted = 0;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'r')
			restricted = 1;
		else
			return cli_option_problem("note", c, NULL);
	}
	if (optind + 2 != argc)
		return cli_usage_error("note: name the incident ID and the TEXT (quote it)");
	if (!(st = cli_store(ctx, 0)))
		return WR_FAILED;
	if (!restricted) {
		if (note_add(st, argv[optind], argv[optind + 1], &err) != 0)
			return cli_fail(&err);
		return WR_OK;
	}

	/* A security note: the text goes to the restricted file, the timeline gets only its event. */
	if (!(settings = cli_settings(ctx)))
		return WR_FAILED;
	if (restricted_note_add(st, settings->restricted_group, argv[optind], argv[optind + 1],
				&err) != 0)
		return cli_fail(&err);
	return WR_OK;
}

/*
 * Returns the folder of the bundled demo handoffs: $WARROOM_DATADIR/demo, the
 * installed one, or, before `make install`, the source tree's.
 */
static char *demo_folder(void)
{
	const char *datadir = getenv("WARROOM_DATADIR");

	if (datadir && *datadir)
		return xasprintf("%s/demo", datadir);
#ifdef SOURCE_DATADIR
	if (access(PKGDATADIR "/demo", R_OK) != 0)
		return xstrdup(SOURCE_DATADIR "/demo");
#endif
	return xstrdup(PKGDATADIR "/demo");
}

static int name_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Moves the time in member KEY of OBJ by DELTA seconds, when it is one. */
static void shift_member(json_t *obj, const char *key, time_t delta)
{
	const char *text = json_string_value(json_object_get(obj, key));
	char moved[21];
	time_t t;

	if (!text || time_parse_iso8601(text, &t) != 0)
		return;
	time_format_utc(t + delta, moved);
	json_object_set_new(obj, key, json_string(moved));
}

/*
 * Moves a demo handoff's times so that it arrived ARRIVED_AGO seconds before
 * now, keeping the gaps between its own times, so the demo's countdowns and
 * ages read as a live incident rather than one from years ago.
 */
static void shift_handoff(json_t *handoff, time_t arrived_ago)
{
	const char *received = json_string_value(json_object_get(handoff, "received_at"));
	json_t *evidence = json_object_get(handoff, "evidence");
	time_t t, delta;
	size_t i;
	json_t *item;

	if (!received || time_parse_iso8601(received, &t) != 0)
		return;
	delta = clock_now() - arrived_ago - t;
	shift_member(handoff, "received_at", delta);
	shift_member(handoff, "detected_at", delta);
	json_array_foreach(evidence, i, item)
		shift_member(item, "at", delta);
}

/* Imports one demo file with its times moved to the present; returns an exit status. */
static int import_demo_file(struct store *st, const struct playbook *pb, const char *path,
			    time_t arrived_ago)
{
	json_error_t error;
	json_t *root = json_load_file(path, 0, &error);
	json_t *item;
	size_t i;
	char *text;
	int status;

	/* A file jansson cannot read goes to the importer as it is, which reports it properly. */
	if (!root)
		return import_one(st, pb, path, NULL, 0, 0);
	if (json_is_array(root)) {
		json_array_foreach(root, i, item)
			shift_handoff(item, arrived_ago);
	} else {
		shift_handoff(root, arrived_ago);
	}
	text = json_dumps(root, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	json_decref(root);
	if (!text)
		return import_one(st, pb, path, NULL, 0, 0);
	status = import_one(st, pb, path, text, strlen(text), 0);
	free(text);
	return status;
}

int cmd_demo(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"data", required_argument, NULL, 'd'},
		{"reset", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct strlist files = {0};
	char *folder = NULL, *db_path = NULL;
	struct dirent *entry;
	DIR *dir;
	int c, reset = 0, status;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'd') {
			free(folder);
			folder = xstrdup(optarg);
		} else if (c == 'r') {
			reset = 1;
		} else {
			free(folder);
			return cli_option_problem("demo", c, NULL);
		}
	}
	if (!folder)
		folder = demo_folder();

	/* The demo keeps to its own database unless --db names one, so real incidents stay apart. */
	if (!ctx->db_path && !getenv("WARROOM_DB")) {
		char *dflt = store_default_path();
		char *slash = dflt ? strrchr(dflt, '/') : NULL;

		if (!slash) {
			free(dflt);
			free(folder);
			return cli_usage_error("demo: no home folder to keep the demo database in; pass --db PATH");
		}
		*slash = '\0';
		db_path = xasprintf("%s/demo.db", dflt);
		ctx->db_path = db_path;
		free(dflt);
	}
	if (reset) {
		char *path = cli_db_path(ctx);
		const char *suffixes[] = {"", "-wal", "-shm"};

		for (size_t i = 0; i < 3; i++) {
			char *file = xasprintf("%s%s", path, suffixes[i]);

			unlink(file);
			free(file);
		}
		free(path);
	}

	if (!(dir = opendir(folder))) {
		status = cli_usage_error("demo: cannot read the demo folder %s; pass --data DIR", folder);
		free(folder);
		free(db_path);
		return status;
	}
	while ((entry = readdir(dir))) {
		size_t len = strlen(entry->d_name);

		if (len > 5 && strcmp(entry->d_name + len - 5, ".json") == 0) {
			char *path = xasprintf("%s/%s", folder, entry->d_name);

			strlist_add(&files, path);
			free(path);
		}
	}
	closedir(dir);
	qsort(files.items, files.len, sizeof files.items[0], name_compare);

	{
		struct playbook *pb = cli_playbook(ctx);
		struct store *st = pb ? cli_store(ctx, STORE_CREATE) : NULL;

		if (!pb)
			status = WR_BAD_INPUT;
		else if (!st)
			status = WR_FAILED;
		else
			status = WR_OK;
		/* Spread the arrivals over the last hour, the first file the earliest. */
		for (size_t i = 0; st && i < files.len; i++) {
			int rc = import_demo_file(st, pb, files.items[i],
						  (time_t)(60 - 12 * i % 60) * 60);

			if (status == WR_OK)
				status = rc;
		}
	}
	strlist_free(&files);
	free(folder);

	if (status == WR_OK && console_has_terminal()) {
		status = cli_console(ctx, NULL);
	} else if (status == WR_OK) {
		char *list_argv[] = {"list", NULL};

		optind = 0;
		status = cmd_list(ctx, 1, list_argv);
		char *path = cli_db_path(ctx);

		fputs("Open one in the console from a terminal: warroom --db ", stdout);
		cli_put(stdout, path);
		fputs(" open ID\n", stdout);
		free(path);
	}
	ctx->db_path = NULL;
	free(db_path);
	return status;
}

int cmd_playbook(struct cli_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct wr_error err = {0};
	struct brief_rules *rules;
	struct strbuf problems;
	struct playbook *pb;
	struct guard *guard;
	char *path;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		return cli_option_problem("playbook", c, NULL);
	if (optind >= argc)
		return cli_usage_error("playbook: expected `check [FILE]` or `path`");

	if (strcmp(argv[optind], "path") == 0 && optind + 1 == argc) {
		if (!(path = playbook_find(ctx->playbook_path, &err)))
			return cli_fail(&err);
		cli_put(stdout, path);
		putchar('\n');
		free(path);
		return WR_OK;
	}
	if (strcmp(argv[optind], "check") != 0 || optind + 2 < argc)
		return cli_usage_error("playbook: expected `check [FILE]` or `path`");

	if (optind + 1 < argc)
		ctx->playbook_path = argv[optind + 1];
	if (!(pb = cli_playbook(ctx)))
		return WR_BAD_INPUT;

	/* The guardrails and the brief's sections are read by their own modules; check them too. */
	sb_init(&problems);
	guard = guard_load(pb, &problems, &err);
	rules = brief_rules_load(pb, &problems, &err);
	guard_free(guard);
	brief_rules_free(rules);
	if (problems.len) {
		cli_put_lines(stderr, problems.data);
		sb_free(&problems);
		return WR_BAD_INPUT;
	}
	sb_free(&problems);

	cli_put(stdout, pb->path);
	printf(": ok: %zu categories, %zu scopes, %zu severities, %zu severity rules, %zu steps, "
	       "%zu audiences\n",
	       pb->n_categories, pb->n_scopes, pb->n_severities, pb->n_severity_rules, pb->n_steps,
	       pb->n_audiences);
	return WR_OK;
}
