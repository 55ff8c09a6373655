/*
 * The evidence register: files copied into a folder beside the database,
 * each recorded with its SHA-256, size, original path, stored path, who
 * added it and when, and an "evidence added" event on the timeline. The
 * same table contains the handoff and its evidence items from import, which
 * have no file.
 *
 * The folder for DBPATH is DBPATH without a trailing ".db", plus
 * ".evidence/INCIDENT-ID/"; folders are created with mode 0700 and each copy
 * is read-only (0400). The stored path is relative to the database's folder,
 * so the database and its evidence folder can be moved or restored together.
 */
#ifndef WARROOM_EVIDENCE_H
#define WARROOM_EVIDENCE_H

#include <stddef.h>

#include "sha256.h"
#include "store.h"
#include "util.h"

/* The kind of a registered file; import rows carry the handoff's own kinds. */
#define EVIDENCE_KIND_FILE "file"
/* A register row standing for restricted evidence; its details are in the restricted file. */
#define EVIDENCE_KIND_RESTRICTED "restricted"

/* One row of the register. */
struct evidence {
	long long id;
	char *kind;          /* "file", or "handoff", "metric", "log"... from an import */
	char *name;          /* the file's base name, or the handoff file or item name; may be NULL */
	char *sha256;        /* hex digest of a registered file; NULL for import rows */
	long long size;      /* bytes of a registered file; -1 for import rows */
	char *original_path; /* absolute path the file was copied from; NULL for import rows */
	char *stored_path;   /* the copy, relative to the database's folder; NULL for import rows */
	char *note;          /* the --note given with a file; NULL when none or for import rows */
	char *added_by;
	char *added_at;
};

/*
 * Copies each of the N files at PATHS into INCIDENT_ID's evidence folder and
 * registers them in one transaction with one "evidence added" event each;
 * NOTE (may be NULL) goes with every file. All or nothing: a file that cannot
 * be read, a folder, or content already registered for the incident stops
 * the whole call (WR_BAD_INPUT) and no copy is left behind. Sets *ADDED to
 * *N_ADDED rows the caller frees with evidence_free. Returns 0, or -1 with ERR set.
 */
int evidence_add(struct store *st, const char *incident_id, const char *const *paths, size_t n,
		 const char *note, struct evidence **added, size_t *n_added, struct wr_error *err);

/*
 * Adds files like evidence_add, but as need-to-know evidence: the copies go
 * to the restricted folder (see evidence_restricted_folder) and their rows
 * to the restricted file, created with GROUP as for restricted_open_write.
 * The register gets a row of kind EVIDENCE_KIND_RESTRICTED named
 * "[restricted]" and an event without the file's name or digest. *ADDED
 * contains the real rows. Returns 0, or -1 with ERR set.
 */
int evidence_add_restricted(struct store *st, const char *group, const char *incident_id,
			    const char *const *paths, size_t n, const char *note,
			    struct evidence **added, size_t *n_added, struct wr_error *err);

/*
 * Lists INCIDENT_ID's evidence, registered files and import rows, in the
 * order added. Sets *OUT to *N rows the caller frees with evidence_free.
 * Returns 0, or -1 with ERR set (WR_BAD_INPUT for an unknown incident).
 */
int evidence_list(struct store *st, const char *incident_id, struct evidence **out, size_t *n,
		  struct wr_error *err);

/* Frees a list from evidence_add or evidence_list; NULL is allowed. */
void evidence_free(struct evidence *list, size_t n);

/* The state of a registered file's stored copy, as evidence_verify finds it. */
enum evidence_state {
	EVIDENCE_OK = 0,
	EVIDENCE_CHANGED,    /* the stored copy's SHA-256 differs from the registered one */
	EVIDENCE_MISSING,    /* the stored copy is gone */
	EVIDENCE_UNREADABLE, /* the stored copy exists but cannot be read as a regular file */
};

/* One registered file and the result of hashing its stored copy again. */
struct evidence_check {
	struct evidence item;
	enum evidence_state state;
	char actual_sha256[SHA256_HEX_LEN + 1]; /* set when CHANGED */
	char problem[256];                      /* why, when UNREADABLE */
};

/*
 * Hashes the stored copy of every file registered for INCIDENT_ID again,
 * restricted copies included when the caller may read the restricted file;
 * otherwise each of those is UNREADABLE with the reason. Sets *OUT to *N
 * results (import rows have no file and are left out) that
 * the caller frees with evidence_checks_free. Returns 0 when the check ran,
 * whatever it found; -1 with ERR set for an unknown incident or a store failure.
 */
int evidence_verify(struct store *st, const char *incident_id, struct evidence_check **out,
		    size_t *n, struct wr_error *err);

/* Frees a list from evidence_verify; NULL is allowed. */
void evidence_checks_free(struct evidence_check *list, size_t n);

/*
 * Returns INCIDENT_ID's evidence folder for the database at DB_PATH (see
 * above), which the caller frees.
 */
char *evidence_folder(const char *db_path, const char *incident_id);

/*
 * Returns INCIDENT_ID's restricted evidence folder for the database at
 * DB_PATH: DB_PATH without ".db", plus ".restricted-evidence/INCIDENT-ID".
 * Folders are 0700, or 02770 with restricted_group; copies 0400 or 0440.
 * The caller frees it.
 */
char *evidence_restricted_folder(const char *db_path, const char *incident_id);

/*
 * Returns where STORED_PATH (relative to the database's folder, or absolute)
 * is for the database at DB_PATH, which the caller frees.
 */
char *evidence_resolve(const char *db_path, const char *stored_path);

#endif
