/*
 * Unit tests for the tamper-evident timeline: SHA-256 through libsodium,
 * the event hash encoding, seq and prev_hash from store_event, chain_verify
 * on altered, removed and foreign events, and a version 1 database sealed
 * by the upgrade to version 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "incident.h"
#include "migrations.h"
#include "sha256.h"
#include "steps.h"
#include "store.h"
#include "tap.h"
#include "testlib.h"

/* Runs SQL on the store's connection, or exits: the tests' stand-in for someone with sqlite3. */
static void tamper(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "tamper: %s: %s\n", sql, msg ? msg : "?");
		exit(99);
	}
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

/* Runs a query that returns one text value (caller frees), or NULL. */
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

static int contains(const char *haystack, const char *needle)
{
	return haystack && strstr(haystack, needle) != NULL;
}

/* Opens a new incident and adds N_NOTES notes ("note 1", "note 2"...); returns its id (caller frees). */
static char *incident_with_notes(struct store *st, int n_notes)
{
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *id;

	fields->summary = xstrdup("Card payments failing");
	if (store_begin(st, &err) != 0 || incident_insert(st, fields, &err) != 0 ||
	    store_commit(st, &err) != 0) {
		fprintf(stderr, "incident_with_notes: %s\n", err.message);
		exit(99);
	}
	id = xstrdup(fields->id);
	incident_free(fields);

	for (int i = 1; i <= n_notes; i++) {
		char text[32];

		snprintf(text, sizeof text, "note %d", i);
		if (note_add(st, id, text, &err) != 0) {
			fprintf(stderr, "note_add: %s\n", err.message);
			exit(99);
		}
	}
	return id;
}

/* Runs chain_verify and exits when it cannot run at all. */
static struct chain_report verify(struct store *st, const char *id)
{
	struct chain_report report;
	struct wr_error err = {0};

	if (chain_verify(st, id, &report, &err) != 0) {
		fprintf(stderr, "chain_verify: %s\n", err.message);
		exit(99);
	}
	return report;
}

static void test_sha256_vectors(void)
{
	struct sha256 h;
	char hex[SHA256_HEX_LEN + 1];

	/* FIPS 180-2 test vectors: "abc" and the empty message. */
	sha256_start(&h);
	sha256_update(&h, "abc", 3);
	sha256_finish(&h, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "sha256: abc");

	sha256_start(&h);
	sha256_finish(&h, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	       "sha256: empty");

	/* The same bytes in pieces give the same digest. */
	sha256_start(&h);
	sha256_update(&h, "a", 1);
	sha256_update(&h, "bc", 2);
	sha256_finish(&h, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "sha256: in pieces");

	ok(sha256_hex_valid(hex), "sha256: hex valid");
	ok(!sha256_hex_valid("BA7816"), "sha256: short hex invalid");
}

static void test_event_hash_fields(void)
{
	struct chain_event base = {chain_first_prev_hash, "INC-2026-0001", 1, "2026-03-02T10:00:00Z",
				   "alice", "note", "checked the dashboards"};
	struct chain_event ev;
	char a[SHA256_HEX_LEN + 1], b[SHA256_HEX_LEN + 1];

	chain_event_hash(&base, a);
	ok(sha256_hex_valid(a), "event hash: 64 hex digits");
	chain_event_hash(&base, b);
	is_str(b, a, "event hash: deterministic");

	ev = base;
	ev.details = "checked the dashboard";
	chain_event_hash(&ev, b);
	ok(strcmp(a, b) != 0, "event hash: covers details");

	ev = base;
	ev.seq = 2;
	chain_event_hash(&ev, b);
	ok(strcmp(a, b) != 0, "event hash: covers seq");

	ev = base;
	ev.actor = "mallory";
	chain_event_hash(&ev, b);
	ok(strcmp(a, b) != 0, "event hash: covers actor");

	ev = base;
	ev.at = "2026-03-02T10:00:01Z";
	chain_event_hash(&ev, b);
	ok(strcmp(a, b) != 0, "event hash: covers time");

	ev = base;
	ev.incident_id = "INC-2026-0002";
	chain_event_hash(&ev, b);
	ok(strcmp(a, b) != 0, "event hash: covers incident");

	ev = base;
	ev.prev_hash = "1111111111111111111111111111111111111111111111111111111111111111";
	chain_event_hash(&ev, b);
	ok(strcmp(a, b) != 0, "event hash: covers prev_hash");

	/* Moving bytes from one field to the next must change the hash. */
	ev = base;
	ev.actor = "alicen";
	ev.kind = "ote";
	chain_event_hash(&ev, b);
	ok(strcmp(a, b) != 0, "event hash: field boundaries");
}

static void test_store_event_chain(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 2);
	sqlite3 *db = store_db(st);
	char *first_prev, *first_hash, *second_prev, *third_hash;
	struct chain_event ev;
	char hash[SHA256_HEX_LEN + 1];

	is_int(query_int(db, "SELECT count(*) FROM events WHERE seq IS NULL OR hash IS NULL"), 0,
	       "store_event: every event sealed");
	is_int(query_int(db, "SELECT group_concat(seq) = '1,2,3' FROM"
			 " (SELECT seq FROM events ORDER BY id)"), 1,
	       "store_event: seq 1, 2, 3");

	first_prev = query_text(db, "SELECT prev_hash FROM events WHERE seq = 1");
	is_str(first_prev, chain_first_prev_hash, "store_event: first prev_hash zeros");
	first_hash = query_text(db, "SELECT hash FROM events WHERE seq = 1");
	second_prev = query_text(db, "SELECT prev_hash FROM events WHERE seq = 2");
	is_str(second_prev, first_hash, "store_event: second follows first");

	/* The stored hash is the documented encoding of the stored fields. */
	ev.prev_hash = query_text(db, "SELECT prev_hash FROM events WHERE seq = 3");
	ev.incident_id = id;
	ev.seq = 3;
	ev.at = query_text(db, "SELECT at FROM events WHERE seq = 3");
	ev.actor = query_text(db, "SELECT actor FROM events WHERE seq = 3");
	ev.kind = query_text(db, "SELECT kind FROM events WHERE seq = 3");
	ev.details = query_text(db, "SELECT details FROM events WHERE seq = 3");
	chain_event_hash(&ev, hash);
	third_hash = query_text(db, "SELECT hash FROM events WHERE seq = 3");
	is_str(third_hash, hash, "store_event: hash recomputes");

	free((char *)ev.prev_hash);
	free((char *)ev.at);
	free((char *)ev.actor);
	free((char *)ev.kind);
	free((char *)ev.details);
	free(first_prev);
	free(first_hash);
	free(second_prev);
	free(third_hash);
	free(id);
	store_close(st);
}

static void test_seq_per_incident(void)
{
	struct store *st = test_store();
	char *a = incident_with_notes(st, 2);
	char *b = incident_with_notes(st, 1);
	char *sql = xasprintf("SELECT max(seq) FROM events WHERE incident_id = '%s'", b);

	is_int(query_int(store_db(st), sql), 2, "seq: counts per incident");
	free(sql);
	free(a);
	free(b);
	store_close(st);
}

static void test_verify_ok(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 3);
	struct chain_report report = verify(st, id);
	char *last = query_text(store_db(st), "SELECT hash FROM events ORDER BY seq DESC LIMIT 1");

	is_int(report.status, CHAIN_OK, "verify ok: status");
	is_int(report.events, 4, "verify ok: count");
	is_str(report.last_hash, last, "verify ok: last hash");
	ok(contains(report.message, "ok, 4 events"), "verify ok: message");
	free(last);
	free(id);
	store_close(st);
}

static void test_verify_altered(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 3);
	struct chain_report report;

	tamper(st, "DROP TRIGGER events_no_update;"
		   "UPDATE events SET details = 'nothing happened' WHERE seq = 3");
	report = verify(st, id);
	is_int(report.status, CHAIN_ALTERED, "altered: status");
	is_int(report.seq, 3, "altered: seq");
	ok(contains(report.message, "event 3 (note, "), "altered: names the event");
	ok(contains(report.message, "was altered: its hash does not match its contents"),
	   "altered: says what");
	free(id);
	store_close(st);
}

static void test_verify_altered_actor(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 1);
	struct chain_report report;

	tamper(st, "DROP TRIGGER events_no_update;"
		   "UPDATE events SET actor = 'someone else' WHERE seq = 1");
	report = verify(st, id);
	is_int(report.status, CHAIN_ALTERED, "altered actor: status");
	is_int(report.seq, 1, "altered actor: seq");
	free(id);
	store_close(st);
}

static void test_verify_nul_byte(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 1);
	struct chain_report report;

	/* Text after a NUL byte is invisible to C strings, but still part of the stored value. */
	tamper(st, "DROP TRIGGER events_no_update;"
		   "UPDATE events SET details = CAST(details || x'00' || 'hidden' AS TEXT)"
		   " WHERE seq = 2");
	report = verify(st, id);
	is_int(report.status, CHAIN_ALTERED, "nul byte: status");
	is_int(report.seq, 2, "nul byte: seq");
	free(id);
	store_close(st);
}

static void test_verify_deleted(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 3);
	struct chain_report report;

	tamper(st, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 2");
	report = verify(st, id);
	is_int(report.status, CHAIN_MISSING, "deleted: status");
	is_int(report.seq, 3, "deleted: seq of next");
	ok(contains(report.message, "event 2 is missing"), "deleted: names the gap");
	ok(contains(report.message, "follows event 1"), "deleted: names the neighbour");
	free(id);
	store_close(st);
}

static void test_verify_deleted_first(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 2);
	struct chain_report report;

	tamper(st, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq IN (1, 2)");
	report = verify(st, id);
	is_int(report.status, CHAIN_MISSING, "deleted first: status");
	ok(contains(report.message, "events 1 to 2 are missing: the timeline starts at event 3"),
	   "deleted first: message");
	free(id);
	store_close(st);
}

static void test_verify_deleted_all(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 0);
	struct chain_report report;

	tamper(st, "DROP TRIGGER events_no_delete; DELETE FROM events");
	report = verify(st, id);
	is_int(report.status, CHAIN_MISSING, "deleted all: status");
	is_int(report.events, 0, "deleted all: count");
	free(id);
	store_close(st);
}

/* Deletes event 2 and renumbers event 3 as 2 with a correct hash of its own. */
static void test_verify_resealed(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 2);
	sqlite3 *db = store_db(st);
	struct chain_event ev = {0};
	struct chain_report report;
	char hash[SHA256_HEX_LEN + 1];
	char *sql;

	ev.prev_hash = query_text(db, "SELECT prev_hash FROM events WHERE seq = 3");
	ev.incident_id = id;
	ev.seq = 2;
	ev.at = query_text(db, "SELECT at FROM events WHERE seq = 3");
	ev.actor = query_text(db, "SELECT actor FROM events WHERE seq = 3");
	ev.kind = query_text(db, "SELECT kind FROM events WHERE seq = 3");
	ev.details = query_text(db, "SELECT details FROM events WHERE seq = 3");
	chain_event_hash(&ev, hash);

	sql = xasprintf("DROP TRIGGER events_no_delete; DROP TRIGGER events_no_update;"
			"DELETE FROM events WHERE seq = 2;"
			"UPDATE events SET seq = 2, hash = '%s' WHERE seq = 3",
			hash);
	tamper(st, sql);
	report = verify(st, id);
	is_int(report.status, CHAIN_MISSING, "resealed: status");
	is_int(report.seq, 2, "resealed: seq");
	ok(contains(report.message, "does not follow event 1"), "resealed: message");

	free(sql);
	free((char *)ev.prev_hash);
	free((char *)ev.at);
	free((char *)ev.actor);
	free((char *)ev.kind);
	free((char *)ev.details);
	free(id);
	store_close(st);
}

static void test_verify_unsealed_row(void)
{
	struct store *st = test_store();
	char *id = incident_with_notes(st, 1);
	struct chain_report report;
	char *sql = xasprintf("INSERT INTO events (incident_id, at, actor, kind, details)"
			      " VALUES ('%s', '2026-03-02T11:00:00Z', 'mallory', 'note', 'added later')",
			      id);

	tamper(st, sql);
	report = verify(st, id);
	is_int(report.status, CHAIN_ALTERED, "unsealed row: status");
	ok(contains(report.message, "has no sequence number"), "unsealed row: message");
	free(sql);
	free(id);
	store_close(st);
}

static void test_verify_moved_event(void)
{
	struct store *st = test_store();
	char *a = incident_with_notes(st, 1);
	char *b = incident_with_notes(st, 1);
	struct chain_report report;
	char *sql = xasprintf("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;"
			      "DELETE FROM events WHERE incident_id = '%s' AND seq = 2;"
			      "UPDATE events SET incident_id = '%s' WHERE incident_id = '%s' AND seq = 2",
			      b, b, a);

	/* An event moved from A to B keeps its seq and prev_hash but not its incident id. */
	tamper(st, sql);
	report = verify(st, b);
	is_int(report.status, CHAIN_ALTERED, "moved event: status");
	is_int(report.seq, 2, "moved event: seq");
	report = verify(st, a);
	is_int(report.status, CHAIN_OK, "moved event: source shorter but ok");
	free(sql);
	free(a);
	free(b);
	store_close(st);
}

static void test_verify_unknown(void)
{
	struct store *st = test_store();
	struct chain_report report;
	struct wr_error err = {0};

	is_int(chain_verify(st, "INC-2026-0099", &report, &err), -1, "unknown incident: fails");
	is_int(err.status, WR_BAD_INPUT, "unknown incident: bad input");
	ok(contains(err.message, "INC-2026-0099"), "unknown incident: named");
	store_close(st);
}

/* Creates a version 1 database at PATH: migration 1 alone, two incidents, interleaved events. */
static void make_v1_database(const char *path)
{
	const char *const *list;
	size_t count;
	sqlite3 *db;
	char *msg = NULL;

	list = migrations(&count);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, list[0], NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "PRAGMA user_version = 1;"
			 "INSERT INTO incidents (id, year, seq, summary, created_at) VALUES"
			 " ('INC-2025-0001', 2025, 1, 'Logins failing', '2025-11-03T09:00:00Z'),"
			 " ('INC-2025-0002', 2025, 2, 'Card declines', '2025-11-03T09:10:00Z');"
			 "INSERT INTO events (incident_id, at, actor, kind, details) VALUES"
			 " ('INC-2025-0001', '2025-11-03T09:00:00Z', 'alice', 'opened', 'opened: Logins failing'),"
			 " ('INC-2025-0002', '2025-11-03T09:10:00Z', 'bob', 'opened', 'opened: Card declines'),"
			 " ('INC-2025-0001', '2025-11-03T09:12:00Z', 'alice', 'note', 'checked the login service'),"
			 " ('INC-2025-0001', '2025-11-03T09:20:00Z', 'alice', 'severity', 'sev2 -> sev1'),"
			 " ('INC-2025-0002', '2025-11-03T09:25:00Z', 'bob', 'note', 'processor says all fine');",
			 NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", path, msg ? msg : sqlite3_errmsg(db));
		exit(99);
	}
	sqlite3_close(db);
}

static void test_v1_upgrade(void)
{
	char *path = xasprintf("%s/v1.db", test_tmpdir());
	struct wr_error err = {0};
	struct chain_report report;
	struct chain_event ev;
	char hash[SHA256_HEX_LEN + 1];
	struct store *st;
	size_t version;
	char *stored;

	make_v1_database(path);
	st = store_open(path, 0, &err);
	ok(st != NULL, "v1 upgrade: opens");
	if (!st) {
		printf("#   %s\n", err.message);
		free(path);
		return;
	}
	migrations(&version);
	is_int(query_int(store_db(st), "PRAGMA user_version"), (long long)version,
	       "v1 upgrade: newest version");
	is_int(query_int(store_db(st), "SELECT count(*) FROM events WHERE hash IS NULL"), 0,
	       "v1 upgrade: every event sealed");
	is_int(query_int(store_db(st), "SELECT seq FROM events WHERE details = 'sev2 -> sev1'"), 3,
	       "v1 upgrade: seq per incident");
	is_int(query_int(store_db(st), "SELECT seq FROM events WHERE details = 'processor says all fine'"),
	       2, "v1 upgrade: second incident seq");

	/* The first event's hash follows the documented encoding. */
	ev = (struct chain_event){chain_first_prev_hash, "INC-2025-0001", 1, "2025-11-03T09:00:00Z",
				  "alice", "opened", "opened: Logins failing"};
	chain_event_hash(&ev, hash);
	stored = query_text(store_db(st), "SELECT hash FROM events WHERE id = 1");
	is_str(stored, hash, "v1 upgrade: first hash");
	free(stored);

	report = verify(st, "INC-2025-0001");
	is_int(report.status, CHAIN_OK, "v1 upgrade: first incident ok");
	is_int(report.events, 3, "v1 upgrade: first incident count");
	report = verify(st, "INC-2025-0002");
	is_int(report.status, CHAIN_OK, "v1 upgrade: second incident ok");

	/* The append-only triggers are back after the upgrade. */
	ok(sqlite3_exec(store_db(st), "UPDATE events SET details = 'x'", NULL, NULL, NULL) != SQLITE_OK,
	   "v1 upgrade: update still refused");
	is_int(query_int(store_db(st),
			 "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'events_no_%'"),
	       2, "v1 upgrade: both triggers");

	/* A new event continues the sealed chain. */
	if (note_add(st, "INC-2025-0001", "after the upgrade", &err) != 0)
		printf("#   note_add: %s\n", err.message);
	is_int(query_int(store_db(st), "SELECT seq FROM events WHERE details = 'after the upgrade'"), 4,
	       "v1 upgrade: next seq");
	report = verify(st, "INC-2025-0001");
	is_int(report.status, CHAIN_OK, "v1 upgrade: ok after a note");
	store_close(st);

	/* Opening again does not seal twice. */
	st = store_open(path, STORE_READONLY, &err);
	ok(st != NULL, "v1 upgrade: reopens read-only");
	if (st) {
		report = verify(st, "INC-2025-0001");
		is_int(report.events, 4, "v1 upgrade: reopened count");
		store_close(st);
	}
	free(path);
}

int main(void)
{
	setenv("WARROOM_NOW", "2026-03-02T10:00:00Z", 1);
	setenv("WARROOM_ACTOR", "alice", 1);

	test_sha256_vectors();
	test_event_hash_fields();
	test_store_event_chain();
	test_seq_per_incident();
	test_verify_ok();
	test_verify_altered();
	test_verify_altered_actor();
	test_verify_nul_byte();
	test_verify_deleted();
	test_verify_deleted_first();
	test_verify_deleted_all();
	test_verify_resealed();
	test_verify_unsealed_row();
	test_verify_moved_event();
	test_verify_unknown();
	test_v1_upgrade();
	return tap_done();
}
