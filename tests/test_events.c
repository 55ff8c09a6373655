/*
 * Tests for reading the timeline a page at a time (events_page), its
 * summary (events_summary) and the store's statement cache (store_prepare
 * and store_finalize), which the console relies on to draw a long
 * timeline without reading all of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "incident.h"
#include "store.h"
#include "tap.h"
#include "testlib.h"

/* Creates an incident with the opened event and COUNT notes "note 1".."note COUNT". */
static char *incident_with_notes(struct store *st, int count)
{
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *id;

	fields->summary = xstrdup("timeline paging");
	if (store_begin(st, &err) != 0 || incident_insert(st, fields, &err) != 0) {
		fprintf(stderr, "incident_with_notes: %s\n", err.message);
		exit(99);
	}
	for (int i = 1; i <= count; i++) {
		if (store_event(st, fields->id, "note", &err, "note %d", i) != 0) {
			fprintf(stderr, "incident_with_notes: %s\n", err.message);
			exit(99);
		}
	}
	if (store_commit(st, &err) != 0) {
		fprintf(stderr, "incident_with_notes: %s\n", err.message);
		exit(99);
	}
	id = xstrdup(fields->id);
	incident_free(fields);
	return id;
}

static void test_summary(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	char *id = incident_with_notes(st, 25);
	char *other = incident_with_notes(st, 3);
	struct event *all;
	size_t n_all, count = 0;
	long long newest = 0;

	ok(events_summary(st, id, &count, &newest, &err) == 0, "summary: reads");
	is_int((long long)count, 26, "summary: counts the opened event and the notes");
	ok(events_list(st, id, NULL, &all, &n_all, &err) == 0, "summary: list reads");
	ok(n_all == 26 && newest == all[n_all - 1].id, "summary: newest is the last listed");
	events_free(all, n_all);

	ok(events_summary(st, other, &count, &newest, &err) == 0, "summary: other incident");
	is_int((long long)count, 4, "summary: other incident counted alone");

	ok(events_summary(st, "INC-1999-0001", &count, &newest, &err) == 0, "summary: unknown id");
	is_int((long long)count, 0, "summary: unknown id has no events");
	is_int(newest, 0, "summary: unknown id has no newest");

	free(id);
	free(other);
	store_close(st);
}

static void test_summary_without_seq(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	char *id = incident_with_notes(st, 5);
	char *sql;
	size_t count = 0;
	long long newest = 0;

	/* A row written straight into the table, as another program could, has no seq. */
	sql = sqlite3_mprintf("INSERT INTO events (incident_id, at, actor, kind, details)"
			      " VALUES (%Q, '2026-03-02T08:00:00Z', 'someone', 'note', 'by hand')", id);
	ok(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) == SQLITE_OK, "no seq: row written");
	sqlite3_free(sql);

	ok(events_summary(st, id, &count, &newest, &err) == 0, "no seq: reads");
	is_int((long long)count, 7, "no seq: row without seq counted");
	is_int(newest, sqlite3_last_insert_rowid(store_db(st)), "no seq: newest is that row");

	free(id);
	store_close(st);
}

static void test_page(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	char *id = incident_with_notes(st, 30);
	char *other = incident_with_notes(st, 2);
	struct event *all, *page;
	size_t n_all, n;

	ok(events_list(st, id, NULL, &all, &n_all, &err) == 0, "page: list reads");
	if (n_all != 31) {
		ok(0, "page: 31 events listed");
		return;
	}

	/* Older: at most FROM_ID, newest first. */
	ok(events_page(st, id, all[20].id, -1, 5, &page, &n, &err) == 0, "page: older reads");
	is_int((long long)n, 5, "page: older returns the limit");
	is_int(page[0].id, all[20].id, "page: older starts at from_id");
	is_int(page[4].id, all[16].id, "page: older goes back");
	is_str(page[0].details, "note 20", "page: older details");
	events_free(page, n);

	/* Newer: at least FROM_ID, oldest first. */
	ok(events_page(st, id, all[27].id, 1, 10, &page, &n, &err) == 0, "page: newer reads");
	is_int((long long)n, 4, "page: newer stops at the newest");
	is_int(page[0].id, all[27].id, "page: newer starts at from_id");
	is_int(page[3].id, all[30].id, "page: newer ends at the newest");
	events_free(page, n);

	/* From before the first event: the start of the timeline. */
	ok(events_page(st, id, 0, 1, 2, &page, &n, &err) == 0, "page: from zero reads");
	is_int(page[0].id, all[0].id, "page: from zero starts at the oldest");
	is_str(page[0].kind, "opened", "page: oldest is the opened event");
	events_free(page, n);

	ok(events_page(st, id, all[1].id, -1, 10, &page, &n, &err) == 0, "page: near start reads");
	is_int((long long)n, 2, "page: near start comes back short");
	events_free(page, n);

	/* Another incident's events never show, even with ids in the range. */
	ok(events_page(st, other, all[30].id, -1, 100, &page, &n, &err) == 0, "page: other reads");
	is_int((long long)n, 0, "page: other incident's older events are its own");
	events_free(page, n);

	events_free(all, n_all);
	free(id);
	free(other);
	store_close(st);
}

static void test_statement_cache(void)
{
	struct store *st = test_store();
	sqlite3_stmt *first = NULL, *again = NULL, *inner = NULL;

	ok(store_prepare(st, "SELECT 1 UNION ALL SELECT 2", &first) == SQLITE_OK, "cache: prepares");
	ok(sqlite3_step(first) == SQLITE_ROW, "cache: first steps");

	/* While FIRST is stepping, the same text gets a statement of its own. */
	ok(store_prepare(st, "SELECT 1 UNION ALL SELECT 2", &inner) == SQLITE_OK, "cache: nested prepares");
	ok(inner != first, "cache: nested use gets its own statement");
	ok(sqlite3_step(inner) == SQLITE_ROW, "cache: nested steps");
	store_finalize(st, inner);
	ok(sqlite3_step(first) == SQLITE_ROW, "cache: outer not disturbed");
	is_int(sqlite3_column_int(first, 0), 2, "cache: outer reads its second row");
	store_finalize(st, first);

	ok(store_prepare(st, "SELECT 1 UNION ALL SELECT 2", &again) == SQLITE_OK, "cache: prepares again");
	ok(again == first, "cache: released statement reused");
	ok(sqlite3_step(again) == SQLITE_ROW, "cache: reused statement starts over");
	is_int(sqlite3_column_int(again, 0), 1, "cache: reused statement reads the first row");
	store_finalize(st, again);

	ok(store_prepare(st, "SELECT nonsense FROM", &inner) != SQLITE_OK, "cache: bad SQL fails");
	ok(inner == NULL, "cache: bad SQL gives no statement");
	store_finalize(st, NULL);

	store_close(st);
}

int main(void)
{
	test_summary();
	test_summary_without_seq();
	test_page();
	test_statement_cache();
	return tap_done();
}
