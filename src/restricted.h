/*
 * Need-to-know material of an incident, kept in a second SQLite file beside
 * the incident database so that the operating system, not only the screen,
 * decides who reads it: restricted notes, the text of hypotheses marked
 * restricted and the rows of restricted evidence (evidence.h). The file for DBPATH is DBPATH with ".db" replaced by
 * ".restricted.db" (or DBPATH + ".restricted" when it does not end in
 * ".db"). It is created with mode 0600, or 0660 with the settings'
 * restricted_group as its group. The incident database keeps only a marker
 * ("[restricted]") and a timeline event without the content, so the hash
 * chain and the observers see that something was added.
 */
#ifndef WARROOM_RESTRICTED_H
#define WARROOM_RESTRICTED_H

#include <stddef.h>

#include "store.h"
#include "util.h"

/* The text a reader gets in place of material it may not read. */
#define RESTRICTED_MARKER "[restricted]"

/* Timeline event kind of a restricted note; its details never contain the text. */
#define RESTRICTED_NOTE_EVENT "restricted-note"

/* The restricted file's state for the current process. */
enum restricted_access {
	RESTRICTED_ABSENT = 0, /* no restricted file yet: nothing restricted was added */
	RESTRICTED_READABLE,   /* opened */
	RESTRICTED_DENIED,     /* the file exists but this user may not read it (EACCES) */
};

/* Kinds of restricted text, for restricted_text. */
enum restricted_kind {
	RESTRICTED_NOTE,       /* KEY: the id of the note's timeline event */
	RESTRICTED_HYPOTHESIS, /* KEY: the hypothesis id in the incident database */
};

struct restricted;

/* Returns the restricted file's path for the incident database at DB_PATH; the caller frees it. */
char *restricted_path(const char *db_path);

/*
 * Opens the restricted file for the incident database at DB_PATH for
 * writing, creating it when missing with mode 0600, or 0660 and group GROUP
 * when GROUP is not NULL. Returns NULL with ERR set, for example when GROUP
 * is unknown or this user may not write the file.
 */
struct restricted *restricted_open_write(const char *db_path, const char *group,
					 struct wr_error *err);

/*
 * Opens the restricted file for reading, when it exists and this user may
 * read it, and sets *STATE. Returns NULL without setting ERR when the file
 * is absent or access is denied. Returns NULL with ERR set, and *STATE
 * RESTRICTED_DENIED, when the file exists but fails to open for another reason.
 */
struct restricted *restricted_open_read(const char *db_path, enum restricted_access *state,
					struct wr_error *err);

/* Returns R's connection, which stays owned by R; for the evidence register's restricted add. */
struct store *restricted_store(struct restricted *r);

struct event;
struct evidence;
struct hypothesis;

/*
 * The fill calls below are for displays, never for packets or exports. Each
 * opens the restricted file for the database at DB_PATH only when the list
 * has a restricted item. An item this user may not read keeps or gets
 * RESTRICTED_MARKER. Each returns what it found of the file.
 */

/* Replaces each row of kind "restricted" (from evidence_list) with its details. */
enum restricted_access restricted_fill_evidence(const char *db_path, const char *incident_id,
						struct evidence *list, size_t n);

/* Replaces the text of each hypothesis marked restricted (from hypothesis_list). */
enum restricted_access restricted_fill_hypotheses(const char *db_path, const char *incident_id,
						  struct hypothesis *list, size_t n);

/* Sets the details of each restricted-note event (from events_list or events_page). */
enum restricted_access restricted_fill_events(const char *db_path, const char *incident_id,
					      struct event *list, size_t n);

/* Closes R; NULL is allowed. */
void restricted_close(struct restricted *r);

/*
 * Returns the restricted text of KIND for INCIDENT_ID and KEY, or
 * RESTRICTED_MARKER when R is NULL (no access) or has no such row. The
 * caller frees the result. This is the one call every reader uses.
 */
char *restricted_text(struct restricted *r, enum restricted_kind kind, const char *incident_id,
		      long long key);

/*
 * Adds a restricted note to INCIDENT_ID: the text goes to the restricted
 * file (created with GROUP as for restricted_open_write) and the timeline
 * gets a RESTRICTED_NOTE_EVENT without it. Returns 0, or -1 with ERR set and
 * nothing added to the timeline.
 */
int restricted_note_add(struct store *st, const char *group, const char *incident_id,
			const char *text, struct wr_error *err);

/*
 * Adds an unconfirmed hypothesis marked restricted: the incident database
 * keeps the row with text RESTRICTED_MARKER and restricted = 1, the text goes
 * to the restricted file. Sets *NEW_ID (when not NULL). Returns 0, or -1
 * with ERR set.
 */
int restricted_hypothesis_add(struct store *st, const char *group, const char *incident_id,
			      const char *text, long long *new_id, struct wr_error *err);

/*
 * Returns a Markdown section with INCIDENT_ID's restricted notes,
 * hypotheses and evidence, for `--include-restricted`; the caller frees it.
 * Returns NULL with ERR set (WR_FAILED) when this user may not read the
 * restricted file, so the caller rejects the option instead of leaving it out.
 */
char *restricted_section(const char *db_path, const char *incident_id, struct wr_error *err);

#endif
