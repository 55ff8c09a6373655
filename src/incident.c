/*
 * The incident record: string lists stored as JSON arrays, reading one
 * incident or a list of them, and creating an incident with its "opened"
 * timeline event. See incident.h.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "incident.h"

void strlist_add(struct strlist *list, const char *s)
{
	list->items = xrealloc(list->items, (list->len + 1) * sizeof *list->items);
	list->items[list->len++] = xstrdup(s);
}

void strlist_free(struct strlist *list)
{
	for (size_t i = 0; i < list->len; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->len = 0;
}

int strlist_contains(const struct strlist *list, const char *s)
{
	for (size_t i = 0; i < list->len; i++)
		if (strcmp(list->items[i], s) == 0)
			return 1;
	return 0;
}

int strlist_from_json(struct strlist *list, const char *json)
{
	struct strlist parsed = {0};
	json_error_t error;
	json_t *array;
	json_t *item;
	size_t index;

	if (!json)
		return -1;
	array = json_loads(json, JSON_REJECT_DUPLICATES, &error);
	if (!json_is_array(array)) {
		json_decref(array);
		return -1;
	}

	/* Parse everything first, so LIST stays as it was when an item is not a string. */
	json_array_foreach(array, index, item) {
		if (!json_is_string(item) || strlen(json_string_value(item)) != json_string_length(item)) {
			strlist_free(&parsed);
			json_decref(array);
			return -1;
		}
		strlist_add(&parsed, json_string_value(item));
	}
	json_decref(array);

	for (size_t i = 0; i < parsed.len; i++)
		strlist_add(list, parsed.items[i]);
	strlist_free(&parsed);
	return 0;
}

char *strlist_to_json(const struct strlist *list)
{
	json_t *array = json_array();
	char *dumped;
	char *json;

	for (size_t i = 0; i < list->len; i++) {
		json_t *item = json_string(list->items[i]);

		/* json_string returns NULL for text that is not valid UTF-8. */
		if (!item) {
			json_decref(array);
			return NULL;
		}
		json_array_append_new(array, item);
	}

	dumped = json_dumps(array, JSON_COMPACT);
	json_decref(array);
	if (!dumped)
		return NULL;
	json = xstrdup(dumped);
	free(dumped);
	return json;
}

/* The type of a struct incident field that mirrors a column of the incidents table. */
enum column_type {
	COLUMN_TEXT,    /* a char * field, NULL for SQL NULL */
	COLUMN_LIST,    /* a struct strlist field, stored as a JSON array */
	COLUMN_TIME,    /* a char * field holding an ISO 8601 UTC time */
};

/* One column of the incidents table and the struct incident field that mirrors it. */
struct column {
	const char *name;
	size_t offset;
	enum column_type type;
};

#define TEXT(field) { #field, offsetof(struct incident, field), COLUMN_TEXT }
#define LIST(field) { #field, offsetof(struct incident, field), COLUMN_LIST }
#define TIME(field) { #field, offsetof(struct incident, field), COLUMN_TIME }

/* Every column of the incidents table that struct incident carries, in table order. */
static const struct column columns[] = {
	TEXT(id),
	TEXT(source),
	TEXT(reference),
	TEXT(summary),
	TEXT(category),
	TEXT(scope),
	TEXT(severity),
	TEXT(suggested_severity),
	TEXT(suggestion_rule),
	TEXT(status),
	TEXT(product),
	LIST(channels),
	TEXT(priority),
	LIST(risk_indicators),
	LIST(impacted_services),
	LIST(metrics),
	TEXT(detection_source),
	TEXT(reporter),
	TEXT(reproduction),
	TIME(received_at),
	TIME(detected_at),
	TIME(started_at),
	TIME(created_at),
	TIME(mitigated_at),
	TIME(resolved_at),
	TIME(closed_at),
	TEXT(commander),
	TEXT(impact_what),
	TEXT(impact_who),
	TEXT(impact_since),
	TEXT(impact_status),
	TEXT(root_cause),
	TEXT(vendor_blame_approved_by),
	TEXT(root_cause_approved_by),
	TEXT(extra),
};

#define COLUMN_COUNT (sizeof columns / sizeof columns[0])

static char **text_field(struct incident *inc, const struct column *column)
{
	return (char **)((char *)inc + column->offset);
}

static struct strlist *list_field(struct incident *inc, const struct column *column)
{
	return (struct strlist *)((char *)inc + column->offset);
}

/* Frees every field of INC and leaves it zeroed. */
static void incident_clear(struct incident *inc)
{
	for (size_t i = 0; i < COLUMN_COUNT; i++) {
		if (columns[i].type == COLUMN_LIST) {
			strlist_free(list_field(inc, &columns[i]));
		} else {
			free(*text_field(inc, &columns[i]));
			*text_field(inc, &columns[i]) = NULL;
		}
	}
}

void incident_free(struct incident *inc)
{
	if (!inc)
		return;
	incident_clear(inc);
	free(inc);
}

void incident_list_free(struct incident *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		incident_clear(&list[i]);
	free(list);
}

/* Returns "SELECT col, col, ... FROM incidents " for the columns table, which the caller frees. */
static char *select_columns_sql(void)
{
	struct strbuf sql;

	sb_init(&sql);
	sb_add(&sql, "SELECT ");
	for (size_t i = 0; i < COLUMN_COUNT; i++)
		sb_addf(&sql, "%s%s", i ? ", " : "", columns[i].name);
	sb_add(&sql, " FROM incidents ");
	return sql.data;
}

/* Fills INC from the current row of STMT, which selects the columns table in order. */
static int read_row(sqlite3_stmt *stmt, struct incident *inc, struct wr_error *err)
{
	for (size_t i = 0; i < COLUMN_COUNT; i++) {
		const char *text = (const char *)sqlite3_column_text(stmt, (int)i);

		if (columns[i].type != COLUMN_LIST) {
			*text_field(inc, &columns[i]) = text ? xstrdup(text) : NULL;
			continue;
		}
		if (strlist_from_json(list_field(inc, &columns[i]), text ? text : "[]") != 0)
			return error_set(err, WR_FAILED,
					 "incident %s: column %s is not a JSON array of strings: %s",
					 inc->id ? inc->id : "(no id)", columns[i].name, text);
	}
	return 0;
}

struct incident *incident_get(struct store *st, const char *id, struct wr_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct incident *inc;
	char *sql;
	char *full_sql;
	int rc;

	if (str_blank(id)) {
		error_set(err, WR_BAD_INPUT, "the incident id is missing; give one such as INC-2026-0001");
		return NULL;
	}

	sql = select_columns_sql();
	full_sql = xasprintf("%sWHERE id = ?", sql);
	free(sql);
	rc = store_prepare(st, full_sql, &stmt);
	free(full_sql);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
	}

	if (rc == SQLITE_DONE) {
		store_finalize(st, stmt);
		error_set(err, WR_BAD_INPUT,
			  "incident %s not found; `warroom list --all` shows the incidents", id);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		store_error(st, err, "reading an incident");
		store_finalize(st, stmt);
		return NULL;
	}

	inc = xcalloc(1, sizeof *inc);
	if (read_row(stmt, inc, err) != 0) {
		incident_free(inc);
		inc = NULL;
	}
	store_finalize(st, stmt);
	return inc;
}

int incident_list(struct store *st, int all, struct incident **out, size_t *count,
		  struct wr_error *err)
{
	char *sql = select_columns_sql();
	char *full_sql;
	sqlite3_stmt *stmt = NULL;
	struct incident *list = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	*count = 0;

	/* year and seq order ids numerically, also past INC-YYYY-9999. */
	full_sql = xasprintf("%s%sORDER BY created_at, year, seq", sql,
			     all ? "" : "WHERE status NOT IN ('resolved', 'closed') ");
	free(sql);
	rc = sqlite3_prepare_v2(store_db(st), full_sql, -1, &stmt, NULL);
	free(full_sql);
	if (rc != SQLITE_OK)
		return store_error(st, err, "listing incidents");

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		list = xrealloc(list, (len + 1) * sizeof *list);
		memset(&list[len], 0, sizeof *list);
		len++;
		if (read_row(stmt, &list[len - 1], err) != 0)
			goto fail;
	}
	if (rc != SQLITE_DONE) {
		store_error(st, err, "listing incidents");
		goto fail;
	}

	sqlite3_finalize(stmt);
	*out = list;
	*count = len;
	return 0;

fail:
	sqlite3_finalize(stmt);
	incident_list_free(list, len);
	return -1;
}

char *incident_find_origin(struct store *st, const char *source, const char *reference,
			   struct wr_error *err)
{
	sqlite3_stmt *stmt = NULL;
	char *id = NULL;
	int rc;

	if (err) {
		err->status = WR_OK;
		err->message[0] = '\0';
	}
	rc = store_prepare(st, "SELECT id FROM incidents WHERE source = ? AND reference = ?", &stmt);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, reference, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
	}
	if (rc == SQLITE_ROW)
		id = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	else if (rc != SQLITE_DONE)
		store_error(st, err, "looking up an imported handoff");
	store_finalize(st, stmt);
	return id;
}

/* Replaces the string at *FIELD with a copy of VALUE. */
static void replace_field(char **field, const char *value)
{
	char *copy = value ? xstrdup(value) : NULL;

	free(*field);
	*field = copy;
}

/*
 * Checks the caller's fields before anything is written and brings the
 * times to the stored form ("YYYY-MM-DDTHH:MM:SSZ"), so stored times sort
 * as text.
 */
static int check_fields(struct incident *fields, struct wr_error *err)
{
	json_error_t error;
	json_t *extra;

	if (str_blank(fields->summary))
		return error_set(err, WR_BAD_INPUT,
				 "the incident summary is missing; give a one-line description of the problem");

	for (size_t i = 0; i < COLUMN_COUNT; i++) {
		char **field = text_field(fields, &columns[i]);
		char normalized[21];
		time_t t;

		if (columns[i].type != COLUMN_TIME || !*field)
			continue;
		if (time_parse_iso8601(*field, &t) != 0)
			return error_set(err, WR_BAD_INPUT,
					 "field %s: \"%s\" is not an ISO 8601 time; write it as YYYY-MM-DDTHH:MM:SSZ",
					 columns[i].name, *field);
		time_format_utc(t, normalized);
		replace_field(field, normalized);
	}

	for (size_t i = 0; i < COLUMN_COUNT; i++) {
		char *json;

		if (columns[i].type != COLUMN_LIST)
			continue;
		json = strlist_to_json(list_field(fields, &columns[i]));
		if (!json)
			return error_set(err, WR_BAD_INPUT,
					 "field %s: an item is not valid UTF-8 text; fix the encoding of the input",
					 columns[i].name);
		free(json);
	}

	if (!fields->extra)
		return 0;
	extra = json_loads(fields->extra, 0, &error);
	if (!json_is_object(extra)) {
		json_decref(extra);
		return error_set(err, WR_BAD_INPUT, "field extra: not a JSON object: %s",
				 fields->extra);
	}
	json_decref(extra);
	return 0;
}

/* Binds every column of FIELDS to STMT, which inserts the columns table in order, then year and seq. */
static int bind_fields(sqlite3_stmt *stmt, const struct incident *fields, int year, int seq,
		       struct wr_error *err)
{
	int index = 1;

	for (size_t i = 0; i < COLUMN_COUNT; i++, index++) {
		char *json;

		if (columns[i].type != COLUMN_LIST) {
			sqlite3_bind_text(stmt, index, *text_field((struct incident *)fields, &columns[i]),
					  -1, SQLITE_TRANSIENT);
			continue;
		}
		json = strlist_to_json(list_field((struct incident *)fields, &columns[i]));
		if (!json)
			return error_set(err, WR_BAD_INPUT,
					 "field %s: an item is not valid UTF-8 text; fix the encoding of the input",
					 columns[i].name);
		sqlite3_bind_text(stmt, index, json, -1, SQLITE_TRANSIENT);
		free(json);
	}
	sqlite3_bind_int(stmt, index++, year);
	sqlite3_bind_int(stmt, index, seq);
	return 0;
}

/* Returns the INSERT statement for the columns table, then year and seq, which the caller frees. */
static char *insert_sql(void)
{
	struct strbuf sql;

	sb_init(&sql);
	sb_add(&sql, "INSERT INTO incidents (");
	for (size_t i = 0; i < COLUMN_COUNT; i++)
		sb_addf(&sql, "%s, ", columns[i].name);
	sb_add(&sql, "year, seq) VALUES (");
	for (size_t i = 0; i < COLUMN_COUNT; i++)
		sb_add(&sql, "?, ");
	sb_add(&sql, "?, ?)");
	return sql.data;
}

/* Appends the "opened" event: the summary and, when known, where the incident came from. */
static int record_opened(struct store *st, const struct incident *fields, struct wr_error *err)
{
	const char *source = fields->source;
	const char *reference = fields->reference;

	if (source && reference)
		return store_event(st, fields->id, "opened", err, "%s (source %s %s)",
				   fields->summary, source, reference);
	if (source || reference)
		return store_event(st, fields->id, "opened", err, "%s (source %s)",
				   fields->summary, source ? source : reference);
	return store_event(st, fields->id, "opened", err, "%s", fields->summary);
}

int incident_insert(struct store *st, struct incident *fields, struct wr_error *err)
{
	time_t now = clock_now();
	char created_at[21];
	char id[32];
	char *sql;
	sqlite3_stmt *stmt = NULL;
	int year, seq;
	int rc;

	if (sqlite3_get_autocommit(store_db(st)))
		return error_set(err, WR_FAILED,
				 "%s: creating an incident needs an open transaction (store_begin)",
				 store_path(st));
	if (check_fields(fields, err) != 0)
		return -1;

	if (fields->source && fields->reference) {
		char *existing = incident_find_origin(st, fields->source, fields->reference, err);

		if (existing) {
			error_set(err, WR_BAD_INPUT,
				  "handoff %s %s was already imported as %s; open that incident instead",
				  fields->source, fields->reference, existing);
			free(existing);
			return -1;
		}
		if (err && err->status != WR_OK)
			return -1;
	}

	if (store_next_incident_id(st, now, id, &year, &seq, err) != 0)
		return -1;

	/* The caller's record becomes the stored row: id, creation time, defaults. */
	time_format_utc(now, created_at);
	replace_field(&fields->id, id);
	replace_field(&fields->created_at, created_at);
	replace_field(&fields->status, "open");
	if (!fields->started_at)
		replace_field(&fields->started_at,
			      fields->detected_at ? fields->detected_at : created_at);
	if (!fields->extra)
		replace_field(&fields->extra, "{}");

	sql = insert_sql();
	rc = store_prepare(st, sql, &stmt);
	free(sql);
	if (rc != SQLITE_OK)
		return store_error(st, err, "creating an incident");
	if (bind_fields(stmt, fields, year, seq, err) != 0) {
		store_finalize(st, stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE)
		return store_error(st, err, "creating an incident");

	return record_opened(st, fields, err);
}
