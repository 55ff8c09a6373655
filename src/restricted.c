/*
 * The restricted file beside the incident database: its schema, creating it
 * with the right mode and group, and the writes and reads of restricted
 * notes and hypothesis text. Opening and migrating reuse the store (see
 * store_open_schema), so the file gets the same WAL mode, synchronous=FULL
 * and version checks as the incident database. See restricted.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "evidence.h"
#include "report_text.h"
#include "restricted.h"
#include "steps.h"
#include "steps_util.h"

/* The restricted file's own schema; user_version counts these. */
static const char *const restricted_migrations[] = {
	/* 1: notes keyed by the id of their timeline event, hypothesis text by the hypothesis id. */
	"CREATE TABLE restricted_notes ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL,"
	"  event_id INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  added_by TEXT NOT NULL,"
	"  added_at TEXT NOT NULL,"
	"  UNIQUE (incident_id, event_id)"
	");"
	"CREATE TABLE restricted_hypotheses ("
	"  hypothesis_id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  added_by TEXT NOT NULL,"
	"  added_at TEXT NOT NULL"
	");"
	/* Evidence files; ID is the id of the register row that stands for the file. */
	"CREATE TABLE restricted_evidence ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  original_path TEXT NOT NULL,"
	"  stored_path TEXT NOT NULL,"
	"  note TEXT,"
	"  added_by TEXT NOT NULL,"
	"  added_at TEXT NOT NULL"
	");"
	"CREATE INDEX restricted_evidence_sha256 ON restricted_evidence (incident_id, sha256);",
};

struct restricted {
	struct store *st;
};

char *restricted_path(const char *db_path)
{
	size_t len = strlen(db_path);

	if (len > 3 && strcmp(db_path + len - 3, ".db") == 0)
		return xasprintf("%.*s.restricted.db", (int)(len - 3), db_path);
	return xasprintf("%s.restricted", db_path);
}

/*
 * Gives PATH's -wal and -shm files the group and mode of PATH itself. Unless
 * it runs as root, SQLite copies only the mode, and the group comes from the
 * creating process or a setgid folder, which would let that group read
 * restricted text in the WAL.
 */
static int match_wal_group(const char *path, struct wr_error *err)
{
	static const char *const suffixes[] = {"-wal", "-shm"};
	struct stat db;

	if (stat(path, &db) != 0)
		return error_set(err, WR_FAILED, "%s: cannot read the restricted file: %s", path,
				 strerror(errno));
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char *file = xasprintf("%s%s", path, suffixes[i]);
		struct stat sb;
		int rc = 0;

		if (stat(file, &sb) == 0 &&
		    (sb.st_gid != db.st_gid || (sb.st_mode & 07777) != (db.st_mode & 07777)))
			rc = chown(file, (uid_t)-1, db.st_gid) != 0 ||
			     chmod(file, db.st_mode & 07777) != 0;
		if (rc)
			error_set(err, WR_FAILED,
				  "%s: cannot give it the restricted file's group and mode: %s; fix them by hand",
				  file, strerror(errno));
		free(file);
		if (rc)
			return -1;
	}
	return 0;
}

static struct restricted *open_schema(const char *path, int flags, struct wr_error *err)
{
	struct store_schema schema = {
		.migrations = restricted_migrations,
		.count = sizeof restricted_migrations / sizeof restricted_migrations[0],
	};
	struct store *st = store_open_schema(path, flags, &schema, err);
	struct restricted *r;

	if (!st)
		return NULL;
	if (!(flags & STORE_READONLY) && match_wal_group(path, err) != 0) {
		store_close(st);
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->st = st;
	return r;
}

/*
 * Creates PATH when missing: mode 0600, or 0660 owned by GROUP. The mode is
 * set before SQLite opens the file, because SQLite gives the -wal and -shm
 * files the mode (and, run as root, the owner) of the database file.
 */
static int create_restricted_file(const char *path, const char *group, struct wr_error *err)
{
	struct group *gr = NULL;
	int fd;

	if (group) {
		gr = getgrnam(group);
		if (!gr)
			return error_set(err, WR_BAD_INPUT,
					 "restricted_group \"%s\": no such group; create it or fix the settings file",
					 group);
	}

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0)
		return error_set(err, WR_FAILED, "%s: cannot create the restricted file: %s", path,
				 strerror(errno));
	if (gr && (fchown(fd, (uid_t)-1, gr->gr_gid) != 0 || fchmod(fd, 0660) != 0)) {
		error_set(err, WR_FAILED,
			  "%s: cannot give the restricted file to group %s: %s; join that group or unset restricted_group",
			  path, group, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

struct restricted *restricted_open_write(const char *db_path, const char *group,
					 struct wr_error *err)
{
	char *path = restricted_path(db_path);
	struct restricted *r = NULL;

	if (create_restricted_file(path, group, err) == 0)
		r = open_schema(path, 0, err);
	free(path);
	return r;
}

struct restricted *restricted_open_read(const char *db_path, enum restricted_access *state,
					struct wr_error *err)
{
	char *path = restricted_path(db_path);
	struct restricted *r = NULL;
	int fd;

	*state = RESTRICTED_ABSENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			*state = RESTRICTED_DENIED;
		else if (errno != ENOENT)
			error_set(err, WR_FAILED, "%s: cannot open the restricted file: %s", path,
				  strerror(errno));
		free(path);
		return NULL;
	}
	close(fd);

	/* Read-write when allowed, so the WAL's -shm can be created; else read-only. */
	r = open_schema(path, access(path, W_OK) == 0 ? 0 : STORE_READONLY, err);
	*state = r ? RESTRICTED_READABLE : RESTRICTED_DENIED;
	free(path);
	return r;
}

struct store *restricted_store(struct restricted *r)
{
	return r->st;
}

/* Replaces E's marker fields with the restricted row of the same id, when R has one. */
static void fill_one(struct restricted *r, const char *incident_id, struct evidence *e)
{
	struct wr_error err = {0};
	sqlite3_stmt *stmt;

	stmt = steps_prepare(r->st, &err, "SELECT name, sha256, size, original_path, stored_path, note,"
			     " added_by, added_at FROM restricted_evidence WHERE id = ? AND incident_id = ?",
			     "is", e->id, incident_id);
	if (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
		free(e->name);
		free(e->sha256);
		free(e->original_path);
		free(e->stored_path);
		free(e->note);
		free(e->added_by);
		free(e->added_at);
		e->name = steps_column(stmt, 0);
		e->sha256 = steps_column(stmt, 1);
		e->size = sqlite3_column_int64(stmt, 2);
		e->original_path = steps_column(stmt, 3);
		e->stored_path = steps_column(stmt, 4);
		e->note = steps_column(stmt, 5);
		e->added_by = steps_column(stmt, 6);
		e->added_at = steps_column(stmt, 7);
	}
	store_finalize(r->st, stmt);
}

/*
 * Opens the restricted file for DB_PATH when NEEDED, for a fill call. Sets
 * *STATE; a failure other than a denial counts as a denial, because a
 * reader that cannot open the file sees the marker either way.
 */
static struct restricted *open_for_fill(const char *db_path, int needed,
					enum restricted_access *state)
{
	struct wr_error err = {0};
	struct restricted *r;

	*state = RESTRICTED_ABSENT;
	if (!needed)
		return NULL;
	r = restricted_open_read(db_path, state, &err);
	if (!r && err.status != WR_OK)
		*state = RESTRICTED_DENIED;
	return r;
}

enum restricted_access restricted_fill_evidence(const char *db_path, const char *incident_id,
						struct evidence *list, size_t n)
{
	enum restricted_access state;
	struct restricted *r;
	int needed = 0;

	for (size_t i = 0; i < n; i++)
		needed |= list[i].kind && strcmp(list[i].kind, EVIDENCE_KIND_RESTRICTED) == 0;
	r = open_for_fill(db_path, needed, &state);
	for (size_t i = 0; r && i < n; i++)
		if (list[i].kind && strcmp(list[i].kind, EVIDENCE_KIND_RESTRICTED) == 0)
			fill_one(r, incident_id, &list[i]);
	restricted_close(r);
	return state;
}

enum restricted_access restricted_fill_hypotheses(const char *db_path, const char *incident_id,
						  struct hypothesis *list, size_t n)
{
	enum restricted_access state;
	struct restricted *r;
	int needed = 0;

	for (size_t i = 0; i < n; i++)
		needed |= list[i].restricted;
	r = open_for_fill(db_path, needed, &state);
	for (size_t i = 0; i < n; i++) {
		if (!list[i].restricted)
			continue;
		free(list[i].text);
		list[i].text = restricted_text(r, RESTRICTED_HYPOTHESIS, incident_id, list[i].id);
	}
	restricted_close(r);
	return state;
}

enum restricted_access restricted_fill_events(const char *db_path, const char *incident_id,
					      struct event *list, size_t n)
{
	enum restricted_access state;
	struct restricted *r;
	int needed = 0;

	for (size_t i = 0; i < n; i++)
		needed |= list[i].kind && strcmp(list[i].kind, RESTRICTED_NOTE_EVENT) == 0;
	r = open_for_fill(db_path, needed, &state);
	for (size_t i = 0; i < n; i++) {
		char *text;

		if (!list[i].kind || strcmp(list[i].kind, RESTRICTED_NOTE_EVENT) != 0)
			continue;
		text = restricted_text(r, RESTRICTED_NOTE, incident_id, list[i].id);
		free(list[i].details);
		list[i].details = xasprintf("restricted note: %s", text);
		free(text);
	}
	restricted_close(r);
	return state;
}

void restricted_close(struct restricted *r)
{
	if (!r)
		return;
	store_close(r->st);
	free(r);
}

char *restricted_text(struct restricted *r, enum restricted_kind kind, const char *incident_id,
		      long long key)
{
	struct wr_error err = {0};
	sqlite3_stmt *stmt;
	char *text = NULL;

	if (!r)
		return xstrdup(RESTRICTED_MARKER);
	if (kind == RESTRICTED_NOTE)
		stmt = steps_prepare(r->st, &err, "SELECT text FROM restricted_notes"
				     " WHERE incident_id = ? AND event_id = ?", "si", incident_id, key);
	else
		stmt = steps_prepare(r->st, &err, "SELECT text FROM restricted_hypotheses"
				     " WHERE incident_id = ? AND hypothesis_id = ?", "si", incident_id, key);
	if (stmt && sqlite3_step(stmt) == SQLITE_ROW)
		text = steps_column(stmt, 0);
	store_finalize(r->st, stmt);
	return text ? text : xstrdup(RESTRICTED_MARKER);
}

/*
 * Runs SQL, whose five parameters are INCIDENT_ID, KEY, TEXT, the actor and
 * the time, with their TYPES on a fresh connection to the restricted
 * file and commits it. The caller's incident transaction is still open, so
 * a failure here leaves the incident database unchanged.
 *
 * NOTE: the two files cannot commit atomically (SQLite does not make a
 * transaction over WAL databases atomic across files). The restricted row
 * commits first, so a crash before the incident commit leaves an
 * unreferenced row in the restricted file, never a marker without its text.
 */
static int write_restricted(const char *db_path, const char *group, struct wr_error *err,
			    const char *sql, const char *types, const char *incident_id,
			    long long key, const char *text)
{
	struct restricted *r = restricted_open_write(db_path, group, err);
	char now[21];
	int rc;

	if (!r)
		return -1;
	steps_now(now);
	if (store_begin(r->st, err) != 0) {
		restricted_close(r);
		return -1;
	}
	rc = steps_exec(r->st, err, sql, types, incident_id, key, text, actor_name(), now);
	if (rc == 0)
		rc = store_commit(r->st, err);
	restricted_close(r);
	return rc;
}

int restricted_note_add(struct store *st, const char *group, const char *incident_id,
			const char *text, struct wr_error *err)
{
	struct incident *inc;
	char *clean;
	long long event_id;

	if (str_blank(text))
		return error_set(err, WR_BAD_INPUT, "blank note; write the text to add");

	inc = steps_begin(st, incident_id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		return -1;
	if (store_event(st, inc->id, RESTRICTED_NOTE_EVENT, err,
			"restricted note added; its text is in the restricted file") < 0)
		return steps_abort(st, inc);
	event_id = sqlite3_last_insert_rowid(store_db(st));

	clean = steps_trim(text);
	if (write_restricted(store_path(st), group, err,
			     "INSERT OR REPLACE INTO restricted_notes"
			     " (incident_id, event_id, text, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
			     "sisss", inc->id, event_id, clean) != 0) {
		free(clean);
		return steps_abort(st, inc);
	}
	free(clean);
	return steps_commit(st, inc, err);
}

int restricted_hypothesis_add(struct store *st, const char *group, const char *incident_id,
			      const char *text, long long *new_id, struct wr_error *err)
{
	struct incident *inc;
	char now[21];
	char *clean;
	long long hid;

	if (str_blank(text))
		return error_set(err, WR_BAD_INPUT, "blank hypothesis; say what might cause the incident");

	inc = steps_begin(st, incident_id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	steps_now(now);
	if (steps_exec(st, err, "INSERT INTO hypotheses (incident_id, text, added_by, added_at, restricted) "
		       "VALUES (?, ?, ?, ?, 1)", "ssss", inc->id, RESTRICTED_MARKER, actor_name(), now) < 0)
		return steps_abort(st, inc);
	hid = sqlite3_last_insert_rowid(store_db(st));
	if (store_event(st, inc->id, "hypothesis-added", err,
			"hypothesis %lld added (unconfirmed): " RESTRICTED_MARKER, hid) < 0)
		return steps_abort(st, inc);

	/*
	 * OR REPLACE: a row left by an earlier add whose incident commit failed
	 * may carry this id, because SQLite reuses a rolled-back rowid.
	 */
	clean = steps_trim(text);
	if (write_restricted(store_path(st), group, err,
			     "INSERT OR REPLACE INTO restricted_hypotheses"
			     " (incident_id, hypothesis_id, text, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
			     "sisss", inc->id, hid, clean) != 0) {
		free(clean);
		return steps_abort(st, inc);
	}
	free(clean);
	if (steps_commit(st, inc, err) < 0)
		return -1;
	if (new_id)
		*new_id = hid;
	return 0;
}

/*
 * Appends one "- " line per row of SQL (INCIDENT_ID bound), its COLUMNS
 * columns escaped with textsafe and joined by "; ".
 */
static int section_rows(struct restricted *r, struct strbuf *out, const char *heading,
			const char *sql, int columns, const char *incident_id, struct wr_error *err)
{
	sqlite3_stmt *stmt = steps_prepare(r->st, err, sql, "s", incident_id);
	size_t rows = 0;
	int rc;

	if (!stmt)
		return -1;
	sb_addf(out, "\n### %s\n\n", heading);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		sb_add(out, "-");
		for (int col = 0; col < columns; col++) {
			const char *value = (const char *)sqlite3_column_text(stmt, col);

			sb_add(out, col == 0 ? " " : "; ");
			report_add(out, value, "-");
		}
		sb_addc(out, '\n');
		rows++;
	}
	store_finalize(r->st, stmt);
	if (rc != SQLITE_DONE)
		return store_error(r->st, err, "reading the restricted file");
	if (rows == 0)
		sb_add(out, "None.\n");
	return 0;
}

char *restricted_section(const char *db_path, const char *incident_id, struct wr_error *err)
{
	enum restricted_access state;
	struct restricted *r;
	struct strbuf out;
	char *path;
	int rc;

	r = restricted_open_read(db_path, &state, err);
	if (!r && state == RESTRICTED_DENIED && err->status == WR_OK) {
		path = restricted_path(db_path);
		error_set(err, WR_FAILED,
			  "%s: permission denied; --include-restricted needs read access to the restricted file (a member of restricted_group), so leave the option out",
			  path);
		free(path);
		return NULL;
	}
	if (!r && state != RESTRICTED_ABSENT)
		return NULL;

	sb_init(&out);
	sb_add(&out, "\n## Restricted material (need-to-know)\n");
	if (!r) {
		sb_add(&out, "\nNone.\n");
		return sb_take(&out);
	}
	rc = section_rows(r, &out, "Notes",
			  "SELECT added_at, added_by, text FROM restricted_notes"
			  " WHERE incident_id = ? ORDER BY event_id", 3, incident_id, err);
	if (rc == 0)
		rc = section_rows(r, &out, "Hypotheses",
				  "SELECT 'hypothesis ' || hypothesis_id, added_by, text"
				  " FROM restricted_hypotheses WHERE incident_id = ? ORDER BY hypothesis_id",
				  3, incident_id, err);
	if (rc == 0)
		rc = section_rows(r, &out, "Evidence",
				  "SELECT 'evidence ' || id, name, 'sha256 ' || sha256, size || ' bytes',"
				  " stored_path, note FROM restricted_evidence WHERE incident_id = ? ORDER BY id",
				  6, incident_id, err);
	restricted_close(r);
	if (rc != 0) {
		sb_free(&out);
		return NULL;
	}
	return sb_take(&out);
}
