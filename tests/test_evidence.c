/*
 * Unit tests for the evidence register: the folder and stored paths,
 * adding files (hash, size, paths, modes, the timeline event), refusing
 * missing files, folders, pipes and duplicates with nothing left behind,
 * all-or-nothing batches, listing import rows, and verifying stored copies.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence.h"
#include "incident.h"
#include "store.h"
#include "tap.h"
#include "testlib.h"

/* SHA-256 of "hello\n" (sha256sum agrees). */
#define HELLO_SHA256 "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"

static int contains(const char *haystack, const char *needle)
{
	return haystack && strstr(haystack, needle) != NULL;
}

/* Runs a query that returns one integer, or -1 when it fails. */
static long long query_int(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	long long value = -1;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

/* Runs a query that returns one text value (caller frees), or NULL. */
static char *query_text(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	char *value = NULL;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		value = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return value;
}

static void exec_sql(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
		exit(99);
	}
}

/* Writes TEXT to NAME in a fresh folder under the temporary folder; returns the path (caller frees). */
static char *make_file(const char *name, const char *text)
{
	static int serial;
	char *folder = xasprintf("%s/in-%d", test_tmpdir(), ++serial);
	char *path = xasprintf("%s/%s", folder, name);
	FILE *f;

	mkdir(folder, 0700);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "%s: cannot write\n", path);
		exit(99);
	}
	free(folder);
	return path;
}

/* Opens a new incident in its own transaction; returns its id (caller frees). */
static char *open_incident(struct store *st)
{
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *id;

	fields->summary = xstrdup("Card payments failing");
	if (store_begin(st, &err) != 0 || incident_insert(st, fields, &err) != 0 ||
	    store_commit(st, &err) != 0) {
		fprintf(stderr, "open_incident: %s\n", err.message);
		exit(99);
	}
	id = xstrdup(fields->id);
	incident_free(fields);
	return id;
}

/* Counts the entries of FOLDER other than . and ..; -1 when it does not exist. */
static int count_entries(const char *folder)
{
	DIR *dir = opendir(folder);
	struct dirent *entry;
	int n = 0;

	if (!dir)
		return -1;
	while ((entry = readdir(dir)))
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
			n++;
	closedir(dir);
	return n;
}

/* Adds the N files at PATHS, expecting success; returns the added rows (*N_ADDED of them). */
static struct evidence *add_ok(struct store *st, const char *id, const char *const *paths,
			       size_t n, const char *note, size_t *n_added)
{
	struct evidence *added = NULL;
	struct wr_error err = {0};

	if (evidence_add(st, id, paths, n, note, &added, n_added, &err) != 0) {
		fprintf(stderr, "evidence_add: %s\n", err.message);
		exit(99);
	}
	return added;
}

static void test_paths(void)
{
	char *s;

	s = evidence_folder("/srv/warroom/warroom.db", "INC-2026-0001");
	is_str(s, "/srv/warroom/warroom.evidence/INC-2026-0001", "folder: .db removed");
	free(s);
	s = evidence_folder("/srv/warroom/incidents", "INC-2026-0001");
	is_str(s, "/srv/warroom/incidents.evidence/INC-2026-0001", "folder: no .db suffix");
	free(s);
	s = evidence_folder("local.db", "INC-2026-0001");
	is_str(s, "local.evidence/INC-2026-0001", "folder: relative database");
	free(s);

	s = evidence_resolve("/srv/warroom/warroom.db", "warroom.evidence/INC-2026-0001/f");
	is_str(s, "/srv/warroom/warroom.evidence/INC-2026-0001/f", "resolve: beside database");
	free(s);
	s = evidence_resolve("local.db", "local.evidence/INC-2026-0001/f");
	is_str(s, "local.evidence/INC-2026-0001/f", "resolve: relative database");
	free(s);
	s = evidence_resolve("/w.db", "w.evidence/I/f");
	is_str(s, "/w.evidence/I/f", "resolve: database in root");
	free(s);
	s = evidence_resolve("/srv/w.db", "/elsewhere/f");
	is_str(s, "/elsewhere/f", "resolve: absolute kept");
	free(s);
}

static void test_add_one(void)
{
	struct store *st = test_store();
	char *id = open_incident(st);
	char *path = make_file("switch.log", "hello\n");
	const char *paths[] = {path};
	char *folder = evidence_folder(store_path(st), id);
	char *real = realpath(path, NULL);
	char *stored, *details, *sql;
	struct evidence *added;
	struct stat sb;
	size_t n;

	added = add_ok(st, id, paths, 1, "from the switch", &n);
	is_int(n, 1, "add: one row");
	is_str(added[0].sha256, HELLO_SHA256, "add: sha256");
	is_int(added[0].size, 6, "add: size");
	is_str(added[0].kind, "file", "add: kind");
	is_str(added[0].name, "switch.log", "add: name");
	is_str(added[0].original_path, real, "add: original path absolute");
	is_str(added[0].added_by, "alice", "add: added by");
	is_str(added[0].added_at, "2026-03-02T10:00:00Z", "add: added at");
	is_str(added[0].note, "from the switch", "add: note");
	ok(contains(added[0].stored_path, ".evidence/"), "add: stored path in evidence folder");
	ok(added[0].stored_path && added[0].stored_path[0] != '/', "add: stored path relative");

	/* The copy is at the stored path, read-only, with the content unchanged. */
	stored = evidence_resolve(store_path(st), added[0].stored_path);
	ok(stat(stored, &sb) == 0, "add: copy exists");
	is_int(sb.st_mode & 07777, 0400, "add: copy read-only");
	is_int(sb.st_size, 6, "add: copy size");
	ok(contains(stored, folder), "add: copy in incident folder");
	ok(stat(folder, &sb) == 0 && (sb.st_mode & 07777) == 0700, "add: folder 0700");
	is_int(count_entries(folder), 1, "add: no temporary left");

	/* The row in the database and the timeline event. */
	sql = xasprintf("SELECT count(*) FROM evidence WHERE sha256 = '%s' AND size = 6"
			" AND original_path = '%s' AND body = 'from the switch'",
			HELLO_SHA256, real);
	is_int(query_int(st, sql), 1, "add: row stored");
	free(sql);
	details = query_text(st, "SELECT details FROM events WHERE kind = 'evidence added'");
	ok(contains(details, "switch.log"), "add: event names file");
	ok(contains(details, HELLO_SHA256), "add: event has hash");
	ok(contains(details, "from the switch"), "add: event has note");

	free(details);
	free(stored);
	evidence_free(added, n);
	free(real);
	free(folder);
	free(path);
	free(id);
	store_close(st);
}

static void test_add_relative_path(void)
{
	struct store *st = test_store();
	char *id = open_incident(st);
	char *path = make_file("app.log", "hello\n");
	char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	char *cwd = getcwd(NULL, 0);
	const char *paths[] = {"app.log"};
	struct evidence *added;
	size_t n;

	if (chdir(dir) != 0)
		exit(99);
	added = add_ok(st, id, paths, 1, NULL, &n);
	if (chdir(cwd) != 0)
		exit(99);
	ok(added[0].original_path && added[0].original_path[0] == '/',
	   "relative path: recorded absolute");
	ok(contains(added[0].original_path, "/app.log"), "relative path: names file");
	ok(added[0].note == NULL, "relative path: no note");
	evidence_free(added, n);
	free(cwd);
	free(dir);
	free(path);
	free(id);
	store_close(st);
}

/* Expects adding PATHS to fail with WR_BAD_INPUT and a message containing WANT, storing nothing. */
static void expect_refused(struct store *st, const char *id, const char *const *paths, size_t n,
			   const char *want, const char *name)
{
	long long rows_before = query_int(st, "SELECT count(*) FROM evidence");
	long long events_before = query_int(st, "SELECT count(*) FROM events");
	char *folder = evidence_folder(store_path(st), id);
	int files_before = count_entries(folder);
	struct evidence *added = NULL;
	struct wr_error err = {0};
	char label[128];
	size_t n_added = 99;

	snprintf(label, sizeof label, "%s: refused", name);
	is_int(evidence_add(st, id, paths, n, NULL, &added, &n_added, &err), -1, label);
	snprintf(label, sizeof label, "%s: bad input", name);
	is_int(err.status, WR_BAD_INPUT, label);
	snprintf(label, sizeof label, "%s: message", name);
	ok(contains(err.message, want), label);
	if (!contains(err.message, want))
		printf("#   message: %s\n", err.message);
	snprintf(label, sizeof label, "%s: no rows", name);
	is_int(query_int(st, "SELECT count(*) FROM evidence"), rows_before, label);
	snprintf(label, sizeof label, "%s: no event", name);
	is_int(query_int(st, "SELECT count(*) FROM events"), events_before, label);
	snprintf(label, sizeof label, "%s: no files left", name);
	is_int(count_entries(folder) < 0 ? 0 : count_entries(folder),
	       files_before < 0 ? 0 : files_before, label);
	snprintf(label, sizeof label, "%s: nothing returned", name);
	ok(added == NULL && n_added == 0, label);
	free(folder);
}

static void test_add_refused(void)
{
	struct store *st = test_store();
	char *id = open_incident(st);
	char *good = make_file("good.log", "hello\n");
	char *other = make_file("other.log", "world\n");
	char *same = make_file("copy-of-good.log", "hello\n");
	char *missing = xasprintf("%s/no-such-file.log", test_tmpdir());
	char *fifo = xasprintf("%s/pipe", test_tmpdir());
	char *evidence_root = evidence_folder(store_path(st), id);
	struct evidence *added;
	size_t n;

	{
		const char *paths[] = {missing};

		expect_refused(st, id, paths, 1, "no-such-file.log: no such file", "missing file");
		*strrchr(evidence_root, '/') = '\0';
		is_int(count_entries(evidence_root), -1, "missing file: no folder left");
		free(evidence_root);
	}
	{
		const char *paths[] = {test_tmpdir()};

		expect_refused(st, id, paths, 1, "is a folder", "folder");
	}
	if (mkfifo(fifo, 0600) == 0) {
		const char *paths[] = {fifo};

		expect_refused(st, id, paths, 1, "is not a regular file", "fifo");
	}
	{
		const char *paths[] = {good, other, missing};

		expect_refused(st, id, paths, 3, "no such file", "batch with missing file");
	}
	{
		const char *paths[] = {good, same};

		expect_refused(st, id, paths, 2, "has the same content as", "duplicate in batch");
	}

	/* Content already registered is refused, and the message names the earlier row. */
	{
		const char *first[] = {good};
		const char *paths[] = {other, same};
		char want[64];

		added = add_ok(st, id, first, 1, NULL, &n);
		snprintf(want, sizeof want, "already registered as evidence %lld", added[0].id);
		expect_refused(st, id, paths, 2, want, "duplicate registered");
		evidence_free(added, n);
	}
	{
		const char *none[] = {NULL};
		struct wr_error err = {0};

		is_int(evidence_add(st, id, none, 0, NULL, &added, &n, &err), -1, "no files: refused");
		is_int(err.status, WR_BAD_INPUT, "no files: bad input");
	}

	free(fifo);
	free(missing);
	free(same);
	free(other);
	free(good);
	free(id);
	store_close(st);
}

static void test_add_unknown_incident(void)
{
	struct store *st = test_store();
	char *path = make_file("a.log", "hello\n");
	const char *paths[] = {path};
	char *folder = evidence_folder(store_path(st), "INC-2026-0099");
	struct evidence *added;
	struct wr_error err = {0};
	size_t n;

	is_int(evidence_add(st, "INC-2026-0099", paths, 1, NULL, &added, &n, &err), -1,
	       "unknown incident: refused");
	is_int(err.status, WR_BAD_INPUT, "unknown incident: bad input");
	ok(contains(err.message, "INC-2026-0099"), "unknown incident: named");
	is_int(count_entries(folder), -1, "unknown incident: no folder");
	free(folder);
	free(path);
	store_close(st);
}

/* A failure inside the transaction removes the copies, including one already renamed. */
static void test_add_transaction_fails(void)
{
	struct store *st = test_store();
	char *id = open_incident(st);
	char *a = make_file("first.log", "hello\n");
	char *b = make_file("second.log", "world\n");
	const char *paths[] = {a, b};
	char *folder = evidence_folder(store_path(st), id);
	struct evidence *added;
	struct wr_error err = {0};
	size_t n;

	exec_sql(st, "CREATE TRIGGER refuse_second BEFORE INSERT ON events"
		     " WHEN NEW.details LIKE '%second.log%'"
		     " BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;");
	is_int(evidence_add(st, id, paths, 2, NULL, &added, &n, &err), -1, "failed commit: refused");
	ok(contains(err.message, "refused for the test"), "failed commit: store's message");
	is_int(query_int(st, "SELECT count(*) FROM evidence"), 0, "failed commit: no rows");
	ok(count_entries(folder) <= 0, "failed commit: copies removed");
	exec_sql(st, "DROP TRIGGER refuse_second");

	added = add_ok(st, id, paths, 2, NULL, &n);
	is_int(n, 2, "after failure: both added");
	is_int(count_entries(folder), 2, "after failure: two copies");
	is_int(query_int(st, "SELECT count(*) FROM events WHERE kind = 'evidence added'"), 2,
	       "after failure: two events");
	evidence_free(added, n);
	free(folder);
	free(a);
	free(b);
	free(id);
	store_close(st);
}

static void test_list(void)
{
	struct store *st = test_store();
	char *id = open_incident(st);
	char *path = make_file("a.log", "hello\n");
	const char *paths[] = {path};
	struct evidence *added, *list;
	struct wr_error err = {0};
	size_t n, n_list;
	char *sql;

	/* An import row: the handoff itself, with no file. */
	sql = xasprintf("INSERT INTO evidence (incident_id, kind, name, body, added_by, added_at)"
			" VALUES ('%s', 'handoff', 'dashboard.json', '{}', 'import', '2026-03-02T09:00:00Z')",
			id);
	exec_sql(st, sql);
	free(sql);
	added = add_ok(st, id, paths, 1, NULL, &n);

	is_int(evidence_list(st, id, &list, &n_list, &err), 0, "list: runs");
	is_int(n_list, 2, "list: both rows");
	if (n_list == 2) {
		is_str(list[0].kind, "handoff", "list: import kind");
		ok(list[0].sha256 == NULL, "list: import has no hash");
		is_int(list[0].size, -1, "list: import has no size");
		is_str(list[0].name, "dashboard.json", "list: import name");
		is_str(list[1].sha256, HELLO_SHA256, "list: file hash");
		is_str(list[1].stored_path, added[0].stored_path, "list: file stored path");
	}
	evidence_free(list, n_list);

	is_int(evidence_list(st, "INC-2026-0099", &list, &n_list, &err), -1, "list unknown: fails");
	is_int(err.status, WR_BAD_INPUT, "list unknown: bad input");

	evidence_free(added, n);
	free(path);
	free(id);
	store_close(st);
}

static void test_verify(void)
{
	struct store *st = test_store();
	char *id = open_incident(st);
	char *a = make_file("a.log", "hello\n");
	char *b = make_file("b.log", "world\n");
	char *c = make_file("c.log", "third\n");
	const char *paths[] = {a, b, c};
	struct evidence_check *checks;
	struct evidence *added;
	struct wr_error err = {0};
	char *copy_a, *copy_b, *copy_c;
	FILE *f;
	size_t n, n_checks;

	exec_sql(st, "INSERT INTO evidence (incident_id, kind, name, body, added_by, added_at)"
		     " SELECT id, 'handoff', 'h.json', '{}', 'import', created_at FROM incidents");
	added = add_ok(st, id, paths, 3, NULL, &n);
	copy_a = evidence_resolve(store_path(st), added[0].stored_path);
	copy_b = evidence_resolve(store_path(st), added[1].stored_path);
	copy_c = evidence_resolve(store_path(st), added[2].stored_path);

	is_int(evidence_verify(st, id, &checks, &n_checks, &err), 0, "verify: runs");
	is_int(n_checks, 3, "verify: files only");
	for (size_t i = 0; i < n_checks; i++)
		is_int(checks[i].state, EVIDENCE_OK, "verify: untouched ok");
	evidence_checks_free(checks, n_checks);

	/* Change one copy, remove another, put a symbolic link in place of the third. */
	chmod(copy_a, 0600);
	f = fopen(copy_a, "a");
	if (!f || fputs("appended\n", f) < 0 || fclose(f) != 0)
		exit(99);
	unlink(copy_b);
	unlink(copy_c);
	if (symlink(a, copy_c) != 0)
		exit(99);

	is_int(evidence_verify(st, id, &checks, &n_checks, &err), 0, "verify tampered: runs");
	if (n_checks == 3) {
		is_int(checks[0].state, EVIDENCE_CHANGED, "verify: changed");
		is_str(checks[0].item.sha256, HELLO_SHA256, "verify: expected hash");
		ok(sha256_hex_valid(checks[0].actual_sha256) &&
		   strcmp(checks[0].actual_sha256, HELLO_SHA256) != 0, "verify: actual hash");
		is_int(checks[1].state, EVIDENCE_MISSING, "verify: missing");
		is_int(checks[2].state, EVIDENCE_UNREADABLE, "verify: symbolic link");
		ok(contains(checks[2].problem, "symbolic link"), "verify: link named");
	}
	evidence_checks_free(checks, n_checks);

	free(copy_a);
	free(copy_b);
	free(copy_c);
	evidence_free(added, n);
	free(a);
	free(b);
	free(c);
	free(id);
	store_close(st);
}

static void test_verify_none(void)
{
	struct store *st = test_store();
	char *id = open_incident(st);
	struct evidence_check *checks;
	struct wr_error err = {0};
	size_t n;

	is_int(evidence_verify(st, id, &checks, &n, &err), 0, "verify none: runs");
	is_int(n, 0, "verify none: no files");
	evidence_checks_free(checks, n);
	is_int(evidence_verify(st, "INC-2026-0099", &checks, &n, &err), -1, "verify unknown: fails");
	free(id);
	store_close(st);
}

int main(void)
{
	setenv("WARROOM_NOW", "2026-03-02T10:00:00Z", 1);
	setenv("WARROOM_ACTOR", "alice", 1);

	test_paths();
	test_add_one();
	test_add_relative_path();
	test_add_refused();
	test_add_unknown_incident();
	test_add_transaction_fails();
	test_list();
	test_verify();
	test_verify_none();
	return tap_done();
}
