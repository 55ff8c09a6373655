/*
 * The evidence register: copying files into the evidence folder with their
 * SHA-256 computed on the way, registering them with a timeline event in
 * one transaction, listing the register and hashing the copies again. See
 * evidence.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence.h"
#include "restricted.h"
#include "steps_util.h"

/* Maximum length, in bytes, of the original file name kept in a stored copy's name. */
#define EVIDENCE_NAME_MAX 80

/* Bytes read and written at a time while copying or hashing. */
#define EVIDENCE_CHUNK 65536

/* A file being added: copied to a temporary name first, renamed once the transaction is open. */
struct pending {
	const char *given;    /* the path as the caller gave it */
	char *original;       /* absolute, from realpath */
	char *name;           /* base name of the path as given */
	char *temp;           /* the copy's temporary path until it is renamed */
	char *final;          /* the copy's final path */
	char *stored;         /* the final path relative to the database's folder */
	char sha256[SHA256_HEX_LEN + 1];
	long long size;
	long long id;         /* the evidence row, once inserted */
	int renamed;
};

/*
 * The destination of an add: the register and DB.evidence/, or the
 * restricted file and DB.restricted-evidence/.
 */
struct evidence_place {
	const char *suffix;     /* appended to the database path without ".db" */
	mode_t folder_mode;     /* 0700, or 02770 when a group shares it */
	mode_t file_mode;       /* of each copy: 0400, or 0440 when a group shares it */
	gid_t gid;              /* group of new folders; (gid_t)-1 keeps the creator's */
	struct store *restricted; /* the restricted file's store; NULL for the register */
};

static const struct evidence_place register_place = {".evidence", 0700, 0400, (gid_t)-1, NULL};

/* Returns DB_PATH without a trailing ".db", which the caller frees. */
static char *db_stem(const char *db_path)
{
	size_t len = strlen(db_path);

	if (len > 3 && strcmp(db_path + len - 3, ".db") == 0)
		len -= 3;
	return xstrndup(db_path, len);
}

static char *place_folder(const char *db_path, const char *suffix, const char *incident_id)
{
	char *stem = db_stem(db_path);
	char *folder = xasprintf("%s%s/%s", stem, suffix, incident_id);

	free(stem);
	return folder;
}

char *evidence_folder(const char *db_path, const char *incident_id)
{
	return place_folder(db_path, ".evidence", incident_id);
}

char *evidence_restricted_folder(const char *db_path, const char *incident_id)
{
	return place_folder(db_path, ".restricted-evidence", incident_id);
}

char *evidence_resolve(const char *db_path, const char *stored_path)
{
	const char *slash = strrchr(db_path, '/');

	if (stored_path[0] == '/')
		return xstrdup(stored_path);
	if (!slash)
		return xstrdup(stored_path);
	if (slash == db_path)
		return xasprintf("/%s", stored_path);
	return xasprintf("%.*s/%s", (int)(slash - db_path), db_path, stored_path);
}

/* Returns the path of FILE in INCIDENT_ID's folder, relative to the database's folder. */
static char *stored_relative(const char *db_path, const char *suffix, const char *incident_id,
			     const char *file)
{
	char *stem = db_stem(db_path);
	const char *slash = strrchr(stem, '/');
	char *relative = xasprintf("%s%s/%s/%s", slash ? slash + 1 : stem, suffix, incident_id, file);

	free(stem);
	return relative;
}

/* Returns the last component of PATH (trailing slashes ignored), which the caller frees. */
static char *base_name(const char *path)
{
	size_t len = strlen(path);
	size_t start;

	while (len > 1 && path[len - 1] == '/')
		len--;
	start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	return xstrndup(path + start, len - start);
}

/*
 * Returns "SHA256-NAME" for a stored copy, NAME being the original base name
 * with every byte other than letters, digits, '.', '_', '+' and '-' replaced
 * by '_' and cut to EVIDENCE_NAME_MAX bytes. The caller frees it.
 */
static char *stored_file_name(const char *sha256, const char *name)
{
	struct strbuf sb;
	size_t kept = 0;

	sb_init(&sb);
	sb_add(&sb, sha256);
	sb_addc(&sb, '-');
	for (const char *p = name; *p && kept < EVIDENCE_NAME_MAX; p++, kept++) {
		char c = *p;
		int safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   c == '.' || c == '_' || c == '+' || c == '-';

		sb_addc(&sb, safe ? c : '_');
	}
	if (kept == 0)
		sb_add(&sb, "file");
	return sb_take(&sb);
}

/*
 * Creates FOLDER with PLACE's mode and group unless it exists, setting
 * *CREATED. Rejects a symbolic link or anything else that is not a folder.
 */
static int make_folder(const char *folder, const struct evidence_place *place, int *created,
		       struct wr_error *err)
{
	struct stat sb;

	*created = mkdir(folder, 0700) == 0;
	if (!*created && errno != EEXIST)
		return error_set(err, WR_FAILED, "%s: cannot create the evidence folder: %s", folder,
				 strerror(errno));

	/* The group first, then the mode, so no moment lets the old group in. */
	if (*created && place->gid != (gid_t)-1 &&
	    (chown(folder, (uid_t)-1, place->gid) != 0 || chmod(folder, place->folder_mode) != 0))
		return error_set(err, WR_FAILED,
				 "%s: cannot give the evidence folder its group: %s; join restricted_group or unset it",
				 folder, strerror(errno));
	if (lstat(folder, &sb) != 0)
		return error_set(err, WR_FAILED, "%s: cannot read the evidence folder: %s", folder,
				 strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return error_set(err, WR_FAILED,
				 "%s: is not a folder (a file or symbolic link is in the way); move it aside",
				 folder);
	return 0;
}

/* The evidence folders an add created, removed again when it fails. */
struct made_folders {
	char *root;     /* DBPATH-minus-.db plus .evidence */
	char *incident; /* ROOT/INCIDENT-ID */
	int made_root;
	int made_incident;
};

/* Creates INCIDENT_ID's evidence folder and the folder above it as needed. */
static int make_incident_folder(const char *db_path, const char *incident_id,
				const struct evidence_place *place, struct made_folders *folders,
				struct wr_error *err)
{
	char *slash;

	folders->incident = place_folder(db_path, place->suffix, incident_id);
	slash = strrchr(folders->incident, '/');
	folders->root = xstrndup(folders->incident, (size_t)(slash - folders->incident));
	if (make_folder(folders->root, place, &folders->made_root, err) != 0)
		return -1;
	return make_folder(folders->incident, place, &folders->made_incident, err);
}

/* Removes the folders this add created (they are empty again by then) and frees the paths. */
static void folders_release(struct made_folders *folders, int failed)
{
	if (failed && folders->made_incident)
		rmdir(folders->incident);
	if (failed && folders->made_root)
		rmdir(folders->root);
	free(folders->incident);
	free(folders->root);
}

/* Writes all LEN bytes of BUF to FD, retrying after a signal or a short write. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Reads up to SIZE bytes, retrying after a signal; returns read(2)'s result otherwise. */
static ssize_t read_retry(int fd, char *buf, size_t size)
{
	ssize_t r;

	do
		r = read(fd, buf, size);
	while (r < 0 && errno == EINTR);
	return r;
}

/*
 * Opens PATH for reading and checks it is a regular file. O_NONBLOCK keeps
 * the open of a FIFO from waiting for a writer; it is cleared afterwards.
 */
static int open_source(const char *path, struct wr_error *err)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int flags;

	if (fd < 0 && errno == ENOENT)
		return error_set(err, WR_BAD_INPUT, "%s: no such file; nothing was added", path);
	if (fd < 0)
		return error_set(err, WR_BAD_INPUT, "%s: cannot read the file: %s; nothing was added",
				 path, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		error_set(err, WR_FAILED, "%s: cannot read the file: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		close(fd);
		return error_set(err, WR_BAD_INPUT,
				 "%s: is a folder; name the files inside it instead; nothing was added",
				 path);
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return error_set(err, WR_BAD_INPUT,
				 "%s: is not a regular file (a device, pipe or socket); save its content to a file and add that; nothing was added",
				 path);
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		error_set(err, WR_FAILED, "%s: cannot read the file: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Copies IN to OUT while hashing it; names P's file in errors. */
static int copy_and_hash(int in, int out, struct pending *p, struct wr_error *err)
{
	char *buf = xmalloc(EVIDENCE_CHUNK);
	struct sha256 h;
	ssize_t r;

	sha256_start(&h);
	p->size = 0;
	while ((r = read_retry(in, buf, EVIDENCE_CHUNK)) > 0) {
		sha256_update(&h, buf, (size_t)r);
		p->size += r;
		if (write_all(out, buf, (size_t)r) != 0) {
			error_set(err, WR_FAILED, "%s: writing its copy %s failed: %s", p->given,
				  p->temp, strerror(errno));
			free(buf);
			return -1;
		}
	}
	free(buf);
	if (r < 0)
		return error_set(err, WR_FAILED, "%s: reading the file failed: %s", p->given,
				 strerror(errno));
	sha256_finish(&h, p->sha256);
	return 0;
}

/*
 * Copies P's file into FOLDER under a temporary name: written, flushed to
 * disk with fsync and made read-only. On failure nothing is left in FOLDER.
 */
static int copy_to_folder(struct pending *p, const char *folder, mode_t file_mode,
			  struct wr_error *err)
{
	int in, out, rc;

	in = open_source(p->given, err);
	if (in < 0)
		return -1;
	p->original = realpath(p->given, NULL);
	if (!p->original) {
		error_set(err, WR_FAILED, "%s: cannot find its absolute path: %s", p->given,
			  strerror(errno));
		close(in);
		return -1;
	}

	p->temp = xasprintf("%s/.incoming-XXXXXX", folder);
	out = mkstemp(p->temp);
	if (out < 0) {
		error_set(err, WR_FAILED, "%s: cannot create a file in the evidence folder: %s",
			  folder, strerror(errno));
		free(p->temp);
		p->temp = NULL;
		close(in);
		return -1;
	}

	rc = copy_and_hash(in, out, p, err);
	close(in);
	if (rc == 0 && (fsync(out) != 0 || fchmod(out, file_mode) != 0)) {
		error_set(err, WR_FAILED, "%s: saving its copy %s failed: %s", p->given, p->temp,
			  strerror(errno));
		rc = -1;
	}
	if (close(out) != 0 && rc == 0) {
		error_set(err, WR_FAILED, "%s: saving its copy %s failed: %s", p->given, p->temp,
			  strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		unlink(p->temp);
		free(p->temp);
		p->temp = NULL;
	}
	return rc;
}

/* Frees LIST; with REMOVE_COPIES, first deletes every copy it made, temporary or renamed. */
static void pending_discard(struct pending *list, size_t n, int remove_copies)
{
	for (size_t i = 0; i < n; i++) {
		if (remove_copies && list[i].temp)
			unlink(list[i].temp);
		if (remove_copies && list[i].renamed)
			unlink(list[i].final);
		free(list[i].original);
		free(list[i].name);
		free(list[i].temp);
		free(list[i].final);
		free(list[i].stored);
	}
	free(list);
}

/*
 * Fails when P's content is already registered for INCIDENT_ID, naming the
 * earlier row; a restricted add looks in the restricted file.
 */
static int check_duplicate(struct store *st, const struct evidence_place *place,
			   const char *incident_id, const struct pending *p, struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (place->restricted)
		st = place->restricted;
	stmt = steps_prepare(st, err, place->restricted ?
			     "SELECT id, coalesce(original_path, name, ''), added_by, added_at"
			     " FROM restricted_evidence WHERE incident_id = ? AND sha256 = ?"
			     " ORDER BY id LIMIT 1" :
			     "SELECT id, coalesce(original_path, name, ''), added_by, added_at"
			     " FROM evidence WHERE incident_id = ? AND sha256 = ? ORDER BY id LIMIT 1",
			     "ss", incident_id, p->sha256);
	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		error_set(err, WR_BAD_INPUT,
			  "%s: the same content is already registered as evidence %lld of %s (%s, added by %s at %s); nothing was added",
			  p->given, (long long)sqlite3_column_int64(stmt, 0), incident_id,
			  (const char *)sqlite3_column_text(stmt, 1),
			  (const char *)sqlite3_column_text(stmt, 2),
			  (const char *)sqlite3_column_text(stmt, 3));
	else if (rc != SQLITE_DONE)
		store_error(st, err, "reading the evidence register");
	store_finalize(st, stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Flushes FOLDER's entries to disk, so the renamed copies survive a crash. */
static int sync_folder(const char *folder, struct wr_error *err)
{
	int fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return error_set(err, WR_FAILED, "%s: cannot open the evidence folder: %s", folder,
				 strerror(errno));
	rc = fsync(fd);
	close(fd);
	if (rc != 0)
		return error_set(err, WR_FAILED, "%s: flushing the evidence folder failed: %s", folder,
				 strerror(errno));
	return 0;
}

/*
 * Inserts a marker row in the register for restricted evidence P, its real
 * row in the restricted file, and an event without the details. Both
 * transactions must be open.
 */
static int register_restricted(struct store *st, const struct evidence_place *place,
			       const char *incident_id, struct pending *p, const char *note,
			       const char *now, struct wr_error *err)
{
	if (steps_exec(st, err,
		       "INSERT INTO evidence (incident_id, kind, name, body, added_by, added_at)"
		       " VALUES (?, '" EVIDENCE_KIND_RESTRICTED "', '" RESTRICTED_MARKER "', '', ?, ?)",
		       "sss", incident_id, actor_name(), now) != 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(store_db(st));

	/* OR REPLACE: SQLite may reuse the id of a register row whose commit failed. */
	if (steps_exec(place->restricted, err,
		       "INSERT OR REPLACE INTO restricted_evidence (id, incident_id, name, sha256, size,"
		       " original_path, stored_path, note, added_by, added_at)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "isssisssss", p->id, incident_id, p->name, p->sha256, p->size, p->original,
		       p->stored, note, actor_name(), now) != 0)
		return -1;

	if (rename(p->temp, p->final) != 0)
		return error_set(err, WR_FAILED, "%s: renaming the copy to %s failed: %s", p->given,
				 p->final, strerror(errno));
	p->renamed = 1;
	free(p->temp);
	p->temp = NULL;
	return store_event(st, incident_id, "evidence added", err,
			   "restricted evidence %lld added; its details are in the restricted file",
			   p->id);
}

/* Inserts P's row and its event, and gives its copy the final name; inside the open transaction. */
static int register_file(struct store *st, const char *incident_id, struct pending *p,
			 const char *note, const char *now, struct wr_error *err)
{
	if (steps_exec(st, err,
		       "INSERT INTO evidence (incident_id, kind, name, body, added_by, added_at,"
		       " sha256, size, original_path, stored_path)"
		       " VALUES (?, '" EVIDENCE_KIND_FILE "', ?, ?, ?, ?, ?, ?, ?, ?)",
		       "ssssssiss", incident_id, p->name, note ? note : "", actor_name(), now,
		       p->sha256, p->size, p->original, p->stored) != 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(store_db(st));

	if (rename(p->temp, p->final) != 0)
		return error_set(err, WR_FAILED, "%s: renaming the copy to %s failed: %s", p->given,
				 p->final, strerror(errno));
	p->renamed = 1;
	free(p->temp);
	p->temp = NULL;

	if (note)
		return store_event(st, incident_id, "evidence added", err,
				   "file %s added as evidence %lld: sha256 %s, %lld bytes; note: %s",
				   p->name, p->id, p->sha256, p->size, note);
	return store_event(st, incident_id, "evidence added", err,
			   "file %s added as evidence %lld: sha256 %s, %lld bytes", p->name, p->id,
			   p->sha256, p->size);
}

/* Copies every file first and rejects a file with the same content as an earlier one. */
static int copy_all(struct pending *list, size_t n, const char *db_path, const char *incident_id,
		    const char *folder, const struct evidence_place *place, struct wr_error *err)
{
	for (size_t i = 0; i < n; i++) {
		struct pending *p = &list[i];
		char *file;

		p->name = base_name(p->given);
		if (copy_to_folder(p, folder, place->file_mode, err) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(list[j].sha256, p->sha256) == 0)
				return error_set(err, WR_BAD_INPUT,
						 "%s: has the same content as %s, given before it; name each file once; nothing was added",
						 p->given, list[j].given);

		file = stored_file_name(p->sha256, p->name);
		p->final = xasprintf("%s/%s", folder, file);
		p->stored = stored_relative(db_path, place->suffix, incident_id, file);
		free(file);
	}
	return 0;
}

/* Builds the caller's copy of the rows just registered. */
static struct evidence *added_rows(const struct pending *list, size_t n, const char *note,
				   const char *now)
{
	struct evidence *rows = xcalloc(n, sizeof *rows);

	for (size_t i = 0; i < n; i++) {
		rows[i].id = list[i].id;
		rows[i].kind = xstrdup(EVIDENCE_KIND_FILE);
		rows[i].name = xstrdup(list[i].name);
		rows[i].sha256 = xstrdup(list[i].sha256);
		rows[i].size = list[i].size;
		rows[i].original_path = xstrdup(list[i].original);
		rows[i].stored_path = xstrdup(list[i].stored);
		rows[i].note = note ? xstrdup(note) : NULL;
		rows[i].added_by = xstrdup(actor_name());
		rows[i].added_at = xstrdup(now);
	}
	return rows;
}

/* Adds the files to the register or, with PLACE->restricted, to the restricted file. */
static int add_files(struct store *st, const struct evidence_place *place, const char *incident_id,
		     const char *const *paths, size_t n, const char *note, struct evidence **added,
		     size_t *n_added, struct wr_error *err)
{
	struct made_folders folders = {0};
	struct pending *list;
	struct incident *inc;
	char *clean_note;
	char now[21];

	*added = NULL;
	*n_added = 0;
	if (n == 0)
		return error_set(err, WR_BAD_INPUT, "name at least one file to add as evidence");
	if (steps_check_incident(st, incident_id, err) != 0)
		return -1;
	if (make_incident_folder(store_path(st), incident_id, place, &folders, err) != 0) {
		folders_release(&folders, 1);
		return -1;
	}

	clean_note = steps_trim(note);
	if (clean_note && !*clean_note) {
		free(clean_note);
		clean_note = NULL;
	}
	steps_now(now);
	list = xcalloc(n, sizeof *list);
	for (size_t i = 0; i < n; i++)
		list[i].given = paths[i];

	/* Copy everything before the transaction, so a slow copy never holds the write lock. */
	if (copy_all(list, n, store_path(st), incident_id, folders.incident, place, err) != 0)
		goto fail;

	inc = steps_begin(st, incident_id, STEPS_ALLOW_CLOSED, err);
	if (!inc)
		goto fail;
	if (place->restricted && store_begin(place->restricted, err) != 0)
		goto fail_transaction;
	for (size_t i = 0; i < n; i++)
		if (check_duplicate(st, place, incident_id, &list[i], err) != 0)
			goto fail_transaction;

	/*
	 * NOTE: the copies get their final names before the commit. A crash in
	 * between leaves an unregistered copy in the folder, never a row
	 * without its file.
	 */
	for (size_t i = 0; i < n; i++) {
		int rc = place->restricted ?
			 register_restricted(st, place, incident_id, &list[i], clean_note, now, err) :
			 register_file(st, incident_id, &list[i], clean_note, now, err);

		if (rc != 0)
			goto fail_transaction;
	}
	if (sync_folder(folders.incident, err) != 0)
		goto fail_transaction;

	/*
	 * NOTE: the restricted file commits first and the two commits are not
	 * atomic together. A failure in between leaves a restricted row that no
	 * register row names; it is replaced when SQLite reuses its id.
	 */
	if (place->restricted && store_commit(place->restricted, err) != 0)
		goto fail_transaction;
	if (steps_commit(st, inc, err) != 0)
		goto fail;

	*added = added_rows(list, n, clean_note, now);
	*n_added = n;
	pending_discard(list, n, 0);
	folders_release(&folders, 0);
	free(clean_note);
	return 0;

fail_transaction:
	if (place->restricted)
		store_rollback(place->restricted);
	steps_abort(st, inc);
fail:
	pending_discard(list, n, 1);
	folders_release(&folders, 1);
	free(clean_note);
	return -1;
}

int evidence_add(struct store *st, const char *incident_id, const char *const *paths, size_t n,
		 const char *note, struct evidence **added, size_t *n_added, struct wr_error *err)
{
	return add_files(st, &register_place, incident_id, paths, n, note, added, n_added, err);
}

int evidence_add_restricted(struct store *st, const char *group, const char *incident_id,
			    const char *const *paths, size_t n, const char *note,
			    struct evidence **added, size_t *n_added, struct wr_error *err)
{
	struct evidence_place place = {".restricted-evidence", 0700, 0400, (gid_t)-1, NULL};
	struct restricted *r;
	int rc;

	*added = NULL;
	*n_added = 0;
	if (group) {
		struct group *gr = getgrnam(group);

		if (!gr)
			return error_set(err, WR_BAD_INPUT,
					 "restricted_group \"%s\": no such group; create it or fix the settings file",
					 group);
		place.gid = gr->gr_gid;
		place.folder_mode = 02770;
		place.file_mode = 0440;
	}
	r = restricted_open_write(store_path(st), group, err);
	if (!r)
		return -1;
	place.restricted = restricted_store(r);
	rc = add_files(st, &place, incident_id, paths, n, note, added, n_added, err);
	restricted_close(r);
	return rc;
}

int evidence_list(struct store *st, const char *incident_id, struct evidence **out, size_t *n,
		  struct wr_error *err)
{
	struct evidence *list = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (steps_check_incident(st, incident_id, err) != 0)
		return -1;
	stmt = steps_prepare(st, err,
			     "SELECT id, kind, name, sha256, size, original_path, stored_path,"
			     " CASE WHEN sha256 IS NOT NULL AND body <> '' THEN body END,"
			     " added_by, added_at FROM evidence WHERE incident_id = ? ORDER BY id",
			     "s", incident_id);
	if (!stmt)
		return -1;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct evidence *e;

		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			list = xrealloc(list, cap * sizeof *list);
		}
		e = &list[count++];
		e->id = sqlite3_column_int64(stmt, 0);
		e->kind = steps_column(stmt, 1);
		e->name = steps_column(stmt, 2);
		e->sha256 = steps_column(stmt, 3);
		e->size = sqlite3_column_type(stmt, 4) == SQLITE_NULL ? -1 :
			  sqlite3_column_int64(stmt, 4);
		e->original_path = steps_column(stmt, 5);
		e->stored_path = steps_column(stmt, 6);
		e->note = steps_column(stmt, 7);
		e->added_by = steps_column(stmt, 8);
		e->added_at = steps_column(stmt, 9);
	}
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		evidence_free(list, count);
		return store_error(st, err, "reading the evidence register");
	}
	*out = list;
	*n = count;
	return 0;
}

static void evidence_item_free(struct evidence *e)
{
	free(e->kind);
	free(e->name);
	free(e->sha256);
	free(e->original_path);
	free(e->stored_path);
	free(e->note);
	free(e->added_by);
	free(e->added_at);
}

void evidence_free(struct evidence *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		evidence_item_free(&list[i]);
	free(list);
}

/*
 * Hashes the stored copy at PATH into CHECK. A symbolic link in its place
 * is not followed: the copy was a regular file, so a link means it was replaced.
 */
static void check_stored_copy(const char *path, struct evidence_check *check)
{
	char *buf;
	struct sha256 h;
	struct stat sb;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		check->state = EVIDENCE_MISSING;
		return;
	}
	if (fd < 0) {
		check->state = EVIDENCE_UNREADABLE;
		snprintf(check->problem, sizeof check->problem, "%s",
			 errno == ELOOP ? "replaced by a symbolic link" : strerror(errno));
		return;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		check->state = EVIDENCE_UNREADABLE;
		snprintf(check->problem, sizeof check->problem, "no longer a regular file");
		close(fd);
		return;
	}

	buf = xmalloc(EVIDENCE_CHUNK);
	sha256_start(&h);
	while ((r = read_retry(fd, buf, EVIDENCE_CHUNK)) > 0)
		sha256_update(&h, buf, (size_t)r);
	free(buf);
	close(fd);
	if (r < 0) {
		check->state = EVIDENCE_UNREADABLE;
		snprintf(check->problem, sizeof check->problem, "reading failed: %s", strerror(errno));
		return;
	}

	sha256_finish(&h, check->actual_sha256);
	check->state = strcmp(check->actual_sha256, check->item.sha256) == 0 ? EVIDENCE_OK :
										EVIDENCE_CHANGED;
}

int evidence_verify(struct store *st, const char *incident_id, struct evidence_check **out,
		    size_t *n, struct wr_error *err)
{
	struct evidence *list;
	struct evidence_check *checks;
	size_t count, files = 0;

	*out = NULL;
	*n = 0;
	if (evidence_list(st, incident_id, &list, &count, err) != 0)
		return -1;

	/* Restricted copies are checked too, for a reader who may open the restricted file. */
	restricted_fill_evidence(store_path(st), incident_id, list, count);

	checks = xcalloc(count, sizeof *checks);
	for (size_t i = 0; i < count; i++) {
		struct evidence_check *check;
		char *path;

		if (!list[i].sha256 && list[i].kind &&
		    strcmp(list[i].kind, EVIDENCE_KIND_RESTRICTED) == 0) {
			/* Never report "all ok" over a copy this reader could not check. */
			check = &checks[files++];
			check->item = list[i];
			check->state = EVIDENCE_UNREADABLE;
			snprintf(check->problem, sizeof check->problem,
				 "restricted: not checked, because you cannot read the restricted "
				 "file; run this as a member of the restricted group");
			continue;
		}
		if (!list[i].sha256) {
			evidence_item_free(&list[i]);
			continue;
		}
		check = &checks[files++];
		check->item = list[i];
		if (!check->item.stored_path) {
			check->state = EVIDENCE_MISSING;
			continue;
		}
		path = evidence_resolve(store_path(st), check->item.stored_path);
		check_stored_copy(path, check);
		free(path);
	}
	free(list);

	*out = checks;
	*n = files;
	return 0;
}

void evidence_checks_free(struct evidence_check *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		evidence_item_free(&list[i].item);
	free(list);
}
