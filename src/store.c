/*
 * The incident store: opening the SQLite file safely (private file mode,
 * schema version checked before anything is written, corruption detected),
 * running the schema migrations, write transactions, timeline events and
 * incident id allocation. See store.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "chain.h"
#include "migrations.h"
#include "store.h"

/* How long a connection waits for another writer's lock before it gives up. */
#define STORE_BUSY_TIMEOUT_MS 5000

#define STORE_BUSY_MESSAGE "database is busy: another warroom is writing; try again"

/* A statement kept prepared for store_prepare, found again by its SQL text. */
struct store_cached {
	char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	struct store_cached *cache;
	size_t n_cache;
};

/* Creates every missing folder above PATH's last slash with mode 0700. */
static int make_parent_folders(const char *path, struct wr_error *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	struct stat sb;

	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';

	/* Walk the prefixes from the top, so each missing folder gets 0700. */
	for (char *p = dir + 1;; p++) {
		char saved = *p;

		if (saved != '/' && saved != '\0')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST &&
		    !(stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))) {
			error_set(err, WR_FAILED, "%s: cannot create folder %s: %s", path, dir,
				  strerror(errno));
			free(dir);
			return -1;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}

	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		error_set(err, WR_FAILED, "%s: %s is not a folder", path, dir);
		free(dir);
		return -1;
	}
	free(dir);
	return 0;
}

/*
 * Makes sure the file at PATH exists, creating it with mode 0600. SQLite's
 * unix VFS gives the -wal and -shm files the database file's mode. Sets
 * *CREATED when this call created the file.
 */
static int create_file(const char *path, int *created, struct wr_error *err)
{
	int fd;

	*created = 0;
	if (make_parent_folders(path, err) != 0)
		return -1;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0)
		return error_set(err, WR_FAILED, "%s: cannot create the database file: %s", path,
				 strerror(errno));
	close(fd);
	*created = 1;
	return 0;
}

/* Removes a database file this call created, with the -wal and -shm beside it. */
static void remove_created_file(const char *path)
{
	char *wal = xasprintf("%s-wal", path);
	char *shm = xasprintf("%s-shm", path);

	unlink(wal);
	unlink(shm);
	unlink(path);
	free(wal);
	free(shm);
}

/* Fills ERR for a failed SQLite call made while opening, naming PATH. */
static int open_error(sqlite3 *db, const char *path, int rc, const char *action,
		      struct wr_error *err)
{
	int primary = rc & 0xff;

	if (primary == SQLITE_NOTADB)
		return error_set(err, WR_FAILED,
				 "%s: not a SQLite database; check the --db path (the file was left as it is)",
				 path);
	if (primary == SQLITE_CORRUPT)
		return error_set(err, WR_FAILED,
				 "%s: the database is corrupt (%s); restore it from a backup (the file was left as it is)",
				 path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	if (primary == SQLITE_BUSY)
		return error_set(err, WR_FAILED, "%s: %s", path, STORE_BUSY_MESSAGE);
	if (rc == SQLITE_READONLY_DIRECTORY || rc == SQLITE_READONLY_CANTINIT)
		return error_set(err, WR_FAILED,
				 "%s: cannot read this WAL database: its folder is not writable and its -wal and -shm files are missing; open it read-write once, which leaves them in place",
				 path);
	return error_set(err, WR_FAILED, "%s: %s: %s", path, action,
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

/* Runs a statement that returns one integer, such as a PRAGMA read. */
static int query_int(sqlite3 *db, const char *path, const char *sql, int *value,
		     struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			*value = sqlite3_column_int(stmt, 0);
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK) {
		open_error(db, path, rc, sql, err);
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
}

static int exec_sql(sqlite3 *db, const char *path, const char *sql, struct wr_error *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return open_error(db, path, rc, sql, err);
	return 0;
}

/* Runs PRAGMA quick_check on TABLE and its indexes; returns -1 with ERR set when it finds damage. */
static int check_table(sqlite3 *db, const char *path, const char *table, struct wr_error *err)
{
	sqlite3_stmt *stmt;
	const char *result;
	char *sql = sqlite3_mprintf("PRAGMA quick_check(%Q)", table);
	int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);

	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return open_error(db, path, rc, "checking the database", err);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		open_error(db, path, rc, "checking the database", err);
		sqlite3_finalize(stmt);
		return -1;
	}

	result = (const char *)sqlite3_column_text(stmt, 0);
	if (!result || strcmp(result, "ok") != 0) {
		error_set(err, WR_FAILED,
			  "%s: the database is corrupt (%s); restore it from a backup (the file was left as it is)",
			  path, result ? result : "no result from quick_check");
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
}

/*
 * Reads the pages of every table and index with PRAGMA quick_check, so a
 * damaged file is reported when it is opened rather than halfway through a
 * change. The timeline (the events table) is left out, because it contains
 * nearly all of a long incident's pages. Checking it made every open read
 * the whole file: with 100,000 events, 190 million instructions and most of
 * the console's start-up (callgrind; BENCHMARKS.md). Damage there is found
 * when its pages are read, and store_error reports it as a corrupt database.
 */
static int check_integrity(sqlite3 *db, const char *path, struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT name FROM sqlite_schema WHERE type = 'table'"
				    " AND name <> 'events' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
				    -1, &stmt, NULL);

	if (rc != SQLITE_OK)
		return open_error(db, path, rc, "checking the database", err);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		char *table = xstrdup((const char *)sqlite3_column_text(stmt, 0));

		rc = check_table(db, path, table, err);
		free(table);
		if (rc != 0) {
			sqlite3_finalize(stmt);
			return -1;
		}
	}
	if (rc != SQLITE_DONE) {
		open_error(db, path, rc, "checking the database", err);
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
}

/*
 * Checks the schema version against the migrations this program has,
 * before anything is written. Sets *VERSION.
 */
static int check_version_read(sqlite3 *db, const char *path, int readonly,
			      const struct store_schema *schema, int *version, struct wr_error *err);

/*
 * Reads the schema version and the table count in one read transaction: read
 * apart, another process finishing its migrations in between would make a
 * new warroom database look like someone else's.
 */
static int check_version(sqlite3 *db, const char *path, int readonly,
			 const struct store_schema *schema, int *version, struct wr_error *err)
{
	int rc;

	if (exec_sql(db, path, "BEGIN", err) != 0)
		return -1;
	rc = check_version_read(db, path, readonly, schema, version, err);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

static int check_version_read(sqlite3 *db, const char *path, int readonly,
			      const struct store_schema *schema, int *version, struct wr_error *err)
{
	size_t known = schema->count;
	int tables;

	if (query_int(db, path, "PRAGMA user_version", version, err) != 0)
		return -1;
	if (*version < 0 || (size_t)*version > known)
		return error_set(err, WR_FAILED,
				 "%s: schema version %d is newer than this warroom supports (%zu); upgrade warroom",
				 path, *version, known);
	if ((size_t)*version == known)
		return 0;

	if (query_int(db, path, "SELECT count(*) FROM sqlite_schema", &tables, err) != 0)
		return -1;
	if (*version == 0 && tables > 0)
		return error_set(err, WR_FAILED,
				 "%s: not a warroom database (it has tables but no warroom schema version); check the --db path",
				 path);
	if (readonly && *version == 0)
		return error_set(err, WR_BAD_INPUT,
				 "%s: the database is empty; run `warroom import` or `warroom new` first",
				 path);
	if (readonly)
		return error_set(err, WR_FAILED,
				 "%s: schema version %d is older than this warroom's (%zu); open it once read-write to upgrade it",
				 path, *version, known);
	return 0;
}

/* C code that completes a migration's SQL, run right after it in the same transaction. */
static const struct {
	size_t version;
	int (*run)(sqlite3 *db, const char *path, struct wr_error *err);
} migration_code[] = {
	{2, chain_seal_existing}, /* hash the events that version 1 wrote */
};

/* Runs the C code that belongs to the main schema's migration VERSION, if any. */
static int run_migration_code(sqlite3 *db, const char *path, size_t version,
			      struct wr_error *err)
{
	for (size_t i = 0; i < sizeof migration_code / sizeof migration_code[0]; i++)
		if (migration_code[i].version == version &&
		    migration_code[i].run(db, path, err) != 0)
			return -1;
	return 0;
}

/*
 * Applies the migrations after FROM, each in its own transaction together
 * with its C code and its user_version. The version is read again inside
 * the transaction, so two programs opening a new file at once do not both
 * apply one step.
 */
static int run_migrations(sqlite3 *db, const char *path, const struct store_schema *schema,
			  int from, struct wr_error *err)
{
	size_t count = schema->count;
	const char *const *list = schema->migrations;

	for (size_t target = (size_t)from + 1; target <= count; target++) {
		int current;
		char *set_version;

		if (exec_sql(db, path, "BEGIN IMMEDIATE", err) != 0)
			return -1;
		if (query_int(db, path, "PRAGMA user_version", &current, err) != 0)
			goto fail;
		if ((size_t)current >= target) {
			if (exec_sql(db, path, "COMMIT", err) != 0)
				goto fail;
			continue;
		}

		if (sqlite3_exec(db, list[target - 1], NULL, NULL, NULL) != SQLITE_OK) {
			error_set(err, WR_FAILED, "%s: migration to schema version %zu failed: %s",
				  path, target, sqlite3_errmsg(db));
			goto fail;
		}
		if (schema->after_migration && schema->after_migration(db, path, target, err) != 0)
			goto fail;
		set_version = xasprintf("PRAGMA user_version = %zu", target);
		if (exec_sql(db, path, set_version, err) != 0) {
			free(set_version);
			goto fail;
		}
		free(set_version);
		if (exec_sql(db, path, "COMMIT", err) != 0)
			goto fail;
	}
	return 0;

fail:
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * Sets the connection's pragmas. Only a read-write connection switches the
 * file to WAL, because that writes the database header.
 */
static int configure_connection(sqlite3 *db, const char *path, int readonly,
				struct wr_error *err)
{
	sqlite3_stmt *stmt;
	char *mode = NULL;
	int persist_wal = 1;
	int rc;

	if (exec_sql(db, path, "PRAGMA foreign_keys = ON", err) != 0 ||
	    exec_sql(db, path, "PRAGMA synchronous = FULL", err) != 0)
		return -1;

	/*
	 * Keep the -wal and -shm files when the last connection closes (the WAL
	 * emptied to zero bytes by journal_size_limit). SQLite can read a WAL
	 * database in a folder the reader cannot write only while both exist.
	 */
	sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist_wal);
	if (exec_sql(db, path, "PRAGMA journal_size_limit = 0", err) != 0)
		return -1;

	if (readonly)
		return exec_sql(db, path, "PRAGMA query_only = 1", err);

	/*
	 * While the file is not yet in WAL mode SQLite returns SQLITE_BUSY at once
	 * instead of waiting, when several processes open a new database together,
	 * so the switch is retried here within about the busy timeout.
	 */
	for (int attempt = 0;; attempt++) {
		rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(stmt, 0);

			mode = xstrdup(text ? text : "");
			rc = SQLITE_OK;
		}
		sqlite3_finalize(stmt);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= 500)
			break;
		sqlite3_sleep(10);
	}
	if (rc != SQLITE_OK)
		return open_error(db, path, rc, "switching to WAL journal mode", err);
	if (strcmp(mode, "wal") != 0) {
		error_set(err, WR_FAILED,
			  "%s: cannot switch to WAL journal mode (the mode stays '%s'); keep the database on a local file system",
			  path, mode);
		free(mode);
		return -1;
	}
	free(mode);
	return 0;
}

/* Checks that PATH exists and is not a folder. */
static int check_existing_file(const char *path, struct wr_error *err)
{
	struct stat sb;

	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return error_set(err, WR_BAD_INPUT,
					 "%s: no such database; run `warroom import` or `warroom new` first, or pass --db",
					 path);
		return error_set(err, WR_FAILED, "%s: cannot read the database file: %s", path,
				 strerror(errno));
	}
	if (S_ISDIR(sb.st_mode))
		return error_set(err, WR_BAD_INPUT,
				 "%s: is a folder, not a database file; pass the file's path with --db", path);
	return 0;
}

struct store *store_open(const char *path, int flags, struct wr_error *err)
{
	struct store_schema schema = {.after_migration = run_migration_code};

	schema.migrations = migrations(&schema.count);
	return store_open_schema(path, flags, &schema, err);
}

struct store *store_open_schema(const char *path, int flags, const struct store_schema *schema,
				struct wr_error *err)
{
	int readonly = (flags & STORE_READONLY) != 0;
	int created = 0;
	int open_flags;
	int version;
	int rc;
	sqlite3 *db = NULL;
	struct store *st;

	if (!path) {
		error_set(err, WR_BAD_INPUT,
			  "no database path: HOME and XDG_DATA_HOME are unset; pass --db PATH");
		return NULL;
	}
	if (str_blank(path)) {
		error_set(err, WR_BAD_INPUT, "the database path is empty; pass --db PATH");
		return NULL;
	}
	if (readonly && (flags & STORE_CREATE)) {
		error_set(err, WR_BAD_INPUT, "%s: a read-only open cannot create the database", path);
		return NULL;
	}

	if ((flags & STORE_CREATE) && create_file(path, &created, err) != 0)
		return NULL;
	if (check_existing_file(path, err) != 0)
		return NULL;

	/* The file exists now, so SQLite never creates it with its own mode. */
	open_flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	rc = sqlite3_open_v2(path, &db, open_flags, NULL);
	if (rc != SQLITE_OK) {
		open_error(db, path, rc, "cannot open the database", err);
		goto fail;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);

	/* SQLite falls back to read-only without an error when the file is not writable. */
	if (!readonly && sqlite3_db_readonly(db, "main") == 1) {
		struct statvfs fs;

		if (statvfs(path, &fs) == 0 && (fs.f_flag & ST_RDONLY))
			error_set(err, WR_FAILED,
				  "%s: the database is on a read-only file system; remount it read-write, or open it read-only",
				  path);
		else
			error_set(err, WR_FAILED,
				  "%s: the database file is not writable; fix its permissions or open it read-only",
				  path);
		goto fail;
	}

	/* Every check only reads, so nothing is written before they pass. */
	if (check_version(db, path, readonly, schema, &version, err) != 0 ||
	    check_integrity(db, path, err) != 0)
		goto fail;

	if (configure_connection(db, path, readonly, err) != 0)
		goto fail;
	if (!readonly && run_migrations(db, path, schema, version, err) != 0)
		goto fail;

	st = xcalloc(1, sizeof *st);
	st->db = db;
	st->path = xstrdup(path);
	st->readonly = readonly;
	return st;

fail:
	sqlite3_close_v2(db);
	if (created)
		remove_created_file(path);
	return NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_rollback(st);
	for (size_t i = 0; i < st->n_cache; i++) {
		sqlite3_finalize(st->cache[i].stmt);
		free(st->cache[i].sql);
	}
	free(st->cache);
	sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

int store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt)
{
	struct store_cached *entry;
	int rc;

	for (size_t i = 0; i < st->n_cache; i++) {
		entry = &st->cache[i];
		if (strcmp(entry->sql, sql) != 0)
			continue;
		/* A statement still stepping belongs to an outer caller, so this call gets its own. */
		if (sqlite3_stmt_busy(entry->stmt))
			return sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);
		sqlite3_clear_bindings(entry->stmt);
		*stmt = entry->stmt;
		return SQLITE_OK;
	}

	rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
	if (rc != SQLITE_OK)
		return rc;
	st->cache = xrealloc(st->cache, (st->n_cache + 1) * sizeof *st->cache);
	st->cache[st->n_cache].sql = xstrdup(sql);
	st->cache[st->n_cache].stmt = *stmt;
	st->n_cache++;
	return SQLITE_OK;
}

void store_finalize(struct store *st, sqlite3_stmt *stmt)
{
	if (!stmt)
		return;
	for (size_t i = 0; i < st->n_cache; i++) {
		if (st->cache[i].stmt == stmt) {
			sqlite3_reset(stmt);
			return;
		}
	}
	sqlite3_finalize(stmt);
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

const char *store_path(const struct store *st)
{
	return st->path;
}

int store_readonly(const struct store *st)
{
	return st->readonly;
}

void store_set_busy_timeout(struct store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms);
}

char *store_default_path(void)
{
	const char *data_home = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct passwd *pw;

	/* The XDG base directory rules ignore a relative XDG_DATA_HOME. */
	if (data_home && data_home[0] == '/')
		return xasprintf("%s/warroom/warroom.db", data_home);
	if (!home || !*home) {
		pw = getpwuid(getuid());
		home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
	}
	if (!home)
		return NULL;
	return xasprintf("%s/.local/share/warroom/warroom.db", home);
}

int store_error(struct store *st, struct wr_error *err, const char *what)
{
	int rc = sqlite3_extended_errcode(st->db);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
		return error_set(err, WR_FAILED, "%s: %s: %s", st->path, what, STORE_BUSY_MESSAGE);
	case SQLITE_READONLY:
		return error_set(err, WR_FAILED, "%s: %s: the database is open read-only (%s)",
				 st->path, what, sqlite3_errmsg(st->db));
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return error_set(err, WR_FAILED,
				 "%s: %s: the database is corrupt (%s); restore it from a backup",
				 st->path, what, sqlite3_errmsg(st->db));
	case SQLITE_FULL:
		return error_set(err, WR_FAILED,
				 "%s: %s: disk full, nothing was saved; free space on its file system "
				 "and try again",
				 st->path, what);
	default:
		return error_set(err, WR_FAILED, "%s: %s: %s", st->path, what,
				 sqlite3_errmsg(st->db));
	}
}

int store_begin(struct store *st, struct wr_error *err)
{
	int rc;

	if (st->readonly)
		return error_set(err, WR_FAILED,
				 "%s: the database is open read-only; changes need a read-write open",
				 st->path);
	if (!sqlite3_get_autocommit(st->db))
		return error_set(err, WR_FAILED,
				 "%s: a transaction is already open; commit or roll it back first",
				 st->path);

	/* The busy handler retries the lock until the busy timeout runs out. */
	rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if ((rc & 0xff) == SQLITE_BUSY)
		return error_set(err, WR_FAILED, "%s: %s", st->path, STORE_BUSY_MESSAGE);
	if (rc != SQLITE_OK)
		return store_error(st, err, "starting a transaction");
	return 0;
}

int store_commit(struct store *st, struct wr_error *err)
{
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_error(st, err, "committing the change");
		store_rollback(st);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Rejects a change made outside store_begin, which would commit on its own. */
static int require_transaction(struct store *st, const char *action, struct wr_error *err)
{
	if (sqlite3_get_autocommit(st->db))
		return error_set(err, WR_FAILED, "%s: %s needs an open transaction (store_begin)",
				 st->path, action);
	return 0;
}

/*
 * Finds where the next event of INCIDENT_ID joins the chain: its seq (the
 * highest so far plus one) and the hash it follows (64 zeros for the first).
 */
static int find_chain_tail(struct store *st, const char *incident_id, long long *seq,
			   char prev_hash[SHA256_HEX_LEN + 1])
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	*seq = 1;
	memcpy(prev_hash, chain_first_prev_hash, SHA256_HEX_LEN + 1);
	rc = store_prepare(st,
			   "SELECT seq, hash FROM events WHERE incident_id = ? AND seq IS NOT NULL"
			   " ORDER BY seq DESC LIMIT 1",
			   &stmt);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, incident_id, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
	}
	if (rc == SQLITE_ROW) {
		const char *hash = (const char *)sqlite3_column_text(stmt, 1);

		*seq = sqlite3_column_int64(stmt, 0) + 1;
		/* A newest event without a hash was written outside warroom; chain_verify reports it. */
		snprintf(prev_hash, SHA256_HEX_LEN + 1, "%s", hash ? hash : "");
		rc = SQLITE_DONE;
	}
	store_finalize(st, stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_event(struct store *st, const char *incident_id, const char *kind,
		struct wr_error *err, const char *details_fmt, ...)
{
	char prev_hash[SHA256_HEX_LEN + 1], hash[SHA256_HEX_LEN + 1];
	sqlite3_stmt *stmt = NULL;
	struct chain_event ev;
	struct strbuf details;
	long long seq;
	char at[21];
	va_list ap;
	int rc;

	if (require_transaction(st, "recording a timeline event", err) != 0)
		return -1;

	sb_init(&details);
	va_start(ap, details_fmt);
	sb_vaddf(&details, details_fmt, ap);
	va_end(ap);
	time_format_utc(clock_now(), at);

	/* Seal the event: its hash covers its fields and the previous event's hash. */
	rc = find_chain_tail(st, incident_id, &seq, prev_hash) == 0 ? SQLITE_OK : SQLITE_ERROR;
	ev = (struct chain_event){prev_hash, incident_id, seq, at, actor_name(), kind,
				  details.data ? details.data : ""};
	chain_event_hash(&ev, hash);

	if (rc == SQLITE_OK)
		rc = store_prepare(st,
				   "INSERT INTO events (incident_id, at, actor, kind, details,"
				   " seq, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				   &stmt);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, incident_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, at, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, ev.actor, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 4, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, ev.details, (int)details.len, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 6, seq);
		sqlite3_bind_text(stmt, 7, prev_hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 8, hash, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
	}
	store_finalize(st, stmt);
	sb_free(&details);

	if (rc != SQLITE_DONE) {
		char *action = xasprintf("recording the %s event of %s", kind, incident_id);

		store_error(st, err, action);
		free(action);
		return -1;
	}
	return 0;
}

int store_next_incident_id(struct store *st, time_t now, char id[32], int *year, int *seq,
			   struct wr_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct tm tm;
	int rc;

	if (require_transaction(st, "allocating an incident id", err) != 0)
		return -1;

	gmtime_r(&now, &tm);
	*year = tm.tm_year + 1900;

	rc = store_prepare(st, "SELECT coalesce(max(seq), 0) + 1 FROM incidents WHERE year = ?",
			   &stmt);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int(stmt, 1, *year);
		rc = sqlite3_step(stmt);
	}
	if (rc != SQLITE_ROW) {
		store_finalize(st, stmt);
		return store_error(st, err, "allocating an incident id");
	}
	*seq = sqlite3_column_int(stmt, 0);
	store_finalize(st, stmt);

	/* Four digits at least, so a year past 9999 incidents gets wider ids. */
	snprintf(id, 32, "INC-%04d-%04d", *year, *seq);
	return 0;
}
