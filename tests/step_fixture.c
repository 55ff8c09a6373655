/* Set-up shared by the step tests; see step_fixture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "step_fixture.h"

void fixture_setup(void)
{
	setenv("WARROOM_NOW", FIXTURE_NOW, 1);
	setenv("WARROOM_ACTOR", "alice", 1);
}

static void fixture_fail(const char *what, const struct wr_error *err)
{
	fprintf(stderr, "fixture: %s: %s\n", what, err->message);
	exit(99);
}

char *fixture_incident(struct store *st, const char *product, const char *indicators,
		       const char *suggested)
{
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *copy, *token, *save = NULL, *id;

	fields->summary = xstrdup("Card authorisations failing for a share of transactions");
	fields->product = xstrdup(product);
	fields->detected_at = xstrdup("2018-06-01T13:35:00Z");
	if (suggested)
		fields->suggested_severity = xstrdup(suggested);
	copy = xstrdup(indicators);
	for (token = strtok_r(copy, ",", &save); token; token = strtok_r(NULL, ",", &save))
		strlist_add(&fields->risk_indicators, token);
	free(copy);

	if (store_begin(st, &err) < 0)
		fixture_fail("store_begin", &err);
	if (incident_insert(st, fields, &err) < 0)
		fixture_fail("incident_insert", &err);
	if (store_commit(st, &err) < 0)
		fixture_fail("store_commit", &err);
	id = xstrdup(fields->id);
	incident_free(fields);
	return id;
}

void fixture_set(struct store *st, const char *id, const char *column, const char *value)
{
	char *sql = xasprintf("UPDATE incidents SET %s = ? WHERE id = ?", column);
	sqlite3_stmt *stmt;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK) {
		fprintf(stderr, "fixture: %s: %s\n", sql, sqlite3_errmsg(store_db(st)));
		exit(99);
	}
	sqlite3_bind_text(stmt, 1, value, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		fprintf(stderr, "fixture: %s: %s\n", sql, sqlite3_errmsg(store_db(st)));
		exit(99);
	}
	sqlite3_finalize(stmt);
	free(sql);
}

/* Runs SQL with ID bound and copies the first column of the first row into OUT. */
static int query_text(struct store *st, const char *sql, const char *id, char *out, size_t size)
{
	sqlite3_stmt *stmt;
	int found = 0;

	out[0] = '\0';
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK) {
		fprintf(stderr, "fixture: %s: %s\n", sql, sqlite3_errmsg(store_db(st)));
		exit(99);
	}
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
		found = 1;
	}
	sqlite3_finalize(stmt);
	return found;
}

int fixture_events(struct store *st, const char *id)
{
	char count[32];

	query_text(st, "SELECT COUNT(*) FROM events WHERE incident_id = ?", id, count, sizeof count);
	return atoi(count);
}

const char *fixture_last_kind(struct store *st, const char *id)
{
	static char kind[256];

	query_text(st, "SELECT kind FROM events WHERE incident_id = ? ORDER BY id DESC LIMIT 1", id,
		   kind, sizeof kind);
	return kind;
}

const char *fixture_last_details(struct store *st, const char *id)
{
	static char details[2048];

	query_text(st, "SELECT details FROM events WHERE incident_id = ? ORDER BY id DESC LIMIT 1",
		   id, details, sizeof details);
	return details;
}

const char *fixture_column(struct store *st, const char *id, const char *column)
{
	static char value[2048];
	char *sql = xasprintf("SELECT %s FROM incidents WHERE id = ?", column);
	int found = query_text(st, sql, id, value, sizeof value);

	free(sql);
	return found ? value : NULL;
}
