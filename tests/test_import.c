/*
 * Unit tests for the handoff import: the bundled handoffs, field round
 * trips, the verbatim evidence, repeated imports, arrays, warnings, and the
 * malformed inputs in tests/handoffs-bad, each of which must leave the store
 * exactly as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "import.h"
#include "incident.h"
#include "severity.h"
#include "tap.h"
#include "testlib.h"

#define COUNT(array) (sizeof array / sizeof array[0])

static struct playbook *pb;

struct row_counts {
	long long incidents;
	long long events;
	long long evidence;
};

static long long count_rows(struct store *st, const char *table)
{
	char sql[128];
	sqlite3_stmt *stmt = NULL;
	long long count = -1;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		count = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return count;
}

static struct row_counts counts(struct store *st)
{
	struct row_counts c = {
		count_rows(st, "incidents"),
		count_rows(st, "events"),
		count_rows(st, "evidence"),
	};

	return c;
}

static int same_counts(struct row_counts a, struct row_counts b)
{
	return a.incidents == b.incidents && a.events == b.events && a.evidence == b.evidence;
}

/* Returns the first column of the first row of SQL run with ?1 = ARG1 and ?2 = ARG2, or NULL. */
static char *query_text(struct store *st, const char *sql, const char *arg1, const char *arg2)
{
	sqlite3_stmt *stmt = NULL;
	char *text = NULL;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK) {
		printf("# %s: %s\n", sql, sqlite3_errmsg(store_db(st)));
		return NULL;
	}
	sqlite3_bind_text(stmt, 1, arg1, -1, SQLITE_STATIC);
	if (arg2)
		sqlite3_bind_text(stmt, 2, arg2, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		text = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return text;
}

static char *handoff_body(struct store *st, const char *id)
{
	return query_text(st, "SELECT body FROM evidence WHERE incident_id = ?1 AND kind = 'handoff'",
			  id, NULL);
}

static char *event_details(struct store *st, const char *id, const char *kind)
{
	return query_text(st, "SELECT details FROM events WHERE incident_id = ?1 AND kind = ?2",
			  id, kind);
}

/* Returns TEXT without leading and trailing white space, in a new string. */
static char *trimmed(const char *text)
{
	size_t start = 0, end = strlen(text);

	while (text[start] == ' ' || text[start] == '\n' || text[start] == '\t' || text[start] == '\r')
		start++;
	while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\n' ||
			       text[end - 1] == '\t' || text[end - 1] == '\r'))
		end--;
	return xstrndup(text + start, end - start);
}

/* Imports TEXT named NAME; the caller frees *RESULTS. */
static int import_text(struct store *st, const char *name, const char *text, int dry_run,
		       struct import_result **results, size_t *n, struct strbuf *warnings,
		       struct strbuf *errors, struct wr_error *err)
{
	return import_buffer(st, pb, name, text, strlen(text), dry_run, results, n, warnings, errors,
			     err);
}

/* Imports TEXT and returns the id of its only incident, or NULL; warnings go to WARNINGS. */
static char *import_one(struct store *st, const char *text, struct strbuf *warnings)
{
	struct import_result *results = NULL;
	size_t n = 0;
	struct strbuf errors;
	struct wr_error err = {0};
	char *id = NULL;

	sb_init(&errors);
	if (import_text(st, "inline.json", text, 0, &results, &n, warnings, &errors, &err) == 0 &&
	    n == 1)
		id = xstrdup(results[0].id);
	else
		printf("# import failed: %s\n# %s", err.message, errors.data);
	import_results_free(results, n);
	sb_free(&errors);
	return id;
}

/* Checks that LIST contains the strings of the JSON array or string V. */
static void check_list(const struct strlist *list, const json_t *v, const char *name)
{
	size_t expected = json_is_array(v) ? json_array_size(v) : 1;
	int same = list->len == expected;

	for (size_t i = 0; same && i < expected; i++) {
		const json_t *item = json_is_array(v) ? json_array_get(v, i) : v;

		same = strcmp(list->items[i], json_string_value(item)) == 0;
	}
	ok(same, name);
}

/* Checks every field of the stored incident ID against the handoff in FILE. */
static void check_round_trip(struct store *st, const char *id, const char *file, const char *label)
{
	static const struct {
		const char *field;
		size_t offset;
	} texts[] = {
		{"summary", offsetof(struct incident, summary)},
		{"source", offsetof(struct incident, source)},
		{"reference", offsetof(struct incident, reference)},
		{"product", offsetof(struct incident, product)},
		{"priority", offsetof(struct incident, priority)},
		{"scope", offsetof(struct incident, scope)},
		{"detection_source", offsetof(struct incident, detection_source)},
		{"reporter", offsetof(struct incident, reporter)},
		{"reproduction", offsetof(struct incident, reproduction)},
		{"received_at", offsetof(struct incident, received_at)},
		{"detected_at", offsetof(struct incident, detected_at)},
	};
	struct wr_error err = {0};
	struct incident *inc = incident_get(st, id, &err);
	json_t *handoff = json_load_file(file, 0, NULL);
	char name[320];

	if (!ok(inc && handoff, label)) {
		printf("# %s\n", err.message);
		json_decref(handoff);
		return;
	}
	for (size_t i = 0; i < COUNT(texts); i++) {
		snprintf(name, sizeof name, "%s: %s", label, texts[i].field);
		is_str(*(char **)((char *)inc + texts[i].offset),
		       json_string_value(json_object_get(handoff, texts[i].field)), name);
	}
	snprintf(name, sizeof name, "%s: started_at is detected_at", label);
	is_str(inc->started_at, inc->detected_at, name);
	snprintf(name, sizeof name, "%s: channel", label);
	check_list(&inc->channels, json_object_get(handoff, "channel"), name);
	snprintf(name, sizeof name, "%s: risk_indicators", label);
	check_list(&inc->risk_indicators, json_object_get(handoff, "risk_indicators"), name);
	snprintf(name, sizeof name, "%s: affected_services", label);
	check_list(&inc->impacted_services, json_object_get(handoff, "affected_services"), name);
	snprintf(name, sizeof name, "%s: extra empty", label);
	is_str(inc->extra, "{}", name);
	snprintf(name, sizeof name, "%s: status open", label);
	is_str(inc->status, "open", name);
	snprintf(name, sizeof name, "%s: no category chosen", label);
	ok(inc->category == NULL, name);

	json_decref(handoff);
	incident_free(inc);
}

static const struct {
	const char *file;
	const char *rule;
	int security;
} fixtures[] = {
	{"card-auth-switch-failure", "payments-blocked (payments_blocked)", 0},
	{"card-processor-supplier-declines", "payments-blocked (payments_blocked)", 0},
	{"cdn-config-global-errors", "widespread-outage (widespread_outage)", 0},
	{"core-banking-migration-logins", "widespread-outage (widespread_outage)", 1},
};

/* Imports each bundled handoff into ST and checks the suggestion, the record and the evidence. */
static void test_fixtures(struct store *st, char *ids[])
{
	for (size_t i = 0; i < COUNT(fixtures); i++) {
		char path[4096], name[160], *body, *text, *expected;
		struct import_result *results = NULL;
		size_t n = 0;
		struct strbuf warnings, errors;
		struct wr_error err = {0};
		struct incident *inc;
		int rc;

		snprintf(path, sizeof path, "%s", test_path("tests/fixtures/"));
		snprintf(path + strlen(path), sizeof path - strlen(path), "%s.json", fixtures[i].file);
		sb_init(&warnings);
		sb_init(&errors);
		rc = import_file(st, pb, path, &results, &n, &warnings, &errors, &err);
		snprintf(name, sizeof name, "fixture %s imports", fixtures[i].file);
		if (!ok(rc == 0 && n == 1, name)) {
			printf("# %s\n# %s", err.message, errors.data);
			ids[i] = NULL;
			continue;
		}
		snprintf(name, sizeof name, "fixture %s: no warnings", fixtures[i].file);
		is_str(warnings.data, "", name);
		snprintf(name, sizeof name, "fixture %s: new", fixtures[i].file);
		is_int(results[0].already, 0, name);
		ids[i] = xstrdup(results[0].id);

		inc = incident_get(st, ids[i], &err);
		snprintf(name, sizeof name, "fixture %s: suggested sev0", fixtures[i].file);
		is_str(inc ? inc->suggested_severity : NULL, "sev0", name);
		snprintf(name, sizeof name, "fixture %s: suggestion rule", fixtures[i].file);
		is_str(inc ? inc->suggestion_rule : NULL, fixtures[i].rule, name);
		snprintf(name, sizeof name, "fixture %s: security mini-SOP", fixtures[i].file);
		is_int(inc ? severity_security_applies(pb, NULL,
						       (const char *const *)inc->risk_indicators.items,
						       inc->risk_indicators.len) : -1,
		       fixtures[i].security, name);
		incident_free(inc);

		snprintf(name, sizeof name, "fixture %s", fixtures[i].file);
		check_round_trip(st, ids[i], path, name);

		text = test_read_file(path);
		expected = trimmed(text);
		body = handoff_body(st, ids[i]);
		snprintf(name, sizeof name, "fixture %s: verbatim handoff", fixtures[i].file);
		is_str(body, expected, name);
		free(body);
		free(expected);
		free(text);

		import_results_free(results, n);
		sb_free(&warnings);
		sb_free(&errors);
	}
}

/* The mini-SOP applies to the core-banking handoff because of data_exposure. */
static void test_security_via_data_exposure(struct store *st, const char *id)
{
	struct wr_error err = {0};
	struct incident *inc = incident_get(st, id, &err);
	struct strlist others = {0};

	if (!ok(inc != NULL, "core banking: read"))
		return;
	ok(strlist_contains(&inc->risk_indicators, "data_exposure"), "core banking: data_exposure");
	for (size_t i = 0; i < inc->risk_indicators.len; i++)
		if (strcmp(inc->risk_indicators.items[i], "data_exposure") != 0)
			strlist_add(&others, inc->risk_indicators.items[i]);
	ok(!severity_security_applies(pb, NULL, (const char *const *)others.items, others.len),
	   "core banking: no mini-SOP without data_exposure");
	is_str(severity_suggest_category(pb, (const char *const *)inc->risk_indicators.items,
					 inc->risk_indicators.len),
	       "security", "core banking: security category");
	strlist_free(&others);
	incident_free(inc);
}

static void test_card_details(struct store *st, const char *id)
{
	char *details, *body, *kind;

	details = event_details(st, id, "imported");
	is_str(details, "from ops-dashboard DASH-2018-06-01-0007", "card: imported event");
	free(details);
	details = event_details(st, id, "severity suggested");
	is_str(details, "suggested sev0 by rule payments-blocked: Blocked payments are Sev 0",
	       "card: suggestion event");
	free(details);

	body = query_text(st, "SELECT count(*) FROM evidence WHERE incident_id = ?1 AND kind <> 'handoff'",
			  id, NULL);
	is_str(body, "4", "card: four evidence items");
	free(body);

	body = query_text(st, "SELECT body FROM evidence WHERE incident_id = ?1 AND kind = 'metric'"
			  " ORDER BY id", id, NULL);
	is_str(body, "{\"kind\": \"metric\", \"name\": \"uk_card_auth_decline_rate\", \"value\":"
	       " \"9% and rising (baseline 1.2%)\", \"at\": \"2018-06-01T13:35:00Z\"}",
	       "card: evidence item verbatim");
	free(body);
	body = query_text(st, "SELECT name || ' ' || at FROM evidence WHERE incident_id = ?1"
			  " AND kind = 'metric' ORDER BY id", id, NULL);
	is_str(body, "uk_card_auth_decline_rate 2018-06-01T13:35:00Z", "card: evidence name and time");
	free(body);
	kind = query_text(st, "SELECT group_concat(kind, ',') FROM (SELECT kind FROM evidence"
			  " WHERE incident_id = ?1 ORDER BY id)", id, NULL);
	is_str(kind, "handoff,metric,metric,log,observation", "card: evidence kinds in order");
	free(kind);
}

static void test_reimport(struct store *st, const char *id)
{
	struct row_counts before = counts(st), after;
	struct import_result *results = NULL;
	size_t n = 0;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	int rc;

	sb_init(&warnings);
	sb_init(&errors);
	rc = import_file(st, pb, test_path("tests/fixtures/card-auth-switch-failure.json"), &results,
			 &n, &warnings, &errors, &err);
	after = counts(st);
	is_int(rc, 0, "reimport: succeeds");
	is_int(n, 1, "reimport: one result");
	is_int(n ? results[0].already : -1, 1, "reimport: already imported");
	is_str(n ? results[0].id : NULL, id, "reimport: same id");
	is_str(n ? results[0].reference : NULL, "DASH-2018-06-01-0007", "reimport: reference");
	ok(same_counts(before, after), "reimport: nothing written");
	import_results_free(results, n);
	sb_free(&warnings);
	sb_free(&errors);
}

/* An array whose text is awkward for a scanner: escaped key, brackets and quotes in strings. */
static const char array_first[] =
	"{\"source\": \"ops-dashboard\", \"reference\": \"ARR-1\", \"summary\": \"First [of] {two}\","
	" \"evid\\u0065nce\": [{\"text\": \"a \\\"quoted\\\" ] } [ { value\", \"name\": \"x\"},"
	"  {\"kind\":\"log\",\"at\":\"2024-05-01T14:35:00+01:00\"} ], \"priority\": \"P2\"}";
static const char array_second[] =
	"{ \"summary\" : \"Second\\\\\" , \"source\":\"ops-dashboard\",\"reference\":\"ARR-2\","
	" \"risk_indicators\": [\"cosmetic\"], \"evidence\": [] }";

static void test_array(struct store *st)
{
	char *text = xasprintf(" \n[\n  %s ,\n\t%s\n]\n", array_first, array_second);
	struct import_result *results = NULL;
	size_t n = 0;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	struct row_counts before = counts(st), after;
	char *body;
	int rc;

	sb_init(&warnings);
	sb_init(&errors);
	rc = import_text(st, "array.json", text, 0, &results, &n, &warnings, &errors, &err);
	after = counts(st);
	is_int(rc, 0, "array: imports");
	if (rc != 0)
		printf("# %s\n# %s", err.message, errors.data);
	is_int(n, 2, "array: two results");
	is_int(after.incidents - before.incidents, 2, "array: two incidents");
	if (n != 2) {
		free(text);
		return;
	}
	ok(strcmp(results[0].id, results[1].id) != 0, "array: distinct ids");
	is_str(results[1].reference, "ARR-2", "array: reference of second");

	body = handoff_body(st, results[0].id);
	is_str(body, array_first, "array: first verbatim");
	free(body);
	body = handoff_body(st, results[1].id);
	is_str(body, array_second, "array: second verbatim");
	free(body);

	body = query_text(st, "SELECT body FROM evidence WHERE incident_id = ?1 AND kind = 'note'",
			  results[0].id, NULL);
	is_str(body, "{\"text\": \"a \\\"quoted\\\" ] } [ { value\", \"name\": \"x\"}",
	       "array: item without kind verbatim");
	free(body);
	body = query_text(st, "SELECT at FROM evidence WHERE incident_id = ?1 AND kind = 'log'",
			  results[0].id, NULL);
	is_str(body, "2024-05-01T13:35:00Z", "array: item time in UTC");
	free(body);
	body = query_text(st, "SELECT suggestion_rule FROM incidents WHERE id = ?1", results[0].id,
			  NULL);
	is_str(body, "priority (P2)", "array: priority fallback rule");
	free(body);
	body = event_details(st, results[0].id, "severity suggested");
	is_str(body, "suggested sev2 by rule priority: No risk indicator matched; the dashboard"
	       " priority P2 corresponds to Sev 2", "array: priority fallback event");
	free(body);
	body = query_text(st, "SELECT summary FROM incidents WHERE id = ?1", results[1].id, NULL);
	is_str(body, "Second\\", "array: escaped summary");
	free(body);

	import_results_free(results, n);
	sb_free(&warnings);
	sb_free(&errors);
	free(text);
}

static void test_duplicate_in_file(struct store *st)
{
	const char *text =
		"[{\"source\": \"ops-dashboard\", \"reference\": \"DUP-1\", \"summary\": \"One\"},"
		" {\"source\": \"ops-dashboard\", \"reference\": \"DUP-1\", \"summary\": \"Again\"}]";
	struct import_result *results = NULL;
	size_t n = 0;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	struct row_counts before = counts(st), after;
	int rc;

	sb_init(&warnings);
	sb_init(&errors);
	rc = import_text(st, "dup.json", text, 0, &results, &n, &warnings, &errors, &err);
	after = counts(st);
	is_int(rc, 0, "duplicate in file: imports");
	is_int(n, 2, "duplicate in file: two results");
	is_int(after.incidents - before.incidents, 1, "duplicate in file: one incident");
	if (n == 2) {
		is_int(results[0].already, 0, "duplicate in file: first new");
		is_int(results[1].already, 1, "duplicate in file: second already");
		is_str(results[1].id, results[0].id, "duplicate in file: same id");
	}
	import_results_free(results, n);
	sb_free(&warnings);
	sb_free(&errors);
}

static const struct {
	const char *file;
	const char *message; /* after "PATH" */
	int prefix;          /* the line only starts with MESSAGE: jansson's wording follows */
} bad_inputs[] = {
	{"invalid-json.json", ":3:15: invalid JSON: ", 1},
	{"invalid-utf8.json", ":2:28: invalid JSON: ", 1},
	{"duplicate-key.json", ":3:11: invalid JSON: ", 1},
	{"empty.json", ": empty file; expected a handoff object or an array of them", 0},
	{"not-object.json", ": expected a handoff object or an array of them, got a string", 0},
	{"empty-array.json", ": no handoffs: the array is empty", 0},
	{"element-not-object.json", ": [1]: expected a handoff object, got a string", 0},
	{"missing-summary.json", ": summary: missing; every handoff needs a summary of the problem", 0},
	{"summary-number.json", ": summary: expected a string, got a number", 0},
	{"summary-empty.json", ": summary: empty; every handoff needs a summary of the problem", 0},
	{"nul-in-summary.json",
	 ": summary: contains a NUL character (\\u0000), which cannot be stored; remove it", 0},
	{"priority-urgent.json", ": priority: expected one of P0, P1, P2, P3, got \"urgent\"", 0},
	{"bad-detected-at.json", ": detected_at: invalid time \"yesterday afternoon\"; expected"
	 " ISO 8601 such as 2024-05-01T13:35:00Z", 0},
	{"channel-number.json", ": channel: expected a string or an array of strings, got a number", 0},
	{"indicators-not-array.json", ": risk_indicators: expected an array of strings, got a string", 0},
	{"evidence-not-object.json", ": evidence[0]: expected an object, got a string", 0},
	{"version-2.json", ": handoff_version: unsupported version 2; this warroom reads handoff"
	 " version 1", 0},
	{"second-bad.json", ": [1].priority: expected one of P0, P1, P2, P3, got \"urgent\"", 0},
};

/* Each malformed file gives its one error line and leaves the store as it was. */
static void test_bad_inputs(struct store *st)
{
	for (size_t i = 0; i < COUNT(bad_inputs); i++) {
		char path[4096], name[160], *expected;
		struct import_result *results = (struct import_result *)1;
		size_t n = 99;
		struct strbuf warnings, errors;
		struct wr_error err = {0};
		struct row_counts before = counts(st), after;
		int rc;

		snprintf(path, sizeof path, "%s", test_path("tests/handoffs-bad/"));
		snprintf(path + strlen(path), sizeof path - strlen(path), "%s", bad_inputs[i].file);
		sb_init(&warnings);
		sb_init(&errors);
		rc = import_file(st, pb, path, &results, &n, &warnings, &errors, &err);
		after = counts(st);

		snprintf(name, sizeof name, "bad %s: fails", bad_inputs[i].file);
		is_int(rc, -1, name);
		snprintf(name, sizeof name, "bad %s: bad input status", bad_inputs[i].file);
		is_int(err.status, WR_BAD_INPUT, name);
		snprintf(name, sizeof name, "bad %s: nothing stored", bad_inputs[i].file);
		ok(same_counts(before, after), name);
		snprintf(name, sizeof name, "bad %s: no results", bad_inputs[i].file);
		ok(results == NULL && n == 0, name);

		expected = xasprintf("%s%s%s", path, bad_inputs[i].message, bad_inputs[i].prefix ? "" : "\n");
		snprintf(name, sizeof name, "bad %s: message", bad_inputs[i].file);
		if (bad_inputs[i].prefix) {
			ok(strncmp(errors.data, expected, strlen(expected)) == 0, name);
			snprintf(name, sizeof name, "bad %s: one line", bad_inputs[i].file);
			ok(strchr(errors.data, '\n') == errors.data + errors.len - 1, name);
		} else {
			is_str(errors.data, expected, name);
		}
		if (errors.len && strncmp(errors.data, expected, strlen(expected)) != 0)
			printf("# got: %s", errors.data);
		free(expected);
		sb_free(&warnings);
		sb_free(&errors);
	}
}

static void test_several_errors(struct store *st)
{
	struct import_result *results = NULL;
	size_t n = 0, lines = 0;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	char path[4096];
	int rc;

	snprintf(path, sizeof path, "%s", test_path("tests/handoffs-bad/several-errors.json"));
	sb_init(&warnings);
	sb_init(&errors);
	rc = import_file(st, pb, path, &results, &n, &warnings, &errors, &err);
	for (size_t i = 0; i < errors.len; i++)
		lines += errors.data[i] == '\n';
	is_int(rc, -1, "several errors: fails");
	is_int(lines, 6, "several errors: all reported");
	ok(strstr(errors.data, "evidence[0].kind: \"handoff\" is the kind of the imported handoff") !=
	   NULL, "several errors: reserved kind");
	ok(strstr(errors.data, "evidence[0].at: invalid time \"later\"") != NULL,
	   "several errors: item time");
	ok(strstr(errors.data, "channel[1]: expected a string, got false") != NULL,
	   "several errors: list item");
	ok(strstr(err.message, "summary: empty") != NULL, "several errors: first in message");
	ok(strstr(err.message, "(and 5 more errors); nothing was imported") != NULL,
	   "several errors: count in message");
	sb_free(&warnings);
	sb_free(&errors);
}

static void test_missing_file(struct store *st)
{
	struct import_result *results = NULL;
	size_t n = 0;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	char *path = xasprintf("%s/no-such-file.json", test_tmpdir());
	char *expected = xasprintf("%s: cannot open: No such file or directory\n", path);
	int rc;

	sb_init(&warnings);
	sb_init(&errors);
	rc = import_file(st, pb, path, &results, &n, &warnings, &errors, &err);
	is_int(rc, -1, "missing file: fails");
	is_int(err.status, WR_BAD_INPUT, "missing file: bad input");
	is_str(errors.data, expected, "missing file: message");
	free(path);
	free(expected);
	sb_free(&warnings);
	sb_free(&errors);
}

static void test_warnings(struct store *st)
{
	const char *text =
		"{\"source\": \"ops-dashboard\", \"reference\": \"WARN-1\", \"summary\": \"Odd handoff\","
		" \"scope\": \"regional\", \"risk_indicators\": [\"cosmetic\", \"foo\"],"
		" \"ticket_url\": \"https://tickets.example/1\", \"tags\": {\"team\": [\"cards\"]}}";
	struct strbuf warnings;
	struct wr_error err = {0};
	struct incident *inc;
	json_t *extra, *expected;
	char *id, *other;

	sb_init(&warnings);
	id = import_one(st, text, &warnings);
	if (!ok(id != NULL, "warnings: imports")) {
		sb_free(&warnings);
		return;
	}
	is_str(warnings.data,
	       "inline.json: scope: unknown scope \"regional\"; kept\n"
	       "inline.json: risk_indicators[1]: unknown risk indicator \"foo\", so it suggests no "
	       "severity; kept (the playbook knows widespread_outage, payments_blocked, "
	       "security_breach_suspected, high_error_volume, major_degradation, limited_impact, "
	       "cosmetic, data_exposure, account_takeover_pattern, unusual_login_spike, phishing and "
	       "third_party_dependency)\n"
	       "inline.json: ticket_url: unknown field; kept in the incident's extra fields\n"
	       "inline.json: tags: unknown field; kept in the incident's extra fields\n"
	       "inline.json: detected_at: missing; the incident starts at the import time until the"
	       " record gives the real start\n",
	       "warnings: listed");
	sb_free(&warnings);

	/* Without detected_at the start comes from received_at; an empty evidence item is named. */
	sb_init(&warnings);
	other = import_one(st, "{\"summary\": \"No detection time\", \"received_at\": "
			   "\"2018-06-01T13:52:00Z\", \"evidence\": [{\"kind\": \"metric\"}]}", &warnings);
	inc = other ? incident_get(st, other, &err) : NULL;
	is_str(inc ? inc->started_at : NULL, "2018-06-01T13:52:00Z", "warnings: start from received_at");
	incident_free(inc);
	free(other);
	ok(strstr(warnings.data, "detected_at: missing; the incident starts at received_at until the"
		  " record gives the real start\n") != NULL, "warnings: received_at start said");
	ok(strstr(warnings.data, "evidence[0]: has no name, value, text or url; kept, but it shows"
		  " nothing\n") != NULL, "warnings: empty evidence item");

	/* Near misses of known names get a suggestion. */
	sb_free(&warnings);
	sb_init(&warnings);
	free(import_one(st, "{\"summary\": \"Typos\", \"scope\": \"globl\", \"incident\": 1,"
			" \"risk_indicators\": [\"payments_blockd\"], \"prodcut\": \"Cards\"}", &warnings));
	ok(strstr(warnings.data, "scope: unknown scope \"globl\"; kept (did you mean \"global\"?)")
	   != NULL, "warnings: scope suggestion");
	ok(strstr(warnings.data, "unknown risk indicator \"payments_blockd\", so it suggests no "
		  "severity; kept (did you mean \"payments_blocked\"?)") != NULL,
	   "warnings: indicator suggestion");
	ok(strstr(warnings.data, "prodcut: unknown field; kept in the incident's extra fields "
		  "(did you mean \"product\"?)") != NULL, "warnings: field suggestion");
	ok(strstr(warnings.data, "incident: unknown field; kept in the incident's extra fields\n")
	   != NULL, "warnings: no suggestion when nothing is near");

	/* A misspelt summary is an error, and the error names the field that may be meant. */
	{
		struct import_result *results = NULL;
		struct strbuf errors;
		size_t n = 0;

		sb_init(&errors);
		ok(import_text(st, "inline.json", "{\"summry\": \"Typo in the one required field\"}", 0,
			       &results, &n, &warnings, &errors, &err) != 0, "warnings: misspelt summary fails");
		ok(strstr(errors.data, "summary: missing; every handoff needs a summary of the problem"
			  " (is the field \"summry\" meant to be it?)") != NULL,
		   "warnings: misspelt summary named");
		import_results_free(results, n);
		sb_free(&errors);
		memset(&err, 0, sizeof err);
	}

	inc = incident_get(st, id, &err);
	ok(inc && strlist_contains(&inc->risk_indicators, "foo"), "warnings: indicator kept");
	is_str(inc ? inc->scope : NULL, "regional", "warnings: scope kept");
	is_str(inc ? inc->suggestion_rule : NULL, "cosmetic (cosmetic)", "warnings: known indicator used");
	extra = json_loads(inc && inc->extra ? inc->extra : "null", 0, NULL);
	expected = json_loads("{\"ticket_url\": \"https://tickets.example/1\","
			      " \"tags\": {\"team\": [\"cards\"]}}", 0, NULL);
	ok(json_equal(extra, expected), "warnings: unknown fields in extra");
	json_decref(extra);
	json_decref(expected);
	incident_free(inc);
	free(id);
	sb_free(&warnings);
}

static void test_no_reference(struct store *st)
{
	const char *text = "{\"summary\": \"Hand-written\", \"reference\": null, \"product\": null}";
	struct strbuf warnings;
	struct wr_error err = {0};
	struct incident *inc;
	char *id, *details;

	sb_init(&warnings);
	id = import_one(st, text, &warnings);
	if (!ok(id != NULL, "no reference: imports")) {
		sb_free(&warnings);
		return;
	}
	is_str(warnings.data, "inline.json: no source and reference to recognise it by; importing"
	       " it again opens a second incident\n"
	       "inline.json: detected_at: missing; the incident starts at the import time until the"
	       " record gives the real start\n", "no reference: warned");
	inc = incident_get(st, id, &err);
	ok(inc && inc->reference == NULL, "no reference: null is absent");
	ok(inc && inc->suggested_severity == NULL, "no reference: no suggestion");
	details = event_details(st, id, "severity suggested");
	is_str(details, "no severity suggested: no risk indicator matched a rule and the handoff"
	       " has no priority", "no reference: no suggestion event");
	free(details);
	details = event_details(st, id, "imported");
	is_str(details, "from inline.json (no reference)", "no reference: imported event");
	free(details);
	incident_free(inc);
	free(id);
	sb_free(&warnings);
}

/* A store failure halfway through a file rolls back the handoffs written before it. */
static void test_store_failure(struct store *st)
{
	const char *text =
		"[{\"source\": \"ops-dashboard\", \"reference\": \"FAIL-1\", \"summary\": \"Fine\"},"
		" {\"source\": \"ops-dashboard\", \"reference\": \"FAIL-2\", \"summary\": \"Breaks\","
		"  \"evidence\": [{\"name\": \"boom\"}]}]";
	struct import_result *results = NULL;
	size_t n = 0;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	struct row_counts before, after;
	int rc;

	ok(sqlite3_exec(store_db(st), "CREATE TEMP TRIGGER evidence_boom BEFORE INSERT ON evidence"
			" WHEN NEW.name = 'boom' BEGIN SELECT RAISE(ABORT, 'test failure'); END",
			NULL, NULL, NULL) == SQLITE_OK, "store failure: trigger");
	before = counts(st);
	sb_init(&warnings);
	sb_init(&errors);
	rc = import_text(st, "fail.json", text, 0, &results, &n, &warnings, &errors, &err);
	after = counts(st);
	is_int(rc, -1, "store failure: fails");
	is_int(err.status, WR_FAILED, "store failure: failed status");
	ok(strstr(err.message, "test failure") != NULL, "store failure: cause in message");
	ok(strncmp(errors.data, "fail.json: ", 11) == 0, "store failure: error line");
	ok(strstr(errors.data, "test failure; nothing was imported\n") != NULL,
	   "store failure: error line cause");
	ok(same_counts(before, after), "store failure: rolled back");
	ok(results == NULL && n == 0, "store failure: no results");
	is_str(warnings.data, "", "store failure: no warnings");
	sqlite3_exec(store_db(st), "DROP TRIGGER evidence_boom", NULL, NULL, NULL);

	rc = import_text(st, "fail.json", text, 0, &results, &n, &warnings, &errors, &err);
	is_int(rc, 0, "store failure: retry succeeds");
	is_int(n == 2 ? results[0].already + results[1].already : -1, 0, "store failure: retry new");
	import_results_free(results, n);
	sb_free(&warnings);
	sb_free(&errors);
}

/* Past 50 messages of a kind the rest are counted in one line. */
static void test_message_limit(struct store *st)
{
	struct strbuf text, warnings, errors;
	struct import_result *results = NULL;
	size_t n = 0, lines = 0;
	struct wr_error err = {0};
	char *id;

	sb_init(&text);
	sb_init(&warnings);
	sb_init(&errors);
	sb_add(&text, "{\"summary\": \"Many extras\"");
	for (int i = 0; i < 60; i++)
		sb_addf(&text, ", \"extra_%d\": %d", i, i);
	sb_add(&text, "}");
	id = import_one(st, text.data, &warnings);
	ok(id != NULL, "message limit: warnings import");
	for (size_t i = 0; i < warnings.len; i++)
		lines += warnings.data[i] == '\n';
	is_int(lines, 51, "message limit: 50 warnings and a count");
	ok(strstr(warnings.data, "inline.json: 12 more warnings not shown\n") != NULL,
	   "message limit: warning count");
	free(id);

	sb_free(&text);
	sb_init(&text);
	sb_add(&text, "[");
	for (int i = 0; i < 60; i++)
		sb_addf(&text, "%s{\"summary\": %d}", i ? "," : "", i);
	sb_add(&text, "]");
	import_text(st, "many.json", text.data, 0, &results, &n, NULL, &errors, &err);
	lines = 0;
	for (size_t i = 0; i < errors.len; i++)
		lines += errors.data[i] == '\n';
	is_int(lines, 51, "message limit: 50 errors and a count");
	ok(strstr(errors.data, "many.json: 10 more errors not shown\n") != NULL,
	   "message limit: error count");
	ok(strstr(err.message, "(and 59 more errors)") != NULL, "message limit: total in message");
	sb_free(&text);
	sb_free(&warnings);
	sb_free(&errors);
}

static void test_byte_order_mark(struct store *st)
{
	const char *text = "\xEF\xBB\xBF{\"summary\": \"Exported on Windows\"}";
	struct strbuf warnings;
	char *id, *body;

	sb_init(&warnings);
	id = import_one(st, text, &warnings);
	ok(id != NULL, "byte order mark: imports");
	body = id ? handoff_body(st, id) : NULL;
	is_str(body, text + 3, "byte order mark: not in evidence");
	free(body);
	free(id);
	sb_free(&warnings);
}

static void test_times(struct store *st)
{
	const char *text = "{\"summary\": \"Times\", \"received_at\": \"2018-06-01T14:52:00+01:00\","
			   " \"detected_at\": \"2018-06-01\"}";
	struct strbuf warnings;
	struct wr_error err = {0};
	struct incident *inc;
	char *id, *body;

	sb_init(&warnings);
	id = import_one(st, text, &warnings);
	if (!ok(id != NULL, "times: imports")) {
		sb_free(&warnings);
		return;
	}
	inc = incident_get(st, id, &err);
	is_str(inc ? inc->received_at : NULL, "2018-06-01T13:52:00Z", "times: received in UTC");
	is_str(inc ? inc->detected_at : NULL, "2018-06-01T00:00:00Z", "times: date only");
	is_str(inc ? inc->started_at : NULL, "2018-06-01T00:00:00Z", "times: started at detection");
	body = handoff_body(st, id);
	is_str(body, text, "times: original kept in evidence");
	free(body);
	incident_free(inc);
	free(id);
	sb_free(&warnings);
}

static void test_exact_text(struct store *st)
{
	const char *text = "{\"summary\": \"\\u001b]0;owned\\u0007 \\r\\n\\t \\u00fcn\\u00efc\\u00f6d\\u00e9"
			   " \\u20ac \\u202e\\u0001\", \"reporter\": \"r\\u00e9\\\\\\\"x\"}";
	const char *want = "\x1b" "]0;owned\x07 \r\n\t \xc3\xbc" "n\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9"
			   " \xe2\x82\xac \xe2\x80\xae\x01";
	struct strbuf warnings;
	struct wr_error err = {0};
	struct incident *inc;
	char *id;

	sb_init(&warnings);
	id = import_one(st, text, &warnings);
	if (!ok(id != NULL, "control characters: imports")) {
		sb_free(&warnings);
		return;
	}
	inc = incident_get(st, id, &err);
	is_str(inc ? inc->summary : NULL, want, "control characters: summary exact");
	is_str(inc ? inc->reporter : NULL, "r\xc3\xa9\\\"x", "control characters: reporter exact");
	incident_free(inc);
	free(id);
	sb_free(&warnings);
}

static void test_large_summary(struct store *st)
{
	size_t size = 1024 * 1024;
	struct strbuf text, want, warnings;
	struct wr_error err = {0};
	struct incident *inc;
	char *id, *body;

	sb_init(&text);
	sb_init(&want);
	sb_add(&text, "{\"summary\": \"");
	while (want.len < size) {
		sb_add(&want, "\xc3\xa9" "x\t");
		sb_add(&text, "\xc3\xa9" "x\\t");
	}
	sb_add(&text, "\"}");
	sb_init(&warnings);
	id = import_one(st, text.data, &warnings);
	if (ok(id != NULL, "large summary: imports")) {
		inc = incident_get(st, id, &err);
		is_int(inc && inc->summary ? strlen(inc->summary) : 0, want.len, "large summary: length");
		ok(inc && inc->summary && strcmp(inc->summary, want.data) == 0, "large summary: exact");
		body = handoff_body(st, id);
		ok(body && strcmp(body, text.data) == 0, "large summary: verbatim evidence");
		free(body);
		incident_free(inc);
	}
	free(id);
	sb_free(&text);
	sb_free(&want);
	sb_free(&warnings);
}

/* Values quoted in messages are escaped and shortened, so no raw control byte is printed. */
static void test_safe_messages(struct store *st)
{
	struct strbuf text, errors, warnings;
	struct import_result *results = NULL;
	size_t n = 0;
	struct wr_error err = {0};
	char *id;
	const char *escaped = "bad\\e[1mname.json: priority: expected one of P0, P1, P2, P3,"
			      " got \"\\e[2JP0P0";
	int raw_control = 0;

	sb_init(&text);
	sb_add(&text, "{\"summary\": \"x\", \"priority\": \"\\u001b[2J");
	for (int i = 0; i < 100000; i++)
		sb_add(&text, "P0");
	sb_add(&text, "\", \"risk_indicators\": [\"unknown\"]}");
	sb_init(&errors);
	sb_init(&warnings);
	import_text(st, "bad\x1b[1mname.json", text.data, 0, &results, &n, &warnings, &errors, &err);
	for (size_t i = 0; i < errors.len; i++)
		raw_control |= (unsigned char)errors.data[i] < 0x20 && errors.data[i] != '\n';
	ok(!raw_control, "safe messages: no control bytes");
	is_str(warnings.data, "", "safe messages: no warnings on error");
	ok(strncmp(errors.data, escaped, strlen(escaped)) == 0, "safe messages: escaped");
	ok(errors.len < 300, "safe messages: long value shortened");
	ok(strstr(errors.data, "P0...\"\n") != NULL, "safe messages: shortening marked");
	sb_free(&text);

	id = import_one(st, "{\"summary\": \"x\", \"risk_indicators\": [\"\\u009b31m\"],"
			" \"scope\": \"\\u001b[2J\"}", &warnings);
	ok(id != NULL, "safe messages: warnings import");
	is_str(warnings.data,
	       "inline.json: risk_indicators[0]: unknown risk indicator \"\\u009B31m\", so it suggests "
	       "no severity; kept (the playbook knows widespread_outage, payments_blocked, "
	       "security_breach_suspected, high_error_volume, major_degradation, limited_impact, "
	       "cosmetic, data_exposure, account_takeover_pattern, unusual_login_spike, phishing and "
	       "third_party_dependency)\n"
	       "inline.json: scope: unknown scope \"\\e[2J\"; kept\n"
	       "inline.json: no source and reference to recognise it by; importing it again"
	       " opens a second incident\n"
	       "inline.json: detected_at: missing; the incident starts at the import time until the"
	       " record gives the real start\n", "safe messages: warnings escaped");
	free(id);
	sb_free(&errors);
	sb_free(&warnings);
}

static void test_dry_run(struct store *st, const char *existing_id)
{
	char *fixture = test_read_file(test_path("tests/fixtures/card-auth-switch-failure.json"));
	char *text = xasprintf("[%s, {\"source\": \"ops-dashboard\", \"reference\": \"DRY-1\","
			       " \"summary\": \"Not yet\"}]", fixture);
	struct import_result *results = NULL;
	size_t n = 0;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	struct row_counts before = counts(st), after;
	int rc;

	sb_init(&warnings);
	sb_init(&errors);
	rc = import_text(st, "dry.json", text, 1, &results, &n, &warnings, &errors, &err);
	after = counts(st);
	is_int(rc, 0, "dry run: succeeds");
	ok(same_counts(before, after), "dry run: nothing written");
	is_int(n, 2, "dry run: two results");
	if (n == 2) {
		is_int(results[0].already, 1, "dry run: first already imported");
		is_str(results[0].id, existing_id, "dry run: existing id");
		is_int(results[1].already, 0, "dry run: second new");
		ok(results[1].id == NULL, "dry run: no id for new");
	}
	import_results_free(results, n);

	rc = import_text(NULL, "dry.json", text, 1, &results, &n, &warnings, &errors, &err);
	is_int(rc, 0, "dry run without store: succeeds");
	is_int(n ? results[0].already : -1, 0, "dry run without store: nothing known");
	import_results_free(results, n);
	sb_free(&warnings);
	sb_free(&errors);
	free(text);
	free(fixture);
}

static void test_stdin(struct store *st)
{
	char *path = xasprintf("%s/stdin.json", test_tmpdir());
	FILE *f = fopen(path, "w");
	struct import_result *results = NULL;
	size_t n = 0;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	int rc;

	fputs("{\"summary\": \"From standard input\", \"priority\": \"urgent\"}", f);
	fclose(f);
	if (!ok(freopen(path, "r", stdin) != NULL, "stdin: reopened")) {
		free(path);
		return;
	}
	sb_init(&warnings);
	sb_init(&errors);
	rc = import_file(st, pb, "-", &results, &n, &warnings, &errors, &err);
	is_int(rc, -1, "stdin: read and validated");
	is_str(errors.data, "<stdin>: priority: expected one of P0, P1, P2, P3, got \"urgent\"\n",
	       "stdin: named in messages");
	sb_free(&warnings);
	sb_free(&errors);
	free(path);
}

int main(void)
{
	struct store *st;
	char *ids[COUNT(fixtures)];

	setenv("WARROOM_NOW", "2024-05-01T12:00:00Z", 1);
	setenv("WARROOM_ACTOR", "tester", 1);
	pb = test_playbook();
	st = test_store();

	test_fixtures(st, ids);
	if (ids[3])
		test_security_via_data_exposure(st, ids[3]);
	if (ids[0]) {
		test_card_details(st, ids[0]);
		test_reimport(st, ids[0]);
		test_dry_run(st, ids[0]);
	}
	test_array(st);
	test_duplicate_in_file(st);
	test_bad_inputs(st);
	test_several_errors(st);
	test_missing_file(st);
	test_warnings(st);
	test_no_reference(st);
	test_byte_order_mark(st);
	test_store_failure(st);
	test_message_limit(st);
	test_times(st);
	test_exact_text(st);
	test_large_summary(st);
	test_safe_messages(st);
	test_stdin(st);

	for (size_t i = 0; i < COUNT(fixtures); i++)
		free(ids[i]);
	store_close(st);
	playbook_free(pb);
	return tap_done();
}
