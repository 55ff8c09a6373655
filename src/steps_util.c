/* Transactions, typed SQL parameters and input clean-up for the step modules; see steps_util.h. */
#include <stdarg.h>
#include <string.h>

#include "steps_util.h"

struct incident *steps_begin(struct store *st, const char *id, int mode, struct wr_error *err)
{
	struct incident *inc;

	if (str_blank(id)) {
		error_set(err, WR_BAD_INPUT, "missing incident id; give one such as INC-2024-0001");
		return NULL;
	}
	if (store_begin(st, err) < 0)
		return NULL;

	inc = incident_get(st, id, err);
	if (!inc) {
		store_rollback(st);
		return NULL;
	}
	if (mode == STEPS_OPEN_ONLY && inc->status && strcmp(inc->status, "closed") == 0) {
		error_set(err, WR_FAILED, "%s is closed; reopen it first to change steps 1 to 6",
			  inc->id);
		steps_abort(st, inc);
		return NULL;
	}
	return inc;
}

int steps_check_incident(struct store *st, const char *id, struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (str_blank(id))
		return error_set(err, WR_BAD_INPUT, "missing incident id; give one such as INC-2024-0001");
	stmt = steps_prepare(st, err, "SELECT 1 FROM incidents WHERE id = ?", "s", id);
	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		error_set(err, WR_BAD_INPUT, "incident %s not found", id);
	else if (rc != SQLITE_ROW)
		store_error(st, err, "cannot read the incident");
	store_finalize(st, stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

int steps_commit(struct store *st, struct incident *inc, struct wr_error *err)
{
	incident_free(inc);
	if (store_commit(st, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int steps_abort(struct store *st, struct incident *inc)
{
	store_rollback(st);
	incident_free(inc);
	return -1;
}

int steps_unchanged(struct store *st, struct incident *inc)
{
	store_rollback(st);
	incident_free(inc);
	return 0;
}

static sqlite3_stmt *prepare_va(struct store *st, struct wr_error *err, const char *sql,
				const char *types, va_list ap)
{
	sqlite3_stmt *stmt;
	int rc = SQLITE_OK;

	/* Kept per connection: opening an incident runs the same few queries dozens of times. */
	if (store_prepare(st, sql, &stmt) != SQLITE_OK) {
		store_error(st, err, "cannot prepare a statement");
		return NULL;
	}

	for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
		const char *s;

		switch (types[i]) {
		case 's':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(stmt, i + 1, s, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(stmt, i + 1);
			break;
		case 'i':
			rc = sqlite3_bind_int64(stmt, i + 1, va_arg(ap, long long));
			break;
		case 'd':
			rc = sqlite3_bind_int(stmt, i + 1, va_arg(ap, int));
			break;
		default:
			rc = SQLITE_MISUSE;
			break;
		}
	}
	if (rc != SQLITE_OK) {
		store_error(st, err, "cannot bind a parameter");
		store_finalize(st, stmt);
		return NULL;
	}
	return stmt;
}

sqlite3_stmt *steps_prepare(struct store *st, struct wr_error *err, const char *sql,
			    const char *types, ...)
{
	sqlite3_stmt *stmt;
	va_list ap;

	va_start(ap, types);
	stmt = prepare_va(st, err, sql, types, ap);
	va_end(ap);
	return stmt;
}

int steps_exec(struct store *st, struct wr_error *err, const char *sql, const char *types, ...)
{
	sqlite3_stmt *stmt;
	va_list ap;
	int rc;

	va_start(ap, types);
	stmt = prepare_va(st, err, sql, types, ap);
	va_end(ap);
	if (!stmt)
		return -1;

	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_error(st, err, "the store rejected the change");
		store_finalize(st, stmt);
		return -1;
	}
	store_finalize(st, stmt);
	return 0;
}

char *steps_column(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	return text ? xstrdup((const char *)text) : NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *steps_trim(const char *s)
{
	size_t len;

	if (!s)
		return NULL;
	while (is_space(*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_space(s[len - 1]))
		len--;
	return xstrndup(s, len);
}

void steps_now(char out[21])
{
	time_format_utc(clock_now(), out);
}

int steps_parse_time(const char *field, const char *text, char out[21], struct wr_error *err)
{
	char now[21];
	time_t t;

	if (str_blank(text))
		return error_set(err, WR_BAD_INPUT, "missing %s; give an ISO 8601 time such as "
				 "2024-03-01T14:05Z", field);
	if (time_parse_iso8601(text, &t) < 0)
		return error_set(err, WR_BAD_INPUT, "invalid %s \"%s\"; give an ISO 8601 time such as "
				 "2024-03-01T14:05Z or 2024-03-01T15:05+01:00", field, text);
	if (t > clock_now()) {
		steps_now(now);
		return error_set(err, WR_BAD_INPUT, "%s \"%s\" is in the future (now is %s); "
				 "check the date and the time zone", field, text, now);
	}
	time_format_utc(t, out);
	return 0;
}

const char *steps_or_none(const char *s)
{
	return str_blank(s) ? "(none)" : s;
}

int steps_same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}
