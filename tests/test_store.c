/*
 * Unit tests for the store (opening, file modes, schema versions, damaged
 * files, transactions, ids, the append-only timeline) and the incident
 * record (insert, get, list, string lists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "incident.h"
#include "migrations.h"
#include "store.h"
#include "tap.h"
#include "testlib.h"

/* A file's whole content, NUL bytes included. */
struct bytes {
	char *data;
	size_t len;
};

static struct bytes read_bytes(const char *path)
{
	struct bytes b = {NULL, 0};
	FILE *f = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		exit(99);
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		b.data = xrealloc(b.data, b.len + n);
		memcpy(b.data + b.len, chunk, n);
		b.len += n;
	}
	fclose(f);
	return b;
}

static int bytes_equal(struct bytes a, struct bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "%s: cannot write\n", path);
		exit(99);
	}
}

/* Returns a path in the test's temporary folder, which the caller frees. */
static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", test_tmpdir(), name);
}

/* Runs a query that returns one integer, or -1 when it fails. */
static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	long long value = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

/* Runs a query that returns one text value (caller frees), or NULL when it fails. */
static char *query_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	char *value = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		value = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return value;
}

/* Creates a plain SQLite file (rollback journal) and runs SQL in it, outside the store. */
static void make_raw_database(const char *path, const char *sql)
{
	sqlite3 *db;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
		exit(99);
	}
	sqlite3_close(db);
}

static int contains(const char *haystack, const char *needle)
{
	return haystack && strstr(haystack, needle) != NULL;
}

static size_t schema_version(void)
{
	size_t count;

	migrations(&count);
	return count;
}

/* Opens a new incident with SUMMARY in its own transaction and returns its id (caller frees). */
static char *open_incident(struct store *st, const char *summary)
{
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *id;

	fields->summary = xstrdup(summary);
	if (store_begin(st, &err) != 0 || incident_insert(st, fields, &err) != 0 ||
	    store_commit(st, &err) != 0) {
		fprintf(stderr, "open_incident: %s\n", err.message);
		exit(99);
	}
	id = xstrdup(fields->id);
	incident_free(fields);
	return id;
}

static void test_new_store(void)
{
	struct store *st = test_store();
	sqlite3 *db = store_db(st);
	char *mode = query_text(db, "PRAGMA journal_mode");

	is_int(query_int(db, "PRAGMA user_version"), (long long)schema_version(),
	       "new store: user_version");
	is_str(mode, "wal", "new store: WAL journal");
	is_int(query_int(db, "PRAGMA foreign_keys"), 1, "new store: foreign keys on");
	is_int(query_int(db, "PRAGMA synchronous"), 2, "new store: synchronous FULL");
	is_int(query_int(db, "PRAGMA busy_timeout"), 5000, "new store: busy timeout");
	is_int(query_int(db, "SELECT count(*) FROM incidents"), 0, "new store: no incidents");
	ok(!store_readonly(st), "new store: read-write");
	free(mode);
	store_close(st);
}

static void test_file_modes(void)
{
	char *path = tmp_path("private/sub/warroom.db");
	char *top = tmp_path("private");
	char *sub = tmp_path("private/sub");
	char *wal = xasprintf("%s-wal", path);
	char *shm = xasprintf("%s-shm", path);
	struct wr_error err = {0};
	struct stat sb;
	struct store *st;

	st = store_open(path, STORE_CREATE, &err);
	ok(st != NULL, "file modes: store created");
	if (!st) {
		printf("# %s\n", err.message);
		return;
	}
	free(open_incident(st, "a change so the WAL has frames"));

	ok(stat(path, &sb) == 0 && (sb.st_mode & 077) == 0, "file modes: database 0600");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0600) == 0600, "file modes: owner can write");
	ok(stat(wal, &sb) == 0 && (sb.st_mode & 077) == 0, "file modes: -wal private");
	ok(stat(shm, &sb) == 0 && (sb.st_mode & 077) == 0, "file modes: -shm private");
	ok(stat(top, &sb) == 0 && (sb.st_mode & 0777) == 0700, "file modes: created folder 0700");
	ok(stat(sub, &sb) == 0 && (sb.st_mode & 0777) == 0700, "file modes: nested folder 0700");
	store_close(st);

	free(path);
	free(top);
	free(sub);
	free(wal);
	free(shm);
}

static void test_reopen(void)
{
	char *path = tmp_path("reopen.db");
	struct wr_error err = {0};
	struct store *st = store_open(path, STORE_CREATE, &err);
	struct bytes before, after;
	char *id;

	ok(st != NULL, "reopen: first open");
	if (!st)
		return;
	id = open_incident(st, "kept across opens");
	store_close(st);
	before = read_bytes(path);

	st = store_open(path, STORE_CREATE, &err);
	ok(st != NULL, "reopen: second open");
	if (!st)
		return;
	is_int(query_int(store_db(st), "PRAGMA user_version"), (long long)schema_version(),
	       "reopen: same version");
	is_int(query_int(store_db(st), "SELECT count(*) FROM incidents"), 1,
	       "reopen: incident kept");
	store_close(st);
	after = read_bytes(path);
	ok(bytes_equal(before, after), "reopen: file unchanged");

	st = store_open(path, 0, &err);
	ok(st != NULL, "reopen: without STORE_CREATE");
	store_close(st);

	free(before.data);
	free(after.data);
	free(id);
	free(path);
}

static void test_missing_file(void)
{
	char *path = tmp_path("missing/none.db");
	struct wr_error err = {0};
	struct stat sb;

	ok(store_open(path, 0, &err) == NULL, "missing file: rejected");
	is_int(err.status, WR_BAD_INPUT, "missing file: status");
	ok(contains(err.message, path), "missing file: names path");
	ok(contains(err.message, "run `warroom import` or `warroom new` first, or pass --db"),
	   "missing file: says how to create");
	ok(stat(path, &sb) != 0, "missing file: not created");

	memset(&err, 0, sizeof err);
	ok(store_open(path, STORE_READONLY, &err) == NULL, "missing file: read-only rejected");
	ok(contains(err.message, "no such database"), "missing file: read-only message");

	memset(&err, 0, sizeof err);
	ok(store_open(NULL, 0, &err) == NULL, "missing file: no path rejected");
	ok(contains(err.message, "--db"), "missing file: no path message");

	memset(&err, 0, sizeof err);
	ok(store_open(test_tmpdir(), STORE_CREATE, &err) == NULL, "missing file: folder rejected");
	ok(contains(err.message, "is a folder"), "missing file: folder message");
	free(path);
}

static void test_newer_schema(void)
{
	char *path = tmp_path("newer.db");
	char *sql = xasprintf("CREATE TABLE future (x); PRAGMA user_version = %zu;",
			      schema_version() + 1);
	char *want = xasprintf("%s: schema version %zu is newer than this warroom supports (%zu); upgrade warroom",
			       path, schema_version() + 1, schema_version());
	struct wr_error err = {0};
	struct bytes before, after;
	char *wal = xasprintf("%s-wal", path);
	struct stat sb;

	make_raw_database(path, sql);
	before = read_bytes(path);

	ok(store_open(path, STORE_CREATE, &err) == NULL, "newer schema: rejected");
	is_str(err.message, want, "newer schema: message");
	is_int(err.status, WR_FAILED, "newer schema: status");
	after = read_bytes(path);
	ok(bytes_equal(before, after), "newer schema: file unchanged");
	ok(stat(wal, &sb) != 0, "newer schema: no WAL switch");
	free(after.data);

	memset(&err, 0, sizeof err);
	ok(store_open(path, STORE_READONLY, &err) == NULL, "newer schema: read-only rejected");
	is_str(err.message, want, "newer schema: read-only message");
	after = read_bytes(path);
	ok(bytes_equal(before, after), "newer schema: unchanged after read-only");

	free(before.data);
	free(after.data);
	free(sql);
	free(want);
	free(wal);
	free(path);
}

static void test_not_a_database(void)
{
	char *path = tmp_path("notes.txt");
	struct wr_error err = {0};
	struct strbuf text;
	struct bytes before, after;

	sb_init(&text);
	for (int i = 0; i < 200; i++)
		sb_add(&text, "09:14 card declines rising, bridge opened\n");
	write_file(path, text.data, text.len);
	before = read_bytes(path);

	ok(store_open(path, STORE_CREATE, &err) == NULL, "not a database: rejected");
	ok(contains(err.message, path), "not a database: names path");
	ok(contains(err.message, "not a SQLite database"), "not a database: says why");
	after = read_bytes(path);
	ok(bytes_equal(before, after), "not a database: file unchanged");
	free(after.data);

	memset(&err, 0, sizeof err);
	ok(store_open(path, STORE_READONLY, &err) == NULL, "not a database: read-only rejected");
	ok(contains(err.message, "not a SQLite database"), "not a database: read-only message");

	free(before.data);
	sb_free(&text);
	free(path);
}

static void test_corrupt(void)
{
	char *path = tmp_path("corrupt.db");
	struct wr_error err = {0};
	struct store *st = store_open(path, STORE_CREATE, &err);
	struct bytes damaged, after;
	long long page_size;

	ok(st != NULL, "corrupt: store created");
	if (!st)
		return;
	for (int i = 0; i < 20; i++)
		free(open_incident(st, "an incident to fill some pages of the incidents table"));
	page_size = query_int(store_db(st), "PRAGMA page_size");
	store_close(st);

	/* Overwrite the second page (the incidents table's root) with junk. */
	damaged = read_bytes(path);
	ok(damaged.len >= (size_t)page_size * 3, "corrupt: file has pages");
	if (damaged.len < (size_t)page_size * 3)
		return;
	memset(damaged.data + page_size, 0x5a, (size_t)page_size);
	write_file(path, damaged.data, damaged.len);

	ok(store_open(path, 0, &err) == NULL, "corrupt: rejected");
	ok(contains(err.message, path), "corrupt: names path");
	ok(contains(err.message, "corrupt"), "corrupt: says why");
	after = read_bytes(path);
	ok(bytes_equal(damaged, after), "corrupt: file unchanged");

	free(damaged.data);
	free(after.data);
	free(path);
}

static void test_other_program(void)
{
	char *path = tmp_path("other.db");
	struct wr_error err = {0};
	struct bytes before, after;

	make_raw_database(path, "CREATE TABLE contacts (name TEXT);");
	before = read_bytes(path);
	ok(store_open(path, 0, &err) == NULL, "other program: rejected");
	ok(contains(err.message, "not a warroom database"), "other program: says why");
	after = read_bytes(path);
	ok(bytes_equal(before, after), "other program: file unchanged");
	free(before.data);
	free(after.data);
	free(path);
}

static void test_incident_ids(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	char id[32];
	int year = 0, seq = 0;
	char *first, *second, *next_year, *back;

	setenv("WARROOM_NOW", "2026-03-02T09:15:00Z", 1);
	first = open_incident(st, "first of 2026");
	second = open_incident(st, "second of 2026");
	setenv("WARROOM_NOW", "2027-01-01T00:00:05Z", 1);
	next_year = open_incident(st, "first of 2027");
	setenv("WARROOM_NOW", "2026-12-31T23:59:59Z", 1);
	back = open_incident(st, "late 2026");

	is_str(first, "INC-2026-0001", "ids: first of year");
	is_str(second, "INC-2026-0002", "ids: next in year");
	is_str(next_year, "INC-2027-0001", "ids: new year restarts");
	is_str(back, "INC-2026-0003", "ids: per-year sequence");

	ok(store_next_incident_id(st, clock_now(), id, &year, &seq, &err) != 0,
	   "ids: outside transaction rejected");
	ok(contains(err.message, "transaction"), "ids: outside transaction message");

	/* Past 9999 the sequence grows wider instead of wrapping. */
	sqlite3_exec(store_db(st),
		     "INSERT INTO incidents (id, year, seq, summary, created_at)"
		     " VALUES ('INC-2026-9999', 2026, 9999, 'filler', '2026-12-31T23:59:59Z')",
		     NULL, NULL, NULL);
	ok(store_begin(st, &err) == 0, "ids: begin");
	ok(store_next_incident_id(st, clock_now(), id, &year, &seq, &err) == 0, "ids: allocate");
	is_str(id, "INC-2026-10000", "ids: wider past 9999");
	is_int(year, 2026, "ids: year");
	is_int(seq, 10000, "ids: seq");
	store_rollback(st);

	unsetenv("WARROOM_NOW");
	free(first);
	free(second);
	free(next_year);
	free(back);
	store_close(st);
}

static void test_events_append_only(void)
{
	struct store *st = test_store();
	sqlite3 *db = store_db(st);
	char *id = open_incident(st, "timeline");
	char *details;

	ok(sqlite3_exec(db, "UPDATE events SET details = 'rewritten'", NULL, NULL, NULL) != SQLITE_OK,
	   "events: update rejected");
	ok(contains(sqlite3_errmsg(db), "append-only"), "events: update message");
	ok(sqlite3_exec(db, "DELETE FROM events", NULL, NULL, NULL) != SQLITE_OK,
	   "events: delete rejected");
	is_int(query_int(db, "SELECT count(*) FROM events"), 1, "events: row kept");
	details = query_text(db, "SELECT details FROM events");
	is_str(details, "timeline", "events: details kept");

	free(details);
	free(id);
	store_close(st);
}

static void test_store_event(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	char *id = open_incident(st, "event check");
	char *actor, *at, *details;

	setenv("WARROOM_ACTOR", "Dana Okafor", 1);
	setenv("WARROOM_NOW", "2026-05-04T10:20:30+02:00", 1);
	ok(store_event(st, id, "note", &err, "bridge %s at %d", "opened", 8) != 0,
	   "store_event: outside transaction rejected");
	ok(store_begin(st, &err) == 0, "store_event: begin");
	ok(store_event(st, id, "note", &err, "bridge %s at %d", "opened", 8) == 0,
	   "store_event: inserted");
	ok(store_commit(st, &err) == 0, "store_event: commit");

	actor = query_text(store_db(st), "SELECT actor FROM events WHERE kind = 'note'");
	at = query_text(store_db(st), "SELECT at FROM events WHERE kind = 'note'");
	details = query_text(store_db(st), "SELECT details FROM events WHERE kind = 'note'");
	is_str(actor, "Dana Okafor", "store_event: actor");
	is_str(at, "2026-05-04T08:20:30Z", "store_event: UTC time");
	is_str(details, "bridge opened at 8", "store_event: details");
	is_int(query_int(store_db(st), "SELECT count(*) FROM events WHERE kind = 'note'"), 1,
	       "store_event: one row");

	memset(&err, 0, sizeof err);
	ok(store_begin(st, &err) == 0, "store_event: begin again");
	ok(store_event(st, "INC-1999-0001", "note", &err, "no such incident") != 0,
	   "store_event: unknown incident rejected");
	ok(contains(err.message, "FOREIGN KEY"), "store_event: foreign key message");
	store_rollback(st);

	unsetenv("WARROOM_ACTOR");
	unsetenv("WARROOM_NOW");
	free(actor);
	free(at);
	free(details);
	free(id);
	store_close(st);
}

static void test_insert_opened_event(void)
{
	struct store *st = test_store();
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *actor, *kind, *details, *at;

	setenv("WARROOM_ACTOR", "r.mensah", 1);
	setenv("WARROOM_NOW", "2026-02-10T07:45:00Z", 1);
	fields->summary = xstrdup("Card authorisations failing at the switch");
	fields->source = xstrdup("ops-dashboard");
	fields->reference = xstrdup("HO-4471");
	ok(store_begin(st, &err) == 0, "opened event: begin");
	ok(incident_insert(st, fields, &err) == 0, "opened event: insert");
	ok(store_commit(st, &err) == 0, "opened event: commit");

	actor = query_text(store_db(st), "SELECT actor FROM events");
	kind = query_text(store_db(st), "SELECT kind FROM events");
	details = query_text(store_db(st), "SELECT details FROM events");
	at = query_text(store_db(st), "SELECT at FROM events");
	is_str(actor, "r.mensah", "opened event: actor");
	is_str(kind, "opened", "opened event: kind");
	is_str(details, "Card authorisations failing at the switch (source ops-dashboard HO-4471)",
	       "opened event: details");
	is_str(at, "2026-02-10T07:45:00Z", "opened event: time");
	is_str(fields->id, "INC-2026-0001", "opened event: id written back");

	unsetenv("WARROOM_ACTOR");
	unsetenv("WARROOM_NOW");
	free(actor);
	free(kind);
	free(details);
	free(at);
	incident_free(fields);
	store_close(st);
}

static void fill_list(struct strlist *list, const char *a, const char *b)
{
	strlist_add(list, a);
	strlist_add(list, b);
}

static void test_get_round_trip(void)
{
	struct store *st = test_store();
	struct incident *in = xcalloc(1, sizeof *in);
	struct incident *out;
	struct wr_error err = {0};

	setenv("WARROOM_NOW", "2026-04-01T12:00:00Z", 1);
	in->source = xstrdup("ops-dashboard");
	in->reference = xstrdup("HO-1");
	in->summary = xstrdup("Logins fail after the core banking migration");
	in->category = xstrdup("availability");
	in->scope = xstrdup("customer-facing");
	in->severity = xstrdup("SEV2");
	in->suggested_severity = xstrdup("SEV1");
	in->suggestion_rule = xstrdup("payments-at-risk");
	in->status = xstrdup("resolved"); /* replaced by "open" */
	in->product = xstrdup("Mobile banking");
	fill_list(&in->channels, "app", "web \"beta\"");
	in->priority = xstrdup("P1");
	fill_list(&in->risk_indicators, "payments", "regulator");
	fill_list(&in->impacted_services, "login", "transfers");
	fill_list(&in->metrics, "error rate 12%", "é ü 中");
	in->detection_source = xstrdup("monitoring");
	in->reporter = xstrdup("NOC shift lead");
	in->reproduction = xstrdup("log in with any retail account\nsee error 503");
	in->received_at = xstrdup("2026-04-01T11:58:00Z");
	in->detected_at = xstrdup("2026-04-01T13:50:00+02:00");
	in->mitigated_at = xstrdup("2026-04-01T12:30:00Z");
	in->resolved_at = xstrdup("2026-04-01T12:40:00Z");
	in->closed_at = xstrdup("2026-04-01T12:50:00Z");
	in->commander = xstrdup("Dana Okafor");
	in->impact_what = xstrdup("retail logins");
	in->impact_who = xstrdup("all mobile customers");
	in->impact_since = xstrdup("11:45 UTC");
	in->impact_status = xstrdup("ongoing");
	in->root_cause = xstrdup("session store schema mismatch");
	in->vendor_blame_approved_by = xstrdup("CIO");
	in->root_cause_approved_by = xstrdup("Head of Comms");
	in->extra = xstrdup("{\"ticket\":\"X-9\"}");

	ok(store_begin(st, &err) == 0, "round trip: begin");
	ok(incident_insert(st, in, &err) == 0, "round trip: insert");
	ok(store_commit(st, &err) == 0, "round trip: commit");

	out = incident_get(st, in->id, &err);
	ok(out != NULL, "round trip: get");
	if (!out)
		return;
	is_str(out->id, "INC-2026-0001", "round trip: id");
	is_str(out->source, in->source, "round trip: source");
	is_str(out->reference, in->reference, "round trip: reference");
	is_str(out->summary, in->summary, "round trip: summary");
	is_str(out->category, in->category, "round trip: category");
	is_str(out->scope, in->scope, "round trip: scope");
	is_str(out->severity, in->severity, "round trip: severity");
	is_str(out->suggested_severity, in->suggested_severity, "round trip: suggested severity");
	is_str(out->suggestion_rule, in->suggestion_rule, "round trip: suggestion rule");
	is_str(out->status, "open", "round trip: status open");
	is_str(out->product, in->product, "round trip: product");
	is_int(out->channels.len, 2, "round trip: channels count");
	ok(strlist_contains(&out->channels, "web \"beta\""), "round trip: channel quoted");
	is_str(out->channels.items[0], "app", "round trip: channel order");
	is_str(out->priority, in->priority, "round trip: priority");
	is_int(out->risk_indicators.len, 2, "round trip: risk indicators count");
	is_str(out->risk_indicators.items[1], "regulator", "round trip: risk indicator");
	is_int(out->impacted_services.len, 2, "round trip: services count");
	is_str(out->impacted_services.items[1], "transfers", "round trip: service");
	is_int(out->metrics.len, 2, "round trip: metrics count");
	is_str(out->metrics.items[1], "é ü 中", "round trip: metric UTF-8");
	is_str(out->detection_source, in->detection_source, "round trip: detection source");
	is_str(out->reporter, in->reporter, "round trip: reporter");
	is_str(out->reproduction, in->reproduction, "round trip: reproduction");
	is_str(out->received_at, "2026-04-01T11:58:00Z", "round trip: received_at");
	is_str(out->detected_at, "2026-04-01T11:50:00Z", "round trip: detected_at in UTC");
	is_str(out->started_at, "2026-04-01T11:50:00Z", "round trip: started_at from detected");
	is_str(out->created_at, "2026-04-01T12:00:00Z", "round trip: created_at");
	is_str(out->mitigated_at, in->mitigated_at, "round trip: mitigated_at");
	is_str(out->resolved_at, in->resolved_at, "round trip: resolved_at");
	is_str(out->closed_at, in->closed_at, "round trip: closed_at");
	is_str(out->commander, in->commander, "round trip: commander");
	is_str(out->impact_what, in->impact_what, "round trip: impact what");
	is_str(out->impact_who, in->impact_who, "round trip: impact who");
	is_str(out->impact_since, in->impact_since, "round trip: impact since");
	is_str(out->impact_status, in->impact_status, "round trip: impact status");
	is_str(out->root_cause, in->root_cause, "round trip: root cause");
	is_str(out->vendor_blame_approved_by, in->vendor_blame_approved_by,
	       "round trip: vendor blame approval");
	is_str(out->root_cause_approved_by, in->root_cause_approved_by,
	       "round trip: root cause approval");
	is_str(out->extra, "{\"ticket\":\"X-9\"}", "round trip: extra");
	is_str(in->status, "open", "round trip: caller's status updated");
	incident_free(out);

	memset(&err, 0, sizeof err);
	ok(incident_get(st, "INC-2026-0999", &err) == NULL, "get: unknown id");
	is_int(err.status, WR_BAD_INPUT, "get: unknown id status");
	ok(contains(err.message, "INC-2026-0999 not found"), "get: unknown id message");

	memset(&err, 0, sizeof err);
	ok(incident_get(st, "", &err) == NULL, "get: empty id");
	is_int(err.status, WR_BAD_INPUT, "get: empty id status");

	unsetenv("WARROOM_NOW");
	incident_free(in);
	store_close(st);
}

static void test_insert_defaults(void)
{
	struct store *st = test_store();
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct incident *got;
	struct wr_error err = {0};

	setenv("WARROOM_NOW", "2026-06-01T08:00:00Z", 1);
	fields->summary = xstrdup("minimal");
	ok(store_begin(st, &err) == 0, "defaults: begin");
	ok(incident_insert(st, fields, &err) == 0, "defaults: insert");
	ok(store_commit(st, &err) == 0, "defaults: commit");

	got = incident_get(st, fields->id, &err);
	ok(got != NULL, "defaults: get");
	if (got) {
		is_str(got->started_at, "2026-06-01T08:00:00Z", "defaults: started_at is created_at");
		is_str(got->extra, "{}", "defaults: extra");
		is_int(got->channels.len, 0, "defaults: no channels");
		ok(got->source == NULL, "defaults: source NULL");
		ok(got->detected_at == NULL, "defaults: detected_at NULL");
	}
	incident_free(got);
	incident_free(fields);
	unsetenv("WARROOM_NOW");
	store_close(st);
}

/* Tries to insert FIELDS; returns the error status and leaves nothing stored. */
static int insert_status(struct store *st, struct incident *fields, struct wr_error *err)
{
	int status;

	memset(err, 0, sizeof *err);
	if (store_begin(st, err) != 0)
		return -1;
	status = incident_insert(st, fields, err) == 0 ? WR_OK : err->status;
	if (status == WR_OK)
		store_commit(st, err);
	else
		store_rollback(st);
	return status;
}

static void test_insert_bad_input(void)
{
	struct store *st = test_store();
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *id;

	fields->summary = xstrdup("  \t");
	is_int(insert_status(st, fields, &err), WR_BAD_INPUT, "bad input: blank summary");
	ok(contains(err.message, "summary"), "bad input: summary message");

	free(fields->summary);
	fields->summary = xstrdup("timed");
	fields->detected_at = xstrdup("yesterday morning");
	is_int(insert_status(st, fields, &err), WR_BAD_INPUT, "bad input: bad time");
	ok(contains(err.message, "detected_at"), "bad input: time names field");
	ok(contains(err.message, "yesterday morning"), "bad input: time shows value");
	free(fields->detected_at);
	fields->detected_at = NULL;

	fields->extra = xstrdup("[1, 2]");
	is_int(insert_status(st, fields, &err), WR_BAD_INPUT, "bad input: extra not object");
	ok(contains(err.message, "extra"), "bad input: extra message");
	free(fields->extra);
	fields->extra = NULL;

	strlist_add(&fields->channels, "bad \xff byte");
	is_int(insert_status(st, fields, &err), WR_BAD_INPUT, "bad input: list not UTF-8");
	ok(contains(err.message, "channels"), "bad input: list names field");
	strlist_free(&fields->channels);

	is_int(query_int(store_db(st), "SELECT count(*) FROM incidents"), 0,
	       "bad input: nothing stored");
	is_int(query_int(store_db(st), "SELECT count(*) FROM events"), 0,
	       "bad input: no events");

	fields->source = xstrdup("ops-dashboard");
	fields->reference = xstrdup("HO-77");
	is_int(insert_status(st, fields, &err), WR_OK, "duplicate: first import");
	id = xstrdup(fields->id);
	is_int(insert_status(st, fields, &err), WR_BAD_INPUT, "duplicate: second import");
	ok(contains(err.message, id), "duplicate: names existing id");
	is_int(query_int(store_db(st), "SELECT count(*) FROM incidents"), 1,
	       "duplicate: one incident");

	ok(store_begin(st, &err) == 0, "outside: begin works");
	store_rollback(st);
	memset(&err, 0, sizeof err);
	ok(incident_insert(st, fields, &err) != 0, "outside: insert needs transaction");

	free(id);
	incident_free(fields);
	store_close(st);
}

static void test_find_origin(void)
{
	struct store *st = test_store();
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *found;

	fields->summary = xstrdup("from a handoff");
	fields->source = xstrdup("ops-dashboard");
	fields->reference = xstrdup("HO-5");
	is_int(insert_status(st, fields, &err), WR_OK, "find origin: insert");

	found = incident_find_origin(st, "ops-dashboard", "HO-5", &err);
	is_str(found, fields->id, "find origin: found");
	free(found);
	err.status = WR_FAILED;
	found = incident_find_origin(st, "ops-dashboard", "HO-6", &err);
	ok(found == NULL, "find origin: none");
	is_int(err.status, WR_OK, "find origin: none is no error");

	incident_free(fields);
	store_close(st);
}

static void test_list(void)
{
	struct store *st = test_store();
	struct incident *list = NULL;
	struct wr_error err = {0};
	size_t count = 0;
	char *first, *second, *third, *fourth;

	setenv("WARROOM_NOW", "2026-07-01T09:00:00Z", 1);
	first = open_incident(st, "first");
	second = open_incident(st, "second");
	setenv("WARROOM_NOW", "2026-07-01T08:00:00Z", 1);
	third = open_incident(st, "third, created earlier");
	setenv("WARROOM_NOW", "2026-07-01T10:00:00Z", 1);
	fourth = open_incident(st, "fourth");
	sqlite3_exec(store_db(st),
		     "UPDATE incidents SET status = 'resolved' WHERE summary = 'second';"
		     "UPDATE incidents SET status = 'closed' WHERE summary = 'fourth';",
		     NULL, NULL, NULL);

	ok(incident_list(st, 0, &list, &count, &err) == 0, "list: open ones");
	is_int(count, 2, "list: resolved and closed left out");
	if (count == 2) {
		is_str(list[0].id, third, "list: oldest first");
		is_str(list[1].id, first, "list: then next");
	}
	incident_list_free(list, count);

	ok(incident_list(st, 1, &list, &count, &err) == 0, "list: all");
	is_int(count, 4, "list: all count");
	if (count == 4) {
		is_str(list[0].id, third, "list: all first");
		is_str(list[1].id, first, "list: all second");
		is_str(list[2].id, second, "list: all third");
		is_str(list[3].id, fourth, "list: all fourth");
		is_str(list[2].status, "resolved", "list: status read");
	}
	incident_list_free(list, count);

	unsetenv("WARROOM_NOW");
	free(first);
	free(second);
	free(third);
	free(fourth);
	store_close(st);
}

static void test_strlist(void)
{
	struct strlist list = {0};
	char *json;

	ok(strlist_from_json(&list, "[\"a\", \"b\\u00e9\"]") == 0, "strlist: parse");
	is_int(list.len, 2, "strlist: parsed count");
	is_str(list.items[1], "bé", "strlist: unicode escape");
	ok(strlist_contains(&list, "a"), "strlist: contains");
	ok(!strlist_contains(&list, "A"), "strlist: exact match");

	ok(strlist_from_json(&list, "[\"c\", 3]") != 0, "strlist: number item rejected");
	is_int(list.len, 2, "strlist: unchanged after reject");
	ok(strlist_from_json(&list, "{\"a\": 1}") != 0, "strlist: object rejected");
	ok(strlist_from_json(&list, "[\"a\"") != 0, "strlist: broken JSON rejected");
	ok(strlist_from_json(&list, "[\"nul\\u0000inside\"]") != 0, "strlist: NUL rejected");
	ok(strlist_from_json(&list, NULL) != 0, "strlist: NULL rejected");

	json = strlist_to_json(&list);
	is_str(json, "[\"a\",\"bé\"]", "strlist: to JSON");
	free(json);
	strlist_free(&list);
	is_int(list.len, 0, "strlist: freed");

	json = strlist_to_json(&list);
	is_str(json, "[]", "strlist: empty to JSON");
	free(json);
}

static void test_readonly(void)
{
	char *path = tmp_path("readonly.db");
	struct wr_error err = {0};
	struct store *st = store_open(path, STORE_CREATE, &err);
	struct bytes after;
	struct incident *list = NULL;
	size_t count = 0;

	ok(st != NULL, "read-only: created");
	if (!st)
		return;
	free(open_incident(st, "seen by a viewer"));
	store_close(st);

	st = store_open(path, STORE_READONLY, &err);
	ok(st != NULL, "read-only: opened");
	if (!st)
		return;
	ok(store_readonly(st), "read-only: flag");
	is_int(query_int(store_db(st), "PRAGMA query_only"), 1, "read-only: query_only");
	ok(sqlite3_exec(store_db(st),
			"INSERT INTO incidents (id, year, seq, summary, created_at)"
			" VALUES ('INC-2026-0100', 2026, 100, 'x', '2026-01-01T00:00:00Z')",
			NULL, NULL, NULL) != SQLITE_OK,
	   "read-only: INSERT fails");
	ok(store_begin(st, &err) != 0, "read-only: begin rejected");
	ok(contains(err.message, "read-only"), "read-only: begin message");
	ok(incident_list(st, 1, &list, &count, &err) == 0, "read-only: list works");
	is_int(count, 1, "read-only: list count");
	incident_list_free(list, count);
	store_close(st);

	memset(&err, 0, sizeof err);
	ok(store_open(path, STORE_READONLY | STORE_CREATE, &err) == NULL,
	   "read-only: create flag rejected");
	free(path);

	/* An empty file has schema version 0, older than any this program writes. */
	path = tmp_path("empty.db");
	write_file(path, "", 0);
	memset(&err, 0, sizeof err);
	ok(store_open(path, STORE_READONLY, &err) == NULL, "read-only: empty file rejected");
	ok(contains(err.message, "empty"), "read-only: empty file message");
	after = read_bytes(path);
	is_int(after.len, 0, "read-only: empty file unchanged");
	free(after.data);
	free(path);
}

static void test_readonly_folder(void)
{
	char *dir = tmp_path("locked");
	char *path = tmp_path("locked/warroom.db");
	struct wr_error err = {0};
	struct store *st = store_open(path, STORE_CREATE, &err);
	struct incident *list = NULL;
	size_t count = 0;

	ok(st != NULL, "locked folder: created");
	if (!st)
		return;
	free(open_incident(st, "read from a folder the viewer cannot write"));
	store_close(st);

	if (geteuid() == 0) {
		/* root ignores folder permissions, so the open below would prove nothing. */
		printf("# skipping the locked folder checks: running as root\n");
		free(dir);
		free(path);
		return;
	}

	chmod(dir, 0555);
	st = store_open(path, STORE_READONLY, &err);
	ok(st != NULL, "locked folder: read-only open");
	if (!st)
		printf("# %s\n", err.message);
	ok(st && incident_list(st, 1, &list, &count, &err) == 0, "locked folder: list works");
	is_int(count, 1, "locked folder: list count");
	incident_list_free(list, count);
	store_close(st);
	chmod(dir, 0700);

	free(dir);
	free(path);
}

static void test_unwritable_file(void)
{
	char *path = tmp_path("unwritable.db");
	struct wr_error err = {0};
	struct store *st = store_open(path, STORE_CREATE, &err);
	struct bytes before, after;

	ok(st != NULL, "unwritable file: created");
	store_close(st);
	if (geteuid() == 0) {
		/* root writes to a file whatever its mode, so the open below would succeed. */
		printf("# skipping the unwritable file checks: running as root\n");
		free(path);
		return;
	}

	chmod(path, 0400);
	before = read_bytes(path);
	ok(store_open(path, 0, &err) == NULL, "unwritable file: read-write rejected");
	ok(contains(err.message, "not writable"), "unwritable file: message");
	after = read_bytes(path);
	ok(bytes_equal(before, after), "unwritable file: unchanged");
	st = store_open(path, STORE_READONLY, &err);
	ok(st != NULL, "unwritable file: read-only works");
	store_close(st);
	chmod(path, 0600);

	free(before.data);
	free(after.data);
	free(path);
}

static long long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000LL + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void test_busy(void)
{
	char *path = tmp_path("busy.db");
	struct wr_error err = {0};
	struct store *first = store_open(path, STORE_CREATE, &err);
	struct store *second = store_open(path, 0, &err);
	struct timespec start;

	ok(first && second, "busy: two connections");
	if (!first || !second)
		return;
	store_set_busy_timeout(second, 200);
	is_int(query_int(store_db(second), "PRAGMA busy_timeout"), 200, "busy: timeout set");

	ok(store_begin(first, &err) == 0, "busy: first holds the lock");
	clock_gettime(CLOCK_MONOTONIC, &start);
	ok(store_begin(second, &err) != 0, "busy: second rejected");
	ok(elapsed_ms(&start) >= 150, "busy: waited for the timeout");
	is_int(err.status, WR_FAILED, "busy: status");
	ok(contains(err.message, "database is busy: another warroom is writing; try again"),
	   "busy: message");

	store_rollback(first);
	memset(&err, 0, sizeof err);
	ok(store_begin(second, &err) == 0, "busy: free after rollback");
	ok(store_begin(second, &err) != 0, "busy: nested begin rejected");
	store_rollback(second);

	store_close(first);
	store_close(second);
	free(path);
}

static void test_default_path(void)
{
	char *path;

	setenv("XDG_DATA_HOME", "/srv/data", 1);
	path = store_default_path();
	is_str(path, "/srv/data/warroom/warroom.db", "default path: XDG_DATA_HOME");
	free(path);

	setenv("XDG_DATA_HOME", "relative/data", 1);
	setenv("HOME", "/home/ic", 1);
	path = store_default_path();
	is_str(path, "/home/ic/.local/share/warroom/warroom.db", "default path: relative XDG ignored");
	free(path);

	unsetenv("XDG_DATA_HOME");
	path = store_default_path();
	is_str(path, "/home/ic/.local/share/warroom/warroom.db", "default path: HOME");
	free(path);
}

int main(void)
{
	unsetenv("WARROOM_NOW");
	unsetenv("WARROOM_ACTOR");

	test_new_store();
	test_file_modes();
	test_reopen();
	test_missing_file();
	test_newer_schema();
	test_not_a_database();
	test_corrupt();
	test_other_program();
	test_incident_ids();
	test_events_append_only();
	test_store_event();
	test_insert_opened_event();
	test_get_round_trip();
	test_insert_defaults();
	test_insert_bad_input();
	test_find_origin();
	test_list();
	test_strlist();
	test_readonly();
	test_readonly_folder();
	test_unwritable_file();
	test_busy();
	test_default_path();
	return tap_done();
}
