/*
 * The timeline's hash chain: the canonical encoding each event's hash
 * covers, the check of a whole timeline, and the sealing of events written
 * before schema version 2. See chain.h.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "steps_util.h"

/*
 * The first field of every encoding. A future change to the encoding gets
 * a new tag, so old and new hashes can never be confused.
 */
#define CHAIN_ENCODING_TAG "warroom-event-v1"

/* The same trigger as migration 1 creates; chain_seal_existing drops it for its updates. */
#define CHAIN_NO_UPDATE_TRIGGER                                      \
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"    \
	"  BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;"

const char chain_first_prev_hash[SHA256_HEX_LEN + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* One encoded field: LEN bytes at DATA, which may hold NUL bytes. */
struct chain_field {
	const char *data;
	size_t len;
};

/* The number of fields an event's hash covers, the encoding tag included. */
#define CHAIN_FIELDS 8

/*
 * Hashes the fields in order, each as its length in 8 bytes, big-endian,
 * followed by its bytes. No field can run into the next, whatever it holds.
 */
static void hash_fields(const struct chain_field fields[CHAIN_FIELDS],
			char hash[SHA256_HEX_LEN + 1])
{
	struct sha256 h;

	sha256_start(&h);
	for (size_t i = 0; i < CHAIN_FIELDS; i++) {
		uint64_t len = fields[i].len;
		unsigned char prefix[8];

		for (int b = 7; b >= 0; b--) {
			prefix[b] = (unsigned char)(len & 0xff);
			len >>= 8;
		}
		sha256_update(&h, prefix, sizeof prefix);
		sha256_update(&h, fields[i].data, fields[i].len);
	}
	sha256_finish(&h, hash);
}

static void set_field(struct chain_field *field, const char *s)
{
	field->data = s ? s : "";
	field->len = s ? strlen(s) : 0;
}

void chain_event_hash(const struct chain_event *ev, char hash[SHA256_HEX_LEN + 1])
{
	struct chain_field fields[CHAIN_FIELDS];
	char seq[24];

	snprintf(seq, sizeof seq, "%lld", ev->seq);
	set_field(&fields[0], CHAIN_ENCODING_TAG);
	set_field(&fields[1], ev->prev_hash);
	set_field(&fields[2], ev->incident_id);
	set_field(&fields[3], seq);
	set_field(&fields[4], ev->at);
	set_field(&fields[5], ev->actor);
	set_field(&fields[6], ev->kind);
	set_field(&fields[7], ev->details);
	hash_fields(fields, hash);
}

/* Reads a text column with its length in bytes, so a NUL byte inside it is hashed too. */
static struct chain_field column_field(sqlite3_stmt *stmt, int col)
{
	struct chain_field field;

	field.data = (const char *)sqlite3_column_text(stmt, col);
	field.len = (size_t)sqlite3_column_bytes(stmt, col);
	if (!field.data) {
		field.data = "";
		field.len = 0;
	}
	return field;
}

/* Columns of the query chain_verify reads, in this order. */
enum { COL_ID, COL_SEQ, COL_PREV_HASH, COL_HASH, COL_INCIDENT, COL_AT, COL_ACTOR, COL_KIND,
       COL_DETAILS };

/* Writes "event SEQ (KIND, AT)" for the message about the current row into LABEL. */
static void event_label(sqlite3_stmt *stmt, char *label, size_t size)
{
	const char *kind = (const char *)sqlite3_column_text(stmt, COL_KIND);
	const char *at = (const char *)sqlite3_column_text(stmt, COL_AT);

	if (sqlite3_column_type(stmt, COL_SEQ) == SQLITE_NULL)
		snprintf(label, size, "the event with row id %lld (%s, %s)",
			 (long long)sqlite3_column_int64(stmt, COL_ID), kind ? kind : "?",
			 at ? at : "?");
	else
		snprintf(label, size, "event %lld (%s, %s)",
			 (long long)sqlite3_column_int64(stmt, COL_SEQ), kind ? kind : "?",
			 at ? at : "?");
}

/* Records a problem in OUT; returns 1 so that check_event can `return report(...)`. */
static int report(struct chain_report *out, enum chain_status status, sqlite3_stmt *stmt,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int report(struct chain_report *out, enum chain_status status, sqlite3_stmt *stmt,
		  const char *fmt, ...)
{
	va_list ap;

	out->status = status;
	out->event_id = sqlite3_column_int64(stmt, COL_ID);
	out->seq = sqlite3_column_int64(stmt, COL_SEQ);
	va_start(ap, fmt);
	vsnprintf(out->message, sizeof out->message, fmt, ap);
	va_end(ap);
	return 1;
}

/*
 * Checks the current row against the chain so far: EXPECTED is the seq it
 * should have and PREV the hash it should follow. Returns 1 after filling
 * OUT when the row shows a problem, 0 when it is sound.
 */
static int check_event(sqlite3_stmt *stmt, long long expected, const char *prev,
		       struct chain_report *out)
{
	struct chain_field fields[CHAIN_FIELDS];
	char label[512], hash[SHA256_HEX_LEN + 1], seq_text[24];
	const char *stored_hash = (const char *)sqlite3_column_text(stmt, COL_HASH);
	const char *stored_prev = (const char *)sqlite3_column_text(stmt, COL_PREV_HASH);
	long long seq = sqlite3_column_int64(stmt, COL_SEQ);

	event_label(stmt, label, sizeof label);
	if (sqlite3_column_type(stmt, COL_SEQ) == SQLITE_NULL)
		return report(out, CHAIN_ALTERED, stmt,
			      "%s has no sequence number: it was written outside warroom", label);
	if (!stored_hash || !stored_prev)
		return report(out, CHAIN_ALTERED, stmt,
			      "%s has no hash: it was written or changed outside warroom", label);
	if (seq < expected)
		return report(out, CHAIN_ALTERED, stmt,
			      "%s was altered: its sequence number should be %lld", label, expected);

	/* A gap: the events between the previous one and this one are gone. */
	if (seq > expected) {
		char missing[64];

		if (seq - expected == 1)
			snprintf(missing, sizeof missing, "event %lld is missing", expected);
		else
			snprintf(missing, sizeof missing, "events %lld to %lld are missing", expected,
				 seq - 1);
		if (expected == 1)
			return report(out, CHAIN_MISSING, stmt, "%s: the timeline starts at %s",
				      missing, label);
		return report(out, CHAIN_MISSING, stmt, "%s: %s follows event %lld", missing,
			      label, expected - 1);
	}

	/* The stored fields, as they are now, must give the stored hash. */
	snprintf(seq_text, sizeof seq_text, "%lld", seq);
	fields[0] = (struct chain_field){CHAIN_ENCODING_TAG, strlen(CHAIN_ENCODING_TAG)};
	fields[1] = column_field(stmt, COL_PREV_HASH);
	fields[2] = column_field(stmt, COL_INCIDENT);
	fields[3] = (struct chain_field){seq_text, strlen(seq_text)};
	fields[4] = column_field(stmt, COL_AT);
	fields[5] = column_field(stmt, COL_ACTOR);
	fields[6] = column_field(stmt, COL_KIND);
	fields[7] = column_field(stmt, COL_DETAILS);
	hash_fields(fields, hash);
	if (strcmp(hash, stored_hash) != 0)
		return report(out, CHAIN_ALTERED, stmt,
			      "%s was altered: its hash does not match its contents", label);

	/* A sound event that does not link to the previous one: something between was removed or replaced. */
	if (strcmp(stored_prev, prev) != 0) {
		if (expected == 1)
			return report(out, CHAIN_MISSING, stmt,
				      "%s does not start the timeline: its prev_hash is not 64 zeros, so earlier events were removed",
				      label);
		return report(out, CHAIN_MISSING, stmt,
			      "%s does not follow event %lld: its prev_hash is not that event's hash, so an event between them was removed or event %lld was replaced",
			      label, seq - 1, seq - 1);
	}
	return 0;
}

int chain_verify(struct store *st, const char *incident_id, struct chain_report *out,
		 struct wr_error *err)
{
	char prev[SHA256_HEX_LEN + 1];
	long long expected = 1;
	sqlite3_stmt *stmt;
	int rc;

	memset(out, 0, sizeof *out);
	if (steps_check_incident(st, incident_id, err) != 0)
		return -1;

	/* Events without a seq (written outside warroom) sort first, so they are reported. */
	stmt = steps_prepare(st, err,
			     "SELECT id, seq, prev_hash, hash, incident_id, at, actor, kind, details"
			     " FROM events WHERE incident_id = ? ORDER BY seq, id",
			     "s", incident_id);
	if (!stmt)
		return -1;

	memcpy(prev, chain_first_prev_hash, sizeof prev);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->events++;
		if (check_event(stmt, expected, prev, out))
			break;
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(stmt, COL_HASH));
		expected = sqlite3_column_int64(stmt, COL_SEQ) + 1;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_finalize(st, stmt);
		return store_error(st, err, "reading the timeline");
	}
	store_finalize(st, stmt);

	if (out->status != CHAIN_OK)
		return 0;
	if (out->events == 0) {
		out->status = CHAIN_MISSING;
		snprintf(out->message, sizeof out->message,
			 "the timeline has no events, but every incident starts with one, so all of them were removed");
		return 0;
	}
	memcpy(out->last_hash, prev, sizeof out->last_hash);
	snprintf(out->message, sizeof out->message, "ok, %lld events, last hash %s", out->events,
		 out->last_hash);
	return 0;
}

/* One event written before schema version 2, read before any of them is updated. */
struct unsealed_event {
	long long id;
	char *incident_id;
	char *at;
	char *actor;
	char *kind;
	char *details;
};

static char *copy_column(sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);

	return xstrdup(text ? text : "");
}

static void unsealed_free(struct unsealed_event *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].incident_id);
		free(list[i].at);
		free(list[i].actor);
		free(list[i].kind);
		free(list[i].details);
	}
	free(list);
}

/*
 * Reads every event, grouped by incident and in the order written.
 * NOTE: this keeps the whole events table in memory once, during the
 * upgrade to schema version 2 only.
 */
static int read_unsealed(sqlite3 *db, struct unsealed_event **out, size_t *n)
{
	struct unsealed_event *list = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"SELECT id, incident_id, at, actor, kind, details FROM events"
				" ORDER BY incident_id, id",
				-1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			list = xrealloc(list, cap * sizeof *list);
		}
		list[count].id = sqlite3_column_int64(stmt, 0);
		list[count].incident_id = copy_column(stmt, 1);
		list[count].at = copy_column(stmt, 2);
		list[count].actor = copy_column(stmt, 3);
		list[count].kind = copy_column(stmt, 4);
		list[count].details = copy_column(stmt, 5);
		count++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		unsealed_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

/* Writes seq, prev_hash and hash into every event of LIST, chaining within each incident. */
static int seal_events(sqlite3 *db, const struct unsealed_event *list, size_t n)
{
	char prev[SHA256_HEX_LEN + 1], hash[SHA256_HEX_LEN + 1];
	sqlite3_stmt *stmt;
	long long seq = 0;
	int rc;

	rc = sqlite3_prepare_v2(db, "UPDATE events SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?",
				-1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return -1;

	for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
		struct chain_event ev;

		if (i == 0 || strcmp(list[i].incident_id, list[i - 1].incident_id) != 0) {
			seq = 0;
			memcpy(prev, chain_first_prev_hash, sizeof prev);
		}
		ev = (struct chain_event){prev, list[i].incident_id, ++seq, list[i].at,
					  list[i].actor, list[i].kind, list[i].details};
		chain_event_hash(&ev, hash);

		sqlite3_bind_int64(stmt, 1, seq);
		sqlite3_bind_text(stmt, 2, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 3, hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 4, list[i].id);
		rc = sqlite3_step(stmt) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(stmt);
		memcpy(prev, hash, sizeof prev);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_OK ? 0 : -1;
}

int chain_seal_existing(sqlite3 *db, const char *path, struct wr_error *err)
{
	struct unsealed_event *list = NULL;
	size_t n = 0;
	int rc;

	if (read_unsealed(db, &list, &n) != 0)
		return error_set(err, WR_FAILED, "%s: reading the timeline to seal it failed: %s",
				 path, sqlite3_errmsg(db));

	/* The trigger rejects every UPDATE, so it is dropped, but only inside this transaction. */
	rc = sqlite3_exec(db, "DROP TRIGGER IF EXISTS events_no_update", NULL, NULL, NULL);
	if (rc == SQLITE_OK && seal_events(db, list, n) != 0)
		rc = SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, CHAIN_NO_UPDATE_TRIGGER, NULL, NULL, NULL);
	unsealed_free(list, n);
	if (rc != SQLITE_OK)
		return error_set(err, WR_FAILED,
				 "%s: sealing the timeline's existing events failed: %s; the database was left at its old version",
				 path, sqlite3_errmsg(db));
	return 0;
}
